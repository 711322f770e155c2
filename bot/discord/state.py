"""What the bot holds while it runs: the engine (swapped whole by /reindex) and the vote box."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.answer import Answer, AnswerHit
from bot.cli import known_error
from bot.engine import Engine
from bot.feedback import AnswerLog, answers_path, record_vote
from bot.refresh import RefreshReport, configs_for

log = logging.getLogger(__name__)

GIT_TIMEOUT = 60.0


@dataclass
class ReindexOutcome:
    """The result of one /reindex: a report, or why it failed (or that one was already running)."""

    report: RefreshReport | None = None
    error: str | None = None
    pulls: list[str] = field(default_factory=list)
    busy: bool = False


class EngineHolder:
    """The engine that answers now; /reindex builds the next one in a thread while this one serves.

    Questions are answered on the event loop thread; the refresh runs with `asyncio.to_thread` on
    a copy of the index files with its own file handle, since one handle cannot be shared between
    threads (reads are seek + read). The swap is one assignment on the loop thread.
    """

    def __init__(self, engine: Engine, progress: Callable[[int, int], None] | None = None,
                 git_timeout: float = GIT_TIMEOUT) -> None:
        self.engine = _warm(engine)
        self.progress = progress  # called from the refresh thread (tests slow it down with this)
        self.git_timeout = git_timeout
        self.reindex_started: float | None = None
        self._lock = asyncio.Lock()

    async def prepare(self) -> None:
        """Build the engine's lazy lookups in a thread, so the first question with a typo does
        not wait for them (the loop keeps answering meanwhile)."""
        try:
            await asyncio.to_thread(self.engine.prepare)
        except Exception:  # noqa: BLE001 - the lookups are then built by the first question that needs them
            log.exception("could not prepare the engine ahead of the first question")

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    async def reindex(self, git_pull: bool = True) -> ReindexOutcome:
        """Pull (when the corpus config allows it), refresh, swap; the old engine serves meanwhile."""
        if self._lock.locked():
            return ReindexOutcome(busy=True)
        async with self._lock:
            self.reindex_started = time.time()
            try:
                return await self._reindex(git_pull)
            finally:
                self.reindex_started = None

    async def _reindex(self, git_pull: bool) -> ReindexOutcome:
        current = self.engine
        pulls: list[str] = []
        try:
            if git_pull:
                pulls = await asyncio.to_thread(pull_corpora, current.roots, self.git_timeout)
            new, report = await asyncio.to_thread(_refresh, current, self.progress)
        except Exception as exc:  # noqa: BLE001 - reported to the moderator, the old engine stays
            reason = known_error(exc)
            if reason is None:
                log.exception("reindex failed")
                reason = f"internal error ({type(exc).__name__}), see the bot's log"
            else:
                log.warning("reindex failed: %s", reason)
            return ReindexOutcome(error=reason, pulls=pulls)
        # One assignment: a question gets the old engine or the new one. The old one is not closed
        # here; its open files go when the last reference does.
        self.engine = _warm(new)
        log.info("reindexed: %s", "; ".join(report.summary_lines()))
        return ReindexOutcome(report=report, pulls=pulls)


def _refresh(current: Engine, progress: Callable[[int, int], None] | None) -> tuple[Engine, RefreshReport]:
    """Runs in a thread; the engine keeps answering meanwhile (its reads do not share a file position).
    The new engine is prepared here too, so the swap does not hand the first question its cost."""
    new, report = current.refreshed(progress)
    new.prepare()
    return new, report


def _warm(engine: Engine) -> Engine:
    """Open the passages file now, so the engine keeps reading it even once a later refresh has
    removed its folder."""
    engine.files.open()
    return engine


def pull_corpora(roots: Sequence[Path], timeout: float = GIT_TIMEOUT) -> list[str]:
    """`git pull --ff-only` in the roots whose config says `git_pull: true`; one line each."""
    lines = []
    for config in configs_for(roots):
        if config.git_pull:
            lines.append(f"{config.root.name}: {git_pull(config.root, timeout)}")
    return lines


def git_pull(root: Path, timeout: float = GIT_TIMEOUT) -> str:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0")  # never wait for a password nobody types
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    try:
        inside = _git(["rev-parse", "--is-inside-work-tree"], root, env, timeout)
        if inside.returncode != 0:
            return "not a git checkout, nothing pulled"
        done = _git(["pull", "--ff-only"], root, env, timeout)
    except FileNotFoundError:
        return "git is not installed, nothing pulled"
    except subprocess.TimeoutExpired:
        return f"git pull took more than {timeout:g} s and was stopped; indexed what is on disk"
    output = " ".join((done.stdout + " " + done.stderr).split())
    if done.returncode != 0:
        return f"git pull failed ({output[:300] or done.returncode}); indexed what is on disk"
    return output[:300] or "pulled"


def _git(args: list[str], root: Path, env: dict, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          env=env, timeout=timeout, stdin=subprocess.DEVNULL, check=False)


def passage_id(hit: AnswerHit) -> str:
    """A passage named so it survives a reindex: corpus folder / note path # heading."""
    name = f"{Path(hit.corpus).name}/{hit.path}"
    return f"{name}#{hit.heading}" if hit.heading else name


class FeedbackBox:
    """Votes on answers: the answer log behind the buttons' keys, and who already voted (in memory
    only: nothing about voters is written)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.answers = AnswerLog(answers_path(path))
        self._voted: set[tuple[int, str]] = set()

    def remember(self, answer: Answer) -> str:
        return self.answers.remember(answer.question, [passage_id(h) for h in answer.hits], answer.good)

    def vote(self, key: str, vote: str, voter: int) -> str:
        """'recorded', 'again' (this voter already voted on this answer) or 'unknown' (no such key)."""
        record = self.answers.find(key)
        if record is None:
            return "unknown"
        if (voter, key) in self._voted:
            return "again"
        record_vote(self.path, record["question"], record.get("passages") or [], vote)
        self._voted.add((voter, key))
        return "recorded"
