"""Batch grading for a class: every learner's copy of ``exercises/``, every exercise, in parallel.

``SUBMISSIONS_DIR`` holds one entry per learner: a folder laid out like ``exercises/`` (or holding an
``exercises/`` folder), or a zip of one. Each learner is graded in a process of a pool, with the same
hidden suites and the same data seed for everyone; inside it, each exercise runs the ordinary engine, so
the learner's code runs in its own worker process as in ``ml-grade NAME``. A crash, hang or broken file
costs only that learner's points.

Results go to ``OUT`` (a CSV: one row per learner, one column per exercise, the total) and to
``<OUT stem>-learners/<learner>.json`` (every test's outcome). That folder also remembers the seed and a
content hash per learner: a re-run grades again only the learners whose files (or the suites) changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
import shutil
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

from grader.files import write_atomically
from grader.roadmap import load_roadmap

SEED_FILE = "seed.txt"


class BatchError(Exception):
    """The batch could not start (no submissions, an unreadable zip folder ...)."""


@dataclass
class Submission:
    learner: str
    root: Path  # laid out like exercises/


@dataclass
class LearnerResult:
    learner: str
    digest: str
    exercises: dict[str, dict] = field(default_factory=dict)  # name -> {score, max_score, status, tests}

    def total(self) -> tuple[float, float]:
        return (sum(entry["score"] for entry in self.exercises.values()),
                sum(entry["max_score"] for entry in self.exercises.values()))


def find_submissions(submissions_dir: Path, unpack_dir: Path) -> list[Submission]:
    """One submission per sub-folder or zip of ``submissions_dir`` (hidden entries are ignored)."""
    found = []
    for entry in sorted(submissions_dir.iterdir()):
        if entry.name.startswith(".") or entry.resolve() == unpack_dir.resolve():
            continue
        if entry.is_dir():
            found.append(Submission(entry.name, _exercise_tree(entry)))
        elif entry.suffix == ".zip":
            target = unpack_dir / entry.stem
            _safe_unzip(entry, target)
            found.append(Submission(entry.stem, _exercise_tree(target)))
    return found


def _exercise_tree(folder: Path) -> Path:
    """The folder laid out like exercises/: ``folder/exercises`` if there is one, else the one level
    down that a zip of ``exercises/`` produces, else ``folder`` itself."""
    for candidate in (folder / "exercises", folder):
        if any(candidate.glob("[0-9][0-9]_*")):
            return candidate
    children = [child for child in folder.iterdir() if child.is_dir()] if folder.is_dir() else []
    if len(children) == 1 and any(children[0].glob("[0-9][0-9]_*")):
        return children[0]
    return folder


def _safe_unzip(archive: Path, target: Path) -> None:
    """Extract ``archive`` into a fresh ``target``, refusing members that would land outside it."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    try:
        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.infolist():
                destination = (target / member.filename).resolve()
                if not destination.is_relative_to(target.resolve()):
                    raise BatchError(f"{archive.name}: {member.filename!r} would be written outside its folder")
            zipped.extractall(target)
    except zipfile.BadZipFile as exc:
        raise BatchError(f"{archive.name} is not a readable zip file: {exc}") from None


def submission_digest(root: Path, exercises: Iterable[str], seed: int) -> str:
    """Hash of everything a result depends on: the learner's .py files, the suites, the seed."""
    digest = hashlib.sha256(f"seed={seed}\n".encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    roadmap = load_roadmap()
    for name in sorted(exercises):
        digest.update(name.encode() + b"\0" + roadmap.get(name).suite.read_bytes() + b"\0")
    return digest.hexdigest()


def grade_learner(submission: Submission, exercises: list[str], seed: int, digest: str) -> LearnerResult:
    """Grade one learner's exercises (runs in a pool process); only plain data comes back."""
    from grader.engine import GradingError, grade

    result = LearnerResult(submission.learner, digest)
    roadmap = load_roadmap()
    for name in exercises:
        path = submission.root / roadmap.get(name).file
        if not path.is_file():
            result.exercises[name] = {"score": 0.0, "max_score": _max_score(name), "status": "missing", "tests": [],
                                      "message": f"no file {roadmap.get(name).file}"}
            continue
        try:
            report = grade(name, submission.root, seed=seed)
        except GradingError as exc:
            result.exercises[name] = {"score": 0.0, "max_score": _max_score(name), "status": "error", "tests": [],
                                      "message": str(exc)}
            continue
        status = "passed" if report.passed else "not_started" if report.not_started else "failed"
        result.exercises[name] = {"score": report.score, "max_score": report.max_score, "status": status,
                                  "tests": [test.to_dict() for test in report.tests], "message": ""}
    return result


@lru_cache(maxsize=None)  # one collection per suite and pool process, however many files are missing
def _max_score(name: str) -> float:
    """Points a suite is worth, from collecting it without running it (for missing files)."""
    from grader.engine import suite_tests

    return sum(points for _, _, points in suite_tests(name))


def learners_dir(out: Path) -> Path:
    return out.with_name(f"{out.stem}-learners")


def previous_seed(out: Path) -> int | None:
    seed_file = learners_dir(out) / SEED_FILE
    return int(seed_file.read_text().strip()) if seed_file.is_file() else None


def run_batch(
    submissions_dir: Path,
    out: Path,
    exercises: list[str] | None = None,
    jobs: int = 1,
    seed: int | None = None,
    on_done: Callable[[LearnerResult, bool, int], None] | None = None,
) -> tuple[list[LearnerResult], int]:
    """Grade every submission; returns the results (sorted by learner) and the seed used.

    ``on_done(result, reused, n_learners)`` is called as each learner finishes (``reused``: unchanged
    since the last run, not graded again).
    """
    roadmap = load_roadmap()
    exercises = [roadmap.get(name).name for name in exercises] if exercises else roadmap.names()
    per_learner = learners_dir(out)
    per_learner.mkdir(parents=True, exist_ok=True)
    if seed is None:
        seed = previous_seed(out)
    if seed is None:
        seed = secrets.randbelow(2**31)
    (per_learner / SEED_FILE).write_text(f"{seed}\n")
    submissions = find_submissions(submissions_dir, per_learner / "unzipped")
    if not submissions:
        raise BatchError(f"{submissions_dir} holds no learner folders or zips")

    results: list[LearnerResult] = []
    pending = []
    for submission in submissions:
        digest = submission_digest(submission.root, exercises, seed)
        cached = _load_result(per_learner / f"{submission.learner}.json")
        if cached is not None and cached.digest == digest and set(cached.exercises) == set(exercises):
            results.append(cached)
            if on_done:
                on_done(cached, True, len(submissions))
        else:
            pending.append((submission, digest))
    if pending:
        # spawn, not fork: each pool process starts clean instead of inheriting this one's state
        with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(grade_learner, submission, exercises, seed, digest) for submission, digest in pending]
            for future in as_completed(futures):
                result = future.result()
                _save_result(per_learner / f"{result.learner}.json", result)
                results.append(result)
                if on_done:
                    on_done(result, False, len(submissions))
    results.sort(key=lambda result: result.learner)
    write_csv(out, results, exercises)
    return results, seed


def _load_result(path: Path) -> LearnerResult | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LearnerResult(data["learner"], data["digest"], data["exercises"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no usable earlier result: grade again


def _save_result(path: Path, result: LearnerResult) -> None:
    write_atomically(path, json.dumps({"learner": result.learner, "digest": result.digest,
                                       "exercises": result.exercises}, indent=1))


def write_csv(out: Path, results: list[LearnerResult], exercises: list[str]) -> None:
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["learner", *exercises, "total", "max_total"])
    for result in results:
        total, max_total = result.total()
        writer.writerow([result.learner, *(f"{result.exercises[name]['score']:g}" for name in exercises),
                         f"{total:g}", f"{max_total:g}"])
    write_atomically(out, table.getvalue())


def summary_lines(results: list[LearnerResult], exercises: list[str], most_common: int = 3) -> list[str]:
    """Per exercise: how many learners pass, the mean score, and the tests that fail most often."""
    lines = []
    for name in exercises:
        entries = [result.exercises[name] for result in results if name in result.exercises]
        if not entries:
            continue
        passed = sum(entry["status"] == "passed" for entry in entries)
        mean = sum(entry["score"] for entry in entries) / len(entries)
        lines.append(f"{name}: {passed}/{len(entries)} pass ({100 * passed / len(entries):.0f}%), "
                     f"mean {mean:.1f}/{entries[0]['max_score']:g}")
        statuses = Counter(entry["status"] for entry in entries if entry["status"] in ("missing", "not_started"))
        for status, count in sorted(statuses.items()):
            lines.append(f"    {count} {status.replace('_', ' ')}")
        failing = Counter(test["description"] for entry in entries if entry["status"] == "failed"
                          for test in entry["tests"] if test["status"] in ("failed", "error", "timeout"))
        for description, count in failing.most_common(most_common):
            lines.append(f"    {count} fail: {description}")
    return lines
