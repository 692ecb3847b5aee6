"""Checks for suites: each failure says what was called, what was expected and what came back.

A check raises ``AssertionError`` with a message written for a beginner; where the numbers match a
mistake learners often make, the message names it (a missing intercept, a flipped sign, a factor of 2).
"""

from __future__ import annotations

import numpy as np


def show(value) -> str:
    """A short, readable rendering of a value for a feedback line."""
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            body = np.array2string(value, precision=4, separator=", ", suppress_small=True)
        else:
            flat = value.ravel()
            number = np.issubdtype(value.dtype, np.number)  # bools and strings as Python shows them, not np.True_
            body = "[" + ", ".join(f"{v:.4g}" if number else repr(v.item()) for v in flat[:4]) + ", ...]"
        return f"array {body} (shape {value.shape}, dtype {value.dtype})"
    if isinstance(value, float):
        return f"{value:.6g}"
    type_name = _learner_object_type(value)
    if type_name:
        return f"an object of your class {type_name} (only numpy arrays and plain values come back from your code)"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _learner_object_type(value) -> str:
    """The class name of an object that stayed in the learner's process, else ''."""
    from grader.learner import RemoteObject

    return value._type_name.rpartition(".")[2] if isinstance(value, RemoteObject) else ""  # no "f.<locals>." prefix


def fail(message: str) -> None:
    raise AssertionError(message)


def expect_array(got, call: str, shape: tuple, numeric: bool = True) -> np.ndarray:
    """``got`` must be an ndarray of ``shape`` (real numbers unless ``numeric=False``) without NaN or inf."""
    if not isinstance(got, np.ndarray):
        if got is None:
            kind = "None (is a `return` missing?)"
        elif _learner_object_type(got):
            kind = show(got)
        else:
            kind = f"a {type(got).__name__}: {show(got)}"
        fail(f"{call} returned {kind}; expected a numpy array of shape {shape}")
    if got.shape != tuple(shape):
        extra = ""
        if len(shape) == 1 and got.shape == (shape[0], 1):
            extra = " — a column instead of a 1-D array: keep y 1-D (shape (n,)) or flatten with .ravel()"
        elif len(shape) == 1 and got.shape == (1, shape[0]):
            extra = " — a row instead of a 1-D array"
        elif got.ndim == 0 and shape:
            extra = " — a single number instead of one value per entry"
        fail(f"{call} returned shape {got.shape}; expected {tuple(shape)}{extra}")
    if numeric:
        if not (np.issubdtype(got.dtype, np.integer) or np.issubdtype(got.dtype, np.floating) or got.dtype == bool):
            fail(f"{call} returned an array of dtype {got.dtype}; expected real numbers (float)")
        if np.issubdtype(got.dtype, np.floating) and not np.all(np.isfinite(got)):
            bad = "nan" if np.isnan(got).any() else "inf"
            fail(f"{call} returned {bad} values: {show(got)} — something overflowed or divided by zero")
    return got


def expect_float(got, call: str) -> float:
    """``got`` must be one real number (a Python or numpy scalar, or a 0-d array)."""
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got[()]
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
        fail(f"{call} returned {show(got)}; expected a single number")
    value = float(got)
    if not np.isfinite(value):
        fail(f"{call} returned {value}; expected a finite number")
    return value


def diagnose(got: np.ndarray, expected: np.ndarray) -> str:
    """Name a common mistake that explains the difference, or ''."""
    got = np.asarray(got, dtype=float)
    expected = np.asarray(expected, dtype=float)
    scale = max(np.max(np.abs(expected)), 1e-12)
    difference = got - expected
    if expected.size > 1 and np.ptp(difference) < 1e-6 * scale and abs(difference.mean()) > 1e-6 * scale:
        return f"every value is off by the same amount ({difference.mean():+.4g}): is the intercept missing or wrong?"
    if np.allclose(got, -expected, rtol=1e-6, atol=1e-9 * scale):
        return "the sign is flipped: check the sign of your gradient or update"
    nonzero = np.abs(expected) > 1e-9 * scale
    if nonzero.any():
        ratios = got[nonzero] / expected[nonzero]
        ratio = float(np.median(ratios))
        if np.allclose(ratios, ratio, rtol=1e-4) and abs(ratio - 1) > 1e-3 and ratio != 0:
            hint = " (a missing or extra factor of 2?)" if np.isclose(ratio, 2, rtol=1e-3) or np.isclose(ratio, 0.5, rtol=1e-3) else ""
            what = "every value is" if got.size > 1 else "it is"
            return f"{what} {ratio:.4g} times the expected one{hint}"
    return ""


def expect_close(got, expected, call: str, rtol: float = 1e-6, atol: float = 1e-9, why: str = "") -> np.ndarray:
    """``got`` must be an array shaped like ``expected`` whose values match it to ``rtol``/``atol``."""
    expected = np.asarray(expected, dtype=float)
    got = expect_array(got, call, expected.shape)
    if np.allclose(got, expected, rtol=rtol, atol=atol):
        return got
    error = np.abs(got - expected) - rtol * np.abs(expected)
    worst = np.unravel_index(int(np.argmax(error)), expected.shape) if expected.ndim else ()
    where = f" at index {tuple(int(i) for i in worst)}" if expected.ndim else ""
    message = (
        f"{call} returned {show(got)}; expected {show(expected)}{(' ' + why) if why else ''}. "
        f"Largest difference{where}: got {float(got[worst]):.6g}, expected {float(expected[worst]):.6g}"
    )
    mistake = diagnose(got, expected)
    fail(message + (f" — {mistake}" if mistake else ""))
    return got


def expect_number_close(got, expected: float, call: str, rtol: float = 1e-6, atol: float = 1e-9, why: str = "") -> float:
    value = expect_float(got, call)
    if not np.isclose(value, expected, rtol=rtol, atol=atol):
        fail(f"{call} returned {value:.6g}; expected {expected:.6g}{(' ' + why) if why else ''}")
    return value


def describe_loss_trend(history: np.ndarray) -> str:
    """Why a loss history looks wrong, or '' if it goes down."""
    history = np.asarray(history, dtype=float)
    if not np.all(np.isfinite(history)):
        first = int(np.argmin(np.isfinite(history)))
        return (
            f"the loss became {history[first]} at step {first}: training diverged — is the gradient averaged "
            "over the samples (divided by n), with the right sign?"
        )
    if history.size >= 2 and history[-1] > history[0]:
        if np.all(np.diff(history) > 0):
            return "the loss grew at every step — check the sign of your gradient (step against it), or whether it is averaged over the samples"
        return (f"the loss went up overall (from {history[0]:.4g} to {history[-1]:.4g}) — the steps do not follow the "
                "loss: is the gradient averaged over the samples, and does it include every term of the loss "
                "(a regularisation term too)?")
    return ""


def expect_loss_going_down(history, call: str, length: int | None = None) -> np.ndarray:
    """A loss history (array or list, one loss per step) must be finite and go down; says why not."""
    try:
        values = np.asarray(history, dtype=float)
    except (TypeError, ValueError):
        fail(f"{call}.loss_history_ is {show(history)}; expected an array with one loss per iteration")
    if values.ndim != 1:
        fail(f"{call}.loss_history_ has shape {values.shape}; expected one loss per iteration, shape ({length or 'n_iters'},)")
    trend = describe_loss_trend(values)
    if trend:
        fail(f"{call}: {trend}")
    if length is not None and values.shape != (length,):
        fail(f"{call}.loss_history_ has shape {values.shape}; expected ({length},): one loss per iteration")
    return values


def expect_unchanged(before: np.ndarray, after: np.ndarray, call: str, argument: str) -> None:
    if before.shape != after.shape or not np.array_equal(before, after, equal_nan=True):
        fail(f"{call} changed its input {argument} in place; work on a copy (e.g. np.array(x, dtype=float))")


def expect_value_error(call_learner, call: str, why: str = "") -> str:
    """``call_learner()`` (a call into learner code) must raise ValueError; returns its message.

    A stub (NotImplementedError) or a timeout propagates, so the test is reported as not started or timed out.
    """
    from grader.learner import LearnerError, LearnerNotStarted, LearnerTimeout

    try:
        returned = call_learner()
    except (LearnerNotStarted, LearnerTimeout):
        raise
    except LearnerError as error:
        if error.type_name != "ValueError":
            fail(f"{call} raised {error.type_name}: {error.message}; expected a ValueError{(' ' + why) if why else ''}")
        return error.message
    fail(f"{call} returned {show(returned)}; expected a ValueError{(' ' + why) if why else ''}")
    return ""


def expect_no_warnings(worker, call: str, why: str) -> None:
    """The last call into learner code (``call``) made numpy warn of nothing; ``why`` says what to change."""
    if worker.warnings:
        first = worker.warnings[0]
        fail(f"{call} made numpy warn: {first['category']}: {first['message']} (your line {first['line']}) — {why}")


def expect_no_error(call_learner, call: str, advice: dict[str, str] | None = None):
    """Return what ``call_learner()`` (a call into learner code) returns; an exception it raises fails the test,
    naming ``call`` and adding ``advice[exception type name]`` where given.

    A stub (NotImplementedError) or a timeout propagates, so the test is reported as not started or timed out.
    """
    from grader.learner import LearnerError, LearnerNotStarted, LearnerTimeout

    try:
        return call_learner()
    except (LearnerNotStarted, LearnerTimeout):
        raise
    except LearnerError as error:
        extra = (advice or {}).get(error.type_name)
        fail(f"{call} raised {error.type_name}: {error.message}" + (f" — {extra}" if extra else ""))
