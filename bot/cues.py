"""Expected answer types: a question asking "when", "how many" or "how long" wants a passage that
states a year, a number or a duration. Passages carry one marker term per type they contain
(indexed like words, so BM25 statistics stay honest); questions that ask for a type look for it.
"""

from __future__ import annotations

import re

YEAR = "#year"
NUMBER = "#number"
DURATION = "#duration"
PERCENT = "#percent"

_YEAR_RE = re.compile(r"(?<!\d)(?<!\d[.,])(?:1[89]|20)\d\d(?!\d)(?![.,]\d)")
_NUMBER_RE = re.compile(r"\d")
_PERCENT_RE = re.compile(r"\d\s*%|\d\s*(?:pour ?cent|percent)\b", re.I)
_UNITS = (r"h|min|mn|minutes?|heures?|jours?|semaines?|mois|ans?|années?|hours?|days?|weeks?|"
          r"months?|years?|secondes?|seconds?")
_DURATION_RE = re.compile(rf"\b\d+(?:[.,]\d+)?\s*(?:{_UNITS})\b|\b\d+h\d*\b", re.I)

_WHEN = {"quand", "when"}
# Raw question words (folded) or word pairs that ask for each type.
_ASKS = {
    YEAR: (set(), {("quelle", "annee"), ("en", "quelle"), ("what", "year"), ("which", "year"),
                               ("quelle", "date"), ("what", "date"), ("depuis", "quand"), ("since", "when")}),
    NUMBER: ({"combien", "montant", "nombre"},
             {("how", "many"), ("how", "much"), ("quel", "prix"), ("what", "price"), ("de", "combien")}),
    PERCENT: ({"pourcentage", "percentage", "proportion"},
              {("quelle", "part"), ("what", "share"), ("what", "part")}),
    DURATION: ({"duree", "durer", "dure", "long"},
               {("combien", "temps"), ("how", "long"), ("quelle", "heure"), ("what", "time"),
                ("how", "often"), ("quelle", "frequence")}),
}


def markers(text: str) -> list[str]:
    """The answer types a passage's text states, one marker each."""
    found = []
    if _YEAR_RE.search(text):
        found.append(YEAR)
    if _NUMBER_RE.search(text):
        found.append(NUMBER)
    if _DURATION_RE.search(text):
        found.append(DURATION)
    if _PERCENT_RE.search(text):
        found.append(PERCENT)
    return found


def asked(raw: list[str]) -> list[str]:
    """The answer types a question (folded raw words, stopwords kept) asks for."""
    pairs = set(zip(raw, raw[1:], strict=False))
    wanted = []
    # "quand"/"when" asks for a date where it opens the question ("Quand a été créé…", "Since when"),
    # not where it joins two clauses ("faut-il … quand on offre …").
    if _WHEN.intersection(raw[:2]):
        wanted.append(YEAR)
    for marker, (words, word_pairs) in _ASKS.items():
        if marker not in wanted and (words.intersection(raw) or word_pairs & pairs):
            wanted.append(marker)
    if DURATION in wanted and "long" in raw and ("how", "long") not in pairs:
        wanted.remove(DURATION)  # "long" alone is an adjective, not "how long"
    if NUMBER in wanted and (DURATION in wanted or YEAR in wanted or PERCENT in wanted):
        wanted.remove(NUMBER)  # the more precise type says it already
    return wanted
