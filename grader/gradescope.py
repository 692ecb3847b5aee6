"""Gradescope: build an autograder bundle, and grade one submission inside Gradescope's container.

``build_bundle(out_dir)`` writes ``out_dir/autograder/`` and ``out_dir/autograder.zip`` (the file to upload
on Gradescope's "Configure Autograder" page). The zip holds, at its root:

``setup.sh``        run once, as root, when Gradescope builds the image: installs Python and the kit
``run_autograder``  run for every submission: grades it and writes ``/autograder/results/results.json``
``config.json``     the exercises to grade, the visibility of their tests, and the data seed (or none)
``kit/``            the part of the kit grading needs: ``grader/`` (with the hidden suites), ``datasets/``,
                    ``pyproject.toml``, ``README.md``, ``LICENSE``; never ``solutions/``, ``tests/`` or ``exercises/``

Gradescope unzips the bundle into ``/autograder/source`` and puts the learner's upload in
``/autograder/submission``. ``run(root)`` (``python -m grader.gradescope run --root /autograder``) finds each
exercise's file there by its name (``linear_regression.py``, loose or anywhere in an ``exercises/`` tree),
lays the files out like ``exercises/`` in a temporary folder (so an exercise can import an earlier one by its
bare name), grades each configured exercise with :func:`grader.engine.grade` and writes results.json in
Gradescope's documented format (https://gradescope-autograders.readthedocs.io/en/latest/specs/): one test per
suite test, numbered ``<exercise>.<test>``, with the configured visibility, and a top-level output. Whatever
goes wrong, a valid results.json is written that says what happened; what only instructors should see (each
exercise's full report, tracebacks) goes to standard output, which Gradescope shows to instructors only.

To try a bundle without Gradescope: unzip it into ``ROOT/source``, put files in ``ROOT/submission`` and run
``ML_GRADE_AUTOGRADER_ROOT=ROOT ML_GRADE_PYTHON=$(which python) ROOT/source/run_autograder`` with a Python
that has the kit installed; the results are in ``ROOT/results/results.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import shutil
import stat
import sys
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass
from pathlib import Path

from grader.engine import suite_tests
from grader.feedback import points
from grader.files import write_atomically
from grader.roadmap import GRADER_DIR, KIT_ROOT, load_roadmap

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
DEFAULT_VISIBILITY = "after_published"
DEFAULT_ROOT = Path("/autograder")
BUNDLE_DIR = "autograder"  # out_dir/autograder/ and out_dir/autograder.zip
ZIP_NAME = "autograder.zip"
KIT_DIR = "kit"  # the kit's copy inside the bundle: /autograder/source/kit
CONFIG_FILE = "config.json"
CONFIG_FORMAT = 1
KIT_NAME = "ml-from-scratch"
KIT_FILES = ("pyproject.toml", "README.md", "LICENSE")  # pip needs pyproject.toml and the readme it names
KIT_TREES = ("grader", "datasets")  # datasets/ next to grader/: grader/support/datasets.py finds it there
SKIPPED_NAMES = ("__pycache__", "*.pyc", "*.pyo", ".DS_Store")
SKIPPED_SUBMISSION_DIRS = ("__pycache__", "__MACOSX", ".git", ".ipynb_checkpoints", "node_modules")

_WHEN_SHOWN = {
    "hidden": "to your instructor only",
    "after_due_date": "after the due date",
    "after_published": "when your instructor publishes the grades",
    "visible": "right away",
}

SETUP_SH = """\
#!/usr/bin/env bash
# ml-from-scratch autograder: Gradescope runs this once, as root, when it builds the autograder image
# (the bundle is unzipped into /autograder/source). It installs Python and the kit into /autograder/venv.
# The kit is installed in editable mode on purpose: the grader finds its hidden suites and datasets/ next
# to its own files, in /autograder/source/kit.
set -euxo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "ml-from-scratch needs Python 3.10 or newer, this image has " + sys.version.split()[0] + ": choose a newer base image (Ubuntu 22.04 or later)")'
python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
/autograder/venv/bin/python -m pip install -e /autograder/source/kit
chmod +x /autograder/source/run_autograder
# Fail the build now, not every submission later, if the kit or the bundle's config.json is broken.
/autograder/venv/bin/python -m grader.gradescope check --root /autograder
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# ml-from-scratch autograder: Gradescope runs this for every submission, as root, in /autograder. It grades
# the files in /autograder/submission and writes /autograder/results/results.json.
#
# To test the bundle without Gradescope, two variables stand in for Gradescope's machine:
#   ML_GRADE_AUTOGRADER_ROOT  the folder that plays /autograder (with source/ = this bundle, submission/)
#   ML_GRADE_PYTHON           a Python with the kit installed (default: /autograder/venv/bin/python,
#                             which setup.sh made)
set -uo pipefail
root="${ML_GRADE_AUTOGRADER_ROOT:-/autograder}"
python="${ML_GRADE_PYTHON:-/autograder/venv/bin/python}"
results="$root/results/results.json"
mkdir -p "$root/results"
rm -f "$results"
"$python" -m grader.gradescope run --root "$root"
status=$?
if [ ! -s "$results" ]; then
  # The grader could not even start: still give Gradescope (and the learner) a valid answer.
  cat > "$results" <<EOF
{"score": 0, "output_format": "text", "tests": [], "output": "The autograder could not run (exit status $status), so nothing was graded. This is a problem with the autograder, not with your files: please tell your instructor (the details are in the autograder's log)."}
EOF
fi
exit "$status"
"""


class BundleError(ValueError):
    """A bad request to build a bundle, or a bundle whose config.json cannot be used."""


# --- building the bundle ---------------------------------------------------------------------------------
def parse_exercise_list(text: str | None) -> list[str] | None:
    """``"a, b"`` -> ``["a", "b"]``; None or blank -> None (every exercise), for ``--exercises a,b``."""
    if text is None:
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    return names or None


def check_visibility(visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise BundleError(f"visibility must be one of {', '.join(VISIBILITIES)}; got {visibility!r}")
    return visibility


def resolve_exercises(exercises: list[str] | None) -> list[str]:
    """Exercise names in roadmap order, without duplicates; None means every exercise.

    Raises :class:`grader.roadmap.UnknownExercise` (with suggestions) for a name not on the roadmap.
    """
    roadmap = load_roadmap()
    if exercises is None:
        return roadmap.names()
    if not exercises:
        raise BundleError("no exercises to grade: name at least one (or none at all for every exercise)")
    wanted = {roadmap.get(name).name for name in exercises}
    return [name for name in roadmap.names() if name in wanted]


def _kit_version() -> str:
    try:
        from importlib.metadata import version

        return version(KIT_NAME)
    except Exception:  # not installed as a distribution (e.g. run from a source tree)
        return "unknown"


def build_bundle(
    out_dir: Path,
    exercises: list[str] | None = None,
    visibility: str = DEFAULT_VISIBILITY,
    seed: int | None = None,
) -> Path:
    """Write a Gradescope autograder into ``out_dir``; return the path of ``out_dir/autograder.zip``.

    ``out_dir/autograder/`` holds the same files unzipped. ``exercises`` (default: every exercise) are the
    exercises each submission is graded on; ``visibility`` (one of :data:`VISIBILITIES`) is given to every
    graded test; ``seed`` fixes the data seed of every run (default: a fresh random seed per submission,
    recorded in the results). Raises :class:`grader.roadmap.UnknownExercise` for an unknown exercise and
    :class:`BundleError` for a bad visibility or an ``out_dir`` that holds something else named autograder.
    """
    check_visibility(visibility)
    names = resolve_exercises(exercises)
    if seed is not None and (not isinstance(seed, int) or seed < 0):
        raise BundleError(f"the seed must be a whole number >= 0; got {seed!r}")
    out_dir = Path(out_dir).resolve()
    bundle = out_dir / BUNDLE_DIR
    archive = out_dir / ZIP_NAME
    for tree in KIT_TREES:
        if bundle == KIT_ROOT / tree or bundle.is_relative_to(KIT_ROOT / tree):
            raise BundleError(f"{out_dir} is inside the kit's {tree}/ folder, which the bundle copies: choose another folder")
    _clear_previous_bundle(bundle, archive)
    out_dir.mkdir(parents=True, exist_ok=True)
    bundle.mkdir()

    kit = bundle / KIT_DIR
    kit.mkdir()
    for name in KIT_FILES:
        if (KIT_ROOT / name).is_file():
            shutil.copy2(KIT_ROOT / name, kit / name)
    for name in KIT_TREES:
        shutil.copytree(KIT_ROOT / name, kit / name, ignore=shutil.ignore_patterns(*SKIPPED_NAMES))
    _write_script(bundle / "setup.sh", SETUP_SH)
    _write_script(bundle / "run_autograder", RUN_AUTOGRADER)
    config = {
        "kit": KIT_NAME,
        "format": CONFIG_FORMAT,
        "kit_version": _kit_version(),
        "exercises": names,
        "visibility": visibility,
        "seed": seed,
    }
    (bundle / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    _zip_folder(bundle, archive)
    return archive


def _clear_previous_bundle(bundle: Path, archive: Path) -> None:
    """Remove an earlier bundle built here; refuse to remove anything that is not one."""
    if bundle.exists() or bundle.is_symlink():
        try:
            ours = json.loads((bundle / CONFIG_FILE).read_text(encoding="utf-8")).get("kit") == KIT_NAME
        except (OSError, ValueError, AttributeError):
            ours = False
        if not ours or bundle.is_symlink():
            raise BundleError(f"{bundle} already exists and is not an ml-from-scratch autograder bundle: "
                              "choose another folder, or remove it first")
        shutil.rmtree(bundle)
    if archive.is_file():
        archive.unlink()
    elif archive.exists():
        raise BundleError(f"{archive} exists and is not a file: choose another folder")


def _write_script(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    path.chmod(0o755)


def _zip_folder(folder: Path, archive: Path) -> None:
    """Zip the folder's contents (not the folder: Gradescope wants setup.sh at the root), keeping modes."""
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(folder.rglob("*")):
            if path.is_dir():
                continue
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | stat.S_IMODE(path.stat().st_mode)) << 16
            zipped.writestr(info, path.read_bytes())


# --- the bundle's configuration --------------------------------------------------------------------------
@dataclass(frozen=True)
class BundleConfig:
    exercises: tuple[str, ...]
    visibility: str
    seed: int | None


def load_config(path: Path) -> BundleConfig:
    """Read and check a bundle's config.json; :class:`BundleError` says what is wrong with it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleError(f"there is no {path}: was the bundle built with `ml-grade gradescope build`?") from None
    except (OSError, ValueError) as exc:
        raise BundleError(f"cannot read {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("kit") != KIT_NAME:
        raise BundleError(f"{path} is not the configuration of an ml-from-scratch autograder bundle")
    exercises = data.get("exercises")
    if not isinstance(exercises, list) or not all(isinstance(name, str) for name in exercises):
        raise BundleError(f"{path}: \"exercises\" must be a list of exercise names")
    seed = data.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        raise BundleError(f"{path}: \"seed\" must be a whole number >= 0 or null")
    return BundleConfig(tuple(resolve_exercises(exercises)), check_visibility(data.get("visibility", DEFAULT_VISIBILITY)), seed)


# --- finding the learner's files -------------------------------------------------------------------------
@dataclass
class Located:
    """Where each exercise's file was found in the submission (paths relative to it)."""

    files: dict[str, Path]  # exercise name -> the file used
    ignored: dict[str, list[Path]]  # exercise name -> other files of the same name, not used


def locate_files(submission: Path) -> Located:
    """Find every roadmap exercise's file in ``submission`` by its file name, at any depth.

    When a name occurs more than once, the file laid out like ``exercises/`` (``.../02_supervised/knn.py``)
    wins, then the one nearest the top. Hidden folders, ``__MACOSX``, ``__pycache__`` and symlinks are skipped.
    """
    files: dict[str, Path] = {}
    ignored: dict[str, list[Path]] = {}
    if not submission.is_dir():
        return Located(files, ignored)
    by_name: dict[str, list[Path]] = {}
    for folder, subfolders, names in os.walk(submission):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in SKIPPED_SUBMISSION_DIRS)
        for name in names:
            path = Path(folder) / name
            if name.endswith(".py") and not path.is_symlink() and path.is_file():
                by_name.setdefault(name, []).append(path.relative_to(submission))
    for exercise in load_roadmap().exercises:
        candidates = by_name.get(f"{exercise.name}.py", [])
        if not candidates:
            continue
        expected = Path(exercise.file).parts

        def rank(path: Path) -> tuple:
            return (path.parts[-len(expected):] != expected, len(path.parts), path.as_posix())

        candidates = sorted(candidates, key=rank)
        files[exercise.name] = candidates[0]
        if len(candidates) > 1:
            ignored[exercise.name] = candidates[1:]
    return Located(files, ignored)


def assemble_tree(submission: Path, located: Located, graded_root: Path) -> None:
    """Copy the located files into ``graded_root``, laid out like ``exercises/``."""
    roadmap = load_roadmap()
    for name, relative in located.files.items():
        target = graded_root / roadmap.get(name).file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(submission / relative, target)
    for stage in roadmap.stage_dirs():  # every stage folder exists, as in exercises/
        (graded_root / stage).mkdir(parents=True, exist_ok=True)


# --- grading one submission ------------------------------------------------------------------------------
class _PathDisplay:
    """Shows paths in the temporary graded tree as the learner knows them: their place in the submission."""

    def __init__(self, graded_root: Path, located: Located) -> None:
        roadmap = load_roadmap()
        self.replacements = [
            (str(graded_root / roadmap.get(name).file), relative.as_posix()) for name, relative in located.files.items()
        ]
        self.replacements.append((str(graded_root) + os.sep, ""))

    def __call__(self, text: str) -> str:
        for old, new in self.replacements:
            text = text.replace(old, new)
        return text


def _test_output(test, show: _PathDisplay) -> str:
    if test.status == "passed":
        return ""
    parts = [show(test.message)] if test.message else []
    if test.where:
        parts.append(f"at {show(test.where)}")
    if test.status == "not_started" and not test.waits_for:
        parts.append("(fill in the TODOs of this function to start this test)")
    if test.printed:
        parts.append("your code printed:\n" + show(test.printed.rstrip()))
    return "\n".join(parts)


def _gradescope_test(number: str, name: str, score: float, max_score: float, passed: bool, output: str,
                     visibility: str, **extra) -> dict:
    return {
        "number": number,
        "name": name,
        "score": score,
        "max_score": max_score,
        "status": "passed" if passed else "failed",
        "output": output,
        "visibility": visibility,
        "extra_data": extra,
    }


def _ungraded_tests(index: int, name: str, output: str, visibility: str, reason: str) -> list[dict]:
    """0 points for every test of the suite (or one 0/0 entry when the suite cannot be read), with ``output``."""
    listed = suite_tests(name)
    if not listed:
        return [_gradescope_test(f"{index}.1", f"{name}: could not be graded", 0.0, 0.0, False, output, visibility,
                                 exercise=name, test="", status=reason)]
    return [
        _gradescope_test(f"{index}.{number}", f"{name}: {description}", 0.0, max_score, False, output, visibility,
                         exercise=name, test=test_name, status=reason)
        for number, (test_name, description, max_score) in enumerate(listed, start=1)
    ]


def _log(text: str = "") -> None:
    print(text, flush=True)  # Gradescope keeps run_autograder's stdout for instructors only


def grade_submission(autograder_root: Path, config: BundleConfig, seed: int) -> dict:
    """Grade ``autograder_root/submission`` as ``config`` says; return the results.json object."""
    from grader import engine
    from grader.feedback import render_report

    roadmap = load_roadmap()
    visibility = config.visibility
    submission = Path(autograder_root) / "submission"
    located = locate_files(submission)
    tests: list[dict] = []
    summary: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="ml-grade-gradescope-") as scratch:
        os.chmod(scratch, 0o755)  # the worker may run as the user nobody, who must reach this copy
        graded_root = Path(scratch).resolve() / "exercises"
        assemble_tree(submission, located, graded_root)
        show = _PathDisplay(graded_root, located)
        for index, name in enumerate(config.exercises, start=1):
            exercise = roadmap.get(name)
            if name not in located.files:
                output = (f"No file named {name}.py was found in your submission, so this test could not run. "
                          f"Upload {name}.py (in the kit: exercises/{exercise.file}), on its own or in an "
                          f"exercises/ folder.")
                entries = _ungraded_tests(index, name, output, visibility, "missing")
                summary[name] = {"status": "missing", "file": None}
                _log(f"{name}: missing (expected a file named {name}.py)")
            else:
                try:
                    report = engine.grade(name, graded_root, seed=seed)
                except Exception as exc:  # a broken suite (GradingError) or the grader itself failing
                    _log(f"{name}: could not be graded\n{traceback.format_exc()}")
                    kind = "a problem with the autograder, not with your code" if isinstance(exc, engine.GradingError) \
                        else f"an unexpected {type(exc).__name__} in the autograder, not a problem with your code"
                    output = (f"This exercise could not be graded: {kind}. Please tell your instructor; "
                              f"the details are in the autograder's log.\n{show(str(exc))}")
                    entries = _ungraded_tests(index, name, output, visibility, "error")
                    summary[name] = {"status": "error", "file": located.files[name].as_posix()}
                else:
                    entries = [
                        _gradescope_test(
                            f"{index}.{number}", f"{name}: {test.description}", test.score, test.max_score,
                            test.status == "passed", _test_output(test, show), visibility,
                            exercise=name, test=test.name, status=test.status,
                        )
                        for number, test in enumerate(report.tests, start=1)
                    ]
                    status = "passed" if report.passed else "not_started" if report.not_started else "graded"
                    summary[name] = {"status": status, "file": located.files[name].as_posix()}
                    _log("\n".join(show(line) for line in render_report(report, verbose=True, unicode=False)))
                    _log(f"(the learner's code {report.isolation})")
            summary[name]["score"] = sum(entry["score"] for entry in entries)
            summary[name]["max_score"] = sum(entry["max_score"] for entry in entries)
            tests.extend(entries)
    return {
        "output": _summary_text(config, seed, located, summary),
        "output_format": "text",
        "visibility": visibility,
        "stdout_visibility": "hidden",  # the log holds every test's details: instructors only
        "tests": [_files_check(config, located)] + tests,
        "extra_data": {"seed": seed, "kit_version": _kit_version(), "exercises": summary},
    }


def _files_check(config: BundleConfig, located: Located) -> dict:
    """A check worth no points, always visible, that the right files arrived (the graded tests may be hidden)."""
    roadmap = load_roadmap()
    lines = []
    for name in config.exercises:
        found = located.files.get(name)
        if found is None:
            lines.append(f"{name}: MISSING: no file named {name}.py (exercises/{roadmap.get(name).file} in the kit)")
        else:
            lines.append(f"{name}: graded {found.as_posix()}")
            lines += [f"  (also found, not graded: {other.as_posix()})" for other in located.ignored.get(name, [])]
    missing = [name for name in config.exercises if name not in located.files]
    return {
        "number": "0",
        "name": "Files found in your submission" + (f" ({len(missing)} missing)" if missing else ""),
        "status": "failed" if missing else "passed",
        "output": "\n".join(lines),
        "visibility": "visible",
    }


def _summary_text(config: BundleConfig, seed: int, located: Located, summary: dict[str, dict]) -> str:
    count = len(config.exercises)
    lines = [
        f"ml-from-scratch autograder: {count} exercise{'s' if count != 1 else ''}, data seed {seed}.",
        f"To rerun an exercise on the same data on your machine: ml-grade NAME --seed {seed}",
        "",
    ]
    missing = [name for name in config.exercises if name not in located.files]
    if missing:
        lines.append("Missing from your submission (these score 0): " + ", ".join(f"{name}.py" for name in missing))
    broken = [name for name in config.exercises if summary[name]["status"] == "error"]
    if broken:
        lines.append("Could not be graded (a problem with the autograder: please tell your instructor): " + ", ".join(broken))
    if config.visibility != "visible":
        # Gradescope documents test visibility, not that of this output: keep the scores out of it.
        lines.append(f"The test results and your score are shown {_WHEN_SHOWN[config.visibility]}.")
        return "\n".join(lines).rstrip()
    width = max(len(name) for name in config.exercises)
    notes = {"passed": "passes every test", "not_started": "not started", "missing": "file missing",
             "error": "could not be graded", "graded": ""}
    for name in config.exercises:
        entry = summary[name]
        score = f"{points(entry['score'])}/{points(entry['max_score'])}"
        lines.append(f"  {name:<{width}}  {score:>7}  {notes[entry['status']]}".rstrip())
    total = sum(entry["score"] for entry in summary.values())
    total_max = sum(entry["max_score"] for entry in summary.values())
    lines.append(f"Total: {points(total)}/{points(total_max)}")
    return "\n".join(lines)


def _failure_results(message: str) -> dict:
    return {"score": 0, "output": message, "output_format": "text", "tests": []}


def _write_json(path: Path, data: dict) -> None:
    write_atomically(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def run(autograder_root: Path = DEFAULT_ROOT, seed: int | None = None) -> dict:
    """Grade ``autograder_root/submission`` with the bundle in ``autograder_root/source``; write and return
    ``autograder_root/results/results.json``.

    The data seed is ``seed``, else the bundle's, else a fresh random one; it is recorded in the output.
    Always writes a valid results.json, with an explanation when grading could not happen.
    """
    started = time.monotonic()
    root = Path(autograder_root)
    try:
        config = load_config(root / "source" / CONFIG_FILE)
        chosen = seed if seed is not None else config.seed if config.seed is not None else secrets.randbelow(2**31)
        results = grade_submission(root, config, chosen)
    except Exception as exc:
        _log(traceback.format_exc())
        detail = str(exc) if isinstance(exc, BundleError) else f"{type(exc).__name__}: {exc}"
        results = _failure_results(
            "The autograder could not grade this submission: a problem with the autograder, not with your files. "
            f"Please tell your instructor.\n{detail}"
        )
    results["execution_time"] = math.ceil(time.monotonic() - started)
    _write_json(root / "results" / "results.json", results)
    return results


def check(autograder_root: Path = DEFAULT_ROOT) -> list[str]:
    """Check an installed bundle (setup.sh runs this): its config, suites and datasets. Returns what it checked."""
    root = Path(autograder_root)
    config = load_config(root / "source" / CONFIG_FILE)
    from grader.support.datasets import available_record_datasets, load_dataset, load_records

    roadmap = load_roadmap()
    done = [f"config: {len(config.exercises)} exercises, visibility {config.visibility}, "
            f"seed {'random' if config.seed is None else config.seed}"]
    for name in config.exercises:
        exercise = roadmap.get(name)
        if not exercise.suite.is_file():
            raise BundleError(f"the suite of {name} is missing: {exercise.suite}")
        for dataset in exercise.datasets:
            (load_records if dataset in available_record_datasets() else load_dataset)(dataset)  # checks its SHA-256 too
        done.append(f"{name}: suite {exercise.suite.name}" + (f", datasets {', '.join(exercise.datasets)}" if exercise.datasets else ""))
    done.append(f"grader at {GRADER_DIR}")
    return done


# --- command line ----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.gradescope", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="grade ROOT/submission into ROOT/results/results.json")
    run_parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="Gradescope's /autograder (default)")
    run_parser.add_argument("--seed", type=int, default=None, help="data seed (default: the bundle's, else random)")
    check_parser = commands.add_parser("check", help="check an installed bundle (config, suites, datasets)")
    check_parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    build_parser = commands.add_parser("build", help="write OUT_DIR/autograder.zip (same as `ml-grade gradescope build`)")
    build_parser.add_argument("out_dir", type=Path)
    build_parser.add_argument("--exercises", default=None, help="comma-separated exercise names (default: all)")
    build_parser.add_argument("--visibility", default=DEFAULT_VISIBILITY, choices=VISIBILITIES)
    build_parser.add_argument("--seed", type=int, default=None, help="fixed data seed (default: random per submission)")
    args = parser.parse_args(argv)

    if args.command == "run":
        results = run(args.root, seed=args.seed)
        graded = [test for test in results.get("tests", []) if "score" in test]
        _log(f"wrote {args.root / 'results' / 'results.json'}: "
             f"{points(sum(test['score'] for test in graded))}/{points(sum(test['max_score'] for test in graded))}")
        return 0
    try:
        if args.command == "check":
            for line in check(args.root):
                _log(line)
        else:
            archive = build_bundle(args.out_dir, parse_exercise_list(args.exercises), args.visibility, args.seed)
            _log(f"wrote {archive} (upload it on Gradescope's Configure Autograder page)")
    except (LookupError, BundleError) as exc:  # LookupError: grader.roadmap.UnknownExercise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
