"""Settings from the environment and a `.env` file; the token is never printed."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"
_TOKEN_SHAPE = re.compile(r"^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it (never its secret value)."""


class Secret:
    """A string that does not show itself in logs, reprs or tracebacks."""

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


def load_dotenv_file(path: Path | None = None) -> Path | None:
    """Load `.env` (from `path`, or the current folder or a parent of it, as python-dotenv's
    find_dotenv(usecwd=True) looks) without overriding the real environment."""
    if path is None:  # look before importing python-dotenv: most runs have no .env
        cwd = Path.cwd()
        path = next((d / ".env" for d in (cwd, *cwd.parents) if (d / ".env").is_file()), None)
    if path is None or not Path(path).is_file():
        return None
    from dotenv import load_dotenv

    load_dotenv(path, override=False)
    return Path(path)


def _ids(name: str) -> tuple[int, ...]:
    raw = os.environ.get(name, "")
    try:
        return tuple(int(x) for x in re.split(r"[\s,]+", raw.strip()) if x)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a comma-separated list of numeric IDs") from exc


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc


def _url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    raw = os.environ.get(name, "").strip() or default
    if urlsplit(raw).scheme not in schemes or not urlsplit(raw).netloc:
        raise SettingsError(f"{name} must be a {' or '.join(schemes)} URL, got {raw!r}")
    return raw


def corpus_roots_from_env() -> list[Path]:
    raw = os.environ.get("NOTESBOT_CORPUS", "").strip()
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()] if raw else []


@dataclass(frozen=True)
class BotSettings:
    token: Secret
    corpus: tuple[Path, ...]
    index_dir: Path | None
    guild_id: int | None = None
    answer_channels: tuple[int, ...] = ()
    moderator_roles: tuple[int, ...] = ()
    api_base: str = DEFAULT_API_BASE
    gateway_url: str = DEFAULT_GATEWAY_URL
    cooldown_rate: int = 3
    cooldown_seconds: int = 30
    feedback_file: Path | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @classmethod
    def from_env(cls, corpus: list[Path], index_dir: Path | None) -> BotSettings:
        token = os.environ.get("DISCORD_TOKEN", "").strip()
        if not token:
            raise SettingsError("DISCORD_TOKEN is not set: put it in .env (see .env.example) or "
                                "the environment")
        if not _TOKEN_SHAPE.match(token):
            raise SettingsError("DISCORD_TOKEN does not look like a bot token (three dot-separated "
                                "parts); copy it again from the Discord developer portal")
        guild = _ids("DISCORD_GUILD_ID")
        rate, seconds = _int("NOTESBOT_COOLDOWN_RATE", 3), _int("NOTESBOT_COOLDOWN_SECONDS", 30)
        if rate < 1 or seconds < 0:
            raise SettingsError("NOTESBOT_COOLDOWN_RATE must be 1 or more and NOTESBOT_COOLDOWN_SECONDS "
                                "0 or more (0 turns the cooldown off)")
        return cls(
            token=Secret(token),
            corpus=tuple(corpus),
            index_dir=index_dir,
            guild_id=guild[0] if guild else None,
            answer_channels=_ids("NOTESBOT_ANSWER_CHANNELS"),
            moderator_roles=_ids("NOTESBOT_MODERATOR_ROLES"),
            api_base=_url("DISCORD_API_BASE", DEFAULT_API_BASE, ("https", "http")).rstrip("/"),
            gateway_url=_url("DISCORD_GATEWAY_URL", DEFAULT_GATEWAY_URL, ("wss", "ws")),
            cooldown_rate=rate,
            cooldown_seconds=seconds,
        )
