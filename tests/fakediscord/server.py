"""An in-process fake Discord (REST API v10 + gateway) for end-to-end tests of discord.py bots.

:class:`FakeDiscord` runs an aiohttp server on ``127.0.0.1`` (random free port) that speaks
enough of Discord's REST API and gateway protocol for a real, unmodified
``discord.ext.commands.Bot`` to log in, connect, sync application commands and answer
interactions and messages.  Nothing touches the network.

It must run on the same event loop as the bot.  Typical use::

    async def scenario() -> None:
        bot = make_bot()  # commands.Bot(..., guild_ready_timeout=0.05) keeps on_ready fast
        async with FakeDiscord(patch_discord=True) as fake, fake.running(bot):
            await fake.wait_for_sync()
            inter = await fake.send_slash_command("ask", {"question": "why?"})
            done = await fake.wait_for_response(inter)
            assert done.callback_type == 5                   # deferred
            assert done.message.embeds[0]["title"] == "..."  # the followup / edited original
            clicked = await fake.click_button(done.message, label="Sources")
            ...

    def test_something() -> None:
        asyncio.run(scenario())

Pointing discord.py at the fake: discord.py builds REST URLs from the class attribute
``discord.http.Route.BASE`` and connects to ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``
(a ``yarl.URL``).  Either let the code under test set them from :attr:`FakeDiscord.api_base`
(``http://127.0.0.1:PORT/api/v10``) and :attr:`FakeDiscord.gateway_url`
(``ws://127.0.0.1:PORT/gateway``), or pass ``patch_discord=True``.  Both attributes are saved
when the server starts and restored when it stops, whoever changed them.

What the fake does, in short:

* REST: ``/users/@me``, ``/oauth2/applications/@me``, ``/gateway(/bot)``, command sync
  (global and guild, ids are stable across syncs), interaction callbacks (answers
  ``?with_response=1`` with an ``InteractionCallbackResponse``), webhook followups and
  ``@original`` GET/PATCH/DELETE, channel messages (create/edit/delete/history, replies with
  ``message_reference``), typing, reactions, DM channels, guild/member/role lookups.  JSON and
  multipart (``payload_json`` + ``files[n]``) bodies are accepted.  Anything else is recorded
  and answered with Discord's 404 JSON.  Bodies are validated against Discord's main limits
  (2000-character content, embed limits, 5x5 components, empty messages) and answered with a
  ``400 / 50035 Invalid Form Body`` like Discord would.
* Gateway: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeat ACKs, RESUME (replays missed
  events, then RESUMED), REQUEST_GUILD_MEMBERS -> GUILD_MEMBERS_CHUNK, zlib-stream transport
  compression when the client asks for it.  Privileged intents and the message-content intent
  are enforced like Discord does.  Messages created by the bot (non-ephemeral) are echoed as
  MESSAGE_CREATE / MESSAGE_UPDATE / MESSAGE_DELETE, as Discord does.
* Discord quirk reproduced: after a ``defer()`` (callback type 5), the *first* followup message
  fills the deferred "thinking" message (same id, ephemerality decided by the defer).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import re
import secrets
import traceback
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import aiohttp
import discord
import discord.gateway
import discord.http
import yarl
from aiohttp import web

from . import payloads as p
from .payloads import EPHEMERAL, JSON, LOADING, CallbackType, InteractionType, OptionType

__all__ = [
    "DEFAULT_TIMEOUT",
    "FakeDiscord",
    "FakeInteraction",
    "FakeMessage",
    "RecordedFile",
    "RecordedRequest",
    "configure_discord",
    "discord_endpoints",
]

log = logging.getLogger(__name__)

ClientT = TypeVar("ClientT", bound=discord.Client)

DEFAULT_TIMEOUT = 5.0
API_VERSION = 10
GATEWAY_PATH = "/gateway"

# ------------------------------------------------------------------ pointing discord.py at us


def configure_discord(api_base: str, gateway_url: str) -> None:
    """Point discord.py's REST base and default gateway at the given URLs (process-global)."""
    discord.http.Route.BASE = api_base.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


@contextlib.contextmanager
def discord_endpoints(
    api_base: str | None = None, gateway_url: str | None = None
) -> Iterator[None]:
    """Save discord.py's ``Route.BASE``/``DEFAULT_GATEWAY``, optionally set them, restore on exit.

    With no arguments it only guarantees restoration (useful when the code under test sets
    them itself).
    """
    saved_base = discord.http.Route.BASE
    saved_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        if api_base is not None:
            discord.http.Route.BASE = api_base.rstrip("/")
        if gateway_url is not None:
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
        yield
    finally:
        discord.http.Route.BASE = saved_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved_gateway


# -------------------------------------------------------------------------------- records


@dataclass(eq=False)
class RecordedFile:
    """A file uploaded in a multipart request (``files[n]`` field)."""

    field: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass(eq=False)
class RecordedRequest:
    """One REST request received by the fake, and what it answered."""

    method: str
    path: str  # relative to the API base, e.g. "/channels/123/messages"
    query: dict[str, str]
    json: Any  # parsed JSON body, or payload_json of a multipart body; None without body
    files: list[RecordedFile] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 0
    response: Any = None
    handled: bool = True

    def __iter__(self) -> Iterator[Any]:
        """Allows ``method, path, body = request``."""
        return iter((self.method, self.path, self.json))

    def describe(self, width: int = 160) -> str:
        path = "/".join(s if len(s) <= 24 else s[:10] + "…" for s in self.path.split("/"))
        query = ("?" + "&".join(f"{k}={v}" for k, v in self.query.items())) if self.query else ""
        body = "" if self.json is None else " " + _short(self.json, width)
        files = f" +{len(self.files)} file(s)" if self.files else ""
        return f"{self.method} {path}{query} -> {self.status}{body}{files}"


@dataclass(eq=False)
class FakeMessage:
    """A message stored by the fake: ``payload`` is what Discord would return for it.

    ``requests`` holds the raw JSON bodies that created/edited it (``allowed_mentions`` and
    other request-only fields live there, see :attr:`allowed_mentions`).
    """

    payload: JSON
    source: Literal["user", "channel", "interaction", "followup"]
    requests: list[JSON] = field(default_factory=list)
    files: list[RecordedFile] = field(default_factory=list)
    interaction: FakeInteraction | None = None
    deleted: bool = False
    reactions: list[str] = field(default_factory=list)

    @property
    def id(self) -> int:
        return int(self.payload["id"])

    @property
    def channel_id(self) -> int:
        return int(self.payload["channel_id"])

    @property
    def author_id(self) -> int:
        return int(self.payload["author"]["id"])

    @property
    def content(self) -> str:
        return self.payload.get("content") or ""

    @property
    def embeds(self) -> list[JSON]:
        return self.payload.get("embeds") or []

    @property
    def components(self) -> list[JSON]:
        return self.payload.get("components") or []

    @property
    def attachments(self) -> list[JSON]:
        return self.payload.get("attachments") or []

    @property
    def flags(self) -> int:
        return int(self.payload.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """True while this is an unanswered deferred ("thinking…") response."""
        return bool(self.flags & LOADING)

    @property
    def edited(self) -> bool:
        return self.payload.get("edited_timestamp") is not None

    @property
    def request(self) -> JSON:
        """The most recent create/edit request body."""
        return self.requests[-1] if self.requests else {}

    @property
    def allowed_mentions(self) -> JSON | None:
        """``allowed_mentions`` of the latest request that carried one (None if never sent)."""
        for body in reversed(self.requests):
            if "allowed_mentions" in body:
                return body["allowed_mentions"]
        return None

    @property
    def message_reference(self) -> JSON | None:
        return self.payload.get("message_reference")

    @property
    def reply_to_id(self) -> int | None:
        ref = self.message_reference
        return int(ref["message_id"]) if ref and ref.get("message_id") else None

    @property
    def mention_ids(self) -> list[int]:
        """Ids of the users this message actually pings (after allowed_mentions)."""
        return [int(u["id"]) for u in self.payload.get("mentions") or []]

    @property
    def all_components(self) -> list[JSON]:
        """Every component, flattened out of action rows/containers."""
        return list(p.iter_components(self.components))

    @property
    def buttons(self) -> list[JSON]:
        return [c for c in self.all_components if c.get("type") == p.ComponentType.BUTTON]

    @property
    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in self.all_components if c.get("custom_id")]

    def component(self, custom_id: str | None = None, *, label: str | None = None) -> JSON:
        """Find a component by ``custom_id`` or by ``label``; AssertionError if absent."""
        for c in self.all_components:
            if custom_id is not None and c.get("custom_id") == custom_id:
                return c
            if custom_id is None and label is not None and c.get("label") == label:
                return c
        available = [(c.get("custom_id"), c.get("label")) for c in self.all_components]
        raise AssertionError(
            f"message {self.id} has no component with custom_id={custom_id!r} label={label!r}; "
            f"it has (custom_id, label): {available}"
        )

    def __repr__(self) -> str:
        return (
            f"<FakeMessage id={self.id} source={self.source} flags={self.flags} "
            f"content={_short(self.content, 60)} embeds={len(self.embeds)} "
            f"components={len(self.components)}{' deleted' if self.deleted else ''}>"
        )


@dataclass(eq=False)
class FakeInteraction:
    """An interaction injected by the test, and everything the bot did in response."""

    payload: JSON  # the INTERACTION_CREATE data
    source_message: FakeMessage | None = None  # the clicked message, for components
    callbacks: list[JSON] = field(default_factory=list)  # raw callback bodies ({type, data})
    original: FakeMessage | None = None  # the original response message (if any)
    followups: list[FakeMessage] = field(default_factory=list)
    edits: list[JSON] = field(default_factory=list)  # raw PATCH bodies of webhook messages
    choices: list[JSON] | None = None  # autocomplete result
    modal: JSON | None = None  # modal sent with callback type 9
    last_message: FakeMessage | None = None  # the most recently created/edited message
    deferred_filled: bool = False

    @property
    def id(self) -> int:
        return int(self.payload["id"])

    @property
    def token(self) -> str:
        return self.payload["token"]

    @property
    def type(self) -> int:
        return int(self.payload["type"])

    @property
    def data(self) -> JSON:
        return self.payload.get("data") or {}

    @property
    def callback_type(self) -> int | None:
        """Type of the (first) interaction callback: 4 message, 5 deferred, 7 update, …"""
        return int(self.callbacks[0]["type"]) if self.callbacks else None

    @property
    def acknowledged(self) -> bool:
        return bool(self.callbacks)

    @property
    def deferred(self) -> bool:
        return self.callback_type in (
            CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            CallbackType.DEFERRED_UPDATE_MESSAGE,
        )

    @property
    def message(self) -> FakeMessage | None:
        """The latest message the bot produced/edited for this interaction."""
        return self.last_message or self.original

    @property
    def messages(self) -> list[FakeMessage]:
        """Original response (if any) followed by distinct followup messages."""
        out: list[FakeMessage] = [self.original] if self.original else []
        out += [m for m in self.followups if all(m is not o for o in out)]
        return out

    @property
    def ephemeral(self) -> bool:
        msg = self.message
        return bool(msg and msg.ephemeral)

    @property
    def complete(self) -> bool:
        """Acknowledged, and a deferral (if any) was followed by a followup or an edit."""
        ctype = self.callback_type
        if ctype is None:
            return False
        if ctype == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
            return self.original is not None and not self.original.loading
        if ctype == CallbackType.DEFERRED_UPDATE_MESSAGE:
            return bool(self.followups or self.edits)
        return True

    def describe(self) -> str:
        kind = {2: "slash command", 3: "component", 4: "autocomplete", 5: "modal submit"}
        data = self.data
        name = data.get("name") or data.get("custom_id")
        return f"{kind.get(self.type, 'interaction')} {name!r} (id={self.id})"

    def __repr__(self) -> str:
        return (
            f"<FakeInteraction {self.describe()} callback_type={self.callback_type} "
            f"followups={len(self.followups)} edits={len(self.edits)}>"
        )


# ------------------------------------------------------------------------------ internals


class _ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        errors: JSON | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.body: Any = body if body is not None else {"message": message, "code": code}
        if errors is not None and isinstance(self.body, dict):
            self.body["errors"] = errors
        self.headers = dict(headers or {})


def _form_error(path: str, code: str, message: str) -> _ApiError:
    errors: JSON = {"_errors": [{"code": code, "message": message}]}
    for part in reversed(path.split(".")):
        errors = {part: errors}
    return _ApiError(400, 50035, "Invalid Form Body", errors=errors)


@dataclass
class _Failure:
    method: str
    pattern: re.Pattern[str]
    error: _ApiError
    times: int


@dataclass
class _Session:
    session_id: str
    seq: int = 0
    sent: list[JSON] = field(default_factory=list)


class _GatewayConnection:
    def __init__(self, ws: web.WebSocketResponse, *, compress: bool) -> None:
        self.ws = ws
        self.lock = asyncio.Lock()
        self.session: _Session | None = None
        self._zlib = zlib.compressobj() if compress else None

    @property
    def open(self) -> bool:
        return not self.ws.closed

    async def send(self, frame: JSON) -> None:
        async with self.lock:
            await self.send_unlocked(frame)

    async def send_unlocked(self, frame: JSON) -> None:
        text = json.dumps(frame, separators=(",", ":"))
        if self._zlib is not None:
            data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
            await self.ws.send_bytes(data)
        else:
            await self.ws.send_str(text)


_Handler = Callable[[RecordedRequest, re.Match[str]], Awaitable[tuple[int, Any]]]


def _short(value: Any, width: int) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return repr(text) if len(text) <= width else repr(text[: width - 1] + "…")


def _snowflake(value: Any) -> int:
    if isinstance(value, FakeMessage):
        return value.id
    if isinstance(value, Mapping):
        return int(value["id"])
    return int(value)


# ---------------------------------------------------------------------------- the server


class FakeDiscord:
    """A fake Discord: REST API + gateway on loopback, plus a test API to drive a bot.

    Entities created up front (all payload dicts, ids are ints on the attributes):

    * ``bot_user`` / ``application_id`` - the bot (application id == bot user id)
    * ``guild_id`` / ``guild`` - one guild, ``channel_id`` / ``channel`` its #general channel
    * ``everyone_role``, ``moderator_role`` ("moderator"), ``bot_role`` (managed)
    * ``owner_user`` (guild owner), ``member_user`` (plain member),
      ``moderator_user`` (has the moderator role)

    Args:
        host: interface to bind (loopback).
        port: 0 picks a free port.
        timeout: default timeout, in seconds, of every ``wait_*`` helper.
        patch_discord: set discord.py's ``Route.BASE``/``DEFAULT_GATEWAY`` on start.
        compress: honour ``compress=zlib-stream`` (binary frames) when the client asks for it.
        echo_bot_messages: dispatch MESSAGE_CREATE/UPDATE/DELETE for the bot's own messages.
        privileged_intents: privileged intents enabled in the "developer portal"; identifying
            with others closes the gateway with 4014 (discord.py raises PrivilegedIntentsRequired).
        heartbeat_interval: milliseconds, sent in HELLO.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        timeout: float = DEFAULT_TIMEOUT,
        patch_discord: bool = False,
        compress: bool = True,
        echo_bot_messages: bool = True,
        privileged_intents: int = p.PRIVILEGED_INTENTS,
        heartbeat_interval: int = 41_250,
        bot_name: str = "notesbot",
        guild_name: str = "Notes Garden",
    ) -> None:
        self.host = host
        self.timeout = timeout
        self.patch_discord = patch_discord
        self.compress = compress
        self.echo_bot_messages = echo_bot_messages
        self.privileged_intents = privileged_intents
        self.heartbeat_interval = heartbeat_interval
        self._port = port
        self._runner: web.AppRunner | None = None
        self._saved_endpoints: tuple[str, yarl.URL] | None = None

        self.next_id = p.SnowflakeGenerator()
        """Generates fresh snowflakes (``fake.next_id()``)."""

        # --- entities
        self.application_id = self.next_id()
        self.bot_user = p.user_payload(self.application_id, bot_name, bot=True)
        self.owner_user = p.user_payload(self.next_id(), "gardener", global_name="Head Gardener")
        self.member_user = p.user_payload(self.next_id(), "alice", global_name="Alice")
        self.moderator_user = p.user_payload(self.next_id(), "bob_mod", global_name="Bob")
        self.token = p.make_bot_token(self.application_id)

        self.guild_id = self.next_id()
        self.guild_name = guild_name
        self.everyone_role = p.role_payload(
            self.guild_id, "@everyone", permissions=p.EVERYONE_PERMISSIONS, position=0
        )
        self.bot_role = p.role_payload(
            self.next_id(),
            bot_name,
            permissions=p.BOT_ROLE_PERMISSIONS,
            position=1,
            managed=True,
            bot_id=self.application_id,
        )
        self.moderator_role = p.role_payload(
            self.next_id(),
            "moderator",
            permissions=p.MODERATOR_PERMISSIONS,
            position=2,
            color=0x2ECC71,
            hoist=True,
            mentionable=True,
        )
        self.channel_id = self.next_id()
        self.channel = p.text_channel_payload(
            self.channel_id, self.guild_id, "general", topic="Ask the notes bot anything"
        )

        self._users: dict[int, JSON] = {}
        self._members: dict[int, JSON] = {}
        self._roles: dict[int, JSON] = {
            int(r["id"]): r for r in (self.everyone_role, self.bot_role, self.moderator_role)
        }
        self._channels: dict[int, JSON] = {self.channel_id: self.channel}
        self._dm_channels: dict[int, JSON] = {}  # user id -> DM channel
        for user in (self.bot_user, self.owner_user, self.member_user, self.moderator_user):
            self._users[int(user["id"])] = user
        self._members[self.application_id] = p.member_payload(
            self.bot_user, roles=[self.bot_role["id"]]
        )
        self._members[int(self.owner_user["id"])] = p.member_payload(self.owner_user, roles=[])
        self._members[int(self.member_user["id"])] = p.member_payload(self.member_user, roles=[])
        self._members[int(self.moderator_user["id"])] = p.member_payload(
            self.moderator_user, roles=[self.moderator_role["id"]]
        )

        # --- recorded state
        self.requests: list[RecordedRequest] = []
        """Every REST request, in arrival order."""
        self.gateway_received: list[JSON] = []
        """Every gateway payload sent by the client (heartbeats, identify, resume, …)."""
        self.dispatched: list[JSON] = []
        """Every DISPATCH frame sent to the client ({op, t, s, d})."""
        self.identify_payload: JSON | None = None
        self.presence: JSON | None = None
        self.ready_count = 0
        self.resume_count = 0
        self.connection_count = 0
        self.gateway_queries: list[dict[str, str]] = []
        """Query string of every gateway connection (``v``, ``encoding``, ``compress``)."""
        self.interactions: list[FakeInteraction] = []
        self.messages: dict[int, FakeMessage] = {}
        """Every message known to the fake, by id (user, channel, interaction messages)."""
        self.channel_messages: list[FakeMessage] = []
        """Messages the bot created with ``POST /channels/{id}/messages``, in order."""
        self.sync_count = 0
        self.errors: list[str] = []
        """Tracebacks of exceptions raised inside the fake's handlers (should stay empty)."""

        self._synced: dict[int | None, list[JSON]] = {}
        self._command_ids: dict[tuple[int | None, str, int], int] = {}
        self._interactions_by_id: dict[int, FakeInteraction] = {}
        self._interactions_by_token: dict[str, FakeInteraction] = {}
        self._attachments: dict[int, bytes] = {}
        self._sessions: dict[str, _Session] = {}
        self._connections: list[_GatewayConnection] = []
        self._active: _GatewayConnection | None = None
        self._failures: list[_Failure] = []
        self._bot_tasks: list[asyncio.Task[Any]] = []
        self._changed = asyncio.Event()
        self._routes: list[tuple[str, re.Pattern[str], _Handler, bool]] = []
        self._build_routes()

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Start the HTTP/WebSocket server (called by ``async with``)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get(GATEWAY_PATH, self._handle_gateway)
        app.router.add_get("/attachments/{channel}/{attachment}/{filename}", self._handle_cdn)
        app.router.add_route("*", r"/api/v{version:\d+}/{tail:.*}", self._handle_api)
        app.router.add_route("*", "/{tail:.*}", self._handle_outside_api)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self._port)
        await site.start()
        self._port = self._runner.addresses[0][1]
        self._saved_endpoints = (
            discord.http.Route.BASE,
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
        )
        if self.patch_discord:
            configure_discord(self.api_base, self.gateway_url)
        log.debug("fake discord listening on %s", self.http_base)

    async def close(self) -> None:
        """Close gateway connections, stop the server, restore discord.py's endpoints."""
        for conn in list(self._connections):
            if conn.open:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.ws.close(code=1001, message=b"bye"), 2)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._saved_endpoints is not None:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = (
                self._saved_endpoints
            )
            self._saved_endpoints = None

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("FakeDiscord is not started")
        return self._port

    @property
    def http_base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE``: ``http://127.0.0.1:PORT/api/v10``."""
        return f"{self.http_base}/api/v{API_VERSION}"

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY``: ``ws://127.0.0.1:PORT/gateway``."""
        return f"ws://{self.host}:{self.port}{GATEWAY_PATH}"

    @contextlib.asynccontextmanager
    async def running(
        self,
        client: ClientT,
        *,
        wait_until_ready: bool = True,
        timeout: float | None = None,
    ) -> AsyncIterator[ClientT]:
        """Run ``client.start(fake.token)`` in a task for the duration of the block.

        Waits for the gateway handshake (and for ``on_ready`` if ``wait_until_ready``; build
        the client with ``guild_ready_timeout=0.05`` or on_ready comes 2 s after GUILD_CREATE).
        On exit the client is closed and its task awaited; a crash of the client task makes
        every ``wait_*`` fail immediately and is re-raised here.
        """
        task = asyncio.create_task(client.start(self.token), name="fakediscord-client")
        task.add_done_callback(lambda _t: self._bump())
        self._bot_tasks.append(task)
        body_failed = False
        try:
            await self.wait_ready(timeout=timeout)
            if wait_until_ready:
                await self._wait_until(
                    client.is_ready,
                    "the client to become ready (on_ready; tip: guild_ready_timeout=0.05)",
                    timeout,
                )
            yield client
        except BaseException:
            body_failed = True
            raise
        finally:
            self._bot_tasks.remove(task)
            with contextlib.suppress(Exception):
                await client.close()
            try:
                await asyncio.wait_for(asyncio.shield(task), 5)
            except TimeoutError:
                task.cancel()
            except Exception:
                if not body_failed:
                    raise

    # ------------------------------------------------------------------ entities

    def make_user(
        self,
        username: str,
        *,
        roles: list[int] | None = None,
        global_name: str | None = None,
        bot: bool = False,
        member: bool = True,
    ) -> JSON:
        """Create a user (a guild member with ``roles`` unless ``member=False``).

        Members created after the gateway handshake are not in the bot's member cache (like
        uncached members on Discord); interactions carry their member data anyway.
        """
        user = p.user_payload(self.next_id(), username, global_name=global_name, bot=bot)
        self._users[int(user["id"])] = user
        if member:
            self._members[int(user["id"])] = p.member_payload(user, roles=roles or [])
        return user

    def member(self, user: Mapping[str, Any] | int) -> JSON | None:
        """The guild member payload (with ``user``) of a known member, else None."""
        return self._members.get(_snowflake(user))

    def permissions_of(
        self, user: Mapping[str, Any] | int, roles: list[int | str] | None = None
    ) -> int:
        """Guild permissions of ``user`` (owner and administrators get everything)."""
        uid = _snowflake(user)
        if uid == int(self.owner_user["id"]):
            return p.ALL_PERMISSIONS
        if roles is None:
            known = self._members.get(uid)
            roles = list(known["roles"]) if known else []
        perms = int(self.everyone_role["permissions"])
        for rid in roles:
            role = self._roles.get(int(rid))
            if role is not None:
                perms |= int(role["permissions"])
        if perms & p.Permission.ADMINISTRATOR:
            return p.ALL_PERMISSIONS
        return perms

    @property
    def guild(self) -> JSON:
        """The full GUILD_CREATE payload of the guild."""
        members = [copy.deepcopy(m) for m in self._members.values()]
        return p.guild_payload(
            self.guild_id,
            self.guild_name,
            owner_id=int(self.owner_user["id"]),
            roles=list(self._roles.values()),
            channels=[
                {k: v for k, v in c.items() if k != "guild_id"}
                for c in self._channels.values()
                if c.get("guild_id") == str(self.guild_id)
            ],
            members=members,
        )

    @property
    def synced_commands(self) -> dict[int | None, list[JSON]]:
        """Registered commands by guild id (``None`` = global), as Discord returns them."""
        return self._synced

    @property
    def global_commands(self) -> list[JSON]:
        return self._synced.get(None, [])

    def guild_commands(self, guild_id: int | None = None) -> list[JSON]:
        return self._synced.get(guild_id or self.guild_id, [])

    def find_command(self, name: str, *, type: int = 1, dm: bool = False) -> JSON | None:
        """A registered command by name (guild commands of our guild first, then global)."""
        scopes: list[int | None] = [None] if dm else [self.guild_id, None]
        for scope in scopes:
            for cmd in self._synced.get(scope, []):
                if cmd["name"] == name and int(cmd.get("type", 1)) == type:
                    return cmd
        return None

    # ------------------------------------------------------------------ waiting

    def _bump(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(
        self,
        condition: Callable[[], Any],
        what: str = "a condition",
        *,
        timeout: float | None = None,
    ) -> Any:
        """Wait until ``condition()`` is truthy and return its value (AssertionError on timeout).

        Re-checked on every change inside the fake and every 20 ms, so conditions on the
        client's own state (``lambda: bot.is_ready()``) work too.
        """
        return await self._wait_until(condition, what, timeout)

    async def _wait_until(
        self, condition: Callable[[], Any], what: str, timeout: float | None
    ) -> Any:
        loop = asyncio.get_running_loop()
        timeout = self.timeout if timeout is None else timeout
        deadline = loop.time() + timeout
        while True:
            result = condition()
            if result:
                return result
            for task in self._bot_tasks:
                if task.done():
                    exc = None if task.cancelled() else task.exception()
                    raise AssertionError(
                        f"the client task ended ({exc!r}) while waiting for {what}\n"
                        + self.report()
                    ) from exc
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"Timed out after {timeout:g}s waiting for {what}\n" + self.report()
                )
            # Wake up on any change inside the fake, and poll regularly for conditions that
            # depend on the client's state (e.g. ``client.is_ready``).
            event = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, 0.02))

    def report(self, last: int = 15) -> str:
        """Human-readable summary of recent activity (used in timeout messages)."""
        lines = [
            f"Gateway: connections={self.connection_count} ready={self.ready_count} "
            f"resumed={self.resume_count} active={self._active is not None and self._active.open}"
            f" dispatched={len(self.dispatched)} synced_scopes={list(self._synced)}"
        ]
        recent = self.requests[-last:]
        lines.append(f"Recent REST requests ({len(recent)} of {len(self.requests)}):")
        lines += [f"  {r.describe()}" for r in recent] or ["  (none)"]
        events = [f"{f['t']}#{f['s']}" for f in self.dispatched[-last:]]
        lines.append(f"Recent dispatches: {', '.join(events) or '(none)'}")
        unhandled = [r for r in self.requests if not r.handled]
        if unhandled:
            lines.append("Unhandled requests (answered 404):")
            lines += [f"  {r.describe(80)}" for r in unhandled[-last:]]
        if self.errors:
            lines.append("Errors inside the fake:")
            lines += self.errors[-3:]
        return "\n".join(lines)

    async def wait_ready(self, *, timeout: float | None = None) -> None:
        """Wait until a client has identified and been sent READY + GUILD_CREATE."""
        await self._wait_until(
            lambda: self.ready_count > 0 and self._active is not None and self._active.open,
            "the client to connect to the gateway and IDENTIFY",
            timeout,
        )

    async def wait_for_sync(
        self, scope: int | Literal["global", "any"] = "any", *, timeout: float | None = None
    ) -> list[JSON]:
        """Wait for a bulk command sync (PUT) and return the registered commands of ``scope``.

        ``scope`` is a guild id, ``"global"``, or ``"any"`` (first sync of any scope).
        """
        key: int | None = None if scope == "global" else (scope if scope != "any" else None)

        def synced() -> list[JSON] | None:
            if scope == "any":
                return next(iter(self._synced.values()), None) if self._synced else None
            return self._synced.get(key)

        await self._wait_until(lambda: synced() is not None, f"a command sync ({scope})", timeout)
        return synced() or []

    async def wait_for_request(
        self,
        method: str,
        path_pattern: str,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        *,
        timeout: float | None = None,
    ) -> RecordedRequest:
        """Wait for (or find an already received) request; ``path_pattern`` is a regex."""
        regex = re.compile(path_pattern)

        def find() -> RecordedRequest | None:
            for r in self.requests:
                if r.method == method.upper() and regex.search(r.path):
                    if predicate is None or predicate(r):
                        return r
            return None

        return await self._wait_until(find, f"request {method} {path_pattern}", timeout)

    def requests_matching(
        self, method: str | None = None, path_pattern: str | None = None
    ) -> list[RecordedRequest]:
        """Recorded requests filtered by method and path regex."""
        regex = re.compile(path_pattern) if path_pattern else None
        return [
            r
            for r in self.requests
            if (method is None or r.method == method.upper())
            and (regex is None or regex.search(r.path))
        ]

    async def wait_for_response(
        self,
        interaction: FakeInteraction,
        predicate: Callable[[FakeInteraction], bool] | None = None,
        *,
        timeout: float | None = None,
    ) -> FakeInteraction:
        """Wait until the bot answered ``interaction`` and return it.

        By default waits for :attr:`FakeInteraction.complete`: a callback, and after a
        deferral a followup or an edit.  Pass ``predicate`` for more (e.g. two followups).
        """
        check = predicate or (lambda i: i.complete)
        return await self._wait_until(
            lambda: interaction if check(interaction) else None,
            f"the bot's response to {interaction.describe()}",
            timeout,
        )

    async def wait_for_channel_message(
        self,
        predicate: Callable[[FakeMessage], bool] | None = None,
        *,
        channel_id: int | None = None,
        reply_to: FakeMessage | Mapping[str, Any] | int | None = None,
        after: FakeMessage | Mapping[str, Any] | int | None = None,
        timeout: float | None = None,
    ) -> FakeMessage:
        """First message the bot posted with ``POST /channels/{id}/messages`` that matches.

        Filters: ``channel_id``, ``reply_to`` (replies to that message), ``after`` (created
        after that message), ``predicate``.  Already-posted messages count.
        """
        reply_id = _snowflake(reply_to) if reply_to is not None else None
        after_id = _snowflake(after) if after is not None else None

        def find() -> FakeMessage | None:
            for m in self.channel_messages:
                if channel_id is not None and m.channel_id != channel_id:
                    continue
                if reply_id is not None and m.reply_to_id != reply_id:
                    continue
                if after_id is not None and m.id <= after_id:
                    continue
                if predicate is None or predicate(m):
                    return m
            return None

        what = "a channel message from the bot"
        if reply_id is not None:
            what += f" replying to {reply_id}"
        return await self._wait_until(find, what, timeout)

    # ------------------------------------------------------------------ gateway injection

    async def _wait_for_connection(self, timeout: float | None) -> _GatewayConnection:
        def active() -> _GatewayConnection | None:
            conn = self._active
            return conn if conn is not None and conn.open and conn.session else None

        return await self._wait_until(active, "an identified gateway connection", timeout)

    async def dispatch(self, event: str, data: JSON, *, timeout: float | None = None) -> int:
        """Send a DISPATCH event to the client (waits for a connection); returns its ``s``."""
        conn = await self._wait_for_connection(timeout)
        return await self._dispatch_on(conn, event, data)

    async def _dispatch_on(self, conn: _GatewayConnection, event: str, data: JSON) -> int:
        async with conn.lock:
            session = conn.session
            assert session is not None
            session.seq += 1
            frame = {"op": 0, "t": event, "s": session.seq, "d": data}
            session.sent.append(frame)
            self.dispatched.append(frame)
            try:
                await conn.send_unlocked(frame)
            except (ConnectionError, RuntimeError) as exc:  # kept for replay on RESUME
                log.debug("dispatch %s not delivered: %r", event, exc)
        self._bump()
        return session.seq

    async def _echo(self, event: str, data: JSON) -> None:
        """Dispatch if a client is connected; used for Discord's own echoes of bot actions."""
        conn = self._active
        if self.echo_bot_messages and conn is not None and conn.open and conn.session:
            await self._dispatch_on(conn, event, data)

    async def reconnect_client(self, *, resume: bool = True, timeout: float | None = None) -> None:
        """Ask the client to reconnect: op 7 RECONNECT (then it RESUMEs) or, with
        ``resume=False``, op 9 INVALID_SESSION (then it re-IDENTIFIes).  Waits for completion.

        Note discord.py sleeps 5 s before any non-initial IDENTIFY (the default
        ``Client.before_identify_hook``), so ``resume=False`` takes over 5 s unless the test
        overrides that hook.
        """
        conn = await self._wait_for_connection(timeout)
        resumes, readies = self.resume_count, self.ready_count
        if resume:
            await conn.send({"op": 7, "d": None})
            await self._wait_until(lambda: self.resume_count > resumes, "a RESUME", timeout)
        else:
            await conn.send({"op": 9, "d": False})
            await self._wait_until(
                lambda: self.ready_count > readies,
                "a re-IDENTIFY",
                timeout if timeout is not None else self.timeout + 6,
            )

    async def drop_connection(self, code: int = 4000) -> None:
        """Close the client's gateway connection from the server side with ``code``."""
        conn = self._active
        if conn is not None and conn.open:
            await conn.ws.close(code=code, message=b"dropped by test")

    def fail_next(
        self,
        method: str,
        path_pattern: str,
        *,
        status: int = 500,
        code: int = 0,
        message: str | None = None,
        body: Any = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` matching REST requests fail with ``status``.

        429 gets a rate-limit body (``retry_after`` 0.05 s) and the headers discord.py needs.
        Note discord.py retries 500/502/503/504 itself (with 1 s+ sleeps), so prefer 4xx.
        """
        headers: dict[str, str] = {}
        if status == 429:
            body = body or {
                "message": "You are being rate limited.",
                "retry_after": 0.05,
                "global": False,
            }
            headers = {"Via": "1.1 google", "X-RateLimit-Scope": "user", "Retry-After": "1"}
        error = _ApiError(
            status, code, message or f"{status}: fake failure", body=body, headers=headers
        )
        self._failures.append(_Failure(method.upper(), re.compile(path_pattern), error, times))

    # ------------------------------------------------------------------ interactions (test API)

    def _resolve_message(self, message: FakeMessage | Mapping[str, Any] | int) -> FakeMessage:
        if isinstance(message, FakeMessage):
            return message
        mid = _snowflake(message)
        found = self.messages.get(mid)
        if found is not None:
            return found
        if isinstance(message, Mapping):
            msg = FakeMessage(payload=dict(message), source="user")
            self.messages[mid] = msg
            return msg
        raise AssertionError(f"unknown message id {mid}")

    def _channel_for(self, channel_id: int | None, user: JSON, dm: bool) -> JSON:
        if dm:
            return self._dm_channel_for(user)
        cid = channel_id or self.channel_id
        try:
            return self._channels[cid]
        except KeyError:
            raise AssertionError(f"unknown channel {cid}") from None

    def _dm_channel_for(self, user: Mapping[str, Any]) -> JSON:
        uid = int(user["id"])
        channel = self._dm_channels.get(uid)
        if channel is None:
            channel = p.dm_channel_payload(self.next_id(), user)
            self._dm_channels[uid] = channel
            self._channels[int(channel["id"])] = channel
        return channel

    def _interaction_member(
        self, user: JSON, roles: list[int] | None, permissions: int | str | None
    ) -> JSON:
        uid = int(user["id"])
        known = self._members.get(uid)
        role_ids: list[int | str] = (
            list(roles) if roles is not None else list(known["roles"]) if known else []
        )
        perms = permissions if permissions is not None else self.permissions_of(uid, role_ids)
        return p.member_payload(
            user,
            roles=role_ids,
            permissions=perms,
            joined_at=known["joined_at"] if known else None,
            nick=known.get("nick") if known else None,
        )

    async def _new_interaction(
        self,
        type: int,
        data: JSON,
        *,
        user: JSON | None,
        member_roles: list[int] | None,
        permissions: int | str | None,
        channel_id: int | None,
        dm: bool,
        locale: str,
        message: FakeMessage | None = None,
    ) -> FakeInteraction:
        user = dict(user or self.member_user)
        self._users.setdefault(int(user["id"]), user)
        channel = self._channel_for(channel_id, user, dm)
        dm = channel.get("type") == 1
        iid = self.next_id()
        member = None if dm else self._interaction_member(user, member_roles, permissions)
        channel_obj = dict(channel)
        if member is not None:
            channel_obj["permissions"] = member["permissions"]
        payload = p.interaction_payload(
            iid,
            application_id=self.application_id,
            type=type,
            token=p.make_interaction_token(iid),
            data=data,
            channel=channel_obj,
            guild_id=None if dm else self.guild_id,
            member=member,
            user=user if dm else None,
            app_permissions=self.permissions_of(self.application_id),
            locale=locale,
            message=copy.deepcopy(message.payload) if message is not None else None,
        )
        inter = FakeInteraction(payload=payload, source_message=message)
        self.interactions.append(inter)
        self._interactions_by_id[iid] = inter
        self._interactions_by_token[inter.token] = inter
        await self.dispatch("INTERACTION_CREATE", payload)
        return inter

    async def send_slash_command(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        user: JSON | None = None,
        member_roles: list[int] | None = None,
        permissions: int | str | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Invoke ``/name`` (``"group sub"`` for subcommands) as ``user`` (default member_user).

        Option types, ``data.id`` and ``data.guild_id`` come from the synced command; options
        the command does not declare, missing required options and values outside ``choices``
        raise AssertionError (Discord's client would not send them).  User/role/channel
        options take payload dicts or ids and get ``resolved`` data.  ``member_roles`` /
        ``permissions`` override the invoker's roles / computed permission string.
        """
        data = self._command_data(name, options or {}, focused=None)
        return await self._new_interaction(
            InteractionType.APPLICATION_COMMAND,
            data,
            user=user,
            member_roles=member_roles,
            permissions=permissions,
            channel_id=channel_id,
            dm=dm,
            locale=locale,
        )

    async def send_autocomplete(
        self,
        name: str,
        options: Mapping[str, Any],
        focused: str,
        *,
        user: JSON | None = None,
        member_roles: list[int] | None = None,
        permissions: int | str | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        locale: str = "en-US",
        timeout: float | None = None,
    ) -> list[JSON]:
        """Send an autocomplete interaction (``focused`` option being typed); return choices.

        The interaction itself is ``fake.interactions[-1]``.
        """
        values = dict(options)
        values.setdefault(focused, "")
        data = self._command_data(name, values, focused=focused)
        inter = await self._new_interaction(
            InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE,
            data,
            user=user,
            member_roles=member_roles,
            permissions=permissions,
            channel_id=channel_id,
            dm=dm,
            locale=locale,
        )
        await self._wait_until(
            lambda: inter.acknowledged, f"autocomplete choices for {inter.describe()}", timeout
        )
        if inter.callback_type != CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            raise AssertionError(f"autocomplete answered with callback type {inter.callback_type}")
        return inter.choices or []

    async def click_button(
        self,
        message: FakeMessage | Mapping[str, Any] | int,
        custom_id: str | None = None,
        *,
        label: str | None = None,
        user: JSON | None = None,
        member_roles: list[int] | None = None,
        permissions: int | str | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Click the button ``custom_id`` (or the one labelled ``label``) on ``message``."""
        msg = self._resolve_message(message)
        comp = msg.component(custom_id, label=label)
        if comp.get("type") != p.ComponentType.BUTTON:
            raise AssertionError(f"component {comp.get('custom_id')!r} is not a button: {comp}")
        if comp.get("disabled"):
            raise AssertionError(f"button {comp.get('custom_id')!r} is disabled")
        if not comp.get("custom_id"):
            raise AssertionError(f"button {comp} has no custom_id (link/premium buttons)")
        data = {"custom_id": comp["custom_id"], "component_type": p.ComponentType.BUTTON}
        return await self._component_interaction(msg, data, user, member_roles, permissions, locale)

    async def select_options(
        self,
        message: FakeMessage | Mapping[str, Any] | int,
        custom_id: str,
        values: list[str],
        *,
        user: JSON | None = None,
        member_roles: list[int] | None = None,
        permissions: int | str | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Choose ``values`` in the string select ``custom_id`` on ``message``."""
        msg = self._resolve_message(message)
        comp = msg.component(custom_id)
        ctype = int(comp.get("type", 0))
        if ctype != p.ComponentType.STRING_SELECT:
            raise AssertionError(f"component {custom_id!r} is not a string select: {comp}")
        allowed = {o["value"] for o in comp.get("options", [])}
        if not set(values) <= allowed:
            raise AssertionError(f"values {values} not in select options {sorted(allowed)}")
        data = {"custom_id": custom_id, "component_type": ctype, "values": list(values)}
        return await self._component_interaction(msg, data, user, member_roles, permissions, locale)

    async def _component_interaction(
        self,
        msg: FakeMessage,
        data: JSON,
        user: JSON | None,
        member_roles: list[int] | None,
        permissions: int | str | None,
        locale: str,
    ) -> FakeInteraction:
        if msg.deleted:
            raise AssertionError(f"message {msg.id} was deleted")
        channel = self._channels.get(msg.channel_id)
        dm = channel is not None and channel.get("type") == 1
        return await self._new_interaction(
            InteractionType.MESSAGE_COMPONENT,
            data,
            user=user,
            member_roles=member_roles,
            permissions=permissions,
            channel_id=msg.channel_id,
            dm=dm,
            locale=locale,
            message=msg,
        )

    # --- building application command data

    def _command_data(self, name: str, values: Mapping[str, Any], focused: str | None) -> JSON:
        parts = name.strip().lstrip("/").split()
        top = parts[0]
        cmd = self.find_command(top)
        if cmd is None and self._synced:
            known = sorted({c["name"] for cmds in self._synced.values() for c in cmds})
            raise AssertionError(f"command {top!r} was not registered; registered: {known}")
        schema: list[JSON] | None = cmd.get("options", []) if cmd else None
        chain: list[tuple[str, int]] = []
        for i, part in enumerate(parts[1:], start=1):
            last = i == len(parts) - 1
            if schema is None:
                chain.append(
                    (part, OptionType.SUB_COMMAND if last else OptionType.SUB_COMMAND_GROUP)
                )
                continue
            sub = next((o for o in schema if o["name"] == part and o["type"] in (1, 2)), None)
            if sub is None:
                raise AssertionError(f"/{top} has no subcommand (group) {part!r}")
            chain.append((part, int(sub["type"])))
            schema = sub.get("options", [])
        resolved: JSON = {}
        options = self._leaf_options(top, schema, values, focused, resolved)
        for part, kind in reversed(chain):
            options = [{"name": part, "type": kind, "options": options}]
        data: JSON = {
            "id": cmd["id"] if cmd else str(self.next_id()),
            "name": top,
            "type": 1,
            "options": options,
        }
        if cmd and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        if resolved:
            data["resolved"] = resolved
        return data

    def _leaf_options(
        self,
        command: str,
        schema: list[JSON] | None,
        values: Mapping[str, Any],
        focused: str | None,
        resolved: JSON,
    ) -> list[JSON]:
        by_name = {o["name"]: o for o in schema or []}
        out: list[JSON] = []
        for opt_name, value in values.items():
            if value is None:
                continue
            spec = by_name.get(opt_name)
            if schema is not None and spec is None:
                raise AssertionError(
                    f"/{command} has no option {opt_name!r}; options: {sorted(by_name)}"
                )
            kind = int(spec["type"]) if spec else p.infer_option_type(value)
            is_focused = opt_name == focused
            if spec and spec.get("choices") and not is_focused:
                allowed = [c["value"] for c in spec["choices"]]
                if value not in allowed:
                    raise AssertionError(f"{opt_name}={value!r} is not one of {allowed}")
            entry: JSON = {
                "name": opt_name,
                "type": kind,
                "value": value if is_focused else self._option_value(kind, value, resolved),
            }
            if is_focused:
                entry["focused"] = True
            out.append(entry)
        if focused is None:
            missing = [
                o["name"] for o in schema or [] if o.get("required") and o["name"] not in values
            ]
            if missing:
                raise AssertionError(f"/{command}: missing required option(s) {missing}")
        return out

    def _option_value(self, kind: int, value: Any, resolved: JSON) -> Any:
        if kind == OptionType.STRING:
            return str(value)
        if kind == OptionType.INTEGER:
            return int(value)
        if kind == OptionType.NUMBER:
            return float(value)
        if kind == OptionType.BOOLEAN:
            return bool(value)
        if kind == OptionType.ATTACHMENT:
            filename, data = value
            att = self._store_attachment(self.channel_id, filename, data, None)
            resolved.setdefault("attachments", {})[att["id"]] = att
            return att["id"]
        sid = _snowflake(value)
        if kind in (OptionType.USER, OptionType.MENTIONABLE) and (
            sid in self._users or (isinstance(value, Mapping) and "username" in value)
        ):
            user = self._users.get(sid) or dict(value)
            resolved.setdefault("users", {})[str(sid)] = user
            member = self._members.get(sid)
            if member is not None:
                partial = {k: v for k, v in member.items() if k != "user"}
                partial["permissions"] = str(self.permissions_of(sid))
                resolved.setdefault("members", {})[str(sid)] = partial
        elif kind in (OptionType.ROLE, OptionType.MENTIONABLE) and sid in self._roles:
            resolved.setdefault("roles", {})[str(sid)] = self._roles[sid]
        elif kind == OptionType.CHANNEL and sid in self._channels:
            channel = self._channels[sid]
            resolved.setdefault("channels", {})[str(sid)] = {
                "id": channel["id"],
                "name": channel.get("name"),
                "type": channel["type"],
                "permissions": str(p.ALL_PERMISSIONS),
                "parent_id": channel.get("parent_id"),
                "flags": 0,
            }
        return str(sid)

    # ------------------------------------------------------------------ messages (test API)

    async def send_message(
        self,
        content: str = "",
        *,
        author: JSON | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        mentions: list[JSON] | None = None,
        mention_roles: list[int] | None = None,
        reply_to: FakeMessage | Mapping[str, Any] | int | None = None,
        embeds: list[JSON] | None = None,
        attachments: list[tuple[str, bytes]] | None = None,
        timeout: float | None = None,
    ) -> FakeMessage:
        """A user posts a message (MESSAGE_CREATE); returns it.

        ``mentions`` defaults to the known users mentioned as ``<@id>`` in ``content``
        (``fake.mention(fake.bot_user)`` builds one).  Like Discord, content/embeds/attachments
        are blanked in the event when the bot lacks the MESSAGE_CONTENT intent, unless the bot
        is mentioned or it is a DM.  Raises AssertionError if the bot did not subscribe to the
        GUILD_MESSAGES / DIRECT_MESSAGES intent (Discord would never deliver it).
        """
        await self._wait_for_connection(timeout)
        author = dict(author or self.member_user)
        self._users.setdefault(int(author["id"]), author)
        channel = self._channel_for(channel_id, author, dm)
        is_dm = channel.get("type") == 1
        intents = int((self.identify_payload or {}).get("intents", 0))
        needed = p.Intent.DIRECT_MESSAGES if is_dm else p.Intent.GUILD_MESSAGES
        if not intents & needed:
            raise AssertionError(
                f"the bot did not request the {needed.name} intent (intents={intents}); "
                "Discord would not deliver this MESSAGE_CREATE"
            )
        guild_id = None if is_dm else self.guild_id
        cid = int(channel["id"])

        if mentions is None:
            ids = dict.fromkeys(int(m) for m in p.USER_MENTION_RE.findall(content))
            mentions = [self._users[i] for i in ids if i in self._users]
        role_ids = (
            mention_roles
            if mention_roles is not None
            else [int(r) for r in p.ROLE_MENTION_RE.findall(content)]
        )
        referenced = self._resolve_message(reply_to) if reply_to is not None else None
        mention_objs = [self._mention_object(u, guild_id) for u in mentions]
        ref_payload = None
        if referenced is not None:
            ref_payload = {
                "type": 0,
                "message_id": str(referenced.id),
                "channel_id": str(referenced.channel_id),
            }
            if guild_id:
                ref_payload["guild_id"] = str(guild_id)
            replied = self._users.get(referenced.author_id)
            if replied and all(int(m["id"]) != referenced.author_id for m in mention_objs):
                mention_objs.append(self._mention_object(replied, guild_id))

        mid = self.next_id()
        att_payloads = [
            self._store_attachment(cid, name, data, None) for name, data in attachments or []
        ]
        member = self._members.get(int(author["id"]))
        payload = p.message_payload(
            mid,
            cid,
            author,
            content,
            guild_id=guild_id,
            member=(
                {k: v for k, v in member.items() if k != "user"} if member and guild_id else None
            ),
            embeds=embeds,
            attachments=att_payloads,
            mentions=mention_objs,
            mention_roles=role_ids,
            mention_everyone="@everyone" in content or "@here" in content,
            type=19 if referenced is not None else 0,
            message_reference=ref_payload,
            referenced_message=copy.deepcopy(referenced.payload) if referenced else None,
        )
        msg = FakeMessage(payload=payload, source="user")
        self.messages[mid] = msg

        event = copy.deepcopy(payload)
        mentioned_bot = any(int(m["id"]) == self.application_id for m in mention_objs)
        if not intents & p.Intent.MESSAGE_CONTENT and not is_dm and not mentioned_bot:
            event.update(content="", embeds=[], attachments=[], components=[])
        await self.dispatch("MESSAGE_CREATE", event, timeout=timeout)
        return msg

    @staticmethod
    def mention(user: Mapping[str, Any] | int) -> str:
        """``<@id>`` for a user payload or id."""
        return f"<@{_snowflake(user)}>"

    def _mention_object(self, user: Mapping[str, Any], guild_id: int | None) -> JSON:
        obj = dict(user)
        member = self._members.get(int(user["id"]))
        if guild_id and member is not None:
            obj["member"] = {k: v for k, v in member.items() if k != "user"}
        return obj

    def _store_attachment(
        self, channel_id: int, filename: str, data: bytes, description: str | None
    ) -> JSON:
        aid = self.next_id()
        self._attachments[aid] = data
        return p.attachment_payload(
            aid,
            filename,
            size=len(data),
            url=f"{self.http_base}/attachments/{channel_id}/{aid}/{filename}",
            content_type=_guess_type(filename),
            description=description,
        )

    # ------------------------------------------------------------------ HTTP plumbing

    def _build_routes(self) -> None:
        app = r"(?P<app>\d+)"
        gid = r"(?P<guild>\d+)"
        cid = r"(?P<channel>\d+)"
        mid = r"(?P<message>\d+)"
        tok = r"(?P<token>[^/]+)"
        cmds = rf"/applications/{app}(?:/guilds/{gid})?/commands"
        table: list[tuple[str, str, _Handler, bool]] = [
            ("GET", "/users/@me", self._h_get_me, True),
            ("GET", r"/users/(?P<user>\d+)", self._h_get_user, True),
            ("POST", "/users/@me/channels", self._h_create_dm, True),
            ("GET", "/gateway", self._h_gateway, False),
            ("GET", "/gateway/bot", self._h_gateway_bot, True),
            ("GET", "/oauth2/applications/@me", self._h_application, True),
            ("GET", "/applications/@me", self._h_application, True),
            ("GET", cmds, self._h_get_commands, True),
            ("PUT", cmds, self._h_put_commands, True),
            ("POST", cmds, self._h_post_command, True),
            ("GET", rf"{cmds}/(?P<command>\d+)", self._h_get_command, True),
            ("PATCH", rf"{cmds}/(?P<command>\d+)", self._h_patch_command, True),
            ("DELETE", rf"{cmds}/(?P<command>\d+)", self._h_delete_command, True),
            (
                "GET",
                rf"/applications/{app}/guilds/{gid}/commands/permissions",
                self._h_empty_list,
                True,
            ),
            ("POST", rf"/interactions/(?P<id>\d+)/{tok}/callback", self._h_callback, False),
            ("POST", rf"/webhooks/{app}/{tok}", self._h_followup, False),
            (
                "GET",
                rf"/webhooks/{app}/{tok}/messages/(?P<message>@original|\d+)",
                self._h_get_webhook_message,
                False,
            ),
            (
                "PATCH",
                rf"/webhooks/{app}/{tok}/messages/(?P<message>@original|\d+)",
                self._h_edit_webhook_message,
                False,
            ),
            (
                "DELETE",
                rf"/webhooks/{app}/{tok}/messages/(?P<message>@original|\d+)",
                self._h_delete_webhook_message,
                False,
            ),
            ("GET", rf"/channels/{cid}", self._h_get_channel, True),
            ("GET", rf"/channels/{cid}/messages", self._h_history, True),
            ("POST", rf"/channels/{cid}/messages", self._h_create_message, True),
            ("GET", rf"/channels/{cid}/messages/{mid}", self._h_get_message, True),
            ("PATCH", rf"/channels/{cid}/messages/{mid}", self._h_edit_message, True),
            ("DELETE", rf"/channels/{cid}/messages/{mid}", self._h_delete_message, True),
            ("POST", rf"/channels/{cid}/typing", self._h_no_content, True),
            (
                "PUT",
                rf"/channels/{cid}/messages/{mid}/reactions/(?P<emoji>[^/]+)/@me",
                self._h_react,
                True,
            ),
            (
                "DELETE",
                rf"/channels/{cid}/messages/{mid}/reactions/(?P<emoji>[^/]+)/@me",
                self._h_no_content,
                True,
            ),
            ("GET", rf"/guilds/{gid}", self._h_get_guild, True),
            ("GET", rf"/guilds/{gid}/channels", self._h_guild_channels, True),
            ("GET", rf"/guilds/{gid}/roles", self._h_guild_roles, True),
            ("GET", rf"/guilds/{gid}/members/(?P<user>\d+)", self._h_get_member, True),
        ]
        self._routes = [(m, re.compile(f"^{path}$"), h, auth) for m, path, h, auth in table]

    async def _read_body(self, request: web.Request) -> tuple[Any, list[RecordedFile]]:
        ctype = request.content_type
        files: list[RecordedFile] = []
        if ctype.startswith("multipart/"):
            body: Any = None
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, aiohttp.BodyPartReader):
                    continue
                data = await part.read()
                if part.name == "payload_json":
                    body = json.loads(data)
                elif part.filename is not None or (part.name or "").startswith("files["):
                    files.append(
                        RecordedFile(
                            field=part.name or "",
                            filename=part.filename or "",
                            content_type=part.headers.get("Content-Type"),
                            data=bytes(data),
                        )
                    )
            return body, files
        raw = await request.read()
        if not raw:
            return None, files
        return json.loads(raw), files

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        rec = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            json=None,
            headers=dict(request.headers),
        )
        self.requests.append(rec)
        headers: dict[str, str] = {}
        try:
            try:
                rec.json, rec.files = await self._read_body(request)
            except ValueError:
                raise _ApiError(400, 50109, "The request body contains invalid JSON.") from None
            if request.match_info["version"] != str(API_VERSION):
                raise _ApiError(400, 50041, "Invalid API version provided.")
            status, body = await self._route(rec)
        except _ApiError as exc:
            status, body, headers = exc.status, exc.body, exc.headers
        except Exception:
            self.errors.append(traceback.format_exc())
            log.exception("fake discord handler failed for %s %s", rec.method, rec.path)
            status, body = 500, {"message": "500: Internal Server Error", "code": 0}
        rec.status, rec.response = status, body
        self._bump()
        if status == 204 or body is None:
            return web.Response(status=204, headers=headers)
        return _json_response(body, status, headers)

    async def _route(self, rec: RecordedRequest) -> tuple[int, Any]:
        for failure in self._failures:
            if (
                failure.times > 0
                and failure.method == rec.method
                and failure.pattern.search(rec.path)
            ):
                failure.times -= 1
                raise failure.error
        path_matched = False
        for method, regex, handler, auth in self._routes:
            match = regex.match(rec.path)
            if match is None:
                continue
            path_matched = True
            if method != rec.method:
                continue
            if auth and rec.headers.get("Authorization") != f"Bot {self.token}":
                raise _ApiError(401, 0, "401: Unauthorized")
            return await handler(rec, match)
        rec.handled = False
        if path_matched:
            raise _ApiError(405, 0, "405: Method Not Allowed")
        raise _ApiError(404, 0, "404: Not Found")

    async def _handle_outside_api(self, request: web.Request) -> web.StreamResponse:
        rec = RecordedRequest(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            json=None,
            headers=dict(request.headers),
            status=404,
            handled=False,
        )
        self.requests.append(rec)
        self._bump()
        return _json_response({"message": "404: Not Found", "code": 0}, 404)

    async def _handle_cdn(self, request: web.Request) -> web.StreamResponse:
        data = self._attachments.get(int(request.match_info["attachment"]))
        if data is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=data, content_type=_guess_type(request.match_info["filename"]))

    # ------------------------------------------------------------------ gateway plumbing

    async def _handle_gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        compress = self.compress and request.query.get("compress") == "zlib-stream"
        conn = _GatewayConnection(ws, compress=compress)
        self._connections.append(conn)
        self.connection_count += 1
        self.gateway_queries.append(dict(request.query))
        self._bump()
        try:
            await conn.send(
                {
                    "op": 10,
                    "d": {
                        "heartbeat_interval": self.heartbeat_interval,
                        "_trace": ['["fake-gateway",{"micros":0}]'],
                    },
                    "s": None,
                    "t": None,
                }
            )
            async for msg in ws:
                if msg.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                    frame = json.loads(msg.data)
                    self.gateway_received.append(frame)
                    self._bump()
                    await self._on_gateway_frame(conn, frame)
                elif msg.type == aiohttp.WSMsgType.ERROR:
                    break
        except Exception:
            self.errors.append(traceback.format_exc())
            log.exception("fake gateway failed")
        finally:
            if self._active is conn:
                self._active = None
            self._connections.remove(conn)
            self._bump()
        return ws

    async def _on_gateway_frame(self, conn: _GatewayConnection, frame: JSON) -> None:
        op = frame.get("op")
        data = frame.get("d")
        if op == 1:  # HEARTBEAT
            await conn.send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:  # IDENTIFY
            await self._on_identify(conn, data or {})
        elif op == 6:  # RESUME
            await self._on_resume(conn, data or {})
        elif op == 3:  # PRESENCE_UPDATE
            self.presence = data
        elif op == 8:  # REQUEST_GUILD_MEMBERS
            await self._on_request_members(conn, data or {})
        elif op == 4:  # VOICE_STATE_UPDATE
            pass
        else:
            log.warning("fake gateway: unknown op %r", op)

    async def _on_identify(self, conn: _GatewayConnection, data: JSON) -> None:
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents", 0))
        if intents & p.PRIVILEGED_INTENTS & ~self.privileged_intents:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        self.identify_payload = data
        session = _Session(session_id=secrets.token_hex(16))
        self._sessions[session.session_id] = session
        conn.session = session
        self._active = conn
        me = dict(self.bot_user, verified=True, mfa_enabled=False, email=None)
        ready = {
            "v": API_VERSION,
            "user": me,
            "user_settings": {},
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "shard": data.get("shard", [0, 1]),
            "application": {"id": str(self.application_id), "flags": p.DEFAULT_APPLICATION_FLAGS},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["local"],
            "auth": {},
            "_trace": ['["fake-gateway",{"micros":0}]'],
        }
        await self._dispatch_on(conn, "READY", ready)
        await self._dispatch_on(conn, "GUILD_CREATE", self.guild)
        self.ready_count += 1
        self._bump()

    async def _on_resume(self, conn: _GatewayConnection, data: JSON) -> None:
        session = self._sessions.get(str(data.get("session_id")))
        if data.get("token") != self.token or session is None:
            await conn.send({"op": 9, "d": False, "s": None, "t": None})
            return
        conn.session = session
        self._active = conn
        seq = int(data.get("seq") or 0)
        async with conn.lock:
            for frame in session.sent:
                if frame["s"] > seq:
                    await conn.send_unlocked(frame)
        await self._dispatch_on(conn, "RESUMED", {"_trace": ['["fake-gateway",{"micros":0}]']})
        self.resume_count += 1
        self._bump()

    async def _on_request_members(self, conn: _GatewayConnection, data: JSON) -> None:
        members = list(self._members.values())
        if data.get("user_ids"):
            wanted = (
                {int(u) for u in data["user_ids"]}
                if isinstance(data["user_ids"], list)
                else {int(data["user_ids"])}
            )
            members = [m for m in members if int(m["user"]["id"]) in wanted]
        elif data.get("query"):
            q = str(data["query"]).lower()
            members = [m for m in members if m["user"]["username"].lower().startswith(q)]
        if data.get("limit"):
            members = members[: int(data["limit"])]
        chunk: JSON = {
            "guild_id": str(data.get("guild_id", self.guild_id)),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        if data.get("presences"):
            chunk["presences"] = []
        await self._dispatch_on(conn, "GUILD_MEMBERS_CHUNK", chunk)

    # ------------------------------------------------------------------ REST handlers

    def _check_app(self, match: re.Match[str]) -> None:
        if int(match["app"]) != self.application_id:
            raise _ApiError(404, 10002, "Unknown Application")

    async def _h_get_me(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        return 200, dict(
            self.bot_user, verified=True, mfa_enabled=False, email=None, locale="en-US"
        )

    async def _h_get_user(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        user = self._users.get(int(m["user"]))
        if user is None:
            raise _ApiError(404, 10013, "Unknown User")
        return 200, user

    async def _h_create_dm(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        uid = int((rec.json or {}).get("recipient_id", 0))
        user = self._users.get(uid)
        if user is None:
            raise _form_error("recipient_id", "NUMBER_TYPE_COERCE", "Unknown user")
        return 200, self._dm_channel_for(user)

    async def _h_gateway(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _h_gateway_bot(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        limit = {"total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": 1}
        return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    async def _h_application(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        return 200, p.application_payload(
            self.application_id,
            self.bot_user["username"],
            owner=self.owner_user,
            bot=self.bot_user,
        )

    async def _h_empty_list(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        return 200, []

    async def _h_no_content(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        self._get_channel(int(m["channel"]))
        return 204, None

    # --- application commands

    def _command_scope(self, m: re.Match[str]) -> int | None:
        self._check_app(m)
        guild = m["guild"]
        if guild is None:
            return None
        if int(guild) != self.guild_id:
            raise _ApiError(403, 50001, "Missing Access")
        return int(guild)

    def _validate_command(self, cmd: Any, index: int | None) -> None:
        where = "" if index is None else f"{index}."
        if not isinstance(cmd, dict) or not cmd.get("name"):
            raise _form_error(f"{where}name", "BASE_TYPE_REQUIRED", "This field is required")
        ctype = int(cmd.get("type", 1))
        name = cmd["name"]
        if ctype == 1 and (not re.fullmatch(r"[-_\w]{1,32}", name) or name != name.lower()):
            raise _form_error(
                f"{where}name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
            )
        if ctype == 1 and not 1 <= len(cmd.get("description") or "") <= 100:
            raise _form_error(
                f"{where}description",
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            )
        options = cmd.get("options") or []
        if len(options) > 25:
            raise _form_error(f"{where}options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer.")
        for opt in p.iter_options(options):
            if not 1 <= len(opt.get("description") or "") <= 100:
                raise _form_error(
                    f"{where}options",
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                )
            if len(opt.get("choices") or []) > 25:
                raise _form_error(f"{where}options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer.")

    def _register(self, cmd: JSON, scope: int | None) -> JSON:
        key = (scope, cmd["name"], int(cmd.get("type", 1)))
        cid = self._command_ids.get(key)
        if cid is None:
            cid = self._command_ids[key] = self.next_id()
        return p.command_response_payload(
            cmd,
            command_id=cid,
            application_id=self.application_id,
            guild_id=scope,
            version=self.next_id(),
        )

    async def _h_get_commands(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        return 200, self._synced.get(self._command_scope(m), [])

    async def _h_put_commands(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        scope = self._command_scope(m)
        body = rec.json if rec.json is not None else []
        if not isinstance(body, list):
            raise _ApiError(400, 50035, "Invalid Form Body")
        seen: set[tuple[str, int]] = set()
        for i, cmd in enumerate(body):
            self._validate_command(cmd, i)
            key = (cmd["name"], int(cmd.get("type", 1)))
            if key in seen:
                raise _form_error(
                    f"{i}.name",
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    "Application command names must be unique",
                )
            seen.add(key)
        result = [self._register(cmd, scope) for cmd in body]
        self._synced[scope] = result
        self.sync_count += 1
        return 200, result

    async def _h_post_command(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        scope = self._command_scope(m)
        self._validate_command(rec.json, None)
        cmd = self._register(rec.json, scope)
        cmds = [
            c
            for c in self._synced.get(scope, [])
            if (c["name"], c.get("type", 1)) != (cmd["name"], cmd.get("type", 1))
        ]
        self._synced[scope] = [*cmds, cmd]
        return 201, cmd

    def _find_registered(self, m: re.Match[str]) -> tuple[int | None, JSON]:
        scope = self._command_scope(m)
        for cmd in self._synced.get(scope, []):
            if cmd["id"] == m["command"]:
                return scope, cmd
        raise _ApiError(404, 10063, "Unknown application command")

    async def _h_get_command(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        return 200, self._find_registered(m)[1]

    async def _h_patch_command(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        scope, cmd = self._find_registered(m)
        cmd.update({k: v for k, v in (rec.json or {}).items() if k not in ("id", "application_id")})
        cmd["version"] = str(self.next_id())
        return 200, cmd

    async def _h_delete_command(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        scope, cmd = self._find_registered(m)
        self._synced[scope] = [c for c in self._synced[scope] if c is not cmd]
        return 204, None

    # --- interactions

    async def _h_callback(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        inter = self._interactions_by_id.get(int(m["id"]))
        if inter is None or inter.token != m["token"]:
            raise _ApiError(404, 10062, "Unknown interaction")
        if inter.callbacks:
            raise _ApiError(400, 40060, "Interaction has already been acknowledged.")
        body = rec.json or {}
        ctype = int(body.get("type", 0))
        data = body.get("data") or {}
        itype = inter.type
        valid = {
            CallbackType.PONG: {InteractionType.PING},
            CallbackType.CHANNEL_MESSAGE_WITH_SOURCE: {2, 3, 5},
            CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: {2, 3, 5},
            CallbackType.DEFERRED_UPDATE_MESSAGE: {3, 5},
            CallbackType.UPDATE_MESSAGE: {3, 5},
            CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT: {4},
            CallbackType.MODAL: {2, 3},
        }
        if itype not in valid.get(ctype, set()):
            raise _form_error(
                "type",
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Callback type {ctype} is invalid for interaction type {itype}",
            )
        if ctype == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE:
            _validate_message_body(data, rec.files, require_content=True)
        elif ctype == CallbackType.UPDATE_MESSAGE:
            _validate_message_body(data, rec.files, require_content=False)
        elif ctype == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            choices = data.get("choices")
            if not isinstance(choices, list) or len(choices) > 25:
                raise _form_error("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer.")
            for choice in choices:
                if not 1 <= len(str(choice.get("name", ""))) <= 100:
                    raise _form_error(
                        "data.choices",
                        "BASE_TYPE_BAD_LENGTH",
                        "Must be between 1 and 100 in length.",
                    )

        inter.callbacks.append(body)
        resource: JSON = {"type": ctype}
        if ctype == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE:
            msg = await self._interaction_message(inter, data, rec.files, "interaction")
            inter.original = inter.last_message = msg
            resource["message"] = msg.payload
        elif ctype == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            msg = await self._interaction_message(
                inter, {"content": ""}, [], "interaction", flags=flags
            )
            msg.requests.clear()
            inter.original = msg
            resource["message"] = msg.payload
        elif ctype in (CallbackType.DEFERRED_UPDATE_MESSAGE, CallbackType.UPDATE_MESSAGE):
            target = inter.source_message
            if target is not None:
                inter.original = target
                if ctype == CallbackType.UPDATE_MESSAGE:
                    await self._edit(target, data, rec.files)
                    inter.last_message = target
                resource["message"] = target.payload
        elif ctype == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            inter.choices = list(data.get("choices") or [])
        elif ctype == CallbackType.MODAL:
            inter.modal = data

        original = inter.original
        summary = {
            "id": str(inter.id),
            "type": itype,
            "activity_instance_id": None,
            "response_message_id": str(original.id) if original else None,
            "response_message_loading": ctype == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            "response_message_ephemeral": bool(original and original.ephemeral),
        }
        if rec.query.get("with_response", "").lower() in ("1", "true"):
            return 200, {"interaction": summary, "resource": resource}
        return 204, None

    def _interaction_by_webhook(self, m: re.Match[str]) -> FakeInteraction:
        inter = self._interactions_by_token.get(m["token"])
        if inter is None or int(m["app"]) != self.application_id:
            raise _ApiError(404, 10015, "Unknown Webhook")
        if not inter.acknowledged:
            # Discord only activates the interaction webhook once the interaction is answered
            raise _ApiError(404, 10015, "Unknown Webhook")
        return inter

    def _webhook_target(self, inter: FakeInteraction, message: str) -> FakeMessage:
        if message == "@original":
            target = inter.original
        else:
            target = next((x for x in inter.messages if x.id == int(message)), None)
        if target is None or target.deleted:
            raise _ApiError(404, 10008, "Unknown Message")
        return target

    async def _interaction_message(
        self,
        inter: FakeInteraction,
        body: JSON,
        files: list[RecordedFile],
        source: Literal["interaction", "followup"],
        *,
        flags: int | None = None,
    ) -> FakeMessage:
        payload = inter.payload
        invoker = payload["member"]["user"] if "member" in payload else payload["user"]
        guild_id = self.guild_id if "guild_id" in payload else None
        cid = int(payload["channel"]["id"])
        mid = self.next_id()
        metadata = p.interaction_metadata_payload(
            inter.id,
            inter.type,
            invoker,
            authorizing_integration_owners=payload.get("authorizing_integration_owners"),
            name=inter.data.get("name")
            if inter.type == InteractionType.APPLICATION_COMMAND
            else None,
            command_type=inter.data.get("type")
            if inter.type == InteractionType.APPLICATION_COMMAND
            else None,
            interacted_message_id=inter.source_message.id if inter.source_message else None,
        )
        if flags is None:
            flags = int(body.get("flags") or 0) & ~LOADING
        msg_payload = p.message_payload(
            mid,
            cid,
            self.bot_user,
            body.get("content") or "",
            guild_id=guild_id,
            embeds=_normalize_embeds(body.get("embeds")),
            components=copy.deepcopy(body.get("components") or []),
            attachments=self._attachments_for(cid, body, files, []),
            flags=flags,
            tts=bool(body.get("tts")),
            type=20 if inter.type == InteractionType.APPLICATION_COMMAND else 0,
            webhook_id=self.application_id,
            application_id=self.application_id,
            interaction_metadata=metadata,
        )
        if inter.type == InteractionType.APPLICATION_COMMAND:
            msg_payload["interaction"] = {
                "id": str(inter.id),
                "type": inter.type,
                "name": inter.data.get("name", ""),
                "user": invoker,
            }
        self._apply_mentions(msg_payload, body.get("allowed_mentions"), None)
        msg = FakeMessage(
            payload=msg_payload,
            source=source,
            requests=[body],
            files=list(files),
            interaction=inter,
        )
        self.messages[mid] = msg
        if not msg.ephemeral:
            await self._echo("MESSAGE_CREATE", self._gateway_message(msg))
        return msg

    async def _h_followup(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        inter = self._interaction_by_webhook(m)
        body = rec.json or {}
        _validate_message_body(body, rec.files, require_content=True)
        original = inter.original
        if (
            inter.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
            and original is not None
            and original.loading
            and not inter.deferred_filled
        ):
            # Discord: the first followup after a deferral replaces the "thinking" message.
            inter.deferred_filled = True
            await self._edit(original, body, rec.files, keep_flags=True)
            msg = original
        else:
            msg = await self._interaction_message(inter, body, rec.files, "followup")
        inter.followups.append(msg)
        inter.last_message = msg
        if rec.query.get("wait", "").lower() in ("1", "true"):
            return 200, msg.payload
        return 204, None

    async def _h_get_webhook_message(
        self, rec: RecordedRequest, m: re.Match[str]
    ) -> tuple[int, Any]:
        inter = self._interaction_by_webhook(m)
        return 200, self._webhook_target(inter, m["message"]).payload

    async def _h_edit_webhook_message(
        self, rec: RecordedRequest, m: re.Match[str]
    ) -> tuple[int, Any]:
        inter = self._interaction_by_webhook(m)
        target = self._webhook_target(inter, m["message"])
        body = rec.json or {}
        _validate_message_body(body, rec.files, require_content=False)
        await self._edit(target, body, rec.files)
        inter.edits.append(body)
        inter.last_message = target
        return 200, target.payload

    async def _h_delete_webhook_message(
        self, rec: RecordedRequest, m: re.Match[str]
    ) -> tuple[int, Any]:
        inter = self._interaction_by_webhook(m)
        target = self._webhook_target(inter, m["message"])
        await self._delete(target)
        return 204, None

    # --- channels & messages

    def _get_channel(self, channel_id: int) -> JSON:
        channel = self._channels.get(channel_id)
        if channel is None:
            raise _ApiError(404, 10003, "Unknown Channel")
        return channel

    def _get_stored_message(self, m: re.Match[str]) -> FakeMessage:
        self._get_channel(int(m["channel"]))
        msg = self.messages.get(int(m["message"]))
        if msg is None or msg.deleted or msg.channel_id != int(m["channel"]) or msg.ephemeral:
            raise _ApiError(404, 10008, "Unknown Message")
        return msg

    async def _h_get_channel(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        return 200, self._get_channel(int(m["channel"]))

    async def _h_history(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        cid = int(m["channel"])
        self._get_channel(cid)
        limit = int(rec.query.get("limit", 50))
        msgs = [
            x
            for x in self.messages.values()
            if x.channel_id == cid and not x.deleted and not x.ephemeral
        ]
        if "before" in rec.query:
            msgs = [x for x in msgs if x.id < int(rec.query["before"])]
        if "after" in rec.query:
            msgs = [x for x in msgs if x.id > int(rec.query["after"])]
        msgs.sort(key=lambda x: x.id, reverse=True)
        return 200, [x.payload for x in msgs[:limit]]

    async def _h_get_message(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        return 200, self._get_stored_message(m).payload

    async def _h_create_message(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        cid = int(m["channel"])
        channel = self._get_channel(cid)
        body = rec.json or {}
        _validate_message_body(body, rec.files, require_content=True)
        ref = body.get("message_reference")
        referenced: FakeMessage | None = None
        ref_payload: JSON | None = None
        if ref:
            referenced = self.messages.get(int(ref.get("message_id") or 0))
            if referenced is None or referenced.deleted:
                if ref.get("fail_if_not_exists", True):
                    raise _form_error(
                        "message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"
                    )
                referenced = None
            else:
                ref_payload = {
                    "type": int(ref.get("type", 0)),
                    "message_id": str(referenced.id),
                    "channel_id": str(referenced.channel_id),
                }
                if channel.get("guild_id"):
                    ref_payload["guild_id"] = channel["guild_id"]
        guild_id = int(channel["guild_id"]) if channel.get("guild_id") else None
        mid = self.next_id()
        payload = p.message_payload(
            mid,
            cid,
            self.bot_user,
            body.get("content") or "",
            guild_id=guild_id,
            embeds=_normalize_embeds(body.get("embeds")),
            components=copy.deepcopy(body.get("components") or []),
            attachments=self._attachments_for(cid, body, rec.files, []),
            flags=int(body.get("flags") or 0) & ~(EPHEMERAL | LOADING),
            tts=bool(body.get("tts")),
            type=19 if referenced is not None else 0,
            message_reference=ref_payload,
            referenced_message=copy.deepcopy(referenced.payload) if referenced else None,
        )
        if body.get("nonce") is not None:
            payload["nonce"] = body["nonce"]
        self._apply_mentions(payload, body.get("allowed_mentions"), referenced)
        msg = FakeMessage(payload=payload, source="channel", requests=[body], files=list(rec.files))
        self.messages[mid] = msg
        self.channel_messages.append(msg)
        await self._echo("MESSAGE_CREATE", self._gateway_message(msg))
        return 200, payload

    async def _h_edit_message(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        msg = self._get_stored_message(m)
        if msg.author_id != self.application_id:
            raise _ApiError(403, 50005, "Cannot edit a message authored by another user")
        body = rec.json or {}
        _validate_message_body(body, rec.files, require_content=False)
        await self._edit(msg, body, rec.files)
        return 200, msg.payload

    async def _h_delete_message(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        msg = self._get_stored_message(m)
        await self._delete(msg)
        return 204, None

    async def _h_react(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        msg = self._get_stored_message(m)
        msg.reactions.append(m["emoji"])
        return 204, None

    # --- guild

    def _check_guild(self, m: re.Match[str]) -> None:
        if int(m["guild"]) != self.guild_id:
            raise _ApiError(404, 10004, "Unknown Guild")

    async def _h_get_guild(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        self._check_guild(m)
        gateway_only = {
            "joined_at",
            "large",
            "unavailable",
            "lazy",
            "member_count",
            "members",
            "channels",
            "threads",
            "presences",
            "voice_states",
            "stage_instances",
            "guild_scheduled_events",
            "soundboard_sounds",
        }
        return 200, {k: v for k, v in self.guild.items() if k not in gateway_only}

    async def _h_guild_channels(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        self._check_guild(m)
        return 200, [c for c in self._channels.values() if c.get("guild_id") == str(self.guild_id)]

    async def _h_guild_roles(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        self._check_guild(m)
        return 200, list(self._roles.values())

    async def _h_get_member(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Any]:
        self._check_guild(m)
        member = self._members.get(int(m["user"]))
        if member is None:
            raise _ApiError(404, 10007, "Unknown Member")
        return 200, member

    # ------------------------------------------------------------------ message helpers

    def _gateway_message(self, msg: FakeMessage) -> JSON:
        event = copy.deepcopy(msg.payload)
        if event.get("guild_id") and msg.author_id in self._members and "webhook_id" not in event:
            member = self._members[msg.author_id]
            event["member"] = {k: v for k, v in member.items() if k != "user"}
        return event

    def _attachments_for(
        self, channel_id: int, body: JSON, files: list[RecordedFile], existing: list[JSON]
    ) -> list[JSON]:
        """Attachments after a create/edit: kept existing ones + uploaded ``files[n]``."""
        declared = body.get("attachments")
        if declared is None and not files:
            return existing
        keep_ids = {str(a.get("id")) for a in declared or []}
        result = (
            [a for a in existing if a["id"] in keep_ids] if declared is not None else list(existing)
        )
        descriptions = {str(a.get("id")): a.get("description") for a in declared or []}
        for f in files:
            index = f.field[len("files[") : -1] if f.field.startswith("files[") else ""
            result.append(
                self._store_attachment(channel_id, f.filename, f.data, descriptions.get(index))
            )
        return result

    def _apply_mentions(
        self, payload: JSON, allowed: JSON | None, replied: FakeMessage | None
    ) -> None:
        """Compute who a bot message pings, honouring allowed_mentions like Discord."""
        content = payload.get("content") or ""
        user_ids = list(dict.fromkeys(int(u) for u in p.USER_MENTION_RE.findall(content)))
        role_ids = list(dict.fromkeys(int(r) for r in p.ROLE_MENTION_RE.findall(content)))
        if allowed is None:
            parse = {"users", "roles", "everyone"}
            allowed_users: set[int] = set()
            allowed_roles: set[int] = set()
            replied_user = True
        else:
            parse = set(allowed.get("parse") or [])
            allowed_users = {int(u) for u in allowed.get("users") or []}
            allowed_roles = {int(r) for r in allowed.get("roles") or []}
            replied_user = bool(allowed.get("replied_user", False))
        users = [u for u in user_ids if "users" in parse or u in allowed_users]
        roles = [r for r in role_ids if "roles" in parse or r in allowed_roles]
        if replied is not None and replied_user and replied.author_id not in users:
            users.append(replied.author_id)
        guild_id = int(payload["guild_id"]) if payload.get("guild_id") else None
        payload["mentions"] = [
            self._mention_object(self._users[u], guild_id) for u in users if u in self._users
        ]
        payload["mention_roles"] = [str(r) for r in roles if r in self._roles]
        can_everyone = bool(
            self.permissions_of(self.application_id) & p.Permission.MENTION_EVERYONE
        )
        payload["mention_everyone"] = (
            ("@everyone" in content or "@here" in content) and "everyone" in parse and can_everyone
        )

    async def _edit(
        self, msg: FakeMessage, body: JSON, files: list[RecordedFile], *, keep_flags: bool = False
    ) -> None:
        payload = msg.payload
        was_loading = msg.loading
        if "content" in body:
            payload["content"] = body["content"] or ""
        if "embeds" in body:
            payload["embeds"] = _normalize_embeds(body["embeds"])
        if "components" in body:
            payload["components"] = copy.deepcopy(body["components"] or [])
        if body.get("flags") is not None and not keep_flags:
            fixed = payload.get("flags", 0) & EPHEMERAL
            payload["flags"] = fixed | (int(body["flags"]) & ~(EPHEMERAL | LOADING))
        payload["flags"] = int(payload.get("flags") or 0) & ~LOADING
        payload["attachments"] = self._attachments_for(
            msg.channel_id, body, files, payload.get("attachments") or []
        )
        if "content" in body or "allowed_mentions" in body:
            replied = None
            if msg.reply_to_id is not None:
                replied = self.messages.get(msg.reply_to_id)
            allowed = body.get("allowed_mentions", msg.allowed_mentions)
            self._apply_mentions(payload, allowed, replied)
        if not was_loading:
            payload["edited_timestamp"] = p.iso_timestamp()
        msg.requests.append(body)
        msg.files.extend(files)
        if not msg.ephemeral:
            await self._echo("MESSAGE_UPDATE", self._gateway_message(msg))

    async def _delete(self, msg: FakeMessage) -> None:
        msg.deleted = True
        if not msg.ephemeral:
            event: JSON = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
            if msg.payload.get("guild_id"):
                event["guild_id"] = msg.payload["guild_id"]
            await self._echo("MESSAGE_DELETE", event)


# ------------------------------------------------------------------------- validation


def _normalize_embeds(embeds: list[JSON] | None) -> list[JSON]:
    out = []
    for embed in embeds or []:
        e = copy.deepcopy(embed)
        e.setdefault("type", "rich")
        e.setdefault("content_scan_version", 0)
        out.append(e)
    return out


def _validate_message_body(body: JSON, files: list[RecordedFile], *, require_content: bool) -> None:
    """Raise the 400 Discord would answer for an invalid message create/edit body."""
    content = body.get("content")
    if content is not None and len(str(content)) > 2000:
        raise _form_error("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        raise _form_error("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    total = 0
    limits = {"title": 256, "description": 4096}
    for i, embed in enumerate(embeds):
        for key, limit in limits.items():
            value = embed.get(key) or ""
            total += len(value)
            if len(value) > limit:
                raise _form_error(
                    f"embeds.{i}.{key}",
                    "BASE_TYPE_MAX_LENGTH",
                    f"Must be {limit} or fewer in length.",
                )
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise _form_error(f"embeds.{i}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer.")
        for j, fld in enumerate(fields):
            for key, limit in (("name", 256), ("value", 1024)):
                value = str(fld.get(key) or "")
                total += len(value)
                if not value:
                    raise _form_error(
                        f"embeds.{i}.fields.{j}.{key}",
                        "BASE_TYPE_REQUIRED",
                        "This field is required",
                    )
                if len(value) > limit:
                    raise _form_error(
                        f"embeds.{i}.fields.{j}.{key}",
                        "BASE_TYPE_MAX_LENGTH",
                        f"Must be {limit} or fewer in length.",
                    )
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        total += len(footer) + len(author)
        if len(footer) > 2048 or len(author) > 256:
            raise _form_error(f"embeds.{i}", "BASE_TYPE_MAX_LENGTH", "Embed footer/author too long")
    if total > 6000:
        raise _form_error(
            "embeds", "BASE_TYPE_MAX_LENGTH", "Embed size exceeds maximum size of 6000"
        )

    components = body.get("components") or []
    if not int(body.get("flags") or 0) & p.MessageFlag.IS_COMPONENTS_V2:
        if len(components) > 5:
            raise _form_error("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
        seen: set[str] = set()
        for i, row in enumerate(components):
            children = row.get("components") or []
            if row.get("type") != p.ComponentType.ACTION_ROW or not 1 <= len(children) <= 5:
                raise _form_error(
                    f"components.{i}", "BASE_TYPE_BAD_LENGTH", "Action rows need 1 to 5 components"
                )
            for j, comp in enumerate(children):
                where = f"components.{i}.components.{j}"
                custom_id = comp.get("custom_id")
                if custom_id is not None:
                    if not 1 <= len(custom_id) <= 100:
                        raise _form_error(
                            f"{where}.custom_id",
                            "BASE_TYPE_BAD_LENGTH",
                            "Must be between 1 and 100 in length.",
                        )
                    if custom_id in seen:
                        raise _form_error(
                            f"{where}.custom_id",
                            "COMPONENT_CUSTOM_ID_DUPLICATED",
                            "Component custom id cannot be duplicated",
                        )
                    seen.add(custom_id)
                if comp.get("type") == p.ComponentType.BUTTON:
                    if len(comp.get("label") or "") > 80:
                        raise _form_error(
                            f"{where}.label",
                            "BASE_TYPE_MAX_LENGTH",
                            "Must be 80 or fewer in length.",
                        )
                    if comp.get("style") == 5 and not comp.get("url"):
                        raise _form_error(
                            f"{where}.url", "BASE_TYPE_REQUIRED", "This field is required"
                        )
                    if comp.get("style") not in (5, 6) and not custom_id:
                        raise _form_error(
                            f"{where}.custom_id", "BASE_TYPE_REQUIRED", "This field is required"
                        )

    if require_content and not (
        content or embeds or files or components or body.get("sticker_ids") or body.get("poll")
    ):
        raise _ApiError(400, 50006, "Cannot send an empty message")


def _json_response(
    body: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    # discord.py only parses bodies whose Content-Type is exactly "application/json" (like
    # Discord sends it): aiohttp's json_response would append "; charset=utf-8".
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(status=status, body=json.dumps(body).encode(), headers=all_headers)


def _guess_type(filename: str) -> str:
    import mimetypes

    return mimetypes.guess_type(filename)[0] or "application/octet-stream"
