"""Hidden suite for exercise 15, binary_neuron.

What is judged is what the exercise is about: the weights themselves. value = sum_j bit_j * 2**j holds
exactly, and with all 2**n_bits numbers the mean squared error has one minimum, w = (1, 2, 4, ...) and
b = 0 (b = c when the targets are shifted by c). So any correct gradient descent with the default
learning_rate and n_epochs lands there to many digits, whatever its random start: the suite compares the
weights with the powers of two (relative tolerance 1e-3), never with one run of the reference solution.

``loss_and_gradients`` is judged against the suite's own forward function, mean((X @ w + b - y) ** 2), by
central differences (grader.support.gradcheck), at random parameters far from the minimum, on a random
subset of the numbers and on real-valued X. Parameters are set by hand on a fitted model (setattr), so
the check does not depend on training. ``loss_history_[k]`` must be the loss before step k: the suite
checks it by fitting m and m + 1 epochs from the same random_state and computing the loss, itself, at the
weights where the shorter fit stopped. The rest: predict includes the bias, the bias is trained (shifted
targets), random_state is a seed (0 included), inputs stay unchanged, plain lists work, and a column
target (n, 1) is refused or handled, never broadcast into an (n, n) residual.
"""

import numpy as np
import pytest

from grader.learner import LearnerError, LearnerNotStarted, LearnerTimeout
from grader.support.checks import (
    expect_array,
    expect_close,
    expect_float,
    expect_loss_going_down,
    expect_unchanged,
    fail,
    show,
)
from grader.support.gradcheck import expect_gradient, numeric_gradient

# numpy's own shape errors: a fit that crashes with one of these did not check y, it tripped over it
NUMPY_SHAPE_ERRORS = ("operands could not be broadcast together", "matmul: Input operand")


def digits(n_bits):
    """The suite's own table: row i is the number i, column j is bit j (least significant first)."""
    values = np.arange(2**n_bits)
    return ((values[:, None] >> np.arange(n_bits)) & 1).astype(float), values.astype(float)


def powers(n_bits):
    return 2.0 ** np.arange(n_bits)


def mse(X, y, weights, bias):
    """The reference forward function: mean((X @ w + b - y) ** 2)."""
    return float(np.mean((X @ weights + bias - y) ** 2))


def loss_mistake(got, X, y, weights, bias):
    """Name the usual wrong versions of the loss when ``got`` equals one of them, else ''."""
    residual = X @ weights + bias - y
    loss = float(np.mean(residual**2))
    wrong = (
        (loss / 2, "half the mean squared error, mean(r ** 2) / 2: the documented loss has no 1/2"),
        (loss * len(y), "the sum of the squared residuals: take the mean (divide by n)"),
        (np.sqrt(loss), "the root of the mean squared error: do not take the square root"),
        (float(np.mean(residual)) ** 2, "the square of the mean residual: square each residual first, then average"),
    )
    for value, mistake in wrong:
        if np.isclose(got, value, rtol=1e-9) and not np.isclose(got, loss, rtol=1e-9):
            return mistake
    return ""


def check_loss_and_gradients(model, X, y, weights, bias, call):
    """Set the parameters by hand, call loss_and_gradients, and check all three parts."""
    model.weights_ = weights
    model.bias_ = bias
    got = model.loss_and_gradients(X, y)
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        fail(f"{call} returned {show(got)}; expected three things: (loss, grad_weights, grad_bias)")
    loss = expect_float(got[0], f"{call}: the loss")
    expected = mse(X, y, weights, bias)
    if not np.isclose(loss, expected, rtol=1e-9, atol=1e-12):
        mistake = loss_mistake(loss, X, y, weights, bias)
        fail(f"{call}: the loss is {loss:.6g}; expected mean((X @ weights_ + bias_ - y) ** 2) = {expected:.6g}"
             + (f" — that is {mistake}" if mistake else ""))
    n = len(y)
    numeric_weights = numeric_gradient(lambda w: mse(X, y, w, bias), weights)
    numeric_bias = numeric_gradient(lambda b: mse(X, y, weights, b[0]), np.array([bias]))
    grad_weights = expect_array(got[1], f"{call}: grad_weights", weights.shape)
    grad_bias = np.array([expect_float(got[2], f"{call}: grad_bias")])
    for name, analytic, numeric in (("the weights", grad_weights, numeric_weights), ("the bias", grad_bias, numeric_bias)):
        ratios = {n: "summed over the samples instead of averaged: divide by n, the number of samples",
                  0.5: "missing the factor 2: the derivative of r ** 2 is 2 * r",
                  -1.0: "the sign is flipped: with r = prediction - y (not y - prediction), the gradients are 2 * X.T @ r / n and 2 * mean(r)"}
        for ratio, mistake in ratios.items():
            if np.allclose(analytic, ratio * numeric, rtol=1e-6, atol=1e-9) and not np.allclose(analytic, numeric, rtol=1e-6):
                fail(f"{call}: the gradient of {name} is {show(analytic)}; expected {show(numeric)} (numeric) — {mistake}")
        expect_gradient(analytic, numeric, call, name)


def expect_weights(model, n_bits, call, bias=0.0):
    """weights_ must be the powers of two (rtol 1e-3) and bias_ equal ``bias`` (atol 1e-3).

    ``call`` is the fit as code, e.g. "BinaryNeuron().fit(X, y)"; the data is named in front of it.
    """
    call = f"trained on all {2**n_bits} numbers of {n_bits} bits, {call}"
    weights = model.weights_
    target = powers(n_bits)
    if isinstance(weights, np.ndarray) and weights.size and np.issubdtype(weights.dtype, np.floating) and (
            not np.all(np.isfinite(weights)) or np.max(np.abs(weights)) > 1e6 * target[-1]):
        fail(f"{call}.weights_ is {show(weights)}: training diverged — is the gradient averaged over the samples "
             "(divided by n), with the right sign, and are the weights and the bias both stepped by "
             "learning_rate * gradient (the learning rate applied once, to both)?")
    weights = expect_array(weights, f"{call}.weights_", (n_bits,))
    got_bias = expect_float(model.bias_, f"{call}.bias_")
    if got_bias == 0.0 and abs(bias) > 1e-3:
        fail(f"{call}.bias_ is 0.0; expected {bias:.6g} — the bias has not moved from its start: step it too, "
             "bias_ -= learning_rate * dL/db (its gradient is 2 * mean(r))")
    if not np.allclose(weights, target, rtol=1e-3, atol=0.0):
        shift = weights - target
        if np.ptp(shift) < 0.05 * np.max(np.abs(shift)):
            fail(f"{call}.weights_ is {show(weights)} and bias_ {got_bias:.6g}: every weight is off by about the same "
                 f"{shift.mean():+.3g} from 1, 2, 4, ... (and the bias the other way). That is the flattest direction "
                 "of the loss, the last one gradient descent corrects: training stopped short. The defaults get there "
                 "in n_epochs=2000 steps of learning_rate * gradient; are your steps smaller (the learning rate "
                 "applied twice?) or fewer?")
        try:
            history = np.asarray(model.loss_history_, dtype=float).ravel()
        except (LearnerError, TypeError, ValueError):
            history = np.zeros(0)
        end = f" (the last loss recorded is {history[-1]:.3g})" if history.size else ""
        expect_close(weights, target, f"{call}.weights_", rtol=1e-3, atol=0.0,
                     why=f"(value = sum of bit_j * 2**j, so the only exact fit is weights 1, 2, 4, 8, ...; with the "
                         f"default learning_rate and n_epochs, gradient descent reaches it to many digits{end}: are "
                         "the weights AND the bias stepped by learning_rate * gradient, n_epochs times?)")
    if abs(got_bias - bias) > 1e-3:
        fail(f"{call}.bias_ is {got_bias:.6g}; expected {bias:.6g}, the bias of the only exact fit")
    return weights, got_bias


@pytest.mark.points(2)
def test_binary_digits(learner):
    """binary_digits(n_bits) lists every number 0 .. 2**n_bits - 1 once, column j holding bit j (least significant first)"""
    for n_bits in (1, 2, 3, 5, 8):
        call = f"binary_digits({n_bits})"
        got = learner.binary_digits(n_bits)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            fail(f"{call} returned {show(got)}; expected two arrays (X, y)")
        n = 2**n_bits
        X = expect_array(got[0], f"{call}: X", (n, n_bits))
        y = expect_array(got[1], f"{call}: y", (n,))
        if not np.all((X == 0) | (X == 1)):
            fail(f"{call}: X holds {show(np.unique(X))}; expected bits, 0.0 and 1.0 only")
        if not np.array_equal(np.sort(y), np.arange(n)):
            fail(f"{call}: y is {show(y)}; expected every number 0 .. {n - 1} exactly once")
        if not np.array_equal(y, X @ powers(n_bits)):
            if np.array_equal(y, X[:, ::-1] @ powers(n_bits)):
                fail(f"{call}: column 0 of X holds the MOST significant bit; expected column j = bit j, least "
                     "significant first (X[i, j] = (i >> j) & 1), so that y = X @ [1, 2, 4, ...] and the "
                     "weights come out as 1, 2, 4, ...")
            row = int(np.argmax(y != X @ powers(n_bits)))
            fail(f"{call}: row {row} has bits {show(X[row])} (column j = bit j, worth 2**j), which write "
                 f"{X[row] @ powers(n_bits):g}, but y[{row}] is {y[row]:g}")


@pytest.mark.points(2)
def test_gradients_on_binary_numbers(learner, rng):
    """loss_and_gradients: the MSE and its gradients (numeric check) at random parameters, on a random subset of 6-bit numbers"""
    X_all, y_all = digits(6)
    rows = rng.choice(64, size=20, replace=False)
    X, y = X_all[rows], y_all[rows]
    model = learner.BinaryNeuron(n_epochs=1).fit(X, y)
    weights, bias = rng.normal(scale=3.0, size=6), float(rng.normal(scale=3.0))
    check_loss_and_gradients(model, X, y, weights, bias,
                             "loss_and_gradients(X, y) on 20 numbers of 6 bits, at weights_ and bias_ set by hand")


@pytest.mark.points(1)
def test_gradients_on_real_numbers(learner, rng):
    """loss_and_gradients works for any real X and y, not only bits"""
    X = rng.normal(scale=2.0, size=(15, 4))
    y = rng.normal(scale=5.0, size=15)
    model = learner.BinaryNeuron(n_epochs=1).fit(X, y)
    weights, bias = rng.normal(size=4), float(rng.normal())
    check_loss_and_gradients(model, X, y, weights, bias,
                             "loss_and_gradients(X, y) on real-valued X of shape (15, 4), at parameters set by hand")


@pytest.mark.points(3)
def test_weights_become_powers_of_two(learner, rng):
    """with the defaults, training on all numbers of 4, 6 or 8 bits gives weights 1, 2, 4, 8, ... and bias 0"""
    for n_bits in (4, 6, 8):  # 5 and 7 bits are trained in test_bias_is_learned and test_predict
        X, y = digits(n_bits)
        seed = int(rng.integers(1000))
        call = f"BinaryNeuron(random_state={seed}).fit(X, y)"
        model = learner.BinaryNeuron(random_state=seed)
        returned = model.fit(X, y)
        if returned is not model:
            fail(f"on all {2**n_bits} numbers of {n_bits} bits, {call} returned {show(returned)}; expected the model itself (end fit with `return self`)")
        expect_weights(model, n_bits, call)


@pytest.mark.points(2)
def test_bias_is_learned(learner, rng):
    """on the values plus a constant c, the weights are still 1, 2, 4, ... and bias_ becomes c; predict adds it"""
    X, y = digits(5)
    offset = float(rng.uniform(3.0, 10.0) * rng.choice([-1.0, 1.0]))
    call = f"BinaryNeuron().fit(X, y {'+' if offset > 0 else '-'} {abs(offset):.4g})"
    model = learner.BinaryNeuron(random_state=int(rng.integers(1000))).fit(X, y + offset)
    expect_weights(model, 5, call, bias=offset)
    expect_close(model.predict(X), y + offset, f"after {call} on all 32 numbers of 5 bits, predict(X)", rtol=0.0, atol=1e-2,
                 why="(each value plus the constant, which the bias has learned)")


@pytest.mark.points(2)
def test_loss_history(learner, rng):
    """loss_history_ holds the MSE before each step: one per epoch, going down to about 0"""
    X, y = digits(6)
    seed = int(rng.integers(1000))
    call = f"on all 64 numbers of 6 bits, BinaryNeuron(random_state={seed}).fit(X, y)"
    history = expect_loss_going_down(learner.BinaryNeuron(random_state=seed).fit(X, y).loss_history_, call, 2000)
    if history[-1] > 1e-6:
        fail(f"{call}: the last loss in loss_history_ is {history[-1]:.3g}; expected about 0 (below 1e-6): the exact "
             "fit has loss 0 and the defaults get there")
    X, y = digits(5)
    m = int(rng.integers(2, 8))
    short = learner.BinaryNeuron(n_epochs=m, random_state=seed).fit(X, y)
    longer = learner.BinaryNeuron(n_epochs=m + 1, random_state=seed).fit(X, y)
    h_short = expect_array(np.asarray(short.loss_history_, dtype=float), f"BinaryNeuron(n_epochs={m}).fit(X, y).loss_history_", (m,))
    h_long = expect_array(np.asarray(longer.loss_history_, dtype=float), f"BinaryNeuron(n_epochs={m + 1}).fit(X, y).loss_history_", (m + 1,))
    if not np.allclose(h_long[:m], h_short, rtol=1e-12, atol=0.0):
        fail(f"two fits with random_state={seed}, of {m} and {m + 1} epochs, start their loss_history_ differently "
             f"({show(h_short)} and {show(h_long)}); the same seed must give the same start and the same steps")
    weights = expect_array(short.weights_, f"BinaryNeuron(n_epochs={m}).fit(X, y).weights_", (5,))
    bias = expect_float(short.bias_, f"BinaryNeuron(n_epochs={m}).fit(X, y).bias_")
    expected = mse(X, y, weights, bias)
    if np.isclose(h_long[m], expected, rtol=1e-9):
        return
    message = (f"BinaryNeuron(n_epochs={m + 1}, random_state={seed}).fit(X, y).loss_history_[{m}] is {h_long[m]:.6g}; "
               f"expected {expected:.6g}, the MSE at the parameters reached after {m} steps (the loss BEFORE step {m})")
    if np.isclose(h_short[-1], expected, rtol=1e-9):
        fail(message + " — you record the loss after each update; record it before (loss_history_[0] is the loss "
                       "of the random start)")
    mistake = loss_mistake(h_long[m], X, y, weights, bias)
    fail(message + (f" — that is {mistake}" if mistake else ""))


@pytest.mark.points(1)
def test_predict(learner, rng):
    """predict returns X @ weights_ + bias_, and after training it gives every number's value"""
    X = rng.normal(size=(10, 3))
    model = learner.BinaryNeuron(n_epochs=1).fit(X, rng.normal(size=10))
    weights, bias = rng.normal(size=3), float(rng.uniform(2.0, 5.0))
    model.weights_ = weights
    model.bias_ = bias
    X_new = rng.normal(size=(7, 3))
    expect_close(model.predict(X_new), X_new @ weights + bias,
                 "predict(X_new) at weights_ and bias_ set by hand", rtol=1e-9, atol=1e-12,
                 why="(X_new @ weights_ + bias_)")
    X, y = digits(7)
    order = rng.permutation(len(y))
    model = learner.BinaryNeuron(random_state=int(rng.integers(1000))).fit(X[order], y[order])
    predicted = expect_array(model.predict(X), "BinaryNeuron().fit(X, y).predict(X) on all 128 numbers of 7 bits", (128,))
    wrong = np.flatnonzero(np.round(predicted) != y)
    if wrong.size:
        i = int(wrong[0])
        fail(f"after training on all numbers of 7 bits, predict(X) rounds to the wrong value for {wrong.size} of them: "
             f"bits {show(X[i])} (= {y[i]:g}) gave {predicted[i]:.4g}")


@pytest.mark.points(1)
def test_random_state(learner, rng):
    """random_state is a seed (0 included): same seed, same start and history; another seed, another start"""
    X, y = digits(4)
    for seed in (0, int(rng.integers(1, 1000))):
        first = learner.BinaryNeuron(n_epochs=3, random_state=seed).fit(X, y)
        second = learner.BinaryNeuron(n_epochs=3, random_state=seed).fit(X, y)
        w1 = expect_array(first.weights_, f"BinaryNeuron(n_epochs=3, random_state={seed}).fit(X, y).weights_", (4,))
        w2 = expect_array(second.weights_, f"BinaryNeuron(n_epochs=3, random_state={seed}).fit(X, y).weights_", (4,))
        h1, h2 = np.asarray(first.loss_history_, dtype=float), np.asarray(second.loss_history_, dtype=float)
        if not (np.array_equal(w1, w2) and h1.shape == h2.shape and np.array_equal(h1, h2)):
            zero = (" (random_state=0 is a seed like any other: `if self.random_state:` treats it as no seed)"
                    if seed == 0 else "")
            fail(f"two fits with random_state={seed} gave different weights_ ({show(w1)} and {show(w2)}) — draw the "
                 f"start with rng = np.random.default_rng(self.random_state), never np.random.* global functions{zero}")
    other = learner.BinaryNeuron(n_epochs=3, random_state=1).fit(X, y)
    zero_fit = learner.BinaryNeuron(n_epochs=3, random_state=0).fit(X, y)
    w0 = np.asarray(zero_fit.weights_, dtype=float)
    w1 = expect_array(other.weights_, "BinaryNeuron(n_epochs=3, random_state=1).fit(X, y).weights_", (4,))
    if np.array_equal(w0, w1):
        fail(f"BinaryNeuron(n_epochs=3).fit(X, y) gave the same weights_ {show(w1)} with random_state=0 and "
             "random_state=1: the start must be small RANDOM weights drawn from np.random.default_rng(random_state)")


@pytest.mark.points(1)
def test_inputs_unchanged_and_lists_accepted(learner, worker, rng):
    """fit, loss_and_gradients and predict leave X and y unchanged; plain lists work"""
    X, y = digits(4)
    order = rng.permutation(16)
    X, y = X[order], y[order]
    X_stored, y_stored = worker.put(X), worker.put(y)
    model = learner.BinaryNeuron(n_epochs=50).fit(X_stored, y_stored)
    expect_unchanged(X, worker.fetch(X_stored), "BinaryNeuron().fit(X, y)", "X")
    expect_unchanged(y, worker.fetch(y_stored), "BinaryNeuron().fit(X, y)", "y")
    model.loss_and_gradients(X_stored, y_stored)
    expect_unchanged(X, worker.fetch(X_stored), "loss_and_gradients(X, y)", "X")
    expect_unchanged(y, worker.fetch(y_stored), "loss_and_gradients(X, y)", "y")
    model.predict(X_stored)
    expect_unchanged(X, worker.fetch(X_stored), "predict(X)", "X")
    call = "BinaryNeuron().fit(X as a list of lists, y as a list)"
    model = learner.BinaryNeuron(random_state=int(rng.integers(1000))).fit(X.tolist(), y.tolist())
    expect_weights(model, 4, call)
    expect_array(model.predict(X.tolist()), "predict(X as a list of lists)", (16,))


@pytest.mark.points(1)
def test_column_target(learner, rng):
    """a target of shape (n, 1) is a ValueError or is flattened, never broadcast into an (n, n) residual"""
    X, y = digits(5)
    call = "BinaryNeuron().fit(X, y) with y of shape (32, 1)"
    fit_call = "BinaryNeuron().fit(X, y[:, None])"
    try:
        model = learner.BinaryNeuron(random_state=int(rng.integers(1000))).fit(X, y[:, None])
    except (LearnerNotStarted, LearnerTimeout):
        raise
    except LearnerError as error:
        from_numpy = any(text in error.message for text in NUMPY_SHAPE_ERRORS)
        if error.type_name == "ValueError" and not from_numpy:
            return
        if from_numpy:
            fail(f"{call} crashed inside numpy ({error.type_name}: {error.message}) — y was not checked: X @ weights_ "
                 "has shape (32,), and subtracting a (32, 1) column broadcasts to a (32, 32) matrix of residuals. "
                 "Check that y has shape (n_samples,) and raise a ValueError that says so (or flatten y with .ravel())")
        fail(f"{call} raised {error.type_name}: {error.message}; expected either a ValueError saying y must have "
             "shape (n_samples,), or to flatten y and train as usual")
    weights = model.weights_
    if isinstance(weights, np.ndarray) and weights.ndim == 2:
        fail(f"{call} gave weights_ of shape {weights.shape}; expected (5,) — X @ weights_ has shape (32,), and "
             "subtracting a (32, 1) column broadcasts to a (32, 32) matrix of residuals: check that y has shape "
             "(n_samples,) and raise ValueError otherwise (or flatten it with .ravel())")
    expect_weights(model, 5, fit_call)
