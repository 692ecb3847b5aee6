"""How fast does `ml-grade batch` grade a class? Prints a table of gradings per minute by --jobs.

Generates N synthetic learners, each a folder laid out like exercises/ holding, per exercise, a random
choice of the reference solution, the pristine stub, or one of the deliberately wrong implementations in
tests/wrong/. Then grades them all with 1 job and with 2 (each time from scratch: no results reused).

    python bench/batch.py [--learners 100] [--exercises gradient_descent,linear_regression,logistic_regression] [--jobs 1 2]

Target (issue 9): 100 learners x 3 exercises in under 2 minutes on two cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.batch import run_batch  # noqa: E402
from grader.roadmap import load_roadmap  # noqa: E402
from grader.stubs import stub_for  # noqa: E402


def make_class(folder: Path, n_learners: int, exercises: list[str], seed: int) -> dict[str, int]:
    """Write the learners' folders; returns how many files of each kind were planted."""
    chooser = random.Random(seed)
    roadmap = load_roadmap()
    kinds = {"solution": 0, "stub": 0, "wrong": 0}
    for index in range(n_learners):
        learner = folder / f"learner{index:03d}"
        for name in exercises:
            relative = roadmap.get(name).file
            solution = ROOT / "solutions" / relative
            wrong = sorted((ROOT / "tests" / "wrong" / name).glob("*.py"))
            kind = chooser.choice(["solution", "stub", "wrong"] if wrong else ["solution", "stub"])
            kinds[kind] += 1
            target = learner / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if kind == "solution":
                shutil.copyfile(solution, target)
            elif kind == "stub":
                target.write_text(stub_for(solution), encoding="utf-8")
            else:
                shutil.copyfile(chooser.choice(wrong), target)
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--exercises", default="gradient_descent,linear_regression,logistic_regression")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    exercises = [name.strip() for name in args.exercises.split(",")]

    print(f"CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} logical cores; Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as scratch:
        submissions = Path(scratch) / "submissions"
        kinds = make_class(submissions, args.learners, exercises, seed=0)
        print(f"{args.learners} learners x {len(exercises)} exercises ({', '.join(exercises)}); "
              f"files: {kinds['solution']} solutions, {kinds['stub']} stubs, {kinds['wrong']} wrong implementations")
        print()
        print("| jobs | learners | gradings | seconds | gradings per minute | seconds per grading per job |")
        print("|---|---|---|---|---|---|")
        for jobs in args.jobs:
            out = Path(scratch) / f"run{jobs}" / "results.csv"
            started = time.perf_counter()
            results, _ = run_batch(submissions, out, exercises, jobs=jobs, seed=1)
            seconds = time.perf_counter() - started
            gradings = len(results) * len(exercises)
            print(f"| {jobs} | {len(results)} | {gradings} | {seconds:.1f} | {60 * gradings / seconds:.0f} | "
                  f"{seconds * jobs / gradings:.2f} |")


if __name__ == "__main__":
    main()
