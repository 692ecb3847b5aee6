"""Hidden suite for exercise 8, svm.

``hinge_loss_and_gradient`` is compared with the suite's own formula on points chosen away from the
corners of the hinge (``t * z`` never near 0 or 1), so every correct subgradient convention agrees there;
the usual mistakes (no regulariser, a sum instead of a mean, a flipped sign, a regularised intercept,
only misclassified samples counted) are named when the numbers match them.

Fits are judged by what they reach, not by the path: the objective ``J(w, b)`` of the learner's
``coef_`` and ``intercept_`` against its minimum, which the suite computes exactly with its own solver
of the dual problem (SMO), and on separable data the geometric margin against the widest possible one
(half the distance between the two classes' convex hulls, computed exactly).
Any optimiser that gets there (fixed step, shrinking step, another method) passes; the tolerances leave
room for the documented fixed-step subgradient descent at the hyper-parameters used here.
"""

import numpy as np
import pytest

from grader.learner import LearnerError
from grader.support.checks import (
    expect_array,
    expect_close,
    expect_float,
    expect_loss_going_down,
    expect_number_close,
    expect_unchanged,
    fail,
    show,
)
from grader.support.data import separable_data, standardize, train_test_indices, two_blobs

CALL = "hinge_loss_and_gradient(X, t, coef, intercept, C)"
TINY = (": the regularisation wins over the hinge loss — does C multiply the hinge loss (not 0.5 * ||w||^2), and "
        "does every sample with t * z < 1 count as a violator (not only the misclassified ones, t * z < 0)?")


# ----------------------------------------------------------------------------------------------------
# The suite's own formulas and solvers


def hinge_terms(X, t, coef, intercept, C, violators=None):
    """Loss parts and subgradient parts: (0.5 * w @ w, mean hinge, hinge part of dJ/dw, hinge part of dJ/db)."""
    margins = t * (X @ coef + intercept)
    if violators is None:
        violators = margins < 1.0
    pull = t * violators
    return (0.5 * coef @ coef, float(np.mean(np.maximum(0.0, 1.0 - margins))),
            -C * (X.T @ pull) / len(t), -C * float(pull.sum()) / len(t))


def objective(X, t, coef, intercept, C):
    """J(w, b) = 0.5 * ||w||^2 + C * mean(max(0, 1 - t * (X @ w + b)))."""
    return float(0.5 * coef @ coef + C * np.mean(np.maximum(0.0, 1.0 - t * (X @ coef + intercept))))


def best_intercept(X, t, coef):
    """The exact minimiser over b of the mean hinge loss for fixed w (it is at a corner: t * z = 1)."""
    scores = X @ coef
    candidates = t - scores  # the b that puts each sample exactly on its margin
    losses = np.maximum(0.0, 1.0 - t[None, :] * (scores[None, :] + candidates[:, None])).mean(axis=1)
    return float(candidates[np.argmin(losses)])


def minimum(X, t, C):
    """The minimiser (w, b) of J, by SMO on the dual to machine precision.

    Dual: maximise sum(a) - 0.5 * ||sum_i a_i t_i x_i||^2 subject to 0 <= a_i <= C / n, sum_i a_i t_i = 0;
    then w = sum_i a_i t_i x_i, and b is the exact best intercept for that w.
    """
    n = len(t)
    upper = C / n
    alpha, coef = np.zeros(n), np.zeros(X.shape[1])
    squared_norms = np.einsum("ij,ij->i", X, X)
    for _ in range(20000):
        # The maximal violating pair (Keerthi et al.): i can move up along t, j down.
        score = t - X @ coef  # -t * (gradient of the dual in minimisation form)
        up = np.flatnonzero(((t > 0) & (alpha < upper)) | ((t < 0) & (alpha > 0)))
        low = np.flatnonzero(((t > 0) & (alpha > 0)) | ((t < 0) & (alpha < upper)))
        i, j = up[np.argmax(score[up])], low[np.argmin(score[low])]
        gap = score[i] - score[j]
        if gap < 1e-11:
            break
        curvature = max(squared_norms[i] + squared_norms[j] - 2.0 * X[i] @ X[j], 1e-15)
        step = min(gap / curvature, upper - alpha[i] if t[i] > 0 else alpha[i], alpha[j] if t[j] > 0 else upper - alpha[j])
        alpha[i] += t[i] * step
        alpha[j] -= t[j] * step
        coef = coef + step * (X[i] - X[j])
    return coef, best_intercept(X, t, coef)


def widest_margin(X, t):
    """The hard-margin optimum for 2-D data: the largest min_i t_i * (x_i @ w + b) / ||w|| over all lines.

    It is half the distance between the convex hulls of the two classes. In the plane, the closest points of
    two disjoint convex polygons are a corner of one and a point on an edge of the other, and every edge joins
    two samples: the smallest distance from a sample to a segment between two samples of the other class is
    exact (segments inside a hull are never closer).
    """
    def distance(points, others):
        i, j = np.triu_indices(len(others))  # i == j: the segment is a single sample
        start, edge = others[i], others[j] - others[i]
        along = np.einsum("pmk,mk->pm", points[:, None, :] - start[None], edge) / np.maximum(np.einsum("mk,mk->m", edge, edge), 1e-300)
        nearest = start[None] + np.clip(along, 0.0, 1.0)[..., None] * edge[None]
        return float(np.min(np.linalg.norm(points[:, None, :] - nearest, axis=2)))

    positive, negative = X[t > 0], X[t < 0]
    return 0.5 * min(distance(positive, negative), distance(negative, positive))


def minimum_with_penalised_intercept(X, t, C, n_steps=4000):
    """The minimiser of J + 0.5 * b^2 (the "regularised intercept" mistake), by FISTA on its dual.

    With x augmented by a 1, the dual is a box-constrained QP: maximise sum(a) - 0.5 * ||sum a_i t_i x_i||^2
    subject to 0 <= a_i <= C / n.
    """
    augmented = np.column_stack([X, np.ones(len(X))])
    upper, lipschitz = C / len(t), np.linalg.norm(augmented, 2) ** 2
    alpha = ahead = np.zeros(len(t))
    momentum = 1.0
    for _ in range(n_steps):
        gradient = t * (augmented @ (augmented.T @ (ahead * t))) - 1.0
        new_alpha = np.clip(ahead - gradient / lipschitz, 0.0, upper)
        new_momentum = (1.0 + np.sqrt(1.0 + 4.0 * momentum**2)) / 2.0
        ahead = new_alpha + (momentum - 1.0) / new_momentum * (new_alpha - alpha)
        alpha, momentum = new_alpha, new_momentum
    weights = augmented.T @ (alpha * t)
    return weights[:-1], float(weights[-1])


# ----------------------------------------------------------------------------------------------------
# Data


def signs(labels):
    return np.where(labels == 1, 1.0, -1.0)


def points_with_margins(rng, n_features):
    """Random X (45 samples), t, coef, intercept with margins t * z in (-2, -0.1), (0.1, 0.9) and (1.1, 3).

    No margin is near 1 (the corner of the hinge) or 0, so every subgradient convention agrees, and some
    violators are still classified right (0 < t * z < 1). The 23 samples with t = +1 include 16 violators,
    the 22 with t = -1 only 8, so sum(t * v) = 8: the intercept's gradient is never 0.
    """
    t = np.repeat([1.0, -1.0], [23, 22])
    counts = np.array([[8, 8, 7], [4, 4, 14]])  # per class: misclassified, inside the margin, outside it
    margins = np.concatenate([
        np.concatenate([rng.uniform(-2.0, -0.1, a), rng.uniform(0.1, 0.9, b), rng.uniform(1.1, 3.0, c)]) for a, b, c in counts
    ])
    order = rng.permutation(45)
    t, margins = t[order], margins[order]
    coef, intercept = rng.normal(size=n_features), float(rng.normal())
    X = rng.normal(size=(45, n_features))
    X += np.outer((margins * t - intercept - X @ coef) / (coef @ coef), coef)  # move along coef to that margin
    return X, t, coef, intercept


def noisy_blobs(rng, n_samples, n_features, separation):
    X, labels = two_blobs(rng, n_samples, n_features, separation=separation)
    X, = standardize(X)
    return X, labels


def fitted(model, call, n_features):
    """The learner's coef_ and intercept_ after fit, checked for shape and type."""
    return expect_array(model.coef_, f"{call}.coef_", (n_features,)), expect_float(model.intercept_, f"{call}.intercept_")


def expect_minimum(X, t, C, coef, intercept, call, rtol=1e-3):
    """The learner's J(coef_, intercept_) must be within rtol of the minimum of J."""
    best_coef, best_b = minimum(X, t, C)
    reached, best = objective(X, t, coef, intercept, C), objective(X, t, best_coef, best_b, C)
    if reached - best <= rtol * best:
        return
    mistake = ("check that hinge_loss_and_gradient passes its tests, then the update: w -= learning_rate * grad_coef "
               "and b -= learning_rate * grad_intercept at every step")
    if np.allclose(coef, 0.0, atol=1e-6):
        mistake = (" — coef_ is 0: is t built as +1 / -1? With t = 0 for the samples of classes_[0], they never pull "
                   "the line (their t * z is 0 whatever w is)")
    elif reached > C:
        mistake = f" — even worse than at the start (w = 0, b = 0, where J = C = {C:g}): {mistake}"
    else:
        mistake = f" — {mistake}"
    fail(f"{call}: J(coef_, intercept_) = 0.5 * ||coef_||^2 + C * mean hinge loss is {reached:.6g}; the minimum is "
         f"{best:.6g} (at coef_ = {show(best_coef)}, intercept_ = {best_b:.4g}); you have coef_ = {show(coef)}, "
         f"intercept_ = {intercept:.4g}{mistake}")


# ----------------------------------------------------------------------------------------------------
# hinge_loss_and_gradient


@pytest.mark.points(1)
def test_loss_value(learner, rng):
    """the loss is J = 0.5 * ||w||^2 + C * mean(max(0, 1 - t * (X @ w + b)))"""
    X, t, coef, intercept = points_with_margins(rng, 3)
    C = 0.7
    result = learner.hinge_loss_and_gradient(X, t, coef, intercept, C)
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        fail(f"{CALL} returned {show(result)}; expected a tuple (loss, grad_coef, grad_intercept)")
    loss = expect_float(result[0], f"{CALL}[0], the loss,")
    half_norm, mean_hinge, _, _ = hinge_terms(X, t, coef, intercept, C)
    violators = np.sum(t * (X @ coef + intercept) < 1.0)
    mistakes = (
        (C * mean_hinge, "the regularisation term 0.5 * ||w||^2 is missing"),
        (half_norm + C * mean_hinge * len(t), "the hinge losses are summed instead of averaged (divide by n)"),
        (half_norm + C * mean_hinge * len(t) / violators, "the hinge losses are averaged over the violators only; "
                                                            "average over all n samples (the others count 0)"),
        (half_norm + C * mean_hinge + 0.5 * intercept**2, "the intercept is regularised: 0.5 * ||w||^2 is over the weights only"),
        (2.0 * half_norm + C * mean_hinge, "the regularisation term is ||w||^2 without the 1/2"),
        (C * half_norm + mean_hinge, "C multiplies the regularisation term instead of the hinge loss"),
    )
    expected = half_norm + C * mean_hinge
    if not np.isclose(loss, expected, rtol=1e-9, atol=1e-12):
        for value, mistake in mistakes:
            if np.isclose(loss, value, rtol=1e-9, atol=1e-12):
                fail(f"{CALL}[0], the loss, is {loss:.6g}; expected {expected:.6g} — {mistake}")
    expect_number_close(loss, expected, f"{CALL}[0], the loss,", rtol=1e-9, atol=1e-12,
                        why=f"(0.5 * ||w||^2 = {half_norm:.6g} plus C = {C} times the mean hinge loss {mean_hinge:.6g})")


@pytest.mark.points(3)
def test_subgradient_away_from_the_kink(learner, rng):
    """the subgradient: C times -t * x averaged over all samples for the violators (t * z < 1), plus w for the weights"""
    X, t, coef, intercept = points_with_margins(rng, 3)
    C = 1.3
    result = learner.hinge_loss_and_gradient(X, t, coef, intercept, C)
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        fail(f"{CALL} returned {show(result)}; expected a tuple (loss, grad_coef, grad_intercept)")
    grad_coef = expect_array(result[1], f"{CALL}[1], grad_coef,", (3,))
    grad_b = expect_float(result[2], f"{CALL}[2], grad_intercept,")
    _, _, hinge_w, hinge_b = hinge_terms(X, t, coef, intercept, C)
    expected_w, expected_b = coef + hinge_w, hinge_b
    n, n_violators = len(t), int(np.sum(t * (X @ coef + intercept) < 1.0))
    _, _, misclassified_w, misclassified_b = hinge_terms(X, t, coef, intercept, C, violators=t * (X @ coef + intercept) <= 0.0)
    mistakes = (
        (hinge_w, hinge_b, "the regularisation term is missing: add w (the gradient of 0.5 * ||w||^2) to grad_coef"),
        (coef + n * hinge_w, n * hinge_b, "the hinge part is summed instead of averaged: divide it by n, the number of samples"),
        (coef + n / n_violators * hinge_w, n / n_violators * hinge_b,
         "the hinge part is averaged over the violators only: divide by n, all the samples (the others add 0)"),
        (coef - hinge_w, -hinge_b, "the hinge part has the wrong sign: d/dz max(0, 1 - t * z) = -t for a violator, "
                                   "so each violator adds -t_i * x_i (times C / n)"),
        (-expected_w, -expected_b, "the sign is flipped: return the gradient itself, not minus it"),
        (expected_w, expected_b + intercept, "the intercept is regularised: grad_intercept has no + b term, "
                                             "only grad_coef gets + w"),
        (coef + misclassified_w, misclassified_b, "only the misclassified samples (t * z < 0) are counted; every "
                                                  "sample with t * z < 1 is a margin violator"),
        (C * coef + hinge_w / C, hinge_b / C, "C multiplies the regularisation term instead of the hinge part"),
    )
    correct = np.allclose(grad_coef, expected_w, rtol=1e-8, atol=1e-10) and np.isclose(grad_b, expected_b, rtol=1e-8, atol=1e-10)
    if not correct:
        for mistake_w, mistake_b, mistake in mistakes:
            if np.allclose(grad_coef, mistake_w, rtol=1e-8, atol=1e-10) and np.isclose(grad_b, mistake_b, rtol=1e-8, atol=1e-10):
                fail(f"{CALL} returned grad_coef = {show(grad_coef)}, grad_intercept = {grad_b:.6g}; expected "
                     f"{show(expected_w)} and {expected_b:.6g} — {mistake}")
    expect_close(grad_coef, expected_w, f"{CALL}[1], grad_coef,", rtol=1e-8, atol=1e-10,
                 why=f"(w - C * X.T @ (t * v) / n, with v = 1 for the {n_violators} of {n} samples with t * z < 1)")
    expect_number_close(grad_b, expected_b, f"{CALL}[2], grad_intercept,", rtol=1e-8, atol=1e-10,
                        why="(-C * sum(t * v) / n: the intercept is not regularised)")


# ----------------------------------------------------------------------------------------------------
# LinearSVM


@pytest.mark.points(2)
def test_labels_come_back_as_given(learner, rng):
    """classes_ holds the labels as given (0/1, -1/1, strings, any two values) and predict returns them"""
    X, labels = two_blobs(rng, 100, 2, separation=6.0)  # overlap ~0.1%: 95% is safe for any correct fit
    cases = (("0/1", np.array([0, 1])), ("-1/1", np.array([-1, 1])), ("strings", np.array(["ham", "spam"])),
             ("3/7", np.array([3, 7])))
    for name, values in cases:
        y = values[labels]
        model = learner.LinearSVM(C=1.0, learning_rate=0.1, n_iters=300).fit(X, y)
        classes = model.classes_
        if not isinstance(classes, np.ndarray) or classes.tolist() != values.tolist():
            fail(f"with labels {values.tolist()}, classes_ is {show(classes)}; expected np.unique(y) = {values.tolist()}")
        predicted = model.predict(X)
        expect_array(predicted, f"predict(X) with {name} labels", (100,), numeric=False)
        if not set(predicted.tolist()) <= set(values.tolist()):
            fail(f"with labels {values.tolist()}, predict(X) returned {show(predicted)}; expected labels from classes_ "
                 "(return classes_[decisions], not -1/+1 or 0/1)")
        accuracy = float(np.mean(predicted == y))
        if accuracy < 0.95:
            mistake = ""
            if len(set(predicted.tolist())) == 1 and name != "-1/1":
                mistake = (" — every sample gets the same label: the hinge loss needs t = +1 for classes_[1] and t = -1 for "
                           "classes_[0]; with t = 0 a sample never pulls the line (t * z = 0 for every w)")
            fail(f"with labels {values.tolist()} on well-separated data, predict(X) is right for only {accuracy:.0%} "
                 f"of the training samples; expected over 95%{mistake}")


@pytest.mark.points(3)
def test_fit_minimises_the_objective(learner, rng):
    """fit reaches the minimum of J = 0.5 * ||w||^2 + C * mean hinge loss (for C = 1 and C = 10)"""
    X, labels = noisy_blobs(rng, 200, 3, separation=1.5)
    t = signs(labels)
    for C, learning_rate, n_iters in ((1.0, 0.1, 1000), (10.0, 0.01, 2000)):
        call = f"LinearSVM(C={C:g}, learning_rate={learning_rate}, n_iters={n_iters}).fit(X, y)"
        model = learner.LinearSVM(C=C, learning_rate=learning_rate, n_iters=n_iters).fit(X, labels)
        coef, intercept = fitted(model, call, 3)
        expect_minimum(X, t, C, coef, intercept, call)


@pytest.mark.points(1)
def test_intercept_is_not_regularised(learner, rng):
    """the regularisation 0.5 * ||w||^2 is on the weights only: the intercept is free (data away from the origin)"""
    X, labels = two_blobs(rng, 200, 2, separation=2.0, offset=np.zeros(2))
    towards = X[labels == 1].mean(axis=0) - X[labels == 0].mean(axis=0)
    X = X + 2.0 * towards / np.linalg.norm(towards)  # the best intercept is then far from 0
    t, C = signs(labels), 1.0
    call = "LinearSVM(C=1, learning_rate=0.1, n_iters=1000).fit(X, y)"
    model = learner.LinearSVM(C=C, learning_rate=0.1, n_iters=1000).fit(X, labels)
    coef, intercept = fitted(model, call, 2)
    best_coef, best_b = minimum(X, t, C)
    reached, best = objective(X, t, coef, intercept, C), objective(X, t, best_coef, best_b, C)
    _, penalised_b = minimum_with_penalised_intercept(X, t, C) if reached - best > 1e-3 * best else (None, np.inf)
    if abs(intercept - penalised_b) < 0.05 and abs(intercept - best_b) > 0.2:
        fail(f"{call}.intercept_ is {intercept:.4g}; the minimum of J is at intercept_ = {best_b:.4g} — you regularised "
             f"the intercept (the minimum of J + 0.5 * b^2 is at {penalised_b:.4g}): 0.5 * ||w||^2 and its gradient w "
             "are for the weights only")
    expect_minimum(X, t, C, coef, intercept, call)


@pytest.mark.points(2)
def test_separable_data_widest_margin(learner, rng):
    """on separable data with a large C, every training point is classified right with (nearly) the widest margin"""
    X, labels, _ = separable_data(rng, 60, 2, margin=1.0)
    t = signs(labels)
    # With C / n = 1 the minimum of J is the hard-margin SVM: its 1 / ||w|| is the widest margin (the dual's
    # a_i sum to ||w||^2 <= 1 here, as every sample is at least 1 away from a line through the origin).
    call = "LinearSVM(C=60, learning_rate=0.002, n_iters=5000).fit(X, y)"
    model = learner.LinearSVM(C=60.0, learning_rate=0.002, n_iters=5000).fit(X, labels)
    coef, intercept = fitted(model, call, 2)
    best = widest_margin(X, t)
    margins = t * (X @ coef + intercept)
    norm = float(np.linalg.norm(coef))
    too_small = norm > 0 and 1.0 / norm > 2.0 * best
    wrong = int(np.sum(margins <= 0))
    if wrong:
        mistake = f" — coef_ is tiny (1 / ||coef_|| = {1 / norm:.4g}){TINY}" if too_small else ""
        fail(f"{call} on linearly separable data misclassifies {wrong} of the 60 training points; expected none "
             f"(with C = 60 the minimum of J allows no violation at all){mistake}")
    margin = float(np.min(margins) / norm)
    if margin < 0.9 * best:
        mistake = ""
        if np.min(margins) >= 1.0 - 1e-9:
            mistake = (" — every point has t * z >= 1, but ||coef_|| is larger than it needs to be: the gradient w "
                       "of the regularisation term is what widens the margin. Is it in the subgradient, and is the hinge "
                       "part averaged (divided by n) so that it does not swamp w?")
        fail(f"{call}: the geometric margin min t * (X @ coef_ + intercept_) / ||coef_|| is {margin:.4g}; the widest "
             f"possible on these data is {best:.4g} (expected at least 90% of it){mistake}")
    if abs(1.0 / norm - best) > 0.1 * best:
        mistake = f" — coef_ is too small{TINY}" if too_small else ""
        fail(f"{call}: 1 / ||coef_|| is {1 / norm:.4g}; expected the widest margin, {best:.4g} (within 10%): with this C "
             f"the closest points sit on the margin, t * (X @ coef_ + intercept_) = 1{mistake}")


@pytest.mark.points(2)
def test_larger_C_fits_tighter(learner, rng):
    """a larger C fits noisy training data tighter: the mean hinge loss does not grow and the margin 1 / ||w|| shrinks"""
    X, labels = noisy_blobs(rng, 200, 2, separation=2.0)
    t = signs(labels)
    results = []
    for C, learning_rate, n_iters in ((0.1, 0.1, 1000), (1.0, 0.1, 1000), (10.0, 0.01, 2000)):
        call = f"LinearSVM(C={C:g}, learning_rate={learning_rate}, n_iters={n_iters}).fit(X, y)"
        coef, intercept = fitted(learner.LinearSVM(C=C, learning_rate=learning_rate, n_iters=n_iters).fit(X, labels), call, 2)
        hinge = float(np.mean(np.maximum(0.0, 1.0 - t * (X @ coef + intercept))))
        results.append((C, hinge, float(np.linalg.norm(coef)), (coef, intercept)))
    for (small_C, small_hinge, small_norm, small_fit), (large_C, large_hinge, large_norm, large_fit) in zip(results, results[1:]):
        if large_hinge > small_hinge + 1e-3 or large_norm < small_norm:
            looser = ""
            for C, fit in ((small_C, small_fit), (large_C, large_fit)):
                swapped_coef, swapped_b = minimum(X, t, 1.0 / C)
                swapped_best = objective(X, t, swapped_coef, swapped_b, 1.0 / C)
                if C != 1.0 and objective(X, t, *fit, 1.0 / C) - swapped_best <= 1e-2 * swapped_best:
                    looser = (f" — your LinearSVM(C={C:g}) fits like the right one with C = {1 / C:g}: C multiplies the "
                              "regularisation term instead of the hinge loss")
            fail(f"LinearSVM(C={small_C:g}) gives mean training hinge loss {small_hinge:.4g} and margin 1 / ||coef_|| = "
                 f"{1 / small_norm:.4g}; LinearSVM(C={large_C:g}) gives {large_hinge:.4g} and {1 / large_norm:.4g}. "
                 f"Expected the larger C to fit tighter: a hinge loss no larger and a narrower margin{looser}")


@pytest.mark.points(1)
def test_loss_history(learner, rng):
    """loss_history_ holds J before each update: C at the start (w = 0, b = 0), going down to J of the fit"""
    X, labels = noisy_blobs(rng, 120, 2, separation=2.0)
    t = signs(labels)
    call = "LinearSVM(C=2, learning_rate=0.05, n_iters=300).fit(X, y)"
    model = learner.LinearSVM(C=2.0, learning_rate=0.05, n_iters=300).fit(X, labels)
    history = expect_loss_going_down(model.loss_history_, call, 300)
    expect_number_close(history[0], 2.0, f"{call}.loss_history_[0]", rtol=1e-9,
                        why="(J at the start, w = 0 and b = 0, recorded before the first update: every hinge loss is "
                            "max(0, 1 - 0) = 1, so J = C * 1 = 2)")
    coef, intercept = fitted(model, call, 2)
    expect_number_close(history[-1], objective(X, t, coef, intercept, 2.0), f"{call}.loss_history_[-1]", rtol=1e-3,
                        why="(0.5 * ||coef_||^2 + C * mean hinge loss near the end)")


@pytest.mark.points(1)
def test_decision_function_and_predict(learner, rng):
    """decision_function is X @ coef_ + intercept_ (shape (n,)); predict is classes_[1] where it is positive"""
    X, labels = two_blobs(rng, 80, 2, separation=2.0, offset=[3.0, -2.0])
    y = np.array(["cat", "dog"])[labels]
    model = learner.LinearSVM(C=1.0, learning_rate=0.1, n_iters=200).fit(X, y)
    coef, intercept = fitted(model, "LinearSVM(C=1, learning_rate=0.1, n_iters=200).fit(X, y)", 2)
    X_new = rng.normal(size=(15, 2)) * 2.0 + [3.0, -2.0]
    expected = X_new @ coef + intercept
    scores = expect_array(model.decision_function(X_new), "decision_function(X_new) for 15 samples", (15,))
    if np.allclose(scores, X_new @ coef, rtol=1e-9, atol=1e-12) and abs(intercept) > 1e-9:
        fail(f"decision_function(X_new) returned {show(scores)}; expected {show(expected)} — intercept_ is missing: "
             "return X @ coef_ + intercept_")
    expect_close(scores, expected, "decision_function(X_new)", rtol=1e-9, atol=1e-12, why="(X @ coef_ + intercept_)")
    predicted = expect_array(model.predict(X_new), "predict(X_new) for 15 samples", (15,), numeric=False)
    want = np.where(expected > 0, "dog", "cat")
    if predicted.tolist() != want.tolist():
        fail(f"predict(X_new) returned {predicted.tolist()}; expected {want.tolist()} (classes_[1] = 'dog' where "
             "decision_function is positive, else classes_[0] = 'cat')")


@pytest.mark.points(1)
def test_noisy_blobs_held_out(learner, rng):
    """on noisy blobs, held-out accuracy is as good as that of the best line (the minimum of J)"""
    X, labels = two_blobs(rng, 300, 2, separation=2.0)
    train, test = train_test_indices(rng, 300, 1 / 3)
    X_train, X_test = standardize(X[train], X[test])
    best_coef, best_b = minimum(X_train, signs(labels[train]), 1.0)
    expected = float(np.mean((X_test @ best_coef + best_b > 0) == labels[test]))
    call = "LinearSVM(C=1, learning_rate=0.1, n_iters=1000).fit(X_train, y_train).score(X_test, y_test)"
    accuracy = expect_float(learner.LinearSVM(C=1.0, learning_rate=0.1, n_iters=1000).fit(X_train, labels[train])
                            .score(X_test, labels[test]), call)
    if accuracy < expected - 0.03:
        fail(f"{call} is {accuracy:.3f}; the line that minimises J scores {expected:.3f} on the same test data")


@pytest.mark.points(1)
def test_score_and_inputs(learner, worker, rng):
    """fit returns self, leaves X and y unchanged and takes lists; score is the accuracy; three classes is a ValueError"""
    X, labels = noisy_blobs(rng, 60, 2, separation=1.0)
    X_stored, y_stored = worker.put(X), worker.put(labels)
    model = learner.LinearSVM(C=1.0, learning_rate=0.1, n_iters=100)
    returned = model.fit(X_stored, y_stored)
    if returned is not model:
        fail(f"LinearSVM().fit(X, y) returned {returned!r}; expected the model itself (end fit with `return self`)")
    expect_unchanged(X, worker.fetch(X_stored), "LinearSVM().fit(X, y)", "X")
    expect_unchanged(labels, worker.fetch(y_stored), "LinearSVM().fit(X, y)", "y")
    coef = np.asarray(model.coef_, dtype=float)
    from_lists = learner.LinearSVM(C=1.0, learning_rate=0.1, n_iters=100).fit(X.tolist(), labels.tolist())
    expect_close(from_lists.coef_, coef, "LinearSVM().fit(X as a list, y as a list).coef_", rtol=1e-9, atol=1e-12,
                 why="(the same as with arrays)")
    predicted = expect_array(model.predict(X), "predict(X)", (60,))
    expect_number_close(model.score(X, labels), float(np.mean(predicted == labels)), "score(X, y)",
                        why="(the fraction of correct predictions)")
    t = signs(labels)
    t_stored, coef_stored = worker.put(t), worker.put(coef)
    learner.hinge_loss_and_gradient(X_stored, t_stored, coef_stored, 0.5, 1.0)
    for name, before, stored in (("X", X, X_stored), ("t", t, t_stored), ("coef", coef, coef_stored)):
        expect_unchanged(before, worker.fetch(stored), CALL, name)
    try:
        model_3 = learner.LinearSVM(n_iters=10).fit(X, labels + (np.arange(60) % 3 == 0))
    except LearnerError as error:
        if error.type_name != "ValueError":
            fail(f"LinearSVM().fit(X, y) with three classes raised {error.type_name}; expected ValueError")
        return
    fail(f"LinearSVM().fit(X, y) with three classes returned {model_3!r}; expected a ValueError (binary only)")
