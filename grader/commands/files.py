"""Commands that handle the learner's files: ``reset``, ``init`` and ``solution``.

None of them ever deletes learner work: ``reset`` keeps the learner's version as a backup next to the
stub, ``init`` refuses a folder that already holds exercises, ``solution`` only reads. Pristine stubs are
generated from the kit's reference solutions (:mod:`grader.stubs`), never copied from git.
"""

from __future__ import annotations

import difflib
import shutil
import time
from pathlib import Path

import click

from grader.cli_common import complete_exercise_names, echo, exercise_named, style
from grader.roadmap import KIT_ROOT, load_roadmap
from grader.workspace import find_workspace

SOLUTIONS_DIR = KIT_ROOT / "solutions"

WORKSPACE_README = """\
# My ml-from-scratch workspace

Each file in `exercises/` is a stub: fill in the TODOs with numpy, then grade it.

    ml-grade                      the roadmap and your progress
    ml-grade watch                grade the current exercise each time you save it
    ml-grade linear_regression    grade one exercise
    ml-grade hint linear_regression
    ml-grade reset linear_regression   start an exercise again (your version is kept as a backup)

Your progress is in `.ml-grade/`. Updating the kit never touches this folder.
"""


def pristine_stub(name: str) -> str:
    """The stub of exercise ``name``, generated from the kit's reference solution."""
    from grader.stubs import stub_for

    return stub_for(SOLUTIONS_DIR / load_roadmap().get(name).file)


def backup_path(path: Path) -> Path:
    """A name next to ``path`` that no file has: ``name.backup-<time>.py`` (then ``-2``, ``-3``, ...)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}.backup-{stamp}-{number}{path.suffix}")
    return candidate


@click.command()
@click.argument("name", shell_complete=complete_exercise_names)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def reset(name: str, yes: bool) -> None:
    """Start exercise NAME again from the pristine stub; your version is kept as a backup next to it.

    \b
    ml-grade reset linear_regression
    ml-grade reset linear_regression --yes     # no question asked
    """
    exercise = exercise_named(name)
    workspace = find_workspace()
    path = workspace.exercises_dir / exercise.file
    stub = pristine_stub(exercise.name)
    if path.is_file() and path.read_text(encoding="utf-8", errors="replace") == stub:
        echo(f"{path} is already the pristine stub: nothing to do.")
        return
    if path.exists() and not yes:
        click.confirm(f"Replace {path} with the pristine stub? Your version will be kept as a backup", abort=True)
    backup = None
    if path.exists():
        backup = backup_path(path)
        shutil.copy2(path, backup)  # a copy first: the learner's file is never gone, even for an instant
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(stub, encoding="utf-8")
    if backup is not None:
        echo(f"Your version is kept in {backup}.")
    echo(f"{path} is the pristine stub again. Your progress record is unchanged.")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Make a fresh workspace in DIRECTORY: every stub, a short README and an empty progress record.

    Your work then stays apart from the kit: updating the kit never touches it. Every ml-grade command
    works inside it (it is found like git finds a repository).

    \b
    ml-grade init ~/ml-work
    cd ~/ml-work && ml-grade
    """
    from grader.progress import Progress, save_progress
    from grader.workspace import Workspace

    directory = directory.expanduser().resolve()
    workspace = Workspace(directory)
    if workspace.exercises_dir.exists() and any(workspace.exercises_dir.rglob("*.py")):
        raise click.UsageError(f"{workspace.exercises_dir} already holds exercises: nothing was changed "
                               "(ml-grade reset NAME restores one stub)")
    for exercise in load_roadmap().exercises:
        target = workspace.exercises_dir / exercise.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(pristine_stub(exercise.name), encoding="utf-8")
    for name, text in (("README.md", WORKSPACE_README), (".gitignore", ".ml-grade/\n")):
        if not (directory / name).exists():
            (directory / name).write_text(text, encoding="utf-8")
    if not workspace.progress_file.exists():
        save_progress(Progress(workspace.progress_file))
    echo(f"A new workspace is ready in {directory}:")
    echo(f"  {len(load_roadmap().exercises)} exercises in {workspace.exercises_dir}, and an empty progress record.")
    echo(f"Next: cd {directory} && ml-grade")


@click.command()
@click.argument("name", shell_complete=complete_exercise_names)
@click.option("--force", is_flag=True, help="Show it although the exercise is not passed yet (asks first).")
@click.option("--yes", "-y", is_flag=True, help="With --force: do not ask for confirmation.")
@click.option("--side-by-side", "layout", flag_value="side", help="Your file and the reference next to each other.")
@click.option("--diff", "layout", flag_value="diff", help="A unified diff from your file to the reference.")
def solution(name: str, force: bool, yes: bool, layout: str | None) -> None:
    """Show the reference solution of NAME, once you have passed it (or with --force).

    \b
    ml-grade solution linear_regression              with line numbers
    ml-grade solution linear_regression --diff       what differs from your file
    ml-grade solution linear_regression --side-by-side
    ml-grade solution kmeans --force                 before passing (asks first)
    """
    from grader.cli_common import load_progress_warning

    exercise = exercise_named(name)
    workspace = find_workspace()
    if not load_progress_warning(workspace).is_done(exercise.name):
        if not force:
            echo(f"{exercise.name} is not passed yet, so its solution stays hidden: try `ml-grade hint {exercise.name}`, "
                 f"or `ml-grade solution {exercise.name} --force` to see it anyway.")
            raise SystemExit(1)
        if not yes:
            click.confirm("You have not passed this exercise yet. Show the reference solution anyway?", abort=True)
    reference_path = SOLUTIONS_DIR / exercise.file
    reference = reference_path.read_text(encoding="utf-8").splitlines()
    if layout is None:
        echo(style(f"Reference solution: {reference_path}", bold=True))
        width = len(str(len(reference)))
        for number, line in enumerate(reference, start=1):
            echo(f"{number:>{width}}  {line}")
        return
    mine_path = workspace.exercises_dir / exercise.file
    mine = mine_path.read_text(encoding="utf-8", errors="replace").splitlines() if mine_path.is_file() else []
    if layout == "diff":
        lines = list(difflib.unified_diff(mine, reference, f"yours: {mine_path}", f"reference: {reference_path}", lineterm=""))
        for line in lines or ["(your file is the same as the reference)"]:
            colour = "green" if line.startswith("+") else "red" if line.startswith("-") else None
            echo(style(line, fg=colour) if colour else line)
        return
    for line in side_by_side(mine, reference, shutil.get_terminal_size((160, 24)).columns):
        echo(line)


def side_by_side(left: list[str], right: list[str], columns: int) -> list[str]:
    """Two files in columns with line numbers, aligned on what they have in common (changed rows marked |)."""
    number_width = len(str(max(len(left), len(right), 1)))
    cell = max(20, (columns - 2 * number_width - 7) // 2)
    rows = [f"{'yours':<{number_width + 1 + cell}} | reference"]
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        for offset in range(max(a1 - a0, b1 - b0)):
            i, j = a0 + offset, b0 + offset
            mine = f"{i + 1:>{number_width}} {left[i][:cell]:<{cell}}" if i < a1 else " " * (number_width + 1 + cell)
            theirs = f"{j + 1:>{number_width}} {right[j][:cell]}" if j < b1 else ""
            rows.append(f"{mine} {'|' if tag != 'equal' else ' '} {theirs}".rstrip())
    return rows
