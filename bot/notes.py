"""Markdown files with YAML front matter -> Note records; a bad file is reported, never fatal."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import translate
from functools import cache
from pathlib import Path

import frontmatter

from bot import yamlsafe
from bot.sites import CorpusConfig, Site
from bot.urls import eleventy_path, public_url

log = logging.getLogger(__name__)

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)?^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
_FENCED = re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1|\Z)", re.M | re.S)  # `# comment` in code


@dataclass(frozen=True)
class Problem:
    """A file that was skipped, or loaded with a repair; `path` is relative to its corpus root."""

    corpus: str
    path: str
    reason: str
    skipped: bool

    def as_dict(self) -> dict:
        return {"corpus": self.corpus, "path": self.path, "reason": self.reason, "skipped": self.skipped}

    def __str__(self) -> str:
        what = "skipped" if self.skipped else "repaired"
        return f"{what}: {self.corpus}/{self.path}: {self.reason}"


@dataclass(frozen=True)
class SourceFile:
    """A note file found on disk, with what a refresh needs to tell whether it changed."""

    root: Path
    rel: str
    size: int
    mtime_ns: int
    problem: str = ""  # why it cannot be loaded, found while listing (e.g. a file name that is not UTF-8)

    @property
    def path(self) -> Path:
        return self.root / self.rel


@dataclass
class Note:
    corpus: str  # the corpus root, resolved
    path: str  # posix path relative to the corpus root
    site: Site
    title: str
    tags: tuple[str, ...]
    url: str  # public URL of the note, '' when unpublished
    site_path: str | None  # the URL path before the base URL, None when unpublished
    body: str
    meta: dict = field(default_factory=dict)
    digest: str = ""

    @property
    def layout(self) -> str:
        return str(self.meta.get("layout") or "")

    @property
    def stem(self) -> str:
        return Path(self.path).stem


def discover(config: CorpusConfig, folders: list[str] | None = None) -> list[SourceFile]:
    """Every `*.md` under the root, sorted, without hidden folders or excluded paths.

    `folders`, when given, receives each folder walked ('' for the root): a note added, removed
    or renamed in one of them changes that folder's mtime (see bot.freshness).
    """
    found = []
    root = config.root
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        if folders is not None:
            folders.append(rel_dir)
        dirnames[:] = sorted(
            d for d in dirnames
            if not d.startswith(".") and not _excluded_dir(_join(rel_dir, d), config.exclude)
        )
        for name in filenames:
            rel = _join(rel_dir, name)
            if not name.endswith(".md") or name.startswith(".") or _excluded(rel, config.exclude):
                continue
            path = os.path.join(dirpath, name)
            problem = ""
            if not _is_utf8(rel):  # would break every later step that encodes the path
                rel = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                problem = "the file name is not UTF-8: rename the file"
            try:
                st = os.stat(path)
            except OSError:  # e.g. a broken symlink: kept, so that loading reports why it is skipped
                try:
                    st = os.lstat(path)
                except OSError:
                    continue  # gone since os.walk listed it
            found.append(SourceFile(root, rel, st.st_size, st.st_mtime_ns, problem))
    found.sort(key=lambda f: f.rel)
    return found


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    in_folder, whole, name = _exclusion_matchers(patterns)
    return bool(name.match(rel.rsplit("/", 1)[-1]) or whole.match(rel)
                or "/" in rel and any(in_folder.match(part) for part in rel.split("/")[:-1]))


@cache
def _exclusion_matchers(patterns: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """One regex per kind of pattern, compiled once: discover tests every file of the garden.
    `x/**` excludes any folder named x; a pattern with a slash is matched against the whole
    relative path; any other against the file name."""
    def one(globs: list[str]) -> re.Pattern:
        return re.compile("|".join(translate(g) for g in globs) or "(?!)")

    return (one([p[:-3] for p in patterns if p.endswith("/**")]),
            one([p for p in patterns if not p.endswith("/**") and "/" in p]),
            one([p for p in patterns if not p.endswith("/**") and "/" not in p]))


def _excluded_dir(rel_dir: str, patterns: tuple[str, ...]) -> bool:
    in_folder = _exclusion_matchers(patterns)[0]
    return bool(in_folder.match(rel_dir.rsplit("/", 1)[-1]) or in_folder.match(rel_dir))


def read_text(raw: bytes) -> tuple[str, str | None]:
    """Decoded, NFC-normalised text with LF newlines, and a repair note if decoding needed one."""
    note = None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = raw.decode("cp1252", errors="replace")
        note = f"not UTF-8 ({exc.reason} at byte {exc.start}), read as Windows-1252"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text), note


def split_front_matter(text: str) -> tuple[dict, str, str | None]:
    """(metadata, body, repair note). Broken YAML is repaired where it can be, else dropped."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, None
    block, body = match.group(1), text[match.end():]
    try:
        post = frontmatter.loads(text)  # libyaml when present, like the sites' own builds
        if not post.metadata and not isinstance(yamlsafe.load(block), dict | None):
            # `---` rules around a paragraph, or a YAML list: not front matter, so keep the text
            return {}, text, "front matter is not a YAML mapping: read as text"
        return _as_mapping(post.metadata), post.content, None
    except Exception as exc:  # noqa: BLE001 - any YAML failure is reported and repaired below
        error = _first_line(exc)
    for repair, label in ((_untab, "tabs in indentation"), (_quote_flow_lists, "flow list")):
        try:
            return _as_mapping(yamlsafe.load(repair(block))), body, f"front matter repaired ({label}): {error}"
        except yamlsafe.YAMLError:
            continue
    meta = _salvage(block)
    kept = ", ".join(sorted(meta)) or "nothing"
    return meta, body, f"front matter unreadable ({error}); kept {kept}, indexed from the body"


def _as_mapping(meta: object) -> dict:
    return {str(k): v for k, v in meta.items()} if isinstance(meta, dict) else {}


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:160]


def _untab(block: str) -> str:
    return re.sub(r"^\t+", lambda m: "  " * len(m.group(0)), block, flags=re.M)


def _quote_flow_lists(block: str) -> str:
    def quote(match: re.Match) -> str:
        items = [i.strip() for i in match.group(2).split(",")]
        return match.group(1) + "[" + ", ".join(_yaml_quote(i) for i in items if i) + "]"

    return re.sub(r"^(\s*[\w-]+:\s*)\[(.*)\]\s*$", quote, block, flags=re.M)


def _yaml_quote(item: str) -> str:
    return item if item[:1] in "'\"" else "'" + item.replace("'", "''") + "'"


def _salvage(block: str) -> dict:
    """Keep the top-level `key: value` lines that parse on their own."""
    meta: dict = {}
    for line in block.splitlines():
        if not re.match(r"^[\w-]+:", line):
            continue
        try:
            part = yamlsafe.load(_untab(line))
        except yamlsafe.YAMLError:
            continue
        if isinstance(part, dict):
            meta.update({str(k): v for k, v in part.items()})
    return meta


def parse_tags(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        items = re.split(r"[\s,]+", value)
    elif isinstance(value, list):
        items = [str(v) for v in value if isinstance(v, str | int)]
    else:
        return ()
    return tuple(dict.fromkeys(t.strip().lstrip("#") for t in items if t.strip()))


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def load_note(config: CorpusConfig, source: SourceFile) -> tuple[Note | None, list[Problem]]:
    """One note from disk; (None, [problem]) when the file cannot be read at all."""
    corpus = str(config.root)
    if source.problem:
        return None, [Problem(corpus, source.rel, source.problem, True)]
    try:
        raw = source.path.read_bytes()
    except OSError as exc:
        return None, [Problem(corpus, source.rel, f"cannot read: {exc.strerror or exc}", True)]
    problems = []
    text, decode_note = read_text(raw)
    if decode_note:
        problems.append(Problem(corpus, source.rel, decode_note, False))
    meta, body, fm_note = split_front_matter(text)
    if fm_note:
        problems.append(Problem(corpus, source.rel, fm_note, False))
    if not text.strip():
        problems.append(Problem(corpus, source.rel, "empty file", True))
        return None, problems
    site = config.site_for(source.rel)
    rel_in_site = relative_to_site(source.rel, site)
    site_path = eleventy_path(rel_in_site, site, meta)
    note = Note(
        corpus=corpus,
        path=source.rel,
        site=site,
        title=_clean(meta.get("title")),
        tags=parse_tags(meta.get("tags")),
        url=public_url(site, site_path),
        site_path=site_path,
        body=body,
        meta=meta,
        digest=digest(raw),
    )
    return note, problems


def relative_to_site(rel: str, site: Site) -> str:
    """A note's path inside its site's folder (what URL rules and draft globs are written for)."""
    folder = site.folder.strip("/")
    return rel[len(folder) + 1 :] if folder not in ("", ".") and rel.startswith(folder + "/") else rel


def _clean(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def title_is_generic(title: str, generic_titles: Sequence[str], same_title: int, site_notes: int) -> bool:
    """Whether a front matter title names no note: missing, declared generic, or the same on most
    notes of a site of four or more (MuseumXTD's `title: MuseumXTD`)."""
    return (not title or title.casefold() in {t.casefold() for t in generic_titles}
            or site_notes >= 4 and same_title * 2 > site_notes)


def fallback_title(note: Note) -> str:
    nav = note.meta.get("eleventyNavigation")
    if isinstance(nav, dict) and _clean(nav.get("title")):
        return _clean(nav.get("title"))
    match = _H1.search(_FENCED.sub("", note.body))
    if match:
        from bot.markup import inline_text  # late: markup is only needed for this fallback

        heading = inline_text(match.group(1)).strip()
        if heading:
            return heading
    if note.title and relative_to_site(note.path, note.site) == "index.md":
        return note.title  # the home page: the title every note repeats is the site's name
    stem = note.stem
    if stem == "index" and "/" in note.path:
        stem = note.path.rsplit("/", 2)[-2]
    return stem
