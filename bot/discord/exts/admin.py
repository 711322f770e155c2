"""/reindex for moderators (pull, re-read, swap while answering) and /notesbot-status for all."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot import __version__
from bot.discord.checks import moderators_only
from bot.discord.i18n import lang_of, text
from bot.discord.render import reindex_embed, shorten, status_embed
from bot.discord.replies import NO_MENTIONS

if TYPE_CHECKING:
    from bot.discord.client import NotesBot

log = logging.getLogger(__name__)


class Admin(commands.Cog):
    def __init__(self, bot: NotesBot) -> None:
        self.bot = bot

    @app_commands.command(name="reindex")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @moderators_only()
    async def reindex(self, interaction: discord.Interaction) -> None:
        """Re-read the notes and refresh the index (moderators)"""
        lang = lang_of(interaction.locale)
        holder = self.bot.holder
        if holder.busy:
            await interaction.response.send_message(self._busy(lang), ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        log.info("reindex asked by a moderator")
        outcome = await holder.reindex()
        if outcome.busy:
            await interaction.followup.send(self._busy(lang), ephemeral=True)
        elif outcome.report is None:
            reason = shorten(" ".join((outcome.error or "?").split()), 1500)
            await interaction.followup.send(text("reindex_failed", lang, reason=reason),
                                            ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.followup.send(embed=reindex_embed(outcome.report, outcome.pulls, lang),
                                            ephemeral=True, allowed_mentions=NO_MENTIONS)

    def _busy(self, lang: str) -> str:
        started = self.bot.holder.reindex_started or time.time()
        return text("reindex_busy", lang, since=format_dt(datetime.fromtimestamp(started, UTC), "R"))

    @app_commands.command(name="notesbot-status")
    async def status(self, interaction: discord.Interaction) -> None:
        """Index size, when it was built and which notes it covers"""
        engine = self.bot.holder.engine
        embed = status_embed(engine.files.meta, engine.roots, __version__, lang_of(interaction.locale),
                             reindex_since=self.bot.holder.reindex_started)
        await interaction.response.send_message(embed=embed, ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)


async def setup(bot: NotesBot) -> None:
    await bot.add_cog(Admin(bot))
