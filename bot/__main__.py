"""The command line: ask, index, eval, bench, feedback and run (the Discord bot)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from bot import __version__

# numpy's OpenBLAS starts a thread per core when numpy is imported, which costs a restart tens of
# milliseconds; notesbot multiplies no matrices.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="notesbot", description=(
        "Answer questions from a Markdown notes garden. Default corpus: $NOTESBOT_CORPUS or the "
        "bundled sample in corpus/."))
    parser.add_argument("--version", action="version", version=f"notesbot {__version__}")
    parser.add_argument("--debug", action="store_true", help="log details and show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def corpus_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--corpus", action="append", type=Path, metavar="DIR",
                       help="a notes folder (repeat to search several together)")
        p.add_argument("--index-dir", type=Path, metavar="DIR",
                       help="where indexes are kept (default: $NOTESBOT_INDEX_DIR or the user cache)")

    ask = sub.add_parser("ask", help="answer a question from the notes")
    corpus_args(ask)
    ask.add_argument("--top", type=int, default=3, metavar="K", help="how many passages (default 3)")
    ask.add_argument("--json", action="store_true", help="one JSON object per question per line")
    ask.add_argument("--explain", action="store_true", help="show how the question was understood")
    ask.add_argument("question", nargs="+", metavar="QUESTION",
                     help="the question; '-' reads one question per line from standard input")

    index = sub.add_parser("index", help="build and save the index, report skipped files")
    corpus_args(index)

    ev = sub.add_parser("eval", help="measure retrieval on a YAML file of questions")
    corpus_args(ev)
    ev.add_argument("questions", type=Path, metavar="QUESTIONS.yaml")
    ev.add_argument("--baseline", action="store_true",
                    help="also score plain rank-bm25 on lowercase words, for comparison")
    ev.add_argument("--lang", metavar="LANG", help="only the questions whose lang is LANG (fr, en)")
    ev.add_argument("--plain", action="store_true",
                    help="without question understanding (no translation, synonyms, typos, cues)")

    bench = sub.add_parser("bench", help="measure build, restart, memory and query speed")
    corpus_args(bench)
    bench.add_argument("--notes", type=int, default=None, help="synthetic garden size in notes")
    bench.add_argument("--passages", type=int, default=None, help="synthetic garden size in passages")
    bench.add_argument("--queries", type=int, default=200, help="questions to time (default 200)")
    bench.add_argument("--seed", type=int, default=7)

    fb = sub.add_parser("feedback", help="summarise the 👍/👎 votes given on Discord")
    corpus_args(fb)
    fb.add_argument("--top", type=int, default=10, metavar="N")

    run = sub.add_parser("run", help="run the Discord bot (settings from .env)")
    corpus_args(run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from bot.config import load_dotenv_file

    load_dotenv_file()
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `notesbot ask ... | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0
    except Exception as exc:  # noqa: BLE001 - the edge: known errors become one line
        from bot.cli import known_error

        message = known_error(exc)
        if message is None:
            if args.debug:
                raise
            print(f"notesbot: internal error: {type(exc).__name__}: {exc} (run with --debug for "
                  "details)", file=sys.stderr)
            return 1
        print(f"notesbot: error: {message}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    from bot import cli

    handler = getattr(cli, f"cmd_{args.command}")
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
