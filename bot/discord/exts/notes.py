"""/note: a note's summary and link, with its title completed as it is typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands
from discord.utils import escape_markdown

from bot.discord.i18n import lang_of, text
from bot.discord.render import did_you_mean, note_embed, shorten
from bot.discord.replies import NO_MENTIONS
from bot.discord.titles import CHOICE, choice_name, choice_value, find_note, matching_titles, note_summary

if TYPE_CHECKING:
    from bot.discord.client import NotesBot


class Notes(commands.Cog):
    def __init__(self, bot: NotesBot) -> None:
        self.bot = bot

    @app_commands.command(name="note")
    @app_commands.describe(title=_("The note's title (type 3 letters for suggestions)"))
    async def note(self, interaction: discord.Interaction,
                   title: app_commands.Range[str, 1, CHOICE]) -> None:
        """Show a note's summary and its link"""
        lang = lang_of(interaction.locale)
        engine = self.bot.holder.engine
        found = find_note(engine, title)
        if found is None:
            missing = text("note_missing", lang, title=escape_markdown(shorten(title, 100)))
            hint = did_you_mean(engine.suggest_titles(title), lang)
            await interaction.response.send_message(f"{missing}\n{hint}".strip(), ephemeral=True,
                                                    allowed_mentions=NO_MENTIONS)
            return
        embed = note_embed(found, note_summary(engine, found), lang)
        await interaction.response.send_message(embed=embed, allowed_mentions=NO_MENTIONS)

    @note.autocomplete("title")
    async def note_title(self, interaction: discord.Interaction,
                         current: str) -> list[app_commands.Choice[str]]:
        titles = matching_titles(self.bot.holder.engine.titles(), current)
        return [app_commands.Choice(name=choice_name(t), value=choice_value(t)) for t in titles]


async def setup(bot: NotesBot) -> None:
    await bot.add_cog(Notes(bot))
