"""👍 / 👎 under answers, and "Share in channel" under private ones: registers the buttons so
clicks on messages sent before a restart still work (see `bot.discord.views`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord.ext import commands

from bot.discord.views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.discord.client import NotesBot


class Votes(commands.Cog):
    def __init__(self, bot: NotesBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)


async def setup(bot: NotesBot) -> None:
    await bot.add_cog(Votes(bot))
