"""Mistake: numerical_gradient uses a one-sided (forward) difference (f(x + eps) - f(x)) / eps."""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    point = np.array(x, dtype=float)
    grad = np.zeros_like(point)
    f_here = f(point)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + eps
        f_plus = f(point)
        point[index] = original
        grad[index] = (f_plus - f_here) / eps
    return grad


def gradient_descent(grad, x0, learning_rate=0.1, n_steps=100):
    x = np.array(x0, dtype=float)
    history = np.empty((n_steps + 1,) + x.shape)
    history[0] = x
    for step in range(1, n_steps + 1):
        x = x - learning_rate * np.asarray(grad(x), dtype=float)
        history[step] = x
    return x, history

