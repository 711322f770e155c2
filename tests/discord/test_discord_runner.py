"""`notesbot run` as a real process: one clear line for every start-up failure, the token never
shown; against the fake Discord it loads the index, answers, and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from pathlib import Path

import pytest
from fakediscord import FakeDiscord

from bot.engine import BUNDLED_CORPUS, index_dir_for

WELL_SHAPED = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.SECRETabcdefghijklmnopqrstuvwxyz0123"


def bot_env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DISCORD_", "NOTESBOT_"))}
    env.update({"NOTESBOT_INDEX_DIR": str(tmp_path / "indexes"), "PYTHONIOENCODING": "utf-8",
                "DISCORD_TOKEN": "", **values})
    return env


async def notesbot_run(tmp_path: Path, env: dict[str, str], *args: str,
                       timeout: float = 30) -> tuple[int, str, str]:
    """`python -m bot run ARGS` from an empty folder (no .env), to completion."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", *args, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    return proc.returncode, out.decode(), err.decode()


def one_line_error(code: int, out: str, err: str) -> str:
    assert code != 0, (out, err)
    assert "Traceback" not in err and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("notesbot: error: ")
    return lines[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_missing_token(tmp_path: Path) -> None:
    code, out, err = asyncio.run(notesbot_run(tmp_path, bot_env(tmp_path)))
    assert "DISCORD_TOKEN is not set" in one_line_error(code, out, err)


def test_malformed_token_is_not_echoed(tmp_path: Path) -> None:
    env = bot_env(tmp_path, DISCORD_TOKEN="not-a-token-SECRETVALUE")
    code, out, err = asyncio.run(notesbot_run(tmp_path, env))
    assert "does not look like a bot token" in one_line_error(code, out, err)
    assert "SECRETVALUE" not in out + err


def test_unreachable_api(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{closed_port()}/api/v10"
    env = bot_env(tmp_path, DISCORD_TOKEN=WELL_SHAPED, DISCORD_API_BASE=api)
    code, out, err = asyncio.run(notesbot_run(tmp_path, env, "--corpus", str(BUNDLED_CORPUS)))
    line = one_line_error(code, out, err)
    assert f"cannot reach the Discord API at {api}" in line
    assert "SECRET" not in out + err


def test_corpus_that_does_not_load(tmp_path: Path) -> None:
    env = bot_env(tmp_path, DISCORD_TOKEN=WELL_SHAPED)
    code, out, err = asyncio.run(notesbot_run(tmp_path, env, "--corpus", str(tmp_path / "nope")))
    assert "corpus folder not found" in one_line_error(code, out, err)


def test_rejected_token(tmp_path: Path) -> None:
    async def scenario() -> tuple[int, str, str]:
        async with FakeDiscord() as fake:
            env = bot_env(tmp_path, DISCORD_TOKEN=WELL_SHAPED, DISCORD_API_BASE=fake.api_base,
                          DISCORD_GATEWAY_URL=fake.gateway_url)
            result = await notesbot_run(tmp_path, env, "--corpus", str(BUNDLED_CORPUS))
            assert fake.requests_matching("GET", "^/users/@me$")[0].status == 401
            return result

    code, out, err = asyncio.run(scenario())
    assert "Discord rejected DISCORD_TOKEN" in one_line_error(code, out, err)
    assert "SECRET" not in out + err


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name == "nt", reason="POSIX signals")
def test_notesbot_run_builds_the_index_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    index_root = tmp_path / "indexes"
    logged: list[str] = []

    async def read_log(stream: asyncio.StreamReader) -> None:
        async for line in stream:
            logged.append(line.decode())

    async def scenario() -> tuple[int, str, str]:
        async with FakeDiscord() as fake:
            env = bot_env(tmp_path, DISCORD_TOKEN=fake.token, DISCORD_API_BASE=fake.api_base,
                          DISCORD_GATEWAY_URL=fake.gateway_url, DISCORD_GUILD_ID=str(fake.guild_id))
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--corpus", str(BUNDLED_CORPUS),
                "--index-dir", str(index_root), cwd=tmp_path, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            reader = asyncio.create_task(read_log(proc.stderr))
            try:
                await fake.wait_for_sync(fake.guild_id, timeout=20)
                assert (index_dir_for([BUNDLED_CORPUS], index_root) / "CURRENT").is_file()
                inter = await fake.send_slash_command("ask",
                                                      {"question": "which MOOC takes 30 minutes?"})
                done = await fake.wait_for_response(inter, timeout=10)
                assert done.message.embeds[0]["title"] == "L'Académie Numérique Responsable"
                # on_ready comes after discord.py's 2 s wait for the guilds
                await fake.wait_until(lambda: any("connected as" in line for line in logged),
                                      "the bot to log that it is ready", timeout=10)
            finally:
                if proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 15)
            await reader
            return proc.returncode, "".join(logged), fake.token

    code, err, token = asyncio.run(scenario())
    assert code == 0, err
    assert "Traceback" not in err
    assert "4 slash command(s) for guild" in err  # INFO logs once logged in
    # a running bot's log lines carry the time
    (connected,) = [line for line in err.splitlines() if "connected as" in line]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO ", connected), connected
    assert token not in err and token.split(".")[-1] not in err
