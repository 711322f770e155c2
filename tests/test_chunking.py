"""Notes -> passages by heading: heading paths, anchors per site, windows, links kept with their text."""

from __future__ import annotations

from pathlib import Path

from bot.chunking import WINDOW_WORDS, Passage, find_headings, split_note
from bot.notes import Note, discover, load_note
from bot.sites import AnchorStyle, Site, load_corpus_config

SLUGIFY = Site(name="vault", base_url="https://v.org", anchors=AnchorStyle(style="slugify", markdown_only=True))
SUMMARY = "layouts/page-with-summary.njk"
NORMALIZE = Site(name="site", base_url="https://s.org",
                 anchors=AnchorStyle(style="normalize", levels=(2,), layouts=(SUMMARY,), markdown_only=False))


def note(body: str, site: Site = SLUGIFY, meta: dict | None = None, url: str = "https://v.org/n/") -> Note:
    return Note(corpus="/c", path="n.md", site=site, title="T", tags=(), url=url, site_path="/n/",
                body=body, meta=meta or {})


def outline(passages: list[Passage]) -> list[tuple[tuple[str, ...], str, str]]:
    return [(p.heading, p.anchor, p.text) for p in passages]


def test_sections_by_markdown_heading_with_nested_paths() -> None:
    body = """Avant tout titre.

# Titre
Intro.
## Partie A
Texte A.
### Détail A1
Texte A1.
###### Très profond
Texte profond.
## Partie B
Texte B.
#pasuntitre et #hashtag
"""
    assert outline(split_note(note(body))) == [
        ((), "", "Avant tout titre."),
        (("Titre",), "titre", "Intro."),
        (("Titre", "Partie A"), "partie-a", "Texte A."),
        (("Titre", "Partie A", "Détail A1"), "detail-a1", "Texte A1."),
        (("Titre", "Partie A", "Détail A1", "Très profond"), "tres-profond", "Texte profond."),
        (("Titre", "Partie B"), "partie-b", "Texte B.\n#pasuntitre et #hashtag"),
    ]


def test_headings_that_skip_levels_and_closing_hashes() -> None:
    body = "Programme.\n#### Intervenant ####\nNom.\n## Forum\nDate.\n#### Session\nHeure.\n"
    assert [p.heading for p in split_note(note(body))] == [
        (), ("Intervenant",), ("Forum",), ("Forum", "Session")]


def test_a_note_that_opens_with_a_deeper_heading_is_under_it() -> None:
    """A MuseumXTD resource note opens with the article's `### [Title](url)` and a summary, then
    `## À retenir`: what the article says is under its title, whatever the levels, so both
    passages name it (the summary had outweighed the list that answers)."""
    body = "### [L'article](https://a.org)\nRésumé.\n## À retenir\n- Un point.\n## Liens\n### Vidéo\nURL.\n"
    assert [p.heading for p in split_note(note(body))] == [
        ("L'article",), ("L'article", "À retenir"), ("L'article", "Liens"), ("L'article", "Liens", "Vidéo")]
    assert [p.anchor for p in split_note(note(body))] == ["larticle", "a-retenir", "liens", "video"]
    # some notes write "# A retenir"; not when text comes first, nor between headings of one level
    assert split_note(note("### A\nx\n# A retenir\ny\n"))[-1].heading == ("A", "A retenir")
    assert split_note(note("Avant.\n### A\nx\n## B\ny\n"))[-1].heading == ("B",)
    assert split_note(note("## A\nx\n## B\ny\n"))[-1].heading == ("B",)


def test_html_headings_including_accordion_titles() -> None:
    body = """<h2 class="fr-accordion__title">
<button class="fr-accordion__btn" aria-expanded="false"
 aria-controls="q1">Que faire des
 anciens ordinateurs ?</button>
</h2>
<div class="fr-collapse" id="q1"><p>Les donner.</p></div>
<H3 class="fr-callout__title">À savoir</H3>
<p>Ils se réparent.</p>
"""
    assert outline(split_note(note(body))) == [
        (("Que faire des anciens ordinateurs ?",), "", "Les donner."),
        (("Que faire des anciens ordinateurs ?", "À savoir"), "", "Ils se réparent."),
    ]


def test_headings_inside_fenced_code_are_not_headings() -> None:
    body = """## Exemple
```markdown
---
title: x
---
# Pas un titre
<h2>Pas un titre non plus</h2>
```
~~~
## Toujours pas
~~~
## Suite
Fin.
"""
    headings = [h.text for h in find_headings(body)]
    assert headings == ["Exemple", "Suite"]
    first = split_note(note(body))[0]
    assert "# Pas un titre" in first.text and "## Toujours pas" in first.text


def test_slugify_anchors_number_repeated_headings() -> None:
    body = "## À retenir\nUn.\n## À retenir\nDeux.\n<h2>HTML sans ancre</h2>\nTrois.\n## À retenir\nQuatre.\n"
    passages = split_note(note(body))
    assert [p.anchor for p in passages] == ["a-retenir", "a-retenir-1", "", "a-retenir-2"]
    assert passages[1].url == "https://v.org/n/#a-retenir-1"
    assert passages[2].url == "https://v.org/n/"


def test_normalize_anchors_only_on_h2_of_pages_with_summary() -> None:
    body = ("## Les MOOC : gratuits\nA.\n### Détail\nB.\n<h2>Formations à distance</h2>\nC.\n"
            "<h2>Sur deux\nlignes</h2>\nD.\n## Les MOOC : gratuits\nE.\n")
    passages = split_note(note(body, NORMALIZE, {"layout": SUMMARY}, "https://s.org/f/"))
    assert [(p.heading[-1], p.anchor) for p in passages] == [
        ("Les MOOC : gratuits", "les-mooc-gratuits"),
        ("Détail", "les-mooc-gratuits"),  # an h3 links to the h2 section it is in
        ("Formations à distance", "formations-a-distance"),  # the site's transform sees HTML too
        ("Sur deux lignes", ""),  # the transform reads one line per <h2>
        ("Les MOOC : gratuits", "les-mooc-gratuits"),  # the same id again, no -1
    ]
    other_layout = split_note(note(body, NORMALIZE, {"layout": "layouts/page.njk"}, "https://s.org/f/"))
    assert {p.anchor for p in other_layout} == {""}


def test_an_id_written_in_the_source_is_the_anchor() -> None:
    body = ('<h2 class="x" id="points-communs">Points communs</h2>\nA.\n## Markdown\nB.\n'
            '<h3 data-id="pas-un-id">Attribut de données</h3>\nC.\n')
    for site in (Site(name="plain"), SLUGIFY):
        passages = split_note(note(body, site))
        assert passages[0].anchor == "points-communs"
    assert [p.anchor for p in split_note(note(body, Site(name="plain")))] == ["points-communs", "", ""]


def test_long_sections_become_overlapping_windows() -> None:
    sentences = [f"Phrase numéro {i} sur le réemploi des ordinateurs portables." for i in range(120)]
    body = "## Long\n" + "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, 120, 3)) + "\n## Court\nFin.\n"
    passages = split_note(note(body))
    long = [p for p in passages if p.heading == ("Long",)]
    assert len(long) >= 4
    assert all(len(p.text.split()) <= WINDOW_WORDS for p in long)
    assert {p.anchor for p in long} == {"long"}
    for before, after in zip(long, long[1:], strict=False):
        assert before.text.split("\n")[-1] in after.text  # overlap: the last paragraph is repeated
    covered = " ".join(p.text for p in long)
    assert all(s in covered for s in sentences)
    assert [p.heading for p in passages][-1] == ("Court",)


def test_one_huge_paragraph_is_still_cut() -> None:
    body = "## Transcription\n" + " ".join(f"mot{i}" for i in range(1000)) + "\n"
    passages = split_note(note(body))
    assert len(passages) >= 5
    assert all(len(p.text.split()) <= WINDOW_WORDS for p in passages)
    words = set(" ".join(p.text for p in passages).split())
    assert {f"mot{i}" for i in range(1000)} <= words


def test_markup_is_removed_but_link_and_alt_texts_stay() -> None:
    body = ("## Ressources\nLe **MOOC** de l'[INR](https://inr.org) et <a href=\"https://a.org\">l'Académie</a>.\n"
            "![Schéma du cycle de vie](cycle.png) <img src=x.png alt=\"Photo d'un atelier\">\n"
            "Voir [[Note liée|la note]] et https://bare.example.org/page.\n")
    (passage,) = split_note(note(body))
    assert passage.text == ("Le MOOC de l'INR et l'Académie.\nSchéma du cycle de vie Photo d'un atelier\n"
                            "Voir la note et https://bare.example.org/page.")
    assert [(lk.text, lk.target, lk.kind) for lk in passage.links] == [
        ("INR", "https://inr.org", "url"), ("l'Académie", "https://a.org", "url"),
        ("la note", "Note liée", "wiki"),
        ("https://bare.example.org/page", "https://bare.example.org/page", "url")]


def test_links_stay_with_their_passage_and_heading_links_count() -> None:
    body = ("Intro avec [un lien](https://intro.org).\n"
            "### [Titre de l'article](https://article.org/1)\nRésumé.\n"
            "###### **[[Gérer ses collections|Plus de questions]]**\n"
            "## À retenir\n- [[Autre note]]\n")
    passages = split_note(note(body))
    got = {p.heading: [lk.target for lk in p.links] for p in passages}
    assert got == {(): ["https://intro.org"],
                   ("Titre de l'article",): ["https://article.org/1"],
                   ("Titre de l'article", "Plus de questions"): ["Gérer ses collections"],
                   ("À retenir",): ["Autre note"]}


def test_windows_keep_the_links_of_their_own_text() -> None:
    paragraphs = [f"Paragraphe {i} " + "mot " * 60 + f"[lien {i}](https://x.org/{i})" for i in range(8)]
    body = "## [Source](https://source.org)\n" + "\n\n".join(paragraphs) + "\n"
    passages = split_note(note(body))
    assert len(passages) > 2
    for p in passages:
        targets = {lk.target for lk in p.links}
        shown = {f"https://x.org/{i}" for i in range(8) if f"lien {i}" in p.text}
        assert targets == shown | {"https://source.org"}


def test_front_matter_facts_open_the_note() -> None:
    meta = {"title": "Outil", "layout": "x", "description": "Mesure l'impact d'une page.",
            "alias": ["Quel outil choisir?"], "licence": "MIT", "mainTechnology": "Rust",
            "permalink": "/o/", "draft": False, "series": "Paroles d'experts saison 1"}
    (first, *_rest) = split_note(note("## Usage\nTexte.\n", meta=meta))
    assert first.heading == ()
    # a series name is asked about ("episode 6 of Paroles d'experts"); page plumbing is not
    assert first.text.split("\n") == ["Mesure l'impact d'une page.", "Quel outil choisir?", "licence: MIT",
                                      "mainTechnology: Rust", "series: Paroles d'experts saison 1"]


def test_unpublished_note_has_no_passage_url() -> None:
    (passage,) = split_note(note("## Titre\nTexte.\n", url=""))
    assert passage.anchor == "titre" and passage.url == ""


def test_the_fixture_site_gets_its_anchors(garden: Path) -> None:
    config = load_corpus_config(garden)
    sources = {s.rel: s for s in discover(config)}
    loaded, _ = load_note(config, sources["site/content/formations/index.md"])
    urls = [(p.heading[-1] if p.heading else "", p.url) for p in split_note(loaded)]
    base = "https://site.example.org/formations/"
    assert urls == [("", base),
                    ("Les MOOC : gratuits et ouverts", base + "#les-mooc-gratuits-et-ouverts"),
                    ("Formations à distance", base + "#formations-a-distance"),
                    ("Pour les managers", base + "#formations-a-distance"),
                    ("Le calendrier", base + "#calendrier-2025"),
                    ("Questions fréquentes", base),
                    ("Les MOOC : gratuits et ouverts", base + "#les-mooc-gratuits-et-ouverts")]


def test_a_note_with_only_front_matter_is_still_findable_by_its_title(tmp_path):
    from bot.engine import Engine

    root = tmp_path / "g"
    root.mkdir()
    (root / "barometre.md").write_text("---\ntitle: Baromètre numérique\nlayout: x.njk\n---\n", encoding="utf-8")
    (root / "autre.md").write_text("# Autre\nRien à voir ici.\n", encoding="utf-8")
    engine, _ = Engine.open([root], tmp_path / "index")
    try:
        assert engine.ask("baromètre", 1).hits[0].path == "barometre.md"
    finally:
        engine.close()


def test_the_last_window_of_a_long_section_is_about_as_long_as_the_others(tmp_path):
    from bot.chunking import WINDOW_WORDS, split_note
    from bot.notes import load_note
    from bot.sites import load_corpus_config

    root = tmp_path / "g"
    root.mkdir()
    paragraphs = "\n\n".join(" ".join(f"mot{p}x{i}" for i in range(45)) for p in range(11))
    (root / "long.md").write_text(f"# Long\n\n{paragraphs}\n", encoding="utf-8")
    config = load_corpus_config(root)
    from bot.notes import discover

    note, _ = load_note(config, discover(config)[0])
    windows = [len(p.text.split()) for p in split_note(note)]
    assert len(windows) >= 3
    assert all(WINDOW_WORDS - 50 <= n <= WINDOW_WORDS for n in windows)
