"""Answers: the best passage of the bundled corpus, snippets with matched words, links resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import BUNDLED_CORPUS, Engine


@pytest.fixture
def bundled(index_root: Path) -> Engine:
    engine, _ = Engine.open([BUNDLED_CORPUS], index_root)
    yield engine
    engine.close()


@pytest.fixture
def garden_engine(garden: Path, index_root: Path) -> Engine:
    engine, _ = Engine.open([garden], index_root)
    yield engine
    engine.close()


def test_which_mooc_takes_30_minutes(bundled: Engine) -> None:
    answer = bundled.ask("which MOOC takes 30 minutes?", 5)
    assert answer.good
    first = answer.hits[0]
    assert first.heading == ""
    assert "propose un MOOC sur le numérique responsable d'une durée de 30 minutes" in first.text
    assert first.url == "https://www.museumxtd.ch/Notes/L'Acad%C3%A9mie%20Num%C3%A9rique%20Responsable/"
    assert "https://www.academie-nr.org/" in [url for _, url in first.links]
    assert "**30**" in first.snippet and "**minutes**" in first.snippet
    assert first.path == "museumxtd/Notes/L'Académie Numérique Responsable.md"
    assert Path(first.corpus) == BUNDLED_CORPUS


def test_hit_as_json(bundled: Engine) -> None:
    hit = bundled.ask("which MOOC takes 30 minutes?", 1).hits[0].as_json()
    assert list(hit) == ["path", "corpus", "title", "heading", "url", "score", "text", "links"]
    assert hit["title"] == "L'Académie Numérique Responsable"
    assert isinstance(hit["score"], float) and hit["score"] > 0
    link = "INR (Institut du Numérique Responsable). Académie Numérique Responsable"
    assert {"text": link, "url": "https://www.academie-nr.org/"} in hit["links"]


def test_snippet_marks_matched_words_in_the_best_window(bundled: Engine) -> None:
    words = [f"mot{i}" for i in range(200)]
    words[150] = "ordinateurs"
    snippet = bundled.answerer.snippet(" ".join(words), set(bundled.searcher.analyzer.terms("ordinateur")),
                                       width=20)
    assert "**ordinateurs**" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet.replace("… ", "").replace(" …", "").split()) == 20
    short = bundled.answerer.snippet("Le recyclage.", set(bundled.searcher.analyzer.terms("recyclage")))
    assert short == "Le **recyclage**."


def test_a_second_window_of_a_section_shows_other_lines(tmp_path: Path) -> None:
    """A long section is indexed as overlapping windows; when two of them answer, the second
    must not show the lines the first one showed."""
    root = tmp_path / "notes"
    root.mkdir()
    lines = [" ".join(f"mot{i}{j}" for j in range(40)) for i in range(8)]
    lines[0] += " le recyclage commence."
    lines[4] = "recyclage des ordinateurs, recyclage des ordinateurs portables, recyclage. " + lines[4]
    lines[7] += " fin du recyclage."
    body = "# Guide\n\n## Recyclage\n" + "\n\n".join(lines) + "\n"
    (root / "guide.md").write_text(body, encoding="utf-8")
    for i in range(4):
        (root / f"autre{i}.md").write_text(f"# Autre {i}\nRien à voir.\n", encoding="utf-8")
    engine, _ = Engine.open([root], tmp_path / "index")
    try:
        hits = [h for h in engine.ask("recyclage des ordinateurs", 5).hits if h.heading == "Guide › Recyclage"]
        assert len(hits) >= 2  # the section came as several windows
        grams = [set(zip(*(h.snippet.replace("**", "").split()[i:] for i in range(3)), strict=False)) for h in hits]
        assert all(not grams[i] & grams[j] for i in range(len(hits)) for j in range(i))  # no line twice
        assert all("**recyclage**" in h.snippet for h in hits)
    finally:
        engine.close()


def passage_record(engine: Engine, path: str, heading: str) -> dict:
    for i in range(int(engine.files.meta["passages"])):
        record = engine.files.passage(i)
        if record["path"] == path and (record["heading"] or [""])[-1] == heading:
            return record
    raise AssertionError(f"no passage {path} › {heading}")


def test_wiki_links_resolve_to_the_linked_notes_url(garden_engine: Engine) -> None:
    vault = "https://vault.example.org"
    record = passage_record(garden_engine, "vault/Notes/Recyclage des ordinateurs.md", "À retenir")
    # [[Le réemploi#Où donner ?|où donner]] -> that note's page at that heading; [[Inexistante]] dropped
    assert garden_engine.answerer.links(record) == [
        ("où donner", f"{vault}/Notes/Le%20r%C3%A9emploi/#ou-donner")]
    home = passage_record(garden_engine, "vault/index.md", "Bienvenue au jardin")
    assert garden_engine.answerer.links(home) == [
        ("Recyclage des ordinateurs", f"{vault}/Notes/Recyclage%20des%20ordinateurs/"),
        ("le réemploi", f"{vault}/Notes/Le%20r%C3%A9emploi/"),  # [[Notes/Le réemploi|…]]
    ]


def test_links_are_made_absolute(garden_engine: Engine) -> None:
    record = {"corpus": 0, "url": "https://site.example.org/formations/#les-mooc", "links": [
        ["contact", "/contact", "url"], ["fiche", "fiche.pdf", "url"], ["haut", "../", "url"],
        ["écrire", "mailto:a@b.org", "url"], ["ailleurs", "https://x.org/", "url"],
        ["titre", "#Un titre", "wiki"], ["note", "Fiche Écoindex.md", "wiki"]]}
    assert garden_engine.answerer.links(record) == [
        ("contact", "https://site.example.org/contact"),
        ("fiche", "https://site.example.org/formations/fiche.pdf"),
        ("haut", "https://site.example.org/"),
        ("écrire", "mailto:a@b.org"),
        ("ailleurs", "https://x.org/"),
        ("titre", "https://site.example.org/formations/#un-titre"),
        ("note", "https://vault.example.org/Notes/Fiche%20%C3%89coindex/"),
    ]
    unpublished = dict(record, url="")
    assert garden_engine.answerer.links(unpublished)[0] == ("contact", "/contact")


def test_heading_link_is_an_answer_link(garden_engine: Engine) -> None:
    answer = garden_engine.ask("guide du recyclage des ordinateurs en fin de vie", 3)
    first = answer.hits[0]
    assert first.path == "vault/Notes/Recyclage des ordinateurs.md"
    assert ("Guide du recyclage des ordinateurs", "https://recyclage.example.org/guide") in first.links
    assert first.title == "Recycler ses ordinateurs"


def test_drafts_are_labelled(garden_engine: Engine) -> None:
    first = garden_engine.ask("atelier de réparation des grille-pain", 1).hits[0]
    assert first.path == "vault/Brouillon/Idées.md" and first.draft
    assert first.url == "https://vault.example.org/Brouillon/Id%C3%A9es/"


def test_curly_and_straight_apostrophes_find_each_other(garden_engine: Engine) -> None:
    first = garden_engine.ask("l'Académie propose quel MOOC ?", 1).hits[0]
    assert first.path == "vault/Notes/L'Académie du numérique.md"
    assert "L’Académie" in first.text
