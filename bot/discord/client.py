"""The Discord client: a `commands.Bot` given its settings and engine, loading one extension per
feature and registering the slash commands."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import BotSettings
from bot.discord.i18n import NotesTranslator
from bot.discord.state import EngineHolder, FeedbackBox
from bot.feedback import feedback_path

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.discord.exts.errors",
    "bot.discord.exts.ask",
    "bot.discord.exts.notes",
    "bot.discord.exts.votes",
    "bot.discord.exts.admin",
)


def intents() -> discord.Intents:
    """Default intents plus message content, needed to read questions in answer channels and
    after a mention (enable "Message Content Intent" in the developer portal)."""
    wanted = discord.Intents.default()
    wanted.message_content = True
    return wanted


class NotesBot(commands.Bot):
    """Answers questions from the notes; slash commands first, mentions and answer channels too."""

    def __init__(self, settings: BotSettings, holder: EngineHolder, *,
                 feedback: FeedbackBox | None = None, extensions: Sequence[str] = EXTENSIONS,
                 **options: Any) -> None:
        options.setdefault("allowed_mentions", discord.AllowedMentions.none())
        # A text-only bot: discord.py's warnings about missing voice libraries are noise.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(command_prefix=commands.when_mentioned, intents=intents(),
                         help_command=None, **options)
        self.settings = settings
        self.holder = holder
        path = settings.feedback_file or feedback_path(holder.engine.index_dir)
        self.feedback = feedback or FeedbackBox(path)
        self.initial_extensions = tuple(extensions)
        self.failed_extensions: list[str] = []
        self._preparing: asyncio.Task | None = None
        self.synced: list[app_commands.AppCommand] = []

    async def setup_hook(self) -> None:
        await self.tree.set_translator(NotesTranslator())
        for name in self.initial_extensions:
            try:
                await self.load_extension(name)
            except Exception:  # noqa: BLE001 - one broken feature must not stop the others
                log.exception("extension %s failed to load; its commands are unavailable", name)
                self.failed_extensions.append(name)
        self.synced = await self.sync_commands()
        self._preparing = asyncio.create_task(self.holder.prepare())  # kept: tasks are weakly held

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """Register the slash commands: in DISCORD_GUILD_ID at once when set, else globally."""
        try:
            if self.settings.guild_id:
                guild = discord.Object(id=self.settings.guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
            else:
                synced = await self.tree.sync()
        except discord.HTTPException as exc:
            log.error("could not register the slash commands (%s %s): check DISCORD_GUILD_ID and "
                      "that the bot was invited with the applications.commands scope",
                      exc.status, exc.text)
            return []
        where = f"guild {self.settings.guild_id}" if self.settings.guild_id else "all guilds"
        log.info("registered %d slash command(s) for %s", len(synced), where)
        return synced

    async def on_ready(self) -> None:
        meta = self.holder.engine.files.meta
        where = f"guild {self.settings.guild_id}" if self.settings.guild_id else "all guilds"
        log.info("connected as %s: %s notes, %s passages; %d slash command(s) for %s", self.user,
                 meta.get("notes"), meta.get("passages"), len(self.synced), where)

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: the ask extension listens to messages itself."""
