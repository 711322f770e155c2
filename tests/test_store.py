"""The saved index: a memory-mapped round trip, stale and damaged indexes rebuilt, atomic writes."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

import bot.notes as notes_module
import bot.store as store_module
from bot.engine import Engine, index_dir_for
from bot.index import TermCounts, build_postings
from bot.store import FORMAT_VERSION, StoreError, current_folder, load_index, write_index

DOCS = [["velo", "train", "velo"], [], ["train", "bus"], ["vélo", "日本", "bus", "bus"], ["marche"]]
QUESTIONS = [["velo"], ["bus", "train"], ["日本"], ["absent"], ["vélo", "marche", "velo"]]


def save(base: Path, docs=DOCS, title: str = "t") -> Path:
    counts = TermCounts.from_tokens(docs)
    postings = build_postings(counts)
    new_id = {t: i for i, t in enumerate(postings.vocab)}
    remap = np.asarray([new_id[t] for t in counts.vocab], np.int32)
    counts = TermCounts(postings.vocab, counts.doc_ptr, remap[counts.doc_terms], counts.doc_tfs)
    notes = [{"title": title, "path": "a.md", "first": 0, "count": len(docs)}]
    lines = [json.dumps({"text": " ".join(d)}, ensure_ascii=False).encode() + b"\n" for d in docs]
    return write_index(base, {"roots": []}, postings, counts, np.zeros(len(docs), np.int32), notes,
                       {"problems": []}, lines)


def test_round_trip_is_memory_mapped_and_equal(tmp_path):
    base = tmp_path / "index"
    save(base)
    expected = build_postings(TermCounts.from_tokens(DOCS))
    files = load_index(base)
    loaded = files.postings
    assert isinstance(loaded.post_docs.base, np.memmap) and isinstance(loaded.post_weights.base, np.memmap)
    assert list(loaded.vocab) == list(expected.vocab)
    for name in ("idf", "post_ptr", "post_docs", "post_weights", "doc_len", "term_max"):
        assert np.array_equal(getattr(loaded, name), getattr(expected, name)), name
    assert (loaded.avgdl, loaded.average_idf) == (expected.avgdl, expected.average_idf)
    for query in QUESTIONS:
        assert loaded.top_k(query, 3) == expected.top_k(query, 3)
        assert np.array_equal(loaded.get_scores(query), expected.get_scores(query))
    assert loaded.term_ids.get("日本") == expected.term_ids["日本"] and loaded.term_ids.get("nope") is None
    assert files.passage(3) == {"text": "vélo 日本 bus bus"}
    assert len(files.notes) == 1 and files.notes[0]["title"] == "t"  # read on first use
    assert files.counts.doc_tokens(0) == {"velo": 2, "train": 1}
    files.close()


def test_notes_table_stays_readable_after_its_version_is_removed(tmp_path):
    base = tmp_path / "index"
    save(base, title="first")
    files = load_index(base)
    save(base, title="second")
    save(base, title="third")  # the first version's folder is gone now
    assert not files.folder.exists()
    assert files.notes[0]["title"] == "first"
    assert files.passage(0) == {"text": "velo train velo"}


def test_older_format_and_garbage_are_refused(tmp_path):
    base = tmp_path / "index"
    folder = save(base)
    meta_path = folder / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps(dict(meta, format=FORMAT_VERSION - 1)))
    with pytest.raises(StoreError, match="format"):
        load_index(base)
    for garbage in ("{not json", "[1, 2]", json.dumps({"format": FORMAT_VERSION})):
        meta_path.write_text(garbage)
        with pytest.raises(StoreError):
            load_index(base)


@pytest.mark.parametrize("name", ["post_docs.npy", "post_weights.npy", "terms_keys.npy", "terms.txt",
                                  "passages.jsonl", "notes.json", "passage_offsets.npy"])
def test_truncated_files_are_refused(tmp_path, name):
    base = tmp_path / "index"
    folder = save(base)
    path = folder / name
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(StoreError, match="damaged"):
        load_index(base)


def test_missing_files_are_refused(tmp_path):
    base = tmp_path / "index"
    with pytest.raises(StoreError):
        load_index(base)
    folder = save(base)
    (folder / "post_ptr.npy").unlink()
    with pytest.raises(StoreError):
        load_index(base)
    (base / "CURRENT").write_text("../elsewhere")
    with pytest.raises(StoreError):
        load_index(base)


def test_a_failed_write_leaves_the_previous_version(tmp_path, monkeypatch):
    base = tmp_path / "index"
    save(base, title="old")
    before = current_folder(base)
    real_save = np.save
    calls = []

    def failing_save(path, array, *args, **kwargs):
        calls.append(path)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        return real_save(path, array, *args, **kwargs)

    monkeypatch.setattr(store_module.np, "save", failing_save)
    with pytest.raises(OSError):
        save(base, docs=[["autre"]], title="new")
    monkeypatch.undo()
    assert len(calls) == 2
    assert current_folder(base) == before
    files = load_index(base)
    assert files.notes[0]["title"] == "old" and files.postings.top_k(["velo"], 1)[0][0] == 0
    assert sorted(p.name for p in base.iterdir()) == sorted(["CURRENT", before.name])  # no half version


# --- through the engine: a saved index is used only while it is the notes' index ---------------


def old_times(root: Path) -> None:
    """Files and folders dated a minute ago, as in a garden not edited during the build."""
    past = time.time() - 60
    for path in [root, *root.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)


@pytest.fixture
def garden_copy(tmp_path: Path, copy_garden) -> Path:
    root = copy_garden("garden", tmp_path / "corpora")
    old_times(root)
    return root


def test_a_fresh_index_is_reused_without_listing_the_notes(garden_copy, index_root, monkeypatch):
    engine, report = Engine.open([garden_copy], index_root)
    assert report is not None and report.full
    engine.close()

    def no_listing(*args, **kwargs):
        raise AssertionError("the notes were listed: the stamp should have answered")

    monkeypatch.setattr(notes_module, "discover", no_listing)
    engine, report = Engine.open([garden_copy], index_root)
    assert report is None
    assert engine.ask("Écoindex").hits
    engine.close()


def test_a_restarted_engine_answers_without_reading_the_note_table(garden_copy, index_root):
    """Parsing the note table is most of loading a big garden (0.1 s at 100,000 passages); the
    ranking's note lengths and note openings come from the passages' note numbers instead.
    (Wiki links in a passage and title suggestions do read it.)"""
    Engine.open([garden_copy], index_root)[0].close()
    engine, report = Engine.open([garden_copy], index_root)
    assert report is None
    for question in ("Écoindex", "la note de l'Académie du Numérique"):  # a name: the note openings
        assert engine.ask(question).hits
    assert engine.searcher.files.notes._notes is None
    engine.close()


@pytest.mark.parametrize("change", ["edit", "same-size edit", "new note", "removed note", "renamed folder"])
def test_a_stale_index_is_detected_and_refreshed(garden_copy, index_root, change):
    engine, _ = Engine.open([garden_copy], index_root)
    engine.close()
    note = garden_copy / "vault" / "Notes" / "Le réemploi.md"
    if change == "edit":
        note.write_text(note.read_text(encoding="utf-8") + "\nLe zorglub se répare.\n", encoding="utf-8")
    elif change == "same-size edit":
        text = note.read_bytes()
        note.write_bytes(text[:-2] + b"X\n")
        later = time.time() + 5
        os.utime(note, (later, later))
    elif change == "new note":
        (garden_copy / "vault" / "Notes" / "Zorglub.md").write_text("# Zorglub\n\nLe zorglub.\n", encoding="utf-8")
    elif change == "removed note":
        note.unlink()
    else:
        (garden_copy / "vault" / "Brouillon").rename(garden_copy / "vault" / "Ebauches")
    engine, report = Engine.open([garden_copy], index_root)
    assert report is not None and not report.full
    assert report.changed or report.added or report.removed
    if change in ("edit", "new note"):
        assert engine.ask("zorglub").hits
    engine.close()
    _, again = Engine.open([garden_copy], index_root)
    assert again is None


@pytest.mark.parametrize("damage", ["truncate array", "truncate passages", "garbage meta", "old format"])
def test_a_damaged_index_is_rebuilt_not_trusted(garden_copy, index_root, damage):
    engine, _ = Engine.open([garden_copy], index_root)
    expected = [h.as_json() for h in engine.ask("réemploi des ordinateurs").hits]
    engine.close()
    folder = current_folder(index_dir_for([garden_copy], index_root))
    if damage == "truncate array":
        path = folder / "post_weights.npy"
        path.write_bytes(path.read_bytes()[:-8])
    elif damage == "truncate passages":
        path = folder / "passages.jsonl"
        path.write_bytes(path.read_bytes()[:-10])
    elif damage == "garbage meta":
        (folder / "meta.json").write_text("\x00garbage")
    else:
        meta = json.loads((folder / "meta.json").read_text())
        (folder / "meta.json").write_text(json.dumps(dict(meta, format=1)))
    engine, report = Engine.open([garden_copy], index_root)
    assert report is not None and report.full
    assert [h.as_json() for h in engine.ask("réemploi des ordinateurs").hits] == expected
    engine.close()


def test_the_stamp_is_renewed_when_only_folders_changed(garden_copy, index_root, monkeypatch):
    Engine.open([garden_copy], index_root)[0].close()
    past = time.time() - 30
    for folder in [garden_copy, *(p for p in garden_copy.rglob("*") if p.is_dir())]:
        os.utime(folder, (past, past))  # as when a non-note file came and went
    engine, report = Engine.open([garden_copy], index_root)  # notes listed again: still fresh
    assert report is None
    engine.close()
    monkeypatch.setattr(notes_module, "discover", lambda *a, **k: pytest.fail("the notes were listed"))
    engine, report = Engine.open([garden_copy], index_root)
    assert report is None
    engine.close()
