"""Mistake: numerical_gradient nudges the caller's x in place (np.asarray, += / -=), no float copy."""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    x = np.asarray(x)
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        x[index] += eps
        f_plus = f(x)
        x[index] -= 2 * eps
        f_minus = f(x)
        x[index] += eps
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def gradient_descent(grad, x0, learning_rate=0.1, n_steps=100):
    x = np.array(x0, dtype=float)
    history = np.empty((n_steps + 1,) + x.shape)
    history[0] = x
    for step in range(1, n_steps + 1):
        x = x - learning_rate * np.asarray(grad(x), dtype=float)
        history[step] = x
    return x, history

