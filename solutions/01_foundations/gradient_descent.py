"""Gradient descent: exercise 1 of ml-from-scratch.

Almost every model in this course is trained the same way: write down a loss, compute its gradient,
step downhill, repeat. Here you write the two tools that make that possible:

- ``numerical_gradient`` estimates a gradient from function values alone. It is slow, but it needs no
  calculus, so it is the referee that checks every hand-written gradient later in the course.
- ``gradient_descent`` follows a gradient downhill from a starting point.

Grade your work with ``ml-grade gradient_descent``; stuck? ``ml-grade hint gradient_descent``.
"""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    """Estimate the gradient of a scalar function ``f`` at ``x`` by central differences.

    For each coordinate ``i``, nudge ``x`` by ``eps`` in that coordinate only, both ways::

        df/dx_i  ≈  (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)

    where ``e_i`` is the array with a 1 at position ``i`` and 0 elsewhere. The error of this central
    difference shrinks like ``eps**2``; the one-sided ``(f(x + eps*e_i) - f(x)) / eps`` only like ``eps``.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a float.
    x : array_like, any shape
        Where to evaluate the gradient. Lists are accepted; integer input is treated as float.
        ``x`` itself must not be changed.
    eps : float, default 1e-6
        The step size.

    Returns
    -------
    grad : ndarray of float, same shape as ``x``
        ``grad[i]`` estimates the partial derivative of ``f`` with respect to ``x[i]`` (``i`` may be a
        multi-index: for a matrix ``x`` the gradient is a matrix).

    Examples
    --------
    >>> numerical_gradient(lambda v: np.sum(v ** 2), np.array([1.0, -2.0])).round(6)   # exact up to ~1e-9
    array([ 2., -4.])
    """
    # BEGIN SOLUTION
    # Step 1: make a float copy of x, so that integer input works and x itself is never changed.
    point = np.array(x, dtype=float)
    grad = np.zeros_like(point)
    # Step 2: for every index of the array (np.ndindex walks all of them, whatever the shape),
    #         evaluate f at x + eps and x - eps in that coordinate only and take the central difference.
    #         Put the coordinate back before moving on.
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + eps
        f_plus = f(point)
        point[index] = original - eps
        f_minus = f(point)
        point[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    # Step 3: return the gradient, an array shaped like x.
    return grad
    # END SOLUTION


def gradient_descent(grad, x0, learning_rate=0.1, n_steps=100):
    """Minimise a function by gradient descent, given its gradient.

    Starting from ``x0``, take ``n_steps`` steps, each against the gradient::

        x_{k+1} = x_k - learning_rate * grad(x_k)

    Parameters
    ----------
    grad : callable
        Takes an array shaped like ``x0`` and returns the gradient there, an array of the same shape.
    x0 : array_like, any shape
        The starting point. Lists are accepted; it must not be changed.
    learning_rate : float, default 0.1
        The step size. Too large and the iterates blow up; too small and they barely move.
    n_steps : int, default 100
        How many steps to take (0 is allowed: then nothing moves).

    Returns
    -------
    x : ndarray of float, same shape as ``x0``
        The point after ``n_steps`` steps.
    history : ndarray of float, shape ``(n_steps + 1, *x0.shape)``
        Every point visited: ``history[0]`` is ``x0``, ``history[k]`` the point after ``k`` steps and
        ``history[-1]`` equals ``x``.

    Examples
    --------
    >>> x, history = gradient_descent(lambda v: 2 * v, [4.0], learning_rate=0.25, n_steps=2)
    >>> x, history.tolist()
    (array([1.]), [[4.0], [2.0], [1.0]])
    """
    # BEGIN SOLUTION
    # Step 1: start from a float copy of x0 and an array (or list) to record the points visited.
    x = np.array(x0, dtype=float)
    history = np.empty((n_steps + 1,) + x.shape)
    history[0] = x
    # Step 2: take n_steps steps against the gradient; record each new point.
    #         Careful: store a copy of each point (or build a new array each step), not the same
    #         array object over and over.
    for step in range(1, n_steps + 1):
        x = x - learning_rate * np.asarray(grad(x), dtype=float)
        history[step] = x
    # Step 3: return the final point and the history as one array.
    return x, history
    # END SOLUTION
