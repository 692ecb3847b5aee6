"""Hidden suite for exercise 17, mlp.

``Dense`` is judged on its own: ``forward`` against ``x @ W + b`` with the layer's own ``W`` and ``b``
(read from the learner's layer, ``b`` set to random values so a missing bias shows), ``backward`` by the
gradient check of ``grader.support.gradcheck`` on the loss ``sum(forward(x) * G)`` (so
``grad_output = G``), the numeric side computed on the suite's own ``x @ W + b``.

The classifier is judged through its parameters, read from ``layers_``, never against one hard-coded
model, so any initialisation and any way of drawing the batches from ``random_state`` passes:

- fitting with ``learning_rate=0`` gives the initial parameters of a ``random_state``; the same fit with
  ``learning_rate=lr``, one epoch and ``batch_size=n`` takes one full-batch step, so
  ``(initial - after) / lr`` is the learner's gradient of the mean cross-entropy: it is checked against
  the numeric gradient of the suite's own forward pass (ReLU, softmax, mean cross-entropy);
- with ``batch_size = n - 1`` an epoch is two steps, on ``n - 1`` samples and then on the one left over.
  There are only ``n`` possibilities (which sample is left over); the suite replays each from the
  initial parameters and finds the one the learner took (or the few that give the same result: two
  samples of one class whose last-layer ReLUs are all off are interchangeable). After two epochs it sees
  which sample was left over in each epoch: over 8 random states a model that reshuffles every epoch
  cannot always leave over the same one, while a model that never shuffles, or shuffles once, or
  re-creates its generator with the same seed every epoch, always does.

Beyond that: reproducibility from ``random_state`` (0 included), the loss going down, ``predict_proba``
(rows sum to 1, a stable softmax on huge scores), labels as given, and at least 95 % held-out accuracy on
the handwritten digits within a time limit. The digits are judged by 4-fold cross-validation (each quarter,
chosen from the seed, held out once; pixels / 16, centred on the training mean): a single held-out
quarter of 450 digits is too small a sample to tell a 97 % model from a 95 % one at every seed.
"""

import numpy as np
import pytest

from grader.support.checks import (
    expect_array,
    expect_close,
    expect_loss_going_down,
    expect_no_warnings,
    expect_number_close,
    expect_unchanged,
    fail,
    show,
)
from grader.support.data import blobs, k_fold_indices, standardize
from grader.support.datasets import load_dataset
from grader.support.gradcheck import expect_gradient, numeric_gradient

HIDDEN = (6, 5)  # two hidden layers: the backward pass must go through a ReLU between two Dense layers
N_SAMPLES, N_FEATURES, N_CLASSES = 12, 3, 3
N_STATES = 8  # random_states tried for reshuffling: a correct fit repeats its left-over sample ~1/12 of the time
SIZES = (N_FEATURES, *HIDDEN, N_CLASSES)
STEP_SIZE = 0.5
LEARNING_RATE_DIGITS = 0.1


# --- the suite's reference network -------------------------------------------------------------------------
def log_softmax(scores):
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def hidden_and_scores(params, X):
    """The pre-activations z of each hidden layer and the scores, for params = [(W, b), ...]."""
    zs, h = [], X
    for W, b in params[:-1]:
        z = h @ W + b
        zs.append(z)
        h = np.maximum(z, 0.0)
    W, b = params[-1]
    return zs, h @ W + b


def mean_cross_entropy(params, X, onehot):
    return float(-np.sum(log_softmax(hidden_and_scores(params, X)[1]) * onehot) / len(X))


def gradients(params, X, onehot):
    """The reference backward pass: [(dW, db), ...] of the mean cross-entropy over the rows of X."""
    zs, scores = hidden_and_scores(params, X)
    inputs = [X] + [np.maximum(z, 0.0) for z in zs]
    grad = (np.exp(log_softmax(scores)) - onehot) / len(X)
    result = [None] * len(params)
    for i in reversed(range(len(params))):
        result[i] = (inputs[i].T @ grad, grad.sum(axis=0))
        if i > 0:
            grad = (grad @ params[i][0].T) * (zs[i - 1] > 0)
    return result


def sgd_step(params, X, onehot, learning_rate):
    return [(W - learning_rate * dW, b - learning_rate * db) for (W, b), (dW, db) in zip(params, gradients(params, X, onehot))]


def epoch_leaving_out(params, X, onehot, left_over, learning_rate):
    """One epoch with batch_size = n - 1 whose last batch is the one sample ``left_over``."""
    rest = np.delete(np.arange(len(X)), left_over)
    params = sgd_step(params, X[rest], onehot[rest], learning_rate)
    return sgd_step(params, X[[left_over]], onehot[[left_over]], learning_rate)


def distance(params, other):
    return max(float(np.max(np.abs(p - q))) for pair, other_pair in zip(params, other) for p, q in zip(pair, other_pair))


# --- reading the learner's model ---------------------------------------------------------------------------
def read_layers(model, call, sizes=SIZES):
    """The learner's parameters [(W, b), ...] from model.layers_, checked for number and shapes."""
    layers = model.layers_
    if not isinstance(layers, (list, tuple)):
        fail(f"{call}.layers_ is {show(layers)}; expected a list of Dense layers")
    if len(layers) != len(sizes) - 1:
        fail(f"{call}.layers_ has {len(layers)} layers; expected {len(sizes) - 1}: one Dense per hidden layer "
             f"(hidden={HIDDEN if sizes == SIZES else sizes[1:-1]}) plus the output layer")
    params = []
    for i, layer in enumerate(layers):
        W = expect_array(layer.W, f"{call}.layers_[{i}].W", (sizes[i], sizes[i + 1]))
        b = expect_array(layer.b, f"{call}.layers_[{i}].b", (sizes[i + 1],))
        params.append((W.astype(float), b.astype(float)))
    return params


def small_problem(rng):
    """n = 12 samples, 3 features, 3 classes (each present)."""
    X = rng.normal(size=(N_SAMPLES, N_FEATURES))
    labels = rng.permutation(np.arange(N_SAMPLES) % N_CLASSES)
    return X, labels, np.eye(N_CLASSES)[labels]


def fit_small(learner, X, labels, learning_rate, epochs, batch_size, random_state):
    call = (f"MLPClassifier(hidden={HIDDEN}, learning_rate={learning_rate}, epochs={epochs}, "
            f"batch_size={batch_size}, random_state={random_state}).fit(X, y)")
    model = learner.MLPClassifier(hidden=HIDDEN, learning_rate=learning_rate, epochs=epochs,
                                  batch_size=batch_size, random_state=random_state).fit(X, labels)
    return read_layers(model, call), call


def initial_and_trained(learner, X, labels, epochs, batch_size, random_state):
    """The parameters a random_state starts from (a fit with learning_rate=0) and those after training."""
    start, call = fit_small(learner, X, labels, 0.0, epochs, batch_size, random_state)
    after, _ = fit_small(learner, X, labels, STEP_SIZE, epochs, batch_size, random_state)
    again, _ = fit_small(learner, X, labels, 0.0, epochs, batch_size, random_state)
    if distance(start, again) > 0:
        fail(f"{call} twice gave different layers_: with learning_rate=0 the parameters are the initial ones, and "
             "the same random_state must give the same ones — create rng = np.random.default_rng(random_state) "
             "at the start of fit and draw every layer's weights from it")
    return start, after


def name_of(i, which):
    return f"layers_[{i}].{which}"


# --- Dense ---------------------------------------------------------------------------------------------
@pytest.mark.points(1)
def test_dense_forward(learner, worker, rng):
    """Dense.forward(x) returns x @ W + b for a batch x, without changing x"""
    layer = learner.Dense(4, 3, random_state=int(rng.integers(1000)))
    b = rng.normal(size=3)
    layer.b = b  # non-zero, so a missing bias shows
    W = expect_array(layer.W, "Dense(4, 3).W", (4, 3)).astype(float)
    x = rng.normal(size=(5, 4))
    stored = worker.put(x)
    got = layer.forward(stored)
    expect_unchanged(x, worker.fetch(stored), "Dense.forward(x)", "x")
    call = "Dense(4, 3).forward(x) for x of shape (5, 4) (with b set to random values)"
    if isinstance(got, np.ndarray) and got.shape == (5, 3) and np.allclose(got, x @ W, atol=1e-12):
        fail(f"{call} returned x @ W; expected x @ W + b: the bias b is not added")
    expect_close(got, x @ W + b, call, rtol=1e-10, atol=1e-12, why="(x @ W + b)")
    expect_close(layer.forward(x[:2].tolist()), x[:2] @ W + b, "Dense(4, 3).forward(x) for x given as a list of 2 rows",
                 rtol=1e-10, atol=1e-12)


@pytest.mark.points(3)
def test_dense_backward_passes_the_gradient_check(learner, worker, rng):
    """Dense.backward(G) gives dW, db and dL/dx that match numeric gradients of sum(forward(x) * G)"""
    layer = learner.Dense(4, 3, random_state=int(rng.integers(1000)))
    b = rng.normal(size=3)
    layer.b = b
    W = expect_array(layer.W, "Dense(4, 3).W", (4, 3)).astype(float)
    x, G = rng.normal(size=(6, 4)), rng.normal(size=(6, 3))
    layer.forward(rng.normal(size=(2, 4)))  # an earlier batch: backward must use the latest one
    layer.forward(x)
    G_stored = worker.put(G)
    grad_x = layer.backward(G_stored)
    expect_unchanged(G, worker.fetch(G_stored), "Dense.backward(grad_output)", "grad_output")
    call = "Dense(4, 3).backward(G) after forward(x) for a batch of 6"

    def loss(W_, b_, x_):
        return float(np.sum((x_ @ W_ + b_) * G))

    dW, db = layer.dW, layer.db
    if isinstance(dW, np.ndarray) and dW.shape == (3, 4):
        fail(f"{call}: dW has shape (3, 4), the transpose of W's (4, 3); expected dW = x.T @ grad_output, shaped "
             "like W (n_inputs, n_outputs)")
    if isinstance(db, np.ndarray) and db.shape == (3,):
        if np.allclose(db, 0.0) and not np.allclose(G.sum(axis=0), 0.0):
            fail(f"{call}: db is {show(db)}, all zeros; expected db = grad_output.sum(axis=0) = {show(G.sum(axis=0))}: "
                 "the bias gets a gradient too")
        if np.allclose(db, G.mean(axis=0), rtol=1e-8):
            fail(f"{call}: db is grad_output.mean(axis=0) = {show(db)}; expected the sum {show(G.sum(axis=0))} — "
                 "no averaging inside the layer: the loss already divided by the batch size")
    if isinstance(dW, np.ndarray) and dW.shape == (4, 3) and np.allclose(dW, x.T @ G / 6, rtol=1e-8):
        fail(f"{call}: dW is x.T @ grad_output / 6; expected x.T @ grad_output — no averaging inside the layer: "
             "the loss already divided by the batch size")
    expect_gradient(dW, numeric_gradient(lambda W_: loss(W_, b, x), W), call, "W (layer.dW)")
    expect_gradient(db, numeric_gradient(lambda b_: loss(W, b_, x), b), call, "b (layer.db)")
    expect_gradient(grad_x, numeric_gradient(lambda x_: loss(W, b, x_), x), call, "the input x (the returned array)")
    W_after = expect_array(layer.W, "Dense.W after backward", (4, 3))
    b_after = expect_array(layer.b, "Dense.b after backward", (3,))
    if not (np.array_equal(W_after, W) and np.array_equal(b_after, b)):
        fail(f"{call} changed W or b; expected backward only to compute dW and db: updating the parameters is the "
             "optimiser's job (MLPClassifier.fit)")


# --- MLPClassifier: gradients, batches, shuffling ----------------------------------------------------------
def expect_network_gradient(analytic, numeric, n, call, parameter):
    """expect_gradient, naming the factor-of-batch mistakes first."""
    analytic = expect_array(analytic, f"{call}: the gradient of {parameter}", numeric.shape)
    # central differences of a loss near 1 are only good to ~1e-10: below 1e-9 a difference is noise, not a mistake
    numeric = np.where(np.abs(analytic - numeric) < 1e-9, analytic, numeric)
    big = np.abs(numeric) > 1e-6
    if big.any():
        ratio = float(np.median(analytic[big] / numeric[big]))
        if np.allclose(analytic[big], ratio * numeric[big], rtol=1e-4) and not np.isclose(ratio, 1.0, rtol=1e-3):
            if np.isclose(ratio, n, rtol=1e-3):
                fail(f"{call}: the step of {parameter} is {n} times too large — the gradient is not averaged over the "
                     f"batch of {n}: the loss is the MEAN cross-entropy, so dL/dscores = (p - onehot) / batch")
            if np.isclose(ratio, 1.0 / n, rtol=1e-3):
                fail(f"{call}: the step of {parameter} is {n} times too small — the gradient is divided by the batch "
                     "size twice: once in dL/dscores = (p - onehot) / batch is enough, not again in the layers")
    expect_gradient(analytic, numeric, call, parameter)


@pytest.mark.points(3)
def test_one_sgd_step_follows_the_gradient(learner, rng):
    """one full-batch epoch moves every W and b by -learning_rate * (the numeric gradient of the mean cross-entropy)"""
    for _ in range(5):  # keep the ReLUs away from their kink at 0 (else numeric differences are wrong there)
        X, labels, onehot = small_problem(rng)
        start, after = initial_and_trained(learner, X, labels, epochs=1, batch_size=N_SAMPLES, random_state=int(rng.integers(1000)))
        zs, _ = hidden_and_scores(start, X)
        if min(float(np.min(np.abs(z))) for z in zs) > 1e-4:
            break
    call = (f"MLPClassifier(hidden={HIDDEN}, learning_rate={STEP_SIZE}, epochs=1, batch_size={N_SAMPLES}).fit(X, y) "
            "(one step on the whole batch)")
    for i, ((W0, b0), (W1, b1)) in enumerate(zip(start, after)):
        for which, p0, p1 in (("W", W0, W1), ("b", b0, b1)):
            def loss(value, i=i, which=which):
                params = [list(pair) for pair in start]
                params[i][0 if which == "W" else 1] = value
                return mean_cross_entropy(params, X, onehot)

            numeric = numeric_gradient(loss, p0)
            expect_network_gradient((p0 - p1) / STEP_SIZE, numeric, N_SAMPLES, call, name_of(i, which))


def find_left_over(start, after, X, onehot, call, epochs=1):
    """Which sample each epoch of the learner's fit (batch_size = n - 1) left for its last batch.

    Returns every sequence of left-over samples (one per epoch) that gives the learner's parameters: two
    samples can be interchangeable (same label, every ReLU of the last hidden layer off for both).
    """
    candidates = {(): start}
    for _ in range(epochs):
        candidates = {path + (k,): epoch_leaving_out(params, X, onehot, k, STEP_SIZE)
                      for path, params in candidates.items() for k in range(len(X))}
    tolerance = 1e-8 * max(1.0, max(float(np.max(np.abs(p))) for pair in after for p in pair))
    matches = [path for path, params in candidates.items() if distance(params, after) <= tolerance]
    if matches:
        return matches
    # not one of the n possible epochs: say what it looks like
    if epochs == 1:
        if distance(sgd_step(start, X, onehot, STEP_SIZE), after) <= tolerance:
            fail(f"{call} took one step on all {len(X)} samples; expected two steps: a batch of {len(X) - 1} samples, "
                 "then a batch of the 1 sample left over — walk through the shuffled order in slices of batch_size")
        for k in range(len(X)):
            rest = np.delete(np.arange(len(X)), k)
            first = sgd_step(start, X[rest], onehot[rest], STEP_SIZE)
            if distance(first, after) <= tolerance:
                fail(f"{call} took one step on {len(X) - 1} samples and skipped the last batch; expected a second step "
                     "on the 1 sample left over: the last batch may be smaller than batch_size, but it is used")
            if distance(sgd_step(first, X[[k]], onehot[[k]], STEP_SIZE / (len(X) - 1)), after) <= tolerance:
                fail(f"{call}: the last batch (1 sample) was averaged over batch_size = {len(X) - 1} instead of its "
                     "real size 1 — divide by len(batch), not by batch_size")
    nearest = min(distance(params, after) for params in candidates.values())
    fail(f"{call}: the parameters after training are not those of SGD over the batches of any shuffled order "
         f"(largest difference from the nearest one: {nearest:.3g}) — each epoch should take the samples in the "
         f"order of rng.permutation(n), in slices of batch_size = {len(X) - 1} (the last slice holds the 1 sample "
         "left over), with one step W -= learning_rate * dW, b -= learning_rate * db per slice, on the gradient of "
         "that slice's mean cross-entropy")


@pytest.mark.points(2)
def test_trains_in_mini_batches(learner, rng):
    """an epoch walks through the data in batches of batch_size (the last one smaller), one SGD step each"""
    X, labels, onehot = small_problem(rng)
    start, after = initial_and_trained(learner, X, labels, epochs=1, batch_size=N_SAMPLES - 1, random_state=int(rng.integers(1000)))
    call = (f"MLPClassifier(hidden={HIDDEN}, learning_rate={STEP_SIZE}, epochs=1, batch_size={N_SAMPLES - 1})"
            f".fit(X, y) on {N_SAMPLES} samples")
    find_left_over(start, after, X, onehot, call)


@pytest.mark.points(2)
def test_reshuffles_every_epoch(learner, rng):
    """every epoch takes the samples in a new order drawn from the one generator of random_state"""
    X, labels, onehot = small_problem(rng)
    seen = []
    for random_state in rng.choice(1000, size=N_STATES, replace=False):
        start, after = initial_and_trained(learner, X, labels, epochs=2, batch_size=N_SAMPLES - 1, random_state=int(random_state))
        call = (f"MLPClassifier(hidden={HIDDEN}, learning_rate={STEP_SIZE}, epochs=2, batch_size={N_SAMPLES - 1}, "
                f"random_state={int(random_state)}).fit(X, y) on {N_SAMPLES} samples")
        seen.append(find_left_over(start, after, X, onehot, call, epochs=2))
    if all(any(first == second for first, second in matches) for matches in seen):
        pairs = [next([first, second] for first, second in matches if first == second) for matches in seen]
        never = all(first == N_SAMPLES - 1 for first, _ in pairs)
        fail(f"with batch_size = n - 1 = {N_SAMPLES - 1}, each epoch leaves one sample for its last batch; for "
             f"{N_STATES} random_states, the samples left over in epochs 1 and 2 were {pairs}: always the same sample "
             "in both epochs, so every epoch used the same order"
             + (" (the order 0, 1, ..., n - 1: the data are never shuffled)" if never else "")
             + " — create ONE rng = np.random.default_rng(random_state) at the start of fit and draw a new "
             "rng.permutation(n_samples) at the start of EVERY epoch (not one before the loop, not a new rng with "
             "the same seed inside it)")


@pytest.mark.points(1)
def test_random_state_makes_it_reproducible(learner, rng):
    """the same random_state (0 included) gives the same model; another one gives another"""
    X, labels, _, = blobs(rng, 60, 3, n_features=2, cluster_std=2.0, min_distance=3.0)
    X, = standardize(X)
    results = {}
    for random_state in (0, 0, 1):
        call = f"MLPClassifier(hidden=(8,), epochs=5, batch_size=8, random_state={random_state}).fit(X, y)"
        model = learner.MLPClassifier(hidden=(8,), learning_rate=0.1, epochs=5, batch_size=8, random_state=random_state).fit(X, labels)
        history = expect_array(model.loss_history_, f"{call}.loss_history_", (5,))
        proba = expect_array(model.predict_proba(X), f"{call}.predict_proba(X)", (60, 3))
        if random_state in results:
            if not (np.array_equal(history, results[0][0]) and np.array_equal(proba, results[0][1])):
                fail(f"{call} twice gave different models (loss_history_ {show(history)} and {show(results[0][0])}); "
                     "expected the same: all randomness from np.random.default_rng(random_state), created in fit "
                     "(0 is a seed like any other: test `random_state is None`, not `if random_state:`)")
        results[random_state] = (history, proba)
    if np.array_equal(results[1][1], results[0][1]):
        fail("random_state=0 and random_state=1 gave exactly the same model; expected different initial weights "
             "and batch orders")


@pytest.mark.points(1)
def test_loss_goes_down(learner, rng):
    """loss_history_ has one mean cross-entropy per epoch, going down, ending near the model's training loss"""
    X, labels, _ = blobs(rng, 120, 3, n_features=4, cluster_std=2.0, min_distance=4.0)
    X, = standardize(X)
    call = "MLPClassifier(hidden=(16,), learning_rate=0.1, epochs=20, batch_size=16).fit(X, y)"
    model = learner.MLPClassifier(hidden=(16,), learning_rate=0.1, epochs=20, batch_size=16,
                                  random_state=int(rng.integers(1000))).fit(X, labels)
    history = expect_loss_going_down(model.loss_history_, call, 20)
    params = read_layers(model, call, (4, 16, 3))
    final = mean_cross_entropy(params, X, np.eye(3)[labels])
    if not abs(history[-1] - final) <= 0.3 * final + 0.02:
        why = ""
        if np.isclose(history[-1], final * len(X), rtol=0.3) or np.isclose(history[-1], final * 16, rtol=0.3):
            why = " — it looks like a sum over the samples: record the MEAN cross-entropy of the epoch"
        fail(f"{call}.loss_history_[-1] is {history[-1]:.4g}; expected about {final:.4g}, the mean cross-entropy "
             f"-mean(log p[i, y_i]) of the trained model on X{why}")


# --- MLPClassifier: predictions ------------------------------------------------------------------------
@pytest.mark.points(1)
def test_predict_proba_is_the_softmax(learner, rng):
    """predict_proba is the softmax of the network's scores: shape (n, n_classes), rows summing to 1"""
    X, labels, _ = blobs(rng, 60, 4, n_features=3, cluster_std=2.0, min_distance=4.0)
    call = "MLPClassifier(hidden=(6,), epochs=5).fit(X, y)"
    model = learner.MLPClassifier(hidden=(6,), learning_rate=0.05, epochs=5, batch_size=16,
                                  random_state=int(rng.integers(1000))).fit(X, labels)
    params = read_layers(model, call, (3, 6, 4))
    X_new = rng.normal(size=(15, 3)) * 3.0
    expected = np.exp(log_softmax(hidden_and_scores(params, X_new)[1]))
    got = expect_array(model.predict_proba(X_new), f"{call}.predict_proba(X_new) for 15 samples", (15, 4))
    sums = got.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-9):
        fail(f"{call}.predict_proba(X_new): the rows sum to {show(sums)}; expected 1 for every row — divide exp(scores) "
             "by its sum over each row (axis=1, keepdims=True)")
    expect_close(got, expected, f"{call}.predict_proba(X_new)", rtol=1e-7, atol=1e-10,
                 why="(the softmax of the scores of the network in layers_, ReLU after each hidden layer)")
    predicted = expect_array(model.predict(X_new), f"{call}.predict(X_new)", (15,))
    expect_close(predicted, model.classes_[np.argmax(expected, axis=1)], f"{call}.predict(X_new)",
                 why="(the label of the most probable class)")


@pytest.mark.points(1)
def test_softmax_is_stable(learner, worker, rng):
    """predict_proba stays finite and exact when the scores are in the thousands"""
    X, labels, _ = blobs(rng, 60, 3, n_features=2, cluster_std=1.0, min_distance=5.0)
    call = "MLPClassifier(hidden=(6,)).fit(X, y)"
    model = learner.MLPClassifier(hidden=(6,), learning_rate=0.05, epochs=5, batch_size=16,
                                  random_state=int(rng.integers(1000))).fit(X, labels)
    params = read_layers(model, call, (2, 6, 3))
    X_far = rng.normal(size=(10, 2))
    scores = hidden_and_scores(params, X_far)[1]
    X_far *= 5000.0 / max(float(np.max(np.abs(scores))), 1e-3)  # scores far above 709, where exp overflows
    expected = np.exp(log_softmax(hidden_and_scores(params, X_far)[1]))
    got = model.predict_proba(X_far)
    if isinstance(got, np.ndarray) and got.shape == expected.shape and not np.all(np.isfinite(got)):
        fail(f"{call}.predict_proba(X) for inputs whose scores reach ±5000 returned {show(got)} — exp(5000) overflows "
             "to inf and inf / inf is nan: subtract each row's largest score before exp (the softmax does not change)")
    expect_close(got, expected, f"{call}.predict_proba(X) for inputs whose scores reach ±5000", rtol=1e-7, atol=1e-12)
    expect_no_warnings(worker, f"{call}.predict_proba(X) for huge scores",
                       "subtract each row's largest score before np.exp, so exp never sees a large number")


@pytest.mark.points(2)
def test_labels_come_back_as_given(learner, worker, rng):
    """fit returns self; classes_ holds the labels as given (strings) and predict returns them; score is the accuracy"""
    X, labels, _ = blobs(rng, 90, 3, n_features=2, cluster_std=1.0, min_distance=10.0)
    X, = standardize(X)
    names = np.array(["cat", "dog", "emu"])
    y = names[labels]
    X_stored, y_stored = worker.put(X), worker.put(y)
    model = learner.MLPClassifier(hidden=(8,), learning_rate=0.1, epochs=30, batch_size=16, random_state=int(rng.integers(1000)))
    call = "MLPClassifier(hidden=(8,), learning_rate=0.1, epochs=30, batch_size=16).fit(X, y)"
    returned = model.fit(X_stored, y_stored)
    if returned is not model:
        fail(f"{call} returned {returned!r}; expected the model itself (end fit with `return self`)")
    expect_unchanged(X, worker.fetch(X_stored), call, "X")
    if not np.array_equal(worker.fetch(y_stored), y):
        fail(f"{call} changed its input y in place; work on a copy")
    classes = model.classes_
    if not isinstance(classes, np.ndarray) or classes.tolist() != names.tolist():
        fail(f"with labels {names.tolist()}, classes_ is {show(classes)}; expected np.unique(y) = {names.tolist()}")
    predicted = expect_array(model.predict(X), "predict(X) with string labels", (90,), numeric=False)
    if not set(predicted.tolist()) <= set(names.tolist()):
        extra = (" — these are positions in classes_: return classes_[positions]"
                 if set(predicted.tolist()) <= {0, 1, 2} else "")
        fail(f"with labels {names.tolist()}, predict(X) returned {show(predicted)}; expected labels from classes_{extra}")
    accuracy = float(np.mean(predicted == y))
    if accuracy < 0.95:
        fail(f"on three well-separated clusters, {call}.predict(X) is right for only {accuracy:.0%} of the training "
             "samples; expected over 95%")
    expect_number_close(model.score(X, y), accuracy, "score(X, y)", why="(the fraction of correct predictions)")


@pytest.mark.points(3)
@pytest.mark.time_limit(10)
def test_digits(learner, rng):
    """on the handwritten digits, each quarter held out in turn, accuracy is at least 95 %"""
    data = load_dataset("digits")
    pixels = data.data / 16.0  # 0..1
    correct = 0
    for train, test in k_fold_indices(rng, len(pixels), 4):
        mean = pixels[train].mean(axis=0)  # centred on the training quarters' mean: SGD on all-positive inputs zigzags
        model = learner.MLPClassifier(hidden=(64,), learning_rate=LEARNING_RATE_DIGITS, epochs=30, batch_size=32,
                                      random_state=int(rng.integers(1000))).fit(pixels[train] - mean, data.target[train])
        predicted = expect_array(model.predict(pixels[test] - mean), "predict(X_test) on the digits", (len(test),))
        correct += int(np.sum(predicted == data.target[test]))
    accuracy = correct / len(pixels)
    if accuracy < 0.95:
        fail(f"MLPClassifier(hidden=(64,), learning_rate={LEARNING_RATE_DIGITS}, epochs=30, batch_size=32), trained on "
             f"three quarters of the digits (pixels / 16, centred) and tested on the fourth, four times, was right for "
             f"{accuracy:.3f} of them; expected at least 0.95")
