"""Hidden suite for exercise 4, linear_regression."""

import numpy as np
import pytest

from grader.support.checks import (
    expect_array,
    expect_close,
    expect_float,
    expect_loss_going_down,
    expect_number_close,
    expect_unchanged,
    fail,
)
from grader.support.data import linear_data, standardize, train_test_indices
from grader.support.datasets import load_dataset


def least_squares(X, y, fit_intercept=True):
    """The reference fit: (coef, intercept) by lstsq on [X, 1]."""
    design = np.column_stack([X, np.ones(len(X))]) if fit_intercept else X
    solution = np.linalg.lstsq(design, y, rcond=None)[0]
    return (solution[:-1], float(solution[-1])) if fit_intercept else (solution, 0.0)


def check_intercept_learned(model, expected, call):
    """Name the missing intercept outright: it is the most common mistake of this exercise."""
    intercept = expect_float(model.intercept_, f"{call}.intercept_")
    if abs(intercept) < 1e-12 and abs(expected) > 1e-3:
        fail(f"{call}.intercept_ is 0.0; expected {expected:.5g} — with fit_intercept=True the model must learn "
             "an intercept (centre X and y by their means, or add a column of ones)")


def r2(y, y_pred):
    return 1.0 - np.sum((y - y_pred) ** 2) / np.sum((y - y.mean()) ** 2)


@pytest.mark.points(1)
def test_fit_returns_self_and_learns_attributes(learner, rng):
    """fit returns the model itself, with coef_ of shape (n_features,) and a float intercept_"""
    X, y, _, _ = linear_data(rng, 40, 3)
    model = learner.LinearRegression()
    returned = model.fit(X, y)
    if returned is not model:
        fail(f"LinearRegression().fit(X, y) returned {returned!r}; expected the model itself (end fit with `return self`)")
    expect_array(model.coef_, "after fit, coef_", (3,))
    expect_float(model.intercept_, "after fit, intercept_")


@pytest.mark.points(2)
def test_closed_form_matches_least_squares(learner, rng):
    """LinearRegression finds the least-squares coefficients and intercept"""
    X, y, _, _ = linear_data(rng, 60, 4, noise=0.5)
    coef, intercept = least_squares(X, y)
    model = learner.LinearRegression().fit(X, y)
    check_intercept_learned(model, intercept, "LinearRegression().fit(X, y)")
    expect_close(model.coef_, coef, "LinearRegression().fit(X, y).coef_", rtol=1e-6, atol=1e-8)
    expect_number_close(model.intercept_, intercept, "LinearRegression().fit(X, y).intercept_", rtol=1e-6, atol=1e-8)


@pytest.mark.points(2)
def test_predictions_include_the_intercept(learner, rng):
    """predict returns X @ coef_ + intercept_ for data far from the origin"""
    X, y, _, _ = linear_data(rng, 50, 2, noise=0.2, intercept=25.0)
    X = X + 10.0  # features far from zero make a missing intercept obvious
    coef, intercept = least_squares(X, y)
    X_new = rng.normal(size=(20, 2)) + 10.0
    model = learner.LinearRegression().fit(X, y)
    check_intercept_learned(model, intercept, "LinearRegression().fit(X, y)")
    got = model.predict(X_new)
    expect_close(got, X_new @ coef + intercept, "LinearRegression().fit(X, y).predict(X_new)", rtol=1e-6, atol=1e-6)


@pytest.mark.points(1)
def test_without_intercept(learner, rng):
    """fit_intercept=False fits a line through the origin with intercept_ 0.0"""
    X, y, _, _ = linear_data(rng, 40, 3, intercept=4.0)
    coef, _ = least_squares(X, y, fit_intercept=False)
    model = learner.LinearRegression(fit_intercept=False).fit(X, y)
    expect_close(model.coef_, coef, "LinearRegression(fit_intercept=False).fit(X, y).coef_", rtol=1e-6, atol=1e-8)
    expect_number_close(model.intercept_, 0.0, "LinearRegression(fit_intercept=False).fit(X, y).intercept_")


@pytest.mark.points(1)
def test_one_feature_shapes(learner, rng):
    """with one feature, coef_ has shape (1,) and predict returns shape (n,)"""
    X, y, _, _ = linear_data(rng, 30, 1)
    model = learner.LinearRegression().fit(X, y)
    expect_array(model.coef_, "LinearRegression().fit(X, y).coef_ for X of shape (30, 1)", (1,))
    expect_array(model.predict(X), "predict(X) for X of shape (30, 1)", (30,))


@pytest.mark.points(1)
def test_score_is_r2(learner, rng):
    """score returns R² = 1 - SS_res / SS_tot on new data"""
    X, y, _, _ = linear_data(rng, 80, 3, noise=2.0)
    X_test, y_test, _, _ = linear_data(rng, 40, 3, noise=2.0)
    coef, intercept = least_squares(X, y)
    expected = r2(y_test, X_test @ coef + intercept)
    model = learner.LinearRegression().fit(X, y)
    expect_number_close(model.score(X_test, y_test), expected, "LinearRegression().fit(X, y).score(X_test, y_test)",
                        rtol=1e-6, why="(R² of the predictions on the test data)")
    constant = np.full(40, 3.0)
    expect_number_close(model.score(X_test, constant), 0.0, "score(X_test, y_test) with every y_test equal to 3.0",
                        why="(SS_tot is 0 and the predictions are not perfect: return 0.0, not nan)")


@pytest.mark.points(1)
def test_inputs_unchanged_and_lists_accepted(learner, worker, rng):
    """fit (both models) leaves X and y unchanged and accepts plain lists"""
    X, y, _, _ = linear_data(rng, 30, 2)
    coef, _ = least_squares(X, y)
    X_stored, y_stored = worker.put(X), worker.put(y)
    learner.LinearRegression().fit(X_stored, y_stored)
    expect_unchanged(X, worker.fetch(X_stored), "LinearRegression().fit(X, y)", "X")
    expect_unchanged(y, worker.fetch(y_stored), "LinearRegression().fit(X, y)", "y")
    model = learner.LinearRegression().fit(X.tolist(), y.tolist())
    expect_close(model.coef_, coef, "LinearRegression().fit(X as a list, y as a list).coef_", rtol=1e-6, atol=1e-8)
    learner.LinearRegressionGD(learning_rate=0.1, n_iters=20).fit(X_stored, y_stored)
    expect_unchanged(X, worker.fetch(X_stored), "LinearRegressionGD().fit(X, y)", "X")
    expect_unchanged(y, worker.fetch(y_stored), "LinearRegressionGD().fit(X, y)", "y")


@pytest.mark.points(1)
def test_wrong_number_of_features(learner, rng):
    """predict with a different number of features than fit raises an error"""
    from grader.learner import LearnerError

    X, y, _, _ = linear_data(rng, 30, 3)
    model = learner.LinearRegression().fit(X, y)
    try:
        got = model.predict(rng.normal(size=(5, 2)))
    except LearnerError as error:
        if error.type_name in ("NotImplementedError",):
            raise
        return
    fail(f"predict(X) on a model fitted with 3 features, given X with 2, returned {got!r}; expected an error (ValueError)")


@pytest.mark.points(2)
def test_diabetes(learner, rng):
    """on the diabetes data, the held-out R² equals the least-squares model's"""
    data = load_dataset("diabetes")
    train, test = train_test_indices(rng, len(data.target), 0.25)
    coef, intercept = least_squares(data.data[train], data.target[train])
    expected = r2(data.target[test], data.data[test] @ coef + intercept)
    model = learner.LinearRegression().fit(data.data[train], data.target[train])
    expect_number_close(model.score(data.data[test], data.target[test]), expected,
                        "LinearRegression().fit(X_train, y_train).score(X_test, y_test) on the diabetes data", rtol=1e-6)


@pytest.mark.points(2)
def test_gradient_descent_converges(learner, rng):
    """LinearRegressionGD reaches the least-squares solution on standardised data"""
    X, y, _, _ = linear_data(rng, 200, 3, noise=0.3)
    coef, intercept = least_squares(X, y)
    model = learner.LinearRegressionGD(learning_rate=0.1, n_iters=1000).fit(X, y)
    expect_loss_going_down(model.loss_history_, "LinearRegressionGD(learning_rate=0.1, n_iters=1000).fit(X, y)")
    expect_close(model.coef_, coef, "LinearRegressionGD(learning_rate=0.1, n_iters=1000).fit(X, y).coef_", rtol=1e-5, atol=1e-6,
                 why="(the least-squares weights)")
    expect_number_close(model.intercept_, intercept, "LinearRegressionGD(learning_rate=0.1, n_iters=1000).fit(X, y).intercept_",
                        rtol=1e-5, atol=1e-6)


@pytest.mark.points(1)
def test_gradient_descent_loss_history(learner, rng):
    """loss_history_ has one mean squared error per iteration, going down"""
    X, y, _, _ = linear_data(rng, 100, 2, noise=0.5)
    model = learner.LinearRegressionGD(learning_rate=0.05, n_iters=300).fit(X, y)
    history = expect_loss_going_down(model.loss_history_, "LinearRegressionGD(learning_rate=0.05, n_iters=300).fit(X, y)", 300)
    expect_number_close(history[0], float(np.mean(y**2)), "loss_history_[0]", rtol=1e-9,
                        why="(the loss at the start, w = 0 and b = 0, recorded before the first update: mean(y ** 2))")
    final_mse = float(np.mean((X @ np.asarray(model.coef_) + float(model.intercept_) - y) ** 2))
    expect_number_close(history[-1], final_mse, "loss_history_[-1]", rtol=0.02,
                        why="(the mean squared error — mean((X @ w + b - y) ** 2), not a sum or half of it — near the end)")


@pytest.mark.points(1)
def test_gradient_descent_averages_over_samples(learner, rng):
    """the same learning rate works for 3 000 samples (the gradient is averaged, not summed)"""
    X, y, _, _ = linear_data(rng, 3000, 2, noise=0.3)
    coef, _ = least_squares(X, y)
    model = learner.LinearRegressionGD(learning_rate=0.1, n_iters=300).fit(X, y)
    expect_loss_going_down(model.loss_history_, "LinearRegressionGD(learning_rate=0.1, n_iters=300) on 3 000 samples")
    expect_close(model.coef_, coef, "LinearRegressionGD(learning_rate=0.1, n_iters=300).fit(X, y).coef_ on 3 000 samples",
                 rtol=1e-4, atol=1e-5)


@pytest.mark.points(1)
def test_gradient_descent_predicts_and_scores(learner, rng):
    """LinearRegressionGD predicts and scores like LinearRegression"""
    X, y, _, _ = linear_data(rng, 100, 2, noise=0.5)
    X_test, y_test, _, _ = linear_data(rng, 30, 2)
    X, X_test = standardize(X, X_test)
    model = learner.LinearRegressionGD(learning_rate=0.1, n_iters=500).fit(X, y)
    coef, intercept = np.asarray(model.coef_, dtype=float), expect_float(model.intercept_, "LinearRegressionGD(...).fit(X, y).intercept_")
    expect_close(model.predict(X_test), X_test @ coef + intercept, "LinearRegressionGD(...).fit(X, y).predict(X_test)", rtol=1e-9, atol=1e-9)
    expect_number_close(model.score(X_test, y_test), r2(y_test, X_test @ coef + intercept), "LinearRegressionGD(...).score(X_test, y_test)", rtol=1e-6)
