"""How long does grading each exercise of a stage take with the reference solutions?

Runs ``ml-grade NAME --dir solutions --seed S`` as a real subprocess for every exercise of the chosen
stages (all by default), RUNS times each after one warm-up, and prints a table: exercise, tests, points,
median / max seconds (against the exercise budget where one is set: each reinforcement-learning and
advanced exercise must grade in under 20 s on two cores), then each stage's total of medians against its
budget where one is set (the neural-network stage must grade in under 60 s). Every run must pass with full marks;
otherwise its output is printed and the script exits 1. ML_GRADE_HOME points to a temporary folder, so
the real progress record is never touched.

    python bench/stage_time.py [--stage 05_neural_networks] [--runs 3] [--seed 1]

Standard library plus the kit itself.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from grader.roadmap import load_roadmap  # noqa: E402 - after the path is set

STAGE_BUDGET_SECONDS = {"05_neural_networks": 60.0}
EXERCISE_BUDGET_SECONDS = {"04_reinforcement": 20.0, "06_advanced": 20.0}


def verdict(seconds: float, budget: float | None) -> str:
    return f" (budget {budget:g} s: {'met' if seconds < budget else 'MISSED'})" if budget else ""


def grade_seconds(name: str, seed: int, env: dict[str, str]) -> tuple[float, dict]:
    command = [sys.executable, "-m", "grader.cli", name, "--dir", "solutions", "--seed", str(seed), "--json"]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        print(f"{name}: `{' '.join(command)}` exited with {result.returncode}", file=sys.stderr)
        print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
        sys.exit(1)
    return seconds, json.loads(result.stdout)


def main() -> None:
    roadmap = load_roadmap()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", action="append", choices=roadmap.stage_dirs(), help="a stage folder (repeatable; default all)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per exercise (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="data seed (default 1)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    stages = {stage: exercises for stage, exercises in roadmap.by_stage().items() if not args.stage or stage in args.stage}

    print(f"{args.runs} runs each after one warm-up; seed {args.seed}; {os.cpu_count()} CPUs")
    print(f"{'exercise':<22} {'tests':>5} {'points':>6} {'median s':>9} {'max s':>7}")
    with tempfile.TemporaryDirectory(prefix="ml-grade-bench-") as home:
        env = {**os.environ, "ML_GRADE_HOME": home, "NO_COLOR": "1"}
        for stage, exercises in stages.items():
            print(f"{stage}")
            total = 0.0
            for exercise in exercises:
                grade_seconds(exercise.name, args.seed, env)  # warm-up
                samples, report = [], {}
                for _ in range(args.runs):
                    seconds, report = grade_seconds(exercise.name, args.seed, env)
                    samples.append(seconds)
                median = statistics.median(samples)
                total += median
                print(f"  {exercise.name:<20} {len(report['tests']):>5} {report['max_score']:>6g} {median:>9.2f} "
                      f"{max(samples):>7.2f}{verdict(max(samples), EXERCISE_BUDGET_SECONDS.get(stage))}")
            print(f"  {'stage total':<20} {'':>5} {'':>6} {total:>9.2f}{verdict(total, STAGE_BUDGET_SECONDS.get(stage))}")


if __name__ == "__main__":
    main()
