"""English -> French glossary for query translation: the project's own file, plus a community's."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import cache
from itertools import product
from pathlib import Path

from bot.analysis import DATA, fold

log = logging.getLogger(__name__)

BUNDLED = "glossary-en-fr.tsv"
MAX_PHRASE = 4  # longest English expression looked up, in words
# The particles of English phrasal verbs, which may come after the verb's object ("hand the old
# PCs over", "pick the waste up"), and how many words may stand between.
PARTICLES = frozenset({"up", "over", "away", "out", "off", "back", "down"})
PARTICLE_REACH = 6


class Glossary:
    """English words and expressions (folded, lemmatised) -> French translations."""

    def __init__(self, entries: dict[tuple[str, ...], list[str]]) -> None:
        self.entries = entries

    @classmethod
    def load(cls, paths: Iterable[Path] = ()) -> Glossary:
        """The bundled glossary, then each extra file (its lines win over the bundled ones)."""
        entries = dict(_bundled())
        for path in paths:
            try:
                entries.update(parse_glossary(path.read_text(encoding="utf-8")))
            except OSError as exc:
                log.warning("glossary %s not read: %s", path, exc.strerror or exc)
        return cls(entries)

    def lookup(self, words: list[str]) -> tuple[int, list[str]] | None:
        """The longest entry starting at words[0]: (number of words used, translations)."""
        for n in range(min(MAX_PHRASE, len(words)), 0, -1):
            for key in _variants(words[:n]):
                found = self.entries.get(key)
                if found:
                    return n, found
        return None

    def split_phrasal(self, words: list[str]) -> tuple[int, list[str]] | None:
        """A phrasal verb split by its object, "hand [its old IT equipment] over": (the
        particle's position, translations), from the entry "hand over"."""
        for j in range(2, min(len(words), PARTICLE_REACH + 2)):
            if words[j] in PARTICLES:
                for (verb,) in _variants(words[:1]):
                    found = self.entries.get((verb, words[j]))
                    if found:
                        return j, found
                return None  # the first particle decides: "pick it up and take it away"
        return None

    def __contains__(self, word: str) -> bool:
        return any(key in self.entries for key in _variants([word]))


@cache
def _bundled() -> dict[tuple[str, ...], list[str]]:
    return parse_glossary((DATA / BUNDLED).read_text(encoding="utf-8"))


def parse_glossary(text: str) -> dict[tuple[str, ...], list[str]]:
    """`english<TAB>french, french` lines; '#' comments and malformed lines are skipped."""
    entries: dict[tuple[str, ...], list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        english, french = line.split("\t", 1)
        key = tuple(fold(english).split())
        translations = [t.strip() for t in french.split(",") if t.strip()]
        if key and translations:
            entries[key] = translations
    return entries


def _variants(words: list[str]) -> list[tuple[str, ...]]:
    """The expression as written, then with its words lemmatised ("accounts for", "drives")."""
    options = [[w, *dict.fromkeys(english_lemmas(w))] for w in words]
    out = [tuple(words)]
    for combo in product(*options):
        if combo not in out:
            out.append(combo)
    return out


# Irregular English verb forms -> base form (the regular ones are handled by their endings).
_IRREGULAR = {
    "drew": "draw", "drawn": "draw", "wrote": "write", "written": "write", "made": "make",
    "took": "take", "taken": "take", "gave": "give", "given": "give", "found": "find",
    "built": "build", "bought": "buy", "sold": "sell", "held": "hold", "led": "lead",
    "began": "begin", "begun": "begin", "chose": "choose", "chosen": "choose", "grew": "grow",
    "grown": "grow", "kept": "keep", "left": "leave", "meant": "mean", "paid": "pay", "ran": "run",
    "said": "say", "saw": "see", "seen": "see", "sent": "send", "spent": "spend", "stood": "stand",
    "taught": "teach", "thought": "think", "told": "tell", "understood": "understand", "went": "go",
    "gone": "go", "won": "win", "brought": "bring", "came": "come", "felt": "feel", "knew": "know",
    "known": "know", "lost": "lose", "met": "meet", "shown": "show", "spoke": "speak",
    "spoken": "speak", "threw": "throw", "thrown": "throw", "broke": "break", "broken": "break",
    "fell": "fall", "fallen": "fall", "drove": "drive", "driven": "drive", "got": "get",
    "gotten": "get", "hid": "hide", "hidden": "hide", "rose": "rise", "risen": "rise",
    "sought": "seek", "struck": "strike", "swore": "swear", "tore": "tear", "wore": "wear",
    "worn": "wear", "did": "do", "done": "do", "had": "have", "fed": "feed", "bred": "breed",
    "dealt": "deal", "dug": "dig", "fought": "fight", "forgot": "forget", "forgotten": "forget",
    "hung": "hang", "lent": "lend", "lit": "light", "overcame": "overcome", "shook": "shake",
    "shut": "shut", "slept": "sleep", "sped": "speed", "stole": "steal", "stolen": "steal",
    "undertook": "undertake", "withdrew": "withdraw", "children": "child", "people": "person",
    "men": "man", "women": "woman"}


def english_lemmas(word: str) -> list[str]:
    """Candidate base forms: irregular verbs (drew, built), then the regular English endings:
    -s, -es, -ies, -ed, -ing, -'s."""
    out = [_IRREGULAR[word]] if word in _IRREGULAR else []
    rules = (("ies", "y"), ("ied", "y"), ("sses", "ss"), ("es", ""), ("s", ""), ("ing", ""),
             ("ing", "e"), ("ed", ""), ("ed", "e"), ("er", ""), ("est", ""))
    for suffix, repl in rules:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + repl
            out.append(stem)
            if re.search(r"([b-df-hj-np-tv-z])\1$", stem):  # stopped -> stopp -> stop
                out.append(stem[:-1])
    return out


# English endings and the French ones of the same Latin or Greek word ("psychological" ->
# "psychologique", "geographically" -> "géographiquement", "natively" -> "nativement"), longest
# first; the endings that French shares ("distance", "information") need no rule.
_COGNATE_ENDINGS = (
    ("ically", "iquement"), ("ization", "isation"), ("isation", "isation"), ("ical", "ique"),
    ("ally", "alement"), ("ively", "ivement"), ("ously", "eusement"), ("ity", "ité"), ("ism", "isme"),
    ("ist", "iste"), ("ous", "eux"), ("ive", "if"), ("ize", "iser"), ("ary", "aire"), ("ory", "oire"),
    ("ic", "ique"), ("al", "el"), ("y", "ie"))


def french_cognates(word: str) -> list[str]:
    """The French spelling an English word the glossary lacks may have, by its longest known
    ending ([] for none); the notes say whether it exists."""
    for end, french in _COGNATE_ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 4:
            return [word[: -len(end)] + french]
    return []
