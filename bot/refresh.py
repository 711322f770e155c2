"""Corpus roots -> saved index, re-reading only the notes that changed since the last build."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot import cues, freshness
from bot.analysis import Analyzer
from bot.index import K1, B, TermCounts, build_postings_with_ids, concat_counts
from bot.sites import CorpusConfig, load_corpus_config
from bot.store import FORMAT_VERSION, IndexFiles, StoreError, load_index, write_index

if TYPE_CHECKING:
    from bot.chunking import Passage
    from bot.notes import Note, Problem, SourceFile

log = logging.getLogger(__name__)

# Bump when what a build produces for the same notes changes (records, splitting): saved indexes
# made by an older recipe are rebuilt rather than reused. The source of the modules that decide
# it is part of the recipe too, so an edit or an upgrade that forgets the bump still rebuilds.
RECIPE = 16
_PACKAGE = Path(__file__).resolve().parent
_BUILD_MODULES = ("analysis", "cues", "chunking", "markup", "notes", "sites", "urls", "index", "refresh")
TITLE_REPEAT = 2  # a word of the note title counts as much as two words of the text
HEADING_REPEAT = 2


class CorpusError(ValueError):
    """A corpus root a user named cannot be indexed (missing, not a folder, no notes)."""


@dataclass
class RefreshReport:
    notes_before: int = 0
    notes_after: int = 0
    passages_before: int = 0
    passages_after: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reused: int = 0
    seconds: float = 0.0
    full: bool = True

    def summary_lines(self) -> list[str]:
        lines = [
            f"notes: {self.notes_before} -> {self.notes_after}, "
            f"passages: {self.passages_before} -> {self.passages_after}",
            f"added {len(self.added)}, changed {len(self.changed)}, removed {len(self.removed)}, "
            f"unchanged {self.reused}",
        ]
        skipped = [p for p in self.problems if p.skipped]
        repaired = [p for p in self.problems if not p.skipped]
        lines.append(f"skipped {len(skipped)} file(s), repaired {len(repaired)}")
        lines.append(f"took {self.seconds:.2f} s")
        return lines


def configs_for(roots: Sequence[Path]) -> list[CorpusConfig]:
    configs = []
    for root in roots:
        if not root.exists():
            raise CorpusError(f"corpus folder not found: {root}")
        if not root.is_dir():
            raise CorpusError(f"corpus path is not a folder: {root}")
        configs.append(load_corpus_config(root))
    return configs


def fingerprint(configs: Sequence[CorpusConfig], sources: Sequence[Sequence[SourceFile]],
                analyzer: Analyzer) -> str:
    """Changes when a note file, a corpus configuration or the analysis changes."""
    h = hashlib.blake2b(digest_size=16)
    h.update(recipe(analyzer).encode())
    for config, files in zip(configs, sources, strict=True):
        h.update(str(config.root).encode() + b"\0")
        if config.source is not None:
            h.update(config.source.read_bytes())
        for f in files:
            h.update(f"{f.rel}\0{f.size}\0{f.mtime_ns}\n".encode())
    return h.hexdigest()


def recipe(analyzer: Analyzer) -> str:
    """Everything besides the notes that decides what a build produces."""
    return (f"{FORMAT_VERSION}|{RECIPE}|{analyzer.signature}|{code_digest()}|{TITLE_REPEAT}|"
            f"{HEADING_REPEAT}|{K1}|{B}")


@cache
def code_digest(folder: Path = _PACKAGE) -> str:
    """A short digest of the source of the modules that turn notes into an index."""
    digest = hashlib.sha256()
    for name in _BUILD_MODULES:
        try:
            source = (folder / f"{name}.py").read_bytes()
        except OSError:
            source = b"?"  # installed without sources: RECIPE and ANALYZER_VERSION decide alone
        digest.update(name.encode() + b"\0" + source + b"\0")
    return digest.hexdigest()[:12]


def analyzer_for(configs: Sequence[CorpusConfig]) -> Analyzer:
    return Analyzer(configs[0].languages if configs else ("fr",))


def passage_terms(analyzer: Analyzer, title: str, heading: Sequence[str], text: str) -> list[str]:
    """Indexed terms of a passage: title and headings weigh more than the text by repetition."""
    terms = analyzer.terms(title) * TITLE_REPEAT
    terms += analyzer.terms(" ".join(heading)) * HEADING_REPEAT
    # what the passage is ("Module 2" in a title or heading), or presents ("Module 3 - …" in a list)
    labels = cues.labelled(" . ".join([title, *heading]), analyzer)
    labels += [m for m in cues.labelled(text, analyzer, units_only=True) if m not in labels]
    keys = key_words(text)
    if keys:
        terms += analyzer.terms(" ".join(keys))
    stated = cues.markers(text)
    stated += [m for m in cues.heading_markers(heading[-1] if heading else "") if m not in stated]
    return (terms + analyzer.terms(text) + stated + cues.counted(text, analyzer) + labels
            + cues.defined(text, analyzer))


# A front matter line as chunking writes it: `utilisateursCibles: Agents de…`.
_CAMEL_KEY = re.compile(r"^([a-z]+(?:[A-Z][a-z]+)+):", re.M)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def key_words(text: str) -> list[str]:
    """The words of the camelCase front matter keys in `text` (`utilisateurs Cibles`): a reader
    asks "à qui c'est destiné", not for `utilisateursCibles`, which stays in the text as written."""
    return [_CAMEL.sub(" ", key) for key in _CAMEL_KEY.findall(text)]


@dataclass
class _Entry:
    """One note of the new index: reused from the old one (old_note set) or freshly parsed."""

    corpus: int
    source: SourceFile
    record: dict
    old_note: int | None = None
    passages: list[dict] | None = None  # fresh notes only


def refresh(roots: Sequence[Path], index_dir: Path, previous: IndexFiles | None = None,
            progress: Callable[[int, int], None] | None = None) -> tuple[IndexFiles, RefreshReport]:
    """Build the index of `roots` into `index_dir`, reusing `previous` where notes did not change."""
    # A build makes millions of small objects and no reference cycles: without this, the cycle
    # collector walks the whole heap again and again (a third of a 10,000-note refresh).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _refresh(roots, index_dir, previous, progress)
    finally:
        if collecting:
            gc.enable()


def _refresh(roots: Sequence[Path], index_dir: Path, previous: IndexFiles | None,
             progress: Callable[[int, int], None] | None) -> tuple[IndexFiles, RefreshReport]:
    started = time.perf_counter()
    configs = configs_for([Path(r).resolve() for r in roots])
    analyzer = analyzer_for(configs)
    from bot.notes import discover  # here: loading notes is not needed to answer from a saved index

    listed_ns = freshness.now_ns()
    folders: list[list[str]] = [[] for _ in configs]
    sources = [discover(c, f) for c, f in zip(configs, folders, strict=True)]
    if not any(sources):
        raise CorpusError("no notes (*.md) found in " + ", ".join(str(c.root) for c in configs))
    report = RefreshReport()
    old = _reusable(previous, configs, analyzer)
    old_by_key = {(old.meta["roots"][n["corpus"]], n["path"]): i for i, n in enumerate(old.notes)} if old else {}
    if previous is not None:
        report.notes_before = len(previous.notes)
        report.passages_before = int(previous.meta.get("passages", 0))
    report.full = old is None
    entries: list[_Entry] = []
    total = sum(len(s) for s in sources)
    done = 0
    for ci, (config, files) in enumerate(zip(configs, sources, strict=True)):
        for source in files:
            key = (str(config.root), source.rel)
            entry = _reuse(old, old_by_key.get(key), ci, source)
            if entry is None:
                entry = _parse(config, ci, source, report)
                if entry is not None:
                    (report.changed if key in old_by_key else report.added).append(_show(config, source.rel))
            else:
                report.reused += 1
            if entry is not None:
                entries.append(entry)
            done += 1
            if progress:
                progress(done, total)
    seen = {(str(configs[e.corpus].root), e.source.rel) for e in entries}
    report.removed = [f"{Path(k[0]).name}/{k[1]}" for k in old_by_key if k not in seen]
    if old is not None:  # unchanged files that were skipped last time are still skipped
        report.problems += _old_problems(old, entries, configs)
    _settle_titles(entries, configs)
    if not entries:
        raise CorpusError("no note could be loaded from " + ", ".join(str(c.root) for c in configs))
    stamp = freshness.take([c.root for c in configs], sources, folders, listed_ns)
    files = _assemble(entries, configs, sources, analyzer, old, index_dir, report, stamp)
    report.notes_after = len(files.notes)
    report.passages_after = int(files.meta["passages"])
    report.seconds = time.perf_counter() - started
    return files, report


def _show(config: CorpusConfig, rel: str) -> str:
    return f"{config.root.name}/{rel}"


def _reusable(previous: IndexFiles | None, configs: Sequence[CorpusConfig],
              analyzer: Analyzer) -> IndexFiles | None:
    if previous is None:
        return None
    meta = previous.meta
    if meta.get("recipe") != recipe(analyzer):
        return None
    if meta.get("config_digest") != _config_digest(configs):
        return None  # URL rules or sites changed: every note is read again
    return previous


def config_digest(configs: Sequence[CorpusConfig]) -> str:
    """Changes when a corpus root or its configuration file changes."""
    return _config_digest(configs)


def _config_digest(configs: Sequence[CorpusConfig]) -> str:
    h = hashlib.blake2b(digest_size=12)
    for c in configs:
        h.update(str(c.root).encode())
        if c.source is not None:
            h.update(c.source.read_bytes())
    return h.hexdigest()


def _reuse(old: IndexFiles | None, i: int | None, ci: int, source: SourceFile) -> _Entry | None:
    if old is None or i is None:
        return None
    from bot.notes import digest

    record = old.notes[i]
    if record["size"] != source.size or record["mtime_ns"] != source.mtime_ns:
        try:
            if digest(source.path.read_bytes()) != record["digest"]:
                return None
        except OSError:
            return None
    record = dict(record, corpus=ci, size=source.size, mtime_ns=source.mtime_ns)
    return _Entry(ci, source, record, old_note=i)


def _parse(config: CorpusConfig, ci: int, source: SourceFile, report: RefreshReport) -> _Entry | None:
    from bot.chunking import split_note
    from bot.notes import fallback_title, load_note

    note, problems = load_note(config, source)
    report.problems += problems
    if note is None:
        return None
    passages = []
    previous, part = None, 0
    for p in split_note(note):
        part = part + 1 if previous == (p.heading, p.anchor) else 0
        previous = (p.heading, p.anchor)
        passages.append(dict(_passage_record(p), part=part))
    record = {
        "corpus": ci, "path": note.path, "title": note.title, "fm_title": note.title,
        "fallback_title": fallback_title(note), "tags": list(note.tags), "url": note.url,
        "site": note.site.name, "draft": _is_draft(note), "size": source.size,
        "mtime_ns": source.mtime_ns, "digest": note.digest, "stem": note.stem,
        "problems": [p.reason for p in problems],
    }
    return _Entry(ci, source, record, passages=passages)


def _is_draft(note: Note) -> bool:
    from bot.notes import relative_to_site

    rel = relative_to_site(note.path, note.site)
    return any(fnmatchcase(rel, pattern) for pattern in note.site.drafts)


def _passage_record(passage: Passage) -> dict:
    return {
        "heading": list(passage.heading), "anchor": passage.anchor, "url": passage.url,
        "text": passage.text, "links": [[lk.text, lk.target, lk.kind] for lk in passage.links],
    }


def _old_problems(old: IndexFiles, entries: list[_Entry], configs: Sequence[CorpusConfig]) -> list[Problem]:
    from bot.notes import Problem

    problems = []
    for entry in entries:
        if entry.old_note is not None:
            problems += [Problem(str(configs[entry.corpus].root), entry.record["path"], r, False)
                         for r in entry.record.get("problems", [])]
    return problems


def _settle_titles(entries: list[_Entry], configs: Sequence[CorpusConfig]) -> None:
    """A front matter title shared by most notes of a site (or declared generic) is replaced."""
    from bot.notes import title_is_generic

    per_site: dict[str, Counter] = {}
    for e in entries:
        per_site.setdefault(e.record["site"], Counter())[e.record["fm_title"].casefold()] += 1
    sizes = {name: sum(counts.values()) for name, counts in per_site.items()}
    # a site by its name, where the name is unique; else by the note's folder, more slowly
    named = Counter((ci, site.name) for ci, config in enumerate(configs) for site in config.sites)
    sites = {(ci, site.name): site for ci, config in enumerate(configs) for site in config.sites
             if named[ci, site.name] == 1}
    for e in entries:
        site = sites.get((e.corpus, e.record["site"])) or configs[e.corpus].site_for(e.record["path"])
        counts = per_site[e.record["site"]]
        size = sizes[e.record["site"]]
        fm = e.record["fm_title"]
        generic = title_is_generic(fm, site.generic_titles, counts[fm.casefold()], size)
        e.record["title"] = e.record["fallback_title"] if generic else fm


def _assemble(entries: list[_Entry], configs: Sequence[CorpusConfig],
              sources: Sequence[Sequence[SourceFile]], analyzer: Analyzer, old: IndexFiles | None,
              index_dir: Path, report: RefreshReport, stamp: freshness.Stamp) -> IndexFiles:
    pieces: list[TermCounts] = []
    lines: list[bytes] = []
    notes: list[dict] = []
    doc_note: list[np.ndarray] = []
    run: list[range] = []  # old passage rows reused as they are, gathered in one piece

    def flush() -> None:
        if run:
            starts = np.fromiter((r.start for r in run), np.int64, len(run))
            lengths = np.fromiter((len(r) for r in run), np.int64, len(run))
            before = np.cumsum(lengths) - lengths  # rows of earlier ranges
            rows = np.repeat(starts - before, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)
            pieces.append(_gather_rows(old.counts, rows))
            lines.extend(_old_lines(old, run))
            run.clear()

    n_passages = 0
    for ni, e in enumerate(entries):
        record = e.record
        if e.old_note is not None:
            old_rec = old.notes[e.old_note]
            rows = range(old_rec["first"], old_rec["first"] + old_rec["count"])
            if record["title"] == old_rec["title"]:
                run.append(rows)
                count = len(rows)
            else:  # same text, new title: analyse again from the stored passages
                flush()
                passages = [old.passage(r) for r in rows]
                count = _add_fresh(record, passages, analyzer, pieces, lines)
        else:
            flush()
            count = _add_fresh(record, e.passages or [], analyzer, pieces, lines)
        if e.old_note is None or record.get("title_terms") is None or record["title"] != old.notes[e.old_note]["title"]:
            record["title_terms"] = analyzer.terms(record["title"])  # for Engine.suggest_titles
        record.update(first=n_passages, count=count)
        notes.append(record)
        doc_note.append(np.full(count, ni, np.int32))
        n_passages += count
    flush()
    counts = concat_counts(pieces)
    postings, new_ids = build_postings_with_ids(counts)
    counts = TermCounts(postings.vocab, counts.doc_ptr, new_ids[counts.doc_terms], counts.doc_tfs)
    meta = {
        "roots": [str(c.root) for c in configs],
        "fingerprint": fingerprint(configs, sources, analyzer),
        "config_digest": _config_digest(configs),
        "analyzer": analyzer.signature,
        "recipe": recipe(analyzer),
        "languages": list(analyzer.languages),
        "built_at": time.time(),
        "synonyms": [str(p) for c in configs for p in c.synonyms],
    }
    problems = [p.as_dict() for p in report.problems]
    write_index(index_dir, meta, postings, counts,
                np.concatenate(doc_note) if doc_note else np.zeros(0, np.int32),
                notes, {"problems": problems}, lines, stamp.files())
    try:
        return load_index(index_dir)
    except StoreError as exc:  # pragma: no cover - we just wrote it
        raise RuntimeError(f"the index just written cannot be read back: {exc}") from exc


def _add_fresh(record: dict, passages: list[dict], analyzer: Analyzer,
               pieces: list[TermCounts], lines: list[bytes]) -> int:
    docs = []
    for p in passages:
        p = dict(p, title=record["title"], path=record["path"], corpus=record["corpus"],
                 draft=record["draft"])
        docs.append(passage_terms(analyzer, record["title"], p["heading"], p["text"]))
        lines.append(json.dumps(p, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
    pieces.append(TermCounts.from_tokens(docs))
    return len(passages)


def _gather_rows(counts: TermCounts, rows: np.ndarray) -> TermCounts:
    """The CSR rows `rows` of `counts`, with the same vocabulary."""
    starts = counts.doc_ptr[rows]
    lengths = counts.doc_ptr[rows + 1] - starts
    ptr = np.zeros(len(rows) + 1, np.int64)
    np.cumsum(lengths, out=ptr[1:])
    idx = np.repeat(starts - ptr[:-1], lengths) + np.arange(ptr[-1])
    return TermCounts(counts.vocab, ptr, np.asarray(counts.doc_terms)[idx],
                      np.asarray(counts.doc_tfs)[idx])


def _old_lines(old: IndexFiles, runs: Sequence[range]) -> list[bytes]:
    """Lines of passages.jsonl for the old rows in `runs`, one read per stretch of adjacent rows."""
    lines: list[bytes] = []
    offsets = old.passage_offsets
    first = runs[0].start
    end = runs[0].stop
    for r in [*runs[1:], range(-1, -1)]:  # an empty range last, to read the final stretch
        if r.start == end and len(r):
            end = r.stop
            continue
        if end > first:
            spans = offsets[first : end + 1].tolist()
            chunk = old.passage_range(first, end)
            base = spans[0]
            lines += [chunk[a - base : b - base] for a, b in zip(spans, spans[1:], strict=False)]
        first, end = r.start, r.stop
    return lines
