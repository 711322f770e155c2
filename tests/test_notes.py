"""Loading notes: every hazard a real garden holds is survived, and every skip or repair is reported."""

from __future__ import annotations

import os
import time
import unicodedata
from pathlib import Path

import frontmatter
import pytest
import yaml

from bot import yamlsafe
from bot.chunking import split_note
from bot.notes import (
    Note,
    Problem,
    discover,
    fallback_title,
    load_note,
    parse_tags,
    read_text,
    split_front_matter,
    title_is_generic,
)
from bot.sites import Site, load_corpus_config

FIXTURES = Path(__file__).resolve().parent / "fixtures"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def load_all(root: Path) -> tuple[dict[str, Note], dict[str, list[Problem]]]:
    config = load_corpus_config(root)
    loaded, problems = {}, {}
    for source in discover(config):
        note, found = load_note(config, source)
        if note is not None:
            loaded[source.rel] = note
        if found:
            problems[source.rel] = found
    return loaded, problems


@pytest.fixture
def pure_python_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML installed without libyaml: python-frontmatter and notesbot fall back to SafeLoader."""
    monkeypatch.setattr(frontmatter.default_handlers, "SafeLoader", yaml.SafeLoader)
    monkeypatch.setattr(yamlsafe, "_LOADER", yaml.SafeLoader)


def passages_text(note: Note) -> str:
    return "\n".join(" › ".join(p.heading) + "\n" + p.text for p in split_note(note))


# --- discovery and exclusion -------------------------------------------------------------------


def test_discovery_skips_excluded_hidden_and_non_markdown_files(hazard_garden: Path) -> None:
    found = {s.rel for s in discover(load_corpus_config(hazard_garden))}
    for excluded in ("README.md", "SOURCE.md", ".hidden.md", ".obsidian/workspace.md",
                     "node_modules/pkg/readme.md", "_site/index.md", "drafts/wip.md",
                     "ideas.draft.md", "private/secret.md", "notes.txt"):
        assert (hazard_garden / excluded).exists(), excluded
        assert excluded not in found
    assert {"private/public.md", "empty.md", "missing.md", "Notes/L’outil « Écoindex » de A à Z….md",
            "Notes/Dossier partagé/Réunion de rentrée.md"} <= found
    assert sorted(found) == [s.rel for s in discover(load_corpus_config(hazard_garden))]


def test_every_skip_and_repair_is_reported_with_its_reason(hazard_garden: Path) -> None:
    loaded, problems = load_all(hazard_garden)
    summary = {rel: [(p.skipped, p.reason) for p in found] for rel, found in problems.items()}
    expected = {"empty.md", "blank.md", "missing.md", "tab-yaml.md", "broken-yaml.md", "latin1.md"}
    if not IS_ROOT:
        expected.add("locked.md")
    assert set(summary) == expected, summary
    assert summary["empty.md"] == [(True, "empty file")]
    assert summary["blank.md"] == [(True, "empty file")]
    assert summary["missing.md"][0][0] is True and "cannot read" in summary["missing.md"][0][1]
    for repaired in ("tab-yaml.md", "broken-yaml.md", "latin1.md"):
        assert all(not skipped for skipped, _ in summary[repaired]), repaired
        assert repaired in loaded
    assert not {"empty.md", "blank.md", "missing.md", "locked.md"} & set(loaded)
    for found in problems.values():
        for p in found:
            assert str(p).startswith(("skipped: ", "repaired: ")) and p.path in str(p)


@pytest.mark.skipif(IS_ROOT, reason="root reads a chmod 000 file; the broken symlink covers root")
def test_unreadable_file_is_skipped_with_the_reason(hazard_garden: Path) -> None:
    _, problems = load_all(hazard_garden)
    (problem,) = problems["locked.md"]
    assert problem.skipped and "cannot read" in problem.reason and "ermission" in problem.reason


def test_file_name_that_is_not_utf8_is_skipped_not_fatal(tmp_path: Path) -> None:
    root = tmp_path / "garden"
    root.mkdir()
    (root / "ok.md").write_text("Bonjour.\n", encoding="utf-8")
    try:
        (root / os.fsdecode(b"caf\xe9.md")).write_text("Un caf\u00e9.\n", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system does not take non-UTF-8 file names")
    loaded, problems = load_all(root)
    assert list(loaded) == ["ok.md"]
    (rel, (problem,)), = problems.items()
    rel.encode("utf-8")  # printable and storable
    assert problem.skipped and "not UTF-8" in problem.reason


# --- front matter ------------------------------------------------------------------------------


def test_yaml_that_only_libyaml_reads(hazard_garden: Path) -> None:
    loaded, problems = load_all(hazard_garden)
    note = loaded["alias-libyaml.md"]
    assert note.meta["alias"] == ["Comment mener un projet numérique?"]
    assert note.tags == ("question", "hub")
    if hasattr(yaml, "CSafeLoader"):
        assert "alias-libyaml.md" not in problems


def test_yaml_never_builds_python_objects() -> None:
    """Front matter, synonym files and configs are other people's text: a Python tag is refused."""
    with pytest.raises(yamlsafe.YAMLError):
        yamlsafe.load("title: !!python/object/apply:os.getcwd []\n")
    assert yamlsafe.load("title: Fiche\ntags: [a, b]\n") == {"title": "Fiche", "tags": ["a", "b"]}


def test_yaml_that_only_libyaml_reads_without_libyaml(hazard_garden: Path, pure_python_yaml: None) -> None:
    with pytest.raises(yaml.YAMLError):
        yaml.load("alias: [Comment mener un projet numérique?]\n", Loader=yaml.SafeLoader)  # noqa: S506
    loaded, problems = load_all(hazard_garden)
    note = loaded["alias-libyaml.md"]
    assert note.meta["alias"] == ["Comment mener un projet numérique?"]
    assert note.meta["eleventyNavigation"]["title"] == "Mener un projet numérique"
    (problem,) = problems["alias-libyaml.md"]
    assert not problem.skipped and "repaired" in problem.reason


@pytest.mark.parametrize("libyaml", [True, False])
def test_tab_indented_yaml_is_repaired_and_the_body_indexed(hazard_garden: Path, libyaml: bool,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    if not libyaml:
        monkeypatch.setattr(frontmatter.default_handlers, "SafeLoader", yaml.SafeLoader)
        monkeypatch.setattr(yamlsafe, "_LOADER", yaml.SafeLoader)
    text = (hazard_garden / "tab-yaml.md").read_text(encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        frontmatter.loads(text)
    loaded, problems = load_all(hazard_garden)
    note = loaded["tab-yaml.md"]
    assert note.title == "Guide des achats responsables"
    assert note.tags == ("achats", "numérique")
    assert "aide les acheteurs publics" in passages_text(note)
    (problem,) = problems["tab-yaml.md"]
    assert not problem.skipped and "tab" in problem.reason


def test_yaml_no_repair_can_fix_keeps_what_parses(hazard_garden: Path) -> None:
    loaded, problems = load_all(hazard_garden)
    note = loaded["broken-yaml.md"]
    assert note.meta == {"title": "Fiche cassée"}
    assert "recyclage des téléphones" in passages_text(note)
    (problem,) = problems["broken-yaml.md"]
    assert not problem.skipped and "kept title" in problem.reason and "indexed from the body" in problem.reason


@pytest.mark.parametrize(("text", "meta", "body"), [
    ("# Titre\n\nCorps.\n", {}, "# Titre\n\nCorps.\n"),
    ("---\ntitle: Seul\n---\n", {"title": "Seul"}, ""),
    ("---\nlayout: search\ntitle: Recherche\n---", {"layout": "search", "title": "Recherche"}, ""),
    ("---\ntitle: Win\n---\nBody\n", {"title": "Win"}, "Body"),
    ("---\n---\nBody\n", {}, "Body"),
    ("---\n# a comment\n---\nBody\n", {}, "Body"),
])
def test_split_front_matter(text: str, meta: dict, body: str) -> None:
    got_meta, got_body, note = split_front_matter(text)
    assert (got_meta, got_body.strip(), note) == (meta, body.strip(), None)


@pytest.mark.parametrize("text", ["---\n\nUn paragraphe entre deux filets.\n\n---\nLa suite.\n",
                                  "---\n- a\n- b\n---\nLa suite.\n"])
def test_front_matter_that_is_not_a_mapping_is_read_as_text(text: str) -> None:
    meta, body, note = split_front_matter(text)
    assert (meta, body) == ({}, text)
    assert "not a YAML mapping" in note


def test_front_matter_only_notes_load(hazard_garden: Path) -> None:
    loaded, problems = load_all(hazard_garden)
    only = loaded["front-matter-only.md"]
    assert (only.title, only.body.strip()) == ("Formations", "")
    assert "Toutes les formations au numérique responsable." in passages_text(only)  # description
    search = loaded["search.md"]  # no newline after the closing ---
    assert (search.title, search.layout, search.body) == ("Recherche", "layouts/search.njk", "")
    assert "search.md" not in problems and "front-matter-only.md" not in problems


def test_no_front_matter(hazard_garden: Path) -> None:
    loaded, _ = load_all(hazard_garden)
    note = loaded["no-front-matter.md"]
    assert note.meta == {} and note.title == ""
    assert fallback_title(note) == "Sans en-tête"
    assert "parle de sobriété" in passages_text(note)


# --- text --------------------------------------------------------------------------------------


def test_nfd_text_is_normalised_to_nfc(hazard_garden: Path) -> None:
    raw = (hazard_garden / "nfd.md").read_bytes()
    assert "e\u0301".encode() in raw
    loaded, _ = load_all(hazard_garden)
    note = loaded["nfd.md"]
    assert unicodedata.is_normalized("NFC", note.body)
    assert "écoconception" in note.body and note.title == "Fresque du numérique"


def test_non_utf8_file_is_read_as_windows_1252(hazard_garden: Path) -> None:
    loaded, problems = load_all(hazard_garden)
    note = loaded["latin1.md"]
    assert note.title == "Café" and "s’il vous plaît" in note.body
    (problem,) = problems["latin1.md"]
    assert "not UTF-8" in problem.reason and "Windows-1252" in problem.reason


@pytest.mark.parametrize(("raw", "text"), [
    (b"\xef\xbb\xbf# BOM\r\nline\r\n", "# BOM\nline\n"),
    (b"old\rmac\r", "old\nmac\n"),
    ("Cafe\u0301".encode(), "Café"),
])
def test_read_text(raw: bytes, text: str) -> None:
    assert read_text(raw) == (text, None)


def test_nunjucks_is_dropped_but_paired_transcripts_and_shown_texts_kept(hazard_garden: Path) -> None:
    loaded, _ = load_all(hazard_garden)
    text = passages_text(loaded["nunjucks.md"])
    assert "Le reconditionnement prolonge la vie des ordinateurs." in text
    assert "Bonjour à tous" in text
    assert "Carte décorative" in text  # a card's title shows on the page; its url does not
    for gone in ("dailymotion", "x9abcd", "/decor/", "{%", "%}", "{{", "}}",
                 "Jean Dupont", "footer"):
        assert gone not in text, gone
    (passage,) = [p for p in split_note(loaded["nunjucks.md"]) if p.links]
    assert [(lk.text, lk.target) for lk in passage.links] == [("le formulaire", "/contact")]


def test_html_blocks_comments_and_entities(hazard_garden: Path) -> None:
    loaded, _ = load_all(hazard_garden)
    passages = split_note(loaded["html.md"])
    by_heading = {p.heading[-1]: p for p in passages if p.heading}
    assert set(by_heading) == {"À savoir", "Que faire des anciens téléphones ?"}
    callout = by_heading["À savoir"]
    assert "Un ordinateur reconditionné coûte moins cher." in callout.text  # &nbsp; is a space
    assert [(lk.text, lk.target) for lk in callout.links] == [("le guide du réemploi",
                                                               "https://www.example.org/guide")]
    faq = by_heading["Que faire des anciens téléphones ?"]
    assert "filière de collecte agréée" in faq.text
    assert "Étape 1 : photographier l'objet" in faq.text  # an <img> alt text spread over lines
    everything = passages_text(loaded["html.md"])
    for gone in ("<", ">", "chapô", "ancienne image", "srcdoc", "padding", "vignette", "fr-",
                 "&nbsp;", "\u00a0", "allowfullscreen"):
        assert gone not in everything, gone


def test_curly_apostrophes_are_kept_in_the_text(hazard_garden: Path) -> None:
    loaded, _ = load_all(hazard_garden)
    note = loaded["apostrophes.md"]
    assert note.title == "L’empreinte du numérique" and note.tags == ("empreinte", "climat")
    assert "c’est d’abord" in passages_text(note)


def test_a_65_kb_file_is_cut_into_overlapping_windows(hazard_garden: Path) -> None:
    assert (hazard_garden / "big.md").stat().st_size >= 65_000
    started = time.perf_counter()
    loaded, _ = load_all(hazard_garden)
    passages = split_note(loaded["big.md"])
    assert time.perf_counter() - started < 5
    assert len(passages) >= 9 * 3
    assert {p.heading for p in passages} == {(f"Fiche {i}",) for i in range(1, 10)}
    assert max(len(p.text.split()) for p in passages) <= 200
    first = [p for p in passages if p.heading == ("Fiche 1",)]
    assert len(first) > 1
    assert all(a.text.split("\n")[-1] in b.text for a, b in zip(first, first[1:], strict=False))
    assert {p.anchor for p in first} == {"fiche-1"}


def test_paths_with_spaces_accents_and_punctuation(hazard_garden: Path) -> None:
    loaded, _ = load_all(hazard_garden)
    base = "https://hazards.example.org"
    odd = loaded["Notes/L’outil « Écoindex » de A à Z….md"]
    assert odd.url == (f"{base}/Notes/L%E2%80%99outil%20%C2%AB%20%C3%89coindex%20%C2%BB%20de%20A%20"
                       "%C3%A0%20Z%E2%80%A6/")
    assert odd.stem == "L’outil « Écoindex » de A à Z…"
    assert loaded["Notes/Mesures, (suite) & bilan.md"].url == f"{base}/Notes/Mesures,%20(suite)%20%26%20bilan/"
    assert loaded["Notes/Dossier partagé/Réunion de rentrée.md"].url == (
        f"{base}/Notes/Dossier%20partag%C3%A9/R%C3%A9union%20de%20rentr%C3%A9e/")


# --- titles and tags ---------------------------------------------------------------------------


def make_note(title: str = "", meta: dict | None = None, body: str = "", path: str = "n.md",
              site: Site | None = None) -> Note:
    meta = dict(meta or {}, **({"title": title} if title else {}))
    return Note(corpus="/c", path=path, site=site or Site(name="s"), title=title, tags=(), url="",
                site_path=None, body=body, meta=meta)


def test_fallback_title_order() -> None:
    nav = {"eleventyNavigation": {"title": " Le  titre de navigation "}}
    assert fallback_title(make_note(meta=nav, body="# Premier titre\n")) == "Le titre de navigation"
    assert fallback_title(make_note(body="Texte\n# **Premier** [titre](x)\n# Second\n")) == "Premier titre"
    assert fallback_title(make_note(body="```sh\n# un commentaire\n```\n# Le vrai titre\n")) == "Le vrai titre"
    assert fallback_title(make_note(body="## Pas un H1\n", path="Notes/Nom du fichier.md")) == "Nom du fichier"
    assert fallback_title(make_note(path="guides/achats/index.md")) == "achats"
    assert fallback_title(make_note(path="index.md")) == "index"
    # a home page with neither: the generic title all notes repeat is the site's name (MuseumXTD)
    assert fallback_title(make_note("MuseumXTD", body="**MuseumXTD** est une plateforme\n## Partie\n",
                                    path="index.md")) == "MuseumXTD"
    assert fallback_title(make_note("MuseumXTD", path="Notes/index.md")) == "Notes"


def test_which_titles_are_generic() -> None:
    """The rule the index build applies per site (see test_titles_in_the_built_index)."""
    declared = ("Placeholder",)
    assert title_is_generic("MuseumXTD", declared, same_title=4, site_notes=7)  # on most notes
    assert not title_is_generic("Un vrai titre", declared, same_title=1, site_notes=7)
    assert title_is_generic("placeholder", declared, same_title=1, site_notes=7)  # declared
    assert title_is_generic("", declared, same_title=1, site_notes=7)  # missing
    assert not title_is_generic("MuseumXTD", declared, same_title=3, site_notes=7)  # not most
    # a tiny site's shared title is kept
    assert not title_is_generic("Même titre", (), same_title=3, site_notes=3)


def test_titles_in_the_built_index(garden: Path, index_root: Path) -> None:
    """The index settles titles per site: `title: Jardin` is on most vault notes, so it names none."""
    from bot.engine import Engine

    engine, _ = Engine.open([garden], index_root)
    try:
        titles = {n["path"]: n["title"] for n in engine.files.notes}
        tags = {n["path"]: n["tags"] for n in engine.files.notes}
    finally:
        engine.close()
    assert titles == {
        "vault/index.md": "Bienvenue au jardin",  # first H1
        "vault/Notes/Recyclage des ordinateurs.md": "Recycler ses ordinateurs",  # eleventyNavigation.title
        "vault/Notes/Le réemploi.md": "Le réemploi des équipements",  # a bold H1
        "vault/Notes/L'Académie du numérique.md": "L'Académie du numérique",  # the file name
        "vault/Notes/Fiche Écoindex.md": "Fiche Écoindex",  # a real title is kept
        "vault/Brouillon/Idées.md": "Idées",
        "site/content/formations/index.md": "Formations",
        "site/content/a-propos/a-propos.md": "À propos",
        "site/content/guide.md": "Guide pratique",
        "site/content/contact.md": "Contact",
        "site/content/actualites/posts/2024/APNR2025.md": "Appel à projets 2025",
        "site/content/actualites/posts/evenement.md": "Événement",
        "site/content/ressources/sans-titre.md": "Le bon titre",  # `Sans titre` is declared generic
        "site/notes-hors-site.md": "Hors du site",
    }
    assert tags["vault/Notes/Recyclage des ordinateurs.md"] == ["ressource", "recyclage"]
    assert tags["site/content/formations/index.md"] == ["formation", "mooc"]
    assert tags["vault/Notes/Le réemploi.md"] == []  # `tags:` left empty


@pytest.mark.parametrize(("value", "tags"), [
    ("ressource forum  francais", ("ressource", "forum", "francais")),
    (["achats", "numérique", "achats"], ("achats", "numérique")),
    ("#a, #b", ("a", "b")),
    ([2024, "x", None, {"k": "v"}], ("2024", "x")),
    (None, ()),
    ("", ()),
    (42.5, ()),
])
def test_tags_list_or_space_separated_string(value: object, tags: tuple[str, ...]) -> None:
    assert parse_tags(value) == tags


# --- the real gardens --------------------------------------------------------------------------


def test_every_real_note_loads_and_only_the_known_files_have_problems(shared_dir: Path) -> None:
    problems = {}
    counts = {}
    for name in ("minumeco", "museumxtd"):
        loaded, found = load_all(shared_dir / "corpora" / name)
        counts[name] = len(loaded)
        for rel, items in found.items():
            problems[f"{name}/{rel}"] = [(p.skipped, p.reason) for p in items]
        for note in loaded.values():
            split_note(note)  # every note also splits into passages without an error
    assert counts["minumeco"] == 250 and counts["museumxtd"] == 187
    tab = "minumeco/content/ressources/documents-reference/guide-achats-responsables/index.md"
    assert set(problems) == {tab, "museumxtd/Brouillon/Test.md"}, problems
    assert problems["museumxtd/Brouillon/Test.md"] == [(True, "empty file")]
    ((skipped, reason),) = problems[tab]
    assert not skipped and "tabs in indentation" in reason


def test_real_libyaml_only_notes_load_with_the_pure_python_loader(shared_dir: Path,
                                                                  pure_python_yaml: None) -> None:
    loaded, problems = load_all(shared_dir / "corpora" / "museumxtd")
    with_alias = [n for n in loaded.values() if n.meta.get("alias")]
    assert len(with_alias) >= 25
    hub = loaded["Notes/Comment mener un projet numérique.md"]
    assert hub.meta["alias"] == ["Comment mener un projet numérique?"]
    assert "question" in hub.tags
    repaired = {rel for rel, items in problems.items() if not any(p.skipped for p in items)}
    assert "Notes/Comment mener un projet numérique.md" in repaired
    assert len(repaired) == 25


def test_fixture_gardens_are_in_the_repository() -> None:
    assert (FIXTURES / "hazards" / "empty.md").stat().st_size == 0
    assert not (FIXTURES / "hazards" / "search.md").read_bytes().endswith(b"\n")
