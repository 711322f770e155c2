"""Note -> passages: one per heading section, long sections cut into overlapping windows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.markup import Link, extract_links, inline_text, plain_lines, strip_templates
from bot.notes import Note
from bot.urls import anchor_for, unique_anchor

WINDOW_WORDS = 200
OVERLAP_WORDS = 50

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_HTML_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1\s*>", re.S | re.I)
_ID = re.compile(r"""(?<![\w-])id\s*=\s*["']?([^"'\s>]+)""", re.I)  # not data-id=
_FENCE = re.compile(r"^\s*(```|~~~)", re.M)
# Front matter keys that are layout plumbing, not something a reader would ask about.
_PLUMBING = {
    "layout", "permalink", "image", "date", "title", "tags", "type", "eleventynavigation", "order",
    "eleventyexcludefromcollections", "key", "parent", "extrajs", "showbreadcrumb", "slugoverride",
    "idthematique", "focus", "items", "apercu", "draft", "templateengineoverride",
}


@dataclass
class Passage:
    note: Note
    heading: tuple[str, ...]  # heading path, outermost first; () for the text before any heading
    anchor: str
    text: str
    links: list[Link] = field(default_factory=list)

    @property
    def url(self) -> str:
        if not self.note.url:
            return ""
        return f"{self.note.url}#{self.anchor}" if self.anchor else self.note.url


@dataclass
class _Heading:
    start: int
    end: int
    level: int
    text: str
    markdown: bool
    id: str = ""  # an id written in the source (`<h2 id="x">`): the page has that anchor, whatever the style
    one_line: bool = True


def find_headings(body: str) -> list[_Heading]:
    """Markdown (ATX) and HTML headings, in order, ignoring fenced code."""
    fenced = _fenced_spans(body)
    headings = []
    pos = 0
    for line in body.split("\n"):
        match = _ATX.match(line)
        if match and not _inside(pos, fenced):
            headings.append(_Heading(pos, pos + len(line), len(match.group(1)),
                                     inline_text(match.group(2) or ""), True))
        pos += len(line) + 1
    for match in _HTML_HEADING.finditer(body):
        if not _inside(match.start(), fenced):
            written_id = _ID.search(match.group(2))
            headings.append(_Heading(match.start(), match.end(), int(match.group(1)),
                                     inline_text(match.group(3)), False,
                                     written_id.group(1) if written_id else "", "\n" not in match.group(0)))
    headings.sort(key=lambda h: h.start)
    return headings


def _fenced_spans(body: str) -> list[tuple[int, int]]:
    marks = [m.start() for m in _FENCE.finditer(body)]
    return [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def split_note(note: Note, window: int = WINDOW_WORDS, overlap: int = OVERLAP_WORDS) -> list[Passage]:
    body = strip_templates(note.body)
    headings = find_headings(body)
    anchors = _anchors(note, headings)
    passages: list[Passage] = []
    intro = body[: headings[0].start] if headings else body
    prefix = _front_matter_lines(note)
    passages += _windows(note, (), "", prefix + [""] + _lines(intro), extract_links(intro), window, overlap)
    stack: list[tuple[int, str, str]] = []  # (level, text, anchor)
    lead = _leading_heading(headings, intro)
    for i, heading in enumerate(headings):
        end = headings[i + 1].start if i + 1 < len(headings) else len(body)
        section = body[heading.end : end]
        while stack and stack[-1][0] >= heading.level and not (lead and len(stack) == 1):
            stack.pop()
        stack.append((heading.level, heading.text, anchors[i]))
        path = tuple(text for _, text, _ in stack if text)
        anchor = next((a for _, _, a in reversed(stack) if a), "")
        # links of the heading line count too: `### [The article](https://…)` is the passage's source
        links = extract_links(body[heading.start : end])
        passages += _windows(note, path, anchor, _lines(section), links, window, overlap)
    if not passages and note.title:  # front matter only: still findable by its title
        passages.append(Passage(note, (), "", note.title))
    return passages


def _leading_heading(headings: list[_Heading], intro: str) -> bool:
    """Whether the note opens with a heading that stands above the rest although its level is
    lower: a MuseumXTD resource note opens with the article's `### [Title](url)`, then its
    `## À retenir`. Its sections are the article's, so their heading path starts with it."""
    if len(headings) < 2 or intro.strip():
        return False
    return any(h.level < headings[0].level for h in headings[1:])


def _anchors(note: Note, headings: list[_Heading]) -> list[str]:
    """The `id` each heading has on the published page ('' when it has none)."""
    style = note.site.anchors
    styled = style.style != "none" and (not style.layouts or note.layout in style.layouts)
    seen: dict[str, int] = {}
    anchors = []
    for h in headings:
        if h.id:
            anchors.append(h.id)
        elif not styled or h.level not in style.levels or (style.markdown_only and not h.markdown):
            anchors.append("")
        elif style.style == "slugify":  # markdown-it-anchor: a repeated heading gets -1, -2
            anchors.append(unique_anchor(anchor_for(note.site, h.text), seen))
        else:  # MiNumEco's transform: one line per <h2>, and repeats keep the same id
            anchors.append(anchor_for(note.site, h.text) if h.one_line else "")
    return anchors


def _front_matter_lines(note: Note) -> list[str]:
    """What the front matter says that a reader may ask about: description, aliases, tool facts."""
    lines = []
    for key, value in note.meta.items():
        if key.lower() in _PLUMBING:
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if isinstance(v, str | int | float))
        if isinstance(value, str | int | float) and str(value).strip() and not isinstance(value, bool):
            text = inline_text(str(value))
            if text and text not in note.body:
                lines.append(text if key in ("description", "alias") else f"{key}: {text}")
    return lines


def _lines(source: str) -> list[str]:
    return plain_lines(source)


def _windows(note: Note, heading: tuple[str, ...], anchor: str, lines: list[str],
             links: list[Link], window: int, overlap: int) -> list[Passage]:
    blocks = _blocks(lines, window)
    if not blocks:
        return [] if not heading else [Passage(note, heading, anchor, "", links)]
    sizes = [len(b.split()) for b in blocks]
    if sum(sizes) <= window:
        return [Passage(note, heading, anchor, "\n".join(blocks), links)]
    passages = []
    start = 0
    while start < len(blocks):
        end, words = start, 0
        while end < len(blocks) and (end == start or words + sizes[end] <= window):
            words += sizes[end]
            end += 1
        text = "\n".join(blocks[start:end])
        passages.append(Passage(note, heading, anchor, text, _links_in(text, links, heading)))
        if end >= len(blocks):
            break
        back, kept = end, 0
        while back - 1 > start and kept + sizes[back - 1] <= overlap:
            back -= 1
            kept += sizes[back]
        # The last window ends the section: start it early enough to be about as long as the
        # others, so a short tail is not favoured by BM25's length normalisation.
        tail = sum(sizes[back:])
        while back - 1 > start and tail < window and tail + sizes[back - 1] <= window:
            back -= 1
            tail += sizes[back]
        start = back
    return passages


def _blocks(lines: list[str], window: int) -> list[str]:
    """Paragraphs; a paragraph longer than the window is cut into lines, a long line into words."""
    paragraphs, current = [], []
    for line in lines + [""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(current)
            current = []
    blocks = []
    for para in paragraphs:
        if len(" ".join(para).split()) <= window:
            blocks.append("\n".join(para))
            continue
        for line in para:
            words = line.split()
            step = max(1, window // 2)
            blocks += [" ".join(words[i : i + step]) for i in range(0, len(words), step)] or []
    return blocks


def _links_in(text: str, links: list[Link], heading: tuple[str, ...] = ()) -> list[Link]:
    """The links of a section that show in this window (or in the heading above it)."""
    title = " ".join(heading)
    return [link for link in links if link.text and (link.text in text or link.text in title)]
