"""A question as typed -> what to look for: words, "quoted phrases", -excluded words, tag:filters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A syntax token only counts at a word boundary: "e-waste" and "l'outil" stay plain text.
# "…", French « … » and typographic “…” quotes alike (phones and French keyboards type them).
_PHRASE = re.compile(r'(?:(?<=\s)|^)(?:"([^"]+)"|«\s*([^«»]+?)\s*»|“([^“”]+)”)(?=\s|$|[?!.,;:])')
# A quoted title in single quotes: 'La vérité sur l'empreinte carbone' (its apostrophes are
# followed by a letter, its closing quote is not). From SINGLE_QUOTED_TITLE words on, it is a
# phrase too: 'numérique' rather than 'digital' quotes words, not a title.
_SINGLE_QUOTED = re.compile(r"(?:(?<=\s)|^)'(.+?)'(?=\s|$|[?!.,;:])")
SINGLE_QUOTED_TITLE = 3
_EXCLUDE = re.compile(r"(?:(?<=\s)|^)-([^\W\d_][\w'’-]*)")
_TAG = re.compile(r"(?:(?<=\s)|^)tag:([^\s,]+)", re.I)


@dataclass
class ParsedQuestion:
    text: str  # the words to score (phrases included, syntax removed)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def parse_question(question: str) -> ParsedQuestion:
    """Split search syntax from the words; unmatched quotes or lone dashes stay as text."""
    text = " ".join(question.split())
    tags = [t.lstrip("#") for t in _TAG.findall(text)]
    text = _TAG.sub(" ", text)
    phrases = [p.strip() for found in _PHRASE.findall(text) for p in found if p.strip()]
    phrases += [p for p in _SINGLE_QUOTED.findall(text) if len(p.split()) >= SINGLE_QUOTED_TITLE]
    text = _PHRASE.sub(lambda m: " " + (m.group(1) or m.group(2) or m.group(3)) + " ", text)
    excluded = _EXCLUDE.findall(text)
    if excluded and not _EXCLUDE.sub(" ", text).strip():
        excluded = []  # a question made only of "-words" is a question, not an exclusion
    else:
        text = _EXCLUDE.sub(" ", text)
    return ParsedQuestion(" ".join(text.split()), phrases, excluded, tags)


def without_quotes(question: str) -> str:
    """The question without what it quotes: a quoted French title in an English question says
    nothing of the language the question is asked in."""
    return _SINGLE_QUOTED.sub(" ", _PHRASE.sub(" ", " ".join(question.split())))
