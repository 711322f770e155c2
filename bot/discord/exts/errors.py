"""One handler for slash command errors: known ones become a friendly private reply, the rest are
logged with their traceback and answered with a short apology (never a traceback)."""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import NotModerator
from bot.discord.i18n import lang_of, text
from bot.discord.replies import reply_privately
from bot.engine import QuestionError

if TYPE_CHECKING:
    from bot.discord.client import NotesBot

log = logging.getLogger(__name__)


def friendly_message(error: app_commands.AppCommandError, lang: str = "en") -> str | None:
    """The reply for an error a member can cause; None for a bug."""
    if isinstance(error, app_commands.CommandOnCooldown):
        return text("cooldown", lang, seconds=max(1, math.ceil(error.retry_after)))
    if isinstance(error, app_commands.NoPrivateMessage):
        return text("guild_only", lang)
    if isinstance(error, NotModerator | app_commands.MissingPermissions | app_commands.MissingRole
                  | app_commands.MissingAnyRole | app_commands.CheckFailure):
        return text("not_allowed", lang)
    if isinstance(error, app_commands.TransformerError):
        return str(error)
    original = getattr(error, "original", None)
    if isinstance(original, QuestionError):
        return str(original)
    return None


class ErrorHandler(commands.Cog):
    def __init__(self, bot: NotesBot) -> None:
        self.bot = bot
        self._previous = bot.tree.on_error

    async def cog_load(self) -> None:
        self.bot.tree.on_error = self.on_app_command_error

    async def cog_unload(self) -> None:
        self.bot.tree.on_error = self._previous

    async def on_app_command_error(self, interaction: discord.Interaction,
                                   error: app_commands.AppCommandError) -> None:
        name = interaction.command.qualified_name if interaction.command else "?"
        message = friendly_message(error, lang_of(interaction.locale))
        if message is None:
            log.error("/%s failed", name, exc_info=error)
            message = text("error", lang_of(interaction.locale))
        else:
            log.info("/%s refused: %s", name, type(error).__name__)
        if interaction.type is discord.InteractionType.autocomplete:
            return  # autocomplete has no message to answer with
        await reply_privately(interaction, message)


async def setup(bot: NotesBot) -> None:
    await bot.add_cog(ErrorHandler(bot))
