"""Text -> index terms: a chain of small steps (fold, split, elide, stop, stem) for French and English."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import Stemmer

DATA = Path(__file__).resolve().parent / "data"  # shipped as package data
# Bump when the code changes the terms produced for the same text: saved indexes are then rebuilt.
# Edits to the stopword and stem files need no bump: their digest is part of the signature.
ANALYZER_VERSION = 16
# English stopwords that French notes use as words: "1 To stocké / an" is per year. The expander
# drops them from English questions ("an app").
FRENCH_WORDS = frozenset({"an"})
STEM_CACHE = 50_000  # words whose stem is remembered (a few MB): most text repeats a few thousand words
_STEMMERS = {"fr": "french", "en": "english", "de": "german", "it": "italian", "es": "spanish"}
_FOLD = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "’": "'",
                       "‘": "'", "ʼ": "'", "`": "'", "´": "'", "\u00a0": " ", "\u202f": " "})
_CONTRACTION = re.compile(r"n't\b")
# French locutions whose noun is only grammar: "au cours de sa vie" is not about a course, "dans
# le cadre de" not about a frame. Their words are dropped like stopwords (blanked, so that the
# other words keep their offsets).
_LOCUTIONS = re.compile(
    r"\b(?:(?:au cours|en cours|au sein|à partir|afin|en fonction|à propos|au lieu|au niveau|en matière|"
    r"dans le cadre|du fait|lors|en vue|à l'aide|au-delà|vis-à-vis) d(?:es|e|u|')|en tant qu(?:e|')|"
    r"(?:grâce|quant|par rapport) (?:à|aux|au)|de façon|de manière|en effet|en fait|par exemple|"
    r"c'est-à-dire|tout à fait|en outre|par ailleurs|(?:à|a) peu (?:près|pres)|dans la dur(?:é|e)e|"
    r"(?:veut|veulent|voulait|vouloir) dire|au fil d(?:u temps|es ans|es années|es annees)|"
    r"(?:a|ont|aura|auront|avait|avaient|avoir|a eu|ont eu) lieu)"
    r"(?=\W|$|(?<='))")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:h\d{0,2})?(?![^\W\d_])|[^\W_]+(?:-[^\W_]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:h\d{0,2})?")
_CAPITALS = re.compile(r"\b[A-Z]{2,4}\b")
# A pronoun after a verb's hyphen ("doit-on", "a-t-il", "est-ce", "dis-moi", "elle-même"): the
# two are no compound word. Other stopwords join one ("one-by-one", "end-of-life", "vis-à-vis").
_CLITICS = frozenset({"je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "ce", "t", "moi",
                      "toi", "lui", "leur", "y", "en", "le", "la", "les", "ci", "meme", "memes"})
# Storage units after a number, as written ("3 To" would otherwise lose its English stopword
# "to"): each also indexes the full word, so "3 To" meets "téraoctet".
_UNIT = re.compile(r"(?<=\d)\s?(To|Go|Mo|Ko|Po|TB|GB|MB|KB)\b")
# "Elle s'adresse aux agents" says who a page is for, as "destiné à" does; "adresse" alone is
# an address. So the reflexive verb is indexed as "destiné", in notes and questions alike.
_AIMED_AT = re.compile(r"\bs['’](adress(?:e|ent|ait|aient|era|eront|er))\b", re.I)
_UNIT_WORDS = {"To": "téraoctet", "TB": "téraoctet", "Go": "gigaoctet", "GB": "gigaoctet",
               "Mo": "mégaoctet", "MB": "mégaoctet", "Ko": "kilooctet", "KB": "kilooctet",
               "Po": "pétaoctet"}


def fold(text: str) -> str:
    """Lowercase, no accents, one kind of apostrophe: what both notes and questions go through."""
    return strip_marks(lower(text))


def lower(text: str) -> str:
    """Lowercase with one kind of apostrophe and space, accents kept (the stemmer needs them)."""
    return unicodedata.normalize("NFC", text.casefold().translate(_FOLD))


def strip_marks(text: str) -> str:
    if text.isascii():  # most words: nothing to strip
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


@cache
def data_digest(data: Path = DATA) -> str:
    """A short digest of the word lists the analyzer reads (stopwords, stem overrides): editing
    one changes every analyzer's signature, so saved indexes are rebuilt."""
    digest = hashlib.sha256()
    for path in sorted([*data.glob("stopwords-*.txt"), *data.glob("stems-*.txt")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _word_lines(name: str) -> list[str]:
    """The lines of a word list in bot/data that are not comments ([] when there is no such list)."""
    try:
        data = (DATA / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [line for line in data.splitlines() if line.strip() and not line.startswith("#")]


@cache
def stem_overrides(language: str) -> dict[str, str]:
    """Folded word -> stem, for words whose Snowball stem is another word's: "données" (data)
    stems like "don" (gift), as Lucene's StemmerOverrideFilter fixes such cases."""
    pairs = (line.split() for line in _word_lines(f"stems-{language}.txt"))
    return {strip_marks(word): stem for word, stem in pairs}


@cache
def stopwords(language: str) -> frozenset[str]:
    return frozenset(w for line in _word_lines(f"stopwords-{language}.txt") for w in line.split())


def blank_locutions(text: str) -> str:
    """Lowercased text with its grammatical locutions blanked ("au cours de" -> spaces), so the
    other words keep their offsets."""
    return _LOCUTIONS.sub(lambda m: " " * len(m.group(0)), text)


def prepared(text: str) -> str:
    """The text as the analyzer reads its words: lowercased, "n't" dropped (so "don't" is not
    the French "don"), locutions blanked."""
    return blank_locutions(_CONTRACTION.sub("", lower(text)))


def _shouting(text: str) -> bool:
    """Most of several words in capitals: "QUEL EST LE PRIX", not "IT" or "son SI"."""
    words = re.findall(r"[^\W\d_]+", text)
    return len(words) >= 3 and sum(w.isupper() for w in words) > len(words) / 2


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
        self.stop = frozenset().union(*(stopwords(lang) for lang in ("fr", "en"))) - FRENCH_WORDS
        self._stemmer = Stemmer.Stemmer(_STEMMERS.get(self.languages[0], "french"))
        self._overrides = stem_overrides(self.languages[0])
        self._stem_cache: dict[str, str] = {}
        # The stems of the override list: words kept apart on purpose, never each other's family.
        self.kept_apart = frozenset(self._overrides.values())

    @property
    def signature(self) -> str:
        return f"v{ANALYZER_VERSION}:{','.join(self.languages)}:{data_digest()}"

    def words(self, text: str) -> list[Word]:
        """Every kept word with its term; a hyphenated compound also yields its parts."""
        original, text = text, prepared(text)
        aimed = {m.start(1) for m in _AIMED_AT.finditer(text)} if "adress" in text else ()
        out = []
        for match in _TOKEN.finditer(text):
            token = match.group(0)
            if match.start() in aimed:
                out.append(Word(strip_marks(token), self.stem("destiné"), match.start(), match.end()))
                continue
            if _NUMBER.fullmatch(token):
                out.append(Word(token, token.replace(",", "."), match.start(), match.end()))
                continue
            parts = token.split("-")
            folded = [strip_marks(p) for p in parts]
            for part, plain in zip(parts if len(parts) > 1 else (), folded, strict=False):
                if len(plain) > 1 and plain not in self.stop:
                    out.append(Word(plain, self.stem(part), match.start(), match.end()))
            whole = "".join(folded)
            if any(p in _CLITICS and p in self.stop for p in folded[1:]) or len(whole) < 2:
                continue  # doit-on, a-t-il, est-ce: a verb and its pronoun are not one word
            if whole not in self.stop:
                out.append(Word("-".join(folded), self.stem("".join(parts)), match.start(), match.end()))
        for match in self._capital_stopwords(original):
            word = match.group(0).lower()
            out.append(Word(word, word, match.start(), match.end()))
        for match in _UNIT.finditer(original):
            unit = match.group(1)
            out.append(Word(unit.lower(), self.stem(_UNIT_WORDS[unit]), match.start(1), match.end(1)))
        return out

    def acronyms(self, text: str) -> set[str]:
        """The stopwords `text` writes in capitals, as acronyms: {"it"} for "Green IT"."""
        return {m.group(0).lower() for m in self._capital_stopwords(text)}

    def _capital_stopwords(self, text: str) -> list[re.Match]:
        """"Green IT", "son SI", "marquage CE", "norme EN 301 549": a stopword in capitals is an
        acronym, unless the whole text is in capitals (then capitals say nothing)."""
        found = [m for m in _CAPITALS.finditer(text) if m.group(0).lower() in self.stop]
        if found and _shouting(text):
            return []
        return found

    def terms(self, text: str) -> list[str]:
        return [w.term for w in self.words(text)]

    def _masculine(self, stem: str) -> str:
        """A feminine agent noun's stem as its masculine one, as Snowball does for some and not
        others: "formatrice" (formatric) is "formateur", "directrice" "directeur",
        "ambassadrice" "ambassadeur" ("cheffe", "autrice" are in the override list)."""
        if self.languages[0] == "fr" and len(stem) >= 7 and stem.endswith(("tric", "dric")):
            return stem[:-3] + "eur"
        return stem

    def stem(self, word: str) -> str:
        """Snowball on the accented word (its rules need the accents: créée, utilisée), then fold."""
        stem = self._stem_cache.get(word)
        if stem is None:
            if word.isdigit() or len(word) <= 2:
                stem = strip_marks(word)
            else:
                folded = strip_marks(word)
                stem = self._overrides.get(folded) or self._masculine(strip_marks(self._stemmer.stemWord(word)))
            if len(self._stem_cache) >= STEM_CACHE:
                self._stem_cache.clear()  # a vocabulary's words are few; a flood of new ones starts over
            self._stem_cache[word] = stem
        return stem
