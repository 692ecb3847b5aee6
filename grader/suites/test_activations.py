"""Hidden suite for exercise 16, activations.

Values are judged against the suite's own float64 references (``np.maximum``, ``exp(-logaddexp(0, -x))``,
``np.tanh``, ``z - logsumexp(z)``) on random inputs of several shapes, element-wise functions also on a
0-d array, a Python float and a plain list. Every derivative is judged by the numeric gradient check of
``grader.support.gradcheck``, on the suite's reference forward function, never through learner code:
element-wise derivatives at points away from 0 (the ReLU kink, where any choice is accepted), the softmax
vector-Jacobian product against ``sum(grad_output * softmax(z))`` (a diagonal-only version fails), and the
cross-entropy gradient for integer, one-hot and probability labels. Gradient test points are redrawn until
no entry of the true gradient is tiny, so rounding in the numeric side cannot make a correct answer fail.

Stability is judged where beginners meet ``exp`` overflow: sigmoid and tanh at ±1000, softmax and
log_softmax of scores near 1000 or 1000 apart, cross-entropy of logits of that size: the answer must be
right and finite and numpy must not warn. Softmax must also respect ``axis`` and give the same answer
when a different large constant is added to each row (so subtracting one global maximum fails). The
cross-entropy is a mean over the batch; integer labels and one-hot labels give the same value. No input
may be modified in place.
"""

import numpy as np
import pytest

from grader.support.checks import (
    expect_close,
    expect_float,
    expect_no_error,
    expect_no_warnings,
    expect_unchanged,
    fail,
    show,
)
from grader.support.gradcheck import expect_gradient, numeric_gradient

LARGE = np.array([-1000.0, -745.5, -30.0, 0.0, 30.0, 745.5, 1000.0])
LARGE_TEXT = "[-1000, -745.5, -30, 0, 30, 745.5, 1000]"


# --- the suite's references (float64) -------------------------------------------------------------

def ref_relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def ref_sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=float)))


def ref_tanh(x):
    return np.tanh(np.asarray(x, dtype=float))


def ref_log_softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    m = z.max(axis=axis, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def ref_softmax(z, axis=-1):
    return np.exp(ref_log_softmax(z, axis))


def one_hot(labels, n_classes):
    return np.eye(n_classes)[labels]


def ref_row_losses(logits, targets):
    """-sum(targets * log_softmax(logits)) for each row; the cross-entropy is their mean."""
    return -(targets * ref_log_softmax(logits, axis=1)).sum(axis=1)


def ref_cross_entropy(logits, targets):
    return float(ref_row_losses(logits, targets).mean())


ELEMENTWISE = {"relu": ref_relu, "sigmoid": ref_sigmoid, "tanh": ref_tanh}
ONE_HOT_ADVICE = {
    name: "labels of shape (n, k) are one-hot (or probability) rows, not class indices: when labels.ndim == 2, "
          "the loss is -mean(sum(labels * log_softmax(logits), axis=1))"
    for name in ("IndexError", "ValueError", "TypeError")
}


# --- helpers --------------------------------------------------------------------------------------

def as_array(got):
    """A 0-d answer may come back as a number: treat it as a 0-d array (lists and others pass through)."""
    if isinstance(got, (float, int, np.floating, np.integer)) and not isinstance(got, (bool, np.bool_)):
        return np.asarray(got, dtype=float)
    return got


def away_from_zero(rng, shape, low=0.2, high=3.0):
    """Random points with low <= |x| <= high: clear of the ReLU kink, where derivatives are not tiny."""
    return rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def gradient_point(draw, numeric_of, smallest):
    """Draw a test point whose numeric gradient has no entry below ``smallest`` in size (at most 50 draws).

    Relative errors of tiny entries are all rounding: a correct analytic gradient could fail there.
    """
    for _ in range(50):
        point = draw()
        numeric = numeric_of(*point)
        if np.min(np.abs(numeric)) >= smallest:
            break
    return point, numeric


def numeric_elementwise_derivative(reference, x):
    """d reference(x) / dx at each entry: the gradient of sum(reference(p) - reference(x)).

    Subtracting reference(x) makes every entry that was not moved contribute exactly 0, so rounding
    comes from the moved entry alone.
    """
    base = reference(x)
    return numeric_gradient(lambda p: np.sum(reference(p) - base), x)


def derivative_mistake(name, got, x):
    """Name the usual mistakes of an element-wise derivative, or ''."""
    got = np.asarray(got, dtype=float)
    if got.shape != x.shape:
        return ""
    s, t = ref_sigmoid(x), ref_tanh(x)
    correct = {"relu_grad": (x > 0).astype(float), "sigmoid_grad": s * (1 - s), "tanh_grad": 1 - t**2}[name]
    if np.allclose(got, correct, rtol=1e-9, atol=1e-12):
        return ""
    candidates = {
        "relu_grad": [(ref_relu(x), "that is relu(x) itself, not its derivative (1 where x > 0, else 0)")],
        "sigmoid_grad": [
            (x * (1 - x), "that is x * (1 - x): the formula s * (1 - s) needs s = sigmoid(x), and x is the input of sigmoid"),
            (s, "that is sigmoid(x) itself, not its derivative s * (1 - s)"),
        ],
        "tanh_grad": [
            (1 - x**2, "that is 1 - x**2: the formula 1 - t**2 needs t = tanh(x), and x is the input of tanh"),
            (1 - t, "that is 1 - tanh(x): square it, 1 - tanh(x)**2"),
            (t, "that is tanh(x) itself, not its derivative 1 - tanh(x)**2"),
        ],
    }[name]
    for value, words in candidates:
        if np.allclose(got, value, rtol=1e-6, atol=1e-9):
            return words
    return ""


def softmax_mistake(got, z, axis, log=False):
    """Name a softmax (or log_softmax) normalised along the wrong axis or over the whole array, or ''."""
    got = np.asarray(got, dtype=float) if isinstance(got, np.ndarray) else None
    if got is None or got.shape != z.shape or not np.all(np.isfinite(got)):
        return ""
    reference = ref_log_softmax if log else ref_softmax
    if np.allclose(got, reference(z, axis), rtol=1e-9, atol=1e-12):
        return ""
    wanted = axis % z.ndim
    for other in range(z.ndim):
        if other != wanted and np.allclose(got, reference(z, other), rtol=1e-9, atol=1e-12):
            return (f"it is normalised along axis {other} instead of axis {axis}: take the max and the sum along "
                    f"axis={axis} (the argument), with keepdims=True")
    if z.ndim > 1 and np.allclose(got, reference(z.ravel()).reshape(z.shape), rtol=1e-9, atol=1e-12):
        return ("it is normalised over the whole array: take the max and the sum along the axis only "
                "(axis=axis, keepdims=True), so that each row is its own distribution")
    return ""


def expect_softmax(got, z, call, axis=-1, log=False):
    """The learner's softmax (or log_softmax) of z must match the reference, wrong-axis mistakes named."""
    got = as_array(got)
    if isinstance(got, np.ndarray) and got.shape == z.shape and np.issubdtype(got.dtype, np.floating):
        if log and np.isneginf(got).any():
            fail(f"{call} returned -inf: {show(got)} — log(softmax(z)) is -inf where a probability rounds to 0; "
                 "compute z - max - log(sum(exp(z - max))) instead")
        if np.isnan(got).any() or np.isposinf(got).any():
            fail(f"{call} returned nan or inf: {show(got)} — exp overflowed (exp(710) is inf) or a row's sum "
                 "was 0: subtract each row's own maximum (max along axis, keepdims=True) before exp")
    mistake = softmax_mistake(got, z, axis, log)
    if mistake:
        fail(f"{call} returned {show(got)}; {mistake}")
    expected = (ref_log_softmax if log else ref_softmax)(z, axis)
    return expect_close(got, expected, call, rtol=1e-9, atol=1e-12,
                        why="(log of exp(z) / sum(exp(z)) along the axis)" if log else "(exp(z) / sum(exp(z)) along the axis)")


def expect_loss(got, expected, call, n_samples):
    """A cross-entropy value: a finite float equal to the mean; summing and a flipped sign are named."""
    got = as_array(got)
    if isinstance(got, np.ndarray) and got.ndim > 0:
        fail(f"{call} returned {show(got)}; expected one number, the mean over the batch (a float)")
    if isinstance(got, np.ndarray) and np.issubdtype(got.dtype, np.floating) and not np.isfinite(got):
        fail(f"{call} returned {float(got)} — log(softmax(logits)) is -inf where a probability rounds to 0: "
             "use log_softmax (z - max - log(sum(exp(z - max)))) and pick from it")
    value = expect_float(got, call)
    if np.isclose(value, expected, rtol=1e-9, atol=1e-12):
        return value
    if np.isclose(value, n_samples * expected, rtol=1e-9, atol=1e-12):
        fail(f"{call} returned {value:.6g}; expected {expected:.6g} — that is the sum over the {n_samples} samples: "
             "the cross-entropy is their mean (divide by n)")
    if np.isclose(value, -expected, rtol=1e-9, atol=1e-12):
        fail(f"{call} returned {value:.6g}; expected {expected:.6g} — the sign is flipped: the loss is MINUS the log-probability")
    fail(f"{call} returned {value:.6g}; expected {expected:.6g} (the mean over the batch of -log softmax(logits)[label])")


def expect_softmax_grad(got, z, g, numeric, call, axis=-1):
    """The learner's softmax_grad must pass the gradient check; the diagonal-only Jacobian is named."""
    s = ref_softmax(z, axis)
    if isinstance(got, np.ndarray) and got.shape == z.shape:
        if np.allclose(got, s * (1 - s) * g, rtol=1e-6, atol=1e-12):
            fail(f"{call} returned s * (1 - s) * grad_output = {show(got)}: only the diagonal of the Jacobian. Each "
                 "probability depends on every score of its row, so the gradient is s * (g - sum(g * s)) along the axis")
        if np.allclose(got, s * g, rtol=1e-6, atol=1e-12):
            fail(f"{call} returned s * grad_output = {show(got)}: the gradient is s * (g - sum(g * s)) along the axis "
                 "— subtract the weighted sum of g (keepdims=True) before multiplying by s")
    return expect_gradient(got, numeric, call, "z")


# --- element-wise functions -----------------------------------------------------------------------

@pytest.mark.points(2)
def test_elementwise_values(learner, rng):
    """relu, sigmoid and tanh match their formulas on arrays of shape (7,), (3, 4) and (2, 3, 4)"""
    for shape in ((7,), (3, 4), (2, 3, 4)):
        x = rng.normal(scale=3.0, size=shape)
        for name, reference in ELEMENTWISE.items():
            expect_close(as_array(getattr(learner, name)(x)), reference(x), f"{name}(x) for x of shape {shape}",
                         rtol=1e-12, atol=1e-15)


@pytest.mark.points(3)
def test_elementwise_derivatives(learner, rng):
    """relu_grad, sigmoid_grad and tanh_grad agree with the numeric gradient (away from the kink at 0)"""
    for shape in ((6,), (2, 3, 4)):
        x = away_from_zero(rng, shape)
        for name, reference in ELEMENTWISE.items():
            call = f"{name}_grad(x) for x of shape {shape}"
            got = as_array(getattr(learner, f"{name}_grad")(x))
            mistake = derivative_mistake(f"{name}_grad", got, x) if isinstance(got, np.ndarray) else ""
            if mistake:
                fail(f"{call} returned {show(got)}; {mistake}")
            expect_gradient(got, numeric_elementwise_derivative(reference, x), call, f"x (d {name}(x) / dx at each entry)")


@pytest.mark.points(1)
def test_elementwise_any_shape(learner):
    """the six element-wise functions accept a 0-d array, a Python float and a plain list"""
    derivatives = {
        "relu_grad": lambda x: (np.asarray(x) > 0).astype(float),
        "sigmoid_grad": lambda x: ref_sigmoid(x) * (1 - ref_sigmoid(x)),
        "tanh_grad": lambda x: 1 - ref_tanh(x) ** 2,
    }
    functions = {**ELEMENTWISE, **derivatives}
    for name, reference in functions.items():
        for x, text in ((np.array(-1.5), "np.array(-1.5), a 0-d array"), (0.75, "0.75"), ([-2.0, 0.5, 3.0], "[-2.0, 0.5, 3.0]")):
            expected = reference(np.asarray(x, dtype=float))
            got = expect_no_error(lambda: getattr(learner, name)(x), f"{name}({text})",
                                  {"TypeError": "turn x into an array first: np.asarray(x, dtype=float)",
                                   "AttributeError": "turn x into an array first: np.asarray(x, dtype=float)",
                                   "IndexError": "a single number has no axes: use whole-array operations (np.where, np.maximum)"})
            got = as_array(got)
            if name.endswith("_grad") and isinstance(got, np.ndarray):
                mistake = derivative_mistake(name, got, np.asarray(x, dtype=float))
                if mistake:
                    fail(f"{name}({text}) returned {show(got)}; {mistake}")
            expect_close(got, expected, f"{name}({text})", rtol=1e-12, atol=1e-15)


@pytest.mark.points(2)
def test_sigmoid_and_tanh_are_stable(learner, worker):
    """sigmoid, tanh and their derivatives at ±1000 are right and make numpy warn of nothing"""
    references = {
        "sigmoid": ref_sigmoid(LARGE),
        "sigmoid_grad": ref_sigmoid(LARGE) * ref_sigmoid(-LARGE),
        "tanh": ref_tanh(LARGE),
        "tanh_grad": 1 - ref_tanh(LARGE) ** 2,
    }
    advice = {
        "sigmoid": "exp(-x) overflowed for x = -1000: use exp(x) / (1 + exp(x)) where x < 0, so exp only sees numbers <= 0",
        "sigmoid_grad": "compute s with your stable sigmoid, then s * (1 - s)",
        "tanh": "exp(1000) overflowed: use np.tanh",
        "tanh_grad": "compute t = np.tanh(x), then 1 - t**2",
    }
    for name, expected in references.items():
        call = f"{name}({LARGE_TEXT})"
        got = as_array(getattr(learner, name)(LARGE))
        mistake = derivative_mistake(name, got, LARGE) if name.endswith("_grad") and isinstance(got, np.ndarray) else ""
        if mistake:
            fail(f"{call} returned {show(got)}; {mistake}")
        if isinstance(got, np.ndarray) and got.shape == LARGE.shape and np.issubdtype(got.dtype, np.floating) and not np.all(np.isfinite(got)):
            fail(f"{call} returned {show(got)} with nan or inf — {advice[name]}")
        # 1 - s loses the digits below 1e-16: a derivative computed as s * (1 - s) is judged to 1e-15 absolute
        expect_close(got, expected, call, rtol=1e-12, atol=1e-15 if name.endswith("_grad") else 1e-300)
        expect_no_warnings(worker, call, f"the values are right, but something overflowed: {advice[name]}")


# --- softmax and log_softmax ----------------------------------------------------------------------

@pytest.mark.points(2)
def test_softmax_values(learner, rng):
    """softmax of rows (the last axis) on shapes (5,), (4, 6) and (2, 3, 5): right values, each row sums to 1"""
    for shape in ((5,), (4, 6), (2, 3, 5)):
        z = rng.normal(scale=2.0, size=shape)
        call = f"softmax(z) for z of shape {shape}"
        got = as_array(learner.softmax(z))
        if isinstance(got, np.ndarray) and got.shape == shape and np.all(np.isfinite(got)):
            sums = got.sum(axis=-1)
            if not np.allclose(sums, 1.0, rtol=1e-9) and not softmax_mistake(got, z, -1):
                fail(f"{call}: the rows sum to {show(sums)}; expected each row (the last axis) to sum to 1 — "
                     "divide exp(z) by its sum along the same axis (keepdims=True)")
        expect_softmax(got, z, call)


@pytest.mark.points(2)
def test_log_softmax_values(learner, rng):
    """log_softmax of rows on shapes (5,), (4, 6) and (2, 3, 5) equals log of softmax"""
    for shape in ((5,), (4, 6), (2, 3, 5)):
        z = rng.normal(scale=2.0, size=shape)
        expect_softmax(learner.log_softmax(z), z, f"log_softmax(z) for z of shape {shape}", log=True)


@pytest.mark.points(2)
def test_softmax_axis(learner, rng):
    """softmax, log_softmax and softmax_grad work along the axis they are given (axis=0, axis=1 of a 3-d array)"""
    for shape, axis in (((4, 6), 0), ((2, 3, 5), 1), ((3, 4), 1)):
        def draw():
            return rng.normal(scale=2.0, size=shape), rng.normal(size=shape)

        def numeric_of(z, g):
            s0 = ref_softmax(z, axis)
            return numeric_gradient(lambda p: np.sum((ref_softmax(p, axis) - s0) * g), z)

        (z, g), numeric = gradient_point(draw, numeric_of, 1e-4)
        expect_softmax(learner.softmax(z, axis=axis), z, f"softmax(z, axis={axis}) for z of shape {shape}", axis=axis)
        expect_softmax(learner.log_softmax(z, axis=axis), z, f"log_softmax(z, axis={axis}) for z of shape {shape}", axis=axis, log=True)
        call = f"softmax_grad(z, grad_output, axis={axis}) for z of shape {shape}"
        expect_softmax_grad(as_array(learner.softmax_grad(z, g, axis=axis)), z, g, numeric, call, axis)


@pytest.mark.points(2)
def test_softmax_is_stable(learner, rng, worker):
    """softmax and log_softmax of scores around ±1000 are finite and right, without warnings"""
    cases = (
        (1000.0 + rng.normal(scale=3.0, size=(4, 5)), "z of shape (4, 5) with values near 1000"),
        (-1000.0 + rng.normal(scale=3.0, size=(4, 5)), "z of shape (4, 5) with values near -1000"),
        (np.array([1000.0, 999.0, -1000.0]), "z = [1000, 999, -1000]"),
    )
    for z, text in cases:
        for name, log in (("softmax", False), ("log_softmax", True)):
            call = f"{name}({text})"
            expect_softmax(getattr(learner, name)(z), z, call, log=log)
            expect_no_warnings(worker, call, "subtract each row's maximum before exp (then the largest exponent is exp(0) = 1)")


@pytest.mark.points(1)
def test_softmax_adding_a_constant_per_row(learner, rng, worker):
    """softmax gives the same rows when a different large constant (up to ±1000) is added to each row"""
    z = rng.normal(scale=2.0, size=(5, 4))
    shifts = rng.uniform(500.0, 1000.0, size=(5, 1)) * np.array([[1.0], [-1.0], [1.0], [-1.0], [1.0]])
    call = "softmax(z + c) with a constant c per row, c = " + ", ".join(f"{c:+.0f}" for c in shifts.ravel())
    got = as_array(learner.softmax(z + shifts))
    if isinstance(got, np.ndarray) and got.shape == z.shape and np.issubdtype(got.dtype, np.floating) and not np.all(np.isfinite(got)):
        rows = [int(row) for row in np.flatnonzero(~np.all(np.isfinite(got), axis=1))]
        fail(f"{call} returned nan or inf in rows {rows} (expected the same as softmax(z), finite) — exp(+1000) overflows "
             "and exp(-1000) underflows to 0, then 0 / 0 is nan: subtract each row's OWN maximum "
             "(z.max(axis=axis, keepdims=True)) before exp, not one maximum for the whole array")
    expect_close(got, ref_softmax(z), call, rtol=1e-9, atol=1e-12, why="(the same as softmax(z): each row is shifted by its own constant)")
    expect_no_warnings(worker, call, "subtract each row's own maximum (along axis, keepdims=True) before exp")


@pytest.mark.points(2)
def test_log_softmax_is_stable(learner, rng, worker):
    """log_softmax of scores that are 1000s apart is finite (not log(softmax), which gives -inf), without warnings"""
    cases = (
        (np.array([0.0, 1000.0]), "z = [0, 1000]"),
        (rng.normal(scale=1000.0, size=(4, 5)), "z of shape (4, 5) with values about 1000 apart"),
    )
    for z, text in cases:
        call = f"log_softmax({text})"
        expect_softmax(learner.log_softmax(z), z, call, log=True)
        expect_no_warnings(worker, call, "never take log(softmax(z)): compute z - max - log(sum(exp(z - max)))")


@pytest.mark.points(3)
def test_softmax_grad_is_the_full_jacobian(learner, rng):
    """softmax_grad(z, g) is the gradient of sum(g * softmax(z)) — the full Jacobian, not only its diagonal"""
    for shape in ((5,), (3, 4)):
        def draw():
            return rng.normal(scale=1.5, size=shape), rng.normal(size=shape)

        def numeric_of(z, g):
            s0 = ref_softmax(z)
            return numeric_gradient(lambda p: np.sum((ref_softmax(p) - s0) * g), z)

        (z, g), numeric = gradient_point(draw, numeric_of, 1e-4)
        call = f"softmax_grad(z, grad_output) for z of shape {shape}"
        got = as_array(learner.softmax_grad(z, g))
        expect_softmax_grad(got, z, g, numeric, call)


# --- cross-entropy --------------------------------------------------------------------------------

@pytest.mark.points(2)
def test_cross_entropy_integer_labels(learner, rng):
    """cross_entropy(logits, labels) with integer labels is the batch mean of -log softmax(logits)[label]"""
    for n, k in ((6, 4), (1, 3), (10, 2)):
        logits = rng.normal(scale=2.0, size=(n, k))
        labels = rng.integers(0, k, size=n)
        expected = ref_cross_entropy(logits, one_hot(labels, k))
        expect_loss(learner.cross_entropy(logits, labels), expected,
                    f"cross_entropy(logits, labels) for logits of shape ({n}, {k}) and integer labels of shape ({n},)", n)


@pytest.mark.points(2)
def test_cross_entropy_one_hot_labels(learner, rng):
    """cross_entropy with one-hot labels (n, k) gives the same value as with integer labels; probability rows work too"""
    n, k = 6, 4
    logits = rng.normal(scale=2.0, size=(n, k))
    labels = rng.integers(0, k, size=n)
    for targets, text in ((one_hot(labels, k), "one-hot labels"), (rng.dirichlet(np.ones(k), size=n), "probability rows")):
        call = f"cross_entropy(logits, labels) for logits of shape ({n}, {k}) and {text} of shape ({n}, {k})"
        got = expect_no_error(lambda: learner.cross_entropy(logits, targets), call, ONE_HOT_ADVICE)
        expect_loss(got, ref_cross_entropy(logits, targets), call, n)


@pytest.mark.points(1)
def test_cross_entropy_is_stable(learner, rng, worker):
    """cross_entropy of logits about 1000 apart is finite and right, with integer and one-hot labels, without warnings"""
    n, k = 6, 4
    logits = rng.normal(scale=1000.0, size=(n, k))
    labels = np.argmin(logits, axis=1)  # the least likely class: its softmax probability rounds to 0
    labels[::2] = rng.integers(0, k, size=len(labels[::2]))
    for given, text in ((labels, "integer labels"), (one_hot(labels, k), "one-hot labels")):
        call = f"cross_entropy(logits, labels) for logits about 1000 apart and {text}"
        got = expect_no_error(lambda: learner.cross_entropy(logits, given), call, ONE_HOT_ADVICE)
        expect_loss(got, ref_cross_entropy(logits, one_hot(labels, k)), call, n)
        expect_no_warnings(worker, call, "compute the loss from log_softmax(logits) (z - max - log(sum(exp(z - max)))), never log(softmax)")


@pytest.mark.points(3)
def test_cross_entropy_grad(learner, rng):
    """cross_entropy_grad agrees with the numeric gradient of the mean cross-entropy, for integer, one-hot and probability labels"""
    n, k = 6, 4

    def draw():
        return rng.normal(scale=1.5, size=(n, k)), rng.integers(0, k, size=n), rng.dirichlet(np.ones(k), size=n)

    def numeric_of(logits, labels, soft):
        targets = np.concatenate([one_hot(labels, k), soft])
        both = np.concatenate([logits, logits])
        base = ref_row_losses(both, targets)
        # (row losses minus their start) / n: rows that did not move add exactly 0
        return numeric_gradient(lambda p: np.sum(ref_row_losses(p, targets) - base) / n, both)

    (logits, labels, soft), numeric = gradient_point(draw, numeric_of, 1e-4)
    advice = {name: "labels of shape (n, k) are the target rows themselves: use them in place of the one-hot rows"
              for name in ("IndexError", "ValueError", "TypeError")}
    for given, text, expected in (
        (labels, f"integer labels of shape ({n},)", numeric[:n]),
        (one_hot(labels, k), f"one-hot labels of shape ({n}, {k})", numeric[:n]),
        (soft, f"probability rows of shape ({n}, {k})", numeric[n:]),
    ):
        call = f"cross_entropy_grad(logits, labels) for logits of shape ({n}, {k}) and {text}"
        got = as_array(expect_no_error(lambda: learner.cross_entropy_grad(logits, given), call, advice))
        if isinstance(got, np.ndarray) and got.shape == expected.shape and np.allclose(got, n * expected, rtol=1e-6, atol=1e-12):
            fail(f"{call} returned {show(got)}, {n} times the gradient: the loss is a mean over the {n} samples, "
                 "so its gradient is (softmax(logits) - targets) / n")
        expect_gradient(got, expected, call, "the logits")


# --- inputs ---------------------------------------------------------------------------------------

@pytest.mark.points(1)
def test_inputs_unchanged(learner, rng, worker):
    """no function modifies its input arrays in place"""
    x = rng.normal(scale=3.0, size=(3, 4))
    logits = rng.normal(scale=2.0, size=(5, 3))
    labels = rng.integers(0, 3, size=5)
    soft = rng.dirichlet(np.ones(3), size=5)
    g = rng.normal(size=(5, 3))
    calls = [(name, "x", (x,)) for name in ("relu", "relu_grad", "sigmoid", "sigmoid_grad", "tanh", "tanh_grad")]
    calls += [
        ("softmax", "z", (logits,)),
        ("log_softmax", "z", (logits,)),
        ("softmax_grad", "z, grad_output", (logits, g)),
        ("cross_entropy", "logits, labels", (logits, labels)),
        ("cross_entropy", "logits, labels", (logits, soft)),
        ("cross_entropy_grad", "logits, labels", (logits, labels)),
        ("cross_entropy_grad", "logits, labels", (logits, soft)),
    ]
    for name, arguments, values in calls:
        stored = [worker.put(value) for value in values]
        expect_no_error(lambda: getattr(learner, name)(*stored), f"{name}({arguments})")
        for argument, value, handle in zip(arguments.split(", "), values, stored):
            expect_unchanged(value, worker.fetch(handle), f"{name}({arguments})", argument)
