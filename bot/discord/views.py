"""Buttons under an answer: 👍 / 👎 votes and "Share in channel", working across restarts.

Each button is a `DynamicItem`: its custom_id carries the vote and the answer key (the question
and passages behind a key are in the answer log next to the index), so a click on a message sent
before a restart still reaches the bot once the votes extension has registered these classes.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.discord.i18n import lang_of, text
from bot.discord.replies import NO_MENTIONS, reply_privately

if TYPE_CHECKING:
    from bot.discord.client import NotesBot

log = logging.getLogger(__name__)

KEY = r"[0-9a-f]{12}"


class VoteButton(discord.ui.DynamicItem[discord.ui.Button],
                 template=rf"nb:vote:(?P<vote>up|down):(?P<key>{KEY})"):
    def __init__(self, key: str, vote: str) -> None:
        super().__init__(discord.ui.Button(
            emoji="👍" if vote == "up" else "👎", style=discord.ButtonStyle.secondary,
            custom_id=f"nb:vote:{vote}:{key}"))
        self.key = key
        self.vote = vote

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> VoteButton:
        return cls(match["key"], match["vote"])

    async def callback(self, interaction: discord.Interaction[NotesBot]) -> Any:
        lang = lang_of(interaction.locale)
        try:
            result = interaction.client.feedback.vote(self.key, self.vote, interaction.user.id)
        except OSError:
            log.exception("could not store a vote")
            await reply_privately(interaction, text("error", lang))
            return
        message = {"recorded": text(f"vote_{self.vote}", lang), "again": text("vote_again", lang),
                   "unknown": text("vote_unknown", lang)}[result]
        await reply_privately(interaction, message)


class ShareButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"nb:share:(?P<key>{KEY})"):
    """On a private answer: post the same answer in the channel, with its own vote buttons."""

    def __init__(self, key: str, lang: str = "en") -> None:
        super().__init__(discord.ui.Button(
            label=text("share", lang), emoji="📣", style=discord.ButtonStyle.primary,
            custom_id=f"nb:share:{key}"))
        self.key = key

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> ShareButton:
        return cls(match["key"], lang_of(interaction.locale))

    async def callback(self, interaction: discord.Interaction[NotesBot]) -> Any:
        source = interaction.message
        lang = lang_of(interaction.locale)
        if source is None:
            await reply_privately(interaction, text("vote_unknown", lang))
            return
        # The private copy keeps its votes and loses the share button: it has been shared.
        await interaction.response.edit_message(view=answer_view(self.key, lang, share=False))
        await interaction.followup.send(
            content=source.content or discord.utils.MISSING, embeds=source.embeds,
            view=answer_view(self.key, lang, share=False), ephemeral=False,
            allowed_mentions=NO_MENTIONS)


def answer_view(key: str, lang: str = "en", share: bool = False) -> discord.ui.View:
    """👍 👎 (and "Share in channel" for a private answer) for the answer `key`."""
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(key, "up"))
    view.add_item(VoteButton(key, "down"))
    if share:
        view.add_item(ShareButton(key, lang))
    return view


DYNAMIC_ITEMS = (VoteButton, ShareButton)
