"""Every planted mistake in tests/wrong/ loses points, and the table says which suite tests catch it.

``tests/wrong/<exercise>/<mistake>.py`` is the reference solution with one realistic learner mistake (its
docstring says which). ``CAUGHT_BY`` maps each of those files to the suite tests that must fail on it for
a clear reason, so it doubles as documentation of which check catches which mistake. Each file is graded
with two fixed seeds, to show the catch is not seed luck; a control test checks that the reference
solution gets full marks at those same seeds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.engine import grade
from grader.roadmap import KIT_ROOT, load_roadmap

WRONG_DIR = Path(__file__).resolve().parent / "wrong"
SOLUTIONS = KIT_ROOT / "solutions"
SEEDS = (12, 13)
MIN_MISTAKES_PER_EXERCISE = 5

# exercise -> mistake file (without .py) -> suite tests that must not pass on it.
CAUGHT_BY: dict[str, dict[str, set[str]]] = {
    "gradient_descent": {
        "forward_difference": {"test_numerical_gradient_is_central"},
        "divide_by_eps": {
            "test_numerical_gradient_of_a_quadratic",
            "test_numerical_gradient_of_a_matrix",
            "test_numerical_gradient_is_central",
            "test_numerical_gradient_keeps_its_input",
        },
        "only_1d": {"test_numerical_gradient_of_a_matrix"},
        "modifies_x_in_place": {"test_numerical_gradient_keeps_its_input"},  # integer list: x + eps truncated
        "float_input_drifts": {"test_numerical_gradient_keeps_its_input"},  # float x changed by rounding
        "gradient_ascent": {"test_one_step", "test_descends_a_convex_quadratic", "test_descends_a_curved_valley"},
        "history_aliasing": {"test_one_step", "test_descends_a_convex_quadratic"},
        "off_by_one_steps": {"test_one_step", "test_descends_a_convex_quadratic"},
    },
    "linear_regression": {
        "gd_modifies_X": {"test_inputs_unchanged_and_lists_accepted"},
        "score_constant_y_nan": {"test_score_is_r2"},
        "loss_after_update": {"test_gradient_descent_loss_history"},
        "no_intercept": {
            "test_closed_form_matches_least_squares",
            "test_predictions_include_the_intercept",
            "test_score_is_r2",
            "test_diabetes",
        },
        "y_column_vector": {
            "test_fit_returns_self_and_learns_attributes",
            "test_closed_form_matches_least_squares",
            "test_predictions_include_the_intercept",
            "test_without_intercept",
            "test_one_feature_shapes",
            "test_score_is_r2",
            "test_gradient_descent_converges",
        },
        "gd_gradient_summed": {
            "test_gradient_descent_converges",
            "test_gradient_descent_loss_history",
            "test_gradient_descent_averages_over_samples",
            "test_gradient_descent_predicts_and_scores",  # diverged: intercept_ is nan
        },
        "gd_wrong_sign": {
            "test_gradient_descent_converges",
            "test_gradient_descent_loss_history",
            "test_gradient_descent_averages_over_samples",
        },
        "score_returns_mse": {"test_score_is_r2", "test_diabetes", "test_gradient_descent_predicts_and_scores"},
        "score_wrong_ss_tot": {"test_score_is_r2", "test_diabetes", "test_gradient_descent_predicts_and_scores"},
        "fit_modifies_X": {"test_inputs_unchanged_and_lists_accepted"},
        "loss_history_half_mse": {"test_gradient_descent_loss_history"},
        "loss_history_sum_of_squares": {"test_gradient_descent_loss_history"},
    },
    "logistic_regression": {
        "loss_after_update": {"test_loss_history"},
        "unstable_log_loss": {"test_separable_data"},
        "naive_sigmoid": {"test_sigmoid_is_stable"},
        "exp_ratio_sigmoid": {"test_sigmoid_is_stable"},
        "gradient_sign_flipped": {
            "test_fit_minimises_the_penalised_loss",
            "test_intercept_is_not_penalised",
            "test_labels_come_back_as_given",
            "test_separable_data",
            "test_loss_history",
            "test_breast_cancer",
        },
        "gradient_summed": {
            "test_fit_minimises_the_penalised_loss",
            "test_intercept_is_not_penalised",
            "test_loss_history",
        },
        "l2_on_intercept": {"test_intercept_is_not_penalised", "test_loss_history"},
        "l2_without_half": {"test_fit_minimises_the_penalised_loss", "test_loss_history"},
        "predict_returns_01": {"test_labels_come_back_as_given"},
        "proba_columns_swapped": {"test_predict_proba"},
    },
}

CASES = [
    pytest.param(exercise, mistake, frozenset(must_fail), seed, id=f"{exercise}/{mistake}-seed{seed}")
    for exercise, mistakes in CAUGHT_BY.items()
    for mistake, must_fail in mistakes.items()
    for seed in SEEDS
]


def files_on_disk() -> dict[str, set[str]]:
    return {
        folder.name: {path.stem for path in folder.glob("*.py")}
        for folder in sorted(WRONG_DIR.iterdir())
        if folder.is_dir() and not folder.name.startswith((".", "__"))
    }


@pytest.mark.parametrize(("exercise", "mistake", "must_fail", "seed"), CASES)
def test_mistake_is_caught(exercise, mistake, must_fail, seed, tmp_path):
    source = WRONG_DIR / exercise / f"{mistake}.py"
    target = tmp_path / load_roadmap().get(exercise).file
    target.parent.mkdir(parents=True)
    shutil.copyfile(source, target)

    report = grade(exercise, tmp_path, seed=seed)

    statuses = {test.name: test.status for test in report.tests}
    messages = {test.name: test.message for test in report.tests}
    unknown = must_fail - statuses.keys()
    assert not unknown, f"the table names tests the {exercise} suite does not have: {sorted(unknown)}"
    assert report.score < report.max_score, f"{mistake} got full marks"
    assert not report.passed
    missed = {name for name in must_fail if statuses[name] == "passed"}
    assert not missed, f"{mistake} was not caught by {sorted(missed)}"
    not_started = {name for name in must_fail if statuses[name] == "not_started"}
    assert not not_started, f"{mistake}: {sorted(not_started)} did not even start"
    silent = {name for name in must_fail if not messages[name].strip()}
    assert not silent, f"{mistake}: {sorted(silent)} failed without a message"
    assert any(messages[name].strip() for name, status in statuses.items() if status != "passed")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("exercise", sorted(CAUGHT_BY))
def test_reference_solution_passes_at_the_same_seeds(exercise, seed):
    """Control: at these seeds every test passes on the solution, so each failure above is the mistake's."""
    report = grade(exercise, SOLUTIONS, seed=seed)
    failing = {test.name: test.message for test in report.tests if test.status != "passed"}
    assert failing == {}
    assert report.score == report.max_score


def test_every_wrong_file_is_in_the_table():
    on_disk = files_on_disk()
    names = set(load_roadmap().names())
    assert set(on_disk) <= names, f"tests/wrong has folders that are not exercises: {sorted(set(on_disk) - names)}"
    assert set(on_disk) == set(CAUGHT_BY), "every exercise in the table has a folder in tests/wrong, and back"
    for exercise, mistakes in CAUGHT_BY.items():
        orphans = on_disk[exercise] - mistakes.keys()
        missing = mistakes.keys() - on_disk[exercise]
        assert not orphans, f"tests/wrong/{exercise} has files not in CAUGHT_BY: {sorted(orphans)}"
        assert not missing, f"CAUGHT_BY names files missing from tests/wrong/{exercise}: {sorted(missing)}"
        assert all(mistakes.values()), f"every {exercise} mistake names at least one test that catches it"


@pytest.mark.parametrize("exercise", ["gradient_descent", "linear_regression", "logistic_regression"])
def test_each_exercise_has_enough_wrong_implementations(exercise):
    folder = WRONG_DIR / exercise
    mistakes = sorted(path.stem for path in folder.glob("*.py")) if folder.is_dir() else []
    assert len(mistakes) >= MIN_MISTAKES_PER_EXERCISE, f"{exercise} has only {mistakes}"
    for mistake in mistakes:
        first_line = (folder / f"{mistake}.py").read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith('"""Mistake: ') and first_line.endswith('"""'), (
            f"tests/wrong/{exercise}/{mistake}.py should start with a one-line docstring naming its mistake"
        )
