"""The grading engine: run one exercise's hidden suite against a graded tree and return plain results.

pytest runs in this (trusted) process, with plugin autoloading off and only the kit's plugin loaded;
the learner's code runs in a worker started before pytest so that both start up at the same time.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from grader.integrity import changed_files
from grader.roadmap import SUITES_DIR, Exercise, load_roadmap
from grader.sandbox import forbidden_imports, why_forbidden


class GradingError(Exception):
    """The run could not grade at all (no such file, a broken suite): not the learner's score."""


@dataclass
class GradeReport:
    exercise: str
    title: str
    file: Path  # the graded file
    seed: int
    tests: list = field(default_factory=list)  # of grader.plugin.TestResult
    isolation: str = ""  # who the learner's code ran as (grader.sandbox.run_as), for logs

    @property
    def score(self) -> float:
        return sum(test.score for test in self.tests)

    @property
    def max_score(self) -> float:
        return sum(test.max_score for test in self.tests)

    @property
    def passed(self) -> bool:
        return bool(self.tests) and all(test.status == "passed" for test in self.tests)

    @property
    def not_started(self) -> bool:
        return bool(self.tests) and all(test.status == "not_started" for test in self.tests)

    def to_json(self) -> dict:
        return {
            "exercise": self.exercise,
            "file": str(self.file),
            "score": self.score,
            "max_score": self.max_score,
            "passed": self.passed,
            "seed": self.seed,
            "tests": [test.to_dict() for test in self.tests],
        }


@contextlib.contextmanager
def _environment(**values: str):
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def pytest_arguments(exercise: Exercise, only: Collection[str] = ()) -> list[str]:
    targets = [f"{exercise.suite}::{test}" for test in only] or [str(exercise.suite)]
    return [*targets, "-c", str(SUITES_DIR / "pytest.ini"), "--rootdir", str(SUITES_DIR), "-p", "no:terminal", "-p", "timeout"]


def grade(
    name: str,
    graded_root: Path,
    seed: int | None = None,
    time_limit: float | None = None,
    only: Collection[str] = (),
) -> GradeReport:
    """Grade exercise ``name`` in ``graded_root`` (a tree laid out like ``exercises/``).

    ``only`` names suite tests to run instead of the whole suite (the report then holds just those).
    """
    from grader.learner import DEFAULT_TIME_LIMIT, ExerciseFiles, WorkerClient

    exercise = load_roadmap().get(name)
    graded_root = Path(graded_root).resolve()
    path = graded_root / exercise.file
    if not path.is_file():
        raise GradingError(f"there is no file {path}")
    if seed is None:
        seed = secrets.randbelow(2**31)
    changed = changed_files()
    if changed:
        raise GradingError(
            "the kit's suites are not the ones it shipped with, so nothing was graded: "
            + ", ".join(changed)
            + ". Restore them (git checkout grader/, or reinstall the kit); a contributor who changed a suite "
            "on purpose runs `python scripts/hash_suites.py`."
        )
    refused = forbidden_imports(path.read_text(encoding="utf-8", errors="replace"))
    if refused:
        return _refused(exercise, path, seed, refused)
    time_limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
    # Start the worker first: it imports numpy while this process imports pytest.
    client = WorkerClient(ExerciseFiles.of(name, graded_root), time_limit=time_limit)
    client.start()

    import pytest

    from grader.plugin import GradingRun

    run = GradingRun(graded_root, seed, time_limit, workers={name: client})
    captured = io.StringIO()
    try:
        with _environment(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"), contextlib.redirect_stdout(captured):
            exit_code = pytest.main(pytest_arguments(exercise, sorted(only)), plugins=[run])
    finally:
        run.close()
    if run.collection_errors or not run.results:
        details = "\n".join(run.collection_errors) or captured.getvalue() or f"pytest exit code {int(exit_code)}"
        raise GradingError(f"the suite for {name} could not run (a bug in the kit, please report it):\n{details}")
    return GradeReport(exercise.name, exercise.title, path, seed, run.results, client.isolation)


def _refused(exercise: Exercise, path: Path, seed: int, refused: list[tuple[int, str]]) -> GradeReport:
    """The report for a file that imports what the kit forbids: every test 0, nothing run."""
    from grader.learner import LearnerFrame
    from grader.plugin import TestResult, describe_frame

    line, module = refused[0]
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    code = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    message = f"importing {path.name} was refused: line {line} imports {module}, and {why_forbidden(module)}"
    where = describe_frame(LearnerFrame(str(path), line, "", code))
    tests = [
        TestResult(test, description, 0.0, points, "error", message, where=where)
        for test, description, points in suite_tests(exercise.name)
    ]
    return GradeReport(exercise.name, exercise.title, path, seed, tests)


def suite_tests(name: str) -> list[tuple[str, str, float]]:
    """``(test name, description, points)`` of each test of exercise ``name``'s suite, in order, without
    running any (e.g. to score a missing file); [] when the suite cannot even be collected."""
    import pytest

    from grader.plugin import GradingRun, TestCollector

    exercise = load_roadmap().get(name)
    collector = TestCollector()
    run = GradingRun(SUITES_DIR, 0)  # collection starts no worker: the graded tree is never looked at
    try:
        with _environment(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"), contextlib.redirect_stdout(io.StringIO()):
            pytest.main([*pytest_arguments(exercise), "--collect-only"], plugins=[run, collector])
    finally:
        run.close()
    return [] if run.collection_errors else collector.tests
