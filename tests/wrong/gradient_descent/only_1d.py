"""Mistake: numerical_gradient loops over range(len(x)) and perturbs x[i], so it only works for 1-D x."""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    point = np.array(x, dtype=float)
    grad = np.zeros_like(point)
    for i in range(len(point)):
        original = point[i].copy()
        point[i] = original + eps
        f_plus = f(point)
        point[i] = original - eps
        f_minus = f(point)
        point[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def gradient_descent(grad, x0, learning_rate=0.1, n_steps=100):
    x = np.array(x0, dtype=float)
    history = np.empty((n_steps + 1,) + x.shape)
    history[0] = x
    for step in range(1, n_steps + 1):
        x = x - learning_rate * np.asarray(grad(x), dtype=float)
        history[step] = x
    return x, history

