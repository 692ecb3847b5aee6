"""Grade one bad submission with the real ``ml-grade`` command and judge how the kit handled it.

Used by ``tests/test_bad_code.py`` (one test per case) and ``bench/bad_code.py`` (the table).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from grader.integrity import changed_files
from tests.bad_code.catalogue import Case
from tests.conftest import solution_source

EXERCISE = "linear_regression"
SEED = 21
CASE_BUDGET = 60.0  # seconds for one whole run, however the code misbehaves
MARKERS = {
    "import": "import numpy as np\n",
    "fit": "        # Step 1: turn X into a 2-D float array and y into a 1-D float array",
    "predict": "        # Step 2: return the weighted sum plus the intercept, a 1-D array.",
}
# Another exercise's entry in the record, which no run of linear_regression may touch.
BYSTANDER = {"metrics": {"score": 9.0, "max_score": 9.0, "passed": True, "best_score": 9.0, "last_seed": 1, "last_run": "2026-01-01T00:00:00"}}


def planted_source(where: str, code: str) -> str:
    """The reference solution with ``code`` inserted at ``where``."""
    source = solution_source(EXERCISE)
    marker = MARKERS[where]
    assert source.count(marker) == 1, f"the marker for {where!r} is no longer in the solution"
    if where == "import":
        return source.replace(marker, marker + "\n" + code + "\n", 1)
    return source.replace(marker, textwrap.indent(code, " " * 8) + "\n" + marker, 1)


@dataclass
class TestOutcome:
    __test__ = False

    name: str
    status: str  # passed, failed, error, timeout, not_started
    score: float
    max_score: float
    message: str


@dataclass
class Outcome:
    case: Case
    exit_code: int | None
    seconds: float
    stdout: str
    stderr: str
    tests: list[TestOutcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def handled(self) -> bool:
        return not self.problems

    @property
    def reason(self) -> str:
        """The first message of a test the change touched, on one line (for the table)."""
        failing = [test for test in self.tests if test.status != "passed"]
        text = failing[0].message if failing else (self.problems[0] if self.problems else "")
        return " ".join(text.split())


def _read_junit(path: Path) -> list[TestOutcome]:
    tests = []
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        properties = {p.get("name"): p.get("value") for p in case.iter("property")}
        status, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            element = case.find(tag)
            if element is not None:
                status = {"failure": "failed", "skipped": "not_started"}.get(tag, element.get("type") or "error")
                message = element.text or element.get("message") or ""
        tests.append(TestOutcome(case.get("name"), status, float(properties["score"]), float(properties["max_score"]), message))
    return tests


def _running(command_line: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    if cmdline.read().replace(b"\0", b" ").strip() == command_line.encode():
                        found.append(int(entry))
            except OSError:
                continue
    return found


def workspace_for(case: Case, root: Path) -> Path:
    """A learner's workspace holding the case's file, its extra files and a progress record."""
    exercise_file = root / "exercises" / "02_supervised" / f"{EXERCISE}.py"
    exercise_file.parent.mkdir(parents=True, exist_ok=True)
    exercise_file.write_text(planted_source(case.where, case.code), encoding="utf-8")
    for name, text in case.files.items():
        (exercise_file.parent / name).write_text(text, encoding="utf-8")
    state = root / ".ml-grade"
    state.mkdir(exist_ok=True)
    (state / "progress.json").write_text(json.dumps({"version": 1, "exercises": BYSTANDER, "hints_shown": {}}), encoding="utf-8")
    return root


def run_case(case: Case, root: Path) -> Outcome:
    """Grade ``case`` in a fresh workspace under ``root`` with ``ml-grade``, then judge the outcome."""
    home = workspace_for(case, root)
    junit = root / "report.xml"
    command = [sys.executable, "-m", "grader.cli", EXERCISE, "--seed", str(SEED), "--time-limit", f"{case.time_limit:g}",
               "--junit", str(junit)]
    env = {**os.environ, "ML_GRADE_HOME": str(home), "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    started = time.monotonic()
    try:
        finished = subprocess.run(command, cwd=home, env=env, capture_output=True, text=True, timeout=CASE_BUDGET)
        exit_code, stdout, stderr = finished.returncode, finished.stdout, finished.stderr
    except subprocess.TimeoutExpired as expired:
        exit_code, stdout, stderr = None, str(expired.stdout or ""), str(expired.stderr or "")
    outcome = Outcome(case, exit_code, time.monotonic() - started, stdout, stderr)
    if junit.is_file():
        outcome.tests = _read_junit(junit)
    if case.later:
        time.sleep(case.later)
    outcome.problems = judge(outcome, home)
    return outcome


@lru_cache(maxsize=None)
def untouched_by(where: str) -> frozenset[str]:
    """The tests that pass when the code at ``where`` simply raises: a change there must leave them passing."""
    import tempfile

    from grader.engine import grade
    from tests.conftest import plant

    if where == "import":
        return frozenset()
    with tempfile.TemporaryDirectory() as folder:
        plant(Path(folder), EXERCISE, planted_source(where, "raise RuntimeError('here')"))
        report = grade(EXERCISE, Path(folder), seed=SEED)
    return frozenset(test.name for test in report.tests if test.status == "passed")


def judge(outcome: Outcome, home: Path) -> list[str]:
    """What the kit got wrong with this case (nothing, when it handled it)."""
    case, problems = outcome.case, []
    if outcome.exit_code is None:
        return [f"ml-grade did not finish within {CASE_BUDGET:g} s"]
    if outcome.exit_code != 1:
        problems.append(f"ml-grade exited with {outcome.exit_code}, expected 1\n{outcome.stderr[-2000:]}")
    if not outcome.tests:
        return problems + [f"no results were written\n{outcome.stdout[-2000:]}{outcome.stderr[-2000:]}"]
    touched = [test for test in outcome.tests if test.status != "passed"]
    if not touched:
        problems.append("every test passed")
    reasons = case.reason if isinstance(case.reason, tuple) else (case.reason,)
    for test in touched:
        if test.status not in case.statuses:
            problems.append(f"{test.name}: {test.status} ({test.message.splitlines()[0] if test.message else ''}), "
                            f"expected {'/'.join(sorted(case.statuses))}")
        elif test.score != 0:
            problems.append(f"{test.name}: scored {test.score:g} although it did not pass")
    # Each touched test says what it saw (a test of score() sees predict's NaN as a NaN score); the
    # cause itself must be named by at least one of them, and printed.
    if touched and case.reason and not any(reason in test.message for test in touched for reason in reasons):
        problems.append(f"no test names the cause ({reasons[0]!r}): {touched[0].message!r}")
    printed = " ".join(outcome.stdout.split())  # the CLI wraps long messages
    if touched and case.reason and not any(" ".join(reason.split()) in printed for reason in reasons):
        problems.append(f"the output does not say why: {case.reason!r} is not in it")
    passed = {test.name for test in outcome.tests if test.status == "passed"}
    for name in sorted(untouched_by("import" if case.whole_file else case.where) - passed):
        problems.append(f"{name} does not touch the changed code but did not get its points")
    for test in outcome.tests:
        if test.status == "passed" and test.score != test.max_score:
            problems.append(f"{test.name}: passed with {test.score:g}/{test.max_score:g}")
    if case.printed and case.printed not in outcome.stdout:
        problems.append(f"the output does not show {case.printed!r}")
    last_line = outcome.stdout.strip().splitlines()[-1] if outcome.stdout.strip() else ""
    if not last_line.startswith("Score ") or "passes every test" in last_line:
        problems.append(f"the last line is not the real score: {last_line!r}")
    problems += _record_problems(home, outcome)
    if case.orphan and _running(case.orphan):
        problems.append(f"`{case.orphan}` is still running after the run")
    changed = changed_files()
    if changed:
        problems.append(f"the kit's suites changed: {changed}")
    return problems


def _record_problems(home: Path, outcome: Outcome) -> list[str]:
    record_file = home / ".ml-grade" / "progress.json"
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"the progress record is damaged: {exc}"]
    exercises = record.get("exercises", {})
    problems = []
    if exercises.get("metrics") != BYSTANDER["metrics"]:
        problems.append(f"another exercise's progress changed: {exercises.get('metrics')}")
    entry = exercises.get(EXERCISE, {})
    score = sum(test.score for test in outcome.tests)
    if entry.get("passed") is not False or entry.get("score") != score:
        problems.append(f"the progress record says {entry}, expected passed false with score {score:g}")
    kit_files = ("progress.json", "results")  # the record, its backup and lock; the last reports
    if sorted(p.name for p in record_file.parent.iterdir() if not p.name.startswith(kit_files)):
        problems.append(f"unexpected files next to the record: {sorted(p.name for p in record_file.parent.iterdir())}")
    return problems
