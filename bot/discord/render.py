"""Answers and reports -> Discord embeds and text, within Discord's size limits (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import discord
from discord.utils import escape_markdown, format_dt

from bot.answer import Answer, AnswerHit
from bot.discord.i18n import text
from bot.notes import Problem
from bot.refresh import RefreshReport

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
TITLE, DESCRIPTION, FIELD_NAME, FIELD_VALUE = 256, 4096, 256, 1024
FOOTER, AUTHOR, FIELDS, EMBEDS, TOTAL, CONTENT = 2048, 256, 25, 10, 6000, 2000
URL = 2000  # longer embed URLs are refused by Discord; we drop them rather than fail
ELLIPSIS = "…"
SNIPPET = 900  # a passage snippet: enough to read, short enough for 5 answers in one message
QUESTION = 300
LINK_TEXT = 80
LISTED = 10  # names listed in a reindex report before "… and N more"
COLOUR = discord.Colour(0x2E7D5B)
_SPACE = re.compile(r"\s")
_CREDENTIALS = re.compile(r"(://)[^/\s@]+@")


def shorten(value: str, limit: int) -> str:
    """`value` in at most `limit` characters: cut at a word boundary, ending with an ellipsis."""
    if len(value) <= limit:
        return value
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = value[: limit - 1]
    spaces = [m.start() for m in _SPACE.finditer(cut)]
    if spaces and spaces[-1] >= limit // 2:  # else one long word (a URL): cut inside it
        cut = cut[: spaces[-1]]
    return cut.rstrip(" \t\n,;:") + ELLIPSIS


def shorten_bold(value: str, limit: int) -> str:
    """Like `shorten`, but a **bold** span cut in half is closed (or dropped) to stay balanced."""
    cut = shorten(value, limit)
    if cut.count("**") % 2 == 0:
        return cut
    if len(cut) + 2 <= limit:
        return cut[:-1] + "**" + ELLIPSIS if cut.endswith(ELLIPSIS) else cut + "**"
    at = cut.rfind("**")
    return cut[:at] + cut[at + 2 :]


def escape_snippet(snippet: str) -> str:
    """Escape Discord markdown in a snippet, keeping the **bold** of the matched words."""
    return "**".join(escape_markdown(part, ignore_links=False) for part in snippet.split("**"))


def is_web_url(url: str | None) -> bool:
    if not url or len(url) > URL or _SPACE.search(url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _link_target(url: str) -> str:
    # a ")" or a space would end a markdown link early; percent-encode what could break it
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


def _link_text(value: str) -> str:
    value = " ".join(value.split())
    return escape_markdown(shorten(value, LINK_TEXT)).replace("[", "\\[").replace("]", "\\]")


def links_value(links: Sequence[tuple[str, str]], lang: str = "en", limit: int = FIELD_VALUE) -> str:
    """Markdown links, one a line, as many as fit in `limit` characters ('' when none)."""
    lines = []
    for label, url in links:
        if not is_web_url(url):
            continue
        target = _link_target(url)
        lines.append(f"• [{_link_text(label)}]({target})" if label and label != url else f"• {target}")
    return _fit_lines(lines, lang, limit)


def _fit_lines(lines: Sequence[str], lang: str, limit: int, cap: int | None = None) -> str:
    """As many whole lines as fit in `limit` (and `cap` at most), then '… and N more'."""
    kept: list[str] = []
    for i, line in enumerate(lines):
        if cap is not None and i >= cap:
            break
        left = len(lines) - i - 1
        tail = len(text("more", lang, count=left)) + 1 if left else 0
        if len("\n".join([*kept, line])) + tail > limit:
            break
        kept.append(line)
    dropped = len(lines) - len(kept)
    if dropped:
        kept.append(text("more", lang, count=dropped))
    return "\n".join(kept)[:limit]


def question_line(question: str) -> str:
    """The message text above an answer: the question, so a shared answer reads on its own."""
    return "❓ " + shorten(escape_markdown(" ".join(question.split())), QUESTION)


def hit_embed(hit: AnswerHit, lang: str = "en", snippet_limit: int = SNIPPET) -> discord.Embed:
    """One passage: note title (linked to the passage), heading, snippet, links in the passage."""
    heading = f"*{shorten(escape_markdown(hit.heading), 200)}*\n" if hit.heading else ""
    snippet = shorten_bold(escape_snippet(hit.snippet), snippet_limit)
    embed = discord.Embed(title=shorten(hit.title, TITLE), url=hit.url if is_web_url(hit.url) else None,
                          description=shorten_bold(heading + snippet, DESCRIPTION), colour=COLOUR)
    links = links_value(hit.links, lang)
    if links:
        embed.add_field(name=text("links", lang), value=links, inline=False)
    if hit.draft:
        embed.set_footer(text=text("draft", lang))
    return embed


def answer_embeds(answer: Answer, lang: str = "en") -> list[discord.Embed]:
    return fit_embeds([hit_embed(hit, lang) for hit in answer.hits[:EMBEDS]])


def fit_embeds(embeds: list[discord.Embed], total: int = TOTAL) -> list[discord.Embed]:
    """Embeds whose combined size is within `total`: long descriptions are cut first, then link
    fields dropped from the last embed up, then the last embeds."""
    embeds = list(embeds[:EMBEDS])
    while embeds and sum(len(e) for e in embeds) > total:
        excess = sum(len(e) for e in embeds) - total
        longest = max(embeds, key=lambda e: len(e.description or ""))
        size = len(longest.description or "")
        if size > 200:
            longest.description = shorten_bold(longest.description or "", max(200, size - excess))
            continue
        with_fields = [e for e in embeds if e.fields]
        if with_fields:
            with_fields[-1].clear_fields()
            continue
        embeds.pop()
    return embeds


def no_match_text(question: str, suggestions: Sequence[str], lang: str = "en") -> str:
    """A kind 'nothing found', with the closest note titles when there are some."""
    asked = shorten(escape_markdown(" ".join(question.split())), QUESTION)
    lines = [text("no_match", lang, question=asked), did_you_mean(suggestions, lang),
             text("try_other_words", lang)]
    return shorten("\n".join(line for line in lines if line), CONTENT)


def did_you_mean(suggestions: Sequence[str], lang: str = "en") -> str:
    """'Did you mean: **A**, **B** or **C**?' ('' without suggestions)."""
    titles = [f"**{escape_markdown(shorten(t, 100))}**" for t in suggestions[:5]]
    if not titles:
        return ""
    joined = titles[0] if len(titles) == 1 else (
        ", ".join(titles[:-1]) + f" {text('or', lang)} " + titles[-1])
    return text("did_you_mean", lang, titles=joined)


def note_embed(note: dict, summary: str, lang: str = "en") -> discord.Embed:
    """A note's title (linked to the note), the start of its text."""
    url = note.get("url") or ""
    embed = discord.Embed(title=shorten(note["title"], TITLE), url=url if is_web_url(url) else None,
                          description=shorten(escape_markdown(" ".join(summary.split())), SNIPPET),
                          colour=COLOUR)
    if not is_web_url(url):
        embed.set_footer(text=shorten(note.get("path", ""), FOOTER))
    if note.get("draft"):
        embed.set_footer(text=text("draft", lang))
    return embed


def names_value(names: Sequence[str], lang: str = "en", limit: int = FIELD_VALUE) -> str:
    lines = [f"• {escape_markdown(shorten(n, 200))}" for n in names]
    return _fit_lines(lines, lang, limit, cap=LISTED)


def problem_lines(problems: Sequence[Problem], lang: str = "en") -> list[str]:
    lines = []
    for p in problems:
        what = text("skipped" if p.skipped else "repaired", lang)
        where = f"{Path(p.corpus).name}/{p.path}"
        lines.append(f"• {what}: {escape_markdown(shorten(where, 150))}: "
                     f"{escape_markdown(shorten(p.reason, 200))}")
    return lines


def redact(value: str) -> str:
    """Output of git with any user:password@ in URLs removed."""
    return _CREDENTIALS.sub(r"\1", value)


def reindex_embed(report: RefreshReport, pulls: Sequence[str] = (), lang: str = "en") -> discord.Embed:
    """What a refresh did: counts before/after, notes added/changed/removed, problems, time."""
    embed = discord.Embed(title=text("reindex_done", lang), colour=COLOUR)
    embed.add_field(name=text("notes", lang), value=f"{report.notes_before} → {report.notes_after}")
    embed.add_field(name=text("passages", lang),
                    value=f"{report.passages_before} → {report.passages_after}")
    embed.add_field(name=text("took", lang), value=f"{report.seconds:.2f} s")
    for key in ("added", "changed", "removed"):
        names = getattr(report, key)
        if names:
            embed.add_field(name=f"{text(key, lang)} ({len(names)})", value=names_value(names, lang),
                            inline=False)
    if report.problems:
        value = _fit_lines(problem_lines(report.problems, lang), lang, FIELD_VALUE, cap=LISTED)
        embed.add_field(name=f"{text('problems', lang)} ({len(report.problems)})", value=value,
                        inline=False)
    if pulls:
        value = _fit_lines([escape_markdown(shorten(redact(p), 300)) for p in pulls], lang,
                           FIELD_VALUE)
        embed.add_field(name=text("git_pull", lang), value=value, inline=False)
    embed.set_footer(text=text("unchanged", lang, count=report.reused))
    return fit_embeds([embed])[0]


def status_embed(meta: dict, roots: Sequence[Path], version: str, lang: str = "en",
                 reindex_since: float | None = None) -> discord.Embed:
    """Index size, when it was built, which corpus roots it covers, the bot's version."""
    embed = discord.Embed(title=text("status_title", lang, version=version), colour=COLOUR)
    for key in ("notes", "passages", "terms"):
        embed.add_field(name=text(key, lang), value=f"{int(meta.get(key, 0)):,}".replace(",", " "))
    built = meta.get("built_at")
    if built:
        when = _utc(float(built))
        embed.add_field(name=text("built", lang), value=f"{format_dt(when, 'f')} ({format_dt(when, 'R')})",
                        inline=False)
    names = [escape_markdown(Path(r).name) for r in roots]
    embed.add_field(name=text("corpus", lang), value=shorten(", ".join(names), FIELD_VALUE) or "-",
                    inline=False)
    if reindex_since is not None:
        since = format_dt(_utc(reindex_since), "R")
        embed.add_field(name=text("reindexing", lang), value=text("running_since", lang, since=since),
                        inline=False)
    return embed


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)
