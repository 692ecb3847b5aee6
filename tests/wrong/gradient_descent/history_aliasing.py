"""Mistake: gradient_descent updates x in place (x -= ...) and appends that same array to history every step."""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    point = np.array(x, dtype=float)
    grad = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + eps
        f_plus = f(point)
        point[index] = original - eps
        f_minus = f(point)
        point[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def gradient_descent(grad, x0, learning_rate=0.1, n_steps=100):
    x = np.array(x0, dtype=float)
    history = [x]
    for _ in range(n_steps):
        x -= learning_rate * np.asarray(grad(x), dtype=float)
        history.append(x)
    return x, np.array(history)
