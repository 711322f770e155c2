"""Votes on answers (👍/👎) kept as JSON lines next to the index, and the moderators' summary.

Two files live in the index folder (never inside a corpus):
    feedback.jsonl  one vote per line: time, question, passage ids, "up" or "down"
    answers.jsonl   one line per distinct answer given: key, question, passage ids, good
The Discord buttons carry only the short answer key, so a vote cast after a restart still finds
its question. Nothing names or identifies who asked or voted. answers.jsonl is written for every
answer, so it is rotated (one older file kept) and only the recent keys stay in memory: a bot
that runs for months neither fills the disk nor grows.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FEEDBACK_FILE = "feedback.jsonl"
ANSWERS_FILE = "answers.jsonl"
VOTES = ("up", "down")
KEY_LENGTH = 12  # hex characters; fits a Discord custom_id with room to spare
ANSWERS_MAX_BYTES = 4_000_000  # about 15,000 answers; then answers.jsonl becomes answers.1.jsonl
ANSWERS_IN_MEMORY = 2_000  # recent keys kept in memory; older ones are looked up on disk

_append_lock = threading.Lock()


def feedback_path(index_dir: Path) -> Path:
    """The votes file of the index in `index_dir`."""
    return Path(index_dir) / FEEDBACK_FILE


def answers_path(feedback: Path) -> Path:
    """The answers file that goes with the votes file `feedback`."""
    return Path(feedback).with_name(ANSWERS_FILE)


def rotated_path(path: Path) -> Path:
    """Where a full answers file goes: answers.jsonl -> answers.1.jsonl (the older one is dropped)."""
    return Path(path).with_suffix(".1" + Path(path).suffix)


def answer_key(question: str, passages: Sequence[str]) -> str:
    """A short stable key for one answer: the same question and passages give the same key."""
    text = _normal(question) + "\0" + "\0".join(passages)
    return hashlib.blake2b(text.encode(), digest_size=KEY_LENGTH // 2).hexdigest()


def record_vote(path: Path, question: str, passages: Sequence[str], vote: str,
                when: float | None = None) -> dict:
    """Append one vote; returns the stored record."""
    if vote not in VOTES:
        raise ValueError(f"a vote is one of {VOTES}, not {vote!r}")
    record = {"time": round(when if when is not None else time.time(), 3), "question": question,
              "passages": list(passages), "vote": vote}
    _append(path, record)
    return record


def read_records(path: Path) -> Iterator[dict]:
    """The records of a JSON lines file; a missing file is empty, a broken line is skipped."""
    if not Path(path).is_file():
        return
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                log.warning("%s line %d is not JSON; skipped", path, number)
                continue
            if isinstance(record, dict):
                yield record


def _append(path: Path, record: dict) -> None:
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with _append_lock, open(path, "a", encoding="utf-8") as out:
        out.write(line)  # one write of one line: readers never see half a record


def _normal(question: str) -> str:
    return " ".join(question.casefold().split())


@dataclass
class AnswerLog:
    """Which question and passages an answer key stands for. Every key on disk (the answers file
    and its rotated predecessor, so a bounded number) is known in memory; only the recent
    records are kept, and an older one is read from disk when someone votes on it."""

    path: Path
    max_bytes: int = ANSWERS_MAX_BYTES
    in_memory: int = ANSWERS_IN_MEMORY

    def __post_init__(self) -> None:
        self._recent: OrderedDict[str, dict] = OrderedDict()
        self._keys: set[str] | None = None  # read on first use: a restart costs nothing until then

    def remember(self, question: str, passages: Sequence[str], good: bool = True) -> str:
        key = answer_key(question, passages)
        if key not in self._known_keys():
            record = {"key": key, "time": round(time.time(), 3), "question": question,
                      "passages": list(passages), "good": good}
            self._rotate_if_full()
            _append(self.path, record)
            self._known_keys().add(key)
            self._cache(record)
        return key

    def find(self, key: str) -> dict | None:
        record = self._recent.get(key)
        if record is not None:
            self._recent.move_to_end(key)
            return record
        if key not in self._known_keys():
            return None
        record = next((r for path in (self.path, rotated_path(self.path)) for r in read_records(path)
                       if r.get("key") == key), None)  # an older answer: one read of the files
        if record is not None:
            self._cache(record)
        return record

    def _known_keys(self) -> set[str]:
        if self._keys is None:
            self._keys = {r["key"] for path in (self.path, rotated_path(self.path))
                          for r in read_records(path) if isinstance(r.get("key"), str)}
        return self._keys

    def _cache(self, record: dict) -> None:
        self._recent[record["key"]] = record
        self._recent.move_to_end(record["key"])
        while len(self._recent) > self.in_memory:
            self._recent.popitem(last=False)

    def _rotate_if_full(self) -> None:
        try:
            full = self.path.stat().st_size >= self.max_bytes
        except OSError:
            return  # no file yet
        if full:
            with _append_lock:
                os.replace(self.path, rotated_path(self.path))
            self._keys = None  # the dropped file's keys go with it (read again on next use)
            log.info("%s reached %d bytes: moved to %s", self.path, self.max_bytes, rotated_path(self.path))


def summary_lines(path: Path, top: int = 10) -> list[str]:
    """Totals, the questions most often voted down (the to-do list) and unanswered questions."""
    votes = [r for r in read_records(path) if r.get("vote") in VOTES and r.get("question")]
    answers_file = answers_path(path)
    answers = [*read_records(rotated_path(answers_file)), *read_records(answers_file)]
    if not votes and not answers:
        return [f"no votes yet ({path})"]
    count = Counter(r["vote"] for r in votes)
    lines = [f"{len(votes)} vote(s): {count['up']} 👍, {count['down']} 👎  ({path})"]
    lines += _down_lines(votes, top)
    missed = Counter(_normal(r["question"]) for r in answers if r.get("good") is False
                     and r.get("question"))
    if missed:
        lines.append(f"questions with no good answer ({len(missed)}):")
        shown = {_normal(r["question"]): r["question"] for r in answers if r.get("question")}
        lines += [f"  {shown[q]}" for q, _ in missed.most_common(top)]
    return lines


def _down_lines(votes: list[dict], top: int) -> list[str]:
    down: Counter[str] = Counter()
    up: Counter[str] = Counter()
    shown: dict[str, str] = {}
    passages: dict[str, Counter[str]] = {}
    for r in votes:
        q = _normal(r["question"])
        shown.setdefault(q, r["question"])
        (down if r["vote"] == "down" else up)[q] += 1
        if r["vote"] == "down":
            passages.setdefault(q, Counter()).update(str(p) for p in r.get("passages") or [])
    if not down:
        return ["no question voted down"]
    lines = [f"most voted down (to do for moderators, top {top}):"]
    ranked = sorted(down, key=lambda q: (-down[q], up[q], q))[:top]
    for q in ranked:
        lines.append(f"  {down[q]} 👎 {up[q]} 👍  {shown[q]}")
        for passage, _ in passages[q].most_common(3):
            lines.append(f"      {passage}")
    return lines
