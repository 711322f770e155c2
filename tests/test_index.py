"""BM25 postings: the same floats as rank-bm25's BM25Okapi, and the same top k, on edge cases too."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

import bot.index as index_module
from bot.index import (
    K1,
    B,
    Postings,
    TermCounts,
    Vocabulary,
    build_postings,
    concat_counts,
    kth_largest,
    prefix_key,
    top_k_from,
)

# Edge cases: empty passages, "moitie" in exactly half the passages (idf 0), "commun" in more
# than half (negative idf, floored at epsilon * mean idf), repeated words, identical passages.
EDGE_CORPUS = [
    ["velo", "commun", "moitie", "velo"],
    [],
    ["train", "commun", "moitie"],
    ["commun", "bus", "bus", "bus", "moitie"],
    ["avion", "commun"],
    ["velo", "commun", "moitie", "velo"],
    [],
    ["commun", "train", "train", "rare"],
    ["marche", "moitie"],
    ["commun", "velo"],
]
EDGE_QUERIES = [
    ["velo"], ["commun"], ["moitie"], ["velo", "velo"], ["inconnu"], [], ["inconnu", "train"],
    ["commun", "moitie", "rare"], ["bus", "velo", "train", "avion", "marche"], ["rare", "rare", "commun"],
]


def postings_for(docs: list[list[str]]) -> Postings:
    return build_postings(TermCounts.from_tokens(docs))


def reference_top(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """rank-bm25's scores sorted by score, then passage order (a stable sort), positive only."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return [(i, float(scores[i])) for i in order if scores[i] > 0][:k]


def random_corpus(seed: int, n_docs: int, vocab_size: int) -> list[list[str]]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(vocab_size)]
    weights = [1 / (i + 1) for i in range(vocab_size)]  # Zipf: a few words everywhere
    docs = []
    for _ in range(n_docs):
        length = rng.choice([0, 1, 3, 8, 20, 40])
        docs.append(rng.choices(words, weights, k=length))
    docs += [docs[3][:], docs[3][:]]  # identical passages tie
    return docs


def random_questions(seed: int, docs: list[list[str]], count: int) -> list[list[str]]:
    rng = random.Random(seed)
    words = sorted({w for d in docs for w in d})
    questions = []
    for _ in range(count):
        q = rng.sample(words, rng.randint(1, 5))
        if rng.random() < 0.2:
            q.append(q[0])  # a repeated word counts twice, as in rank-bm25
        if rng.random() < 0.2:
            q.append("absent")
        questions.append(q)
    return questions


@pytest.mark.parametrize("query", EDGE_QUERIES)
def test_scores_equal_rank_bm25_on_edge_cases(query):
    ours = postings_for(EDGE_CORPUS).get_scores(query)
    assert np.array_equal(ours, BM25Okapi(EDGE_CORPUS, k1=K1, b=B).get_scores(query))


def test_edge_case_statistics():
    postings = postings_for(EDGE_CORPUS)
    reference = BM25Okapi(EDGE_CORPUS, k1=K1, b=B)
    assert postings.idf[postings.term_ids["moitie"]] == 0.0  # in exactly half: weight 0
    assert reference.idf["commun"] == postings.idf[postings.term_ids["commun"]]
    assert postings.idf[postings.term_ids["commun"]] == pytest.approx(0.25 * reference.average_idf)
    assert postings.average_idf == reference.average_idf
    assert postings.avgdl == reference.avgdl
    assert postings.df("commun") == 7 and postings.df("inconnu") == 0
    assert postings.postings("inconnu") is None


def test_scores_equal_rank_bm25_on_random_corpora():
    for seed in range(3):
        docs = random_corpus(seed, 300, 400)
        postings, reference = postings_for(docs), BM25Okapi(docs, k1=K1, b=B)
        for query in random_questions(seed, docs, 60):
            assert np.array_equal(postings.get_scores(query), reference.get_scores(query)), query


@pytest.mark.parametrize("pruning", ["exhaustive", "pruned", "default"])
def test_top_k_is_a_stable_sort_of_rank_bm25(monkeypatch, pruning):
    if pruning == "exhaustive":
        monkeypatch.setattr(index_module, "PRUNE_FROM", 10**12)
    elif pruning == "pruned":  # the bound is tried on every question, with a small candidate set
        monkeypatch.setattr(index_module, "PRUNE_FROM", 0)
        monkeypatch.setattr(index_module, "COMMON_SHARE", 1 / 64)
        monkeypatch.setattr(index_module, "KEEP_AT_MOST", 8)
    docs = random_corpus(11, 800, 600)
    postings, reference = postings_for(docs), BM25Okapi(docs, k1=K1, b=B)
    for query in random_questions(5, docs, 300):
        scores = reference.get_scores(query)
        for k in (1, 5, 12):
            assert postings.top_k(query, k) == reference_top(scores, k), (query, k)


def test_top_k_on_edge_cases_and_ties():
    postings, reference = postings_for(EDGE_CORPUS), BM25Okapi(EDGE_CORPUS, k1=K1, b=B)
    for query in EDGE_QUERIES:
        assert postings.top_k(query, 10) == reference_top(reference.get_scores(query), 10)
    velo = postings.top_k(["velo"], 2)
    assert [i for i, _ in velo] == [0, 5]  # identical passages: passage order
    assert postings.top_k(["moitie"], 5) == []  # a zero weight everywhere: nothing scores
    assert postings.top_k(["velo"], 0) == []


def test_weighted_terms_and_allowed_passages(monkeypatch):
    docs = random_corpus(3, 500, 300)
    postings, reference = postings_for(docs), BM25Okapi(docs, k1=K1, b=B)
    allowed = np.random.default_rng(0).random(len(docs)) < 0.6
    for prune_from in (0, 10**12):
        monkeypatch.setattr(index_module, "PRUNE_FROM", prune_from)
        for query in random_questions(8, docs, 80):
            weights = [0.5 + (i % 3) * 0.75 for i in range(len(query))]
            expected = np.zeros(len(docs))
            for term, weight in zip(query, weights, strict=True):
                expected += weight * reference.get_scores([term])
            got = top_k_from(postings, list(zip(query, weights, strict=True)), 5, allowed)
            masked = np.where(allowed, expected, 0.0)
            assert got == reference_top(masked, 5), query


def test_empty_corpus():
    postings = postings_for([])
    assert postings.n_docs == 0 and postings.avgdl == 0.0 and postings.average_idf == 0.0
    assert len(postings.get_scores(["a"])) == 0
    assert postings.top_k(["a"], 5) == []
    only_empty = postings_for([[], []])
    assert only_empty.top_k(["a"], 5) == [] and np.array_equal(only_empty.get_scores(["a"]), [0.0, 0.0])


def test_concat_counts_equals_counting_all_at_once():
    docs = random_corpus(4, 120, 200)
    parts = [TermCounts.from_tokens(docs[:50]), TermCounts.from_tokens([]), TermCounts.from_tokens(docs[50:])]
    joined = build_postings(concat_counts(parts))
    whole = build_postings(TermCounts.from_tokens(docs))
    assert list(joined.vocab) == list(whole.vocab)
    for name in ("idf", "post_ptr", "post_docs", "post_weights", "doc_len", "term_max"):
        assert np.array_equal(getattr(joined, name), getattr(whole, name)), name


def test_vocabulary_finds_terms_by_binary_search():
    terms = ["vélo", "velo", "a", "aaaaaaaa", "aaaaaaaab", "aaaaaaaaa", "日本", "z", "2024", "e\u0301"]
    vocab = Vocabulary.from_terms(terms)
    assert list(vocab) == terms and len(vocab) == len(terms) and vocab[1] == "velo" and vocab[-1] == "e\u0301"
    for i, term in enumerate(terms):
        assert vocab.id_of(term) == i
        assert term in vocab
    for missing in ("", "aaaaaaa", "aaaaaaaac", "vel", "zz", "日"):
        assert vocab.id_of(missing) is None
    encoded = sorted(t.encode() for t in terms)
    assert [terms[i].encode() for i in vocab.order.tolist()] == encoded
    assert vocab.keys.tolist() == [prefix_key(e) for e in encoded]
    with pytest.raises(ValueError):
        Vocabulary.from_terms(["two\nlines"])


def test_loaded_vocabulary_gives_the_same_postings():
    docs = random_corpus(9, 200, 300)
    plain = postings_for(docs)
    vocab = Vocabulary.from_terms(plain.vocab)
    fresh = Vocabulary(vocab.blob, vocab.starts, vocab.order, vocab.keys)  # as loaded: no list yet
    loaded = Postings(fresh, plain.idf, plain.post_ptr, plain.post_docs, plain.post_weights, plain.doc_len,
                      plain.avgdl, plain.average_idf)
    assert loaded.term_ids.get("absent") is None and "w1" in loaded.term_ids
    for query in random_questions(2, docs, 50):
        assert loaded.top_k(query, 5) == plain.top_k(query, 5)
        assert np.array_equal(loaded.get_scores(query), plain.get_scores(query))


def test_kth_largest():
    rng = np.random.default_rng(1)
    for n in (0, 3, 100, 5000, 70000):
        values = np.where(rng.random(n) < 0.7, 0.0, rng.random(n))
        for k in (1, 5, 40):
            expected = float(np.sort(values)[-k]) if n >= k else 0.0
            assert kth_largest(values, k) == expected


def test_vocabulary_lists_the_terms_with_a_prefix() -> None:
    from bot.index import Vocabulary

    vocab = Vocabulary.from_terms(["certif", "numer", "certifi", "certificat", "cert", "zèbre", "certifiant"])
    assert vocab.with_prefix("certif") == ["certif", "certifi", "certifiant", "certificat"]
    assert vocab.with_prefix("certif", limit=2) == ["certif", "certifi"]
    assert vocab.with_prefix("zè") == ["zèbre"] and vocab.with_prefix("zz") == [] and vocab.with_prefix("a") == []
