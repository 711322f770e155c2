"""The freshness stamp: a saved index is used while its notes are unchanged."""

import os
from pathlib import Path

import pytest

from bot import freshness
from bot.engine import Engine


def test_the_saved_index_is_used_until_a_note_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "garden"
    for folder in ("a", "b", "c"):
        (root / folder).mkdir(parents=True)
        for i in range(3):
            (root / folder / f"n{i}.md").write_text(f"# Note {folder}{i}\nTexte {folder} {i}.\n", encoding="utf-8")
    # Folders modified in the last seconds before a build are not trusted by the stamp: age them.
    for path in [root, *root.rglob("*")]:
        os.utime(path, (1_600_000_000, 1_600_000_000))
    first, report = Engine.open([root], tmp_path / "index")
    first.close()
    assert report is not None
    checked: list[bool] = []
    real = freshness.unchanged

    def counting(stamp, roots):
        checked.append(real(stamp, roots))
        return checked[-1]

    monkeypatch.setattr(freshness, "unchanged", counting)
    again, report = Engine.open([root], tmp_path / "index")
    again.close()
    assert report is None  # fresh: nothing rebuilt
    assert checked == [True]  # the stamp said so, without the full listing
    note = root / "c" / "n2.md"
    note.write_text("# Note c2\nUn texte modifié, plus long.\n", encoding="utf-8")
    changed, report = Engine.open([root], tmp_path / "index")
    changed.close()
    assert report is not None and report.changed == ["garden/c/n2.md"]
