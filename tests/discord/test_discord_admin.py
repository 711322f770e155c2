"""/reindex over the wire: moderators only, stats in the reply, answers keep coming meanwhile."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from fakediscord import CallbackType, FakeMessage

from bot.discord.state import EngineHolder
from bot.engine import Engine

NEW_NOTE = "---\ntitle: La phacélie\n---\n\nLa phacélie est un engrais vert zygomorphe qui attire " \
           "les abeilles.\n"


def index_state(engine: Engine) -> tuple[str, list[str]]:
    folder = engine.index_dir
    return (folder / "CURRENT").read_text(), sorted(p.name for p in folder.iterdir())


def fields_of(message: FakeMessage) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message.embeds[0]["fields"]}


def test_a_moderator_reindexes_and_the_new_note_is_found(garden_root: Path, garden_engine, wired,
                                                          run) -> None:
    async def scenario() -> None:
        async with wired(garden_engine) as (fake, bot):
            before = await fake.wait_for_response(
                await fake.send_slash_command("ask", {"question": "zygomorphe"}))
            assert "I found nothing" in before.message.content
            (garden_root / "phacelie.md").write_text(NEW_NOTE, encoding="utf-8")
            (garden_root / "semis.md").unlink()

            inter = await fake.send_slash_command("reindex", user=fake.moderator_user)
            done = await fake.wait_for_response(inter)
            assert done.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
            assert done.ephemeral
            fields = fields_of(done.message)
            assert done.message.embeds[0]["title"] == "Index refreshed"
            assert fields["Notes"] == "3 → 3"
            assert fields["Added (1)"] == "• jardin/phacelie.md"
            assert fields["Removed (1)"] == "• jardin/semis.md"
            assert fields["Took"].endswith(" s")
            assert bot.holder.engine is not garden_engine

            after = await fake.wait_for_response(
                await fake.send_slash_command("ask", {"question": "zygomorphe"}))
            assert after.message.embeds[0]["title"] == "La phacélie"
            by_owner = await fake.wait_for_response(  # Manage Server is enough, without the role
                await fake.send_slash_command("reindex", user=fake.owner_user))
            assert fields_of(by_owner.message)["Notes"] == "3 → 3"

    run(scenario)


def test_a_member_without_rights_is_refused_and_the_index_untouched(garden_root: Path, garden_engine,
                                                                     wired, run) -> None:
    state = index_state(garden_engine)

    async def scenario() -> None:
        async with wired(garden_engine, moderator_roles=()) as (fake, bot):
            (garden_root / "phacelie.md").write_text(NEW_NOTE, encoding="utf-8")
            for user in (fake.member_user, fake.moderator_user):  # the role is not configured here
                done = await fake.wait_for_response(
                    await fake.send_slash_command("reindex", user=user))
                assert done.callback_type == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
                assert done.ephemeral and "not allowed" in done.message.content
            assert bot.holder.engine is garden_engine

    run(scenario)
    assert index_state(garden_engine) == state


def test_questions_are_answered_while_a_reindex_runs(garden_root: Path, garden_engine, wired,
                                                     run) -> None:
    entered, release = threading.Event(), threading.Event()

    def slow_progress(done: int, total: int) -> None:
        entered.set()
        release.wait(10)

    holder = EngineHolder(garden_engine, progress=slow_progress)

    async def scenario() -> None:
        async with wired(garden_engine, holder=holder) as (fake, bot):
            (garden_root / "phacelie.md").write_text(NEW_NOTE, encoding="utf-8")
            reindex = await fake.send_slash_command("reindex", user=fake.moderator_user)
            await fake.wait_until(entered.is_set, "the refresh to start")
            for _ in range(3):
                ask = await fake.wait_for_response(
                    await fake.send_slash_command("ask", {"question": "composteur vers"}))
                assert ask.message.embeds[0]["title"] == "Le compost"
            status = await fake.wait_for_response(await fake.send_slash_command("notesbot-status"))
            assert "running since <t:" in fields_of(status.message)["Reindex"]
            second = await fake.wait_for_response(
                await fake.send_slash_command("reindex", user=fake.owner_user))
            assert second.ephemeral and "already running" in second.message.content
            assert not reindex.complete and bot.holder.engine is garden_engine
            release.set()
            done = await fake.wait_for_response(reindex)
            assert fields_of(done.message)["Added (1)"] == "• jardin/phacelie.md"
            found = await fake.wait_for_response(
                await fake.send_slash_command("ask", {"question": "zygomorphe"}))
            assert found.message.embeds[0]["title"] == "La phacélie"

    try:
        run(scenario)
    finally:
        release.set()


def test_a_failed_reindex_is_reported_and_the_old_index_keeps_answering(
        garden_root: Path, garden_engine, wired, run) -> None:
    async def scenario() -> None:
        async with wired(garden_engine) as (fake, bot):
            for note in garden_root.glob("*.md"):
                note.unlink()
            done = await fake.wait_for_response(
                await fake.send_slash_command("reindex", user=fake.moderator_user))
            content = done.message.content
            assert content.startswith("Reindex failed: no notes (*.md) found in")
            assert content.endswith("The previous index keeps answering.") and "\n" not in content
            assert bot.holder.engine is garden_engine
            ask = await fake.wait_for_response(
                await fake.send_slash_command("ask", {"question": "composteur vers"}))
            assert ask.message.embeds[0]["title"] == "Le compost"

    run(scenario)


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org",
                           "-c", "init.defaultBranch=main", *args], cwd=cwd, capture_output=True,
                          text=True, check=True, timeout=30)
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_reindex_pulls_a_git_checkout_first(tmp_path: Path, make_garden, wired, run) -> None:
    origin, writer = tmp_path / "origin.git", tmp_path / "writer"
    git("init", "--bare", str(origin), cwd=tmp_path)
    config = "sites:\n  - name: jardin\n    base_url: https://jardin.example.org\ngit_pull: true\n"
    make_garden(writer, config=config)
    git("init", cwd=writer)
    git("add", "-A", cwd=writer)
    git("commit", "-m", "notes", cwd=writer)
    git("push", str(origin), "HEAD:refs/heads/main", cwd=writer)
    checkout = tmp_path / "jardin"
    git("clone", "--branch", "main", str(origin), str(checkout), cwd=tmp_path)
    engine, _ = Engine.open([checkout], tmp_path / "index")
    (writer / "phacelie.md").write_text(NEW_NOTE, encoding="utf-8")
    git("add", "-A", cwd=writer)
    git("commit", "-m", "phacélie", cwd=writer)
    git("push", str(origin), "HEAD:refs/heads/main", cwd=writer)

    async def scenario() -> None:
        async with wired(engine) as (fake, bot):
            done = await fake.wait_for_response(
                await fake.send_slash_command("reindex", user=fake.moderator_user))
            fields = fields_of(done.message)
            assert fields["git pull"].startswith("jardin: ")
            assert "failed" not in fields["git pull"]
            assert fields["Added (1)"] == "• jardin/phacelie.md"
            # a pull that fails is reported and the notes on disk are indexed anyway
            git("remote", "set-url", "origin", str(tmp_path / "gone.git"), cwd=checkout)
            (checkout / "local.md").write_text("---\ntitle: Locale\n---\n\nNote locale.\n")
            again = await fake.wait_for_response(
                await fake.send_slash_command("reindex", user=fake.moderator_user))
            fields = fields_of(again.message)
            assert "git pull failed" in fields["git pull"]
            assert fields["Added (1)"] == "• jardin/local.md"

    run(scenario)


def test_git_pull_is_skipped_where_the_config_does_not_allow_it(garden_root: Path,
                                                                 garden_engine) -> None:
    from bot.discord.state import pull_corpora

    assert pull_corpora([garden_root]) == []
    (garden_root / "notesbot.yaml").write_text(
        "sites:\n  - name: jardin\ngit_pull: true\n", encoding="utf-8")
    assert pull_corpora([garden_root]) == ["jardin: not a git checkout, nothing pulled"]


def test_reindex_twice_at_once_on_the_holder(garden_engine) -> None:
    async def scenario() -> None:
        holder = EngineHolder(garden_engine)
        first, second = await asyncio.gather(holder.reindex(), holder.reindex())
        assert first.report is not None and second.busy and second.report is None

    asyncio.run(scenario())


def test_the_engine_is_prepared_at_start_and_after_a_reindex(garden_engine, wired, run) -> None:
    """The typo index is built in a thread, not by the first question with a typo."""

    async def scenario() -> None:
        async with wired(garden_engine) as (fake, bot):
            await fake.wait_until(lambda: "typo_index" in vars(bot.holder.engine.searcher.expander),
                                  "the typo index to be built after start", timeout=10)
            outcome = await bot.holder.reindex(git_pull=False)
            assert outcome.report is not None
            assert "typo_index" in vars(bot.holder.engine.searcher.expander)  # built before the swap

    run(scenario)
