"""A question -> ranked passages: understood words, BM25 scores, filters, phrases first."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from bot.analysis import Analyzer, fold
from bot.index import select_top
from bot.query import parse_question
from bot.store import IndexFiles

TIE_BREAKER = 0.2  # how much the other alternatives of a word add to the best one (dis_max)
GOOD_MATCH = 0.34
SECTION_START_BONUS = float(__import__("os").environ.get("NB_SSB", "0.05"))
COORD = float(__import__("os").environ.get("NB_COORD", "1"))  # share of the question's weight the best passage must cover to be "good"


@dataclass
class Alternative:
    """One way a question word may appear in the notes."""

    terms: tuple[str, ...]
    weight: float = 1.0
    why: str = "word"  # word | translation | synonym | typo
    shown: str = ""  # the word or phrase behind the terms, for --explain


@dataclass
class Concept:
    """A word (or phrase) of the question and the alternatives that count as it, at most once."""

    surface: str
    alternatives: list[Alternative]

    @property
    def exact(self) -> bool:
        alt = self.alternatives[0]
        return len(self.alternatives) == 1 and len(alt.terms) == 1 and alt.weight == 1.0


@dataclass
class Understood:
    """How a question was read: what `--explain` prints."""

    question: str
    concepts: list[Concept] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. words dropped as unknown

    def all_terms(self) -> set[str]:
        return {t for c in self.concepts for a in c.alternatives for t in a.terms}


@dataclass
class Hit:
    passage: int
    score: float
    record: dict
    coverage: float  # share of the question's weight this passage matched
    phrase: bool = False


@dataclass
class SearchResult:
    understood: Understood
    hits: list[Hit]

    @property
    def good(self) -> bool:
        return bool(self.hits) and self.hits[0].coverage >= GOOD_MATCH


class Searcher:
    """Answers questions from one loaded index; an `expander` adds translations, synonyms, typos."""

    def __init__(self, files: IndexFiles, analyzer: Analyzer | None = None, expander=None) -> None:
        self.files = files
        self.postings = files.postings
        self.analyzer = analyzer or Analyzer(files.meta.get("languages", ["fr"]))
        self.expander = expander

    def understand(self, question: str) -> Understood:
        parsed = parse_question(question)
        understood = Understood(question, phrases=parsed.phrases, excluded=parsed.excluded,
                                tags=parsed.tags)
        words = self.analyzer.words(parsed.text)
        if self.expander is not None:
            understood.concepts = self.expander.expand(words, understood)
        else:
            understood.concepts = [Concept(w.surface, [Alternative((w.term,), shown=w.surface)])
                                   for w in words]
        return understood

    def search(self, question: str, k: int = 5) -> SearchResult:
        understood = self.understand(question)
        return SearchResult(understood, self.rank(understood, k))

    def rank(self, understood: Understood, k: int) -> list[Hit]:
        n = self.postings.n_docs
        if n == 0 or not understood.concepts:
            return []
        scores = np.zeros(n)
        matched = np.zeros(n, np.float32)  # weight of the question each passage covers
        touched = []
        total_weight = 0.0
        for concept in understood.concepts:
            weight = self._concept_weight(concept)
            total_weight += weight
            ids = self._score_concept(concept, scores)
            if ids is not None:
                matched[ids] += weight
                touched.append(ids)
        if not touched:
            return []
        if total_weight > 0 and COORD < 1:  # passages that cover more of the question go first
            scores *= COORD + (1 - COORD) * (matched / total_weight)
        candidates = np.unique(np.concatenate(touched))
        allowed = self._allowed(understood)
        if allowed is not None:
            candidates = candidates[allowed[candidates]]
        pool = max(50, 10 * k)
        top = select_top(scores, candidates, pool)
        if len(top) < pool:  # tiny corpora: BM25 may give 0 to every word (idf of 0 or floor)
            rest = [int(c) for c in candidates if scores[c] <= 0]
            rest.sort(key=lambda c: (-matched[c], c))
            top += [(c, float(scores[c])) for c in rest[: pool - len(top)]]
        hits = [Hit(i, s, {}, float(matched[i]) / total_weight if total_weight else 0.0)
                for i, s in top]
        hits = self._prefer_section_starts(hits[: max(20, 2 * k)]) + hits[max(20, 2 * k) :]
        if understood.phrases:
            hits = self._phrases_first(hits, understood.phrases)
        return hits[:k]

    def _prefer_section_starts(self, hits: list[Hit]) -> list[Hit]:
        """A section's first window usually says what the section is about: a small head start."""
        for hit in hits:
            hit.record = self.files.passage(hit.passage)
            if not hit.record.get("part"):
                hit.score *= 1 + SECTION_START_BONUS
        return sorted(hits, key=lambda h: (-h.score, h.passage))

    def _concept_weight(self, concept: Concept) -> float:
        """idf of the concept's best-known term; an unknown word weighs like a rare one."""
        n = max(self.postings.n_docs, 1)
        best = 0.0
        for alt in concept.alternatives:
            for term in alt.terms:
                df = self.postings.df(term)
                best = max(best, math.log((n + 1) / (df + 0.5)) * (alt.weight if df else 1.0))
        return best

    def _score_concept(self, concept: Concept, scores: np.ndarray) -> np.ndarray | None:
        """Add the concept's score to `scores`; return the passages it matched."""
        if concept.exact:  # a plain word: rank-bm25's own contribution, unchanged
            hit = self.postings.postings(concept.alternatives[0].terms[0])
            if hit is None or not len(hit[0]):
                return None
            scores[hit[0]] += hit[1]
            return np.asarray(hit[0])
        per_alt = []
        for alt in concept.alternatives:
            parts = [self.postings.postings(t) for t in alt.terms]
            parts = [p for p in parts if p is not None and len(p[0])]
            if not parts:
                continue
            ids = np.concatenate([p[0] for p in parts])
            vals = np.concatenate([p[1] for p in parts]) * (alt.weight / math.sqrt(len(alt.terms)))
            per_alt.append((ids, vals))
        if not per_alt:
            return None
        ids = np.unique(np.concatenate([a[0] for a in per_alt]))
        table = np.zeros((len(per_alt), len(ids)))
        for row, (alt_ids, vals) in enumerate(per_alt):
            np.add.at(table[row], np.searchsorted(ids, alt_ids), vals)
        best = table.max(axis=0)
        scores[ids] += best + TIE_BREAKER * (table.sum(axis=0) - best)
        return ids

    def _allowed(self, understood: Understood) -> np.ndarray | None:
        """Passages that pass the tag filter and contain no excluded word; None when no filter."""
        if not understood.tags and not understood.excluded:
            return None
        allowed = np.ones(self.postings.n_docs, bool)
        if understood.tags:
            wanted = {fold(t) for t in understood.tags}
            notes_ok = np.asarray([bool(wanted & {fold(t) for t in n["tags"]}) for n in self.files.notes])
            allowed &= notes_ok[np.asarray(self.files.doc_note)] if len(notes_ok) else False
        for word in understood.excluded:
            for term in self.analyzer.terms(word):
                hit = self.postings.postings(term)
                if hit is not None:
                    allowed[hit[0]] = False
        return allowed

    def _phrases_first(self, hits: list[Hit], phrases: list[str]) -> list[Hit]:
        wanted = [" ".join(fold(p).split()) for p in phrases]
        for hit in hits:
            text = hit.record or self.files.passage(hit.passage)
            haystack = " ".join(fold(" ".join([text["title"], *text["heading"], text["text"]])).split())
            hit.phrase = all(p in haystack for p in wanted)
        return sorted(hits, key=lambda h: not h.phrase)  # stable: score order kept within groups
