"""Settings: `.env` is found in the current folder or a parent, and never overrides the environment."""

from pathlib import Path

import pytest

from bot.config import load_dotenv_file


def test_dotenv_is_found_in_a_parent_folder_and_the_environment_wins(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("NOTESBOT_TEST_A=from-file\nNOTESBOT_TEST_B=from-file\n", encoding="utf-8")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    monkeypatch.chdir(inner)
    monkeypatch.setenv("NOTESBOT_TEST_B", "from-env")
    monkeypatch.delenv("NOTESBOT_TEST_A", raising=False)
    assert load_dotenv_file() == tmp_path / ".env"
    import os

    assert os.environ["NOTESBOT_TEST_A"] == "from-file"
    assert os.environ["NOTESBOT_TEST_B"] == "from-env"
    monkeypatch.delenv("NOTESBOT_TEST_A")


def test_no_dotenv_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    if any((d / ".env").is_file() for d in (tmp_path, *tmp_path.parents)):
        pytest.skip("a .env above the temporary folder")
    assert load_dotenv_file() is None
