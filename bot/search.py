"""A question -> ranked passages: understood words, BM25 scores, filters, phrases first."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np

from bot.analysis import Analyzer, Word, fold
from bot.cues import YEAR_RE
from bot.index import distinct
from bot.query import parse_question
from bot.store import IndexFiles

TIE_BREAKER = 0.2  # how much the other alternatives of a word add to the best one (dis_max)
GOOD_MATCH = 0.4  # share of the question's weight the best passage must cover to be "good"
# A several-word alternative ("gaz à effet de serre" for "greenhouse gas") is one notion: its words'
# scores are summed, divided by n ** 0.75 (between the sum and the mean), and scaled by the share of
# its words the passage has, so "effet" alone is not a quarter of the greenhouse effect.
PHRASE_SPLIT = 0.75
WINDOW_TIE = 0.05  # windows of one section this close in score: the section's start reads better
# A passage that matches more of the question's words (weighted by rarity) is worth more than the
# sum of its words says: scores are multiplied by coverage ** 0.5, as Lucene's classic coord factor
# did. Powers from 0.35 to 0.75 gave the same evaluation figures.
COVERAGE_POWER = 0.5
NOTE_CONTEXT = 0.3  # share of its note's best score for a word that a passage inherits
# A name the question capitalises ("selon Claire Dorville", "the NumEco path") says which note;
# the passage that answers seldom repeats it, so it inherits most of the note's score for it:
# the score of the note's opening passage, where a note says whom or what it is about. A name
# found only in another section names that section ("Miro" in a page of tools), not its siblings.
NAME_CONTEXT = 0.9
# An acronym in capitals names a note, as a capitalised word does, when at most 2% of the
# passages use it ("CGDD", "INR", "FTAP"); a common one names the garden's everyday things
# ("DINUM" on the DINUM's own site, "MOOC" in a garden of trainings).
RARE_ACRONYM = 0.02
# A note that names none of the question's names is less likely the one asked about (0.7 to 0.9
# gave the same figures).
NAME_MISSING = 0.8
# Passages of one note before any other note's. 1 loses answers that are a note's second passage;
# 3 lets a long note that names every question word somewhere fill the answer.
PER_NOTE = 2
# The rules after scoring (a quoted phrase first, a few passages per note, near ties) see the
# best POOL passages and break near ties among the first TIE_TOP, however many answers were
# asked for: `ask --top 10` then starts with the five `/ask` shows.
POOL = 50
TIE_TOP = 5
# Two passages of one note within 10% of each other: the one that matches more of the question
# itself (not through its note) comes first. The note's opening passage, short and titled, had
# beaten the "À retenir" list that holds the answer word.
SAME_NOTE_TIE = 0.1
LATER_SHARE = 0.6  # a note's further passages come before passages scoring under 0.6 of theirs
# A long note (a podcast transcript, a purchasing guide of 60 windows) has many passages, so one
# of them meets several everyday words of a question by chance: its passages score
# 1 / (1 + 0.15 ln(passages / 8)), a note of 8 passages or fewer nothing less (0.9 at 16,
# 0.76 at 68). 0.1 to 0.2 and 6 to 10 passages gave the same figures; more lost answers in
# transcripts.
LONG_NOTE = 8
LONG_NOTE_DOWN = 0.15
DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:fr|com|org|net|ch|eu|io|be|ca|info)\b", re.I)
_NAME = re.compile(r"(?<![.?!:;]\s)(?<!^)\b[A-ZÀ-Ý][\w'’-]*")


@dataclass
class Alternative:
    """One way a question word may appear in the notes."""

    terms: tuple[str, ...]
    weight: float = 1.0
    # word | translation | typo+translation | synonym | typo | accent | conjugation | family |
    # number | label | counted | answer type
    why: str = "word"
    shown: str = ""  # the word or phrase behind the terms, for --explain
    flat: bool = False  # scored by term frequency only, whatever the term's rarity


@dataclass
class Concept:
    """A word (or phrase) of the question and the alternatives that count as it, at most once."""

    surface: str
    alternatives: list[Alternative]
    named: bool = False  # a name the question capitalises: the note's, more than the passage's

    @classmethod
    def of_word(cls, word: Word) -> Concept:
        """A question word that stands for itself only."""
        return cls(word.surface, [Alternative((word.term,), shown=word.surface)])

    @property
    def answer_cue(self) -> bool:
        """A year, an amount, "12 monuments": the passage itself must state it, not its note."""
        return all(a.why in ("answer type", "counted") for a in self.alternatives)

    @property
    def exact(self) -> bool:
        alt = self.alternatives[0]
        return len(self.alternatives) == 1 and len(alt.terms) == 1 and alt.weight == 1.0


@dataclass
class Understood:
    """How a question was read: what `--explain` prints."""

    question: str
    concepts: list[Concept] = field(default_factory=list)
    text: str = ""  # the question without its search syntax
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
    own: float = 0.0  # the share it matched itself, without what its note says


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
        understood = Understood(question, text=parsed.text, phrases=parsed.phrases,
                                excluded=parsed.excluded, tags=parsed.tags)
        words = self.analyzer.words(parsed.text)
        if self.expander is not None:
            understood.concepts = self.expander.expand(words, understood)
        else:
            understood.concepts = [Concept.of_word(w) for w in words]
        names = _names(parsed.text) | self._rare_acronyms(parsed.text)
        for concept in understood.concepts:
            concept.named = bool(names) and all(w in names for w in concept.surface.replace(".", " ").split())
        return understood

    def _rare_acronyms(self, text: str) -> set[str]:
        """The acronyms the question writes in capitals where no sentence begins ("selon
        l'INR"), of three letters or more, that few passages use (see RARE_ACRONYM)."""
        most = RARE_ACRONYM * self.postings.n_docs
        out = set()
        for match in _NAME.finditer(text):
            word = match.group(0)
            if word.isupper() and word.isalpha() and len(word) >= 3:
                terms = self.analyzer.terms(word)
                if len(terms) == 1 and 0 < self.postings.df(terms[0]) <= most:
                    out.add(fold(word))
        return out

    def search(self, question: str, k: int = 5) -> SearchResult:
        understood = self.understand(question)
        return SearchResult(understood, self.rank(understood, k))

    def rank(self, understood: Understood, k: int) -> list[Hit]:
        if self.postings.n_docs == 0 or not understood.concepts:
            return []
        parts = self._parts(understood.concepts)
        total_weight = sum(part.weight for part in parts)
        touched = [part.got[0] for part in parts if part.got is not None]
        if not touched:
            return []
        candidates = distinct(np.concatenate(touched))
        allowed = self._allowed(understood)
        if allowed is not None:
            candidates = candidates[allowed[candidates]]
        if not len(candidates):
            return []
        cand_notes = np.asarray(self.files.doc_note[candidates])
        scores, matched, own = self._combine(candidates, cand_notes, parts)
        scores = self._unnamed_notes_down(scores, cand_notes, parts)
        scores = scores * self._note_length_factor[cand_notes]
        if total_weight > 0:
            matched /= total_weight
            own /= total_weight
            scores = scores * np.minimum(matched, 1.0) ** COVERAGE_POWER
        order = _best_first(candidates, scores, max(POOL, k))
        hits = [Hit(int(candidates[i]), float(scores[i]), {}, float(matched[i]), own=float(own[i]))
                for i in order]
        if understood.phrases:
            hits = self._own_words_first(self._few_per_note(self._phrases_first(hits, understood.phrases)),
                                         TIE_TOP)
        else:
            hits = self._lead_for_title(hits, understood)
            hits = self._section_start_on_ties(hits, TIE_TOP)
            hits = self._own_words_first(self._few_per_note(hits), TIE_TOP)
        hits = hits[:k]
        for hit in hits:
            hit.record = hit.record or self.files.passage(hit.passage)
        return hits

    def _parts(self, concepts: list[Concept]) -> list[_Scored]:
        """Each concept's weight, scores and the share of its note's score it inherits."""
        return [_Scored(self._concept_weight(c), self._concept_scores(c),
                        0.0 if c.answer_cue else NAME_CONTEXT if c.named else NOTE_CONTEXT, c.named)
                for c in concepts]

    def _combine(self, candidates: np.ndarray, cand_notes: np.ndarray, parts: list[_Scored]
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Scores, covered weight and weight covered by the passage itself, concept by concept
        (`cand_notes`: the candidates' note numbers).

        A passage also inherits a share of what the rest of its note says about a concept (the
        note names the institute in its introduction, the passage gives the figure), so a
        passage is judged in the context of its note: NOTE_CONTEXT of the note's best passage for
        a word, NAME_CONTEXT of the note's opening passage for a name the question capitalises,
        nothing for an answer cue.
        """
        scores = np.zeros(len(candidates))
        matched = np.zeros(len(candidates))
        matched_own = np.zeros(len(candidates))
        doc_note = self.files.doc_note
        for weight, got, context, named in parts:
            if got is None:
                continue
            ids, vals, credit = got
            pos = np.minimum(np.searchsorted(candidates, ids), len(candidates) - 1)
            found = candidates[pos] == ids  # filtered-out passages are not candidates
            own = np.zeros(len(candidates))
            own[pos[found]] = vals[found]
            covered = np.zeros(len(candidates))
            covered[pos[found]] = credit[found]
            matched_own += weight * (1 - context) * (own > 0)  # a name counts for what it does not inherit
            contribution = own
            if context > 0:
                lends = ids == self._note_openings[np.asarray(doc_note[ids])] if named else slice(None)
                inherited = context * _note_best(np.asarray(doc_note[ids[lends]]), vals[lends])(cand_notes)
                contribution = np.maximum(own, inherited)
                covered = np.maximum(covered, context * (inherited > 0))
            scores += contribution
            matched += weight * covered
        return scores, matched, matched_own

    @cached_property
    def _note_openings(self) -> np.ndarray:
        """The first passage of each note, by note number (from the passages' note numbers, as
        the length factor: not from the note table, which a restart does not read)."""
        notes, first = np.unique(np.asarray(self.files.doc_note), return_index=True)
        openings = np.full(len(self.files.notes), -1, np.int64)
        openings[notes] = first
        return openings

    @cached_property
    def _note_length_factor(self) -> np.ndarray:
        """What a passage's score is multiplied by for the length of its note, by note number
        (counted from the passages' note numbers: reading the note table costs a restart 0.1 s)."""
        sizes = np.bincount(np.asarray(self.files.doc_note), minlength=len(self.files.notes)).astype(float)
        return 1 / (1 + LONG_NOTE_DOWN * np.log(np.maximum(sizes, LONG_NOTE) / LONG_NOTE))

    def _unnamed_notes_down(self, scores: np.ndarray, cand_notes: np.ndarray, parts: list[_Scored]) -> np.ndarray:
        """A passage whose note names none of the names the question gives (and the notes know)
        scores NAME_MISSING of its score: "the author of the CodeCarbon tool" is not on a page
        listing tools that never names CodeCarbon."""
        named = [part.got[0] for part in parts if part.named and part.got is not None]
        if not named:
            return scores
        doc_note = np.asarray(self.files.doc_note)
        has = np.zeros(len(cand_notes), bool)
        for ids in named:
            has |= np.isin(cand_notes, doc_note[ids])
        return np.where(has, scores, scores * NAME_MISSING)

    def _concept_weight(self, concept: Concept) -> float:
        """idf of the concept's best-known term; an unknown word weighs like a rare one."""
        n = max(self.postings.n_docs, 1)
        best = 0.0
        for alt in concept.alternatives:
            for term in alt.terms:
                df = self.postings.df(term)
                best = max(best, math.log((n + 1) / (df + 0.5)) * (alt.weight if df else 1.0))
        return best

    def _concept_scores(self, concept: Concept) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(passages, scores, credit) of one concept: its best alternative plus a share of the
        others; credit is the weight of the best alternative found (1 for the word itself)."""
        if concept.exact and not concept.alternatives[0].flat:  # a plain word: rank-bm25's own score
            hit = self.postings.postings(concept.alternatives[0].terms[0])
            if hit is None or not len(hit[0]):
                return None
            return np.asarray(hit[0]), np.asarray(hit[1]), np.ones(len(hit[0]))
        base = self._base_idf(concept)
        per_alt = []
        for alt in concept.alternatives:
            found = [(t, self.postings.postings(t)) for t in alt.terms]
            found = [(t, p) for t, p in found if p is not None and len(p[0])]
            if not found:
                continue
            ids = np.concatenate([p[0] for _, p in found])
            vals = np.concatenate([self._as_base(t, p[1], base, alt) for t, p in found])
            if len(alt.terms) > 1:
                ids, inverse, counts = np.unique(ids, return_inverse=True, return_counts=True)
                vals = np.bincount(inverse, vals) * (counts / len(alt.terms))
            per_alt.append((ids, vals * (alt.weight / len(alt.terms) ** PHRASE_SPLIT), alt.weight))
        if not per_alt:
            return None
        ids = distinct(np.concatenate([a[0] for a in per_alt]))
        table = np.zeros((len(per_alt), len(ids)))
        credit = np.zeros(len(ids))
        for row, (alt_ids, vals, weight) in enumerate(per_alt):
            where = np.searchsorted(ids, alt_ids)
            np.add.at(table[row], where, vals)
            credit[where] = np.maximum(credit[where], min(weight, 1.0))
        best = table.max(axis=0)
        return ids, best + TIE_BREAKER * (table.sum(axis=0) - best), credit

    def _idf(self, term: str) -> float:
        i = self.postings.term_ids.get(term)
        return 0.0 if i is None else float(self.postings.idf[i])

    def _base_idf(self, concept: Concept) -> float:
        """The rarity synonyms and corrections of a word are scored with: the word's own, when
        the notes have it (as Lucene's SynonymQuery scores synonyms as one term). A rare synonym
        or correction must not outweigh the word the member typed. Translations keep their own
        rarity: the English word's rarity in French notes says nothing."""
        own = [self._idf(t) for a in concept.alternatives if a.why == "word" for t in a.terms
               if self.postings.df(t)]
        return min(own) if own else 0.0

    def _as_base(self, term: str, vals: np.ndarray, base: float, alt: Alternative) -> np.ndarray:
        idf = self._idf(term)
        if alt.flat:  # a fixed bonus: neither the marker's rarity nor the passage's length counts
            return np.ones_like(vals)
        if alt.why not in ("synonym", "typo", "family") or idf <= 0 or base <= 0:
            return vals
        return vals * min(1.0, base / idf)  # never more than the word itself would get

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

    def _lead_for_title(self, hits: list[Hit], understood: Understood) -> list[Hit]:
        """A question that is a note's title ("numérique ou digital") asks for the note itself:
        its first matching passage comes first, not a later one that repeats the words more."""
        if not hits:
            return hits
        firsts = [c.alternatives[0] for c in understood.concepts]
        if any(a.why != "word" for a in firsts):
            return hits  # "who … for", a year asked: more than the title
        words = {t for a in firsts for t in a.terms}
        if len(words) < 2:
            return hits
        top = hits[0]
        top.record = top.record or self.files.passage(top.passage)
        if not words <= set(self.analyzer.terms(top.record["title"])):
            return hits
        note = self.files.doc_note[top.passage]
        lead = min((h for h in hits if self.files.doc_note[h.passage] == note), key=lambda h: h.passage)
        return [lead] + [h for h in hits if h is not lead]

    def _section_start_on_ties(self, hits: list[Hit], top: int) -> list[Hit]:
        """Two overlapping windows of one section score within WINDOW_TIE of each other: the
        earlier one, where the section starts, comes first."""
        out = list(hits)
        for i in range(min(top, len(out))):
            hit = out[i]
            for j in range(i + 1, min(top * 2, len(out))):
                other = out[j]
                if (other.passage < hit.passage and other.score >= hit.score * (1 - WINDOW_TIE)
                        and self.files.doc_note[other.passage] == self.files.doc_note[hit.passage]
                        and self._heading(other) == self._heading(hit)):  # records only for such pairs
                    out.insert(i, out.pop(j))
                    break
        return out

    def _own_words_first(self, hits: list[Hit], top: int) -> list[Hit]:
        """Two passages of one note within SAME_NOTE_TIE of each other in the first `top`: the one
        that matches more of the question itself comes first (a note's passages all inherit
        what the note says, so only their own words tell them apart). A passage with the quoted
        phrase stays before one without."""
        out = list(hits)
        for i in range(min(top, len(out))):
            for j in range(i + 1, min(top, len(out))):
                a, b = out[i], out[j]
                if (b.score >= a.score * (1 - SAME_NOTE_TIE) and b.own > a.own and a.phrase == b.phrase
                        and self.files.doc_note[a.passage] == self.files.doc_note[b.passage]):
                    out[i], out[j] = b, a
                    break
        return out

    def _few_per_note(self, hits: list[Hit]) -> list[Hit]:
        """At most PER_NOTE passages of one note before another note's passage that scores at
        least LATER_SHARE of theirs: a long note that names every word of the question somewhere
        should not fill the answer on its own, but its third passage still comes before
        passages that score far less (the note that is plainly the one asked about)."""
        seen: dict[int, int] = {}
        first, later = [], []
        for hit in hits:
            note = int(self.files.doc_note[hit.passage])
            seen[note] = seen.get(note, 0) + 1
            (first if seen[note] <= PER_NOTE else later).append(hit)
        out: list[Hit] = []
        waiting = iter(later)
        pending = next(waiting, None)
        for hit in first:
            while pending is not None and pending.score * LATER_SHARE > hit.score:
                out.append(pending)
                pending = next(waiting, None)
            out.append(hit)
        return out + ([pending] if pending is not None else []) + list(waiting)

    def _heading(self, hit: Hit) -> list[str]:
        hit.record = hit.record or self.files.passage(hit.passage)
        return hit.record["heading"]

    def _phrases_first(self, hits: list[Hit], phrases: list[str]) -> list[Hit]:
        wanted = [" ".join(fold(p).split()) for p in phrases]
        for hit in hits:
            hit.record = hit.record or self.files.passage(hit.passage)
            text = hit.record
            haystack = " ".join(fold(" ".join([text["title"], *text["heading"], text["text"]])).split())
            hit.phrase = all(p in haystack for p in wanted)
        return sorted(hits, key=lambda h: not h.phrase)  # stable: score order kept within groups


def _names(text: str) -> set[str]:
    """The folded words a question capitalises where a sentence does not begin ("selon Claire
    Dorville", "the NumEco path"), and the words of a domain name; acronyms in capitals ("INR")
    name notes and common things alike ("MOOC"), so they are left out here and only the rare
    ones are added (Searcher._rare_acronyms). A year names a note too: the edition of an
    event or a report ("Vivatech 2025", "le challenge SEDD 2024")."""
    names = set(YEAR_RE.findall(text))
    for match in DOMAIN.finditer(text):  # "ecoresponsable.numerique.gouv.fr" names a site, in any case
        names |= set(fold(match.group(0)).split("."))
    for match in _NAME.finditer(text):
        if not match.group(0).isupper():
            name = fold(match.group(0)).split("'")[-1]  # "L'Académie" -> academie
            names |= {name, *name.split("-")}  # "Lyon-Fourvière": the compound and its parts
    return names


class _Scored(NamedTuple):
    """One concept of the question, scored: its weight, its (passages, scores, credit), the share
    of its note's score a passage inherits, and whether it is a name the question gives (a name
    is lent by the note's opening passage only, and a note that lacks it scores less)."""

    weight: float
    got: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    context: float
    named: bool


def _note_best(notes: np.ndarray, vals: np.ndarray):
    """Per note, the best value among its passages, as a lookup on note numbers.

    `notes` is sorted, because passages are stored note by note.
    """
    if not len(notes):
        return lambda wanted: np.zeros(len(wanted))
    starts = np.flatnonzero(np.r_[True, notes[1:] != notes[:-1]])
    best_notes, best_vals = notes[starts], np.maximum.reduceat(vals, starts)

    def lookup(wanted: np.ndarray) -> np.ndarray:
        pos = np.minimum(np.searchsorted(best_notes, wanted), len(best_notes) - 1)
        return np.where(best_notes[pos] == wanted, best_vals[pos], 0.0)

    return lookup


def _best_first(candidates: np.ndarray, scores: np.ndarray, pool: int) -> np.ndarray:
    """Positions of the `pool` best candidates: positive scores first (ties by passage order),
    then, for tiny corpora where BM25 gives 0 everywhere, matched passages by passage order."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > 2 * pool:
        cut = np.partition(scores[positive], len(positive) - pool)[len(positive) - pool]
        positive = positive[scores[positive] >= cut]
    order = positive[np.lexsort((candidates[positive], -scores[positive]))][:pool]
    if len(order) < pool:
        rest = np.flatnonzero(scores <= 0)
        order = np.concatenate([order, rest[: pool - len(order)]])
    return order
