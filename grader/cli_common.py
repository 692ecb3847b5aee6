"""What every ``ml-grade`` command shares: printing (colour only where the terminal wants it), finding an
exercise by name, the graded folder and the progress record with its warning."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from grader.roadmap import KIT_ROOT, UnknownExercise, load_roadmap


def echo(text: str = "", err: bool = False) -> None:
    click.echo(text, err=err, color=False if os.environ.get("NO_COLOR") else None)


def style(text: str, **styles: object) -> str:
    return click.style(text, **styles)


def can_print_unicode() -> bool:
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "✔✘⏱·".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def exercise_named(name: str):
    try:
        return load_roadmap().get(name)
    except UnknownExercise as exc:
        raise click.UsageError(f"{exc} (`ml-grade list` shows every exercise)") from None


def graded_root(directory: str | None, workspace) -> Path:
    if directory is None:
        return workspace.exercises_dir
    for candidate in (Path(directory), workspace.root / directory, KIT_ROOT / directory):
        if candidate.is_dir():
            return candidate.resolve()
    raise click.UsageError(f"--dir {directory}: no such folder")


def warn_if_set_aside(record) -> None:
    if record.warning:
        echo(style(f"warning: {record.warning}", fg="yellow"), err=True)


def load_progress_warning(workspace):
    from grader.progress import load_progress

    record = load_progress(workspace.progress_file)
    warn_if_set_aside(record)
    return record




def complete_exercise_names(ctx, param, incomplete: str):
    """Shell completion of exercise names (click's ``shell_complete`` for NAME arguments)."""
    from click.shell_completion import CompletionItem

    return [
        CompletionItem(exercise.name, help=exercise.title)
        for exercise in load_roadmap().exercises
        if exercise.name.startswith(incomplete)
    ]
