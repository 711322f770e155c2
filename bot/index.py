"""BM25 over passages: rank-bm25's BM25Okapi scores, precomputed per word, summed per question.

rank-bm25 walks every passage in Python for every query word. Here each word's contribution to
each passage that contains it is computed once, with rank-bm25's own formula and statistics, and
stored grouped by word (postings). A question adds up its words' postings, so the scores are the
same floats as `BM25Okapi.get_scores`, at the cost of the postings it touches.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

K1 = 1.5  # BM25Okapi's defaults
B = 0.75
EPSILON = 0.25


@dataclass
class TermCounts:
    """Per-passage term counts as CSR arrays; terms of a passage in first-occurrence order."""

    vocab: list[str]
    doc_ptr: np.ndarray  # int64, n_docs + 1
    doc_terms: np.ndarray  # int32 ids into vocab
    doc_tfs: np.ndarray  # int32 counts

    @classmethod
    def from_tokens(cls, docs: Sequence[Sequence[str]]) -> TermCounts:
        ids: dict[str, int] = {}
        ptr = [0]
        terms: list[int] = []
        tfs: list[int] = []
        for doc in docs:
            counts: dict[str, int] = {}
            for token in doc:
                counts[token] = counts.get(token, 0) + 1
            for token, tf in counts.items():
                terms.append(ids.setdefault(token, len(ids)))
                tfs.append(tf)
            ptr.append(len(terms))
        return cls(list(ids), np.asarray(ptr, np.int64), np.asarray(terms, np.int32),
                   np.asarray(tfs, np.int32))

    @property
    def n_docs(self) -> int:
        return len(self.doc_ptr) - 1

    def doc_tokens(self, i: int) -> dict[str, int]:
        a, b = self.doc_ptr[i], self.doc_ptr[i + 1]
        return {self.vocab[t]: int(tf) for t, tf in zip(self.doc_terms[a:b], self.doc_tfs[a:b], strict=True)}


def concat_counts(parts: Sequence[TermCounts]) -> TermCounts:
    """Passages of several TermCounts one after the other, on one vocabulary (first-seen order)."""
    ids: dict[str, int] = {}
    ptrs, terms, tfs = [np.zeros(1, np.int64)], [], []
    offset = 0
    for part in parts:
        remap = np.asarray([ids.setdefault(t, len(ids)) for t in part.vocab], np.int32)
        terms.append(remap[part.doc_terms] if len(part.doc_terms) else part.doc_terms)
        tfs.append(part.doc_tfs)
        ptrs.append(part.doc_ptr[1:] + offset)
        offset += int(part.doc_ptr[-1])
    vocab = list(ids)
    return TermCounts(vocab, np.concatenate(ptrs),
                      np.concatenate(terms).astype(np.int32) if terms else np.zeros(0, np.int32),
                      np.concatenate(tfs).astype(np.int32) if tfs else np.zeros(0, np.int32))


@dataclass
class Postings:
    """What a question needs: vocabulary, idf and, per word, (passage ids, contributions)."""

    vocab: list[str]
    idf: np.ndarray  # float64 per term
    post_ptr: np.ndarray  # int64, len(vocab) + 1
    post_docs: np.ndarray  # int32 passage ids, ascending within a term
    post_weights: np.ndarray  # float64 contribution of the term to the passage
    doc_len: np.ndarray  # int32 tokens per passage
    avgdl: float
    average_idf: float
    k1: float = K1
    b: float = B
    epsilon: float = EPSILON

    def __post_init__(self) -> None:
        self.term_ids = {t: i for i, t in enumerate(self.vocab)}
        self._ptr = self.post_ptr.tolist()  # Python ints: slicing with them is fastest

    @property
    def n_docs(self) -> int:
        return len(self.doc_len)

    def df(self, term: str) -> int:
        i = self.term_ids.get(term)
        return 0 if i is None else self._ptr[i + 1] - self._ptr[i]

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        i = self.term_ids.get(term)
        if i is None:
            return None
        a, b = self._ptr[i], self._ptr[i + 1]
        return self.post_docs[a:b], self.post_weights[a:b]

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        """Dense scores, equal to `BM25Okapi(tokens).get_scores(query)`."""
        scores = np.zeros(self.n_docs)
        for term in query:
            hit = self.postings(term)
            if hit is not None:
                scores[hit[0]] += hit[1]
        return scores

    def top_k(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The k best passages with a positive score, best first, ties by passage order."""
        return top_k_from(self, [(t, 1.0) for t in query], k)


def build_postings(counts: TermCounts, k1: float = K1, b: float = B,
                   epsilon: float = EPSILON) -> Postings:
    """rank-bm25's BM25Okapi statistics and per-word contributions, computed with numpy.

    The vocabulary is put in rank-bm25's order (first occurrence over the passages) so that the
    average idf, and with it the floor given to very common words, is summed in the same order.
    """
    n = counts.n_docs
    flat = counts.doc_terms
    if len(flat):
        uniq, first = np.unique(flat, return_index=True)
        order = uniq[np.argsort(first, kind="stable")]
    else:
        order = np.zeros(0, np.int64)
    new_id = np.empty(len(counts.vocab), np.int32)
    new_id[order] = np.arange(len(order), dtype=np.int32)
    vocab = [counts.vocab[i] for i in order.tolist()]
    terms = new_id[flat] if len(flat) else flat
    doc_of = np.repeat(np.arange(n, dtype=np.int32), np.diff(counts.doc_ptr))
    doc_len = np.bincount(doc_of, weights=counts.doc_tfs, minlength=n).astype(np.int64)
    avgdl = float(doc_len.sum()) / n if n else 0.0
    df = np.bincount(terms, minlength=len(vocab))
    idf_list, average_idf = _okapi_idf(df.tolist(), n, epsilon)
    idf = np.asarray(idf_list, np.float64)
    by_term = np.argsort(terms, kind="stable")  # passage order kept within each term
    post_docs = doc_of[by_term]
    tf = counts.doc_tfs[by_term].astype(np.int64)
    dl = doc_len[post_docs]
    if avgdl > 0:  # the same operations, in the same order, as BM25Okapi.get_scores
        weights = idf[terms[by_term]] * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)))
    else:
        weights = np.zeros(len(tf))
    post_ptr = np.zeros(len(vocab) + 1, np.int64)
    np.cumsum(df, out=post_ptr[1:])
    return Postings(vocab, idf, post_ptr, post_docs.astype(np.int32), weights.astype(np.float64),
                    doc_len.astype(np.int32), avgdl, average_idf, k1, b, epsilon)


def _okapi_idf(df: list[int], n: int, epsilon: float) -> tuple[list[float], float]:
    """BM25Okapi._calc_idf, loop for loop: negative idfs get epsilon * average idf."""
    idf = []
    idf_sum = 0.0
    negative = []
    for i, freq in enumerate(df):
        value = math.log(n - freq + 0.5) - math.log(freq + 0.5)
        idf.append(value)
        idf_sum += value
        if value < 0:
            negative.append(i)
    average = idf_sum / len(idf) if idf else 0.0
    eps = epsilon * average
    for i in negative:
        idf[i] = eps
    return idf, average


def top_k_from(index: Postings, weighted_terms: Sequence[tuple[str, float]], k: int,
               allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Sum weighted postings and keep the k best positive scores (ties: lower passage id first)."""
    scores = np.zeros(index.n_docs)
    touched = []
    for term, weight in weighted_terms:
        hit = index.postings(term)
        if hit is None or not len(hit[0]):
            continue
        scores[hit[0]] += hit[1] if weight == 1.0 else weight * hit[1]
        touched.append(hit[0])
    if not touched:
        return []
    candidates = np.concatenate(touched) if len(touched) > 1 else touched[0]
    return select_top(scores, candidates, k, allowed, repeats=len(touched))


def select_top(scores: np.ndarray, candidates: np.ndarray, k: int,
               allowed: np.ndarray | None = None, repeats: int = 1) -> list[tuple[int, float]]:
    """The k best candidates by (score desc, id asc); a candidate may be listed `repeats` times."""
    if allowed is not None:
        candidates = candidates[allowed[candidates]]
    values = scores[candidates]
    positive = values > 0
    candidates, values = candidates[positive], values[positive]
    if not len(candidates) or k <= 0:
        return []
    keep_n = k * repeats  # enough entries to hold k distinct passages
    if len(candidates) > 2 * keep_n:
        # Keep everything that ties with the cut-off value, so ties are decided by id below.
        kth = np.partition(values, len(values) - keep_n)[len(values) - keep_n]
        keep = values >= kth
        candidates, values = candidates[keep], values[keep]
    candidates, first = np.unique(candidates, return_index=True)
    values = values[first]
    order = np.lexsort((candidates, -values))[:k]
    return [(int(candidates[i]), float(values[i])) for i in order]
