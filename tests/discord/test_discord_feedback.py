"""bot.feedback: votes as JSON lines next to the index, the answer log, the moderators' summary."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.engine import index_dir_for
from bot.feedback import (
    AnswerLog,
    answer_key,
    answers_path,
    feedback_path,
    read_records,
    record_vote,
    summary_lines,
)


def test_feedback_lives_next_to_the_index(tmp_path: Path) -> None:
    assert feedback_path(tmp_path / "idx") == tmp_path / "idx" / "feedback.jsonl"
    assert answers_path(feedback_path(tmp_path)) == tmp_path / "answers.jsonl"


def test_votes_are_appended_and_a_broken_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"
    record_vote(path, "which MOOC?", ["c/a.md#MOOC"], "down", when=1.0)
    with open(path, "a", encoding="utf-8") as out:
        out.write('{"question": "half a reco\n\n')
    record_vote(path, "which MOOC?", ["c/a.md#MOOC"], "up", when=2.0)
    records = list(read_records(path))
    assert [r["vote"] for r in records] == ["down", "up"]
    assert records[0] == {"time": 1.0, "question": "which MOOC?", "passages": ["c/a.md#MOOC"],
                          "vote": "down"}
    with pytest.raises(ValueError):
        record_vote(path, "q", [], "meh")


def test_concurrent_votes_do_not_mix_lines(tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"

    def vote(n: int) -> None:
        for i in range(50):
            record_vote(path, f"question {n} " + "long " * 200, [f"p{i}"], "up")

    threads = [threading.Thread(target=vote, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 400 and all(json.loads(line)["vote"] == "up" for line in lines)


def test_answer_log_finds_keys_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "answers.jsonl"
    key = AnswerLog(path).remember("Which MOOC?", ["c/a.md#MOOC"], good=True)
    assert key == answer_key("which  mooc?", ["c/a.md#MOOC"]) and len(key) == 12
    assert AnswerLog(path).remember("Which MOOC?", ["c/a.md#MOOC"]) == key
    fresh = AnswerLog(path)  # a new process: reads the file on the first look-up
    assert fresh.find(key)["question"] == "Which MOOC?"
    assert fresh.find("0" * 12) is None
    assert len(path.read_text(encoding="utf-8").splitlines()) == 1


def test_answer_log_rotates_and_keeps_only_recent_records_in_memory(tmp_path: Path) -> None:
    """A bot that answers for months: answers.jsonl is rotated when full (one older file kept),
    memory holds only the recent records, and a vote on an older answer still finds it."""
    path = tmp_path / "answers.jsonl"
    log = AnswerLog(path, max_bytes=2_000, in_memory=5)
    keys = [log.remember(f"question {i}?", [f"c/{i}.md"]) for i in range(100)]
    rotated = tmp_path / "answers.1.jsonl"
    assert rotated.is_file() and path.stat().st_size < 2_000 + 200
    assert len(log._recent) == 5
    on_disk = {json.loads(line)["key"] for f in (path, rotated) for line in f.read_text().splitlines()}
    assert keys[-1] in on_disk and keys[0] not in on_disk  # the oldest file was dropped
    older = next(k for k in keys if k in on_disk and k not in log._recent)
    assert log.find(older)["question"] == f"question {keys.index(older)}?"  # read back from disk
    assert log.find(keys[0]) is None
    assert log.remember("question 99?", ["c/99.md"]) == keys[-1]  # known: not written twice
    assert sum(line.count(keys[-1]) for line in path.read_text().splitlines()) == 1
    fresh = AnswerLog(path, max_bytes=2_000, in_memory=5)  # after a restart
    assert fresh.find(older) is not None and fresh.find(keys[0]) is None
    # the summary reads both files
    AnswerLog(path).remember("unanswered?", [], good=False)
    assert summary_lines(tmp_path / "feedback.jsonl")[-1] == "  unanswered?"


def test_summary_lists_totals_the_most_voted_down_and_unanswered(tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"
    assert summary_lines(path) == [f"no votes yet ({path})"]
    for vote in ("down", "down", "up"):
        record_vote(path, "Which MOOC takes 30 minutes?", ["c/a.md#MOOC"], vote)
    record_vote(path, "which mooc takes 30 minutes?", ["c/a.md#MOOC"], "down")
    record_vote(path, "compost?", ["c/b.md"], "down")
    record_vote(path, "semis?", ["c/c.md"], "up")
    AnswerLog(answers_path(path)).remember("how to bake bread?", [], good=False)
    lines = summary_lines(path, top=5)
    assert lines[0].startswith("6 vote(s): 2 👍, 4 👎")
    todo = lines.index("most voted down (to do for moderators, top 5):")
    assert lines[todo + 1] == "  3 👎 1 👍  Which MOOC takes 30 minutes?"
    assert lines[todo + 2].strip() == "c/a.md#MOOC"
    assert "  1 👎 0 👍  compost?" in lines
    assert not any("semis" in line for line in lines)
    assert lines[-2:] == ["questions with no good answer (1):", "  how to bake bread?"]


def test_notesbot_feedback_prints_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture,
                                              make_garden) -> None:
    root = make_garden(tmp_path / "jardin")
    index_root = tmp_path / "indexes"
    path = feedback_path(index_dir_for([root.resolve()], index_root))
    record_vote(path, "compost?", ["jardin/compost.md"], "down")
    assert main(["feedback", "--corpus", str(root), "--index-dir", str(index_root)]) == 0
    out = capsys.readouterr().out
    assert "1 vote(s): 0 👍, 1 👎" in out and "compost?" in out
