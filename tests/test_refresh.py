"""Incremental refresh: only changed notes are read again, and the result is a full rebuild's."""

from __future__ import annotations

import numpy as np
import pytest

import bot.notes as notes_module
from bot.engine import Engine, index_dir_for
from bot.refresh import CorpusError
from bot.store import current_folder, load_index

QUESTIONS = ["réemploi des ordinateurs", "Écoindex", "formations numériques", "zorglub", "académie"]


@pytest.fixture
def garden_copy(tmp_path, copy_garden):
    return copy_garden("garden", tmp_path / "corpora")


def count_loads(monkeypatch) -> list[str]:
    loaded: list[str] = []
    real = notes_module.load_note

    def counting(config, source):
        loaded.append(source.rel)
        return real(config, source)

    monkeypatch.setattr(notes_module, "load_note", counting)
    return loaded


def edit_garden(root) -> None:
    changed = root / "vault" / "Notes" / "Le réemploi.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n## Zorglub\n\nLe zorglub se répare.\n",
                       encoding="utf-8")
    (root / "vault" / "Notes" / "Nouvelle.md").write_text("---\ntitle: Nouvelle note\n---\nUn zorglub neuf.\n",
                                                         encoding="utf-8")
    (root / "vault" / "Notes" / "Fiche Écoindex.md").unlink()


def test_refresh_reads_only_what_changed(garden_copy, index_root, monkeypatch):
    engine, first = Engine.open([garden_copy], index_root)
    edit_garden(garden_copy)
    loaded = count_loads(monkeypatch)
    new, report = engine.refreshed()
    assert sorted(loaded) == ["vault/Notes/Le réemploi.md", "vault/Notes/Nouvelle.md"]
    assert report.changed == [f"{garden_copy.name}/vault/Notes/Le réemploi.md"]
    assert report.added == [f"{garden_copy.name}/vault/Notes/Nouvelle.md"]
    assert report.removed == [f"{garden_copy.name}/vault/Notes/Fiche Écoindex.md"]
    assert report.reused == first.notes_after - 2 and not report.full
    assert report.notes_after == first.notes_after
    assert new.ask("zorglub").hits
    assert engine.ask("réemploi").hits  # the engine it replaces still answers
    engine.close()
    new.close()


def test_refresh_equals_a_full_rebuild(garden_copy, tmp_path, index_root):
    engine, _ = Engine.open([garden_copy], index_root)
    edit_garden(garden_copy)
    refreshed, _ = engine.refreshed()
    rebuilt, report = Engine.open([garden_copy], tmp_path / "elsewhere")
    assert report is not None and report.full
    a, b = refreshed.files, rebuilt.files
    assert list(a.postings.vocab) == list(b.postings.vocab)
    for name in ("idf", "post_ptr", "post_docs", "post_weights", "doc_len", "term_max"):
        assert np.array_equal(getattr(a.postings, name), getattr(b.postings, name)), name
    for name in ("doc_ptr", "doc_terms", "doc_tfs"):
        assert np.array_equal(getattr(a.counts, name), getattr(b.counts, name)), name
    assert np.array_equal(a.doc_note, b.doc_note)
    assert [a.passage(i) for i in range(a.postings.n_docs)] == [b.passage(i) for i in range(b.postings.n_docs)]
    skip = {"mtime_ns"}
    assert [{k: v for k, v in n.items() if k not in skip} for n in a.notes] == \
        [{k: v for k, v in n.items() if k not in skip} for n in b.notes]
    for question in QUESTIONS:
        assert [h.as_json() for h in refreshed.ask(question).hits] == [h.as_json() for h in rebuilt.ask(question).hits]
    for engine_ in (engine, refreshed, rebuilt):
        engine_.close()


def test_a_refresh_with_nothing_changed_reuses_everything(garden_copy, index_root, monkeypatch):
    engine, first = Engine.open([garden_copy], index_root)
    loaded = count_loads(monkeypatch)
    new, report = engine.refreshed()
    assert loaded == [] and report.reused == first.notes_after
    assert not (report.added or report.changed or report.removed)
    assert np.array_equal(new.files.postings.post_weights, engine.files.postings.post_weights)
    engine.close()
    new.close()


def test_a_failed_refresh_keeps_the_previous_index(garden_copy, index_root):
    engine, _ = Engine.open([garden_copy], index_root)
    folder = current_folder(index_dir_for([garden_copy], index_root))
    expected = [h.as_json() for h in engine.ask("réemploi").hits]
    garden_copy.rename(garden_copy.with_name("moved"))
    with pytest.raises(CorpusError, match="not found"):
        engine.refreshed()
    assert [h.as_json() for h in engine.ask("réemploi").hits] == expected
    assert current_folder(index_dir_for([garden_copy], index_root)) == folder
    files = load_index(index_dir_for([garden_copy], index_root))
    assert int(files.meta["passages"]) == engine.files.postings.n_docs
    files.close()
    engine.close()


def test_an_edit_to_the_code_that_builds_the_index_rebuilds_it(tmp_path) -> None:
    # Saved indexes are reused only under the same recipe; the source of the modules that turn
    # notes into terms is part of it, so an upgrade that forgets to bump RECIPE still rebuilds.
    from bot.analysis import Analyzer
    from bot.refresh import _BUILD_MODULES, code_digest, recipe

    before, after = tmp_path / "before", tmp_path / "after"
    for folder, extra in ((before, ""), (after, "# one more locution\n")):
        folder.mkdir()
        for name in _BUILD_MODULES:
            (folder / f"{name}.py").write_text(f"# {name}\n" + (extra if name == "analysis" else ""))
    assert code_digest(before) != code_digest(after)
    assert code_digest() in recipe(Analyzer())
