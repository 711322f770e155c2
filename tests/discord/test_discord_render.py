"""Rendering answers and reports for Discord: limits, word-boundary cuts, markdown, titles."""

from __future__ import annotations

import asyncio

import discord
import pytest

from bot.answer import Answer, AnswerHit
from bot.discord import render
from bot.discord.i18n import COMMAND_TEXT, MESSAGES, NotesTranslator, lang_of, text
from bot.discord.titles import choice_name, choice_value, matching_titles
from bot.notes import Problem
from bot.refresh import RefreshReport


def hit(**overrides: object) -> AnswerHit:
    values: dict = dict(title="Le compost", heading="Démarrer", snippet="un **compost** mûr",
                        url="https://jardin.example.org/compost/#demarrer",
                        links=[("le guide", "https://www.ademe.fr/compost")], path="compost.md",
                        corpus="/tmp/jardin", score=1.0, text="un compost mûr", passage=0)
    values.update(overrides)
    return AnswerHit(**values)


def embed_total(embeds: list[discord.Embed]) -> int:
    return sum(len(e) for e in embeds)


def test_the_discord_library_is_not_shadowed_by_bot_discord() -> None:
    from bot.discord import client

    assert client.discord.__name__ == "discord" and hasattr(client.discord, "Client")
    assert "site-packages" in client.discord.__file__


@pytest.mark.parametrize("limit", [1, 2, 5, 10, 37, 80])
def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis(limit: int) -> None:
    value = "Sélection non-exhaustive de formations en ligne, en licence libre et en libre accès"
    cut = render.shorten(value, limit)
    assert len(cut) <= limit
    assert cut.endswith("…")
    if limit >= 10:
        assert value.startswith(cut[:-1].rstrip(" ,"))
        assert value[len(cut[:-1].rstrip(" ,"))] in " ,"  # the cut falls between words


def test_shorten_leaves_short_text_alone_and_cuts_one_long_word() -> None:
    assert render.shorten("court", 10) == "court"
    long_url = "https://example.org/" + "x" * 300
    assert render.shorten(long_url, 50) == long_url[:49] + "…"


def test_shorten_bold_keeps_bold_markers_balanced() -> None:
    snippet = "des **tomates** et des **courgettes** " + "mot " * 100
    for limit in range(5, 60):
        cut = render.shorten_bold(snippet, limit)
        assert len(cut) <= limit and cut.count("**") % 2 == 0, (limit, cut)


def test_escape_snippet_keeps_matched_words_bold_and_escapes_the_rest() -> None:
    out = render.escape_snippet("un_fichier *important* et **30** **minutes**")
    assert "**30** **minutes**" in out
    assert "un\\_fichier" in out and "\\*important\\*" in out
    assert render.escape_snippet("C:\\ **mot**") == "C:\\\\ **mot**"  # the bold still closes


def test_links_value_keeps_web_links_within_the_field_limit() -> None:
    links = [(f"lien {i} [x]", f"https://example.org/page_({i})") for i in range(200)]
    links.insert(0, ("relative", "/contact"))
    value = render.links_value(links, "en")
    assert len(value) <= render.FIELD_VALUE
    assert "/contact" not in value
    assert "• [lien 0 \\[x\\]](https://example.org/page_%280%29)" in value
    assert value.splitlines()[-1].startswith("… and ")


def test_hit_embed_links_title_to_the_passage_only_for_web_urls() -> None:
    embed = render.hit_embed(hit())
    assert embed.title == "Le compost" and embed.url == "https://jardin.example.org/compost/#demarrer"
    assert embed.description == "*Démarrer*\nun **compost** mûr"
    assert embed.fields[0].name == "Links"
    assert embed.fields[0].value == "• [le guide](https://www.ademe.fr/compost)"
    assert render.hit_embed(hit(url="")).url is None
    assert render.hit_embed(hit(url="notes/compost.md")).url is None
    assert render.hit_embed(hit(draft=True)).footer.text == "Draft note"


def test_answer_embeds_stay_within_discord_limits_for_huge_passages() -> None:
    big = hit(title="T" * 400, heading="H" * 500, snippet=("mot **clé** " * 2000),
              links=[(f"lien {i}", f"https://example.org/{i}") for i in range(100)])
    answer = Answer("question", [big] * 12, good=True)
    embeds = render.answer_embeds(answer)
    assert 1 <= len(embeds) <= render.EMBEDS
    assert embed_total(embeds) <= render.TOTAL
    for e in embeds:
        assert len(e.title or "") <= render.TITLE and len(e.description or "") <= render.DESCRIPTION
        assert len(e.fields) <= render.FIELDS
        assert all(len(f.value) <= render.FIELD_VALUE and len(f.name) <= render.FIELD_NAME
                   for f in e.fields)
        assert (e.description or "").count("**") % 2 == 0


def test_fit_embeds_drops_link_fields_then_embeds() -> None:
    embeds = [discord.Embed(title="t", description="d" * 150).add_field(name="n", value="v" * 1000)
              for _ in range(10)]
    fitted = render.fit_embeds(embeds, total=3000)
    assert embed_total(fitted) <= 3000 and fitted


def test_question_line_and_no_match_text() -> None:
    assert render.question_line("which  MOOC\ntakes 30 minutes?") == "❓ which MOOC takes 30 minutes?"
    assert len(render.question_line("x " * 2000)) <= render.QUESTION + 2
    message = render.no_match_text("how to bake bread?", ["Le compost", "Les semis", "Les outils"])
    assert "I found nothing in the notes that answers “how to bake bread?”" in message
    assert "Did you mean: **Le compost**, **Les semis** or **Les outils**?" in message
    french = render.no_match_text("pain ?", ["Le compost"], "fr")
    assert "Je n’ai rien trouvé" in french and "Vouliez-vous dire : **Le compost** ?" in french
    assert "Did you mean" not in render.no_match_text("pain", [])
    assert len(render.no_match_text("q" * 5000, ["t" * 500] * 10)) <= render.CONTENT


def test_reindex_embed_caps_lists_and_stays_within_limits() -> None:
    report = RefreshReport(notes_before=10, notes_after=200, passages_before=40, passages_after=900,
                           added=[f"jardin/note-{i}.md" for i in range(190)], changed=["jardin/a.md"],
                           removed=[], problems=[Problem("/tmp/jardin", f"bad-{i}.md", "no text " * 30,
                                                         i % 2 == 0) for i in range(40)],
                           reused=9, seconds=1.234)
    pulls = ["jardin: git pull failed (fatal: https://user:s3cret@example.org/repo.git not found)"]
    embed = render.reindex_embed(report, pulls)
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Notes"] == "10 → 200" and fields["Passages"] == "40 → 900"
    assert fields["Took"] == "1.23 s"
    assert fields["Added (190)"].count("•") == render.LISTED
    assert fields["Added (190)"].endswith("… and 180 more")
    assert "Removed (0)" not in fields
    assert "skipped" in fields["Skipped or repaired files (40)"]
    assert "s3cret" not in fields["git pull"]
    assert len(embed) <= render.TOTAL
    assert all(len(v) <= render.FIELD_VALUE for v in fields.values())


def test_status_embed_shows_size_build_time_roots_and_version() -> None:
    meta = {"notes": 1200, "passages": 5400, "terms": 30000, "built_at": 1_700_000_000.5}
    from pathlib import Path

    embed = render.status_embed(meta, [Path("/srv/notes/jardin")], "1.2.3")
    fields = {f.name: f.value for f in embed.fields}
    assert embed.title == "notesbot 1.2.3"
    assert fields["Notes"] == "1 200" and fields["Terms"] == "30 000"
    assert fields["Built"].startswith("<t:1700000000:f>")
    assert fields["Corpus"] == "jardin"


def test_matching_titles_needs_three_letters_and_caps_at_25() -> None:
    titles = [f"Écoconception n°{i}" for i in range(40)] + ["Le réemploi", "Guide d'écoconception"]
    assert matching_titles(titles, "ec") == []
    found = matching_titles(titles, "ecoc")
    assert len(found) == 25 and found[0].startswith("Écoconception")
    assert matching_titles(titles, "REEMP") == ["Le réemploi"]
    word_start = matching_titles(["Les conceptions", "Écoconception"], "concep")
    assert word_start == ["Les conceptions", "Écoconception"]  # a word start before a substring


def test_choices_fit_discords_100_characters() -> None:
    long_title = "Un titre " * 30
    assert len(choice_name(long_title)) == 100 and choice_name(long_title).endswith("…")
    assert choice_value(long_title) == long_title[:100]
    assert choice_name("court") == "court"


def test_messages_and_command_descriptions_exist_in_english_and_french() -> None:
    for key, entry in MESSAGES.items():
        assert {"en", "fr"} <= set(entry), key
    for english, french in COMMAND_TEXT.items():
        assert 1 <= len(english) <= 100 and 1 <= len(french) <= 100
    assert lang_of(discord.Locale.french) == "fr" and lang_of("en-GB") == "en" and lang_of(None) == "en"
    assert text("cooldown", "fr", seconds=3) == "Doucement : réessayez dans 3 s."


def test_translator_gives_french_and_english_descriptions() -> None:
    from discord import app_commands

    translator = NotesTranslator()
    string = app_commands.locale_str("Ask the notes a question")
    context = app_commands.TranslationContext(app_commands.TranslationContextLocation.other, None)

    async def translate(locale: discord.Locale) -> str | None:
        return await translator.translate(string, locale, context)

    assert asyncio.run(translate(discord.Locale.french)) == "Poser une question aux notes"
    assert asyncio.run(translate(discord.Locale.british_english)) == "Ask the notes a question"
    assert asyncio.run(translate(discord.Locale.german)) is None
