"""The bad-code catalogue, case by case, against the real ``ml-grade`` command (tests/bad_code/).

Each case must finish in time, print the cause, give the tests it touches 0 and the others their
points, exit 1, and leave the progress record and the suites intact. ``bench/bad_code.py`` prints the
same catalogue as a table.
"""

import sys

import pytest

from tests.bad_code.catalogue import CASES
from tests.bad_code.runner import run_case

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the catalogue checks Linux limits and /proc")


def test_the_catalogue_covers_every_group():
    groups = {case.group for case in CASES}
    assert groups == {"never returns", "leaves", "exhausts", "returns the wrong thing", "forbidden help", "fakes a pass"}
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_code_is_handled(case, tmp_path):
    outcome = run_case(case, tmp_path)
    assert outcome.handled, "\n".join(outcome.problems) + f"\n--- ml-grade printed:\n{outcome.stdout[-3000:]}"
