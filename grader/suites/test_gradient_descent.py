"""Hidden suite for exercise 1, gradient_descent."""

import numpy as np
import pytest

from grader.protocol import KitObject
from grader.support import functions
from grader.support.checks import expect_array, expect_close, expect_unchanged, fail, show


def random_spd(rng, size):
    """A well-conditioned symmetric positive definite matrix (eigenvalues in [0.5, 2])."""
    basis, _ = np.linalg.qr(rng.normal(size=(size, size)))
    return basis @ np.diag(rng.uniform(0.5, 2.0, size)) @ basis.T


def kit(name, *args):
    return KitObject(f"grader.support.functions:{name}", *args)


def exact_descent(gradient, x0, learning_rate, n_steps):
    history = [np.array(x0, dtype=float)]
    for _ in range(n_steps):
        history.append(history[-1] - learning_rate * gradient(history[-1]))
    return np.array(history)


@pytest.mark.points(2)
def test_numerical_gradient_of_a_quadratic(learner, rng):
    """numerical_gradient matches the exact gradient of a quadratic"""
    A, b = random_spd(rng, 5), rng.normal(size=5)
    x = rng.normal(size=5)
    got = learner.numerical_gradient(kit("Quadratic", A, b), x)
    expect_close(got, functions.Quadratic(A, b).gradient(x), "numerical_gradient(f, x) with x of shape (5,)", rtol=1e-5, atol=1e-6)


@pytest.mark.points(2)
def test_numerical_gradient_of_a_matrix(learner, rng):
    """numerical_gradient works for x of any shape (here a 3x4 matrix)"""
    weights = rng.uniform(0.5, 1.5, size=(3, 4))
    x = rng.uniform(-1, 1, size=(3, 4))
    got = learner.numerical_gradient(kit("WavyBowl", weights), x, 1e-5)
    expected = functions.WavyBowl(weights).gradient(x)
    expect_close(got, expected, "numerical_gradient(f, x, eps=1e-5) with x of shape (3, 4)", rtol=1e-5, atol=1e-6,
                 why="(loop over every entry, e.g. with np.ndindex(x.shape))")


@pytest.mark.points(1)
def test_numerical_gradient_is_central(learner, rng):
    """numerical_gradient uses central differences (accurate to about eps**2)"""
    weights = rng.uniform(0.5, 1.5, size=4)
    x = rng.uniform(-1, 1, size=4)
    got = expect_array(learner.numerical_gradient(kit("WavyBowl", weights), x, 1e-3), "numerical_gradient(f, x, eps=1e-3)", (4,))
    expected = functions.WavyBowl(weights).gradient(x)
    error = np.max(np.abs(got - expected))
    if error > 1e-4:
        fail(
            f"numerical_gradient(f, x, eps=1e-3) is off by up to {error:.2g} (got {show(got)}, expected {show(expected)}); "
            "central differences (f(x + eps) - f(x - eps)) / (2 eps) are accurate to about 1e-5 here, "
            "one-sided differences only to about 1e-3"
        )


@pytest.mark.points(1)
def test_numerical_gradient_keeps_its_input(learner, worker, rng):
    """numerical_gradient accepts lists of integers and leaves x unchanged"""
    A, b = random_spd(rng, 3), rng.normal(size=3)
    f = kit("Quadratic", A, b)
    expected = functions.Quadratic(A, b).gradient(np.array([1.0, 2.0, -1.0]))
    got = learner.numerical_gradient(f, [1, 2, -1])
    expect_close(got, expected, "numerical_gradient(f, [1, 2, -1]) (a list of integers)", rtol=1e-5, atol=1e-6,
                 why="(an integer array cannot hold x + eps: work on a float copy)")
    x = rng.normal(size=3)
    stored = worker.put(x)
    learner.numerical_gradient(f, stored)
    expect_unchanged(x, worker.fetch(stored), "numerical_gradient(f, x)", "x")


@pytest.mark.points(1)
def test_one_step(learner, rng):
    """gradient_descent takes one step against the gradient"""
    A, b = random_spd(rng, 3), rng.normal(size=3)
    x0 = rng.normal(size=3)
    result = learner.gradient_descent(kit("QuadraticGradient", A, b), x0, 0.1, 1)
    if not isinstance(result, tuple) or len(result) != 2:
        fail(f"gradient_descent(...) returned {show(result)}; expected a pair (x, history)")
    x, history = result
    expected = x0 - 0.1 * functions.Quadratic(A, b).gradient(x0)
    expect_close(x, expected, "gradient_descent(grad, x0, learning_rate=0.1, n_steps=1) -> x", rtol=1e-9, atol=1e-12,
                 why="(x1 = x0 - learning_rate * grad(x0))")
    expect_close(history, np.array([x0, expected]), "gradient_descent(...) -> history with n_steps=1", rtol=1e-9, atol=1e-12,
                 why="(history holds the start and every step: n_steps + 1 rows)")


@pytest.mark.points(2)
def test_descends_a_convex_quadratic(learner, rng):
    """gradient_descent follows the exact path down a convex quadratic and reaches its minimum"""
    A, b = random_spd(rng, 4), rng.normal(size=4)
    x0 = rng.normal(size=4) * 3
    quadratic = functions.Quadratic(A, b)
    x, history = learner.gradient_descent(kit("QuadraticGradient", A, b), x0, 0.3, 200)
    expected = exact_descent(quadratic.gradient, x0, 0.3, 200)
    history = expect_array(history, "gradient_descent(grad, x0, 0.3, 200) -> history", (201, 4))
    if np.allclose(history, history[-1]) and not np.allclose(x0, history[-1]):
        fail("every row of history is the same point: you stored the same array each step "
             "(use x = x - ... to make a new array, or store x.copy())")
    expect_close(history, expected, "gradient_descent(grad, x0, 0.3, 200) -> history", rtol=1e-8, atol=1e-10)
    expect_close(x, np.linalg.solve(A, b), "gradient_descent(grad, x0, 0.3, 200) -> x", rtol=1e-4, atol=1e-6,
                 why="(the minimum A^-1 b)")


@pytest.mark.points(1)
def test_descends_a_curved_valley(learner, rng):
    """gradient_descent follows the exact path along a Rosenbrock-like valley"""
    start = rng.uniform(-1.5, 0.0, size=2)
    x, history = learner.gradient_descent(kit("RosenbrockGradient", 1.0, 10.0), start, 0.01, 1500)
    expected = exact_descent(functions.Rosenbrock(1.0, 10.0).gradient, start, 0.01, 1500)
    expect_close(x, expected[-1], "gradient_descent(grad, x0, 0.01, 1500) on (1 - x)^2 + 10 (y - x^2)^2 -> x", rtol=1e-6, atol=1e-9)


@pytest.mark.points(1)
def test_zero_steps_and_lists(learner, worker, rng):
    """gradient_descent accepts a list, allows n_steps=0 and leaves x0 unchanged"""
    A, b = random_spd(rng, 2), rng.normal(size=2)
    x, history = learner.gradient_descent(kit("QuadraticGradient", A, b), [1.0, -1.0], 0.1, 0)
    expect_close(x, [1.0, -1.0], "gradient_descent(grad, [1.0, -1.0], 0.1, n_steps=0) -> x")
    expect_close(history, [[1.0, -1.0]], "gradient_descent(grad, [1.0, -1.0], 0.1, n_steps=0) -> history")
    x0 = rng.normal(size=2)
    stored = worker.put(x0)
    learner.gradient_descent(kit("QuadraticGradient", A, b), stored, 0.1, 5)
    expect_unchanged(x0, worker.fetch(stored), "gradient_descent(grad, x0, ...)", "x0")
