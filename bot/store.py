"""The saved index: plain files (JSON, JSON lines, .npy) in a version folder, switched atomically.

Layout of an index folder:
    CURRENT             name of the live version folder (replaced with os.replace)
    v<stamp>/meta.json  format version, parameters, fingerprint of the notes, counts
    v<stamp>/*.npy      postings and per-passage term counts (memory-mapped on load)
    v<stamp>/vocab.json, notes.json, report.json, passages.jsonl (+ passage_offsets.npy)
A reader follows CURRENT, so it sees the old version or the new one, never half of one.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.index import Postings, TermCounts

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
_ARRAYS = ("idf", "post_ptr", "post_docs", "post_weights", "doc_len", "doc_ptr", "doc_terms",
           "doc_tfs", "doc_note", "passage_offsets")


class StoreError(RuntimeError):
    """A saved index that cannot be used (missing, corrupt, older format); it gets rebuilt."""


@dataclass
class IndexFiles:
    """Everything an index is made of, in memory or memory-mapped."""

    meta: dict
    postings: Postings
    counts: TermCounts  # same vocabulary as postings
    doc_note: np.ndarray  # int32 note number of each passage
    notes: list[dict]
    report: dict
    passages_path: Path
    passage_offsets: np.ndarray  # int64 byte offset of each passage line, plus the end
    folder: Path | None = None
    _fd: int | None = field(default=None, repr=False)

    def passage(self, i: int) -> dict:
        """One passage record, read from its line of passages.jsonl."""
        return json.loads(self.passage_bytes(i))

    def passage_bytes(self, i: int) -> bytes:
        start, end = int(self.passage_offsets[i]), int(self.passage_offsets[i + 1])
        # pread: no shared file position, so answers and a refresh in another thread may read
        # at the same time; the descriptor keeps the file readable after a newer version
        # replaced its folder.
        return os.pread(self.open(), end - start, start)

    def open(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.passages_path, os.O_RDONLY)
        return self._fd

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def write_index(base: Path, meta: dict, postings: Postings, counts: TermCounts, doc_note: np.ndarray,
                notes: list[dict], report: dict, passage_lines: Iterable[bytes]) -> Path:
    """Write a new version folder, then point CURRENT at it; older versions are removed."""
    base.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"v{time.strftime('%Y%m%dT%H%M%S')}-", dir=base))
    offsets = [0]
    with open(folder / "passages.jsonl", "wb") as out:
        for line in passage_lines:
            out.write(line)
            offsets.append(offsets[-1] + len(line))
    arrays = {
        "idf": postings.idf, "post_ptr": postings.post_ptr, "post_docs": postings.post_docs,
        "post_weights": postings.post_weights, "doc_len": postings.doc_len,
        "doc_ptr": counts.doc_ptr, "doc_terms": counts.doc_terms, "doc_tfs": counts.doc_tfs,
        "doc_note": doc_note, "passage_offsets": np.asarray(offsets, np.int64),
    }
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", np.ascontiguousarray(array))
    _dump(folder / "vocab.json", postings.vocab)
    _dump(folder / "notes.json", notes)
    _dump(folder / "report.json", report)
    meta = dict(meta, format=FORMAT_VERSION, avgdl=postings.avgdl, average_idf=postings.average_idf,
                k1=postings.k1, b=postings.b, epsilon=postings.epsilon,
                passages=len(offsets) - 1, terms=len(postings.vocab), notes=len(notes))
    _dump(folder / "meta.json", meta)  # last: a folder without meta.json is incomplete
    _fsync_dir(folder)
    previous = _current_name(base)
    _atomic_write(base / "CURRENT", folder.name)
    # The version it replaces stays one more round: an engine still answering from it (the bot
    # during /reindex) may open its files until it is swapped out.
    _remove_old_versions(base, keep={folder.name, previous})
    return folder


def _dump(path: Path, data: object) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, separators=(",", ":"))


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def _fsync_dir(folder: Path) -> None:
    for name in os.listdir(folder):
        with open(folder / name, "rb") as f:
            os.fsync(f.fileno())


def _remove_old_versions(base: Path, keep: set[str]) -> None:
    for child in base.iterdir():
        if child.is_dir() and child.name.startswith("v") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)


def _current_name(base: Path) -> str:
    try:
        return (base / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def current_folder(base: Path) -> Path:
    try:
        name = (base / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise StoreError(f"no saved index in {base}") from exc
    folder = base / name
    if not name or "/" in name or not (folder / "meta.json").is_file():
        raise StoreError(f"the saved index in {base} is incomplete")
    return folder


def read_meta(base: Path) -> dict:
    folder = current_folder(base)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"unreadable index metadata in {folder}: {exc}") from exc
    if meta.get("format") != FORMAT_VERSION:
        raise StoreError(f"the saved index has format {meta.get('format')}, this notesbot reads "
                         f"{FORMAT_VERSION}")
    return meta


def load_index(base: Path, mmap: bool = True) -> IndexFiles:
    """The saved index, arrays memory-mapped; StoreError when it is missing or damaged."""
    meta = read_meta(base)
    folder = current_folder(base)
    try:
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r" if mmap else None)
                  for name in _ARRAYS}
        with open(folder / "vocab.json", encoding="utf-8") as f:
            vocab = json.load(f)
        with open(folder / "notes.json", encoding="utf-8") as f:
            notes = json.load(f)
        with open(folder / "report.json", encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as exc:
        raise StoreError(f"damaged index in {folder}: {exc}") from exc
    _check_shapes(meta, arrays, vocab, folder)
    postings = Postings(vocab, arrays["idf"], np.asarray(arrays["post_ptr"]), arrays["post_docs"],
                        arrays["post_weights"], arrays["doc_len"], float(meta["avgdl"]),
                        float(meta["average_idf"]), float(meta["k1"]), float(meta["b"]),
                        float(meta["epsilon"]))
    counts = TermCounts(vocab, arrays["doc_ptr"], arrays["doc_terms"], arrays["doc_tfs"])
    return IndexFiles(meta, postings, counts, arrays["doc_note"], notes, report,
                      folder / "passages.jsonl", np.asarray(arrays["passage_offsets"]), folder)


def _check_shapes(meta: dict, a: dict, vocab: list, folder: Path) -> None:
    n, v = int(meta["passages"]), len(vocab)
    problems = []
    if len(a["post_ptr"]) != v + 1 or len(a["idf"]) != v:
        problems.append("vocabulary and postings disagree")
    elif int(a["post_ptr"][-1]) != len(a["post_docs"]) or len(a["post_docs"]) != len(a["post_weights"]):
        problems.append("postings are truncated")
    if len(a["doc_len"]) != n or len(a["doc_note"]) != n or len(a["doc_ptr"]) != n + 1:
        problems.append("passage arrays disagree")
    if len(a["passage_offsets"]) != n + 1:
        problems.append("passage offsets disagree")
    else:
        size = (folder / "passages.jsonl").stat().st_size
        if int(a["passage_offsets"][-1]) != size:
            problems.append("passages.jsonl is truncated")
    if problems:
        raise StoreError(f"damaged index in {folder}: {', '.join(problems)}")
