"""How long does `ml-grade` take, compared with running the same suite with bare pytest?

Measures the wall-clock time of real subprocesses, started from the repository root:

  a  ml-grade <exercise> --dir solutions --seed 1     grading the reference solution
  b  python -m pytest grader/suites/test_<exercise>.py  the same suite, bare pytest (plugin autoloading on)
  c  the same as b with PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 (plus `-p timeout` when that works),
     which is how the grader itself runs pytest
  d  ml-grade --help                                  CLI start-up only
  e  ml-grade progress                                CLI start-up plus reading the progress record

Each command gets one warm-up run (not counted), then N timed runs, interleaved (a, b, c, d, e, a, b, ...)
so that machine noise hits all of them alike. Every run must exit with status 0; otherwise its output is
printed and the script exits 1. ML_GRADE_HOME points to a temporary copy of exercises/, so the real
progress record is never read or written.

Prints median / min / max seconds per command, median(a)/median(b), median(a)/median(c), and whether
the targets are met: grading under 1 s, and within 1.25x of bare pytest (b).

Run it from anywhere, with the Python of the environment where the kit is installed:

    python bench/grade_latency.py [--runs N] [--exercise NAME]     # defaults: 7, linear_regression

Standard library only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GRADE_TARGET_SECONDS = 1.0
PYTEST_RATIO_TARGET = 1.25


def ml_grade_command() -> list[str]:
    script = Path(sys.executable).parent / "ml-grade"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "grader.cli"]


def run(command: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, result


def fail(label: str, command: list[str], result: subprocess.CompletedProcess) -> None:
    print(f"{label}: `{' '.join(command)}` exited with {result.returncode}, expected 0", file=sys.stderr)
    print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument("--exercise", default="linear_regression", help="exercise to grade (default linear_regression)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    suite = f"grader/suites/test_{args.exercise}.py"
    if not (REPO / suite).is_file():
        parser.error(f"no suite {suite}")

    ml_grade = ml_grade_command()
    # `--ml-dir=solutions`, not `--ml-dir solutions`: pytest picks its rootdir and ini file before it knows
    # the plugin's options, so a separate `solutions` would count as a path, making the repository root
    # the rootdir and pyproject.toml the ini file; grader/suites/pytest.ini (which loads the plugin) is
    # then skipped and pytest fails with "unrecognized arguments".
    pytest = [sys.executable, "-m", "pytest", suite, "-q", "--ml-dir=solutions", "--ml-seed=1", "-p", "no:cacheprovider"]

    with tempfile.TemporaryDirectory(prefix="ml-grade-bench-") as home:
        shutil.copytree(REPO / "exercises", Path(home) / "exercises")
        env = {**os.environ, "ML_GRADE_HOME": home}
        env.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)  # b runs with pytest's default autoloading
        no_autoload = {**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}

        # c: with `-p timeout` if pytest accepts that with autoloading off (an extra, untimed run).
        _, probe = run([*pytest, "-p", "timeout"], no_autoload)
        with_timeout = probe.returncode == 0
        c_command = [*pytest, "-p", "timeout"] if with_timeout else pytest
        c_label = "c  pytest, no autoload" + (" + -p timeout" if with_timeout else "")

        commands = {
            f"a  ml-grade {args.exercise}": ([*ml_grade, args.exercise, "--dir", "solutions", "--seed", "1"], env),
            "b  bare pytest": (pytest, env),
            c_label: (c_command, no_autoload),
            "d  ml-grade --help": ([*ml_grade, "--help"], env),
            "e  ml-grade progress": ([*ml_grade, "progress"], env),
        }
        times: dict[str, list[float]] = {label: [] for label in commands}
        for round_number in range(args.runs + 1):  # round 0 is the warm-up
            for label, (command, command_env) in commands.items():
                seconds, result = run(command, command_env)
                if result.returncode != 0:
                    fail(label, command, result)
                if round_number > 0:
                    times[label].append(seconds)

    print(f"{args.runs} runs each after one warm-up; {os.cpu_count()} CPUs; ml-grade = {' '.join(ml_grade)}")
    print(f"{'command':<40} {'median':>8} {'min':>8} {'max':>8}")
    for label, samples in times.items():
        print(f"{label:<40} {statistics.median(samples):8.3f} {min(samples):8.3f} {max(samples):8.3f}")
    grade, bare, no_auto = (statistics.median(samples) for samples in list(times.values())[:3])
    print(f"median(a)/median(b): {grade / bare:.2f}")
    print(f"median(a)/median(c): {grade / no_auto:.2f}")
    print(f"grading under {GRADE_TARGET_SECONDS:g} s: {'yes' if grade < GRADE_TARGET_SECONDS else 'no'}")
    print(f"within {PYTEST_RATIO_TARGET}x of bare pytest: {'yes' if grade / bare <= PYTEST_RATIO_TARGET else 'no'}")


if __name__ == "__main__":
    main()
