"""The notes engine: where the index lives, loading it fresh or building it, asking, refreshing."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_path

from bot.answer import Answer, Answerer
from bot.notes import discover
from bot.refresh import CorpusError, RefreshReport, analyzer_for, configs_for, fingerprint, refresh
from bot.search import Searcher
from bot.store import IndexFiles, StoreError, load_index

log = logging.getLogger(__name__)

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MAX_QUESTION = 500


class QuestionError(ValueError):
    """A question that cannot be searched (empty, too long); the message is for the asker."""


def default_index_root() -> Path:
    return Path(os.environ.get("NOTESBOT_INDEX_DIR") or user_cache_path("notesbot")) 


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

    @classmethod
    def from_files(cls, roots: Sequence[Path], index_dir: Path, files: IndexFiles) -> Engine:
        from bot.expand import Expander  # the question understanding layer

        configs = configs_for(roots)
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
            current = fingerprint(configs, [discover(c) for c in configs], analyzer_for(configs))
            if previous.meta.get("fingerprint") == current:
                return cls.from_files(roots, index_dir, previous), None
        except StoreError as exc:
            log.info("building the index: %s", exc)
        files, report = refresh(roots, index_dir, previous, progress)
        return cls.from_files(roots, index_dir, files), report

    def refreshed(self, progress: Callable[[int, int], None] | None = None) -> tuple[Engine, RefreshReport]:
        """A new engine over the notes as they are now; this one keeps working meanwhile."""
        files, report = refresh(self.roots, self.index_dir, self.files, progress)
        return Engine.from_files(self.roots, self.index_dir, files), report

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
        return sorted({n["title"] for n in self.files.notes}, key=str.casefold)

    def suggest_titles(self, text: str, n: int = 3) -> list[str]:
        """Note titles closest to `text`: shared words first, then spelling."""
        from difflib import SequenceMatcher

        analyzer = self.searcher.analyzer
        wanted = set(analyzer.terms(text))
        scored = []
        for title in self.titles():
            shared = len(wanted & set(analyzer.terms(title)))
            ratio = SequenceMatcher(None, text.casefold(), title.casefold()).ratio()
            scored.append((shared, ratio, title))
        scored.sort(key=lambda x: (-x[0], -x[1]))
        return [t for s, r, t in scored[:n] if s or r > 0.4]

    def close(self) -> None:
        self.files.close()


__all__ = ["Engine", "CorpusError", "QuestionError", "BUNDLED_CORPUS", "index_dir_for"]
