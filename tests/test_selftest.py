"""Every suite gives the reference solutions full marks and the pristine stubs 0, all not started."""

import pytest

from grader.engine import grade, suite_tests
from grader.roadmap import load_roadmap
from tests.conftest import SOLUTIONS, plant_stubs
from tests.test_wrong_implementations import SEEDS as WRONG_IMPLEMENTATION_SEEDS

EXERCISES = load_roadmap().names()
# The seeds the wrong implementations are graded at, so that each of their failures is the mistake's, and one more.
SEEDS = (2024, *WRONG_IMPLEMENTATION_SEEDS)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", EXERCISES)
def test_solution_gets_full_marks(name, seed):
    report = grade(name, SOLUTIONS, seed=seed)
    failing = {test.name: test.message for test in report.tests if test.status != "passed"}
    assert failing == {}
    assert report.score == report.max_score > 0
    assert report.seed == seed


@pytest.fixture(scope="module")
def stub_tree(tmp_path_factory):
    return plant_stubs(tmp_path_factory.mktemp("stubs"))


@pytest.mark.parametrize("name", EXERCISES)
def test_pristine_stub_is_not_started(name, stub_tree):
    report = grade(name, stub_tree, seed=5)
    assert report.score == 0
    assert {test.status for test in report.tests} == {"not_started"}
    assert report.not_started and not report.passed


@pytest.mark.parametrize("name", EXERCISES)
def test_every_test_is_worth_points_and_described(name):
    tests = suite_tests(name)
    assert len(tests) >= 8
    for test_name, description, points in tests:
        assert points > 0
        assert description != test_name, f"{test_name} has no docstring"
