"""Engine: title suggestions as before their speed-up (shared words first, then difflib's ratio)."""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

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


def test_a_longer_answer_starts_with_the_shorter_one(shared_dir, index_root):
    """`ask --top 10` lists the same first five as `/ask`: the near-tie rules look at a fixed
    number of first results (search.TIE_TOP), not at as many as were asked for, which let a
    note's tenth passage jump to second place only in a long list."""
    from bot.evaluation import load_questions

    corpora = shared_dir / "corpora"
    engine, _ = Engine.open([corpora / "seeds", corpora / "minumeco", corpora / "museumxtd"], index_root)
    repo = Path(__file__).resolve().parent.parent
    sets = [shared_dir / "eval" / "questions.yaml", repo / "eval" / "sixtyfirst-questions.yaml"]
    for question in [q.q for path in sets for q in load_questions(path)]:
        five = [h.passage for h in engine.ask(question, 5).hits]
        for k in (10, 30):
            assert [h.passage for h in engine.ask(question, k).hits][:5] == five, (question, k)
