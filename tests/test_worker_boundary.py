"""Learner code runs in a worker: hangs, exits, crashes, patches and floods are graded, not obeyed.

Each case plants the linear-regression solution with one hostile change and checks that every test the
change breaks fails with a message naming the cause, while the rest still pass, and the run finishes.
"""

import time

import pytest

from grader.engine import grade
from tests.conftest import plant, solution_source

FIT = "    def fit(self, X, y):\n        \"\"\"Learn ``coef_`` and ``intercept_`` from training data."
PREDICT_BODY = "        X = np.asarray(X, dtype=float)\n        if X.ndim != 2 or X.shape[1] != self.coef_.shape[0]:"


def graded(tmp_path, source, time_limit=None):
    plant(tmp_path, "linear_regression", source)
    started = time.monotonic()
    report = grade("linear_regression", tmp_path, seed=21, time_limit=time_limit)
    return report, time.monotonic() - started


def insert_into_fit(code):
    """Source with ``code`` as the first statement of LinearRegression.fit (after its docstring)."""
    source = solution_source("linear_regression")
    marker = "        # Step 1: turn X into a 2-D float array and y into a 1-D float array"
    assert source.count(marker) == 1
    return source.replace(marker, code + "\n" + marker)


def insert_into_predict(code):
    source = solution_source("linear_regression")
    assert source.count(PREDICT_BODY) == 1
    return source.replace(PREDICT_BODY, code + "\n" + PREDICT_BODY)


def by_status(report):
    statuses = {}
    for test in report.tests:
        statuses.setdefault(test.status, []).append(test)
    return statuses


def test_infinite_loop_in_fit_times_out(tmp_path):
    report, seconds = graded(tmp_path, insert_into_fit("        while True:\n            pass"), time_limit=0.5)
    statuses = by_status(report)
    assert set(statuses) <= {"timeout", "passed"}
    assert statuses["timeout"], "fit is called by every test"
    assert all("fit() did not return within 0.5 s" in test.message for test in statuses["timeout"])
    # LinearRegressionGD has its own fit: those tests still pass, on a fresh worker after each timeout
    assert {test.name for test in statuses.get("passed", [])} >= {"test_gradient_descent_converges"}
    assert seconds < 30


def test_sys_exit_in_predict(tmp_path):
    report, _ = graded(tmp_path, insert_into_predict("        import sys\n        sys.exit(0)"))
    predict_tests = [test for test in report.tests if test.status != "passed"]
    assert predict_tests and report.score < report.max_score
    assert all(test.status == "error" and "sys.exit(0)" in test.message for test in predict_tests)
    assert all("in predict" in test.where for test in predict_tests)
    assert any(test.status == "passed" for test in report.tests)


def test_os_exit_in_predict_is_a_crash(tmp_path):
    report, _ = graded(tmp_path, insert_into_predict("        import os\n        os._exit(0)"))
    crashed = [test for test in report.tests if test.status != "passed"]
    assert crashed
    assert all(test.status == "error" and "exited with status 0" in test.message for test in crashed)
    assert any(test.status == "passed" for test in report.tests)


def test_segfault_is_a_crash(tmp_path):
    report, _ = graded(tmp_path, insert_into_predict("        import ctypes\n        ctypes.string_at(0)"))
    crashed = [test for test in report.tests if test.status != "passed"]
    assert crashed and all("segmentation fault" in test.message for test in crashed)


def test_patching_numpy_cannot_fake_a_pass(tmp_path):
    # Wrong answers, and every numpy comparison the learner's process can reach told to say "equal".
    cheat = (
        "        import numpy, math\n"
        "        numpy.allclose = lambda *a, **k: True\n"
        "        numpy.testing.assert_allclose = lambda *a, **k: None\n"
        "        numpy.array_equal = lambda *a, **k: True\n"
        "        math.isclose = lambda *a, **k: True\n"
        "        self.coef_ = numpy.zeros(numpy.shape(X)[1]); self.intercept_ = 0.0\n"
        "        return self"
    )
    report, _ = graded(tmp_path, insert_into_fit(cheat))
    assert report.score <= report.max_score / 2
    assert not report.passed
    assert "test_closed_form_matches_least_squares" in {t.name for t in report.tests if t.status == "failed"}


def test_ten_megabytes_of_printing(tmp_path):
    report, seconds = graded(tmp_path, insert_into_fit("        for _ in range(10_000):\n            print('y' * 999)"))
    assert report.passed, [t.message for t in report.tests if t.status != "passed"]
    shown = report.tests[0].printed
    assert "bytes printed in all; the rest is not shown" in shown
    assert len(shown) < 10_000
    assert seconds < 60


def test_memory_bomb_is_an_error(tmp_path):
    report, _ = graded(tmp_path, insert_into_fit("        numpy_bomb = np.ones((200_000, 200_000))"))
    bombed = [test for test in report.tests if test.status != "passed"]
    assert bombed and all(test.status == "error" and "MemoryError" in test.message for test in bombed)


def test_importing_at_import_time_loop(tmp_path):
    source = "while True:\n    pass\n" + solution_source("linear_regression")
    report, seconds = graded(tmp_path, source, time_limit=0.5)
    assert {test.status for test in report.tests} == {"timeout"}
    assert "importing linear_regression.py did not return within 0.5 s" in report.tests[0].message
    assert seconds < 30


@pytest.mark.parametrize("statement", ["raise KeyboardInterrupt", "raise SystemExit(3)"])
def test_leaving_through_exceptions(tmp_path, statement):
    report, _ = graded(tmp_path, insert_into_predict(f"        {statement}"))
    failing = [test for test in report.tests if test.status != "passed"]
    assert failing and all(test.status == "error" for test in failing)


def test_earlier_exercises_import_from_the_graded_tree(tmp_path):
    """An exercise imports an earlier one by bare name, and gets the graded tree's copy, never solutions/."""
    planted_gradient_descent = solution_source("gradient_descent") + "\nPLANTED = 'the learner'\n"
    plant(tmp_path, "gradient_descent", planted_gradient_descent)
    source = solution_source("linear_regression").replace(
        "import numpy as np\n", "import numpy as np\nfrom gradient_descent import PLANTED\n\nassert PLANTED == 'the learner'\n", 1
    )
    report, _ = graded(tmp_path, source)
    assert report.passed, [test.message for test in report.tests if test.status != "passed"]
    plant(tmp_path, "gradient_descent", solution_source("gradient_descent"))
    report, _ = graded(tmp_path, source)
    assert {test.status for test in report.tests} == {"error"}
    assert "ImportError" in report.tests[0].message and "PLANTED" in report.tests[0].message


def test_a_stub_imported_from_an_earlier_exercise_is_named(tmp_path):
    """A finished exercise that calls an earlier one still a stub is 'not started', naming the stub's file."""
    stub = "def helper():\n    raise NotImplementedError\n"
    plant(tmp_path, "gradient_descent", stub)
    source = insert_into_fit("        from gradient_descent import helper\n        helper()")
    report, _ = graded(tmp_path, source)
    stuck = [test for test in report.tests if test.status == "not_started"]
    assert stuck, "every test that calls LinearRegression.fit depends on the stub"
    assert all("calls helper() in gradient_descent.py, which is not implemented yet" in test.message for test in stuck)


def test_the_worker_times_learner_code_only(tmp_path):
    from grader.learner import ExerciseFiles, WorkerClient

    plant(tmp_path, "linear_regression", insert_into_predict("        import time\n        time.sleep(0.3)"))
    client = WorkerClient(ExerciseFiles.of("linear_regression", tmp_path))
    try:
        module = client.load_module()
        model = module.LinearRegression().fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
        assert client.last_seconds < 0.3
        model.predict([[3.0]])
        assert 0.3 <= client.last_seconds < 2.0
    finally:
        client.stop()
