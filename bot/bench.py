"""`notesbot bench`: build, restart, memory, query speed against rank-bm25 and bm25s, refresh.

Every figure comes from one run on one machine, printed as soon as it is measured:
    notesbot bench                       a synthetic garden of 20,000 passages (about a minute)
    notesbot bench --passages 100000     the size the performance targets are set for
    notesbot bench --notes 10000         the garden size of the refresh target
    notesbot bench --corpus DIR          your own notes (they are read, never modified)
The index is built in a temporary folder, so the build is a full one and your cache is untouched.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bot.engine import Engine
from bot.index import K1, B, Postings
from bot.refresh import passage_terms
from bot.synthetic import STOPWORDS, make_questions, write_garden

DEFAULT_PASSAGES = 20_000
TOP = 5
RESTARTS = 5

# Run in a new process: load the saved index and answer the first question (timed apart), or,
# with "memory", also 200 questions on the index alone then through the whole search; prints one
# JSON line.
_CHILD = r"""
import json, os, sys, time
started = time.perf_counter()
from pathlib import Path
from bot.engine import Engine
imported = time.perf_counter()

def rss():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

roots, index_root, questions_file, mode = json.loads(sys.argv[1])
questions = json.loads(Path(questions_file).read_text(encoding="utf-8"))
before = rss()
t0 = time.perf_counter()
engine, report = Engine.open([Path(r) for r in roots], Path(index_root))
t1 = time.perf_counter()
engine.ask(questions[0], 3)
t2 = time.perf_counter()
out = {"imports": imported - started, "load": t1 - t0, "first": t2 - t1, "rebuilt": report is not None,
       "typos": "typo_index" in vars(engine.searcher.expander)}
if mode == "memory":
    analyzer, postings = engine.searcher.analyzer, engine.files.postings
    for q in questions:
        postings.top_k(analyzer.terms(q), 5)
    out["rss_index"] = rss() - before
    if not out["typos"]:
        t = time.perf_counter()
        engine.searcher.expander.typo_index
        out["typo_seconds"] = time.perf_counter() - t
    for q in questions:
        engine.ask(q, 3)
    out["rss_full"] = rss() - before
print(json.dumps(out))
"""


def run_bench(args: argparse.Namespace) -> int:
    say = _Printer()
    if args.index_dir is not None:
        Path(args.index_dir).mkdir(parents=True, exist_ok=True)  # as `ask` and `index` create it
    with tempfile.TemporaryDirectory(prefix="notesbot-bench-", dir=args.index_dir) as tmp:
        work = Path(tmp)
        roots, synthetic = _garden(args, work, say)
        say(f"machine: {machine()}")
        index_root = work / "index"
        engine = _build(roots, index_root, say)
        try:
            files = engine.files
            questions = make_questions(lambda i: files.passage(i)["text"], files.postings.n_docs,
                                       args.queries, args.seed, engine.searcher.analyzer.stop | set(STOPWORDS))
            if not questions:
                say("no question could be drawn from the passages: nothing to time")
                return 1
            _saved_size(engine, say)
            _restart(roots, index_root, questions, work, say)
            tokens = [engine.searcher.analyzer.terms(q) for q in questions]
            ours = _time_queries(lambda t: engine.files.postings.top_k(t, TOP), tokens)
            say(f"query p50/p99 notesbot top_k (analysed tokens, top {TOP}): {_ms(ours)}")
            full = _time_queries(lambda q: engine.searcher.search(q, TOP), questions)
            say(f"query p50/p99 notesbot full search (expansion, filters, note context): {_ms(full)}")
            corpus = _corpus_tokens(engine, say)
            _against_rank_bm25(engine.files.postings, corpus, tokens, ours, say)
            _against_bm25s(corpus, tokens, ours, say)
            del corpus
            if synthetic:
                _refresh(engine, roots[0], say)
            else:
                say("refresh after one note changed: skipped (the bench never modifies your notes; "
                    "run it on a synthetic garden)")
        finally:
            engine.close()
    return 0


class _Printer:
    """Figures printed as they come: a long run shows its results before it ends."""

    def __call__(self, line: str) -> None:
        print(line, flush=True)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    ram = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kib = next(int(line.split()[1]) for line in f if line.startswith("MemTotal"))
        ram = f", {kib / 2**20:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return (f"{os.cpu_count()} cores, {cpu}{ram}, Python {platform.python_version()}, "
            f"numpy {np.__version__}")


def _garden(args: argparse.Namespace, work: Path, say: _Printer) -> tuple[list[Path], bool]:
    if args.corpus:
        roots = [Path(r).resolve() for r in args.corpus]
        for root in roots:
            if not root.is_dir():
                from bot.refresh import CorpusError

                raise CorpusError(f"corpus folder not found: {root}")
        say(f"notesbot bench: corpus {', '.join(str(r) for r in roots)}")
        return roots, False
    notes = args.notes
    passages = args.passages if args.passages is not None or notes is not None else DEFAULT_PASSAGES
    started = time.perf_counter()
    info = write_garden(work / "garden", notes=notes, passages=passages, seed=args.seed)
    say(f"notesbot bench: synthetic garden (seed {info.seed}): {info.notes} notes, about "
        f"{info.passages} passages, written in {time.perf_counter() - started:.1f} s")
    return [info.root.resolve()], True


def _build(roots: Sequence[Path], index_root: Path, say: _Printer) -> Engine:
    from bot.cli import _progress_bar

    progress = _progress_bar()
    started = time.perf_counter()
    try:
        engine, _ = Engine.open(roots, index_root, progress)
    finally:
        progress.close()
    meta = engine.files.meta
    say(f"build (full index): {time.perf_counter() - started:.2f} s, {meta['notes']} notes, "
        f"{meta['passages']} passages, {meta['terms']} terms, {meta['postings']} postings")
    return engine


def _saved_size(engine: Engine, say: _Printer) -> None:
    sizes = engine.files.meta["sizes"]
    arrays = sum(size for name, size in sizes.items() if name.endswith(".npy"))
    passages = sizes.get("passages.jsonl", 0)
    say(f"saved size on disk: {_mb(sum(sizes.values()))} (arrays {_mb(arrays)} memory-mapped, "
        f"passages {_mb(passages)} read one line at a time, note table {_mb(sizes.get('notes.json', 0))})")


def _restart(roots: Sequence[Path], index_root: Path, questions: list[str], work: Path, say: _Printer) -> None:
    """New processes answering one question each, as `notesbot ask` after a restart; the same in a
    measuring process, with imports, load and first answer apart; then memory."""
    # An installed package has its bytecode cached (pip compiles it); a shell that forbids writing
    # it (PYTHONDONTWRITEBYTECODE, as in some containers) would time the compiling of notesbot's
    # own modules at every restart, 0.04 s. The untimed first run below caches it.
    env = {k: v for k, v in os.environ.items()
           if k not in ("NOTESBOT_CORPUS", "NOTESBOT_INDEX_DIR", "PYTHONDONTWRITEBYTECODE")}
    command = [sys.executable, "-m", "bot", "ask", "--json", "--index-dir", str(index_root)]
    for root in roots:
        command += ["--corpus", str(root)]
    # Untimed: the first open after a build may list the notes once, to renew a stamp taken while
    # the garden was still being written (bot/freshness.py); later restarts only stat them.
    subprocess.run([*command, questions[0]], capture_output=True, env=env, timeout=600)
    walls, parts = [], []
    for question in questions[:RESTARTS]:
        started = time.perf_counter()
        done = subprocess.run([*command, question], capture_output=True, env=env, timeout=600)
        walls.append(time.perf_counter() - started)
        if done.returncode != 0:
            say(f"restart: `notesbot ask` failed: {done.stderr.decode(errors='replace').strip()}")
            return
        parts.append(_child(roots, index_root, [question], "first", work, env))
    plain = [w for w, p in zip(walls, parts, strict=True) if not p["typos"]]
    typos = [w for w, p in zip(walls, parts, strict=True) if p["typos"]]
    firsts = [p for p in parts if not p["typos"]] or parts
    say(f"restart (new process: load + first answer): {statistics.median(plain or walls):.3f} s wall, median "
        f"of {len(plain or walls)} `python -m bot ask --json` (min {min(plain or walls):.3f} s); in process: "
        f"imports {statistics.median(p['imports'] for p in firsts):.3f} s, load "
        f"{statistics.median(p['load'] for p in firsts):.3f} s, first answer "
        f"{statistics.median(p['first'] for p in firsts):.3f} s"
        + (" (the index was rebuilt!)" if any(p["rebuilt"] for p in parts) else ""))
    if typos:
        say(f"restart when the first question has a rare or unknown word (builds the typo index): "
            f"{statistics.median(typos):.3f} s wall, {len(typos)} of {len(walls)} questions")
    got = _child(roots, index_root, questions, "memory", work, env)
    say(f"index memory: {_mb(got['rss_index'])} RSS growth after load + {len(questions)} questions on the "
        f"index (top_k); arrays {_mb(_array_bytes(index_root))} on disk, memory-mapped")
    typo = f"typo index built in {got['typo_seconds']:.2f} s; " if "typo_seconds" in got else ""
    say(f"memory with question understanding: {_mb(got['rss_full'])} RSS growth after load + "
        f"{len(questions)} full searches ({typo}bot/typos.py, bot/expand.py)")


def _child(roots: Sequence[Path], index_root: Path, questions: list[str], mode: str, work: Path,
           env: dict) -> dict:
    questions_file = work / "questions.json"
    questions_file.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    argument = json.dumps([[str(r) for r in roots], str(index_root), str(questions_file), mode])
    child = subprocess.run([sys.executable, "-c", _CHILD, argument], capture_output=True, text=True, env=env,
                           timeout=600)
    if child.returncode != 0:
        raise RuntimeError(f"the measuring process failed: {child.stderr.strip()}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def _array_bytes(index_root: Path) -> int:
    from bot.store import current_folder

    folder = current_folder(next(p for p in index_root.iterdir() if p.is_dir()))
    return sum(p.stat().st_size for p in folder.glob("*.npy"))


def _time_queries(run: Callable, inputs: Sequence) -> list[float]:
    """Seconds per input, timed on a second pass: the first pages in memory-mapped postings and
    builds lazy structures, costs that belong to the restart, not to a query of a running bot."""
    for item in inputs:
        run(item)
    times = []
    for item in inputs:
        started = time.perf_counter_ns()
        run(item)
        times.append((time.perf_counter_ns() - started) / 1e9)
    return times


def _percentile(times: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(times), q))


def _ms(times: Sequence[float]) -> str:
    return f"{1e3 * _percentile(times, 50):.3f} / {1e3 * _percentile(times, 99):.3f} ms"


def _mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB"


def _corpus_tokens(engine: Engine, say: _Printer) -> list[list[str]]:
    """Every passage's terms, analysed again from its record (not read from the index's counts),
    so that the comparison also checks what the index holds."""
    started = time.perf_counter()
    files, analyzer = engine.files, engine.searcher.analyzer
    corpus = []
    for i in range(files.postings.n_docs):
        record = files.passage(i)
        corpus.append(passage_terms(analyzer, record["title"], record["heading"], record["text"]))
    say(f"passages analysed again for the reference engines: {time.perf_counter() - started:.1f} s")
    return corpus


def _against_rank_bm25(postings: Postings, corpus: list[list[str]], tokens: list[list[str]],
                       ours: list[float], say: _Printer) -> None:
    from rank_bm25 import BM25Okapi

    started = time.perf_counter()
    reference = BM25Okapi(corpus, k1=K1, b=B)
    built = time.perf_counter() - started
    times, differ = [], 0
    for query in tokens:
        t = time.perf_counter_ns()
        scores = reference.get_scores(query)
        times.append((time.perf_counter_ns() - t) / 1e9)
        if postings.top_k(query, TOP) != _reference_top(scores, TOP):
            differ += 1
    ratio = _percentile(times, 50) / _percentile(ours, 50)
    say(f"query p50/p99 rank-bm25 BM25Okapi.get_scores: {_ms(times)} (built in {built:.1f} s); "
        f"p50 rank-bm25 / notesbot top_k: {ratio:.0f}x")
    say(f"identical top-{TOP} vs rank-bm25: {'yes' if differ == 0 else 'NO'} "
        f"({differ} of {len(tokens)} questions differ; same passages and same float scores)")


def _reference_top(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """rank-bm25's best k with a positive score, ties by passage order."""
    positive = np.flatnonzero(scores > 0)
    order = sorted(positive.tolist(), key=lambda i: (-scores[i], i))[:k]
    return [(i, float(scores[i])) for i in order]


def _against_bm25s(corpus: list[list[str]], tokens: list[list[str]], ours: list[float], say: _Printer) -> None:
    try:
        import bm25s
    except ImportError:
        say("query p50/p99 bm25s: not installed (pip install 'notesbot[bench]')")
        return
    import logging

    logging.getLogger("bm25s").setLevel(logging.ERROR)
    started = time.perf_counter()
    # BM25Okapi's k1 and b; "robertson" is its formula (idf floored at 0 rather than at
    # epsilon * mean idf); numpy backend, as numba is not a dependency.
    retriever = bm25s.BM25(k1=K1, b=B, method="robertson", backend="numpy")
    retriever.index(corpus, show_progress=False)
    built = time.perf_counter() - started
    queries = [q for q in tokens if q]
    scores = _time_queries(lambda q: retriever.get_scores(q), queries)
    top = _time_queries(lambda q: retriever.retrieve([q], k=TOP, show_progress=False, n_threads=0), queries)
    say(f"query p50/p99 bm25s get_scores (float32 dense scores, no ranking): {_ms(scores)}; "
        f"retrieve top-{TOP}: {_ms(top)} (built in {built:.1f} s); p50 bm25s / notesbot top_k: "
        f"{_percentile(scores, 50) / _percentile(ours, 50):.1f}x (get_scores), "
        f"{_percentile(top, 50) / _percentile(ours, 50):.1f}x (retrieve)")


def _refresh(engine: Engine, root: Path, say: _Printer) -> None:
    """Edit one note of the synthetic garden, as a person would, and refresh."""
    notes = sorted(root.rglob("*.md"))
    note = notes[len(notes) // 2]
    with open(note, "a", encoding="utf-8") as out:
        out.write("\nUne phrase ajoutée pour le banc d'essai, avec un mot nouveau : zorglubement.\n")
    started = time.perf_counter()
    new, report = engine.refreshed()
    seconds = time.perf_counter() - started
    say(f"refresh after one note changed: {seconds:.2f} s (changed {len(report.changed)}, added "
        f"{len(report.added)}, removed {len(report.removed)}, unchanged {report.reused}; "
        f"{report.passages_after} passages)")
    new.close()
