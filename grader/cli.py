"""``ml-grade``: grade an exercise, show progress, list exercises, give hints.

Thin on purpose: parse the command line, call the engine, print. numpy and pytest are imported only
when something is graded, so ``ml-grade --help`` and ``ml-grade progress`` start fast.

Exit status: 0 when every test passes (or the score reaches ``--min-score``, or the command succeeded),
1 otherwise, 2 on a usage error (an unknown exercise, a folder that does not exist).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from grader import gradescope as gradescope_bundle
from grader.cli_common import (
    can_print_unicode as _can_print_unicode,
    echo as _echo,
    exercise_named as _exercise,
    graded_root as _graded_root,
    load_progress_warning as _load_progress,
    style as _style,
    warn_if_set_aside as _warn_if_set_aside,
)
from grader.cli_common import complete_exercise_names
from grader.commands.demo import demo as demo_command
from grader.commands.files import init as init_command
from grader.commands.files import reset as reset_command
from grader.commands.files import solution as solution_command
from grader.commands.report import report as report_command
from grader.commands.watch import watch as watch_command
from grader.roadmap import UnknownExercise, load_roadmap
from grader.workspace import find_workspace


class ExerciseGroup(click.Group):
    """``ml-grade NAME ...`` is short for ``ml-grade grade NAME ...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["grade", *args]
        return super().parse_args(ctx, args)


@click.group(cls=ExerciseGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ml-from-scratch", prog_name="ml-grade")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Grade your ml-from-scratch exercises.

    \b
    ml-grade                      your progress (same as `ml-grade progress`)
    ml-grade linear_regression    grade exercises/02_supervised/linear_regression.py
    ml-grade hint linear_regression
    ml-grade watch                grade the current exercise each time you save it
    ml-grade list

    Shell completion of commands and exercise names (bash; zsh and fish alike):
    eval "$(_ML_GRADE_COMPLETE=bash_source ml-grade)"
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(progress)


@main.command()
@click.argument("name", shell_complete=complete_exercise_names)
@click.option("--dir", "directory", metavar="PATH", help="Grade this folder (laid out like exercises/) instead, e.g. --dir solutions.")
@click.option("--seed", type=int, help="Data seed: reproduces an earlier run's data.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option("-v", "--verbose", is_flag=True, help="Show the traceback of errors (your file's lines only).")
@click.option("--time-limit", type=float, default=None, metavar="SECONDS", help="Time limit per call into your code (default 10).")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, writable=True), metavar="PATH",
              help="Also write the results as JUnit XML to PATH (for CI dashboards).")
@click.option("--min-score", metavar="POINTS|PERCENT%",
              help="Exit 0 when the score reaches this (e.g. 12 or 80%) instead of only when every test passes.")
def grade(
    name: str,
    directory: str | None,
    seed: int | None,
    as_json: bool,
    verbose: bool,
    time_limit: float | None,
    junit_path: str | None,
    min_score: str | None,
) -> None:
    """Grade exercise NAME (`ml-grade grade NAME` or just `ml-grade NAME`).

    \b
    ml-grade linear_regression
    ml-grade linear_regression --seed 1234       the data of an earlier run again
    ml-grade linear_regression --dir solutions   grade another folder laid out like exercises/
    ml-grade linear_regression --json            one JSON object, for scripts
    """
    from grader import engine
    from grader.feedback import render_report
    from grader.workspace import save_last_result
    from grader.reports import junit_xml, meets_min_score, parse_min_score

    try:
        threshold = None if min_score is None else parse_min_score(min_score)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--min-score") from None
    exercise = _exercise(name)
    workspace = find_workspace()
    root = _graded_root(directory, workspace)
    if not (root / exercise.file).is_file():
        raise click.UsageError(f"there is no {exercise.file} in {root}")
    try:
        report = engine.grade(exercise.name, root, seed=seed, time_limit=time_limit)
    except engine.GradingError as exc:
        _echo(f"error: {exc}", err=True)
        sys.exit(1)
    if root == workspace.exercises_dir.resolve():
        from grader.progress import updating_progress

        with updating_progress(workspace.progress_file) as record:
            _warn_if_set_aside(record)
            record.record(exercise.name, report.score, report.max_score, report.passed, report.seed)
        save_last_result(workspace, report)
    if junit_path:
        Path(junit_path).write_text(junit_xml(report), encoding="utf-8")
    if as_json:
        _echo(json.dumps(report.to_json(), indent=2))
    else:
        for line in render_report(report, verbose=verbose, style=_style, unicode=_can_print_unicode()):
            _echo(line)
    sys.exit(0 if (meets_min_score(report, *threshold) if threshold else report.passed) else 1)


@main.command()
@click.argument("submissions_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--exercises", metavar="A,B", help="Only these exercises (default: all).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Learners graded at once.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("results.csv"), show_default=True,
              help="The CSV of scores; one JSON per learner goes to OUT's stem + '-learners/'.")
@click.option("--seed", type=int, help="Data seed for everyone (default: the previous run's, else random).")
@click.option("--summary", is_flag=True, help="Also print each exercise's pass rate and most common failing tests.")
def batch(submissions_dir: Path, exercises: str | None, jobs: int, out: Path, seed: int | None, summary: bool) -> None:
    """Grade every learner in SUBMISSIONS_DIR (one folder or zip per learner, laid out like exercises/).

    \b
    ml-grade batch submissions/ --jobs 2 --out results.csv --summary
    ml-grade batch submissions/ --exercises linear_regression,knn
    """
    from grader.batch import BatchError, run_batch, summary_lines

    names = [name.strip() for name in exercises.split(",") if name.strip()] if exercises else None
    for name in names or []:
        _exercise(name)
    counts = {"graded": 0, "reused": 0}
    bar = None  # a progress bar on a terminal; one line per learner in a log

    def done(result, reused, n_learners):
        nonlocal bar
        counts["reused" if reused else "graded"] += 1
        if sys.stderr.isatty():
            if bar is None:
                bar = click.progressbar(length=n_learners, label="grading", file=sys.stderr, show_pos=True)
            bar.update(1)
            return
        total, max_total = result.total()
        note = " (unchanged)" if reused else ""
        _echo(f"[{sum(counts.values())}/{n_learners}] {result.learner}: {total:g}/{max_total:g}{note}", err=True)

    try:
        results, used_seed = run_batch(submissions_dir, out, names, jobs=jobs, seed=seed, on_done=done)
    except BatchError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        if bar is not None:
            bar.render_finish()
    graded_names = names or load_roadmap().names()
    _echo(f"{len(results)} learners ({counts['graded']} graded, {counts['reused']} unchanged), seed {used_seed}: "
          f"scores in {out}, each test in {out.with_name(out.stem + '-learners')}/")
    if summary:
        for line in summary_lines(results, graded_names):
            _echo(line)


@main.group()
def gradescope() -> None:
    """Gradescope autograder bundles.

    \b
    ml-grade gradescope build out/ --exercises linear_regression,knn
    """


@gradescope.command(name="build")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--exercises", metavar="A,B", help="Only these exercises (default: all).")
@click.option("--visibility", type=click.Choice(gradescope_bundle.VISIBILITIES), default=gradescope_bundle.DEFAULT_VISIBILITY,
              show_default=True, help="When learners see each test's result.")
@click.option("--seed", type=int, help="One data seed for every submission (default: a random one each, recorded).")
def gradescope_build(out_dir: Path, exercises: str | None, visibility: str, seed: int | None) -> None:
    """Write OUT_DIR/autograder.zip for Gradescope's Configure Autograder page.

    \b
    ml-grade gradescope build out/ --exercises linear_regression,knn --visibility after_due_date
    """
    try:
        archive = gradescope_bundle.build_bundle(out_dir, gradescope_bundle.parse_exercise_list(exercises), visibility, seed=seed)
    except (UnknownExercise, gradescope_bundle.BundleError) as exc:
        raise click.UsageError(str(exc)) from None
    _echo(f"wrote {archive}: upload it on the assignment's Configure Autograder page")


@main.command()
@click.option("--markdown", is_flag=True, help="Print the roadmap as a Markdown checklist, to paste into notes.")
def progress(markdown: bool) -> None:
    """Show the roadmap as a checklist with your scores, and what to do next.

    \b
    ml-grade progress
    ml-grade progress --markdown > progress.md
    """
    from grader.feedback import render_progress, render_progress_markdown

    workspace = find_workspace()
    record = _load_progress(workspace)
    if markdown:
        lines = render_progress_markdown(load_roadmap(), record)
    else:
        lines = render_progress(load_roadmap(), record, style=_style, workspace=workspace.root)
    for line in lines:
        _echo(line)


@main.command(name="list")
def list_exercises() -> None:
    """List every exercise with its file.

    \b
    ml-grade list
    """
    roadmap = load_roadmap()
    workspace = find_workspace()
    record = _load_progress(workspace)
    name_width = max(len(exercise.name) for exercise in roadmap.exercises)
    title_width = max(len(exercise.title) for exercise in roadmap.exercises)
    for stage, exercises in roadmap.by_stage().items():
        _echo(_style(roadmap.stages[stage], bold=True))
        for exercise in exercises:
            done = "[x]" if record.is_done(exercise.name) else "[ ]"
            _echo(f"  {done} {exercise.name:<{name_width}}  {exercise.title:<{title_width}}  exercises/{exercise.file}")


@main.command()
@click.argument("name", shell_complete=complete_exercise_names)
@click.option("--all", "show_all", is_flag=True, help="Show every hint at once.")
def hint(name: str, show_all: bool) -> None:
    """Show the hints for NAME, one more each time you ask: from a nudge to nearly the answer.

    \b
    ml-grade hint linear_regression
    ml-grade hint linear_regression --all
    """
    from grader.feedback import render_hints
    from grader.progress import updating_progress

    exercise = _exercise(name)
    workspace = find_workspace()
    with updating_progress(workspace.progress_file) as record:
        _warn_if_set_aside(record)
        shown = len(exercise.hints) if show_all else min(record.hints_shown.get(exercise.name, 0) + 1, len(exercise.hints))
        record.hints_shown[exercise.name] = max(shown, record.hints_shown.get(exercise.name, 0))
    for line in render_hints(exercise, shown):
        _echo(line)


@main.command()
@click.argument("model_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dir", "directory", metavar="PATH", help="Use the deploy.py of this folder (laid out like exercises/), e.g. --dir solutions.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0 picks a free one).")
def serve(model_file: Path, directory: str | None, host: str, port: int) -> None:
    """Serve a model saved with your save_model through your make_app.

    \b
    ml-grade serve model.npz
    curl -s localhost:8000/health
    curl -s -X POST localhost:8000/predict -d '{"instances": [[5.1, 3.5, 1.4, 0.2]]}'
    """
    from grader.serve import ServeError, learner_app
    from grader.support.serving import serve_forever

    workspace = find_workspace()
    try:
        app = learner_app(model_file.resolve(), _graded_root(directory, workspace))
    except ServeError as exc:
        _echo(_style(f"error: {exc}", fg="red"), err=True)
        sys.exit(1)
    serve_forever(app, host=host, port=port)


for _command in (watch_command, reset_command, init_command, solution_command, demo_command, report_command):
    main.add_command(_command)


if __name__ == "__main__":
    main()
