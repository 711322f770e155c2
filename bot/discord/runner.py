"""`notesbot run`: settings, the index loaded (or built) first, then the bot until stopped.

Every failure a person can fix (no token, a malformed or rejected token, an unreachable API, the
Message Content intent not enabled, a corpus that does not load) ends with one line on stderr and
a non-zero exit code; the token itself is never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import TYPE_CHECKING

import aiohttp
import discord
import discord.gateway
import discord.http
import yarl

from bot.config import BotSettings, SettingsError

if TYPE_CHECKING:
    from bot.discord.client import NotesBot

log = logging.getLogger(__name__)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

EXIT_ERROR = 2


class StartError(Exception):
    """A reason the bot cannot run, for one line on stderr."""


def configure_endpoints(api_base: str, gateway_url: str) -> None:
    """Point discord.py at DISCORD_API_BASE and DISCORD_GATEWAY_URL (a proxy, or the tests' fake).

    discord.py builds REST URLs from `Route.BASE` and, in 2.x, connects to
    `DiscordWebSocket.DEFAULT_GATEWAY` (a yarl.URL) without asking the API for it, so both are set.
    """
    discord.http.Route.BASE = api_base.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def run_bot(args: argparse.Namespace) -> int:
    """Run the Discord bot until interrupted; 0 after a clean stop, 2 with one line on stderr."""
    try:
        settings, bot = _prepare(args)
        asyncio.run(_serve(bot, settings))
    except StartError as exc:
        print(f"notesbot: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        pass
    return 0


def _prepare(args: argparse.Namespace) -> tuple[BotSettings, NotesBot]:
    from bot.cli import corpus_roots, known_error, open_engine

    try:
        settings = BotSettings.from_env(corpus_roots(args), args.index_dir)
        configure_endpoints(settings.api_base, settings.gateway_url)
        engine, report = open_engine(args)
    except SettingsError as exc:
        raise StartError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - the edge: a corpus problem becomes one line
        message = known_error(exc)
        if message is None:
            raise
        raise StartError(message) from None
    if report is not None:
        log.info("built the index: %s", "; ".join(report.summary_lines()))
    from bot.discord.client import NotesBot
    from bot.discord.state import EngineHolder

    return settings, NotesBot(settings, EngineHolder(engine))


async def _serve(bot: discord.Client, settings: BotSettings) -> None:
    async with bot:
        _stop_on_sigterm(bot)
        try:
            await bot.login(settings.token.get())
        except discord.LoginFailure:
            raise StartError("Discord rejected DISCORD_TOKEN (401 Unauthorized): reset the token in "
                             "the developer portal (Bot page) and put the new one in .env") from None
        except (aiohttp.ClientError, OSError) as exc:
            raise StartError(f"cannot reach the Discord API at {settings.api_base}: "
                             f"{_reason(exc)}") from None
        except discord.HTTPException as exc:
            raise StartError(f"the Discord API at {settings.api_base} answered {exc.status} "
                             "while logging in") from None
        _log_more_once_connected()
        try:
            await bot.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired:
            raise StartError("Discord refused the Message Content intent: enable \"Message Content "
                             "Intent\" on the Bot page of the developer portal") from None
        except discord.ConnectionClosed as exc:
            raise StartError(f"the Discord gateway closed the connection ({exc.code} "
                             f"{exc.reason or ''}): check DISCORD_TOKEN and DISCORD_GATEWAY_URL"
                             ) from None
        except (discord.GatewayNotFound, aiohttp.ClientError, OSError) as exc:
            raise StartError(f"cannot reach the Discord gateway at {settings.gateway_url}: "
                             f"{_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())[:200]


def _stop_on_sigterm(bot: discord.Client) -> None:
    """`docker stop` / systemd send SIGTERM: close the connection cleanly, exit 0."""
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
        loop.add_signal_handler(signal.SIGTERM, lambda: loop.create_task(bot.close()))


def _log_more_once_connected() -> None:
    """Start-up stays quiet (an error is one line); once logged in, say what the bot does, with
    the time: a bot runs for weeks, and its log is read after the fact."""
    for name in ("bot", "discord"):
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
