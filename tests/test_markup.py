"""Markdown, HTML and Nunjucks source -> the plain text a reader sees, and the links in it."""

from __future__ import annotations

import pytest

from bot.markup import extract_links, inline_text, plain_lines, strip_templates


def links(source: str) -> list[tuple[str, str, str]]:
    return [(lk.text, lk.target, lk.kind) for lk in extract_links(source)]


@pytest.mark.parametrize(("source", "text"), [
    ("**gras** et *italique* et _souligné_ et ~~barré~~", "gras et italique et souligné et barré"),
    ("***les deux*** et **_mêlés_**", "les deux et mêlés"),
    ("un `code` ici", "un code ici"),
    ("voir [le guide](https://x.org/g \"Titre\") ici", "voir le guide ici"),
    ("[texte](https://x.org \"titre avec l'apostrophe\")", "texte"),
    ("![Le logo de l'INR](logo.png) et ![alt](a.png){width=600}", "Le logo de l'INR et alt"),
    ('<img src="a.png" alt="Étape 1 : photographier l\'objet">', "Étape 1 : photographier l'objet"),
    ("<a href='https://x.org' target=\"_blank\">le <strong>site</strong></a>", "le site"),
    ("Un&nbsp;mot &amp; un\u00a0autre\u202f!", "Un mot & un autre !"),
    ("[[Note]] [[Note|alias]] [[Note#Titre]] [[#Titre local]] ![[image.png]]",
     "Note alias Note Titre local"),
    ("<https://auto.example.org/x> <contact@example.org>", "https://auto.example.org/x contact@example.org"),
    ("fin d'un gras commencé avant**", "fin d'un gras commencé avant"),
    ("Que faire des\n  anciens téléphones ?", "Que faire des anciens téléphones ?"),
    ("a<br>b</br>c", "a b c"),
    ("2 * 3 * 4 et snake_case_name", "2 * 3 * 4 et snake_case_name"),
])
def test_inline_text(source: str, text: str) -> None:
    assert inline_text(source) == text


def test_strip_templates() -> None:
    source = ('{%- dailymotion "x9" -%}\n{# note #}\n<!-- commentaire\nsur deux lignes -->\n'
              '{% transcription "A" %}\n<p>Gardé.</p>\n{% endtranscription %}\n'
              '{{ component("card", {\n  title: "Carte"\n}) }}\nFin {{ metadata.url }}.')
    # the card's title is shown on the page: it is text; `{{ metadata.url }}` is not
    assert strip_templates(source).split() == ["<p>Gardé.</p>", "Carte", "Fin", "."]


def test_a_component_call_keeps_the_texts_the_page_shows() -> None:
    source = ('{{ component("card", {\n  externalUrl: "https://x.org/m3",\n'
              '  title: "Module 3 - \\"Évaluer\\" son SI",\n  image: {src: "/img/m3.webp", alt: \'Image du module\'},\n'
              '  badges: ["Sortie fin 2025", "Nouveau"]\n}) }}')
    lines = [line for line in strip_templates(source).splitlines() if line]
    assert lines == ['Module 3 - "Évaluer" son SI', "Image du module", "Sortie fin 2025", "Nouveau"]
    assert strip_templates('Voir {{ page.title }} et {{ "x" | url }}.') == "Voir  et ."


def test_markdown_and_html_links_in_order_without_duplicates() -> None:
    source = """Voir [le guide](https://x.org/guide) puis <a href="https://y.org/a?b=1&amp;c=2"
target="_blank" title="nouvelle fenêtre">la page
Y</a>, https://z.org/path. et encore https://x.org/guide
Écrire à <contact@example.org> ou [nous](mailto:a@b.org), lire <https://auto.org/x>.
[![logo](logo.png)](https://logo.org/) [vide]() [ancre](#section) [modèle]({{ url }}/x)
"""
    assert links(source) == [
        ("le guide", "https://x.org/guide", "url"),
        ("la page Y", "https://y.org/a?b=1&c=2", "url"),
        ("https://z.org/path", "https://z.org/path", "url"),
        ("contact@example.org", "mailto:contact@example.org", "url"),
        ("nous", "mailto:a@b.org", "url"),
        ("https://auto.org/x", "https://auto.org/x", "url"),
        ("logo", "https://logo.org/", "url"),
    ]


def test_wiki_links() -> None:
    source = ("[[Note question]], [[Autre note|le texte]], [[Forum 2022#13 octobre|la séance]], "
              "[[Forum 2022#14 octobre]], [[#1. Pour commencer]], ![[schema.png]], "
              "###### **[[Gérer ses collections|Plus de questions]]**")
    assert links(source) == [
        ("Note question", "Note question", "wiki"),
        ("le texte", "Autre note", "wiki"),
        ("la séance", "Forum 2022#13 octobre", "wiki"),
        ("Forum 2022", "Forum 2022#14 octobre", "wiki"),
        ("Plus de questions", "Gérer ses collections", "wiki"),
    ]
    # what the reader sees is what the link is called, so a window of a long section keeps it
    assert "Forum 2022" in inline_text("[[Forum 2022#14 octobre]]")


def test_plain_lines() -> None:
    source = """Intro *douce*.

- [ ] tâche
- [x] faite
1. premier
> une citation

| Nom | Durée |
| --- | :---: |
| MOOC | 30 min |

---
```python
# pas un titre, gardé tel quel
x = "<b>"
```
<div class="fr-callout"><p>Dans un bloc</p></div>
<img
  src="/img/a.png"
  alt="Une image sur plusieurs lignes">
<style>
.libutton { display: flex; }
</style>
<iframe srcdoc="<style>*{padding:0}</style><a href=https://v.org>lecture</a>" allowfullscreen></iframe>
"""
    lines = [line for line in plain_lines(source) if line]
    assert lines == [
        "Intro douce.",
        "- tâche", "- faite", "- premier",
        "une citation",
        "Nom · Durée", "MOOC · 30 min",
        "# pas un titre, gardé tel quel", 'x = "<b>"',
        "Dans un bloc",
        "Une image sur plusieurs lignes",
    ]


def test_a_link_over_two_lines_reads_as_its_text() -> None:
    lines = [line for line in plain_lines("Voir [la modélisation\nd’équipements](https://x.org/m) ici.") if line]
    assert " ".join(lines) == "Voir la modélisation d’équipements ici."
