"""End-to-end tests of the fake Discord server with a real discord.py ``commands.Bot``."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import discord
import discord.gateway
import discord.http
import pytest
import yarl
from discord import app_commands
from discord.ext import commands

from . import (
    EPHEMERAL,
    CallbackType,
    FakeDiscord,
    FakeInteraction,
    Intent,
    discord_endpoints,
)

NOTE_TITLES = ["Garden basics", "Compost", "Garden tools", "Seeds"]


@pytest.fixture(autouse=True)
def _restore_discord_endpoints() -> Iterator[None]:
    """Whatever a test does, discord.py's global endpoints are restored afterwards."""
    with discord_endpoints():
        yield


def run(scenario: Callable[[], Awaitable[None]], timeout: float = 20.0) -> None:
    asyncio.run(asyncio.wait_for(scenario(), timeout))


# ----------------------------------------------------------------------------- the test bot


class SourcesView(discord.ui.View):
    @discord.ui.button(label="Show sources", custom_id="ask:sources")
    async def sources(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message("Sources: notes/garden.md", ephemeral=True)


class VoteView(discord.ui.View):
    @discord.ui.button(label="Yes", style=discord.ButtonStyle.success)
    async def yes(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(
            content=f"Voted yes: {interaction.user.name}", view=None
        )


def make_bot(fake: FakeDiscord, *, message_content: bool = True) -> commands.Bot:
    intents = discord.Intents.default()
    intents.message_content = message_content
    bot = commands.Bot(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
    bot.seen_messages = []  # type: ignore[attr-defined]
    guild = discord.Object(fake.guild_id)

    @bot.tree.command(name="ask", description="Ask the notes a question")
    @app_commands.describe(question="Your question", results="How many results")
    async def ask(
        interaction: discord.Interaction,
        question: str,
        results: app_commands.Range[int, 1, 10] = 3,
    ) -> None:
        await interaction.response.defer(thinking=True)
        embed = discord.Embed(title=f"Answer: {question}", description=f"{results} result(s)")
        embed.add_field(name="Source", value="notes/garden.md")
        await interaction.followup.send(embed=embed, view=SourcesView())

    @bot.tree.command(name="secret", description="Ephemeral reply")
    async def secret(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("only you can see this", ephemeral=True)

    @bot.tree.command(name="vote", description="A message with a button")
    async def vote(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Vote!", view=VoteView())

    @bot.tree.command(name="note", description="Open a note")
    @app_commands.describe(title="Note title")
    async def note(interaction: discord.Interaction, title: str) -> None:
        await interaction.response.send_message(f"Note: {title}")

    @note.autocomplete("title")
    async def note_title(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=t, value=t)
            for t in NOTE_TITLES
            if current.lower() in t.lower()
        ]

    @bot.tree.command(name="modonly", description="Moderators only")
    async def modonly(interaction: discord.Interaction) -> None:
        assert isinstance(interaction.user, discord.Member)
        if any(role.name == "moderator" for role in interaction.user.roles):
            await interaction.response.send_message("welcome, moderator", ephemeral=True)
        else:
            await interaction.response.send_message("moderators only", ephemeral=True)

    @bot.tree.command(name="long", description="Tries a too-long message first")
    async def long(interaction: discord.Interaction) -> None:
        try:
            await interaction.response.send_message("x" * 2001)
        except discord.HTTPException as exc:
            await interaction.response.send_message(f"error {exc.status} {exc.code}")

    @bot.tree.command(name="garden", description="A guild-only command", guild=guild)
    async def garden(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"guild command in {interaction.guild_id}")

    async def setup_hook() -> None:
        await bot.tree.sync()
        await bot.tree.sync(guild=guild)

    bot.setup_hook = setup_hook  # type: ignore[method-assign]

    @bot.event
    async def on_message(message: discord.Message) -> None:
        bot.seen_messages.append(message)  # type: ignore[attr-defined]
        if message.author.bot or bot.user not in message.mentions:
            return
        async with message.channel.typing():
            pass
        await message.reply(
            f"You asked: {message.clean_content}",
            allowed_mentions=discord.AllowedMentions(
                everyone=False, users=False, roles=False, replied_user=False
            ),
        )

    return bot


# ---------------------------------------------------------------------------------- tests


@pytest.mark.parametrize("compress", [True, False], ids=["zlib-stream", "plain-text"])
def test_login_gateway_handshake_and_command_sync(compress: bool) -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True, compress=compress) as fake:
            assert discord.http.Route.BASE == fake.api_base
            assert fake.api_base.startswith("http://127.0.0.1:") and fake.api_base.endswith("/v10")
            assert fake.gateway_url.startswith("ws://127.0.0.1:")
            bot = make_bot(fake)
            async with fake.running(bot):
                await fake.wait_for_sync("global")
                await fake.wait_for_sync(fake.guild_id)

                me = fake.requests_matching("GET", "^/users/@me$")[0]
                assert me.headers["Authorization"] == f"Bot {fake.token}"
                assert fake.requests_matching("GET", "^/oauth2/applications/@me$")
                assert bot.user is not None and bot.user.id == fake.application_id
                assert bot.application_id == fake.application_id

                # discord.py always asks for zlib-stream; the fake answers with compressed binary
                # frames (or plain text frames with compress=False, which discord.py also reads).
                assert fake.gateway_queries[0] == {
                    "v": "10",
                    "encoding": "json",
                    "compress": "zlib-stream",
                }
                assert fake.identify_payload is not None
                assert fake.identify_payload["intents"] & Intent.MESSAGE_CONTENT
                assert any(f["op"] == 1 for f in fake.gateway_received)  # heartbeat
                seqs = [f["s"] for f in fake.dispatched]
                assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)

                guild = bot.get_guild(fake.guild_id)
                assert guild is not None and guild.name == fake.guild_name
                channel = guild.get_channel(fake.channel_id)
                assert channel is not None and channel.name == "general"
                moderator = guild.get_role(int(fake.moderator_role["id"]))
                assert moderator is not None and moderator.name == "moderator"
                assert guild.default_role.id == fake.guild_id

                names = {c["name"] for c in fake.global_commands}
                assert names == {"ask", "secret", "vote", "note", "modonly", "long"}
                assert [c["name"] for c in fake.guild_commands()] == ["garden"]
                ask = fake.find_command("ask")
                assert ask is not None and int(ask["id"]) > 0
                assert ask["application_id"] == str(fake.application_id)
                options = {o["name"]: o for o in ask["options"]}
                assert options["question"]["type"] == 3 and options["question"]["required"]
                assert options["results"]["type"] == 4
                assert (options["results"]["min_value"], options["results"]["max_value"]) == (1, 10)
                assert not options["results"].get("required", False)
                garden = fake.find_command("garden")
                assert garden is not None and garden["guild_id"] == str(fake.guild_id)
        assert not fake.errors

    run(scenario)


def test_slash_command_defer_followup_embed_and_button_click() -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True) as fake, fake.running(make_bot(fake)):
            await fake.wait_for_sync("global")
            inter = await fake.send_slash_command(
                "ask", {"question": "What is a garden?", "results": 2}
            )
            done = await fake.wait_for_response(inter)

            assert done.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
            callback = fake.requests_matching("POST", r"^/interactions/\d+/.+/callback$")[0]
            assert callback.query == {"with_response": "1"}
            assert callback.json == {"type": 5}

            msg = done.message
            assert msg is not None and not msg.ephemeral and not msg.loading
            assert msg.embeds[0]["title"] == "Answer: What is a garden?"
            assert msg.embeds[0]["description"] == "2 result(s)"
            assert msg.embeds[0]["fields"] == [
                {"name": "Source", "value": "notes/garden.md", "inline": True}
            ]
            # Discord quirk: the first followup after defer() fills the deferred message.
            assert msg is done.original and done.followups == [msg]
            assert msg.custom_ids == ["ask:sources"]

            click = await fake.click_button(msg, "ask:sources", user=fake.moderator_user)
            clicked = await fake.wait_for_response(click)
            assert clicked.callback_type == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
            assert clicked.message is not None
            assert clicked.message.content == "Sources: notes/garden.md"
            assert clicked.message.flags & EPHEMERAL and clicked.ephemeral
            assert click.payload["message"]["id"] == str(msg.id)
            assert click.token != inter.token
        assert not fake.errors

    run(scenario)


def test_ephemeral_replies_roles_and_validation() -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True) as fake, fake.running(make_bot(fake)):
            await fake.wait_for_sync("global")

            secret = await fake.wait_for_response(await fake.send_slash_command("secret"))
            assert secret.callback_type == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
            assert secret.ephemeral and secret.message is not None
            assert secret.message.content == "only you can see this"

            as_member = await fake.send_slash_command("modonly", user=fake.member_user)
            as_mod = await fake.send_slash_command("modonly", user=fake.moderator_user)
            forced = await fake.send_slash_command(
                "modonly",
                user=fake.member_user,
                member_roles=[int(fake.moderator_role["id"])],
                permissions="8",
            )
            for inter, expected in [
                (as_member, "moderators only"),
                (as_mod, "welcome, moderator"),
                (forced, "welcome, moderator"),
            ]:
                done = await fake.wait_for_response(inter)
                assert done.message is not None and done.message.content == expected
            assert forced.payload["member"]["permissions"] == "8"
            assert as_mod.payload["member"]["roles"] == [fake.moderator_role["id"]]

            long = await fake.wait_for_response(await fake.send_slash_command("long"))
            assert long.message is not None and long.message.content == "error 400 50035"
            assert len(long.callbacks) == 1  # the rejected callback did not count

            garden = await fake.wait_for_response(await fake.send_slash_command("garden"))
            assert garden.data["guild_id"] == str(fake.guild_id)
            assert garden.message is not None
            assert garden.message.content == f"guild command in {fake.guild_id}"

            with pytest.raises(AssertionError, match="no option 'nope'"):
                await fake.send_slash_command("ask", {"question": "q", "nope": 1})
            with pytest.raises(AssertionError, match="missing required"):
                await fake.send_slash_command("ask", {})
        assert not fake.errors

    run(scenario)


def test_button_updates_message() -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True) as fake, fake.running(make_bot(fake)):
            await fake.wait_for_sync("global")
            vote = await fake.wait_for_response(await fake.send_slash_command("vote"))
            message = vote.message
            assert message is not None and message.content == "Vote!"
            assert [b["label"] for b in message.buttons] == ["Yes"]

            click = await fake.click_button(message, label="Yes")
            done = await fake.wait_for_response(click)
            assert done.callback_type == CallbackType.UPDATE_MESSAGE
            assert done.message is message
            assert message.content == f"Voted yes: {fake.member_user['username']}"
            assert message.components == [] and message.edited
        assert not fake.errors

    run(scenario)


def test_autocomplete_choices() -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True) as fake, fake.running(make_bot(fake)):
            await fake.wait_for_sync("global")
            choices = await fake.send_autocomplete("note", {"title": "gar"}, focused="title")
            assert choices == [
                {"name": "Garden basics", "value": "Garden basics"},
                {"name": "Garden tools", "value": "Garden tools"},
            ]
            inter: FakeInteraction = fake.interactions[-1]
            assert inter.callback_type == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
            assert inter.data["options"] == [
                {"name": "title", "type": 3, "value": "gar", "focused": True}
            ]
        assert not fake.errors

    run(scenario)


def test_mention_reply_with_reference_and_allowed_mentions() -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True) as fake:
            bot = make_bot(fake)
            async with fake.running(bot):
                ignored = await fake.send_message("no mention here")
                asked = await fake.send_message(
                    f"{fake.mention(fake.bot_user)} what is compost?", author=fake.moderator_user
                )
                reply = await fake.wait_for_channel_message(reply_to=asked)

                assert reply.channel_id == fake.channel_id
                assert reply.content == "You asked: @notesbot what is compost?"
                assert reply.message_reference is not None
                assert reply.message_reference["message_id"] == str(asked.id)
                assert int(reply.request["message_reference"]["message_id"]) == asked.id
                assert reply.allowed_mentions == {"parse": []}  # replied_user=False is omitted
                assert reply.mention_ids == []  # nobody pinged
                assert reply.payload["type"] == 19
                assert fake.requests_matching("POST", rf"^/channels/{fake.channel_id}/typing$")
                assert fake.channel_messages == [reply]  # no reply to the un-mentioned message

                seen = {m.id: m for m in bot.seen_messages}  # type: ignore[attr-defined]
                assert seen[ignored.id].content == "no mention here"
                assert bot.user in seen[asked.id].mentions
                # Discord echoes the bot's own message back over the gateway
                await fake.wait_until(
                    lambda: reply.id in {m.id for m in bot.seen_messages}, "the echo"
                )
        assert not fake.errors

    run(scenario)


def test_message_content_intent_is_enforced() -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True) as fake:
            bot = make_bot(fake, message_content=False)
            async with fake.running(bot):
                plain = await fake.send_message("secret text")
                mention = await fake.send_message(f"{fake.mention(fake.bot_user)} hello")
                await fake.wait_for_channel_message(reply_to=mention)
                seen = {m.id: m for m in bot.seen_messages}  # type: ignore[attr-defined]
                assert seen[plain.id].content == ""
                assert seen[mention.id].content.endswith("hello")

    run(scenario)


def test_resume_and_reidentify_keep_working() -> None:
    async def no_identify_throttle(shard_id: int | None, *, initial: bool = False) -> None:
        pass  # discord.py sleeps 5 s before every non-initial IDENTIFY

    async def scenario() -> None:
        bot: commands.Bot
        async with FakeDiscord(patch_discord=True) as fake, fake.running(make_bot(fake)) as bot:
            bot.before_identify_hook = no_identify_throttle  # type: ignore[method-assign]
            await fake.wait_for_sync("global")
            await fake.reconnect_client()
            assert fake.resume_count == 1 and fake.connection_count == 2
            done = await fake.wait_for_response(await fake.send_slash_command("secret"))
            assert done.message is not None and done.message.ephemeral

            await fake.reconnect_client(resume=False)
            assert fake.ready_count == 2
            done = await fake.wait_for_response(await fake.send_slash_command("vote"))
            assert done.message is not None and done.message.content == "Vote!"
        assert not fake.errors

    run(scenario)


def test_bad_token_is_rejected() -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True) as fake:
            bot = make_bot(fake)
            with pytest.raises(discord.LoginFailure):
                await bot.login("not-the-token")
            await bot.close()
            assert fake.requests[0].status == 401

    run(scenario)


def test_timeouts_explain_what_happened() -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True, timeout=0.2) as fake:
            async with fake.running(make_bot(fake)):
                with pytest.raises(AssertionError) as excinfo:
                    await fake.wait_for_channel_message()
        text = str(excinfo.value)
        assert "Timed out after 0.2s waiting for a channel message" in text
        assert "GET /users/@me -> 200" in text
        assert "PUT /applications/" in text

    run(scenario)


def test_endpoints_are_restored_and_injection_api() -> None:
    original = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)

    async def scenario() -> None:
        async with FakeDiscord() as fake:
            assert discord.http.Route.BASE == original[0]  # patch_discord=False leaves it alone
            # what the production bot does with DISCORD_API_BASE / DISCORD_GATEWAY_URL
            discord.http.Route.BASE = fake.api_base
            # (DEFAULT_GATEWAY must be a yarl.URL: discord.py calls .with_query() on it)
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
            bot = make_bot(fake)
            got: list[Any] = []

            @bot.event
            async def on_guild_role_create(role: discord.Role) -> None:
                got.append(role.name)

            fake.fail_next("GET", "^/users/@me$", status=429)
            async with fake.running(bot):
                role = {**fake.moderator_role, "id": str(fake.next_id()), "name": "gardeners"}
                seq = await fake.dispatch(
                    "GUILD_ROLE_CREATE", {"guild_id": str(fake.guild_id), "role": role}
                )
                assert seq == fake.dispatched[-1]["s"]
                await fake.wait_until(lambda: "gardeners" in got, "the role event")
            assert [r.status for r in fake.requests_matching("GET", "^/users/@me$")] == [429, 200]

    run(scenario)
    assert (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == original


class PickView(discord.ui.View):
    @discord.ui.select(
        custom_id="pick",
        options=[
            discord.SelectOption(label="A", value="a"),
            discord.SelectOption(label="B", value="b"),
        ],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content=f"picked {select.values}")


def make_misc_bot() -> commands.Bot:
    intents = discord.Intents.default()
    intents.message_content = True
    bot = commands.Bot(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
    note = app_commands.Group(name="note", description="Notes")
    admin = app_commands.Group(name="admin", description="Admin", parent=note)

    @note.command(name="show", description="Show a note for someone")
    async def show(interaction: discord.Interaction, who: discord.Member, count: int = 1) -> None:
        await interaction.response.defer(ephemeral=True)
        await interaction.followup.send(f"for {who.display_name} x{count}", ephemeral=False)
        await interaction.followup.send("second", ephemeral=True)

    @admin.command(name="export", description="Export notes")
    async def export(interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(
            content="exported",
            embed=discord.Embed(title="Export"),
            attachments=[discord.File(io.BytesIO(b"# notes\n"), "notes.md")],
            view=PickView(),
        )

    @bot.tree.command(name="dm", description="DM me")
    async def dm(interaction: discord.Interaction) -> None:
        await interaction.user.send("hello in DM")
        await interaction.response.send_message("sent", ephemeral=True)

    bot.tree.add_command(note)

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if not message.author.bot and isinstance(message.channel, discord.DMChannel):
            data = await message.attachments[0].read() if message.attachments else b""
            await message.channel.send(f"echo {message.content} {data.decode()}")

    async def setup_hook() -> None:
        await bot.tree.sync()

    bot.setup_hook = setup_hook  # type: ignore[method-assign]
    return bot


def test_subcommands_files_selects_and_dms() -> None:
    async def scenario() -> None:
        async with FakeDiscord(patch_discord=True) as fake, fake.running(make_misc_bot()):
            await fake.wait_for_sync("global")

            show = await fake.send_slash_command("note show", {"who": fake.moderator_user})
            await fake.wait_for_response(show, lambda i: len(i.followups) == 2)
            assert show.data["options"][0]["name"] == "show"
            assert show.data["resolved"]["users"] == {
                fake.moderator_user["id"]: fake.moderator_user
            }
            first, second = show.followups
            # the defer decided: the first followup is ephemeral even though it asked not to be
            assert first is show.original and first.ephemeral and first.content == "for Bob x1"
            assert second is not first and second.ephemeral

            export = await fake.wait_for_response(
                await fake.send_slash_command("note admin export")
            )
            msg = export.message
            assert msg is not None and msg is export.original and not msg.loading
            assert (msg.content, msg.embeds[0]["title"]) == ("exported", "Export")
            assert [a["filename"] for a in msg.attachments] == ["notes.md"]
            assert msg.files[0].data == b"# notes\n"  # uploaded as multipart files[0]
            assert export.edits and export.edits[0]["content"] == "exported"

            pick = await fake.wait_for_response(await fake.select_options(msg, "pick", ["b"]))
            assert pick.callback_type == CallbackType.DEFERRED_UPDATE_MESSAGE
            assert msg.content == "picked ['b']"

            await fake.wait_for_response(await fake.send_slash_command("dm"))
            hello = await fake.wait_for_channel_message()
            assert hello.content == "hello in DM"
            await fake.send_message("hi", dm=True, attachments=[("a.txt", b"file body")])
            echo = await fake.wait_for_channel_message(after=hello)
            assert echo.content == "echo hi file body"
            assert echo.channel_id == hello.channel_id != fake.channel_id
        assert not fake.errors

    run(scenario)
