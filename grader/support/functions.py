"""Functions the learner's optimisers are run on, with their exact gradients.

Suites send them to the worker as ``KitObject("grader.support.functions:Name", ...)`` recipes, so the
learner's code calls them there; the grader builds its own copy to compute the expected answers.
"""

from __future__ import annotations

import numpy as np


class Quadratic:
    """``f(x) = 0.5 x^T A x - b^T x`` for a symmetric positive definite ``A``; minimum at ``A^{-1} b``."""

    def __init__(self, A, b) -> None:
        self.A = np.asarray(A, dtype=float)
        self.b = np.asarray(b, dtype=float)

    def __call__(self, x) -> float:
        x = np.asarray(x, dtype=float)
        return float(0.5 * x @ self.A @ x - self.b @ x)

    def gradient(self, x) -> np.ndarray:
        return self.A @ np.asarray(x, dtype=float) - self.b


class QuadraticGradient(Quadratic):
    """The gradient of :class:`Quadratic` as a callable, for ``gradient_descent(grad, ...)``."""

    def __call__(self, x) -> np.ndarray:
        return self.gradient(x)


class Rosenbrock:
    """``f(x, y) = (a - x)^2 + b (y - x^2)^2``: a curved valley with its minimum at ``(a, a^2)``."""

    def __init__(self, a: float = 1.0, b: float = 10.0) -> None:
        self.a, self.b = float(a), float(b)

    def __call__(self, point) -> float:
        x, y = np.asarray(point, dtype=float)
        return float((self.a - x) ** 2 + self.b * (y - x**2) ** 2)

    def gradient(self, point) -> np.ndarray:
        x, y = np.asarray(point, dtype=float)
        return np.array([-2 * (self.a - x) - 4 * self.b * x * (y - x**2), 2 * self.b * (y - x**2)])


class RosenbrockGradient(Rosenbrock):
    def __call__(self, point) -> np.ndarray:
        return self.gradient(point)


class WavyBowl:
    """A smooth function of an array of any shape: ``sum(W * sin(3 x)) + 0.25 * sum(x^4)``."""

    def __init__(self, weights) -> None:
        self.weights = np.asarray(weights, dtype=float)

    def __call__(self, x) -> float:
        x = np.asarray(x, dtype=float)
        return float(np.sum(self.weights * np.sin(3 * x)) + 0.25 * np.sum(x**4))

    def gradient(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        return 3 * self.weights * np.cos(3 * x) + x**3
