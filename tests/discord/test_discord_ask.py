"""Asking over the wire: /ask, mentions, answer channels, votes, sharing, /note, cooldown."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from fakediscord import EPHEMERAL, CallbackType, FakeDiscord

from bot.discord.client import EXTENSIONS
from bot.engine import Engine
from bot.feedback import feedback_path, read_records, summary_lines

MOOC = "which MOOC takes 30 minutes?"
MOOC_TITLE = "L'Académie Numérique Responsable"
MOOC_URL = "https://www.museumxtd.ch/Notes/L'Acad%C3%A9mie%20Num%C3%A9rique%20Responsable/"


def test_ask_answers_with_the_passage_its_link_and_vote_buttons(bundled_engine, wired, run) -> None:
    async def scenario() -> None:
        async with wired(bundled_engine) as (fake, bot):
            inter = await fake.send_slash_command("ask", {"question": MOOC})
            done = await fake.wait_for_response(inter)
            assert done.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
            msg = done.message
            assert not msg.ephemeral and msg.content == f"❓ {MOOC}"
            first = msg.embeds[0]
            assert first["title"] == MOOC_TITLE and first["url"] == MOOC_URL
            assert "**30**" in first["description"] and "**minutes**" in first["description"]
            links = first["fields"][0]
            assert links["name"] == "Links" and "(https://www.academie-nr.org/)" in links["value"]
            assert msg.allowed_mentions == {"parse": []}
            assert [b["emoji"]["name"] for b in msg.buttons] == ["👍", "👎"]
            assert all(cid.startswith("nb:vote:") and len(cid) <= 100 for cid in msg.custom_ids)

            one = await fake.wait_for_response(
                await fake.send_slash_command("ask", {"question": MOOC, "results": 1}))
            assert len(one.message.embeds) == 1

    run(scenario)


def test_commands_are_described_in_french_and_english(bundled_engine, wired, run) -> None:
    async def scenario() -> None:
        async with wired(bundled_engine) as (fake, bot):
            commands = fake.guild_commands()
            assert {c["name"] for c in commands} == {"ask", "note", "reindex", "notesbot-status"}
            for command in commands:
                described = [command, *command.get("options", [])]
                for item in described:
                    localized = item["description_localizations"]
                    assert {"fr", "en-US", "en-GB"} <= set(localized), item["name"]
            reindex = fake.find_command("reindex")
            assert int(reindex["default_member_permissions"]) == 32  # Manage Server, as a hint
            assert reindex["dm_permission"] is False

    run(scenario)


def test_a_question_without_a_good_match_gets_did_you_mean(bundled_engine: Engine, wired, run) -> None:
    question = "l'acadèmie des sciences"
    expected = bundled_engine.ask(question)
    assert not expected.good and expected.suggestions, "precondition on the bundled corpus"

    async def scenario() -> None:
        async with wired(bundled_engine) as (fake, bot):
            done = await fake.wait_for_response(
                await fake.send_slash_command("ask", {"question": question}))
            msg = done.message
            assert msg.embeds == [] and msg.components == []
            assert msg.content.startswith("I found nothing in the notes that answers")
            assert "Did you mean: **L'Académie Numérique Responsable**?" in msg.content
            french = await fake.wait_for_response(
                await fake.send_slash_command("ask", {"question": "how do I bake bread?"},
                                              locale="fr"))
            assert "Je n’ai rien trouvé" in french.message.content
            assert "Essayez d’autres mots" in french.message.content

    run(scenario)


def test_a_mention_is_answered_as_a_reply_without_pinging(bundled_engine, wired, run) -> None:
    async def scenario() -> None:
        async with wired(bundled_engine) as (fake, bot):
            ignored = await fake.send_message("which MOOC takes 30 minutes? (not for the bot)")
            asked = await fake.send_message(f"{fake.mention(fake.bot_user)} {MOOC}")
            reply = await fake.wait_for_channel_message(reply_to=asked)
            assert reply.embeds[0]["title"] == MOOC_TITLE
            assert reply.content == f"❓ {MOOC}"
            assert reply.allowed_mentions == {"parse": [], "replied_user": False}
            assert reply.mention_ids == []
            empty = await fake.send_message(fake.mention(fake.bot_user))
            help_reply = await fake.wait_for_channel_message(reply_to=empty)
            assert "Ask me a question" in help_reply.content
            assert all(m.reply_to_id != ignored.id for m in fake.channel_messages)

    run(scenario)


def test_messages_in_an_answer_channel_are_answered_and_bots_ignored(bundled_engine, wired,
                                                                     run) -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True) as fake:
            robot = fake.make_user("otherbot", bot=True)
            async with wired(bundled_engine, fake=fake, answer_channels=(fake.channel_id,)):
                await fake.send_message(MOOC, author=robot)
                await fake.send_message("", attachments=[("potager.png", b"\x89PNG")])
                asked = await fake.send_message(MOOC)
                reply = await fake.wait_for_channel_message(reply_to=asked)
                assert reply.embeds[0]["url"] == MOOC_URL
                await asyncio.sleep(0.2)  # the bot's own (echoed) reply must not be answered
                assert len(fake.channel_messages) == 1

    run(scenario)


def test_everyone_and_role_mentions_in_a_note_never_ping(tmp_path: Path, make_garden, wired,
                                                         run) -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True) as fake:
            role, member = fake.moderator_role["id"], fake.member_user["id"]
            root = make_garden(tmp_path / "jardin", {"annonce.md": (
                "---\ntitle: Annonce piège\n---\n\nAttention @everyone et @here : le potager "
                f"ouvre, dit <@&{role}> à <@{member}>.\n")})
            engine, _ = Engine.open([root], tmp_path / "index")
            async with wired(engine, fake=fake, answer_channels=(fake.channel_id,)):
                done = await fake.wait_for_response(
                    await fake.send_slash_command("ask", {"question": "le potager ouvre"}))
                msg = done.message
                assert "@everyone" in msg.embeds[0]["description"]
                assert msg.allowed_mentions == {"parse": []}
                assert not msg.payload["mention_everyone"] and msg.payload["mention_roles"] == []
                assert msg.mention_ids == []
                asked = await fake.send_message("le potager ouvre ?")
                reply = await fake.wait_for_channel_message(reply_to=asked)
                assert reply.allowed_mentions["parse"] == []
                assert not reply.payload["mention_everyone"] and reply.mention_ids == []
                assert reply.payload["mention_roles"] == []

    run(scenario)


def test_cooldown_is_shared_by_ask_and_mentions(bundled_engine, wired, run) -> None:
    async def scenario() -> None:
        async with wired(bundled_engine, cooldown_rate=1, cooldown_seconds=60) as (fake, bot):
            first = await fake.wait_for_response(
                await fake.send_slash_command("ask", {"question": MOOC}))
            assert first.message.embeds
            again = await fake.wait_for_response(
                await fake.send_slash_command("ask", {"question": MOOC}))
            assert again.callback_type == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
            assert again.ephemeral and "try again in" in again.message.content
            assert again.message.content.endswith("s.")
            mention = await fake.send_message(f"{fake.mention(fake.bot_user)} {MOOC}")
            notice = await fake.wait_for_channel_message(reply_to=mention)
            assert "try again in" in notice.content and not notice.embeds
            other = await fake.wait_for_response(  # another member has their own budget
                await fake.send_slash_command("ask", {"question": MOOC}, user=fake.moderator_user))
            assert other.message.embeds

    run(scenario)


def test_votes_are_stored_without_names_and_work_after_a_restart(bundled_engine, wired,
                                                                  run) -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True) as fake:
            async with wired(bundled_engine, fake=fake):
                done = await fake.wait_for_response(
                    await fake.send_slash_command("ask", {"question": MOOC}))
                answer = done.message
                up_id, down_id = answer.custom_ids
                down = await fake.wait_for_response(await fake.click_button(answer, down_id))
                assert down.ephemeral and "moderators will look" in down.message.content
                twice = await fake.wait_for_response(await fake.click_button(answer, down_id))
                assert "already voted" in twice.message.content
            # a new bot process (same index folder): the old message's buttons still work
            async with wired(bundled_engine, fake=fake):
                up = await fake.wait_for_response(
                    await fake.click_button(answer, up_id, user=fake.moderator_user))
                assert "Glad it helped" in up.message.content

    run(scenario)
    path = feedback_path(bundled_engine.index_dir)
    votes = list(read_records(path))
    assert [v["vote"] for v in votes] == ["down", "up"]
    assert set(votes[0]) == {"time", "question", "passages", "vote"}
    assert votes[0]["question"] == MOOC
    assert votes[0]["passages"][0].startswith("corpus/museumxtd/Notes/L'Académie Numérique Responsable.md")
    raw = path.read_text(encoding="utf-8")
    assert "alice" not in raw and "bob" not in raw
    summary = summary_lines(path)
    assert summary[0].startswith("2 vote(s): 1 👍, 1 👎")
    assert f"  1 👎 1 👍  {MOOC}" in summary


def test_a_private_answer_can_be_shared_in_the_channel(bundled_engine, wired, run) -> None:
    async def scenario() -> None:
        async with wired(bundled_engine) as (fake, bot):
            inter = await fake.send_slash_command("ask", {"question": MOOC, "private": True})
            done = await fake.wait_for_response(inter)
            assert done.callbacks[0]["data"]["flags"] & EPHEMERAL
            private = done.message
            assert private.ephemeral
            assert [b.get("label") for b in private.buttons] == [None, None, "Share in channel"]
            click = await fake.click_button(private, label="Share in channel")
            shared = await fake.wait_for_response(click, lambda i: bool(i.followups))
            assert shared.callback_type == CallbackType.UPDATE_MESSAGE
            assert "Share in channel" not in [b.get("label") for b in private.buttons]
            public = shared.followups[-1]
            assert not public.ephemeral and public.content == f"❓ {MOOC}"
            assert [e["title"] for e in public.embeds] == [e["title"] for e in private.embeds]
            assert public.allowed_mentions == {"parse": []} and public.mention_ids == []
            assert "<@" not in public.content
            assert [b["emoji"]["name"] for b in public.buttons] == ["👍", "👎"]

    run(scenario)


def test_note_autocomplete_and_summary(tmp_path: Path, make_garden, wired, run) -> None:
    notes = {f"eco-{i}.md": f"---\ntitle: Écoconception fiche {i}\n---\n\nTexte {i}.\n"
             for i in range(30)}
    long_title = "Compost " + "très " * 40 + "long"
    notes["long.md"] = f"---\ntitle: {long_title}\n---\n\nUn compost mûr sent la forêt.\n"
    root = make_garden(tmp_path / "jardin", notes)
    engine, _ = Engine.open([root], tmp_path / "index")

    async def scenario() -> None:
        async with wired(engine) as (fake, bot):
            assert await fake.send_autocomplete("note", {"title": "ec"}, focused="title") == []
            many = await fake.send_autocomplete("note", {"title": "ecoc"}, focused="title")
            assert len(many) == 25 and all(c["name"].startswith("Écoconception") for c in many)
            long = await fake.send_autocomplete("note", {"title": "COMPOST"}, focused="title")
            assert len(long) == 1 and len(long[0]["name"]) == 100 and len(long[0]["value"]) == 100
            shown = await fake.wait_for_response(
                await fake.send_slash_command("note", {"title": long[0]["value"]}))
            embed = shown.message.embeds[0]
            assert embed["title"] == long_title
            assert embed["url"].startswith("https://jardin.example.org/")
            assert embed["description"] == "Un compost mûr sent la forêt."
            missing = await fake.wait_for_response(
                await fake.send_slash_command("note", {"title": "Écoconception fiche 99"}))
            assert missing.ephemeral and "No note is titled" in missing.message.content

    run(scenario)


def test_status_shows_index_size_build_time_and_version(bundled_engine, wired, run) -> None:
    from bot import __version__

    async def scenario() -> None:
        async with wired(bundled_engine) as (fake, bot):
            done = await fake.wait_for_response(await fake.send_slash_command("notesbot-status"))
            embed = done.message.embeds[0]
            fields = {f["name"]: f["value"] for f in embed["fields"]}
            assert done.ephemeral and embed["title"] == f"notesbot {__version__}"
            meta = bundled_engine.files.meta
            assert fields["Notes"] == str(meta["notes"]) and fields["Passages"] == str(meta["passages"])
            assert fields["Built"].startswith(f"<t:{int(meta['built_at'])}:f>")
            assert fields["Corpus"] == "corpus"

    run(scenario)


def test_a_broken_extension_is_logged_and_the_rest_works(bundled_engine, wired, run,
                                                         caplog) -> None:
    async def scenario() -> None:
        options = {"extensions": (*EXTENSIONS, "bot.discord.exts.does_not_exist")}
        async with wired(bundled_engine, bot_options=options) as (fake, bot):
            assert bot.failed_extensions == ["bot.discord.exts.does_not_exist"]
            done = await fake.wait_for_response(
                await fake.send_slash_command("ask", {"question": MOOC}))
            assert done.message.embeds

    run(scenario)
    assert "bot.discord.exts.does_not_exist failed to load" in caplog.text


def test_without_a_guild_id_commands_are_synced_globally(bundled_engine, wired, run) -> None:
    async def scenario() -> None:
        async with wired(bundled_engine, guild_id=None) as (fake, bot):
            assert {c["name"] for c in fake.global_commands} >= {"ask", "note"}
            assert fake.guild_commands() == []

    run(scenario)


def test_the_payloads_are_json_serialisable_records(bundled_engine, wired, run) -> None:
    """Every request the bot made was valid for Discord (the fake answers 400 otherwise)."""

    async def scenario() -> None:
        async with wired(bundled_engine) as (fake, bot):
            await fake.wait_for_response(await fake.send_slash_command("ask", {"question": MOOC}))
            bad = [r.describe() for r in fake.requests if r.status >= 400]
            assert bad == []
            json.dumps([r.json for r in fake.requests])

    run(scenario)


def test_errors_become_friendly_replies_and_bugs_are_logged(bundled_engine, wired, run,
                                                            caplog) -> None:
    async def scenario() -> None:
        async with wired(bundled_engine) as (fake, bot):
            empty = await fake.wait_for_response(
                await fake.send_slash_command("ask", {"question": "   "}))
            assert empty.message.content.startswith("the question is empty")

            def broken(question: str, k: int = 5) -> None:
                raise RuntimeError("boom in the engine")

            bot.holder.engine.ask = broken  # type: ignore[method-assign]
            failed = await fake.wait_for_response(
                await fake.send_slash_command("ask", {"question": MOOC}))
            content = failed.message.content
            assert content.startswith("Sorry, something went wrong")
            assert "boom" not in content and "Traceback" not in content
            asked = await fake.send_message(f"{fake.mention(fake.bot_user)} {MOOC}")
            reply = await fake.wait_for_channel_message(reply_to=asked)
            assert reply.content.startswith("Sorry, something went wrong")

    run(scenario)
    assert "RuntimeError: boom in the engine" in caplog.text  # the traceback is in the log
