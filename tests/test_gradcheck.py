"""The gradient-check helper: central differences are accurate in float64, and a wrong backward pass is
reported with the parameter, the worst index, both values and the mistake."""

import numpy as np
import pytest

from grader.support.gradcheck import DEFAULT_THRESHOLD, expect_gradient, numeric_gradient, relative_error


def softmax_loss(W, X, labels):
    logits = X @ W
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probabilities = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -log_probabilities[np.arange(len(labels)), labels].mean()


def softmax_loss_gradient(W, X, labels):
    logits = X @ W
    probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    probabilities[np.arange(len(labels)), labels] -= 1
    return X.T @ probabilities / len(labels)


@pytest.fixture
def problem():
    rng = np.random.default_rng(0)
    X, W = rng.normal(size=(8, 5)), rng.normal(size=(5, 3))
    labels = rng.integers(0, 3, size=8)
    return W, X, labels


def test_numeric_gradient_matches_an_exact_gradient_in_float64(problem):
    W, X, labels = problem
    before = W.copy()
    numeric = numeric_gradient(lambda w: softmax_loss(w, X, labels), W)
    exact = softmax_loss_gradient(W, X, labels)
    assert relative_error(numeric, exact).max() < 1e-7
    np.testing.assert_array_equal(W, before)


def test_relative_error_counts_two_zeros_as_equal_and_tiny_values_as_far_apart():
    errors = relative_error([0.0, 1e-3, 1000.0001], [0.0, 2e-3, 1000.0002])
    assert errors[0] == 0.0
    assert errors[1] == pytest.approx(1 / 3)
    assert errors[2] < 1e-7


def test_a_correct_gradient_passes(problem):
    W, X, labels = problem
    numeric = numeric_gradient(lambda w: softmax_loss(w, X, labels), W)
    returned = expect_gradient(softmax_loss_gradient(W, X, labels), numeric, "backward()", "W")
    assert returned.shape == W.shape


@pytest.mark.parametrize(
    "mistake, diagnosis",
    [(lambda g, n: -g, "sign is flipped"), (lambda g, n: g * n, "8 times the expected one")],
    ids=["sign", "not averaged over the batch"],
)
def test_a_wrong_gradient_names_parameter_index_values_and_mistake(problem, mistake, diagnosis):
    W, X, labels = problem
    numeric = numeric_gradient(lambda w: softmax_loss(w, X, labels), W)
    wrong = mistake(softmax_loss_gradient(W, X, labels), len(labels))
    with pytest.raises(AssertionError) as caught:
        expect_gradient(wrong, numeric, "Dense.backward(grad)", "W")
    message = str(caught.value)
    assert "Dense.backward(grad): the gradient of W is wrong at index (" in message
    assert "numeric" in message and "yours" in message and f"above {DEFAULT_THRESHOLD:g}" in message
    assert diagnosis in message


def test_one_wrong_entry_is_located(problem):
    W, X, labels = problem
    numeric = numeric_gradient(lambda w: softmax_loss(w, X, labels), W)
    wrong = softmax_loss_gradient(W, X, labels)
    wrong[3, 1] += 0.5
    with pytest.raises(AssertionError, match=r"at index \(3, 1\).*1 of 15 entries"):
        expect_gradient(wrong, numeric, "backward()", "W")


def test_a_wrong_shape_is_reported_before_values(problem):
    W, X, labels = problem
    numeric = numeric_gradient(lambda w: softmax_loss(w, X, labels), W)
    with pytest.raises(AssertionError, match=r"shape"):
        expect_gradient(softmax_loss_gradient(W, X, labels).T, numeric, "backward()", "W")
