"""Note titles for /note: autocomplete choices and finding the note a choice stands for."""

from __future__ import annotations

from collections.abc import Sequence

from bot.analysis import fold
from bot.engine import Engine

MIN_TYPED = 3  # fewer letters match too much to be useful
MAX_CHOICES = 25  # Discord's limit
CHOICE = 100  # Discord's limit for a choice's name and value


def matching_titles(titles: Sequence[str], typed: str, limit: int = MAX_CHOICES,
                    min_typed: int = MIN_TYPED) -> list[str]:
    """Titles containing what was typed (accents and case ignored): prefixes first, then titles
    with a word starting so, then any substring; at most `limit`."""
    wanted = " ".join(fold(typed).split())
    if len(wanted) < min_typed:
        return []
    ranked = []
    for title in titles:
        folded = " ".join(fold(title).split())
        at = folded.find(wanted)
        if at < 0:
            continue
        rank = 0 if at == 0 else 1 if folded[at - 1] in " -'’(" else 2
        ranked.append((rank, folded, title))
    ranked.sort()
    return [title for _, _, title in ranked[:limit]]


def choice_name(title: str) -> str:
    return title if len(title) <= CHOICE else title[: CHOICE - 1] + "…"


def choice_value(title: str) -> str:
    return title[:CHOICE]


def find_note(engine: Engine, value: str) -> dict | None:
    """The note record whose title is `value` (exactly, as a cut choice value, or folded)."""
    notes = engine.files.notes
    for test in (lambda t: t == value,
                 lambda t: len(value) == CHOICE and t.startswith(value),
                 lambda t: fold(t).strip() == fold(value).strip()):
        for note in notes:
            if test(note["title"]):
                return note
    return None


def note_summary(engine: Engine, note: dict) -> str:
    """The text of the note's first passage that has some (its headings if none has)."""
    first, count = int(note.get("first", 0)), int(note.get("count", 0))
    headings = ""
    for row in range(first, first + count):
        passage = engine.files.passage(row)
        if passage.get("text", "").strip():
            return passage["text"]
        headings = headings or " › ".join(passage.get("heading") or [])
    return headings
