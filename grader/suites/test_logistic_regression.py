"""Hidden suite for exercise 5, logistic_regression.

Fits are judged by the objective they reach, not by the path: any optimiser that minimises
mean log-loss + (l2 / 2) * ||w||^2 (gradient descent, Newton's method, ...) passes.
"""

import numpy as np
import pytest

from grader.support.checks import (
    expect_no_warnings,
    expect_array,
    expect_close,
    expect_float,
    expect_loss_going_down,
    expect_number_close,
    expect_unchanged,
    expect_value_error,
    fail,
    show,
)
from grader.support.data import k_fold_indices, separable_data, standardize, two_blobs
from grader.support.datasets import load_dataset


def objective(X, t, weights, intercept, l2):
    z = X @ weights + intercept
    return float(np.mean(np.logaddexp(0.0, z) - t * z) + 0.5 * l2 * weights @ weights)


def optimum(X, t, l2, penalise_intercept=False):
    """The minimiser of the penalised log-loss, by Newton's method (to machine precision)."""
    design = np.column_stack([X, np.ones(len(X))])
    penalty = np.full(design.shape[1], l2)
    if not penalise_intercept:
        penalty[-1] = 0.0
    theta = np.zeros(design.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(design @ theta)))
        gradient = design.T @ (p - t) / len(t) + penalty * theta
        hessian = (design.T * (p * (1 - p))) @ design / len(t) + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.max(np.abs(step)) < 1e-13:
            break
    return theta[:-1], float(theta[-1])


def reference_sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


@pytest.mark.points(1)
def test_sigmoid_values(learner, rng):
    """sigmoid matches 1 / (1 + exp(-z)) on ordinary inputs"""
    z = rng.normal(scale=4, size=12)
    expect_close(learner.sigmoid(z), reference_sigmoid(z), "sigmoid(z) for z of shape (12,)", rtol=1e-12, atol=1e-15)


@pytest.mark.points(2)
def test_sigmoid_is_stable(learner, worker):
    """sigmoid(±1000) gives 0 and 1 without overflow warnings"""
    z = np.array([-1000.0, -745.5, -30.0, 0.0, 30.0, 745.5, 1000.0])
    got = expect_close(learner.sigmoid(z), reference_sigmoid(z), "sigmoid([-1000, -745.5, -30, 0, 30, 745.5, 1000])", rtol=1e-12, atol=1e-300)
    expect_no_warnings(worker, "sigmoid(z) for large |z|",
                       "the values are right, but exp overflowed; use exp(z) / (1 + exp(z)) where z < 0")
    del got


@pytest.mark.points(1)
def test_sigmoid_shapes(learner, rng):
    """sigmoid keeps the shape of its input (a matrix, a single number)"""
    z = rng.normal(size=(3, 4))
    expect_close(learner.sigmoid(z), reference_sigmoid(z), "sigmoid(z) for z of shape (3, 4)", rtol=1e-12)
    expect_number_close(learner.sigmoid(0.0), 0.5, "sigmoid(0.0)")


@pytest.mark.points(3)
def test_fit_minimises_the_penalised_loss(learner, rng):
    """fit reaches the minimum of mean log-loss + (l2 / 2) * ||w||^2"""
    X, labels = two_blobs(rng, 200, 3, separation=1.5)
    X, = standardize(X)
    w_best, b_best = optimum(X, labels, l2=0.1)
    call = "LogisticRegression(learning_rate=0.5, n_iters=2000, l2=0.1).fit(X, y)"
    model = learner.LogisticRegression(learning_rate=0.5, n_iters=2000, l2=0.1).fit(X, labels)
    coef = expect_array(model.coef_, f"{call}.coef_", (3,))
    intercept = expect_float(model.intercept_, f"{call}.intercept_")
    reached, best = objective(X, labels, coef, intercept, 0.1), objective(X, labels, w_best, b_best, 0.1)
    if reached - best > 1e-7:
        expect_close(coef, w_best, f"{call}.coef_", rtol=1e-4, atol=1e-5,
                     why=f"(its loss is {reached:.6g}; the minimum is {best:.6g})")
    expect_close(coef, w_best, f"{call}.coef_", rtol=1e-3, atol=1e-4)


@pytest.mark.points(1)
def test_intercept_is_not_penalised(learner, rng):
    """the L2 penalty applies to the weights only, not to the intercept"""
    X, labels = two_blobs(rng, 200, 2, separation=1.0)
    X, = standardize(X)
    labels = np.where(rng.uniform(size=200) < 0.85, 1, labels)  # mostly one class: the intercept matters
    w_best, b_best = optimum(X, labels, l2=1.0)
    model = learner.LogisticRegression(learning_rate=0.5, n_iters=2000, l2=1.0).fit(X, labels)
    intercept = expect_float(model.intercept_, "LogisticRegression(l2=1.0).fit(X, y).intercept_")
    _, b_penalised = optimum(X, labels, l2=1.0, penalise_intercept=True)
    if abs(intercept - b_penalised) < 1e-3 and abs(b_penalised - b_best) > 1e-2:
        fail(f"LogisticRegression(l2=1.0).fit(X, y).intercept_ is {intercept:.5g}; expected {b_best:.5g} — "
             "you penalised the intercept: l2 applies to coef_ only")
    expect_number_close(intercept, b_best, "LogisticRegression(learning_rate=0.5, n_iters=2000, l2=1.0).fit(X, y).intercept_", rtol=1e-3, atol=1e-4)


@pytest.mark.points(1)
def test_predict_proba(learner, rng):
    """predict_proba has shape (n, 2), rows summing to 1, column 1 = sigmoid(X @ coef_ + intercept_)"""
    X, labels = two_blobs(rng, 80, 2, separation=2.0)
    model = learner.LogisticRegression(learning_rate=0.1, n_iters=200).fit(X, labels)
    coef = expect_array(model.coef_, "LogisticRegression().fit(X, y).coef_", (2,))
    intercept = expect_float(model.intercept_, "LogisticRegression().fit(X, y).intercept_")
    X_new = rng.normal(size=(15, 2))
    p = reference_sigmoid(X_new @ coef + intercept)
    got = expect_array(model.predict_proba(X_new), "predict_proba(X_new) for 15 samples", (15, 2))
    if np.allclose(got, np.column_stack([p, 1 - p]), atol=1e-9) and not np.allclose(p, 0.5):
        fail("predict_proba(X) has its columns swapped: column 0 is P(classes_[0]) = 1 - p, column 1 is P(classes_[1]) = p")
    expect_close(got, np.column_stack([1 - p, p]), "predict_proba(X_new)", rtol=1e-9, atol=1e-12,
                 why="(columns [1 - p, p] with p = sigmoid(X @ coef_ + intercept_))")


@pytest.mark.points(2)
def test_labels_come_back_as_given(learner, rng):
    """classes_ holds the labels as given (-1/1, strings) and predict returns them"""
    X, labels = two_blobs(rng, 100, 2, separation=6.0)  # overlap ~0.1%: 95% is safe for any correct fit
    for name, values in (("-1/1", np.array([-1, 1])), ("strings", np.array(["ham", "spam"]))):
        y = values[labels]
        model = learner.LogisticRegression(learning_rate=0.5, n_iters=300).fit(X, y)
        classes = model.classes_
        if not isinstance(classes, np.ndarray) or classes.tolist() != values.tolist():
            fail(f"with labels {values.tolist()}, classes_ is {show(classes)}; expected np.unique(y) = {values.tolist()}")
        predicted = model.predict(X)
        expect_array(predicted, f"predict(X) with {name} labels", (100,), numeric=False)
        if not set(predicted.tolist()) <= set(values.tolist()):
            fail(f"with labels {values.tolist()}, predict(X) returned {show(predicted)}; expected labels from classes_ "
                 "(return classes_[decisions], not the 0/1 decisions)")
        if np.mean(predicted == y) < 0.95:
            fail(f"with labels {values.tolist()} on well-separated data, predict(X) is right for only "
                 f"{np.mean(predicted == y):.0%} of the training samples; expected over 95%")


@pytest.mark.points(1)
def test_separable_data(learner, rng):
    """on separable data the training accuracy reaches 1.0, and large scores keep the loss finite"""
    X, labels, _ = separable_data(rng, 100, 2, margin=1.0)
    call = "LogisticRegression(learning_rate=1.0, n_iters=3000).fit(X, y)"
    model = learner.LogisticRegression(learning_rate=1.0, n_iters=3000).fit(X, labels)
    expect_number_close(model.score(X, labels), 1.0, f"{call}.score(X, y) on linearly separable data")
    call = "LogisticRegression(learning_rate=1.0, n_iters=20).fit(50 * X, y)"
    history = np.asarray(learner.LogisticRegression(learning_rate=1.0, n_iters=20).fit(50.0 * X, labels).loss_history_, dtype=float)
    if not np.all(np.isfinite(history)):
        fail(f"{call}: loss_history_ contains nan or inf ({show(history)}): where the scores are large, "
             "sigmoid is exactly 0 or 1 and log(0) is -inf; compute the loss as np.logaddexp(0, z) - t * z "
             "instead of from log(sigmoid(z))")


@pytest.mark.points(1)
def test_loss_history(learner, rng):
    """loss_history_ holds the penalised loss at each iteration, going down"""
    X, labels = two_blobs(rng, 120, 2, separation=1.5)
    model = learner.LogisticRegression(learning_rate=0.2, n_iters=400, l2=0.05).fit(X, labels)
    history = expect_loss_going_down(model.loss_history_, "LogisticRegression(learning_rate=0.2, n_iters=400, l2=0.05).fit(X, y)", 400)
    expect_number_close(history[0], np.log(2.0), "loss_history_[0]", rtol=1e-9,
                        why="(the loss at the start, w = 0 and b = 0, recorded before the first update: log 2)")
    coef = np.asarray(model.coef_, dtype=float)
    expect_number_close(history[-1], objective(X, labels, coef, float(model.intercept_), 0.05), "loss_history_[-1]", rtol=1e-3,
                        why="(mean log-loss + (l2 / 2) * sum(coef_ ** 2) near the end)")


@pytest.mark.points(2)
def test_breast_cancer(learner, rng):
    """on the breast-cancer data (standardised), 5-fold cross-validated accuracy is at least 0.95"""
    data = load_dataset("breast_cancer")
    correct = 0
    for train, test in k_fold_indices(rng, len(data.target), 5):
        X_train, X_test = standardize(data.data[train], data.data[test])
        model = learner.LogisticRegression(learning_rate=0.5, n_iters=300, l2=0.01).fit(X_train, data.target[train])
        predicted = expect_array(model.predict(X_test), "predict(X_test) on the breast-cancer data", (len(test),))
        correct += int(np.sum(predicted == data.target[test]))
    accuracy = correct / len(data.target)
    if accuracy < 0.95:
        fail(f"LogisticRegression(learning_rate=0.5, n_iters=300, l2=0.01) reached a cross-validated accuracy of "
             f"{accuracy:.3f} on the breast-cancer data (each sample predicted once, by a model that did not see it); "
             "expected at least 0.95")


@pytest.mark.points(1)
def test_score_and_inputs(learner, worker, rng):
    """score is the accuracy; fit leaves X and y unchanged; more than two classes is a ValueError"""
    X, labels = two_blobs(rng, 60, 2, separation=1.0)
    X_stored, y_stored = worker.put(X), worker.put(labels)
    model = learner.LogisticRegression(learning_rate=0.1, n_iters=100).fit(X_stored, y_stored)
    expect_unchanged(X, worker.fetch(X_stored), "LogisticRegression().fit(X, y)", "X")
    expect_unchanged(labels, worker.fetch(y_stored), "LogisticRegression().fit(X, y)", "y")
    predicted = expect_array(model.predict(X), "predict(X)", (60,))
    expect_number_close(model.score(X, labels), float(np.mean(predicted == labels)), "score(X, y)", why="(the fraction of correct predictions)")
    expect_value_error(lambda: learner.LogisticRegression().fit(X, labels + (np.arange(60) % 3 == 0)),
                       "fit(X, y) with three classes", "(binary only)")
