"""The saved index: plain files (JSON, JSON lines, .npy) in a version folder, switched atomically.

Layout of an index folder:
    CURRENT             name of the live version folder (replaced with os.replace)
    v<stamp>/meta.json  format version, parameters, fingerprint of the notes, counts, file sizes
    v<stamp>/*.npy      postings and per-passage term counts (memory-mapped on load)
    v<stamp>/terms.txt  the vocabulary, one term a line, with terms_*.npy to look terms up
    v<stamp>/notes.json, report.json, passages.jsonl (+ passage_offsets.npy), stamp files
A reader follows CURRENT, so it sees the old version or the new one, never half of one.

Loading costs the same at any garden size: arrays are memory-mapped, terms are found by binary
search in their file, passages are read one line at a time and the note table on first use.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.index import Postings, TermCounts, Vocabulary

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # 2: terms.txt and terms_*.npy instead of vocab.json; term_max.npy; file sizes
_ARRAYS = ("idf", "post_ptr", "post_docs", "post_weights", "term_max", "doc_len", "doc_ptr", "doc_terms",
           "doc_tfs", "doc_note", "passage_offsets", "terms_ptr", "terms_order", "terms_keys")


class StoreError(RuntimeError):
    """A saved index that cannot be used (missing, corrupt, older format); it gets rebuilt."""


@dataclass
class IndexFiles:
    """Everything an index is made of, in memory or memory-mapped."""

    meta: dict
    postings: Postings
    counts: TermCounts  # same vocabulary as postings
    doc_note: np.ndarray  # int32 note number of each passage
    notes: Sequence[dict]  # a list, or a NoteTable read on first use
    report: dict
    passages_path: Path
    passage_offsets: np.ndarray  # int64 byte offset of each passage line, plus the end
    folder: Path | None = None
    _fd: int | None = field(default=None, repr=False)
    title_table: Sequence[list] | None = field(default=None, repr=False)  # [title, its terms], sorted

    def passage(self, i: int) -> dict:
        """One passage record, read from its line of passages.jsonl."""
        return json.loads(self.passage_bytes(i))

    def passage_bytes(self, i: int) -> bytes:
        start, end = int(self.passage_offsets[i]), int(self.passage_offsets[i + 1])
        # pread: no shared file position, so answers and a refresh in another thread may read
        # at the same time; the descriptor keeps the file readable after a newer version
        # replaced its folder.
        return os.pread(self.open(), end - start, start)

    def passage_range(self, first: int, end: int) -> bytes:
        """The lines of passages first..end-1, as they are in passages.jsonl."""
        start, stop = int(self.passage_offsets[first]), int(self.passage_offsets[end])
        data = os.pread(self.open(), stop - start, start)
        if len(data) != stop - start:
            raise StoreError(f"damaged index in {self.folder}: passages.jsonl is truncated")
        return data

    def open(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.passages_path, os.O_RDONLY)
        return self._fd

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        for table in (self.notes, self.title_table):
            if isinstance(table, NoteTable):
                table.close()


class NoteTable(Sequence):
    """notes.json (or titles.json), parsed on first use: answering a question seldom needs the
    note table, and parsing it is the largest part of loading a big garden's index. The file is
    opened at load, so it stays readable once a newer version has replaced its folder."""

    def __init__(self, path: Path, count: int | None) -> None:
        self.path = path
        self.count = count
        self._file = open(path, "rb")  # noqa: SIM115 - read on first use, then closed
        self._notes: list[dict] | None = None

    def _load(self) -> list[dict]:
        if self._notes is None:
            if self._file is None:
                raise StoreError(f"the note table of {self.path.parent} was closed before it was read")
            try:
                notes = json.loads(self._file.read())
            except ValueError as exc:
                raise StoreError(f"damaged index in {self.path.parent}: notes.json: {exc}") from exc
            finally:
                self.close()
            if not isinstance(notes, list) or (self.count is not None and len(notes) != self.count):
                raise StoreError(f"damaged index in {self.path.parent}: {self.path.name} disagrees with meta.json")
            self._notes = notes
        return self._notes

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __len__(self) -> int:
        return self.count if self.count is not None else len(self._load())

    def __getitem__(self, i):  # type: ignore[override]
        return self._load()[i]

    def __iter__(self) -> Iterator[dict]:
        return iter(self._load())


def write_index(base: Path, meta: dict, postings: Postings, counts: TermCounts, doc_note: np.ndarray,
                notes: list[dict], report: dict, passage_lines: Iterable[bytes],
                extra_files: dict[str, bytes] | None = None) -> Path:
    """Write a new version folder, then point CURRENT at it; older versions are removed.

    `extra_files` are small files saved with the version (e.g. the freshness stamp).
    """
    base.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"v{time.strftime('%Y%m%dT%H%M%S')}-", dir=base))
    try:
        meta = _write_version(folder, meta, postings, counts, doc_note, notes, report, passage_lines,
                              extra_files or {})
        _dump(folder / "meta.json", meta)  # last: a folder without meta.json is incomplete
        _fsync_dir(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # CURRENT still names the previous version
        raise
    previous = _current_name(base)
    _atomic_write(base / "CURRENT", folder.name)
    # The version it replaces stays one more round: an engine still answering from it (the bot
    # during /reindex) may open its files until it is swapped out.
    _remove_old_versions(base, keep={folder.name, previous})
    return folder


def _write_version(folder: Path, meta: dict, postings: Postings, counts: TermCounts, doc_note: np.ndarray,
                   notes: list[dict], report: dict, passage_lines: Iterable[bytes],
                   extra_files: dict[str, bytes]) -> dict:
    """Every file of a version but meta.json; returns the meta to write."""
    lines = passage_lines if isinstance(passage_lines, list | tuple) else list(passage_lines)
    offsets = np.zeros(len(lines) + 1, np.int64)
    np.cumsum(np.fromiter(map(len, lines), np.int64, len(lines)), out=offsets[1:])
    with open(folder / "passages.jsonl", "wb") as out:
        out.writelines(lines)
    vocab = postings.vocab if isinstance(postings.vocab, Vocabulary) else Vocabulary.from_terms(postings.vocab)
    arrays = {
        "idf": postings.idf, "post_ptr": postings.post_ptr, "post_docs": postings.post_docs,
        "post_weights": postings.post_weights, "term_max": postings.term_max, "doc_len": postings.doc_len,
        "doc_ptr": counts.doc_ptr, "doc_terms": counts.doc_terms, "doc_tfs": counts.doc_tfs,
        "doc_note": doc_note, "passage_offsets": offsets,
        "terms_ptr": vocab.starts, "terms_order": vocab.order, "terms_keys": vocab.keys,
    }
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", np.ascontiguousarray(array))
    (folder / "terms.txt").write_bytes(vocab.blob)
    _dump(folder / "notes.json", notes)
    # Titles apart, with their terms: suggesting titles need not parse the whole note table.
    titles = {n["title"]: n.get("title_terms") for n in notes}
    _dump(folder / "titles.json", [[t, titles[t]] for t in sorted(titles, key=str.casefold)])
    _dump(folder / "report.json", report)
    sizes = {name: os.path.getsize(folder / name) for name in sorted(os.listdir(folder))}
    for name, data in extra_files.items():  # not in `sizes`: they may be replaced later (the stamp)
        (folder / name).write_bytes(data)
    return dict(meta, format=FORMAT_VERSION, avgdl=postings.avgdl, average_idf=postings.average_idf,
                k1=postings.k1, b=postings.b, epsilon=postings.epsilon, passages=len(lines),
                terms=len(vocab), postings=len(postings.post_docs), notes=len(notes), sizes=sizes)


def _dump(path: Path, data: object) -> None:
    # json.dumps encodes in C; json.dump to a file goes through the Python encoder, many times slower.
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


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


def _read_meta(folder: Path) -> dict:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"unreadable index metadata in {folder}: {exc}") from exc
    if not isinstance(meta, dict):
        raise StoreError(f"unreadable index metadata in {folder}: not a JSON object")
    if meta.get("format") != FORMAT_VERSION:
        raise StoreError(f"the saved index has format {meta.get('format')}, this notesbot reads "
                         f"{FORMAT_VERSION}")
    return meta


def load_index(base: Path, mmap: bool = True) -> IndexFiles:
    """The saved index, arrays memory-mapped; StoreError when it is missing or damaged."""
    folder = current_folder(base)  # once: meta and arrays come from the same version
    meta = _read_meta(folder)
    try:
        _check_sizes(meta, folder)
        # Plain ndarray views of the maps: numpy's memmap subclass slows every small operation.
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r" if mmap else None).view(np.ndarray)
                  for name in _ARRAYS}
        vocab = Vocabulary((folder / "terms.txt").read_bytes(), arrays["terms_ptr"], arrays["terms_order"],
                           arrays["terms_keys"])
        with open(folder / "report.json", encoding="utf-8") as f:
            report = json.load(f)
        _check_shapes(meta, arrays, vocab, folder)
        postings = Postings(vocab, arrays["idf"], arrays["post_ptr"], arrays["post_docs"],
                            arrays["post_weights"], arrays["doc_len"], float(meta["avgdl"]),
                            float(meta["average_idf"]), float(meta["k1"]), float(meta["b"]),
                            float(meta["epsilon"]), arrays["term_max"])
        notes = NoteTable(folder / "notes.json", int(meta["notes"]))
        titles = NoteTable(folder / "titles.json", None)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StoreError(f"damaged index in {folder}: {exc}") from exc
    counts = TermCounts(vocab, arrays["doc_ptr"], arrays["doc_terms"], arrays["doc_tfs"])
    files = IndexFiles(meta, postings, counts, arrays["doc_note"], notes, report,
                       folder / "passages.jsonl", arrays["passage_offsets"], folder, title_table=titles)
    try:
        files.open()  # now: the passages stay readable once a later version removed this folder
    except OSError as exc:
        files.close()
        raise StoreError(f"damaged index in {folder}: {exc}") from exc
    return files


def _check_sizes(meta: dict, folder: Path) -> None:
    """Every file as long as when it was written: a truncated or swapped file is not trusted."""
    sizes = meta["sizes"]
    for name in (*(f"{a}.npy" for a in _ARRAYS), "terms.txt", "notes.json", "titles.json", "report.json",
                 "passages.jsonl"):
        if name not in sizes:
            raise StoreError(f"damaged index in {folder}: {name} is not listed in meta.json")
    for name, size in sizes.items():
        actual = os.stat(folder / name).st_size
        if actual != size:
            raise StoreError(f"damaged index in {folder}: {name} has {actual} bytes, {size} were written")


def _check_shapes(meta: dict, a: dict, vocab: Vocabulary, folder: Path) -> None:
    n, v, p = int(meta["passages"]), len(vocab), int(meta["postings"])
    problems = []
    if v != int(meta["terms"]) or len(a["post_ptr"]) != v + 1 or len(a["idf"]) != v or len(a["term_max"]) != v:
        problems.append("vocabulary and postings disagree")
    elif int(a["post_ptr"][-1]) != p or len(a["post_docs"]) != p or len(a["post_weights"]) != p:
        problems.append("postings are truncated")
    if len(a["terms_order"]) != v or len(a["terms_keys"]) != v or int(a["terms_ptr"][-1]) != len(vocab.blob):
        problems.append("the vocabulary is damaged")
    if len(a["doc_len"]) != n or len(a["doc_note"]) != n or len(a["doc_ptr"]) != n + 1:
        problems.append("passage arrays disagree")
    if len(a["passage_offsets"]) != n + 1 or int(a["passage_offsets"][-1]) != int(meta["sizes"]["passages.jsonl"]):
        problems.append("passage offsets disagree")
    if problems:
        raise StoreError(f"damaged index in {folder}: {', '.join(problems)}")
