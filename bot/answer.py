"""Hits -> answers a person reads: title, heading, a snippet with the matched words, links."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from posixpath import basename, splitext
from urllib.parse import urljoin, urlsplit

from bot.analysis import Analyzer
from bot.search import Hit, SearchResult
from bot.store import IndexFiles
from bot.urls import slugify

SNIPPET_WORDS = 45
_WORD = re.compile(r"[\w’']+(?:-\w+)*")


@dataclass
class AnswerHit:
    title: str
    heading: str
    snippet: str  # with the matched words in **bold**
    url: str
    links: list[tuple[str, str]]  # (text, url)
    path: str
    corpus: str
    score: float
    text: str
    passage: int
    draft: bool = False

    def as_json(self) -> dict:
        return {"path": self.path, "corpus": self.corpus, "title": self.title,
                "heading": self.heading, "url": self.url, "score": round(self.score, 6),
                "text": self.text, "links": [{"text": t, "url": u} for t, u in self.links]}


@dataclass
class Answer:
    question: str
    hits: list[AnswerHit]
    good: bool
    suggestions: list[str] = field(default_factory=list)  # close note titles when nothing matched


class Answerer:
    """Turns search results into answers; resolves wiki links with the index's note table."""

    def __init__(self, files: IndexFiles, analyzer: Analyzer) -> None:
        self.files = files
        self.analyzer = analyzer

    @cached_property
    def _by_stem(self) -> dict[tuple[int, str], dict]:
        table: dict[tuple[int, str], dict] = {}
        for note in self.files.notes:
            table.setdefault((note["corpus"], note["stem"].casefold()), note)
        return table

    def answer(self, result: SearchResult) -> Answer:
        terms = result.understood.all_terms()
        hits: list[AnswerHit] = []
        for h in result.hits:
            # two overlapping windows of one section would often show the same lines twice:
            # the later one shows what the earlier one did not
            shown = [a.snippet for a in hits if a.url == h.record["url"]]
            hits.append(self.hit(h, terms, shown))
        return Answer(result.understood.question, hits, result.good)

    def hit(self, hit: Hit, terms: set[str], shown: Sequence[str] = ()) -> AnswerHit:
        r = hit.record
        corpus = self.files.meta["roots"][r["corpus"]]
        return AnswerHit(
            title=r["title"], heading=" › ".join(r["heading"]),
            snippet=self.snippet(r["text"] or " ".join(r["heading"]), terms, shown=shown),
            url=r["url"], links=self.links(r), path=r["path"], corpus=corpus,
            score=hit.score, text=r["text"], passage=hit.passage, draft=bool(r.get("draft")),
        )

    def links(self, record: dict) -> list[tuple[str, str]]:
        out = []
        for text, target, kind in record["links"]:
            url = self._wiki(record, target) if kind == "wiki" else self._absolute(record, target)
            if url and (text, url) not in out:
                out.append((text, url))
        return out

    def _absolute(self, record: dict, target: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            return target
        page = record["url"]
        if not page:
            return target
        if target.startswith("/"):
            parts = urlsplit(page)
            return f"{parts.scheme}://{parts.netloc}{target}" if parts.netloc else target
        return urljoin(page, target)

    def _wiki(self, record: dict, target: str) -> str:
        name, _, heading = target.partition("#")
        name = basename(name.strip())  # [[Notes/Name]] names the note by its path
        name = splitext(name)[0] if name.endswith(".md") else name
        if not name:  # [[#Heading]]: a heading of this note
            page = record["url"].split("#")[0]
            return f"{page}#{slugify(heading)}" if page else ""
        note = self._by_stem.get((record["corpus"], name.casefold()))
        if note is None or not note["url"]:
            return ""
        return f"{note['url']}#{slugify(heading)}" if heading else note["url"]

    def snippet(self, text: str, terms: set[str], width: int = SNIPPET_WORDS, shown: Sequence[str] = ()) -> str:
        """The window of `width` words with the most matched words; those words in bold. Words
        inside snippets already `shown` for the same page do not count, so a second window of a
        section shows other lines."""
        flat = " ".join(text.split())
        words = list(_WORD.finditer(flat))
        if not words:
            return flat[:300]
        hits = [bool(terms.intersection(self.analyzer.terms(m.group(0)))) for m in words]
        if shown:
            seen = _shown_words([m.group(0) for m in words], shown)
            new = [hit and not was for hit, was in zip(hits, seen, strict=True)]
            if any(new):  # nothing new to show: the same lines rather than none
                hits = new
        best, best_count = 0, -1
        count = sum(hits[:width])
        for start in range(0, max(1, len(words) - width + 1)):
            if start:
                count += (hits[start + width - 1] if start + width - 1 < len(hits) else 0) - hits[start - 1]
            if count > best_count:
                best, best_count = start, count
        end_word = min(len(words), best + width)
        lo = 0 if best == 0 else words[best].start()
        hi = len(flat) if end_word == len(words) else words[end_word - 1].end()
        pieces, pos = [], lo
        for m, hit in zip(words[best:end_word], hits[best:end_word], strict=True):
            if hit:
                pieces.append(flat[pos : m.start()] + "**" + m.group(0) + "**")
                pos = m.end()
        pieces.append(flat[pos:hi])
        return ("… " if lo > 0 else "") + "".join(pieces) + (" …" if hi < len(flat) else "")


def _shown_words(words: Sequence[str], shown: Sequence[str]) -> list[bool]:
    """Which of `words` an earlier snippet showed: those in a run of three words it has."""
    grams = set()
    for snippet in shown:
        seen = _WORD.findall(snippet.replace("**", ""))
        grams |= set(zip(seen, seen[1:], seen[2:], strict=False))
    inside = [tuple(words[i : i + 3]) in grams for i in range(len(words))]
    return [any(inside[j] for j in range(max(0, i - 2), i + 1)) for i in range(len(words))]
