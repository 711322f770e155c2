"""A synthetic notes garden for benchmarks: seeded Markdown notes in a French-like Zipf language.

The text mixes real French stopwords (the most frequent tokens, which the analyzer drops as it
does in real notes) with generated pseudo-French words whose frequencies follow a Zipf-Mandelbrot
law, so posting lengths look like a real garden's: a few words everywhere, most words rare. Every
note has YAML front matter (title, tags), `#`/`##`/`###` headings each starting one passage, a few
links, and elisions (l', d'). The same seed gives the same garden, byte for byte.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Real French function words, most frequent first (their order drives their Zipf ranks).
STOPWORDS = (
    "de la le et les des en un du une que est pour qui dans par plus pas au sur ne se ce il sont ou "
    "avec son aux sa elle nous vous mais comme ont on leur ses cette tout ils aussi y si ces donc "
    "sans lui peut entre alors dont tres moins notre votre leurs mes ton ceux celle"
).split()
_ONSETS = ("b c d f g j l m n p r s t v ch tr pr br gr cl pl fl qu gn vr st sp").split()
_VOWELS = ("a e i o u é è ou ai au eu on an in oi ia").split()
_CODAS = ("", "", "", "r", "s", "l", "n", "t", "x", "m")
_ENDINGS = ("", "", "", "tion", "ment", "ique", "eur", "age", "ette", "isme", "ure", "ée", "ible", "oire")
_QUESTION_LEADS = ("", "", "comment", "pourquoi", "quel", "quelle", "où")
STOPWORD_SHARE = 0.42  # share of running tokens that are function words, as in French prose
ZIPF_S = 1.05
ZIPF_Q = 2.7  # Mandelbrot's shift: flattens the very top of the content vocabulary
PASSAGES_PER_NOTE = (4, 6)
NOTES_PER_FOLDER = 250
_STOPSET = frozenset(STOPWORDS)
_WORD = re.compile(r"[^\W\d_]+", re.U)


@dataclass(frozen=True)
class GardenInfo:
    root: Path
    notes: int
    passages: int  # passages by construction (one per heading; each section fits one window)
    seed: int


def write_garden(root: Path, notes: int | None = None, passages: int | None = None, seed: int = 7,
                 progress: Callable[[int, int], None] | None = None) -> GardenInfo:
    """Write a garden of `notes` notes, or of about `passages` passages, under `root`."""
    if notes is None and passages is None:
        raise ValueError("give a number of notes or of passages")
    rng = np.random.default_rng(seed)
    sizes = _note_sizes(rng, notes, passages)
    language = _Language(rng, expected_tokens=sum(sizes) * 60)
    titles = [language.phrase(rng, int(rng.integers(2, 6))).capitalize() for _ in sizes]
    tags = [language.pick_content(rng, 1, top=400)[0] for _ in range(40)]
    root.mkdir(parents=True, exist_ok=True)
    for i, size in enumerate(sizes):
        rel = _note_path(i)
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        text = _note_text(rng, language, i, size, titles, tags)
        (root / rel).write_text(text, encoding="utf-8")
        if progress:
            progress(i + 1, len(sizes))
    return GardenInfo(root, len(sizes), sum(sizes), seed)


def _note_sizes(rng: np.random.Generator, notes: int | None, passages: int | None) -> list[int]:
    low, high = PASSAGES_PER_NOTE
    if notes is not None:
        return rng.integers(low, high + 1, size=max(notes, 1)).tolist()
    sizes: list[int] = []
    left = max(int(passages or 0), 1)
    while left > 0:
        size = min(int(rng.integers(low, high + 1)), left)
        sizes.append(size)
        left -= size
    return sizes


def _note_path(i: int) -> str:
    return f"d{i // NOTES_PER_FOLDER:03d}/note-{i:06d}.md"


class _Language:
    """Stopwords plus a Zipf vocabulary of pseudo-French words, sampled in bulk with numpy."""

    def __init__(self, rng: np.random.Generator, expected_tokens: int) -> None:
        size = int(min(250_000, max(3_000, 40 * expected_tokens ** 0.5)))  # Heaps' law, roughly
        self.content = _pseudo_words(rng, size, set(STOPWORDS))
        ranks = np.arange(1, len(self.content) + 1)
        self.content_cdf = np.cumsum(1.0 / (ranks + ZIPF_Q) ** ZIPF_S)
        self.content_cdf /= self.content_cdf[-1]
        stop_ranks = np.arange(1, len(STOPWORDS) + 1)
        self.stop_cdf = np.cumsum(1.0 / stop_ranks)
        self.stop_cdf /= self.stop_cdf[-1]

    def pick_content(self, rng: np.random.Generator, n: int, top: int | None = None) -> list[str]:
        top = len(self.content) if top is None else min(top, len(self.content))
        cdf = self.content_cdf[:top] / self.content_cdf[top - 1]
        return [self.content[i] for i in np.searchsorted(cdf, rng.random(n), side="right")]

    def tokens(self, rng: np.random.Generator, n: int) -> list[str]:
        is_stop = rng.random(n) < STOPWORD_SHARE
        stops = np.searchsorted(self.stop_cdf, rng.random(n), side="right")
        words = np.searchsorted(self.content_cdf, rng.random(n), side="right")
        return [STOPWORDS[s] if stop else self.content[w]
                for stop, s, w in zip(is_stop.tolist(), stops.tolist(), words.tolist(), strict=True)]

    def phrase(self, rng: np.random.Generator, n: int) -> str:
        return " ".join(self.pick_content(rng, n, top=20_000))

    def sentence(self, rng: np.random.Generator) -> str:
        words = self.tokens(rng, int(rng.integers(6, 19)))
        out: list[str] = []
        for word in words:
            if out and out[-1] in ("le", "la", "de") and word[0] in "aeiouéè" and word not in _STOPSET:
                out[-1] = out[-1][0] + "'" + word  # l'arbre, d'usage
            else:
                out.append(word)
        return " ".join(out).capitalize() + "."


def _pseudo_words(rng: np.random.Generator, n: int, avoid: set[str]) -> list[str]:
    """n distinct words of 1 to 4 syllables, short words being the frequent ones (as in French)."""
    seen: set[str] = set(avoid)
    words: list[str] = []
    while len(words) < n:
        batch = n - len(words)
        syllables = np.minimum(1 + rng.poisson(1.0 + 1.6 * len(words) / n, batch), 4)
        onsets = rng.integers(0, len(_ONSETS), (batch, 4))
        vowels = rng.integers(0, len(_VOWELS), (batch, 4))
        codas = rng.integers(0, len(_CODAS), batch)
        endings = rng.integers(0, len(_ENDINGS), batch)
        for j in range(batch):
            k = int(syllables[j])
            word = "".join(_ONSETS[onsets[j, s]] + _VOWELS[vowels[j, s]] for s in range(k))
            word += _CODAS[codas[j]] + (_ENDINGS[endings[j]] if k > 1 else "")
            if len(word) > 2 and word not in seen:
                seen.add(word)
                words.append(word)
    return words


def _note_text(rng: np.random.Generator, language: _Language, i: int, passages: int,
               titles: list[str], tags: list[str]) -> str:
    title = titles[i]
    note_tags = sorted({tags[t] for t in rng.integers(0, len(tags), int(rng.integers(1, 4))).tolist()})
    lines = ["---", f"title: {title}", "tags: [" + ", ".join(note_tags) + "]", "---", "", f"# {title}", ""]
    lines += _paragraphs(rng, language, i, titles)
    level = 2
    for _ in range(passages - 1):
        level = 3 if level == 2 and rng.random() < 0.35 else 2
        lines += ["#" * level + " " + language.phrase(rng, int(rng.integers(1, 5))).capitalize(), ""]
        lines += _paragraphs(rng, language, i, titles)
    return "\n".join(lines)


def _paragraphs(rng: np.random.Generator, language: _Language, i: int, titles: list[str]) -> list[str]:
    """One to three paragraphs, under 150 words in all so a section stays one passage."""
    lines = []
    for _ in range(int(rng.integers(1, 4))):
        sentences = [language.sentence(rng) for _ in range(int(rng.integers(1, 4)))]
        if rng.random() < 0.12:
            other = int(rng.integers(0, len(titles)))
            sentences.append(f"Voir [{titles[other]}](../{_note_path(other)}).")
        elif rng.random() < 0.06:
            word = language.pick_content(rng, 1, top=5_000)[0]
            sentences.append(f"Source : [{word}](https://exemple.org/{i}/{word}).")
        lines += [" ".join(sentences), ""]
    return lines


def make_questions(passage_text: Callable[[int], str], n_passages: int, count: int = 200, seed: int = 7,
                   stop: Collection[str] = frozenset(STOPWORDS)) -> list[str]:
    """`count` questions of 2 to 6 content words, each drawn from one random passage.

    A word is drawn in proportion to its count in the passage, so frequent words turn up in
    questions more often, as in real ones; half the questions start with a question word.
    """
    rng = np.random.default_rng(seed + 1)
    questions: list[str] = []
    tries = 0
    while len(questions) < count and n_passages > 0 and tries < count * 50:
        tries += 1
        words = Counter(w for w in _WORD.findall(passage_text(int(rng.integers(0, n_passages))).lower())
                        if len(w) > 2 and w not in stop)
        if len(words) < 2:
            continue
        vocab = sorted(words)
        weights = np.asarray([words[w] for w in vocab], float)
        n = min(int(rng.integers(2, 7)), len(vocab))
        picked = rng.choice(len(vocab), size=n, replace=False, p=weights / weights.sum())
        lead = _QUESTION_LEADS[int(rng.integers(0, len(_QUESTION_LEADS)))]
        questions.append(" ".join(([lead] if lead else []) + [vocab[j] for j in picked.tolist()]))
    return questions
