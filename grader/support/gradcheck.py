"""Checking a learner's backward pass against numeric differentiation, as CS231n teaches it.

The numeric side is computed in the grader, on the suite's own forward function (a reference written in
the suite), never through learner code: a learner cannot make both sides agree by being wrong twice.

- :func:`numeric_gradient`: central differences ``(f(x + h e_i) - f(x - h e_i)) / 2h`` in float64, for an
  array of any shape;
- :func:`relative_error`: ``|a - b| / max(|a| + |b|, tiny)`` element-wise, so a gradient of 1e-9 against
  2e-9 counts as far off while 1000.0001 against 1000.0002 does not;
- :func:`expect_gradient`: fails with the parameter's name, the worst index, numeric versus analytic
  values, and the mistake where the numbers show it (a flipped sign, a missing 1/batch factor, ...).

Thresholds: with ``h = 1e-6`` in float64 a correct gradient of a smooth function has a relative error
around 1e-8..1e-6; a wrong one is off by 1e-2 or more. ``DEFAULT_THRESHOLD = 1e-5`` sits between. Near a
kink (ReLU at 0, max-pool ties) central differences are wrong themselves: suites keep their test points
away from kinks rather than loosen the threshold.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from grader.support.checks import diagnose, expect_array, fail

DEFAULT_STEP = 1e-6
DEFAULT_THRESHOLD = 1e-5
TINY = 1e-8  # below this, |a| + |b| counts as zero: both gradients are (near) exactly zero


def numeric_gradient(f: Callable[[np.ndarray], float], x, step: float = DEFAULT_STEP) -> np.ndarray:
    """The gradient of the scalar function ``f`` at ``x`` by central differences, shaped like ``x``.

    ``f`` receives a float64 array shaped like ``x``, one coordinate moved by ``±step`` at a time; ``x``
    itself is not changed.
    """
    point = np.array(x, dtype=np.float64)
    gradient = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + step
        above = float(f(point))
        point[index] = original - step
        below = float(f(point))
        point[index] = original
        gradient[index] = (above - below) / (2 * step)
    return gradient


def relative_error(a, b, tiny: float = TINY) -> np.ndarray:
    """``|a - b| / max(|a| + |b|, tiny)``, element-wise."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), tiny)


def expect_gradient(analytic, numeric, call: str, parameter: str, threshold: float = DEFAULT_THRESHOLD,
                    floor: float = 0.0, tiny: float = TINY) -> np.ndarray:
    """The learner's ``analytic`` gradient of ``parameter`` must match ``numeric`` to ``threshold`` (relative error).

    ``call`` says where the analytic gradient came from (``"Dense.backward(grad_output)"``); ``parameter``
    names what it is the gradient of (``"W"``, ``"the input x"``). Entries below ``floor * max|numeric|``
    (and below ``tiny``) are measured on that absolute scale instead: central differences lose about 1e-10
    to rounding, which is a large relative error on an entry of 1e-6 although both sides are right, while a
    wrong backward pass is off at its large entries too. Returns the analytic gradient as an array.
    """
    numeric = np.asarray(numeric, dtype=np.float64)
    analytic = expect_array(analytic, f"{call}: the gradient of {parameter}", numeric.shape)
    scale = max(floor * float(np.max(np.abs(numeric), initial=0.0)), tiny)
    errors = relative_error(analytic, numeric, tiny=scale)
    if numeric.size == 0 or float(errors.max()) <= threshold:
        return analytic
    worst = np.unravel_index(int(np.argmax(errors)), errors.shape)
    where = f" at index {tuple(int(i) for i in worst)}" if numeric.ndim else ""
    wrong = int((errors > threshold).sum())
    message = (
        f"{call}: the gradient of {parameter} is wrong{where}: numeric {float(numeric[worst]):.6g}, "
        f"yours {float(analytic[worst]):.6g} (relative error {float(errors[worst]):.2g}; "
        f"{wrong} of {numeric.size} entries above {threshold:g})"
    )
    mistake = diagnose(analytic, numeric)
    fail(message + (f" — {mistake}" if mistake else ""))
    return analytic
