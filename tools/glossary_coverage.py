"""List the most frequent French content words of Markdown notes gardens.

Used to build and extend ``bot/data/glossary-en-fr.tsv``: words are counted by
French Snowball stem (PyStemmer, if installed) and shown with their most
frequent surface form.  With ``--glossary``, only the stems that no French
translation of the glossary covers are listed, so the missing English entries
can be written by hand.

    python tools/glossary_coverage.py DIR [DIR ...] [--top 2000] [--glossary FILE]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

try:
    import Stemmer

    _stem = Stemmer.Stemmer("french").stemWord
except ImportError:  # pragma: no cover - stemming is optional

    def _stem(word: str) -> str:
        return word


_STOPWORDS_TEXT = """
    a à ai aie aient aies ait alors as au aucun aucune aupres auquel aura aurai
    auraient aurais aurait auras aurez auriez aurions aurons auront aussi autre
    autres aux auxquelles auxquels avaient avais avait avant avec avez aviez
    avions avoir avons ayant ayez ayons c ça car ce ceci cela celle celles
    celui cependant certain certaine certaines certains ces cet cette ceux
    chacun chaque chez ci comme comment d dans de des donc dont du elle elles
    en encore entre es est et étaient étais était étant été êtes étiez étions
    être eu eue eues eûmes eurent eus eusse eut eux fait faites fois font
    furent fus fut ici il ils j je jusqu l la laquelle le lequel les lesquelles
    lesquels leur leurs lors lorsque lui m ma mais me même mêmes mes moi mon n
    ne ni non nos notre nous on ont ou où par parce pas peu peut plus plusieurs
    pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa sans se
    sera serai seraient serait seras serez seriez serions serons seront ses si
    sien soi soient sois soit sommes son sont sous soyez soyons suis sur t ta
    te tes toi ton tous tout toute toutes très tu un une unes uns vers via
    voici voilà vos votre vous y afin ainsi ceux-ci celle-ci là-bas etc déjà
    puis tant
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
NOISE = [
    re.compile(r"<!--.*?-->", re.DOTALL),  # HTML comments
    re.compile(r"<[^>]+>", re.DOTALL),  # HTML tags
    re.compile(r"\]\([^)]*\)"),  # Markdown link targets
    re.compile(r"https?://\S+|www\.\S+"),  # bare URLs
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"&\w+;"),  # HTML entities
]
WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ]+(?:-[a-zàâäçéèêëîïôöùûüÿœæ]+)*")
ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]")


def clean(text: str) -> str:
    """Return the prose of a note: no front matter, HTML, URLs or elisions."""
    text = FRONT_MATTER.sub("", text)
    for pattern in NOISE:
        text = pattern.sub(" ", text)
    return ELISION.sub(" ", text.lower())


def count_words(dirs: list[Path]) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Count content words of every ``*.md`` under ``dirs``, grouped by stem."""
    stems: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for directory in dirs:
        for path in sorted(directory.rglob("*.md")):
            for word in WORD.findall(clean(path.read_text(encoding="utf-8"))):
                if len(word) < 3 or word in STOPWORDS:
                    continue
                stem = _stem(word)
                stems[stem] += 1
                forms.setdefault(stem, Counter())[word] += 1
    return stems, forms


def glossary_stems(path: Path) -> set[str]:
    """Stems of every French word appearing on the right side of a glossary."""
    covered = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        for word in WORD.findall(ELISION.sub(" ", line.split("\t", 1)[1].lower())):
            covered.add(_stem(word))
    return covered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=2000)
    parser.add_argument("--glossary", type=Path, help="list only uncovered stems")
    args = parser.parse_args()

    stems, forms = count_words(args.dirs)
    covered = glossary_stems(args.glossary) if args.glossary else set()
    top = stems.most_common(args.top)
    missing = 0
    for rank, (stem, count) in enumerate(top, 1):
        if stem in covered:
            continue
        missing += 1
        shown = ", ".join(w for w, _ in forms[stem].most_common(3))
        print(f"{rank}\t{count}\t{stem}\t{shown}")
    if args.glossary:
        print(f"# {missing} of the top {len(top)} stems not covered")


if __name__ == "__main__":
    main()
