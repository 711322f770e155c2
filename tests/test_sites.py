"""Corpus configuration: notesbot.yaml in a root, or gardens/<root name>.yaml beside the project."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.notes import discover
from bot.sites import DEFAULT_EXCLUDES, PROJECT_GARDENS, ConfigError, load_corpus_config


def make_root(tmp_path: Path, name: str = "notes", config: str | None = None) -> Path:
    root = tmp_path / name
    root.mkdir()
    (root / "a.md").write_text("# A\n", encoding="utf-8")
    if config is not None:
        (root / "notesbot.yaml").write_text(config, encoding="utf-8")
    return root


def test_a_root_without_config_is_one_site_with_default_urls(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    config = load_corpus_config(root)
    assert config.source is None
    assert [s.name for s in config.sites] == ["notes"]
    site = config.sites[0]
    assert (site.base_url, site.input_dir, site.url_rules, site.anchors.style) == ("", ".", (), "none")
    assert config.exclude == DEFAULT_EXCLUDES
    assert config.languages == ("fr",)


def test_notesbot_yaml_in_the_root(tmp_path: Path) -> None:
    root = make_root(tmp_path, config="""
sites:
  - name: vault
    folder: vault
    base_url: https://vault.example.org/
    anchors: slugify
    generic_titles: [MuseumXTD]
    drafts: ["Brouillon/**"]
  - name: site
    folder: site/www
    input_dir: content
    url_rules: [{glob: "posts/**", url: "/news/{slug}/"}]
    anchors: {style: normalize, levels: [2], layouts: [layouts/page-with-summary.njk]}
languages: [fr, en]
translate: false
""")
    config = load_corpus_config(root)
    assert config.source == root / "notesbot.yaml"
    vault, site = config.sites
    assert vault.base_url == "https://vault.example.org"  # no trailing slash: paths start with /
    assert (vault.anchors.style, vault.anchors.markdown_only) == ("slugify", True)
    assert vault.generic_titles == ("MuseumXTD",) and vault.drafts == ("Brouillon/**",)
    assert (site.anchors.style, site.anchors.levels, site.anchors.markdown_only) == ("normalize", (2,), False)
    assert site.anchors.layouts == ("layouts/page-with-summary.njk",)
    assert site.url_rules[0].glob == "posts/**" and site.url_rules[0].url == "/news/{slug}/"
    assert config.languages == ("fr", "en") and config.translate is False
    assert config.site_for("vault/Notes/x.md") is vault
    assert config.site_for("site/www/content/posts/x.md") is site
    assert config.site_for("site/other.md") is vault  # no site folder holds it: the first site
    assert config.site_for("vaulty/x.md") is vault


def test_the_most_specific_site_folder_wins(tmp_path: Path) -> None:
    root = make_root(tmp_path, config="sites:\n  - {name: all}\n  - {name: blog, folder: blog}\n")
    config = load_corpus_config(root)
    assert config.site_for("blog/post.md").name == "blog"
    assert config.site_for("page.md").name == "all"


def test_gardens_file_named_after_the_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gardens = tmp_path / "gardens"
    gardens.mkdir()
    (gardens / "museum.yaml").write_text("sites:\n  - {name: museum, base_url: 'https://m.example.org'}\n",
                                         encoding="utf-8")
    monkeypatch.setenv("NOTESBOT_GARDENS_DIR", str(gardens))
    root = make_root(tmp_path, "museum")
    config = load_corpus_config(root)
    assert config.source == gardens / "museum.yaml"
    assert config.sites[0].base_url == "https://m.example.org"
    (root / "notesbot.yaml").write_text("sites:\n  - {name: inside}\n", encoding="utf-8")
    assert load_corpus_config(root).sites[0].name == "inside"  # the root's own file comes first


def test_custom_excludes_add_to_the_defaults(tmp_path: Path) -> None:
    root = make_root(tmp_path, config='exclude: ["drafts/**", "*.tmp.md", "notes/private*.md"]\n')
    for rel in ("README.md", "drafts/x.md", "b.tmp.md", "node_modules/p/x.md", "ok/c.md",
                "ok/drafts/y.md", "ok/d.tmp.md", "notes/private-1.md", "notes/public.md",
                "ok/notes/private.md"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("text\n", encoding="utf-8")
    config = load_corpus_config(root)
    assert set(DEFAULT_EXCLUDES) <= set(config.exclude)
    # `x/**` at any depth, a bare name in any folder, a path with a slash from the root only
    assert [s.rel for s in discover(config)] == ["a.md", "notes/public.md", "ok/c.md", "ok/notes/private.md"]


@pytest.mark.parametrize(("text", "message"), [
    ("- just\n- a list\n", "mapping"),
    ("sites: {name: x}\n", "'sites' must be a list"),
    ("sites: [x]\n", "each site must be a mapping"),
    ("sites:\n  - url_rules: [{glob: 'a/**'}]\n", "'glob' and 'url'"),
    ("sites:\n  - anchors: {style: kebab}\n", "unknown anchor style"),
    ("sites: [\n", "cannot read the corpus configuration"),
])
def test_unusable_config_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    root = make_root(tmp_path, config=text)
    with pytest.raises(ConfigError, match=message) as err:
        load_corpus_config(root)
    assert str(root / "notesbot.yaml") in str(err.value)


def test_project_gardens_describe_the_two_public_gardens(tmp_path: Path) -> None:
    """A checkout named minumeco or museumxtd needs no config of its own."""
    for name, base, anchors in (("minumeco", "https://ecoresponsable.numerique.gouv.fr", "normalize"),
                                ("museumxtd", "https://www.museumxtd.ch", "slugify")):
        config = load_corpus_config(make_root(tmp_path, name))
        assert config.source == PROJECT_GARDENS / f"{name}.yaml"
        assert (config.sites[0].base_url, config.sites[0].anchors.style) == (base, anchors)
    assert load_corpus_config(tmp_path / "museumxtd").sites[0].generic_titles == ("MuseumXTD",)
