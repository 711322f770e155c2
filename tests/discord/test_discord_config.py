"""The Discord settings: the token required, shape-checked and never shown; URLs and cooldown."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_API_BASE, DEFAULT_GATEWAY_URL, BotSettings, SettingsError

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.SECRETabcdefghijklmnopqrstuvwxyz0123"
NAMES = ("DISCORD_TOKEN", "DISCORD_GUILD_ID", "NOTESBOT_ANSWER_CHANNELS", "NOTESBOT_MODERATOR_ROLES",
         "DISCORD_API_BASE", "DISCORD_GATEWAY_URL", "NOTESBOT_COOLDOWN_RATE",
         "NOTESBOT_COOLDOWN_SECONDS")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)


def test_defaults_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("NOTESBOT_ANSWER_CHANNELS", "12, 34")
    monkeypatch.setenv("NOTESBOT_MODERATOR_ROLES", "56")
    settings = BotSettings.from_env([], None)
    assert settings.token.get() == TOKEN and settings.guild_id is None
    assert settings.answer_channels == (12, 34) and settings.moderator_roles == (56,)
    assert (settings.api_base, settings.gateway_url) == (DEFAULT_API_BASE, DEFAULT_GATEWAY_URL)
    assert (settings.cooldown_rate, settings.cooldown_seconds) == (3, 30)
    assert "SECRET" not in repr(settings) and "SECRET" not in str(settings.token)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("DISCORD_TOKEN", "", "DISCORD_TOKEN is not set"),
    ("DISCORD_TOKEN", "Bot SECRETabc.def", "does not look like a bot token"),
    ("DISCORD_GUILD_ID", "my-server", "DISCORD_GUILD_ID must be a comma-separated list"),
    ("DISCORD_API_BASE", "discord.com/api", "DISCORD_API_BASE must be a https or http URL"),
    ("DISCORD_GATEWAY_URL", "https://gateway.discord.gg", "DISCORD_GATEWAY_URL must be a wss or ws"),
    ("NOTESBOT_COOLDOWN_RATE", "0", "NOTESBOT_COOLDOWN_RATE must be 1 or more"),
    ("NOTESBOT_COOLDOWN_SECONDS", "soon", "NOTESBOT_COOLDOWN_SECONDS must be a whole number"),
])
def test_bad_settings_are_named_never_the_token(monkeypatch: pytest.MonkeyPatch, name: str, value: str,
                                                message: str) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message) as raised:
        BotSettings.from_env([], None)
    assert "SECRET" not in str(raised.value)


def test_proxy_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("DISCORD_API_BASE", "http://127.0.0.1:8080/api/v10/")
    monkeypatch.setenv("DISCORD_GATEWAY_URL", "ws://127.0.0.1:8080/gateway")
    monkeypatch.setenv("NOTESBOT_COOLDOWN_SECONDS", "0")
    settings = BotSettings.from_env([], None)
    assert settings.api_base == "http://127.0.0.1:8080/api/v10"
    assert settings.gateway_url == "ws://127.0.0.1:8080/gateway"
    assert settings.cooldown_seconds == 0


def test_the_cooldown_counts_per_member_and_zero_seconds_turns_it_off(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import discord

    from bot.discord.checks import QuestionCooldown

    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("NOTESBOT_COOLDOWN_RATE", "2")
    alice, bob = discord.Object(1), discord.Object(2)
    limited = QuestionCooldown(BotSettings.from_env([], None))
    assert [limited.retry_after(alice) for _ in range(2)] == [None, None]
    assert limited.retry_after(alice) > 25 and limited.retry_after(bob) is None
    monkeypatch.setenv("NOTESBOT_COOLDOWN_SECONDS", "0")
    free = QuestionCooldown(BotSettings.from_env([], None))
    assert all(free.retry_after(alice) is None for _ in range(10))
