"""Retrieval evaluation: hit@1/3/5 and MRR@5 on a YAML list of questions with expected notes."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot import yamlsafe
from bot.analysis import fold
from bot.markup import inline_text


class EvalError(ValueError):
    """The questions file cannot be used; the message says why."""


@dataclass
class EvalQuestion:
    q: str
    expect: list[tuple[str, str]]  # (corpus folder name, path inside it)
    must_contain: str
    kind: str = ""
    lang: str = ""


@dataclass
class EvalResult:
    questions: list[EvalQuestion]
    ranks: list[int | None]  # 1-based rank of the first correct passage in the top 5
    firsts: list[str] = field(default_factory=list)  # what came first, for the misses

    def hit_at(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / max(len(self.ranks), 1)

    @property
    def mrr(self) -> float:
        return sum(1 / r for r in self.ranks if r is not None) / max(len(self.ranks), 1)

    def by_kind(self) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for q, r in zip(self.questions, self.ranks, strict=True):
            hit, total = out.get(q.kind or "-", (0, 0))
            out[q.kind or "-"] = (hit + (r is not None and r <= 3), total + 1)
        return out


def load_questions(path: Path) -> list[EvalQuestion]:
    try:
        data = yamlsafe.load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvalError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise EvalError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except yamlsafe.YAMLError as exc:
        raise EvalError(f"{path} is not valid YAML: {' '.join(str(exc).split())}") from exc
    if not isinstance(data, list) or not data:
        raise EvalError(f"{path}: expected a non-empty YAML list of questions")
    questions = []
    for i, item in enumerate(data, 1):
        if not isinstance(item, dict) or not item.get("q") or not item.get("expect"):
            raise EvalError(f"{path}: question {i} needs 'q' and 'expect'")
        expect = []
        for raw in item["expect"] if isinstance(item["expect"], list) else [item["expect"]]:
            parts = str(raw).split("/", 2)
            if len(parts) != 3 or parts[0] != "corpus":
                raise EvalError(f"{path}: question {i}: expect paths look like corpus/<name>/<path>, "
                                f"got {raw!r}")
            expect.append((parts[1], parts[2]))
        questions.append(EvalQuestion(str(item["q"]), expect, str(item.get("must_contain", "")),
                                      str(item.get("kind", "")), str(item.get("lang", ""))))
    return questions


def normalise(text: str) -> str:
    """Compare phrases after folding case, accents, spaces and apostrophes (and dropping markup,
    including the brackets of a link the phrase cuts in half: "Designer, [Computed·By")."""
    return re.sub(r"[\s'’]+", " ", fold(inline_text(text)).replace("[", "").replace("]", "")).strip()


def is_correct(question: EvalQuestion, hit: dict, roots: Sequence[str]) -> bool:
    """`hit` is a JSON hit (path, corpus, heading, text, links)."""
    name = Path(hit["corpus"]).name
    if (name, hit["path"]) not in question.expect:
        return False
    if not question.must_contain:
        return True
    # what the answer shows: the heading, the text and its links (a link's address is in the
    # note's Markdown, so "institutnr-ch.org" is a phrase a question writer may copy)
    links = [link["url"] for link in hit.get("links", [])]
    haystack = normalise(" ".join([hit.get("heading", ""), hit.get("text", ""), *links]))
    return normalise(question.must_contain) in haystack


def evaluate(questions: list[EvalQuestion], ask: Callable[[str], list[dict]],
             roots: Sequence[str]) -> EvalResult:
    result = EvalResult(questions, [])
    for question in questions:
        hits = ask(question.q)[:5]
        rank = next((i for i, h in enumerate(hits, 1) if is_correct(question, h, roots)), None)
        result.ranks.append(rank)
        result.firsts.append(f"{Path(hits[0]['corpus']).name}/{hits[0]['path']}" if hits else "(nothing)")
    return result


def check_corpora(questions: list[EvalQuestion], roots: Sequence[Path]) -> list[str]:
    """Expected corpus names that none of the roots is named after (their questions will miss)."""
    names = {Path(r).name for r in roots}
    return sorted({name for q in questions for name, _ in q.expect} - names)


def report_lines(result: EvalResult, title: str = "notesbot") -> list[str]:
    lines = [
        f"{title}: {len(result.ranks)} questions",
        f"hit@1 {result.hit_at(1):.3f}   hit@3 {result.hit_at(3):.3f}   "
        f"hit@5 {result.hit_at(5):.3f}   MRR@5 {result.mrr:.3f}",
        "hit@3 by kind: " + ", ".join(f"{k} {h}/{t}" for k, (h, t) in sorted(result.by_kind().items())),
    ]
    misses = [(q, r, f) for q, r, f in zip(result.questions, result.ranks, result.firsts, strict=True)
              if r is None or r > 1]
    if misses:
        lines.append("not first:")
        for q, r, first in misses:
            where = "missed" if r is None else f"rank {r}"
            lines.append(f"  [{where}] {q.q}  (first: {first})")
    return lines


def baseline_asker(files) -> Callable[[str], list[dict]]:
    """Plain rank-bm25 on lowercase words over the same passages: the reference to beat."""
    from rank_bm25 import BM25Okapi

    records = [files.passage(i) for i in range(int(files.meta["passages"]))]

    def words(text: str) -> list[str]:
        return re.findall(r"\w+", text.lower())

    bm25 = BM25Okapi([words(" ".join([r["title"], *r["heading"], r["text"]])) for r in records])
    roots = files.meta["roots"]

    def ask(question: str) -> list[dict]:
        scores = bm25.get_scores(words(question))
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:5]
        return [{"corpus": roots[records[i]["corpus"]], "path": records[i]["path"],
                 "heading": " › ".join(records[i]["heading"]), "text": records[i]["text"]}
                for i in order]

    return ask
