"""Grade every case of the bad-code catalogue with the real ``ml-grade`` and print how each was handled.

    python bench/bad_code.py [--jobs 2] [-k SUBSTRING]

One row per case: its group, the case, handled or not, the seconds the run took and the reason the kit
gave (or what went wrong). The last line is ``N/N handled``; the exit status is 1 when a case was not.
The cases are in tests/bad_code/catalogue.py; tests/test_bad_code.py runs the same catalogue.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.bad_code.catalogue import CASES  # noqa: E402
from tests.bad_code.runner import Outcome, run_case, untouched_by  # noqa: E402


def _run(case) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="ml-grade-bad-code-") as folder:
        return run_case(case, Path(folder))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="cases graded at once (default 2)")
    parser.add_argument("-k", dest="only", default="", help="only cases whose name contains this")
    arguments = parser.parse_args(argv)
    cases = [case for case in CASES if arguments.only in case.name]
    for where in ("fit", "predict"):
        untouched_by(where)  # computed once, before the threads share the cache
    started = time.monotonic()
    with ThreadPoolExecutor(arguments.jobs) as pool:
        outcomes = list(pool.map(_run, cases))
    wall = time.monotonic() - started
    group_width = max(len(case.group) for case in cases)
    name_width = max(len(case.name) for case in cases)
    print(f"{'group':<{group_width}}  {'case':<{name_width}}  {'outcome':<11} {'seconds':>7}  message")
    for outcome in outcomes:
        verdict = "handled" if outcome.handled else "NOT HANDLED"
        message = outcome.reason if outcome.handled else "; ".join(outcome.problems)
        message = " ".join(message.split())
        print(f"{outcome.case.group:<{group_width}}  {outcome.case.name:<{name_width}}  {verdict:<11} "
              f"{outcome.seconds:7.1f}  {message[:150]}")
    handled = sum(outcome.handled for outcome in outcomes)
    print(f"catalogue: {wall:.0f} s wall with {arguments.jobs} jobs, {sum(o.seconds for o in outcomes):.0f} s of runs")
    print(f"{handled}/{len(outcomes)} handled")
    return 0 if handled == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
