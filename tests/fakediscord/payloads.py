"""Builders for realistic Discord API v10 payloads (plain ``dict`` objects).

Every builder returns JSON-ready data shaped like what Discord sends, with the fields that
discord.py 2.7 requires (for example ``attachment_size_limit`` on interactions, ``flags`` on
members, ``discriminator``/``avatar`` on users).  Snowflakes are returned as strings, as on the
wire.  The builders are used by :mod:`.server`, and can be used directly by tests that need to
inject hand-made gateway events with :meth:`FakeDiscord.dispatch`.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import itertools
import re
import secrets
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000


class Permission(enum.IntFlag):
    """The permission bits this fake cares about (see Discord's permission docs)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    SEND_MESSAGES_IN_THREADS = 1 << 38
    MODERATE_MEMBERS = 1 << 40


ALL_PERMISSIONS = (1 << 53) - 1
EVERYONE_PERMISSIONS = int(
    Permission.CREATE_INSTANT_INVITE
    | Permission.ADD_REACTIONS
    | Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.READ_MESSAGE_HISTORY
    | Permission.USE_EXTERNAL_EMOJIS
    | Permission.CHANGE_NICKNAME
    | Permission.USE_APPLICATION_COMMANDS
    | Permission.CREATE_PUBLIC_THREADS
    | Permission.SEND_MESSAGES_IN_THREADS
)
MODERATOR_PERMISSIONS = int(
    Permission.KICK_MEMBERS
    | Permission.MANAGE_MESSAGES
    | Permission.MANAGE_THREADS
    | Permission.MENTION_EVERYONE
    | Permission.MODERATE_MEMBERS
)
BOT_ROLE_PERMISSIONS = int(
    Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.READ_MESSAGE_HISTORY
    | Permission.ADD_REACTIONS
    | Permission.USE_EXTERNAL_EMOJIS
    | Permission.SEND_MESSAGES_IN_THREADS
)


class Intent(enum.IntFlag):
    """Gateway intents relevant to the fake."""

    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    DIRECT_MESSAGES = 1 << 12
    MESSAGE_CONTENT = 1 << 15


PRIVILEGED_INTENTS = int(Intent.GUILD_MEMBERS | Intent.GUILD_PRESENCES | Intent.MESSAGE_CONTENT)


class InteractionType(enum.IntEnum):
    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    APPLICATION_COMMAND_AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class CallbackType(enum.IntEnum):
    """Interaction callback (response) types."""

    PONG = 1
    CHANNEL_MESSAGE_WITH_SOURCE = 4
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT = 8
    MODAL = 9


class OptionType(enum.IntEnum):
    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


class ComponentType(enum.IntEnum):
    ACTION_ROW = 1
    BUTTON = 2
    STRING_SELECT = 3
    TEXT_INPUT = 4
    USER_SELECT = 5
    ROLE_SELECT = 6
    MENTIONABLE_SELECT = 7
    CHANNEL_SELECT = 8


class MessageFlag(enum.IntFlag):
    SUPPRESS_EMBEDS = 1 << 2
    EPHEMERAL = 1 << 6
    LOADING = 1 << 7
    SUPPRESS_NOTIFICATIONS = 1 << 12
    IS_COMPONENTS_V2 = 1 << 15


EPHEMERAL = int(MessageFlag.EPHEMERAL)
LOADING = int(MessageFlag.LOADING)

# Application flags: GATEWAY_MESSAGE_CONTENT_LIMITED | GATEWAY_GUILD_MEMBERS_LIMITED
# | APPLICATION_COMMAND_BADGE, i.e. an unverified bot with the privileged intents toggled on.
DEFAULT_APPLICATION_FLAGS = (1 << 19) | (1 << 15) | (1 << 23)


class SnowflakeGenerator:
    """Produces unique, strictly increasing, time-based snowflakes (as ``int``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0
        self._counter = itertools.count()

    def __call__(self) -> int:
        with self._lock:
            ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
            candidate = (ms << 22) | (1 << 17) | (next(self._counter) & 0xFFF)
            self._last = max(candidate, self._last + 1)
            return self._last


def iso_timestamp(when: dt.datetime | None = None) -> str:
    """An ISO-8601 timestamp the way Discord formats them."""
    when = when or dt.datetime.now(dt.UTC)
    return when.isoformat(timespec="microseconds")


def snowflake_time(snowflake: int) -> str:
    """The creation timestamp encoded in ``snowflake``."""
    ms = (int(snowflake) >> 22) + DISCORD_EPOCH_MS
    return iso_timestamp(dt.datetime.fromtimestamp(ms / 1000, dt.UTC))


def make_bot_token(bot_id: int) -> str:
    """A token shaped like a real bot token: ``base64(id).timestamp.hmac``."""
    head = base64.urlsafe_b64encode(str(bot_id).encode()).decode().rstrip("=")
    middle = base64.urlsafe_b64encode(secrets.token_bytes(4)).decode().rstrip("=")
    tail = secrets.token_urlsafe(29)[:38]
    return f"{head}.{middle}.{tail}"


def make_interaction_token(interaction_id: int) -> str:
    """A unique, opaque interaction token (real ones are ~200 characters)."""
    head = base64.urlsafe_b64encode(f"interaction:{interaction_id}".encode()).decode().rstrip("=")
    return f"aW50ZXJhY3Rpb24{head}{secrets.token_urlsafe(96)}"


# --------------------------------------------------------------------------------- entities


def user_payload(
    user_id: int,
    username: str,
    *,
    bot: bool = False,
    global_name: str | None = None,
    avatar: str | None = None,
) -> JSON:
    """A user object."""
    data: JSON = {
        "id": str(user_id),
        "username": username,
        "discriminator": "0",
        "global_name": global_name if global_name is not None else (None if bot else username),
        "avatar": avatar,
        "avatar_decoration_data": None,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "primary_guild": None,
        "collectibles": None,
    }
    if bot:
        data["bot"] = True
    return data


def role_payload(
    role_id: int,
    name: str,
    *,
    permissions: int,
    position: int,
    color: int = 0,
    hoist: bool = False,
    managed: bool = False,
    mentionable: bool = False,
    bot_id: int | None = None,
) -> JSON:
    """A role object; pass ``bot_id`` for the managed role of a bot integration."""
    data: JSON = {
        "id": str(role_id),
        "name": name,
        "description": None,
        "permissions": str(permissions),
        "position": position,
        "color": color,
        "colors": {"primary_color": color, "secondary_color": None, "tertiary_color": None},
        "hoist": hoist,
        "managed": managed,
        "mentionable": mentionable,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }
    if bot_id is not None:
        data["tags"] = {"bot_id": str(bot_id)}
    return data


def member_payload(
    user: Mapping[str, Any] | None,
    *,
    roles: Iterable[int | str],
    joined_at: str | None = None,
    nick: str | None = None,
    permissions: int | str | None = None,
) -> JSON:
    """A guild member object; ``user=None`` gives the partial member found in messages.

    ``permissions`` is only present on members inside interactions (it is the member's
    computed permissions in the interaction's channel, as a string).
    """
    data: JSON = {
        "roles": [str(r) for r in roles],
        "nick": nick,
        "avatar": None,
        "banner": None,
        "joined_at": joined_at or iso_timestamp(),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if user is not None:
        data["user"] = dict(user)
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def text_channel_payload(
    channel_id: int,
    guild_id: int,
    name: str,
    *,
    position: int = 0,
    topic: str | None = None,
    parent_id: int | None = None,
    last_message_id: int | None = None,
) -> JSON:
    """A guild text channel (type 0)."""
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "topic": topic,
        "parent_id": str(parent_id) if parent_id else None,
        "last_message_id": str(last_message_id) if last_message_id else None,
        "rate_limit_per_user": 0,
        "default_thread_rate_limit_per_user": 0,
        "default_auto_archive_duration": 4320,
        "flags": 0,
    }


def dm_channel_payload(channel_id: int, recipient: Mapping[str, Any]) -> JSON:
    """A DM channel (type 1) with ``recipient``."""
    return {
        "id": str(channel_id),
        "type": 1,
        "last_message_id": None,
        "flags": 0,
        "recipients": [dict(recipient)],
    }


def guild_payload(
    guild_id: int,
    name: str,
    *,
    owner_id: int,
    roles: list[JSON],
    channels: list[JSON],
    members: list[JSON],
    joined_at: str | None = None,
    locale: str = "en-US",
) -> JSON:
    """A full GUILD_CREATE payload (guild object plus the gateway-only extra fields)."""
    return {
        "id": str(guild_id),
        "name": name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": locale,
        "features": [],
        "roles": roles,
        "emojis": [],
        "stickers": [],
        "system_channel_id": channels[0]["id"] if channels else None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "application_id": None,
        "incidents_data": None,
        # Gateway-only fields
        "joined_at": joined_at or iso_timestamp(),
        "large": False,
        "unavailable": False,
        "lazy": True,
        "member_count": len(members),
        "members": members,
        "channels": channels,
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def application_payload(
    app_id: int,
    name: str,
    *,
    owner: Mapping[str, Any],
    bot: Mapping[str, Any] | None = None,
    flags: int = DEFAULT_APPLICATION_FLAGS,
) -> JSON:
    """The application object returned by ``GET /oauth2/applications/@me``."""
    return {
        "id": str(app_id),
        "name": name,
        "icon": None,
        "description": "",
        "summary": "",
        "type": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": secrets.token_hex(32),
        "flags": flags,
        "owner": dict(owner),
        "team": None,
        "bot": dict(bot) if bot is not None else None,
        "hook": True,
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "redirect_uris": [],
        "tags": [],
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "integration_types_config": {"0": {}, "1": {}},
        "install_params": {"scopes": ["bot", "applications.commands"], "permissions": "0"},
    }


def attachment_payload(
    attachment_id: int,
    filename: str,
    *,
    size: int,
    url: str,
    content_type: str | None = None,
    description: str | None = None,
) -> JSON:
    """An attachment object."""
    data: JSON = {
        "id": str(attachment_id),
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
    }
    if content_type:
        data["content_type"] = content_type
    if description:
        data["description"] = description
    return data


def message_payload(
    message_id: int,
    channel_id: int,
    author: Mapping[str, Any],
    content: str = "",
    *,
    guild_id: int | None = None,
    member: JSON | None = None,
    embeds: list[JSON] | None = None,
    components: list[JSON] | None = None,
    attachments: list[JSON] | None = None,
    mentions: list[JSON] | None = None,
    mention_roles: list[int | str] | None = None,
    mention_everyone: bool = False,
    flags: int = 0,
    type: int = 0,
    tts: bool = False,
    message_reference: JSON | None = None,
    referenced_message: JSON | None = None,
    webhook_id: int | None = None,
    application_id: int | None = None,
    interaction_metadata: JSON | None = None,
) -> JSON:
    """A message object (``guild_id``/``member`` are what the gateway adds for guild messages)."""
    data: JSON = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "type": type,
        "author": dict(author),
        "content": content,
        "timestamp": snowflake_time(message_id),
        "edited_timestamp": None,
        "tts": tts,
        "mention_everyone": mention_everyone,
        "mentions": mentions or [],
        "mention_roles": [str(r) for r in (mention_roles or [])],
        "attachments": attachments or [],
        "embeds": embeds or [],
        "components": components or [],
        "pinned": False,
        "flags": flags,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if member is not None:
        data["member"] = member
    if message_reference is not None:
        data["message_reference"] = message_reference
        data["referenced_message"] = referenced_message
    if webhook_id is not None:
        data["webhook_id"] = str(webhook_id)
    if application_id is not None:
        data["application_id"] = str(application_id)
    if interaction_metadata is not None:
        data["interaction_metadata"] = interaction_metadata
    return data


# ----------------------------------------------------------------------------- interactions


def interaction_payload(
    interaction_id: int,
    *,
    application_id: int,
    type: int,
    token: str,
    data: JSON | None,
    channel: JSON,
    guild_id: int | None = None,
    guild_locale: str = "en-US",
    member: JSON | None = None,
    user: JSON | None = None,
    app_permissions: int | str = 0,
    locale: str = "en-US",
    message: JSON | None = None,
    attachment_size_limit: int = 10 * 1024 * 1024,
) -> JSON:
    """An INTERACTION_CREATE payload.

    Pass ``guild_id`` + ``member`` for a guild interaction, or ``user`` for a DM one.
    """
    invoker = member["user"] if member is not None else user
    assert invoker is not None, "an interaction needs a member (guild) or a user (DM)"
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": type,
        "token": token,
        "version": 1,
        "channel_id": channel["id"],
        "channel": channel,
        "app_permissions": str(app_permissions),
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": attachment_size_limit,
    }
    if data is not None:
        payload["data"] = data
    if guild_id is not None:
        payload["guild_id"] = str(guild_id)
        payload["guild"] = {"id": str(guild_id), "locale": guild_locale, "features": []}
        payload["guild_locale"] = guild_locale
        payload["member"] = member
        payload["authorizing_integration_owners"] = {"0": str(guild_id)}
        payload["context"] = 0
    else:
        payload["user"] = user
        payload["authorizing_integration_owners"] = {"1": str(invoker["id"])}
        payload["context"] = 1
    if message is not None:
        payload["message"] = message
    return payload


def interaction_metadata_payload(
    interaction_id: int,
    type: int,
    user: Mapping[str, Any],
    *,
    authorizing_integration_owners: JSON | None = None,
    name: str | None = None,
    command_type: int | None = None,
    interacted_message_id: int | None = None,
) -> JSON:
    """The ``interaction_metadata`` attached to messages created by an interaction."""
    data: JSON = {
        "id": str(interaction_id),
        "type": type,
        "user": dict(user),
        "authorizing_integration_owners": authorizing_integration_owners or {},
    }
    if name is not None:
        data["name"] = name
    if command_type is not None:
        data["command_type"] = command_type
    if interacted_message_id is not None:
        data["interacted_message_id"] = str(interacted_message_id)
    return data


def command_response_payload(
    command: Mapping[str, Any],
    *,
    command_id: int,
    application_id: int,
    guild_id: int | None,
    version: int,
) -> JSON:
    """What Discord returns for a registered application command."""
    data: JSON = {
        "type": 1,
        "description": "",
        "options": [],
        "default_member_permissions": None,
        "nsfw": False,
        "name_localizations": None,
        "description_localizations": None,
    }
    data.update(command)
    data["id"] = str(command_id)
    data["application_id"] = str(application_id)
    data["version"] = str(version)
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    else:
        data.setdefault("integration_types", [0])
        data.setdefault("contexts", None)
    return data


# --------------------------------------------------------------------------------- helpers


def iter_components(components: Iterable[Mapping[str, Any]] | None) -> Iterator[JSON]:
    """Yield every component, recursing into action rows, containers and sections."""
    for component in components or []:
        yield dict(component)
        for key in ("components", "accessory", "component"):
            child = component.get(key)
            if isinstance(child, list):
                yield from iter_components(child)
            elif isinstance(child, Mapping):
                yield from iter_components([child])


USER_MENTION_RE = re.compile(r"<@!?(\d+)>")
ROLE_MENTION_RE = re.compile(r"<@&(\d+)>")


def infer_option_type(value: Any) -> int:
    """Guess an application command option type from a Python value."""
    if isinstance(value, bool):
        return OptionType.BOOLEAN
    if isinstance(value, int):
        return OptionType.INTEGER
    if isinstance(value, float):
        return OptionType.NUMBER
    if isinstance(value, Mapping) and "username" in value:
        return OptionType.USER
    if isinstance(value, Mapping) and "permissions" in value and "position" in value:
        return OptionType.ROLE
    if isinstance(value, Mapping) and "type" in value and "id" in value:
        return OptionType.CHANNEL
    return OptionType.STRING


def iter_options(options: Iterable[Mapping[str, Any]] | None) -> Iterator[JSON]:
    """Yield every command option, recursing into subcommands and groups."""
    for option in options or []:
        yield dict(option)
        yield from iter_options(option.get("options"))
