"""Public URLs and heading anchors, the way the Eleventy sites that publish the gardens make them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.notes import discover, load_note
from bot.sites import PROJECT_GARDENS, Site, UrlRule, load_corpus_config
from bot.urls import eleventy_path, encode, normalize_string, public_url, slugify, unique_anchor

BASE = "https://site.example.org"
PLAIN = Site(name="plain", base_url=BASE)
NEWS = Site(name="news", base_url=BASE, input_dir="content",
            url_rules=(UrlRule("actualites/posts/**", "/actualites/{slug}/"),))


@pytest.mark.parametrize(("text", "slug"), [
    ("À retenir", "a-retenir"),
    ("A retenir:", "a-retenir"),
    ("L'Académie Numérique Responsable", "lacademie-numerique-responsable"),
    ("L’évaluation dans la culture", "levaluation-dans-la-culture"),
    ("Forum 2022 & co", "forum-2022-and-co"),
    ("Œuvres d’art, cœur du musée", "oeuvres-dart-coeur-du-musee"),
    ("1. Pour commencer", "1-pour-commencer"),
    ("  --Déjà vu ?--  ", "deja-vu"),
])
def test_slugify_is_eleventys_filter(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize(("text", "anchor"), [
    ("Les 5 niveaux d'expertises", "les-5-niveaux-dexpertises"),
    ("Durée : 30 minutes", "duree-30-minutes"),
    ("Sélection - formations", "selection-formations"),
    ("Lancement du parcours ", "lancement-du-parcours"),
    # « » are dropped but the space before » stays, so the id ends with a dash on the site too
    ("Feuille de route « Numérique et environnement »", "feuille-de-route-numerique-et-environnement-"),
])
def test_normalize_string_is_minumecos(text: str, anchor: str) -> None:
    assert normalize_string(text) == anchor


def test_unique_anchor_numbers_repeats_like_markdown_it_anchor() -> None:
    seen: dict[str, int] = {}
    assert [unique_anchor(s, seen) for s in ["a", "a", "b", "a", "a-1x"]] == ["a", "a-1", "b", "a-2", "a-1x"]
    assert unique_anchor("", seen) == ""


@pytest.mark.parametrize(("rel", "meta", "path"), [
    ("x/y.md", {}, "/x/y/"),
    ("x/index.md", {}, "/x/"),
    ("index.md", {}, "/"),
    ("top.md", {}, "/top/"),
    ("ressources/podcasts/podcasts.md", {}, "/ressources/podcasts/"),  # named like its folder
    ("tables/tables.md", {}, "/tables/"),
    ("Notes/L'Académie.md", {}, "/Notes/L'Académie/"),
    ("a/b.md", {"permalink": "/ailleurs/"}, "/ailleurs/"),
    ("a/b.md", {"permalink": "publications/guide/bureautique/"}, "/publications/guide/bureautique/"),
    ("a/index.md", {"permalink": " /accessibilite/ "}, "/accessibilite/"),
    ("a/b.md", {"permalink": False}, None),
    ("a/b.md", {"permalink": "/{{ page.fileSlug }}/"}, "/a/b/"),  # a template is not a URL
    ("a/b.md", {"permalink": ""}, "/a/b/"),
])
def test_eleventy_default_rules_and_permalinks(rel: str, meta: dict, path: str | None) -> None:
    assert eleventy_path(rel, PLAIN, meta) == path


@pytest.mark.parametrize(("rel", "meta", "path"), [
    ("content/actualites/posts/actus/APNR2025.md", {}, "/actualites/APNR2025/"),  # case kept
    ("content/actualites/posts/podcasts/s2/S2E4.md", {}, "/actualites/S2E4/"),  # folders dropped
    ("content/actualites/posts/actus/semaine NumEco 2026/event.md", {}, "/actualites/event/"),
    ("content/actualites/posts/x.md", {"permalink": "/evenements/x/"}, "/evenements/x/"),  # permalink wins
    ("content/actualites/index.md", {}, "/actualites/"),  # not under posts/: the default
    ("content/a-propos/index.md", {}, "/a-propos/"),
    ("content/publications/formations/index.md", {}, "/publications/formations/"),
    ("README.md", {}, None),  # outside the input folder: not part of the site
    ("contentious/x.md", {}, None),
])
def test_url_rules_apply_inside_the_input_dir(rel: str, meta: dict, path: str | None) -> None:
    assert eleventy_path(rel, NEWS, meta) == path


@pytest.mark.parametrize(("path", "encoded"), [
    ("/Notes/L'Académie Numérique Responsable/", "/Notes/L'Acad%C3%A9mie%20Num%C3%A9rique%20Responsable/"),
    ("/Notes/Big Data, DAM (et) Musées!/", "/Notes/Big%20Data,%20DAM%20(et)%20Mus%C3%A9es!/"),
    ("/Notes/Culture & Covid19/", "/Notes/Culture%20%26%20Covid19/"),
    ("/Notes/Exemples d’expositions/", "/Notes/Exemples%20d%E2%80%99expositions/"),
    ("/Notes/sobriété…/", "/Notes/sobri%C3%A9t%C3%A9%E2%80%A6/"),
    ("/Notes/« immersifs »./", "/Notes/%C2%AB%20immersifs%20%C2%BB./"),
    ("/Notes/Pourquoi ? C# #1/", "/Notes/Pourquoi%20%3F%20C%23%20%231/"),  # no query, no fragment
    ("/actualites/APNR2025/", "/actualites/APNR2025/"),
])
def test_urls_are_percent_encoded_like_the_published_ones(path: str, encoded: str) -> None:
    assert encode(path) == encoded


def test_public_url_adds_base_and_anchor() -> None:
    assert public_url(PLAIN, "/Notes/À propos/", "a-retenir") == f"{BASE}/Notes/%C3%80%20propos/#a-retenir"
    assert public_url(PLAIN, "/x/") == f"{BASE}/x/"
    assert public_url(PLAIN, None, "a") == ""  # unpublished
    assert public_url(Site(name="local"), "/x/y/") == "/x/y/"  # no base URL: the site path


def _source_rows(corpus: Path) -> list[dict[str, str]]:
    with open(corpus / "SOURCE-urls.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.mark.parametrize("name", ["minumeco", "museumxtd"])
def test_every_row_of_source_urls_tsv(shared_dir: Path, name: str) -> None:
    """Each note's URL, from the project's gardens/<name>.yaml, is the one SOURCE-urls.tsv gives."""
    corpus = shared_dir / "corpora" / name
    config = load_corpus_config(corpus)
    assert config.source == PROJECT_GARDENS / f"{name}.yaml"
    rows = _source_rows(corpus)
    assert len(rows) > 100
    sources = {s.rel: s for s in discover(config)}
    assert set(sources) >= {row["path"] for row in rows}, "a listed note was not discovered"
    wrong = []
    for row in rows:
        note, _ = load_note(config, sources[row["path"]])
        url = note.url if note is not None else _url_of_empty_file(config, row["path"])
        if url != row["url"]:
            wrong.append(f"{row['path']}: got {url}, want {row['url']} ({row['rule']})")
    assert not wrong, f"{len(wrong)} of {len(rows)} URLs differ:\n" + "\n".join(wrong[:20])


def _url_of_empty_file(config, rel: str) -> str:
    """An empty note is skipped by the loader; its URL is still the default one."""
    site = config.site_for(rel)
    return public_url(site, eleventy_path(rel, site, {}))
