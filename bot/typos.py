"""Typo tolerance: vocabulary words within one or two edits, found through a deletion index."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal string alignment distance (a swap of two letters is one edit), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def doubling(a: str, b: str) -> bool:
    """One word is the other with a letter doubled ("booster"/"boster", "effacer"/"efacer"): the
    commonest slip in French and English spelling."""
    if abs(len(a) - len(b)) != 1:
        return False
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter and longer[i] == longer[i - 1]
               for i in range(1, len(longer)))


def doubled_spellings(word: str) -> list[str]:
    """The word with one letter doubled or one double letter made single: "colectivites" ->
    "ccolectivites", "collectivites"…; "addresse" -> "adresse"."""
    out = [word[: i + 1] + word[i:] for i in range(len(word)) if word[i].isalpha()]
    out += [word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] == word[i - 1]]
    return list(dict.fromkeys(out))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit_spellings(word: str) -> list[str]:
    """Every spelling one deletion, swap, substitution or insertion of a letter away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = [a + b[1:] for a, b in splits if b]
    out += [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    out += [a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]]
    out += [a + c + b for a, b in splits for c in _LETTERS]
    return list(dict.fromkeys(out))


def allowed_edits(word: str) -> int:
    """Like Meilisearch: no typo under 4 letters, one up to 7, two from 8."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class TypoIndex:
    """Vocabulary words indexed by themselves and their one-letter deletions.

    A word within two edits of a vocabulary word shares a form with it after at most two
    deletions on the question side and one on the vocabulary side, which covers one or two
    insertions, omissions, substitutions or swaps without scanning the vocabulary.
    """

    def __init__(self, vocabulary: Sequence[str], frequency: Callable[[str], int]) -> None:
        self.frequency = frequency
        self.table: dict[str, list[str]] = {}
        for word in vocabulary:
            if len(word) < 3 or not word.isalpha():
                continue
            for form in {word} | deletes(word):
                self.table.setdefault(form, []).append(word)

    def __contains__(self, word: str) -> bool:
        return word in self.table.get(word, ())

    def candidates(self, word: str, max_edits: int | None = None) -> list[tuple[str, int]]:
        """Vocabulary words within the allowed edits, closest then most frequent first."""
        limit = allowed_edits(word) if max_edits is None else max_edits
        if limit == 0:
            return []
        forms = {word} | deletes(word)
        if limit >= 2:
            forms |= {d for f in deletes(word) for d in deletes(f)}
        seen: dict[str, int] = {}
        for form in forms:
            for candidate in self.table.get(form, ()):
                if candidate != word and candidate not in seen:
                    distance = edit_distance(word, candidate, limit)
                    if distance <= limit:
                        seen[candidate] = distance
        return sorted(seen.items(), key=lambda item: (item[1], -self.frequency(item[0]), item[0]))
