"""The notes engine: where the index lives, loading it fresh or building it, asking, refreshing."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot import freshness
from bot.analysis import Analyzer
from bot.answer import Answer, Answerer
from bot.refresh import (
    CorpusError,
    RefreshReport,
    analyzer_for,
    config_digest,
    configs_for,
    fingerprint,
    recipe,
    refresh,
)
from bot.search import Searcher
from bot.sites import CorpusConfig
from bot.store import IndexFiles, StoreError, load_index

log = logging.getLogger(__name__)

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MAX_QUESTION = 500


class QuestionError(ValueError):
    """A question that cannot be searched (empty, too long); the message is for the asker."""


def default_index_root() -> Path:
    if os.environ.get("NOTESBOT_INDEX_DIR"):
        return Path(os.environ["NOTESBOT_INDEX_DIR"])
    from platformdirs import user_cache_path

    return Path(user_cache_path("notesbot"))


def index_dir_for(roots: Sequence[Path], index_root: Path | None = None) -> Path:
    """One index folder per set of corpus roots, under the cache folder (never inside a corpus)."""
    resolved = sorted(str(Path(r).resolve()) for r in roots)
    key = hashlib.blake2b("\n".join(resolved).encode(), digest_size=8).hexdigest()
    name = "-".join(Path(r).name for r in resolved)[:60]
    return (index_root or default_index_root()) / f"{name}-{key}"


@dataclass
class Engine:
    """A loaded index with its searcher; replaced as a whole by a refresh."""

    roots: tuple[Path, ...]
    index_dir: Path
    files: IndexFiles
    searcher: Searcher
    answerer: Answerer
    _titles: list[str] | None = field(default=None, init=False, repr=False)
    _terms_of_titles: dict[str, tuple[str, ...]] | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_files(cls, roots: Sequence[Path], index_dir: Path, files: IndexFiles,
                   configs: Sequence[CorpusConfig] | None = None) -> Engine:
        from bot.expand import Expander  # the question understanding layer

        configs = configs_for(roots) if configs is None else configs
        analyzer = analyzer_for(configs)
        searcher = Searcher(files, analyzer, Expander.for_index(files, analyzer, configs))
        return cls(tuple(roots), index_dir, files, searcher, Answerer(files, analyzer))

    @classmethod
    def open(cls, roots: Sequence[Path], index_root: Path | None = None,
             progress: Callable[[int, int], None] | None = None) -> tuple[Engine, RefreshReport | None]:
        """The saved index when it is fresh; otherwise build it (reusing what is still valid)."""
        roots = tuple(Path(r).resolve() for r in roots)
        index_dir = index_dir_for(roots, index_root)
        configs = configs_for(roots)
        previous = None
        try:
            previous = load_index(index_dir)
            if is_fresh(previous, configs, analyzer_for(configs)):
                return cls.from_files(roots, index_dir, previous, configs), None
        except StoreError as exc:
            log.info("building the index: %s", exc)
        files, report = refresh(roots, index_dir, previous, progress)
        if previous is not None:
            previous.close()
        return cls.from_files(roots, index_dir, files), report

    def refreshed(self, progress: Callable[[int, int], None] | None = None) -> tuple[Engine, RefreshReport]:
        """A new engine over the notes as they are now; this one keeps working meanwhile."""
        files, report = refresh(self.roots, self.index_dir, self.files, progress)
        return Engine.from_files(self.roots, self.index_dir, files), report

    def prepare(self) -> None:
        """Build now what a question would otherwise wait for: the typo index over the vocabulary
        (about 1 s at 100,000 passages). The bot does it in a thread, at start and at each refresh."""
        if self.searcher.expander is not None:
            self.searcher.expander.typo_index  # noqa: B018 - a cached property, built on first use

    def ask(self, question: str, k: int = 5) -> Answer:
        question = " ".join((question or "").split())
        if not question:
            raise QuestionError("the question is empty: ask something, e.g. \"which MOOC takes 30 minutes?\"")
        if len(question) > MAX_QUESTION:
            raise QuestionError(f"the question is too long ({len(question)} characters, at most "
                                f"{MAX_QUESTION})")
        result = self.searcher.search(question, k)
        answer = self.answerer.answer(result)
        if not answer.good:
            answer.suggestions = self.suggest_titles(question)
        return answer

    def titles(self) -> list[str]:
        if self._titles is None:
            if self.files.title_table is not None:
                self._titles = [title for title, _ in self.files.title_table]
            else:
                self._titles = sorted({n["title"] for n in self.files.notes}, key=str.casefold)
        return self._titles

    def suggest_titles(self, text: str, n: int = 3) -> list[str]:
        """Note titles closest to `text`: shared words first, then spelling (difflib's ratio)."""
        analyzer = self.searcher.analyzer
        wanted = set(analyzer.terms(text))
        shared = {title: len(wanted.intersection(terms)) for title, terms in self._title_terms().items()}
        titles = self.titles()
        by_words = sorted((t for t in titles if shared[t]), key=lambda t: -shared[t])
        if len(by_words) >= n:  # only ties with the n-th need their spelling compared
            cut = shared[by_words[n - 1]]
            pool = [t for t in by_words if shared[t] >= cut]
            ratios = _ratios(text, pool, 0.0)
        else:  # every title that shares words, then the best spelled of the others over 0.4
            ratios = _ratios(text, by_words, 0.0)
            ratios.update(_ratios(text, [t for t in titles if not shared[t]], 0.4, n - len(by_words)))
        scored = sorted(ratios, key=lambda t: (-shared[t], -ratios[t]))
        return [t for t in scored[:n] if shared[t] or ratios[t] > 0.4]

    def _title_terms(self) -> dict[str, tuple[str, ...]]:
        """Each title's terms: saved with the note at indexing, analysed here for older records."""
        if self._terms_of_titles is None:
            analyzer = self.searcher.analyzer
            pairs = self.files.title_table
            if pairs is None:
                pairs = [(n["title"], n.get("title_terms")) for n in self.files.notes]
            table: dict[str, tuple[str, ...]] = {}
            for title, terms in pairs:
                if title not in table:
                    table[title] = tuple(terms if terms is not None else analyzer.terms(title))
            self._terms_of_titles = table
        return self._terms_of_titles

    def close(self) -> None:
        self.files.close()


def is_fresh(files: IndexFiles, configs: Sequence[CorpusConfig], analyzer: Analyzer) -> bool:
    """Whether a saved index is the index of the notes as they are now.

    The stamp answers with a stat per note when nothing changed; otherwise the notes are listed
    again and fingerprinted as a build does.
    """
    meta = files.meta
    if meta.get("recipe") != recipe(analyzer) or meta.get("config_digest") != config_digest(configs):
        return False
    roots = [c.root for c in configs]
    stamp = freshness.load(files.folder) if files.folder is not None else None
    if stamp is not None and freshness.unchanged(stamp, roots):
        return True
    from bot.notes import discover

    listed_ns = freshness.now_ns()
    folders: list[list[str]] = [[] for _ in configs]
    sources = [discover(c, f) for c, f in zip(configs, folders, strict=True)]
    if meta.get("fingerprint") != fingerprint(configs, sources, analyzer):
        return False
    if files.folder is not None:  # e.g. a folder got a new non-note file: the next check is quick again
        freshness.save(files.folder, freshness.take(roots, sources, folders, listed_ns))
    return True


def _ratios(text: str, titles: Sequence[str], cutoff: float, best: int | None = None) -> dict[str, float]:
    """difflib's ratio of `text` to each title; with `best`, only the `best` highest ratios over
    `cutoff`, skipping titles whose cheap upper bounds cannot beat them (as get_close_matches)."""
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, text.casefold())
    found: dict[str, float] = {}
    floor = cutoff
    for title in titles:
        matcher.set_seq2(title.casefold())
        if best is not None and (matcher.real_quick_ratio() <= floor or matcher.quick_ratio() <= floor):
            continue
        ratio = matcher.ratio()
        if best is None:
            found[title] = ratio
        elif ratio > floor:
            found[title] = ratio
            if len(found) > best:  # the lowest goes; of equals, the last in title order
                del found[min(reversed(list(found)), key=found.__getitem__)]
            if len(found) == best:
                floor = max(cutoff, min(found.values()))
    return found


__all__ = ["Engine", "CorpusError", "QuestionError", "BUNDLED_CORPUS", "index_dir_for"]
