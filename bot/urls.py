"""Public URLs of notes and headings, the way the Eleventy sites that publish the gardens make them."""

from __future__ import annotations

import re
import unicodedata
from fnmatch import fnmatchcase
from posixpath import basename, dirname, splitext
from urllib.parse import quote

from bot.sites import Site

# Kept as they are in a URL path, like encodeURI (`/Notes/L'Acad%C3%A9mie/`, `Big%20Data,%20DAM`),
# except `&`, `?` and `#`: the published URLs encode `&` (`Culture%20%26%20Covid19`), and a `?` or
# `#` in a file name would otherwise start a query or a fragment.
_URI_SAFE = "/;,:@=+$-_.!~*'()"
_TRANSLIT = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O",
                           "đ": "d", "Đ": "D", "ł": "l", "Ł": "L"})


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(text: str) -> str:
    """Eleventy's `slugify` filter (@sindresorhus/slugify, apostrophes dropped, no decamelize)."""
    text = re.sub(r"['’‘]", "", text).replace("&", " and ")
    text = strip_accents(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def normalize_string(text: str) -> str:
    """The MiNumEco theme's `normalizeString`: no accents, only [a-z0-9- ], runs of spaces and of
    dashes become one dash (`Durée : 30 min` -> `duree-30-min`)."""
    text = unicodedata.normalize("NFD", text.strip())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^A-Za-z0-9\- ]", "", text).lower()
    return re.sub(r"-{2,}", "-", re.sub(r"\s+", "-", text))


def anchor_for(site: Site, text: str) -> str:
    if site.anchors.style == "slugify":
        return slugify(text)
    if site.anchors.style == "normalize":
        return normalize_string(text)
    return ""


def encode(url_path: str) -> str:
    return quote(url_path, safe=_URI_SAFE)


def eleventy_path(rel_path: str, site: Site, front_matter: dict) -> str | None:
    """The site path (starting with '/') of a note, or None when the note is not published.

    `rel_path` is posix and relative to the site's folder.
    """
    permalink = front_matter.get("permalink")
    if permalink is False:
        return None
    if isinstance(permalink, str) and permalink.strip() and "{" not in permalink:
        link = permalink.strip()
        return link if link.startswith("/") else "/" + link
    input_dir = site.input_dir.strip("/")
    if input_dir not in ("", "."):
        if not rel_path.startswith(input_dir + "/"):
            return None  # outside Eleventy's input folder: not part of the site
        rel_path = rel_path[len(input_dir) + 1 :]
    stem = splitext(basename(rel_path))[0]
    for rule in site.url_rules:
        if fnmatchcase(rel_path, rule.glob):
            return rule.url.replace("{slug}", stem)
    folder = dirname(rel_path)
    if stem == "index" or (folder and basename(folder) == stem):
        return f"/{folder}/" if folder else "/"
    return f"/{folder}/{stem}/" if folder else f"/{stem}/"


def public_url(site: Site, site_path: str | None, anchor: str = "") -> str:
    """Absolute URL when the site has a base URL, else the site path; '' when unpublished."""
    if site_path is None:
        return ""
    url = site.base_url + encode(site_path)
    return f"{url}#{anchor}" if anchor else url


def unique_anchor(slug: str, seen: dict[str, int]) -> str:
    """markdown-it-anchor's uniqueSlug: the second `a` becomes `a-1`, the third `a-2`."""
    if not slug:
        return ""
    if slug not in seen:
        seen[slug] = 0
        return slug
    while True:
        seen[slug] += 1
        candidate = f"{slug}-{seen[slug]}"
        if candidate not in seen:
            seen[candidate] = 0
            return candidate
