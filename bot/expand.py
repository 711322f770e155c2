"""Question words -> concepts with their alternatives (translations, synonyms, typos)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.analysis import Analyzer, Word
from bot.search import Alternative, Concept, Understood
from bot.sites import CorpusConfig
from bot.store import IndexFiles


class Expander:
    """For now every word stands for itself; translations, synonyms and typos come next."""

    def __init__(self, files: IndexFiles, analyzer: Analyzer) -> None:
        self.files = files
        self.analyzer = analyzer

    @classmethod
    def for_index(cls, files: IndexFiles, analyzer: Analyzer,
                  configs: Sequence[CorpusConfig]) -> Expander:
        return cls(files, analyzer)

    def expand(self, words: list[Word], understood: Understood) -> list[Concept]:
        return [Concept(w.surface, [Alternative((w.term,), shown=w.surface)]) for w in words]
