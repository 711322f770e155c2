"""Corpus configuration: which folders of a corpus root are which public site, and how URLs are made.

A corpus root may hold a `notesbot.yaml`. A root that cannot hold one (read-only, someone else's
checkout) gets its configuration from `<gardens dir>/<root folder name>.yaml`. Without either, the
root is one site with no public base URL and Eleventy's default URL rules.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

CONFIG_NAME = "notesbot.yaml"
DEFAULT_EXCLUDES = ("README.md", "SOURCE.md", "node_modules/**", "_site/**")
PROJECT_GARDENS = Path(__file__).resolve().parent.parent / "gardens"


class ConfigError(ValueError):
    """A corpus configuration a user wrote is unusable; the message says why."""


@dataclass(frozen=True)
class UrlRule:
    """Notes matching `glob` (relative to the input dir) get `url`, where {slug} is the file name."""

    glob: str
    url: str


@dataclass(frozen=True)
class AnchorStyle:
    """How the site turns a heading into an `id`; `slugify` is Eleventy's filter."""

    style: str = "none"  # none | slugify | normalize
    levels: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
    layouts: tuple[str, ...] = ()  # only pages with one of these layouts get anchors (empty: all)
    markdown_only: bool = True  # markdown-it-anchor sees Markdown headings, not raw HTML ones


@dataclass(frozen=True)
class Site:
    name: str
    folder: str = "."  # relative to the corpus root
    base_url: str = ""
    input_dir: str = "."  # Eleventy's dir.input, relative to `folder`
    url_rules: tuple[UrlRule, ...] = ()
    anchors: AnchorStyle = AnchorStyle()
    drafts: tuple[str, ...] = ()  # globs of draft notes: indexed and linked, labelled as drafts
    generic_titles: tuple[str, ...] = ()  # front matter titles that do not name the note


@dataclass(frozen=True)
class CorpusConfig:
    root: Path
    sites: tuple[Site, ...]
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    languages: tuple[str, ...] = ("fr",)
    synonyms: tuple[Path, ...] = ()
    glossaries: tuple[Path, ...] = ()  # the community's own English -> French terms
    translate: bool = True  # English questions translated to the notes' French
    git_pull: bool = False
    source: Path | None = None  # the file this came from, if any
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def name(self) -> str:
        return self.root.name

    def site_for(self, rel_path: str) -> Site:
        """The most specific site whose folder contains `rel_path` (posix, relative to the root)."""
        best = self.sites[0]
        best_depth = -1
        for site in self.sites:
            folder = site.folder.strip("/")
            if folder in ("", ".") or rel_path.startswith(folder + "/"):
                depth = 0 if folder in ("", ".") else folder.count("/") + 1
                if depth > best_depth:
                    best, best_depth = site, depth
        return best


def gardens_dir() -> Path:
    return Path(os.environ.get("NOTESBOT_GARDENS_DIR") or PROJECT_GARDENS)


def find_config_file(root: Path) -> Path | None:
    inside = root / CONFIG_NAME
    if inside.is_file():
        return inside
    beside = gardens_dir() / f"{root.name}.yaml"
    return beside if beside.is_file() else None


def load_corpus_config(root: Path) -> CorpusConfig:
    """The configuration of one corpus root; raises ConfigError on a file that cannot be used."""
    root = root.resolve()
    path = find_config_file(root)
    if path is None:
        return CorpusConfig(root=root, sites=(Site(name=root.name),))
    from bot import yamlsafe  # only gardens with a config file need it

    try:
        data = yamlsafe.load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yamlsafe.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the corpus configuration: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return parse_config(root, data, path)


def parse_config(root: Path, data: dict, source: Path | None = None) -> CorpusConfig:
    where = source or root
    sites_data = data.get("sites") or [{}]
    if not isinstance(sites_data, list):
        raise ConfigError(f"{where}: 'sites' must be a list")
    sites = tuple(_parse_site(root, item, where) for item in sites_data)
    base = source.parent if source else root
    synonyms = tuple(base / str(p) for p in _as_list(data.get("synonyms")))
    glossaries = tuple(base / str(p) for p in _as_list(data.get("glossary")))
    # `exclude` adds to the defaults: a garden that leaves out its drafts still leaves out README.md
    exclude = tuple(dict.fromkeys([*DEFAULT_EXCLUDES, *(str(p) for p in _as_list(data.get("exclude")))]))
    languages = tuple(str(lang).lower() for lang in _as_list(data.get("languages", ["fr"])))
    return CorpusConfig(
        root=root,
        sites=sites,
        exclude=exclude,
        languages=languages or ("fr",),
        synonyms=synonyms,
        glossaries=glossaries,
        translate=bool(data.get("translate", True)),
        git_pull=bool(data.get("git_pull", False)),
        source=source,
    )


def _parse_site(root: Path, item: object, where: Path) -> Site:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: each site must be a mapping")
    folder = str(item.get("folder", "."))
    rules = []
    for rule in _as_list(item.get("url_rules")):
        if not isinstance(rule, dict) or "glob" not in rule or "url" not in rule:
            raise ConfigError(f"{where}: each url rule needs 'glob' and 'url'")
        rules.append(UrlRule(glob=str(rule["glob"]), url=str(rule["url"])))
    anchors = item.get("anchors") or {}
    if isinstance(anchors, str):
        anchors = {"style": anchors}
    style = str(anchors.get("style", "none"))
    if style not in ("none", "slugify", "normalize"):
        raise ConfigError(f"{where}: unknown anchor style {style!r}")
    return Site(
        name=str(item.get("name") or (root.name if folder in (".", "") else folder)),
        folder=folder,
        base_url=str(item.get("base_url") or "").rstrip("/"),
        input_dir=str(item.get("input_dir", ".")),
        url_rules=tuple(rules),
        anchors=AnchorStyle(
            style=style,
            levels=tuple(int(x) for x in _as_list(anchors.get("levels", [1, 2, 3, 4, 5, 6]))),
            layouts=tuple(str(x) for x in _as_list(anchors.get("layouts"))),
            markdown_only=bool(anchors.get("markdown_only", style == "slugify")),
        ),
        drafts=tuple(str(x) for x in _as_list(item.get("drafts"))),
        generic_titles=tuple(str(x) for x in _as_list(item.get("generic_titles"))),
    )


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
