"""Text -> index terms: a chain of small steps (fold, split, elide, stop, stem) for French and English."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import Stemmer

# Bump when the terms produced for the same text change: saved indexes are then rebuilt.
ANALYZER_VERSION = 2
_STEMMERS = {"fr": "french", "en": "english", "de": "german", "it": "italian", "es": "spanish"}
_FOLD = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "’": "'",
                       "‘": "'", "ʼ": "'", "`": "'", "´": "'", "\u00a0": " ", "\u202f": " "})
_CONTRACTION = re.compile(r"n't\b")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:h\d{0,2})?(?![a-z])|[a-z0-9]+(?:-[a-z0-9]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:h\d{0,2})?")


def fold(text: str) -> str:
    """Lowercase, no accents, one kind of apostrophe: what both notes and questions go through."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c))


@cache
def stopwords(language: str) -> frozenset[str]:
    try:
        data = files("bot.data").joinpath(f"stopwords-{language}.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(w for line in data.splitlines() if not line.startswith("#") for w in line.split())


@dataclass(frozen=True)
class Word:
    """A word of the text as written (folded) and the term it is indexed under."""

    surface: str
    term: str
    start: int = 0
    end: int = 0


class Analyzer:
    """Fold, split (numbers kept whole: 30, 4h30, 3,8), drop elisions and stopwords, stem."""

    def __init__(self, languages: Iterable[str] = ("fr",)) -> None:
        self.languages = tuple(languages) or ("fr",)
        self.stop = frozenset().union(*(stopwords(lang) for lang in ("fr", "en")))
        self._stemmer = Stemmer.Stemmer(_STEMMERS.get(self.languages[0], "french"))

    @property
    def signature(self) -> str:
        return f"v{ANALYZER_VERSION}:{','.join(self.languages)}"

    def words(self, text: str) -> list[Word]:
        """Every kept word with its term; a hyphenated compound also yields its parts."""
        folded = _CONTRACTION.sub("", fold(text))
        out = []
        for match in _TOKEN.finditer(folded):
            token = match.group(0)
            if _NUMBER.fullmatch(token):
                out.append(Word(token, token.replace(",", "."), match.start(), match.end()))
                continue
            parts = token.split("-")
            for part in parts if len(parts) > 1 else ():
                if len(part) > 1 and part not in self.stop:
                    out.append(Word(part, self.stem(part), match.start(), match.end()))
            whole = "".join(parts)
            if all(p in self.stop for p in parts) or len(whole) < 2:
                continue  # a-t-il, est-ce
            if whole not in self.stop:
                out.append(Word(token, self.stem(whole), match.start(), match.end()))
        return out

    def terms(self, text: str) -> list[str]:
        return [w.term for w in self.words(text)]

    def stem(self, word: str) -> str:
        if word.isdigit() or len(word) <= 2:
            return word
        return self._stemmer.stemWord(word)


def spans_in(text: str) -> list[tuple[int, int, str]]:
    """Character spans of words in the original text, with their folded form, for highlighting.

    Folding can change lengths (œ -> oe), so words are found on the original text.
    """
    return [(m.start(), m.end(), fold(m.group(0))) for m in re.finditer(r"[\w’']+(?:-[\w]+)*", text)]
