"""What each command does; `bot.__main__` parses the arguments and turns errors into one line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.answer import Answer
from bot.config import SettingsError, corpus_roots_from_env
from bot.engine import BUNDLED_CORPUS, Engine, QuestionError, index_dir_for
from bot.refresh import CorpusError
from bot.sites import ConfigError


def known_error(exc: BaseException) -> str | None:
    """The message for an error a user can cause, None for a bug."""
    from bot.evaluation import EvalError  # here: `ask` does not need the evaluation module

    if isinstance(exc, CorpusError | ConfigError | QuestionError | EvalError | SettingsError):
        return str(exc)
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or exc}: {exc.filename}"
    return None


def corpus_roots(args: argparse.Namespace) -> list[Path]:
    roots = args.corpus or corpus_roots_from_env() or [BUNDLED_CORPUS]
    for root in roots:
        if not root.exists():
            raise CorpusError(f"corpus folder not found: {root}")
        if not root.is_dir():
            raise CorpusError(f"corpus path is not a folder: {root}")
    return roots


def open_engine(args: argparse.Namespace, quiet: bool = False) -> tuple[Engine, object]:
    progress = None if quiet else _progress_bar()
    try:
        return Engine.open(corpus_roots(args), args.index_dir, progress)
    finally:
        if progress is not None:
            progress.close()


class _progress_bar:  # noqa: N801 - used like a function
    """A tqdm bar on stderr, shown only for gardens large enough to wait for."""

    def __init__(self, threshold: int = 500) -> None:
        self.bar = None
        self.threshold = threshold

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None and total >= self.threshold and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="note", desc="indexing", file=sys.stderr, leave=False)
        if self.bar is not None:
            self.bar.n = done
            self.bar.refresh() if done == total or done % 100 == 0 else None

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_ask(args: argparse.Namespace) -> int:
    if args.top < 1 or args.top > 50:
        raise QuestionError("--top must be between 1 and 50")
    questions = _questions(args.question)
    engine, _ = open_engine(args, quiet=args.json)
    for question in questions:
        answer = engine.ask(question, args.top)
        if args.json:
            print(json.dumps({"question": question, "hits": [h.as_json() for h in answer.hits]},
                             ensure_ascii=False))
        else:
            if args.explain:
                print("\n".join(explain_lines(engine, question)))
            print(format_answer(answer, bold=sys.stdout.isatty()))
    return 0


def _questions(words: list[str]) -> list[str]:
    if words == ["-"]:
        questions = [line.strip() for line in sys.stdin if line.strip()]
        if not questions:
            raise QuestionError("no question on standard input")
        return questions
    question = " ".join(words).strip()
    if not question:
        raise QuestionError("the question is empty: ask something, e.g. \"which MOOC takes 30 minutes?\"")
    return [question]


def format_answer(answer: Answer, bold: bool = False) -> str:
    on, off = ("\033[1m", "\033[0m") if bold else ("**", "**")
    if not answer.hits:
        lines = [f"No passage matches “{answer.question}”."]
        if answer.suggestions:
            lines.append("Did you mean: " + "; ".join(answer.suggestions))
        return "\n".join(lines)
    lines = []
    if not answer.good:
        lines.append("No good match; the closest passages:")
    for i, hit in enumerate(answer.hits, 1):
        where = f"{hit.title} › {hit.heading}" if hit.heading else hit.title
        lines.append(f"{i}. {where}{'  (draft)' if hit.draft else ''}")
        snippet = hit.snippet.replace("**", "\0")
        parts = snippet.split("\0")
        lines.append("   " + "".join(p if j % 2 == 0 else on + p + off for j, p in enumerate(parts)))
        lines.append(f"   {hit.url or hit.path}")
        for text, url in hit.links[:8]:
            lines.append(f"   - {text}: {url}" if text != url else f"   - {url}")
    if not answer.good and answer.suggestions:
        lines.append("Did you mean: " + "; ".join(answer.suggestions))
    return "\n".join(lines)


def explain_lines(engine: Engine, question: str) -> list[str]:
    understood = engine.searcher.understand(question)
    lines = [f"question: {question}"]
    if understood.language:
        lines.append(f"language: {understood.language}")
    for concept in understood.concepts:
        alts = ", ".join(
            f"{a.shown or ' '.join(a.terms)}→{'+'.join(a.terms)} ({a.why}"
            + (f" ×{a.weight:.2f}" if a.weight != 1.0 else "") + ")"
            for a in concept.alternatives)
        name = " [name: the note's more than the passage's]" if concept.named else ""
        lines.append(f"  {concept.surface}: {alts}{name}")
    for label, values in (("phrases", understood.phrases), ("excluded", understood.excluded),
                          ("tags", understood.tags), ("notes", understood.notes)):
        if values:
            lines.append(f"{label}: " + "; ".join(values))
    return lines


def cmd_index(args: argparse.Namespace) -> int:
    roots = corpus_roots(args)
    engine, report = open_engine(args)
    if report is None:
        print(f"index is up to date: {engine.index_dir}")
        files = engine.files
        print(f"notes: {files.meta['notes']}, passages: {files.meta['passages']}, "
              f"terms: {files.meta['terms']}")
        problems = files.report.get("problems", [])
    else:
        print(f"indexed {', '.join(str(r) for r in roots)} into {engine.index_dir}")
        print("\n".join(report.summary_lines()))
        problems = [p.as_dict() for p in report.problems]
    for p in problems:
        print(f"  {'skipped' if p['skipped'] else 'repaired'}: {Path(p['corpus']).name}/{p['path']}: "
              f"{p['reason']}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation import EvalError, baseline_asker, check_corpora, evaluate, load_questions, report_lines

    questions = load_questions(args.questions)
    if args.lang:
        questions = [q for q in questions if q.lang == args.lang]
        if not questions:
            raise EvalError(f"{args.questions}: no question has lang: {args.lang}")
    roots = corpus_roots(args)
    missing = check_corpora(questions, roots)
    if missing:
        print(f"warning: no --corpus folder is named {', '.join(missing)}: those questions will miss",
              file=sys.stderr)
    engine, _ = open_engine(args, quiet=True)
    if args.plain:  # the words as analysed, nothing added: what question understanding adds
        engine.searcher.expander = None
    names = [str(r) for r in engine.roots]

    def ask(question: str) -> list[dict]:
        return [h.as_json() for h in engine.ask(question, 5).hits]

    print("\n".join(report_lines(evaluate(questions, ask, names))))
    if args.baseline:
        print()
        base = evaluate(questions, baseline_asker(engine.files), names)
        print("\n".join(report_lines(base, "plain rank-bm25 on lowercase words")))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bot.bench import run_bench

    return run_bench(args)


def cmd_feedback(args: argparse.Namespace) -> int:
    from bot.feedback import feedback_path, summary_lines

    roots = corpus_roots(args)
    path = feedback_path(index_dir_for([r.resolve() for r in roots], args.index_dir))
    print("\n".join(summary_lines(path, args.top)))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.discord.runner import run_bot

    return run_bot(args)
