"""Retrieval evaluation: questions file, correctness of a hit, figures, and `notesbot eval` itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.evaluation import (
    EvalError,
    EvalQuestion,
    check_corpora,
    evaluate,
    is_correct,
    load_questions,
    normalise,
    report_lines,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIGURES = re.compile(r"^hit@1 (\d\.\d{3})   hit@3 (\d\.\d{3})   hit@5 (\d\.\d{3})   MRR@5 (\d\.\d{3})$", re.M)


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "questions.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_load_questions() -> None:
    questions = load_questions(FIXTURES / "eval" / "questions.yaml")
    assert len(questions) == 5
    first = questions[0]
    assert first.expect == [("garden", "vault/Notes/L'Académie du numérique.md")]
    assert (first.kind, first.must_contain) == ("question", "d'une  DURÉE de 30 minutes")
    assert questions[1].expect[1] == ("garden", "vault/Notes/Recyclage des ordinateurs.md")
    assert questions[4].must_contain == ""


@pytest.mark.parametrize(("text", "message"), [
    ("- q: [unclosed\n", "not valid YAML"),
    ("q: a mapping\n", "non-empty YAML list"),
    ("[]\n", "non-empty YAML list"),
    ("- q: x\n", "question 1 needs 'q' and 'expect'"),
    ("- q: x\n  expect: notes/a.md\n", "corpus/<name>/<path>"),
    ("- q: x\n  expect: corpus/a.md\n", "corpus/<name>/<path>"),
    ("- q: ok\n  expect: corpus/a/b.md\n- just a string\n", "question 2"),
    (b"- q: caf\xe9\n  expect: corpus/a/b.md\n", "not UTF-8"),
])
def test_a_bad_questions_file_is_a_clear_error(tmp_path: Path, text: str | bytes, message: str) -> None:
    with pytest.raises(EvalError, match=re.escape(message)):
        load_questions(write(tmp_path, text))


def test_a_missing_questions_file(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="cannot read"):
        load_questions(tmp_path / "nope.yaml")
    with pytest.raises(EvalError, match="cannot read"):
        load_questions(tmp_path)  # a folder


@pytest.mark.parametrize(("phrase", "text"), [
    ("d'une durée", "D’une  DURÉE"),
    ("créé en 2018", "cree en\u00a02018"),
    ("**Licence** CC BY-NC-ND 4.0", "licence cc by-nc-nd 4.0"),
    ("[le MOOC](https://x.org)", "le mooc"),
    ("Designer d'interaction, [Computed·By", "Designer d’interaction, Computed·By"),  # half a link
    ("Fondateur & directeur, [EPFL+ECAL Lab]", "fondateur & directeur, EPFL+ECAL Lab"),
])
def test_normalise_folds_case_spaces_apostrophes_and_markup(phrase: str, text: str) -> None:
    assert normalise(phrase) == normalise(text)


def test_is_correct_maps_corpus_names_to_root_folders() -> None:
    question = EvalQuestion("q", [("minumeco", "content/a.md"), ("seeds", "002.md")], "30 minutes")
    hit = {"corpus": "/data/gardens/minumeco", "path": "content/a.md", "heading": "MOOC",
           "text": "Durées : 30\u00a0Minutes ou 4 heures"}
    roots = ["/data/gardens/minumeco"]
    assert is_correct(question, hit, roots)
    assert not is_correct(question, dict(hit, corpus="/elsewhere/museumxtd"), roots)
    assert not is_correct(question, dict(hit, path="content/b.md"), roots)
    assert not is_correct(question, dict(hit, text="4 heures"), roots)
    assert is_correct(EvalQuestion("q", [("seeds", "002.md")], ""), {"corpus": "/s/seeds", "path": "002.md"}, roots)
    assert is_correct(EvalQuestion("q", [("minumeco", "content/a.md")], "mooc"), dict(hit, text=""), roots)
    # the answer shows its links: an address copied from the note's Markdown is in the answer
    site = EvalQuestion("q", [("minumeco", "content/a.md")], "institutnr-ch.org")
    assert not is_correct(site, hit, roots)
    assert is_correct(site, dict(hit, links=[{"text": "INR suisse", "url": "https://institutnr-ch.org/"}]), roots)


def test_figures_from_ranks() -> None:
    questions = [EvalQuestion(f"q{i}", [("c", f"{i}.md")], "", kind) for i, kind in
                 enumerate(["keyword", "keyword", "english", "english", "typo"])]
    ranks = {"q0": 1, "q1": 2, "q2": None, "q3": 5, "q4": 3}

    def ask(question: str) -> list[dict]:
        wanted = ranks[question]
        i = question[1:]
        hits = [{"corpus": "/x/c", "path": f"other{j}.md", "heading": "", "text": ""} for j in range(5)]
        if wanted:
            hits[wanted - 1] = {"corpus": "/x/c", "path": f"{i}.md", "heading": "", "text": ""}
        return hits

    result = evaluate(questions, ask, ["/x/c"])
    assert result.ranks == [1, 2, None, 5, 3]
    assert (result.hit_at(1), result.hit_at(3), result.hit_at(5)) == (0.2, 0.6, 0.8)
    assert result.mrr == pytest.approx((1 + 1 / 2 + 1 / 5 + 1 / 3) / 5)
    lines = report_lines(result)
    assert lines[0] == "notesbot: 5 questions"
    assert lines[1] == "hit@1 0.200   hit@3 0.600   hit@5 0.800   MRR@5 0.407"
    assert lines[2] == "hit@3 by kind: english 0/2, keyword 2/2, typo 1/1"
    assert lines[3:] == ["not first:", "  [rank 2] q1  (first: c/other0.md)", "  [missed] q2  (first: c/other0.md)",
                         "  [rank 5] q3  (first: c/other0.md)", "  [rank 3] q4  (first: c/other0.md)"]
    empty = evaluate(questions[:1], lambda q: [], ["/x/c"])
    assert empty.ranks == [None] and empty.firsts == ["(nothing)"]


def test_check_corpora_names_the_missing_roots() -> None:
    questions = [EvalQuestion("q", [("garden", "a.md"), ("seeds", "b.md")], "")]
    assert check_corpora(questions, [Path("/x/garden")]) == ["seeds"]
    assert check_corpora(questions, [Path("/x/garden"), Path("/y/seeds")]) == []


def test_notesbot_eval_on_the_fixture_gardens(garden: Path, make_hazard_garden, cli, tmp_path: Path) -> None:
    hazards = make_hazard_garden(tmp_path / "corpora")
    result = cli("eval", str(FIXTURES / "eval" / "questions.yaml"), "--corpus", str(garden),
                 "--corpus", str(hazards), "--baseline")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("notesbot: 5 questions\n")
    figures = FIGURES.findall(out)
    assert len(figures) == 2  # notesbot, then the plain rank-bm25 baseline
    assert figures[0] == ("0.800", "0.800", "0.800", "0.800")  # the fifth question expects a wrong note
    assert "[missed] formulaire de contact  (first: " in out
    assert "plain rank-bm25 on lowercase words: 5 questions" in out
    assert result.stderr == ""


def test_notesbot_eval_warns_about_a_corpus_it_was_not_given(garden: Path, cli) -> None:
    result = cli("eval", str(FIXTURES / "eval" / "questions.yaml"), "--corpus", str(garden))
    assert result.returncode == 0, result.stderr
    assert "no --corpus folder is named hazards" in result.stderr
    assert FIGURES.search(result.stdout).groups()[0] == "0.600"


def test_notesbot_eval_on_the_shared_questions(shared_dir: Path, cli) -> None:
    """It runs on the real gardens and prints the figures (no threshold: ranking is being tuned)."""
    corpora = shared_dir / "corpora"
    result = cli("eval", str(shared_dir / "eval" / "questions.yaml"), "--corpus", str(corpora / "seeds"),
                 "--corpus", str(corpora / "minumeco"), "--corpus", str(corpora / "museumxtd"))
    assert result.returncode == 0, result.stderr
    assert re.search(r"^notesbot: \d+ questions$", result.stdout, re.M)
    (figures,) = FIGURES.findall(result.stdout)
    assert all(0.0 <= float(x) <= 1.0 for x in figures)
    assert "hit@3 by kind: " in result.stdout
    assert "warning" not in result.stderr


def test_notesbot_eval_on_one_language_with_and_without_question_understanding(garden: Path, cli,
                                                                              tmp_path: Path) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(
        "- q: how long is the awareness MOOC?\n"
        "  expect: corpus/garden/vault/Notes/L'Académie du numérique.md\n  must_contain: 30 minutes\n  lang: en\n"
        "- q: effacer les disques durs avant de donner un ordinateur\n"
        "  expect: [corpus/garden/vault/Notes/Le réemploi.md, corpus/garden/vault/Notes/Recyclage des ordinateurs.md]\n"
        "  must_contain: Effacer les disques durs\n  lang: fr\n", encoding="utf-8")
    full = cli("eval", str(questions), "--corpus", str(garden), "--lang", "fr")
    assert full.returncode == 0, full.stderr
    assert full.stdout.startswith("notesbot: 1 questions\n")
    plain = cli("eval", str(questions), "--corpus", str(garden), "--lang", "fr", "--plain")
    assert plain.returncode == 0 and FIGURES.findall(plain.stdout)
    missing = cli("eval", str(questions), "--corpus", str(garden), "--lang", "de")
    assert missing.returncode == 2 and "no question has lang: de" in missing.stderr


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).resolve().parent.parent / "eval")
                                         .glob("*-questions.yaml")))
def test_our_question_sets_point_at_real_notes_and_phrases(shared_dir: Path, name: str) -> None:
    """Every expected note exists, and the expected phrase is in one of them: a typo in the data
    would make a question unanswerable and the figures wrong."""
    questions = load_questions(Path(__file__).resolve().parent.parent / "eval" / name)
    assert questions and all(q.lang in ("fr", "en") for q in questions)
    for q in questions:
        paths = [shared_dir / "corpora" / corpus / path for corpus, path in q.expect]
        assert all(p.is_file() for p in paths), q.q
        raws = [p.read_text(encoding="utf-8") for p in paths]
        # in the text, or in a link's address (a hit's links count: see is_correct)
        assert any(normalise(q.must_contain) in normalise(raw) or q.must_contain in raw for raw in raws), q.q
