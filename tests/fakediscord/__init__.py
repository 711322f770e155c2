"""A fake Discord server (REST + gateway) for end-to-end tests of discord.py bots.

See :mod:`.server` for the full story; the short version::

    async with FakeDiscord(patch_discord=True) as fake, fake.running(bot):
        inter = await fake.send_slash_command("ask", {"question": "hi"})
        done = await fake.wait_for_response(inter)
"""

from .payloads import (
    EPHEMERAL,
    LOADING,
    CallbackType,
    ComponentType,
    Intent,
    InteractionType,
    MessageFlag,
    OptionType,
    Permission,
)
from .server import (
    DEFAULT_TIMEOUT,
    FakeDiscord,
    FakeInteraction,
    FakeMessage,
    RecordedFile,
    RecordedRequest,
    configure_discord,
    discord_endpoints,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "EPHEMERAL",
    "LOADING",
    "CallbackType",
    "ComponentType",
    "FakeDiscord",
    "FakeInteraction",
    "FakeMessage",
    "Intent",
    "InteractionType",
    "MessageFlag",
    "OptionType",
    "Permission",
    "RecordedFile",
    "RecordedRequest",
    "configure_discord",
    "discord_endpoints",
]
