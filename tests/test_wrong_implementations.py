"""Every planted mistake in tests/wrong/ loses points, and a table says which suite tests catch it.

``tests/wrong/<exercise>/<mistake>.py`` is the reference solution with one realistic learner mistake (its
docstring says which). ``tests/wrong/<exercise>/caught_by.toml`` maps each of those files to the suite
tests that must fail on it for a clear reason, so it doubles as documentation of which check catches which
mistake. Each file is graded in a tree holding every other reference solution (a forest imports its
tree) at one of two fixed seeds, taking turns within an exercise, so that each suite's catches are shown
at both seeds and are not seed luck; ML_GRADE_ALL_SEEDS=1 grades every file at both (twice the time).
tests/test_selftest.py grades the reference solutions at those same seeds, so each failure here is the
mistake's.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from grader.engine import grade, suite_tests
from grader.roadmap import KIT_ROOT, load_roadmap

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

WRONG_DIR = Path(__file__).resolve().parent / "wrong"
SOLUTIONS = KIT_ROOT / "solutions"
SEEDS = (12, 13)
MIN_MISTAKES_PER_EXERCISE = 5


def load_tables() -> dict[str, dict[str, set[str]]]:
    """exercise -> mistake file (without .py) -> suite tests that must not pass on it."""
    tables = {}
    for table in sorted(WRONG_DIR.glob("*/caught_by.toml")):
        with table.open("rb") as file:
            tables[table.parent.name] = {mistake: set(tests) for mistake, tests in tomllib.load(file).items()}
    return tables


CAUGHT_BY = load_tables()

ALL_SEEDS = os.environ.get("ML_GRADE_ALL_SEEDS") == "1"

CASES = [
    pytest.param(exercise, mistake, frozenset(must_fail), seed, id=f"{exercise}/{mistake}-seed{seed}")
    for exercise, mistakes in CAUGHT_BY.items()
    for turn, (mistake, must_fail) in enumerate(sorted(mistakes.items()))
    for seed in (SEEDS if ALL_SEEDS else [SEEDS[turn % len(SEEDS)]])
]


def files_on_disk() -> dict[str, set[str]]:
    return {
        folder.name: {path.stem for path in folder.glob("*.py")}
        for folder in sorted(WRONG_DIR.iterdir())
        if folder.is_dir() and not folder.name.startswith((".", "__"))
    }


@pytest.mark.parametrize(("exercise", "mistake", "must_fail", "seed"), CASES)
def test_mistake_is_caught(exercise, mistake, must_fail, seed, tmp_path):
    unknown = must_fail - {test for test, _, _ in suite_tests(exercise)}
    assert not unknown, f"the table names tests the {exercise} suite does not have: {sorted(unknown)}"
    shutil.copytree(SOLUTIONS, tmp_path, dirs_exist_ok=True)
    shutil.copyfile(WRONG_DIR / exercise / f"{mistake}.py", tmp_path / load_roadmap().get(exercise).file)

    report = grade(exercise, tmp_path, seed=seed, only=must_fail)  # the other tests cannot change the verdict

    statuses = {test.name: test.status for test in report.tests}
    messages = {test.name: test.message for test in report.tests}
    assert statuses.keys() == must_fail
    assert report.score < report.max_score, f"{mistake} got full marks"
    assert not report.passed
    missed = {name for name in must_fail if statuses[name] == "passed"}
    assert not missed, f"{mistake} was not caught by {sorted(missed)}"
    not_started = {name for name in must_fail if statuses[name] == "not_started"}
    assert not not_started, f"{mistake}: {sorted(not_started)} did not even start"
    silent = {name for name in must_fail if not messages[name].strip()}
    assert not silent, f"{mistake}: {sorted(silent)} failed without a message"
    assert any(messages[name].strip() for name, status in statuses.items() if status != "passed")


def test_every_wrong_file_is_in_the_table():
    on_disk = files_on_disk()
    names = set(load_roadmap().names())
    assert set(on_disk) <= names, f"tests/wrong has folders that are not exercises: {sorted(set(on_disk) - names)}"
    assert set(on_disk) == set(CAUGHT_BY), "every folder in tests/wrong has a caught_by.toml"
    for exercise, mistakes in CAUGHT_BY.items():
        orphans = on_disk[exercise] - mistakes.keys()
        missing = mistakes.keys() - on_disk[exercise]
        assert not orphans, f"tests/wrong/{exercise} has files not in its caught_by.toml: {sorted(orphans)}"
        assert not missing, f"caught_by.toml names files missing from tests/wrong/{exercise}: {sorted(missing)}"
        assert all(mistakes.values()), f"every {exercise} mistake names at least one test that catches it"


@pytest.mark.parametrize("exercise", load_roadmap().names())
def test_each_exercise_has_enough_wrong_implementations(exercise):
    folder = WRONG_DIR / exercise
    mistakes = sorted(path.stem for path in folder.glob("*.py")) if folder.is_dir() else []
    assert len(mistakes) >= MIN_MISTAKES_PER_EXERCISE, f"{exercise} has only {mistakes}"
    for mistake in mistakes:
        first_line = (folder / f"{mistake}.py").read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith('"""Mistake: ') and first_line.endswith('"""'), (
            f"tests/wrong/{exercise}/{mistake}.py should start with a one-line docstring naming its mistake"
        )
