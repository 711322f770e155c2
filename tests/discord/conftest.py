"""Fixtures for the Discord tests: engines on small gardens or the bundled corpus, and the bot
wired to the fake Discord server (tests/fakediscord) on loopback.

This folder has no __init__.py on purpose: as a package named `discord` it would shadow the
discord.py library for every test.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:  # for `import fakediscord`
    sys.path.insert(0, str(TESTS))

from fakediscord import FakeDiscord, discord_endpoints  # noqa: E402

from bot.config import BotSettings, Secret  # noqa: E402
from bot.discord.client import NotesBot  # noqa: E402
from bot.discord.state import EngineHolder  # noqa: E402
from bot.engine import BUNDLED_CORPUS, Engine  # noqa: E402

GARDEN_CONFIG = """\
sites:
  - name: jardin
    base_url: https://jardin.example.org
    anchors: {style: slugify}
languages: [fr]
"""

GARDEN_NOTES = {
    "compost.md": "---\ntitle: Le compost\n---\n\n## Démarrer un compost\n\nUn composteur se "
                  "remplit de déchets verts et bruns. Retourner le tas chaque mois aide les vers.\n\n"
                  "Voir [le guide de l'ADEME](https://www.ademe.fr/compost) pour aller plus loin.\n",
    "semis.md": "---\ntitle: Les semis de printemps\n---\n\nSemer les tomates en mars, au chaud, "
                "puis repiquer en mai quand les nuits sont douces.\n",
    "outils.md": "---\ntitle: Les outils du jardin\n---\n\nUne grelinette ameublit la terre sans "
                 "la retourner. Une binette sert à désherber.\n",
}


def write_garden(root: Path, notes: dict[str, str] | None = None, config: str = GARDEN_CONFIG) -> Path:
    """A corpus root with a notesbot.yaml and `notes` (path -> Markdown)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "notesbot.yaml").write_text(config, encoding="utf-8")
    for rel, body in (GARDEN_NOTES if notes is None else notes).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def _restore_discord_endpoints() -> Iterator[None]:
    with discord_endpoints():
        yield


@pytest.fixture(scope="session")
def bundled_index_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus indexed once per session, in a temporary folder."""
    root = tmp_path_factory.mktemp("bundled-index")
    engine, _ = Engine.open([BUNDLED_CORPUS], root)
    engine.close()
    return root


@pytest.fixture
def bundled_engine(bundled_index_root: Path) -> Engine:
    engine, report = Engine.open([BUNDLED_CORPUS], bundled_index_root)
    assert report is None, "the session's saved index should be reused"
    return engine


@pytest.fixture
def garden_root(tmp_path: Path) -> Path:
    return write_garden(tmp_path / "jardin")


@pytest.fixture
def garden_engine(garden_root: Path, tmp_path: Path) -> Engine:
    engine, _ = Engine.open([garden_root], tmp_path / "index")
    return engine


def settings_for(fake: FakeDiscord, engine: Engine, **overrides: Any) -> BotSettings:
    values: dict[str, Any] = dict(
        token=Secret(fake.token), corpus=engine.roots, index_dir=engine.index_dir.parent,
        guild_id=fake.guild_id, moderator_roles=(int(fake.moderator_role["id"]),),
        api_base=fake.api_base, gateway_url=fake.gateway_url, cooldown_rate=100, cooldown_seconds=60)
    values.update(overrides)
    return BotSettings(**values)


Wired = Callable[..., contextlib.AbstractAsyncContextManager[tuple[FakeDiscord, NotesBot]]]


@pytest.fixture
def wired() -> Wired:
    """`async with wired(engine, **settings) as (fake, bot)`: the bot connected to a fresh fake
    Discord, commands synced; afterwards, no error inside the fake."""

    @contextlib.asynccontextmanager
    async def start(engine: Engine, *, fake: FakeDiscord | None = None,
                    holder: EngineHolder | None = None, bot_options: dict | None = None,
                    **settings: Any) -> AsyncIterator[tuple[FakeDiscord, NotesBot]]:
        async with contextlib.AsyncExitStack() as stack:
            if fake is None:
                fake = await stack.enter_async_context(FakeDiscord(patch_discord=True))
            bot = NotesBot(settings_for(fake, engine, **settings), holder or EngineHolder(engine),
                           guild_ready_timeout=0.05, **(bot_options or {}))
            await stack.enter_async_context(fake.running(bot))
            await fake.wait_for_sync(settings.get("guild_id", fake.guild_id) or "global")
            yield fake, bot
        assert not fake.errors, fake.errors

    return start


@pytest.fixture
def run() -> Callable[[Callable[[], Awaitable[None]]], None]:
    def run_scenario(scenario: Callable[[], Awaitable[None]], timeout: float = 30.0) -> None:
        asyncio.run(asyncio.wait_for(scenario(), timeout))

    return run_scenario


@pytest.fixture
def make_garden() -> Callable[..., Path]:
    """`make_garden(root, notes=None, config=GARDEN_CONFIG)`: write a corpus root."""
    return write_garden
