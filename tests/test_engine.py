"""Engine: title suggestions as before their speed-up (shared words first, then difflib's ratio)."""

from __future__ import annotations

from difflib import SequenceMatcher

import pytest

from bot.engine import Engine

TEXTS = ["réemploi", "fiche ecoindx", "Académie numérique", "zzz", "recyclage ordinateur réemploi",
         "formation", "Le reemploi", "", "contact guide", "événement APNR"]


def naive_suggestions(engine: Engine, text: str, n: int = 3) -> list[str]:
    """Engine.suggest_titles before it was made fast, as the reference."""
    analyzer = engine.searcher.analyzer
    wanted = set(analyzer.terms(text))
    titles = sorted({note["title"] for note in engine.files.notes}, key=str.casefold)
    scored = []
    for title in titles:
        shared = len(wanted & set(analyzer.terms(title)))
        ratio = SequenceMatcher(None, text.casefold(), title.casefold()).ratio()
        scored.append((shared, ratio, title))
    scored.sort(key=lambda x: (-x[0], -x[1]))
    return [t for s, r, t in scored[:n] if s or r > 0.4]


@pytest.mark.parametrize("n", [1, 3, 6])
def test_suggestions_are_the_same_as_the_plain_computation(garden, index_root, n):
    engine, _ = Engine.open([garden], index_root)
    assert engine.titles() == sorted({note["title"] for note in engine.files.notes}, key=str.casefold)
    for text in TEXTS:
        assert engine.suggest_titles(text, n) == naive_suggestions(engine, text, n), text
    engine.close()
