"""`notesbot bench` on a tiny synthetic garden prints every figure; the garden is reproducible."""

from __future__ import annotations

from bot.analysis import Analyzer
from bot.synthetic import STOPWORDS, make_questions, write_garden

FIGURES = (
    "notesbot bench: synthetic garden (seed 7):",
    "machine: ",
    "build (full index): ",
    "saved size on disk: ",
    "restart (new process: load + first answer): ",
    "index memory: ",
    "memory with question understanding: ",
    "query p50/p99 notesbot top_k",
    "query p50/p99 notesbot full search",
    "query p50/p99 rank-bm25 BM25Okapi.get_scores: ",
    "identical top-5 vs rank-bm25: yes (0 of 20 questions differ",
    "query p50/p99 bm25s",  # the figures, or how to install it
    "refresh after one note changed: ",
)


def test_bench_prints_every_figure(cli, tmp_path):
    # --index-dir names a folder that does not exist yet: bench creates it, as `index` does
    done = cli("bench", "--passages", "300", "--queries", "20", "--index-dir", str(tmp_path / "new" / "dir"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "new" / "dir").is_dir()
    lines = done.stdout.splitlines()
    for figure in FIGURES:
        assert any(line.startswith(figure) for line in lines), (figure, done.stdout)
    assert "(changed 1, added 0, removed 0" in done.stdout
    assert "the index was rebuilt" not in done.stdout


def test_bench_on_a_corpus_leaves_it_alone(cli, garden):
    before = {p: p.read_bytes() for p in garden.rglob("*") if p.is_file()}
    done = cli("bench", "--corpus", str(garden), "--queries", "10")
    assert done.returncode == 0, done.stderr
    assert "identical top-5 vs rank-bm25: yes" in done.stdout
    assert "refresh after one note changed: skipped" in done.stdout
    assert {p: p.read_bytes() for p in garden.rglob("*") if p.is_file()} == before


def test_synthetic_garden_is_reproducible(tmp_path):
    a = write_garden(tmp_path / "a", passages=120, seed=3)
    b = write_garden(tmp_path / "b", passages=120, seed=3)
    files = sorted(p.relative_to(a.root) for p in a.root.rglob("*.md"))
    assert files == sorted(p.relative_to(b.root) for p in b.root.rglob("*.md"))
    assert all((a.root / f).read_bytes() == (b.root / f).read_bytes() for f in files)
    assert a.passages == 120 and 120 / 6 <= a.notes <= 120 / 4 + 1
    other = write_garden(tmp_path / "c", passages=120, seed=4)
    assert (other.root / files[0]).read_bytes() != (a.root / files[0]).read_bytes()


def test_synthetic_notes_look_like_notes(tmp_path):
    info = write_garden(tmp_path / "g", notes=5, seed=1)
    assert info.notes == 5
    text = next(iter(sorted(info.root.rglob("*.md")))).read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: ") and "\ntags: [" in text and "\n# " in text and "\n## " in text
    words = text.lower().split()
    assert sum(w in STOPWORDS for w in words) > len(words) / 5  # function words are the most frequent


def test_questions_are_drawn_from_passages(tmp_path):
    passages = ["Le vélo de ville et le train régional pour aller au travail chaque matin.",
                "Une fresque du climat anime un atelier collectif."] * 10
    analyzer = Analyzer()
    first = make_questions(passages.__getitem__, len(passages), 30, seed=2, stop=analyzer.stop)
    assert first == make_questions(passages.__getitem__, len(passages), 30, seed=2, stop=analyzer.stop)
    assert len(first) == 30
    vocabulary = {w.lower().strip(".") for p in passages for w in p.split()}
    leads = {"comment", "pourquoi", "quel", "quelle", "où"}
    for question in first:
        words = [w for w in question.split() if w not in leads]
        assert 2 <= len(words) <= 6 and set(words) <= vocabulary
        assert not set(words) & analyzer.stop
    assert make_questions(lambda i: "", 3, 5) == []
