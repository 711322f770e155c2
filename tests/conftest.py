"""Shared test fixtures: the fixture gardens, ../shared (skipped when absent), a private index folder,
and `python -m bot` in a subprocess.

Helpers are handed out as fixtures, not imported: `from conftest import …` would pick whichever
conftest module Python imported first (tests/discord has its own).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED = REPO.parent / "shared"

NFD_TEXT = "---\ntitle: Fresque du numérique\n---\nLa fresque du numérique parle d'écoconception et de réemploi.\n"
BIG_PARAGRAPH = ("Le serveur d'hébergement consomme de l'électricité pour calculer, stocker et refroidir "
                 "les données ; la mutualisation des baies réduit cette consommation. ")


@pytest.fixture(autouse=True)
def _private_index_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes to the user's cache, or reads the user's corpus or gardens folder by accident."""
    monkeypatch.setenv("NOTESBOT_INDEX_DIR", str(tmp_path / "notesbot-index"))
    monkeypatch.delenv("NOTESBOT_CORPUS", raising=False)
    monkeypatch.delenv("NOTESBOT_GARDENS_DIR", raising=False)


@pytest.fixture
def index_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where indexes go in this test (also NOTESBOT_INDEX_DIR, for code that reads it)."""
    root = tmp_path / "indexes"
    monkeypatch.setenv("NOTESBOT_INDEX_DIR", str(root))
    return root


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared next to the repository: the real gardens and evaluation questions."""
    if not (SHARED / "corpora").is_dir():
        pytest.skip(f"{SHARED} is absent: the tests on the real gardens need it")
    return SHARED


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


def copy_fixture(name: str, dest: Path) -> Path:
    """A writable copy of tests/fixtures/<name> at dest/<name> (the folder name is the corpus name)."""
    target = dest / name
    shutil.copytree(FIXTURES / name, target, symlinks=True)
    return target


@pytest.fixture
def copy_garden() -> Callable[[str, Path], Path]:
    return copy_fixture


@pytest.fixture
def garden(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/garden: an Obsidian vault and an Eleventy site with known answers."""
    return copy_fixture("garden", tmp_path / "corpora")


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def build_hazard_garden(dest: Path) -> Path:
    """tests/fixtures/hazards plus what git should not hold: odd bytes, a big file, unreadable files."""
    root = copy_fixture("hazards", dest)
    for rel in (".obsidian/workspace.md", ".hidden.md", "node_modules/pkg/readme.md", "_site/index.md"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("# Not a note\n\nThis file must not be indexed.\n", encoding="utf-8")
    (root / "nfd.md").write_bytes(unicodedata.normalize("NFD", NFD_TEXT).encode("utf-8"))
    (root / "latin1.md").write_bytes("---\ntitle: Café\n---\nUn café équitable, s’il vous plaît.\n"
                                     .encode("cp1252"))
    sections = [f"## Fiche {i}\n\n" + "\n\n".join(BIG_PARAGRAPH * 6 for _ in range(8)) + "\n"
                for i in range(1, 10)]
    (root / "big.md").write_text("---\ntitle: Hébergement\n---\n" + "\n".join(sections), encoding="utf-8")
    (root / "missing.md").symlink_to(root / "no-such-target.md")  # unreadable, even for root
    if not running_as_root():
        locked = root / "locked.md"
        locked.write_text("---\ntitle: Locked\n---\nSecret.\n", encoding="utf-8")
        locked.chmod(0)
    return root


@pytest.fixture
def make_hazard_garden(tmp_path: Path) -> Iterator[Callable[[Path], Path]]:
    made: list[Path] = []

    def make(dest: Path) -> Path:
        made.append(build_hazard_garden(dest))
        return made[-1]

    yield make
    for root in made:
        if (root / "locked.md").exists():
            (root / "locked.md").chmod(0o644)  # so that pytest can clean tmp_path


@pytest.fixture
def hazard_garden(make_hazard_garden: Callable[[Path], Path], tmp_path: Path) -> Path:
    """Every loader hazard, each in its own file (see tests/fixtures/hazards)."""
    return make_hazard_garden(tmp_path / "corpora")


def run_cli(*args: str, index_dir: Path, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`python -m bot ARGS` in a fresh process, with its index in `index_dir`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NOTESBOT_CORPUS", "NOTESBOT_GARDENS_DIR", "NOTESBOT_INDEX_DIR")}
    env.update(NOTESBOT_INDEX_DIR=str(index_dir), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=env, input=stdin, timeout=120)


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Run `python -m bot` from an empty folder (no .env there), indexes in tmp_path/indexes."""
    work = tmp_path / "cwd"
    work.mkdir()

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return run_cli(*args, index_dir=tmp_path / "indexes", cwd=work, stdin=stdin)

    return run
