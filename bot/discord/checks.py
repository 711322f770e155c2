"""Who may do what: the moderator check for /reindex and the per-member cooldown on questions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import BotSettings

if TYPE_CHECKING:
    from bot.discord.client import NotesBot

T = TypeVar("T")


class NotModerator(app_commands.CheckFailure):
    """The member has neither the Manage Server permission nor a configured moderator role."""


def is_moderator(interaction: discord.Interaction, moderator_roles: tuple[int, ...]) -> bool:
    """Manage Server in this channel (administrators have it), or one of the moderator roles."""
    member = interaction.user
    if interaction.guild is None or not isinstance(member, discord.Member):
        return False
    if interaction.permissions.manage_guild:
        return True
    return any(role.id in moderator_roles for role in member.roles)


def moderators_only() -> Callable[[T], T]:
    """A real check (Discord's default_permissions is only a hint that a server can override)."""

    async def predicate(interaction: discord.Interaction[NotesBot]) -> bool:
        if is_moderator(interaction, interaction.client.settings.moderator_roles):
            return True
        raise NotModerator("moderators only")

    return app_commands.check(predicate)


class QuestionCooldown:
    """One budget of questions per member, shared by /ask and mentions (None: no cooldown)."""

    def __init__(self, settings: BotSettings) -> None:
        self.mapping: commands.CooldownMapping | None = None
        if settings.cooldown_seconds > 0:
            self.mapping = commands.CooldownMapping.from_cooldown(
                settings.cooldown_rate, settings.cooldown_seconds, _member_key)

    def retry_after(self, user: discord.abc.Snowflake) -> float | None:
        """Seconds to wait, or None if `user` may ask now (asking spends one question)."""
        if self.mapping is None:
            return None
        bucket = self.mapping.get_bucket(user)
        return bucket.update_rate_limit() if bucket is not None else None

    def cooldown_of(self, user: discord.abc.Snowflake) -> commands.Cooldown | None:
        return self.mapping.get_bucket(user) if self.mapping is not None else None


def _member_key(user: discord.abc.Snowflake) -> int:
    return user.id
