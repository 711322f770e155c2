"""The command line in a real subprocess: ask, --json, several corpora, index, the saved index, errors."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine import BUNDLED_CORPUS, index_dir_for

QUESTION = "which MOOC takes 30 minutes?"
ACADEMIE = "https://www.academie-nr.org/"
ACADEMIE_NOTE = "https://www.museumxtd.ch/Notes/L'Acad%C3%A9mie%20Num%C3%A9rique%20Responsable/"
ACADEMIE_LINK = "INR (Institut du Numérique Responsable). Académie Numérique Responsable"
HIT_KEYS = ["path", "corpus", "title", "heading", "url", "score", "text", "links"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def test_ask_prints_title_heading_snippet_url_and_links(cli) -> None:
    result = cli("ask", QUESTION)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1. L'Académie Numérique Responsable"
    assert "**30** **minutes**" in lines[1] and "MOOC" in lines[1]
    assert lines[2].strip() == ACADEMIE_NOTE
    assert f"   - {ACADEMIE_LINK}: {ACADEMIE}" in lines
    assert "Traceback" not in result.stderr


def test_notesbot_and_python_m_bot_are_the_same(cli, tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("notesbot")
    if not script.exists():
        pytest.skip(f"no console script next to {sys.executable}")
    module = cli("ask", "--json", QUESTION)
    env = dict(os.environ, NOTESBOT_INDEX_DIR=str(tmp_path / "indexes"), PYTHONIOENCODING="utf-8")
    for name in ("NOTESBOT_CORPUS", "NOTESBOT_GARDENS_DIR"):
        env.pop(name, None)
    console = subprocess.run([str(script), "ask", "--json", QUESTION], capture_output=True, text=True,
                             encoding="utf-8", cwd=tmp_path / "cwd", env=env, timeout=120)
    assert module.returncode == console.returncode == 0, console.stderr
    assert module.stdout == console.stdout
    versions = {cli("--version").stdout,
                subprocess.run([str(script), "--version"], capture_output=True, text=True, env=env).stdout}
    assert len(versions) == 1 and versions.pop().startswith("notesbot ")


def test_ask_json_one_object_per_question(cli) -> None:
    result = cli("ask", "--json", "--top", "2", "-", stdin=f"{QUESTION}\n\nrecyclage des ordinateurs\n")
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["question"] for o in objects] == [QUESTION, "recyclage des ordinateurs"]
    first = objects[0]
    assert list(first) == ["question", "hits"] and 1 <= len(first["hits"]) <= 2
    hit = first["hits"][0]
    assert list(hit) == HIT_KEYS
    assert hit["heading"] == "" and hit["url"] == ACADEMIE_NOTE
    assert Path(hit["corpus"]) == BUNDLED_CORPUS
    assert hit["path"] == "museumxtd/Notes/L'Académie Numérique Responsable.md"
    assert {"text": ACADEMIE_LINK, "url": ACADEMIE} in hit["links"]
    assert result.stderr == ""  # no progress bar or warning mixed into JSON runs


def test_several_corpora_are_searched_together(cli, garden: Path, make_hazard_garden, tmp_path: Path) -> None:
    hazards = make_hazard_garden(tmp_path / "corpora")
    args = ["ask", "--json", "--top", "1", "--corpus", str(garden), "--corpus", str(hazards), "-"]
    result = cli(*args, stdin="atelier de réparation des grille-pain\nle reconditionnement prolonge la vie\n")
    assert result.returncode == 0, result.stderr
    firsts = [json.loads(line)["hits"][0] for line in result.stdout.splitlines()]
    assert [(Path(h["corpus"]).name, h["path"]) for h in firsts] == [
        ("garden", "vault/Brouillon/Idées.md"), ("hazards", "nunjucks.md")]
    folders = [p for p in (tmp_path / "indexes").iterdir() if p.is_dir()]
    assert folders == [index_dir_for([garden, hazards], tmp_path / "indexes")]  # one index for both


def test_index_reports_notes_passages_time_and_problems(cli, hazard_garden: Path) -> None:
    hazards = hazard_garden
    result = cli("index", "--corpus", str(hazards))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "notes: 0 -> 16, passages: 0 -> " in out
    assert "took " in out and " s\n" in out
    skipped = 3 if IS_ROOT else 4  # empty, blank, the broken symlink (and chmod 000)
    assert f"skipped {skipped} file(s), repaired 3" in out
    for line in ("  skipped: hazards/empty.md: empty file", "  skipped: hazards/blank.md: empty file",
                 "  skipped: hazards/missing.md: cannot read: No such file or directory",
                 "  repaired: hazards/latin1.md: not UTF-8", "  repaired: hazards/tab-yaml.md: front matter repaired",
                 "  repaired: hazards/broken-yaml.md: front matter unreadable"):
        assert line in out, line
    again = cli("index", "--corpus", str(hazards))
    assert again.returncode == 0 and again.stdout.startswith("index is up to date: ")
    assert "notes: 16, passages: " in again.stdout
    assert "  skipped: hazards/empty.md: empty file" in again.stdout  # the saved report is shown


def current(index_dir: Path) -> tuple[str, int]:
    path = index_dir / "CURRENT"
    return path.read_text(encoding="utf-8"), path.stat().st_mtime_ns


def test_ask_reuses_a_fresh_index_and_rebuilds_when_a_note_changes(cli, garden: Path, tmp_path: Path) -> None:
    index_dir = index_dir_for([garden], tmp_path / "indexes")
    question = ["ask", "--json", "--corpus", str(garden), "quel est le poids de la page"]
    first = cli(*question)
    assert first.returncode == 0, first.stderr
    built = current(index_dir)
    second = cli(*question)
    assert second.returncode == 0 and second.stdout == first.stdout
    assert current(index_dir) == built  # not rebuilt
    note = garden / "vault" / "Notes" / "Fiche Écoindex.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nLe score va de A à G selon le poids de la page.\n",
                    encoding="utf-8")
    third = cli(*question)
    assert third.returncode == 0, third.stderr
    assert current(index_dir)[0] != built[0]  # a new version
    assert "Le score va de A à G" in json.loads(third.stdout)["hits"][0]["text"]


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


def test_the_index_never_goes_inside_a_read_only_corpus(cli, garden: Path, tmp_path: Path) -> None:
    before = snapshot(garden)
    folders = [garden, *(p for p in garden.rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(folder.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        for args in (["index"], ["ask", "MOOC 30 minutes"], ["ask", "--json", "réemploi"]):
            result = cli(*args, "--corpus", str(garden))
            assert result.returncode == 0, result.stderr
    finally:
        for folder in folders:
            folder.chmod(folder.stat().st_mode | stat.S_IWUSR)
    assert snapshot(garden) == before  # as root the chmod does not stop writes: nothing was written
    index_dir = index_dir_for([garden], tmp_path / "indexes")
    assert (index_dir / "CURRENT").is_file()
    assert garden.resolve() not in index_dir.resolve().parents


@pytest.mark.parametrize("case", ["empty question", "blank question", "missing corpus", "no notes",
                                  "file not folder", "only unusable notes", "bad corpus config",
                                  "bad questions yaml", "questions not a list", "missing questions file",
                                  "top out of range", "empty stdin"])
def test_bad_input_is_one_line_on_stderr(cli, tmp_path: Path, case: str) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not markdown\n", encoding="utf-8")
    afile = tmp_path / "file.md"
    afile.write_text("# A note, not a folder\n", encoding="utf-8")
    unusable = tmp_path / "unusable"
    unusable.mkdir()
    (unusable / "empty.md").write_text("", encoding="utf-8")
    badconf = tmp_path / "badconf"
    badconf.mkdir()
    (badconf / "a.md").write_text("# A\n", encoding="utf-8")
    (badconf / "notesbot.yaml").write_text("sites:\n  - anchors: {style: kebab}\n", encoding="utf-8")
    badq = tmp_path / "bad.yaml"
    badq.write_text("- q: [unclosed\n", encoding="utf-8")
    notlist = tmp_path / "notlist.yaml"
    notlist.write_text("q: one question\nexpect: corpus/a/b.md\n", encoding="utf-8")
    args, stdin, message = {
        "empty question": (["ask", ""], None, "the question is empty"),
        "blank question": (["ask", "  ", "\t"], None, "the question is empty"),
        "missing corpus": (["ask", "--corpus", str(tmp_path / "nope"), "x"], None, "corpus folder not found"),
        "no notes": (["index", "--corpus", str(empty)], None, "no notes (*.md) found"),
        "file not folder": (["ask", "--corpus", str(afile), "x"], None, "not a folder"),
        "only unusable notes": (["ask", "--corpus", str(unusable), "x"], None, "no note could be loaded"),
        "bad corpus config": (["ask", "--corpus", str(badconf), "x"], None, "unknown anchor style"),
        "bad questions yaml": (["eval", str(badq)], None, "is not valid YAML"),
        "questions not a list": (["eval", str(notlist)], None, "expected a non-empty YAML list"),
        "missing questions file": (["eval", str(tmp_path / "none.yaml")], None, "cannot read"),
        "top out of range": (["ask", "--top", "0", "x"], None, "--top must be between 1 and 50"),
        "empty stdin": (["ask", "-"], "\n\n", "no question on standard input"),
    }[case]
    result = cli(*args, stdin=stdin)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("notesbot: error: "), result.stderr
    assert message in result.stderr
    assert result.stdout == ""
