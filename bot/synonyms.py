"""Synonym files in the spirit of Elasticsearch's: `a, b, c` (all equal) and `a, b => c`."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot import yamlsafe
from bot.analysis import DATA, Analyzer

log = logging.getLogger(__name__)

BUNDLED = "synonyms-default.yaml"


@dataclass
class SynonymSet:
    """For each analysed word or phrase (a tuple of terms), the term tuples that also count."""

    table: dict[tuple[str, ...], list[tuple[str, ...]]] = field(default_factory=dict)
    longest: int = 1
    problems: list[str] = field(default_factory=list)

    def add_rule(self, rule: str, analyzer: Analyzer) -> None:
        left, arrow, right = rule.partition("=>")
        sources = [_terms(analyzer, w) for w in left.split(",")]
        targets = [_terms(analyzer, w) for w in right.split(",")] if arrow else sources
        sources = [s for s in sources if s]
        targets = [t for t in targets if t]
        if not sources or not targets:
            return
        for source in sources:
            also = self.table.setdefault(source, [])
            also += [t for t in targets if t != source and t not in also]
            self.longest = max(self.longest, len(source))

    def lookup(self, terms: tuple[str, ...]) -> list[tuple[str, ...]]:
        return self.table.get(terms, [])


def _terms(analyzer: Analyzer, text: str) -> tuple[str, ...]:
    return tuple(analyzer.terms(text.strip()))


def parse_rules(text: str, where: str) -> tuple[list[str], list[str]]:
    """(rules, problems) from a YAML list of strings, or a plain file of lines."""
    try:
        data = yamlsafe.load(text)
    except yamlsafe.YAMLError as exc:
        return [], [f"{where}: not valid YAML ({' '.join(str(exc).split())[:120]})"]
    if data is None:
        return [], []
    if isinstance(data, dict):
        data = data.get("synonyms", [])
    if not isinstance(data, list):
        return [], [f"{where}: expected a list of lines like 'ordinateur, PC, poste de travail'"]
    rules, problems = [], []
    for item in data:
        if isinstance(item, str) and ("," in item or "=>" in item):
            rules.append(item)
        else:
            problems.append(f"{where}: ignored {item!r} (write 'a, b' or 'a, b => c')")
    return rules, problems


def load_synonyms(paths: Iterable[Path], analyzer: Analyzer, bundled: bool = True) -> SynonymSet:
    """The bundled field synonyms, then each corpus's file; read again at every (re)index."""
    synonyms = SynonymSet()
    sources: list[tuple[str, str]] = []
    if bundled:
        sources.append((BUNDLED, (DATA / BUNDLED).read_text(encoding="utf-8")))
    for path in paths:
        try:
            sources.append((str(path), path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            continue  # a corpus may name a synonyms file it has not written yet
        except OSError as exc:
            synonyms.problems.append(f"{path}: not read ({exc.strerror or exc})")
    for where, text in sources:
        rules, problems = parse_rules(text, where)
        synonyms.problems += problems
        for rule in rules:
            synonyms.add_rule(rule, analyzer)
    for problem in synonyms.problems:
        log.warning("synonyms: %s", problem)
    return synonyms
