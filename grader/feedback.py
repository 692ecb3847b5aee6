"""Turn grading results and progress into text a beginner can act on.

Pure functions from plain data to lines of text; styling (colour) is applied by the caller through
the ``style`` callable, so this module does no I/O.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Callable

from grader.engine import GradeReport
from grader.progress import Progress
from grader.roadmap import Exercise, Roadmap

Style = Callable[..., str]


def plain(text: str, **_: object) -> str:
    return text


def points(value: float) -> str:
    return f"{value:g}"


def display_path(path: Path) -> str:
    """``path`` relative to the current directory when it is below it, else as it is."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    except ValueError:
        return str(path)


SYMBOLS_UNICODE = {"passed": "✔", "failed": "✘", "error": "✘", "timeout": "⏱", "not_started": "·"}
SYMBOLS_ASCII = {"passed": "ok", "failed": "X", "error": "X", "timeout": "T", "not_started": "-"}
COLOURS = {"passed": "green", "failed": "red", "error": "red", "timeout": "red", "not_started": "yellow"}


def _indented(text: str, prefix: str, width: int = 100) -> list[str]:
    lines = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(paragraph, width, initial_indent=prefix, subsequent_indent=prefix,
                          break_long_words=False, break_on_hyphens=False)
            or [prefix]
        )
    return lines


def _shared_import_failure(report: GradeReport) -> str:
    """The one message every test failed with, when the learner's file could not be imported."""
    messages = {test.message for test in report.tests}
    if len(messages) == 1 and all(test.status == "error" for test in report.tests):
        message = messages.pop()
        if message.startswith("importing "):
            return message
    return ""


def render_report(report: GradeReport, verbose: bool = False, style: Style = plain, unicode: bool = True) -> list[str]:
    symbols = SYMBOLS_UNICODE if unicode else SYMBOLS_ASCII
    file = display_path(report.file)
    score = f"{points(report.score)}/{points(report.max_score)}"
    waiting_on = sorted({test.waits_for for test in report.tests if test.status == "not_started" and test.waits_for})
    if report.not_started and not waiting_on:
        return [
            style(f"{report.exercise}: not started", fg="yellow", bold=True) + f" — {score}.",
            f"  Open {file} and fill in the TODOs; stuck? ml-grade hint {report.exercise}",
        ]
    lines = [style(f"{report.title}", bold=True) + f"  ({file})"]
    import_failure = _shared_import_failure(report)
    if import_failure:
        where = report.tests[0].where
        lines += _indented(f"Your file could not be imported: {import_failure}", "  ")
        if where:
            lines.append(f"    at {where}")
        if verbose and report.tests[0].traceback:
            lines += ["    " + line for line in report.tests[0].traceback.rstrip().splitlines()]
    else:
        for test in report.tests:
            mark = style(symbols[test.status], fg=COLOURS[test.status], bold=True)
            test_points = f"{points(test.score)}/{points(test.max_score)}"
            suffix = "  (not started)" if test.status == "not_started" else ""
            lines.append(f"  {mark} {test_points:>5}  {test.description}{suffix}")
            if test.status in ("passed", "not_started"):
                continue
            lines += [style(line, fg="red") for line in _indented(test.message, "          ")]
            if test.where:
                lines.append(f"          at {test.where}")
            if test.printed:
                shown = test.printed.rstrip().splitlines()
                lines.append("          your code printed: " + (shown[0] if shown else ""))
                lines += ["            " + line for line in shown[1:8]]
                if len(shown) > 8:
                    lines.append(f"            ... ({len(shown) - 8} more lines)")
            if verbose and test.traceback:
                lines += ["          " + line for line in test.traceback.rstrip().splitlines()]
    for stub in waiting_on:  # "fit() in decision_tree.py"
        lines += _indented(f"Not started because your code calls {stub}, which is not implemented yet: "
                           f"finish that exercise first (ml-grade {Path(stub.split(' in ')[-1]).stem}).", "  ")
    failing = sum(test.status in ("failed", "error", "timeout") for test in report.tests)
    waiting = sum(test.status == "not_started" for test in report.tests)
    if report.passed:
        lines.append(style(f"Score {score}: {report.exercise} passes every test.", fg="green", bold=True))
    else:
        parts = [f"{failing} failing"] if failing else []
        parts += [f"{waiting} not started"] if waiting else []
        lines.append(style(f"Score {score}", bold=True) + f" — {', '.join(parts)}. Data seed {report.seed}: "
                     f"ml-grade {report.exercise} --seed {report.seed} reproduces this run.")
    return lines


def render_progress(roadmap: Roadmap, progress: Progress, style: Style = plain, workspace: Path | None = None) -> list[str]:
    lines = [style("ml-from-scratch: your progress", bold=True) + (f"  ({workspace})" if workspace else "")]
    width = max(len(exercise.title) for exercise in roadmap.exercises) + 2
    for stage, exercises in roadmap.by_stage().items():
        lines.append(style(roadmap.stages[stage], bold=True))
        for exercise in exercises:
            entry = progress.entry(exercise.name)
            done = progress.is_done(exercise.name)
            box = style("[x]", fg="green") if done else "[ ]"
            score = f"{points(entry['score'])}/{points(entry['max_score'])}" if entry else "-"
            lines.append(f"  {box} {exercise.title:<{width}} {score:>7}   {exercise.name}")
    done = sum(progress.is_done(exercise.name) for exercise in roadmap.exercises)
    total = len(roadmap.exercises)
    lines.append(f"Overall: {done}/{total} exercises done ({100 * done / total:.0f}%)")
    upcoming = next_exercise(roadmap, progress)
    if upcoming is None:
        lines.append(style("Every exercise on the roadmap is done.", fg="green", bold=True))
    else:
        lines.append(f"Next: ml-grade {upcoming.name}   (exercises/{upcoming.file})")
    return lines


def render_progress_markdown(roadmap: Roadmap, progress: Progress) -> list[str]:
    """The roadmap as a Markdown checklist: a heading per stage, ``- [x]`` for each exercise done."""
    done = sum(progress.is_done(exercise.name) for exercise in roadmap.exercises)
    lines = ["# ml-from-scratch progress", "", f"{done}/{len(roadmap.exercises)} exercises done."]
    for stage, exercises in roadmap.by_stage().items():
        lines += ["", f"## {roadmap.stages[stage]}", ""]
        for exercise in exercises:
            entry = progress.entry(exercise.name)
            box = "x" if progress.is_done(exercise.name) else " "
            score = f" — {points(entry['score'])}/{points(entry['max_score'])}" if entry else ""
            lines.append(f"- [{box}] {exercise.title} (`{exercise.name}`){score}")
    return lines


def next_exercise(roadmap: Roadmap, progress: Progress) -> Exercise | None:
    return next((exercise for exercise in roadmap.exercises if not progress.is_done(exercise.name)), None)


def render_hints(exercise: Exercise, shown: int) -> list[str]:
    lines = [f"Hints for {exercise.title} ({shown} of {len(exercise.hints)}):"]
    for number, hint in enumerate(exercise.hints[:shown], start=1):
        lines += _indented(f"{number}. {hint}", "  ")
    if shown < len(exercise.hints):
        lines.append(f"Run `ml-grade hint {exercise.name}` again for the next one.")
    else:
        lines.append("That is every hint for this exercise.")
    return lines
