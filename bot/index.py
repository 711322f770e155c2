"""BM25 over passages: rank-bm25's BM25Okapi scores, precomputed per word, summed per question.

rank-bm25 walks every passage in Python for every query word. Here each word's contribution to
each passage that contains it is computed once, with rank-bm25's own formula and statistics, and
stored grouped by word (postings). A question adds up its words' postings, so the scores are the
same floats as `BM25Okapi.get_scores`, at the cost of the postings it touches.

The best k passages are found without adding up the longest postings when that cannot change
them (MaxScore): the rarer words give candidates, and a common word's largest contribution bounds
what it can add to any other passage. Candidates' scores are then summed word by word in the
question's order, so they are still exactly rank-bm25's.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# BM25Okapi's defaults. Lower values (k1 1.0, b 0.6) put more answers first on our sets but moved
# an English question of the shared set out of the top 3: see the README, Scoring.
K1 = 1.5
B = 0.75
EPSILON = 0.25
# A word in at least this share of the passages is "common": its postings are only read for the
# candidates the rarer words found, when its best contribution is too small to matter.
COMMON_SHARE = 1 / 32
# Below this many postings in all, adding everything up is as fast as pruning.
PRUNE_FROM = 4096
KEEP_AT_MOST = 384  # candidates whose exact score is summed word by word; past that, add up more


@dataclass
class TermCounts:
    """Per-passage term counts as CSR arrays; terms of a passage in first-occurrence order."""

    vocab: Sequence[str]
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
        a, b = int(self.doc_ptr[i]), int(self.doc_ptr[i + 1])
        return {self.vocab[t]: int(tf) for t, tf in zip(self.doc_terms[a:b].tolist(), self.doc_tfs[a:b].tolist(),
                                                         strict=True)}


class Vocabulary(Sequence[str]):
    """Terms by id, found by binary search in their sorted UTF-8 bytes: no dict of every term to
    build when an index is loaded, so loading does not grow with the vocabulary.

    `blob` holds the terms in id order, each followed by a newline; `starts` the byte offset of
    each term (plus the end); `order` the ids sorted by their bytes; `keys` the first 8 bytes of
    each sorted term as a big-endian integer, to narrow the search with numpy.
    """

    def __init__(self, blob: bytes, starts: np.ndarray, order: np.ndarray, keys: np.ndarray) -> None:
        self.blob = blob
        self.starts = starts
        self.order = order
        self.keys = keys
        self._found: dict[str, int | None] = {}
        self._terms: list[str] | None = None

    @classmethod
    def from_terms(cls, terms: Sequence[str]) -> Vocabulary:
        terms = list(terms)
        blob = ("\n".join(terms) + "\n").encode("utf-8", "surrogatepass") if terms else b""
        data = np.frombuffer(blob, np.uint8)
        ends = np.flatnonzero(data == 10)
        if len(ends) != len(terms):
            raise ValueError("a term contains a newline")
        starts = np.zeros(len(terms) + 1, np.int64)
        starts[1:] = ends + 1
        # Code point order is UTF-8 byte order, so sorting the strings sorts their bytes.
        order = np.asarray(sorted(range(len(terms)), key=terms.__getitem__), np.int32)
        first, length = starts[:-1][order], (ends - starts[:-1])[order]
        place = np.arange(8)
        head = np.where(place < length[:, None], data[np.minimum(first[:, None] + place, max(len(data) - 1, 0))], 0)
        shifts = np.arange(56, -1, -8, dtype=np.uint64)
        keys = (head.astype(np.uint64) << shifts).sum(axis=1, dtype=np.uint64)  # prefix_key of each
        vocab = cls(blob, starts, order, keys)
        vocab._terms = terms
        return vocab

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return self.terms()[i]
        if self._terms is not None:
            return self._terms[i]
        if i < 0:
            i += len(self)
        a, b = self.starts[i : i + 2].tolist()
        return self.blob[a : b - 1].decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        return iter(self.terms())

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.id_of(term) is not None

    def terms(self) -> list[str]:
        if self._terms is None:
            self._terms = self.blob.decode("utf-8", "surrogatepass").split("\n")[:-1] if self.blob else []
        return self._terms

    def id_of(self, term: str) -> int | None:
        found = self._found.get(term, -1)
        if found != -1:
            return found
        found = self._search(term.encode("utf-8", "surrogatepass"))
        if len(self._found) < 100_000:  # question words repeat; the memo stays small
            self._found[term] = found
        return found

    def _search(self, wanted: bytes) -> int | None:
        key = np.uint64(prefix_key(wanted))
        lo = int(np.searchsorted(self.keys, key, "left"))
        hi = int(np.searchsorted(self.keys, key, "right"))
        if hi - lo == 1:
            i = int(self.order[lo])
            return i if self._bytes(i) == wanted else None
        pos = bisect.bisect_left(range(lo, hi), wanted, key=lambda j: self._bytes(int(self.order[j])))
        if lo + pos < hi:
            i = int(self.order[lo + pos])
            if self._bytes(i) == wanted:
                return i
        return None

    def with_prefix(self, prefix: str, limit: int = 50) -> list[str]:
        """Up to `limit` terms that start with `prefix` (itself included), in byte order."""
        wanted = prefix.encode("utf-8", "surrogatepass")
        key = np.uint64(prefix_key(wanted))
        lo = int(np.searchsorted(self.keys, key, "left"))
        pos = lo + bisect.bisect_left(range(lo, len(self.order)), wanted,
                                      key=lambda j: self._bytes(int(self.order[j])))
        out = []
        while pos < len(self.order) and len(out) < limit:
            found = self._bytes(int(self.order[pos]))
            if not found.startswith(wanted):
                break
            out.append(found.decode("utf-8", "surrogatepass"))
            pos += 1
        return out

    def _bytes(self, i: int) -> bytes:
        a, b = self.starts[i : i + 2].tolist()
        return self.blob[a : b - 1]


def prefix_key(term: bytes) -> int:
    """The first 8 bytes as a big-endian integer: sorts like the bytes themselves."""
    return int.from_bytes(term[:8].ljust(8, b"\0"), "big")


class TermIds(Mapping[str, int]):
    """term -> id, answered by the vocabulary's binary search (a dict's interface, without one)."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def __getitem__(self, term: str) -> int:
        found = self.vocab.id_of(term) if isinstance(term, str) else None
        if found is None:
            raise KeyError(term)
        return found

    def get(self, term, default=None):  # type: ignore[override]
        found = self.vocab.id_of(term) if isinstance(term, str) else None
        return default if found is None else found

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.vocab.id_of(term) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.vocab)

    def __len__(self) -> int:
        return len(self.vocab)


def concat_counts(parts: Sequence[TermCounts]) -> TermCounts:
    """Passages of several TermCounts one after the other, on one vocabulary (first-seen order)."""
    ids: dict[str, int] = {}
    ptrs, terms, tfs = [np.zeros(1, np.int64)], [], []
    offset = 0
    for part in parts:
        if len(part.vocab) and not ids:  # the first part keeps its ids: no remapping to do
            ids = {t: i for i, t in enumerate(part.vocab)}
            remap = None
        else:
            remap = np.fromiter((ids.setdefault(t, len(ids)) for t in part.vocab), np.int32, len(part.vocab))
        doc_terms = np.asarray(part.doc_terms)
        terms.append(remap[doc_terms] if remap is not None and len(doc_terms) else doc_terms)
        tfs.append(np.asarray(part.doc_tfs))
        ptrs.append(np.asarray(part.doc_ptr[1:]) + offset)
        offset += int(part.doc_ptr[-1])
    vocab = list(ids)
    return TermCounts(vocab, np.concatenate(ptrs),
                      np.concatenate(terms).astype(np.int32) if terms else np.zeros(0, np.int32),
                      np.concatenate(tfs).astype(np.int32) if tfs else np.zeros(0, np.int32))


@dataclass
class Postings:
    """What a question needs: vocabulary, idf and, per word, (passage ids, contributions)."""

    vocab: Sequence[str]
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
    term_max: np.ndarray | None = None  # float64 largest contribution of each term

    def __post_init__(self) -> None:
        if isinstance(self.vocab, Vocabulary):
            self.term_ids: Mapping[str, int] = TermIds(self.vocab)
        else:
            self.term_ids = {t: i for i, t in enumerate(self.vocab)}
        if self.term_max is None:
            self.term_max = term_maxima(self.post_ptr, self.post_weights)
        self._scratch: list[np.ndarray] = []  # zeroed score arrays, reused between questions

    @property
    def n_docs(self) -> int:
        return len(self.doc_len)

    def span(self, term: str) -> tuple[int, int, int] | None:
        """(term id, first, end) of the term's postings; None for a word the passages lack."""
        i = self.term_ids.get(term)
        if i is None:
            return None
        a, b = self.post_ptr[i : i + 2].tolist()
        return i, a, b

    def df(self, term: str) -> int:
        found = self.span(term)
        return 0 if found is None else found[2] - found[1]

    def with_prefix(self, prefix: str, limit: int = 50) -> list[str]:
        """Terms that start with `prefix`: by binary search on a saved index's vocabulary."""
        if isinstance(self.vocab, Vocabulary):
            return self.vocab.with_prefix(prefix, limit)
        return sorted(t for t in self.vocab if t.startswith(prefix))[:limit]  # a small in-memory index

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        found = self.span(term)
        if found is None:
            return None
        _, a, b = found
        return self.post_docs[a:b], self.post_weights[a:b]

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        """Dense scores, equal to `BM25Okapi(tokens).get_scores(query)`."""
        scores = np.zeros(self.n_docs)
        for term in query:
            hit = self.postings(term)
            if hit is not None:
                np.add.at(scores, hit[0], hit[1])
        return scores

    def top_k(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The k best passages with a positive score, best first, ties by passage order."""
        return top_k_from(self, [(t, 1.0) for t in query], k)

    def scratch(self) -> np.ndarray:
        try:
            return self._scratch.pop()  # list.pop and append are atomic: safe across threads
        except IndexError:
            return np.zeros(self.n_docs)

    def give_back(self, scores: np.ndarray, touched: Sequence[np.ndarray]) -> None:
        """Take back a scratch array, zeroed where the ids in `touched` wrote."""
        if sum(len(t) for t in touched) > len(scores) // 8:
            scores.fill(0.0)
        else:
            for ids in touched:
                scores[ids] = 0.0
        if len(self._scratch) < 4:
            self._scratch.append(scores)


def term_maxima(post_ptr: np.ndarray, post_weights: np.ndarray) -> np.ndarray:
    """Each term's largest contribution (0 for a term without postings)."""
    ptr = np.asarray(post_ptr)
    maxima = np.zeros(max(len(ptr) - 1, 0))
    present = np.flatnonzero(np.diff(ptr) > 0)
    if len(present):
        maxima[present] = np.maximum.reduceat(np.asarray(post_weights), ptr[present])
    return maxima


def build_postings(counts: TermCounts, k1: float = K1, b: float = B,
                   epsilon: float = EPSILON) -> Postings:
    """rank-bm25's BM25Okapi statistics and per-word contributions, computed with numpy.

    The vocabulary is put in rank-bm25's order (first occurrence over the passages) so that the
    average idf, and with it the floor given to very common words, is summed in the same order.
    """
    return build_postings_with_ids(counts, k1, b, epsilon)[0]


def build_postings_with_ids(counts: TermCounts, k1: float = K1, b: float = B,
                            epsilon: float = EPSILON) -> tuple[Postings, np.ndarray]:
    """`build_postings`, and the new id of each term id of `counts` (-1 for a term no passage has)."""
    n = counts.n_docs
    flat = np.asarray(counts.doc_terms)
    order = _first_seen_order(flat, len(counts.vocab))
    new_id = np.full(len(counts.vocab), -1, np.int32)
    new_id[order] = np.arange(len(order), dtype=np.int32)
    vocab = [counts.vocab[i] for i in order.tolist()]
    terms = new_id[flat] if len(flat) else flat
    doc_of = np.repeat(np.arange(n, dtype=np.int32), np.diff(counts.doc_ptr))
    tfs = np.asarray(counts.doc_tfs)
    doc_len = np.bincount(doc_of, weights=tfs, minlength=n).astype(np.int64)
    avgdl = float(doc_len.sum()) / n if n else 0.0
    df = np.bincount(terms, minlength=len(vocab))
    idf_list, average_idf = _okapi_idf(df.tolist(), n, epsilon)
    idf = np.asarray(idf_list, np.float64)
    by_term = _group_by_term(terms)
    post_docs = doc_of[by_term]
    tf = tfs[by_term].astype(np.int64)
    dl = doc_len[post_docs]
    if avgdl > 0:  # the same operations, in the same order, as BM25Okapi.get_scores
        weights = idf[terms[by_term]] * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)))
    else:
        weights = np.zeros(len(tf))
    post_ptr = np.zeros(len(vocab) + 1, np.int64)
    np.cumsum(df, out=post_ptr[1:])
    weights = weights.astype(np.float64)
    postings = Postings(vocab, idf, post_ptr, post_docs.astype(np.int32), weights, doc_len.astype(np.int32),
                        avgdl, average_idf, k1, b, epsilon, term_maxima(post_ptr, weights))
    return postings, new_id


def _group_by_term(terms: np.ndarray) -> np.ndarray:
    """np.argsort(terms, kind="stable"): entries grouped by term, in passage order within a term.

    Sorting (term, position) pairs packed in one int64 gives the same order several times faster
    than numpy's stable sort of int32.
    """
    if len(terms) >= 2**31:
        return np.argsort(terms, kind="stable")
    keys = (terms.astype(np.int64) << 32) | np.arange(len(terms), dtype=np.int64)
    return np.sort(keys) & 0xFFFFFFFF


def _first_seen_order(flat: np.ndarray, n_terms: int) -> np.ndarray:
    """Term ids in the order of their first occurrence in `flat` (terms never seen left out)."""
    if not len(flat):
        return np.zeros(0, np.int64)
    first = np.full(n_terms, len(flat), np.int64)
    np.minimum.at(first, flat, np.arange(len(flat), dtype=np.int64))
    seen = np.flatnonzero(first < len(flat))
    return seen[np.argsort(first[seen], kind="stable")]


def _okapi_idf(df: list[int], n: int, epsilon: float) -> tuple[list[float], float]:
    """BM25Okapi._calc_idf, loop for loop: negative idfs get epsilon * average idf."""
    idf = []
    idf_sum = 0.0
    negative = []
    log = math.log
    for i, freq in enumerate(df):
        value = log(n - freq + 0.5) - log(freq + 0.5)
        idf.append(value)
        idf_sum += value
        if value < 0:
            negative.append(i)
    average = idf_sum / len(idf) if idf else 0.0
    eps = epsilon * average
    for i in negative:
        idf[i] = eps
    return idf, average


@dataclass
class _Part:
    """One question word found in the index: where its postings are and its weight."""

    term: int
    start: int
    end: int
    weight: float

    @property
    def df(self) -> int:
        return self.end - self.start


def top_k_from(index: Postings, weighted_terms: Sequence[tuple[str, float]], k: int,
               allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """The k best positive scores of the weighted sum of postings (ties: lower passage id first).

    With weights of 1 the scores are rank-bm25's, bit for bit: a passage's score is always
    summed in the order of the question's words.
    """
    parts = []
    for term, weight in weighted_terms:
        found = index.span(term)
        if found is not None and found[2] > found[1]:
            parts.append(_Part(found[0], found[1], found[2], weight))
    if not parts or k <= 0:
        return []
    if sum(p.df for p in parts) >= PRUNE_FROM:
        best = _pruned_top(index, parts, k, allowed)
        if best is not None:
            return best
    return _exhaustive_top(index, parts, k, allowed)


def _exhaustive_top(index: Postings, parts: list[_Part], k: int,
                    allowed: np.ndarray | None) -> list[tuple[int, float]]:
    scores = index.scratch()
    touched = []
    for p in parts:
        ids, weights = index.post_docs[p.start : p.end], index.post_weights[p.start : p.end]
        np.add.at(scores, ids, weights if p.weight == 1.0 else p.weight * weights)
        touched.append(ids)
    candidates = np.concatenate(touched) if len(touched) > 1 else np.asarray(touched[0])
    try:
        return select_top(scores, candidates, k, allowed, repeats=len(touched))
    finally:
        index.give_back(scores, [candidates])


def _pruned_top(index: Postings, parts: list[_Part], k: int,
                allowed: np.ndarray | None) -> list[tuple[int, float]] | None:
    """MaxScore: the top k found from the rarer words' passages, common words' postings read
    only for the candidates; None when the bound cannot be used (the caller adds all up)."""
    if any(p.weight < 0 or index.idf[p.term] < 0 for p in parts):
        return None  # the bound below needs words that can only add to a score
    common_df = max(1, int(index.n_docs * COMMON_SHARE))
    # Common words, the one that lowers the bound most for the postings it costs last: it is the
    # first to be added up when the others' bound is still too high.
    common = sorted((p for p in parts if p.df >= common_df), key=lambda p: p.weight * index.term_max[p.term] / p.df)
    rare = [p for p in parts if p.df < common_df] or [common.pop()]
    scores = index.scratch()
    touched: list[np.ndarray] = []
    try:
        while True:
            for p in rare:
                ids, weights = index.post_docs[p.start : p.end], index.post_weights[p.start : p.end]
                np.add.at(scores, ids, weights if p.weight == 1.0 else p.weight * weights)
                touched.append(ids)
            bound = sum(p.weight * float(index.term_max[p.term]) for p in common)
            keep = _reachable(scores, touched, bound, k, allowed)
            if keep is not None and (not common or len(keep) <= KEEP_AT_MOST):
                break
            if not common:
                return None  # fewer than k passages score: nothing to prune
            rare = [common.pop()]  # the bound is too high, or leaves too many: read one more word
        return _best(keep, _exact_scores(index, parts, keep), k)
    finally:
        index.give_back(scores, touched)


def _reachable(scores: np.ndarray, touched: list[np.ndarray], bound: float, k: int,
               allowed: np.ndarray | None) -> np.ndarray | None:
    """Sorted ids of the passages that may be in the top k, given the shares in `scores` of the
    words read so far (passages `touched`) and the `bound` of what the others can add; None when
    a passage that no word read so far touched could still be in it."""
    if sum(len(t) for t in touched) > len(scores) // 4:  # many candidates: use the dense array
        values = scores if allowed is None else np.where(allowed, scores, 0.0)
        floor = kth_largest(values, k)
        candidates = None
    else:
        candidates = np.concatenate(touched) if len(touched) > 1 else touched[0]
        if allowed is not None:
            candidates = candidates[allowed[candidates]]
        values = scores.take(candidates)
        # A passage is listed once per word read: the (k * words)-th best entry leaves at least
        # k passages at or above it.
        floor = kth_largest(values, k * len(touched))
    slack = 1e-9 * (abs(floor) + bound + 1.0)  # sums in another order round differently
    if floor <= 0 or bound + slack >= floor:
        return None  # fewer than k passages have a share, or the bound could lift another one
    # A passage can reach the floor only if its share plus the bound does (and it has a share).
    reach = values >= max(floor - (bound + 2 * slack), np.nextafter(0.0, 1.0))
    return np.flatnonzero(reach) if candidates is None else distinct(candidates[reach])


def kth_largest(values: np.ndarray, k: int) -> float:
    """The k-th largest value (0.0 when there are fewer than k).

    np.partition is slow on large arrays here; the k-th largest of the maxima of blocks is a
    floor that leaves only a few values to partition.
    """
    n = len(values)
    if n < k or k <= 0:
        return 0.0
    if n > 32768:
        block = 256
        maxima = values[: n // block * block].reshape(-1, block).max(axis=1)
        if len(maxima) >= k:  # k blocks hold a value at least this large
            values = values[values >= np.partition(maxima, len(maxima) - k)[len(maxima) - k]]
            n = len(values)
    return float(np.partition(values, n - k)[n - k])


def _exact_scores(index: Postings, parts: list[_Part], docs: np.ndarray) -> np.ndarray:
    """Scores of `docs` (sorted ids), summed word by word in the question's order, as rank-bm25."""
    scores = np.zeros(len(docs))
    if not len(docs):
        return scores
    for p in parts:
        ids = index.post_docs[p.start : p.end]
        pos = np.searchsorted(ids, docs)
        hit = ids.take(pos, mode="clip") == docs
        add = index.post_weights[p.start : p.end].take(pos, mode="clip") * hit  # x * 1 is x, misses add 0
        scores += add if p.weight == 1.0 else p.weight * add
    return scores


def distinct(ids: np.ndarray) -> np.ndarray:
    """Sorted distinct ids (np.unique is much slower on this numpy for large arrays)."""
    if len(ids) < 2:
        return np.asarray(ids)
    ids = np.sort(ids)
    return ids[np.concatenate(([True], ids[1:] != ids[:-1]))]


def _best(ids: np.ndarray, values: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k best positive (id, value) pairs by value desc, id asc; ids are distinct."""
    positive = values > 0
    ids, values = ids[positive], values[positive]
    order = np.lexsort((ids, -values))[:k]
    return [(int(ids[i]), float(values[i])) for i in order]


def select_top(scores: np.ndarray, candidates: np.ndarray, k: int,
               allowed: np.ndarray | None = None, repeats: int = 1) -> list[tuple[int, float]]:
    """The k best candidates by (score desc, id asc); a candidate may be listed `repeats` times."""
    if allowed is not None:
        candidates = candidates[allowed[candidates]]
    if not len(candidates) or k <= 0:
        return []
    values = scores.take(candidates)
    keep_n = k * repeats  # enough entries to hold k distinct passages
    if len(candidates) > 2 * keep_n:
        # Keep everything that ties with the cut-off value, so ties are decided by id below.
        keep = values >= max(kth_largest(values, keep_n), np.nextafter(0.0, 1.0))
        candidates, values = candidates[keep], values[keep]
    order = np.argsort(candidates)  # a repeated candidate has the same value each time
    candidates, values = candidates[order], values[order]
    first = np.concatenate(([True], candidates[1:] != candidates[:-1]))
    return _best(candidates[first], values[first], k)
