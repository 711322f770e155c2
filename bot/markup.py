"""Markdown, HTML and Nunjucks source -> plain text and links, the way a reader sees the page."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_NJK_TAG = re.compile(r"\{%-?.*?-?%\}", re.S)
_NJK_EXPR = re.compile(r"\{\{.*?\}\}", re.S)
_NJK_COMMENT = re.compile(r"\{#.*?#\}", re.S)
# A component call's arguments hold text the page shows: `{{ component("card", {title: "Module 3 -
# Évaluer…", badges: ["Sortie fin 2025"]}) }}`. These keys are read; urls, sizes and styles are not.
_NJK_SHOWN = re.compile(r"""\b(?:title|alt|description|desc|text|detail|label|badges?|caption)\s*:\s*"""
                        r"""(\[[^\]]*\]|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")
_NJK_STRING = re.compile(r""""((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'""")
# Attributes of an HTML tag: a quoted value may hold `>` (an iframe's `srcdoc="<style>…"`).
_ATTRS = r"""(?:"[^"]*"|'[^'<>]*'|[^'"<>])*"""
_RAW_TEXT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)  # content is not text
_WIKI = re.compile(r"(!?)\[\[([^\[\]|]+?)(?:\|([^\[\]]*))?\]\]")
_LINK_TITLE = r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?"""  # [text](url "a title, with l'apostrophe")
_IMAGE = re.compile(r"!\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?" + _LINK_TITLE
                    + r"\s*\)(?:\{[^{}\n]*\})?")  # markdown-it-attrs: ![alt](src){width=600}
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?" + _LINK_TITLE + r"\s*\)")
_A = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>(.*?)</a\s*>""", re.S | re.I)
_IMG = re.compile(r"<img\b" + _ATTRS + ">", re.I)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)  # alt="l'objet" keeps its apostrophe
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>")
_BARE_URL = re.compile(r"(?<![(\"'=<\[])\bhttps?://[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]")
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|section|article|br|li|ul|ol|tr|td|th|table|h[1-6]|blockquote|figure|figcaption|"
    r"picture|iframe|details|summary|header|footer|nav|button)\b" + _ATTRS + ">", re.I)
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s" + _ATTRS + ")?/?>")
_EMPHASIS = re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"
                       r"|(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_QUOTE = re.compile(r"^\s*>\s?")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Link:
    """A link found in a passage: `kind` is 'url' (target is a URL or path) or 'wiki' (a note name)."""

    text: str
    target: str
    kind: str = "url"


def strip_templates(source: str) -> str:
    """Drop HTML comments and Nunjucks tags; the text between paired tags stays (transcripts)."""
    source = _COMMENT.sub("", source)
    source = _NJK_COMMENT.sub("", source)
    source = _NJK_TAG.sub("", source)
    return _NJK_EXPR.sub(_shown_text, source)


def _shown_text(expression: re.Match) -> str:
    """The texts a component call shows, one line each; nothing for a plain `{{ variable }}`."""
    texts = [re.sub(r"\\(.)", r"\1", a or b).strip()
             for value in _NJK_SHOWN.findall(expression.group(0)) for a, b in _NJK_STRING.findall(value)]
    texts = [t for t in texts if t]
    if not texts:
        return ""
    return "\n" + "\n".join(texts) + "\n" if "\n" in expression.group(0) else " ".join(texts)


def extract_links(source: str) -> list[Link]:
    """Links of a piece of Markdown/HTML, in order, without duplicates or template targets."""
    found: list[tuple[int, Link]] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match, link: Link) -> None:
        taken.append(match.span())
        if link.target and "{" not in link.target and not link.target.startswith("#"):
            found.append((match.start(), link))

    for m in _WIKI.finditer(source):
        if not m.group(1):  # an embed ![[x.png]] is not a link
            target = m.group(2).strip()
            add(m, Link(inline_text(_wiki_label(target, m.group(3))), target, "wiki"))
        else:
            taken.append(m.span())
    for m in _IMAGE.finditer(source):
        taken.append(m.span())
    for m in _LINK.finditer(source):
        if not _inside(m.start(), taken):
            add(m, Link(inline_text(m.group(1)), m.group(2).strip()))
    for m in _A.finditer(source):
        add(m, Link(inline_text(m.group(3)), html.unescape((m.group(1) or m.group(2) or "").strip())))
    for m in _AUTOLINK.finditer(source):
        target = m.group(1) if ":" in m.group(1) else "mailto:" + m.group(1)  # <name@example.org>
        add(m, Link(m.group(1), target))
    for m in _BARE_URL.finditer(source):
        if not _inside(m.start(), taken):
            add(m, Link(m.group(0), m.group(0)))
    seen = set()
    links = []
    for _, link in sorted(found, key=lambda item: item[0]):
        key = (link.kind, link.target)
        if key not in seen:
            seen.add(key)
            links.append(link if link.text else Link(link.target, link.target, link.kind))
    return links


def _one_line(match: re.Match) -> str:
    return " ".join(match.group(0).split()) if "\n" in match.group(0) else match.group(0)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


def _wiki_label(target: str, alias: str | None) -> str:
    """What a wiki link shows: its alias, else the note name, else (`[[#Heading]]`) the heading."""
    name, _, heading = target.strip().partition("#")
    return alias or name.strip() or heading.strip()


def inline_text(source: str) -> str:
    """Plain text of inline Markdown/HTML on one line: link and image texts kept, markup dropped."""
    text = _WIKI.sub(lambda m: "" if m.group(1) else _wiki_label(m.group(2), m.group(3)), source)
    text = _IMAGE.sub(lambda m: m.group(1), text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    text = _IMG.sub(lambda m: " " + " ".join(a + b for a, b in _ALT.findall(m.group(0))) + " ", text)
    text = _BLOCK_TAG.sub(" ", text)
    text = _TAG.sub("", text)
    text = _CODE_SPAN.sub(lambda m: m.group(1), text)
    for _ in range(2):  # nested emphasis: ***x*** or **_x_**
        text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or m.group(4) or "", text)
    text = text.replace("**", "")  # the unpaired half of a bold that spans lines; snippets use **
    text = html.unescape(text).replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()  # a multi-line HTML heading reads as one line


def plain_lines(source: str) -> list[str]:
    """Block Markdown/HTML -> lines of plain text (list markers kept as '- '), blank lines kept."""
    source = _RAW_TEXT.sub("\n", source)
    # A tag or a link written over several lines is read line by line below: put it on one line
    # first, or its attributes (`<img\n alt="…"\n src="…">`) would show as text.
    source = _TAG.sub(_one_line, source)
    source = _LINK.sub(lambda m: m.group(0) if "\n\n" in m.group(0) else _one_line(m), source)
    source = _BLOCK_TAG.sub("\n", source)
    lines = []
    in_fence = False
    for line in source.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            lines.append(line.strip())
            continue
        if _RULE.match(line) or _TABLE_SEP.match(line):
            lines.append("")
            continue
        bullet = "- " if _LIST.match(line) else ""
        line = _QUOTE.sub("", _LIST.sub("", line))
        if "|" in line and line.strip().startswith("|"):
            line = " · ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        text = inline_text(line)
        lines.append(bullet + text if text else "")
    return lines
