"""Hidden suite for exercise 21, digit_classifier.

What is judged, and why:

- The pipeline is built from the learner's own pieces: ``scaler_`` is their ``StandardScaler``, ``model_``
  their ``MLPClassifier`` (exercise 17), handed the pipeline's settings. A finished pipeline whose network
  is still a stub is therefore "not started", waiting for ``mlp.py``.
- No leak, judged exactly without knowing how the learner's split picks its rows: the data given to
  ``fit`` carries *row tags*, extra columns where row ``i`` holds ``2 ** (i % 40)`` (in column ``i // 40``
  of the tags, 0 elsewhere). A sum of distinct powers of two is exact in float64 and its binary digits
  name the rows summed, so ``scaler_.mean_`` on the tag columns says which rows the scaler saw: the
  training part (right), all rows (fitted before the split), or the validation rows.
- The split those tags reveal: ``validation_size`` of the rows, stratified (every digit keeps its share),
  the same for the same ``random_state`` (0 included) and different for another.
- ``validation_accuracy_`` is recomputed from the learner's own fitted ``scaler_`` and ``model_`` on
  exactly the rows the scaler did not see. 40% of the labels are shuffled there, so the accuracy on the
  (memorised) training rows, on the validation rows, and of the network on unscaled validation rows differ,
  and a number measured on the wrong rows shows.
- ``predict`` applies the fitted scaler (and does not refit it on the data in front of it), ``score`` is
  the accuracy of ``predict``, ``evaluate`` is checked against predictions fetched from the same model, so
  any correct network passes whatever it predicts.
- The point of it all: at least 95% accuracy on digits the pipeline never saw, pooled over 5 folds drawn
  from the rng (every image is predicted once by a pipeline fitted without it), so that no single unlucky
  split decides.
"""

import numpy as np
import pytest

from grader.learner import RemoteObject
from grader.support.checks import expect_array, expect_float, expect_number_close, expect_unchanged, fail, show
from grader.support.data import k_fold_indices, standardize
from grader.support.datasets import load_dataset

N_PIXELS = 64
TAG_ROWS = 40  # rows per tag column: a sum of distinct powers of two below 2 ** 40 is exact in float64
LEAK = ("fit the scaler on the training part only: split first, then StandardScaler().fit(X_train); "
        "statistics of the validation rows must not reach the model (a leak)")


def digit_rows(rng, per_class, digits=range(10)):
    """``per_class`` random images of each of ``digits``, shuffled: pixels (n, 64) and labels (n,)."""
    data = load_dataset("digits")
    rows = np.concatenate([rng.choice(np.flatnonzero(data.target == d), per_class, replace=False) for d in digits])
    rows = rng.permutation(rows)
    return data.data[rows], data.target[rows]


def tagged_digits(rng, per_class=20, shuffled=0.0):
    """Digit images with row tags appended: X of shape (n, 64 + n_tags), y of shape (n,).

    Row ``i`` holds ``2.0 ** (i % 40)`` in tag column ``i // 40`` and 0 in the other tag columns. The labels
    of a ``shuffled`` fraction of the rows are shuffled among them (every digit keeps its count).
    """
    pixels, y = digit_rows(rng, per_class)
    noisy = rng.choice(len(y), int(round(shuffled * len(y))), replace=False)
    y[noisy] = rng.permutation(y[noisy])
    n = len(y)
    tags = np.zeros((n, -(-n // TAG_ROWS)))
    tags[np.arange(n), np.arange(n) // TAG_ROWS] = 2.0 ** (np.arange(n) % TAG_ROWS)
    return np.hstack([pixels, tags]), y


def rows_averaged(tag_means, n_rows, likely):
    """The rows whose mean has these tag columns (sorted indices), or None if no set of rows has it."""
    if not np.all(np.isfinite(tag_means)):
        return None
    for count in [likely, *(m for m in range(1, n_rows + 1) if m != likely)]:
        sums = tag_means * count
        whole = np.round(sums)
        if np.any(np.abs(sums - whole) > 0.01) or np.any(whole < 0) or np.any(whole >= 2.0**TAG_ROWS):
            continue
        rows = [column * TAG_ROWS + bit for column, total in enumerate(whole.astype(np.int64).tolist())
                for bit in range(TAG_ROWS) if total >> bit & 1]
        if len(rows) == count and rows[-1] < n_rows:
            return np.array(rows)
    return None


def scaler_rows(model, X, call, validation_size=0.2):
    """The rows of X the fitted scaler_ was fitted on, checked to be the training part: (train, validation)."""
    n, n_features = X.shape
    n_validation = int(round(validation_size * n))
    mean = expect_array(model.scaler_.mean_, f"{call}: scaler_.mean_", (n_features,))
    seen = rows_averaged(mean[N_PIXELS:], n, n - n_validation)
    if seen is None:
        fail(f"{call}: scaler_.mean_ is not the mean of any set of rows of the X given to fit; expected the "
             "means of the training part's columns — fit the StandardScaler on X_train, the rows of X as "
             "given (unchanged) that train_test_split put in the training part")
    if len(seen) == n:
        fail(f"{call}: scaler_.mean_ is the mean of all {n} rows given to fit; expected the mean of the "
             f"{n - n_validation} training rows only — the scaler was fitted before the split (or on all of X), "
             f"so it learned from the validation rows too. {LEAK}")
    if len(seen) == n_validation:
        fail(f"{call}: scaler_.mean_ is the mean of {n_validation} rows, as many as the validation part; "
             f"expected the {n - n_validation} training rows — was the scaler fitted on the validation part "
             "(train_test_split returns X_train, X_test, y_train, y_test in that order), or refitted on it "
             "later (fit_transform in predict, which fit calls on X_val)? Fit it once, on X_train, and only "
             "transform afterwards")
    if len(seen) != n - n_validation:
        fail(f"{call}: scaler_.mean_ is the mean of {len(seen)} of the {n} rows given to fit; expected the "
             f"training part, {n - n_validation} rows (validation_size={validation_size} of the rows go to the "
             "validation part) — split with train_test_split(X, y, test_size=validation_size, stratify=y, "
             "random_state=random_state) and fit the scaler on X_train")
    expected = X[seen].mean(axis=0)
    if not np.allclose(mean[:N_PIXELS], expected[:N_PIXELS], rtol=1e-9, atol=1e-9):
        fail(f"{call}: scaler_.mean_ on the pixel columns is {show(mean[:N_PIXELS])}; expected the mean of the same "
             f"training rows, {show(expected[:N_PIXELS])} — fit the scaler on the rows of X as given")
    return seen, np.setdiff1d(np.arange(n), seen)


def fitted(learner, X, y, call, **settings):
    """A DigitClassifier fitted on X, y; fails unless fit returned the pipeline itself."""
    model = learner.DigitClassifier(**settings)
    returned = model.fit(X, y)
    if returned is not model:
        fail(f"{call} returned {returned!r}; expected the DigitClassifier itself (end fit with `return self`)")
    return model


def network_predictions(model, X, call):
    """model_.predict(scaler_.transform(X)), from the learner's own fitted pieces."""
    scaled = expect_array(model.scaler_.transform(X), f"{call}: scaler_.transform(X)", X.shape)
    return expect_array(model.model_.predict(scaled), f"{call}: model_.predict(scaler_.transform(X))", (len(X),))


def unscaled_predictions(model, X, call):
    """model_.predict(X) on raw pixels: what a pipeline that forgets the scaler predicts."""
    return expect_array(model.model_.predict(X), f"{call}: model_.predict(X) (unscaled)", (len(X),))


@pytest.mark.points(1)
def test_fit_returns_self_with_its_fitted_pieces(learner, rng):
    """fit returns self with scaler_ (your StandardScaler), model_ (your MLPClassifier), classes_ and validation_accuracy_"""
    X, y = digit_rows(rng, 15)
    call = "DigitClassifier(hidden=(16,), epochs=5).fit(X, y) with 150 digit images"
    model = fitted(learner, X, y, call, hidden=(16,), epochs=5, random_state=int(rng.integers(1000)))
    scaler, network = model.scaler_, model.model_
    if not isinstance(scaler, RemoteObject) or scaler._type_name != "StandardScaler":
        kind = scaler._type_name if isinstance(scaler, RemoteObject) else show(scaler)
        fail(f"{call}: scaler_ is a {kind}; expected your fitted StandardScaler (from preprocessing import "
             "StandardScaler)")
    if not isinstance(network, RemoteObject) or network._type_name != "MLPClassifier":
        kind = network._type_name if isinstance(network, RemoteObject) else show(network)
        fail(f"{call}: model_ is a {kind}; expected your trained MLPClassifier (from mlp import MLPClassifier)")
    expect_array(scaler.mean_, f"{call}: scaler_.mean_", (N_PIXELS,))
    classes = model.classes_
    if not isinstance(classes, np.ndarray) or classes.tolist() != list(range(10)):
        fail(f"{call}: classes_ is {show(classes)}; expected np.unique(y) = [0, 1, ..., 9]")
    score = expect_float(model.validation_accuracy_, f"{call}: validation_accuracy_")
    if not 0.0 <= score <= 1.0:
        fail(f"{call}: validation_accuracy_ is {score:.6g}; expected an accuracy, a fraction between 0 and 1")


@pytest.mark.points(1)
def test_settings_are_handed_to_the_network(learner, rng):
    """hidden, learning_rate and epochs are handed to the MLPClassifier"""
    X, y = digit_rows(rng, 10)
    seed = int(rng.integers(1, 1000))
    call = f"DigitClassifier(hidden=(12, 8), learning_rate=0.05, epochs=3, random_state={seed}).fit(X, y)"
    model = fitted(learner, X, y, call, hidden=(12, 8), learning_rate=0.05, epochs=3, random_state=seed)
    network = model.model_
    history = network.loss_history_
    if np.ndim(history) != 1 or len(history) != 3:
        fail(f"{call}: model_.loss_history_ is {show(history)}; expected 3 losses, one per epoch — hand epochs to "
             "MLPClassifier(hidden=..., learning_rate=..., epochs=..., random_state=...)")
    hidden = network.hidden
    if not isinstance(hidden, (tuple, list)) or tuple(hidden) != (12, 8):
        fail(f"{call}: model_.hidden is {show(hidden)}; expected (12, 8) — hand hidden to the MLPClassifier")
    learning_rate = network.learning_rate
    if learning_rate != 0.05:
        fail(f"{call}: model_.learning_rate is {show(learning_rate)}; expected 0.05 — hand learning_rate to the "
             "MLPClassifier")


@pytest.mark.points(3)
def test_scaler_is_fitted_on_the_training_part_only(learner, rng):
    """the scaler learns from the training part only: not from all rows, not from the validation rows"""
    X, y = tagged_digits(rng)
    call = "DigitClassifier(hidden=(16,), epochs=5).fit(X, y) with 200 rows (20 of each digit)"
    model = fitted(learner, X, y, call, hidden=(16,), epochs=5, random_state=int(rng.integers(1000)))
    scaler_rows(model, X, call)


@pytest.mark.points(1)
def test_validation_part_is_stratified(learner, rng):
    """the split is stratified: every digit has its share (20%) of rows in the validation part"""
    X, y = tagged_digits(rng)
    call = "DigitClassifier(hidden=(16,), epochs=3).fit(X, y) with 200 rows (20 of each digit)"
    model = fitted(learner, X, y, call, hidden=(16,), epochs=3, random_state=int(rng.integers(1000)))
    _, validation = scaler_rows(model, X, call)
    counts = np.bincount(y[validation], minlength=10)
    if np.any(counts != 4):
        fail(f"{call}: the validation part (the 40 rows the scaler did not see) holds {counts.tolist()} images of "
             "the digits 0..9; expected 4 of each (20% of every digit's 20) — pass stratify=y to train_test_split")


@pytest.mark.points(2)
def test_validation_accuracy_is_measured_on_the_validation_part(learner, rng):
    """validation_accuracy_ is the accuracy of the fitted pipeline on the validation rows"""
    X, y = tagged_digits(rng, shuffled=0.4)
    call = "DigitClassifier(hidden=(32,), epochs=30).fit(X, y) with 200 rows, 40% of their labels shuffled"
    model = fitted(learner, X, y, call, hidden=(32,), epochs=30, random_state=int(rng.integers(1000)))
    train, validation = scaler_rows(model, X, call)
    got = expect_float(model.validation_accuracy_, f"{call}: validation_accuracy_")
    expected = float(np.mean(network_predictions(model, X[validation], call) == y[validation]))
    if np.isclose(got, expected, rtol=0, atol=1e-12):
        return
    on_training = float(np.mean(network_predictions(model, X[train], call) == y[train]))
    if np.isclose(got, on_training, rtol=0, atol=1e-12):
        fail(f"{call}: validation_accuracy_ is {got:.6g}, the accuracy on the 160 TRAINING rows; expected "
             f"{expected:.6g}, the accuracy on the 40 validation rows — measure on X_val, y_val, which the "
             "network did not learn from")
    unscaled = unscaled_predictions(model, X[validation], call)
    if np.isclose(got, float(np.mean(unscaled == y[validation])), rtol=0, atol=1e-12):
        fail(f"{call}: validation_accuracy_ is {got:.6g}, the accuracy of the network on UNSCALED validation "
             f"rows; expected {expected:.6g} — the network learned on scaled data: predict "
             "model_.predict(scaler_.transform(X_val)) (or self.predict(X_val))")
    fail(f"{call}: validation_accuracy_ is {got:.6g}; expected {expected:.6g}, the accuracy of "
         "model_.predict(scaler_.transform(X_val)) against y_val on the 40 rows the scaler did not see")


@pytest.mark.points(2)
def test_predict_scales_with_the_fitted_scaler(learner, worker, rng):
    """predict scales new data with the scaler fitted in fit (never refitted), then predicts with model_"""
    X_train, y_train = digit_rows(rng, 30)
    X_new = digit_rows(rng, 20, digits=range(5))[0]  # only 0..4: their own statistics differ from the training ones
    call = "DigitClassifier(hidden=(32,), epochs=10).fit(X_train, y_train)"
    model = fitted(learner, X_train, y_train, call, hidden=(32,), epochs=10, random_state=int(rng.integers(1000)))
    mean_before = expect_array(model.scaler_.mean_, f"{call}: scaler_.mean_", (N_PIXELS,))
    stored = worker.put(X_new)
    got = expect_array(model.predict(stored), f"{call}: predict(X_new)", (100,))
    expect_unchanged(X_new, worker.fetch(stored), f"{call}: predict(X_new)", "X_new")
    mean_after = expect_array(model.scaler_.mean_, f"{call}: scaler_.mean_ after predict", (N_PIXELS,))
    if not np.array_equal(mean_before, mean_after):
        fail(f"{call}: after predict(X_new), scaler_.mean_ changed: predict refitted the scaler on the new data "
             "— use scaler_.transform(X) in predict, never fit or fit_transform: new data must get the "
             "TRAINING statistics (a model cannot learn from the data it is asked about)")
    expected = network_predictions(model, X_new, call)
    if np.array_equal(got, expected):
        return
    if np.array_equal(got, unscaled_predictions(model, X_new, call)):
        fail(f"{call}: predict(X_new) returned model_.predict(X_new), the network's answers for UNSCALED pixels "
             f"({int(np.sum(got != expected))} of 100 differ from model_.predict(scaler_.transform(X_new))) — "
             "the network learned on scaled data: scale X with scaler_.transform before predicting")
    own = expect_array(model.model_.predict(standardize(X_new)[0]), f"{call}: model_.predict(X_new scaled by itself)", (100,))
    if np.array_equal(got, own):
        fail(f"{call}: predict(X_new) scaled X_new with its OWN mean and standard deviation; expected the training "
             "statistics in scaler_ — use scaler_.transform(X), never a new StandardScaler fitted on X")
    wrong = np.flatnonzero(got != expected)
    fail(f"{call}: predict(X_new)[{wrong[0]}] is {show(got[wrong[0]])}; expected {show(expected[wrong[0]])}, "
         f"from model_.predict(scaler_.transform(X_new)) ({wrong.size} of 100 predictions differ)")


@pytest.mark.points(1)
def test_score_is_the_accuracy_of_predict(learner, rng):
    """score(X, y) is the accuracy of predict(X) against y, as a float"""
    X, y = digit_rows(rng, 30)
    X_train, y_train, X_new, y_new = X[:200], y[:200], X[200:], y[200:]
    call = "DigitClassifier(hidden=(8,), epochs=2).fit(X_train, y_train)"
    model = fitted(learner, X_train, y_train, call, hidden=(8,), epochs=2, random_state=int(rng.integers(1000)))
    predicted = expect_array(model.predict(X_new), f"{call}: predict(X_new)", (100,))
    expected = float(np.mean(predicted == y_new))
    expect_number_close(model.score(X_new, y_new), expected, f"{call}: score(X_new, y_new)", atol=1e-12,
                        why="(the fraction of predict(X_new) equal to y_new)")


@pytest.mark.points(2)
def test_random_state_makes_it_reproducible(learner, rng):
    """the same random_state (0 included) gives the same split and model; another random_state, or None, another split"""
    X, y = tagged_digits(rng)
    X_new = digit_rows(rng, 5)[0]
    X_new = np.hstack([X_new, np.zeros((len(X_new), X.shape[1] - N_PIXELS))])

    def run(random_state):
        call = f"DigitClassifier(hidden=(16,), epochs=2, random_state={random_state}).fit(X, y)"
        model = fitted(learner, X, y, call, hidden=(16,), epochs=2, random_state=random_state)
        train, _ = scaler_rows(model, X, call)
        proba = expect_array(model.model_.predict_proba(model.scaler_.transform(X_new)),
                             f"{call}: model_.predict_proba(scaler_.transform(X_new))", (50, 10))
        return train, proba

    seed = int(rng.integers(1, 1000))
    for random_state in (0, seed):
        (train, proba), (train_again, proba_again) = run(random_state), run(random_state)
        if not np.array_equal(train, train_again):
            fail(f"two DigitClassifier(random_state={random_state}) fitted on the same data split it differently "
                 "(their scalers saw different rows); expected the same split — pass random_state to "
                 "train_test_split as it is (0 is a seed like any other: no `if self.random_state:`)")
        if not np.array_equal(proba, proba_again):
            fail(f"two DigitClassifier(random_state={random_state}) fitted on the same data split it the same way "
                 "but their networks differ; expected the same network — hand random_state to the MLPClassifier")
    if np.array_equal(run(0)[0], run(1)[0]):
        fail("DigitClassifier(random_state=0) and DigitClassifier(random_state=1) split the data the same way; "
             "expected different splits — pass random_state to train_test_split")
    if np.array_equal(run(None)[0], run(None)[0]):
        fail("two DigitClassifier(random_state=None) split the data the same way; expected different splits "
             "— pass random_state (None) to train_test_split as it is, not a fixed seed")


@pytest.mark.points(1)
def test_inputs_unchanged_and_lists_accepted(learner, worker, rng):
    """fit and predict leave X and y unchanged and accept plain lists"""
    X, y = digit_rows(rng, 12)
    X_stored, y_stored = worker.put(X), worker.put(y)
    call = "DigitClassifier(hidden=(8,), epochs=2).fit(X, y)"
    model = fitted(learner, X_stored, y_stored, call, hidden=(8,), epochs=2, random_state=int(rng.integers(1000)))
    expect_unchanged(X, worker.fetch(X_stored), call, "X")
    expect_unchanged(y, worker.fetch(y_stored), call, "y")
    call = "DigitClassifier(hidden=(8,), epochs=2).fit(X, y) with X and y plain Python lists"
    model = fitted(learner, X.tolist(), y.tolist(), call, hidden=(8,), epochs=2, random_state=int(rng.integers(1000)))
    predicted = expect_array(model.predict(X[:7].tolist()), f"{call}: predict(a list of 7 rows)", (7,))
    if not np.all(np.isin(predicted, np.arange(10))):
        fail(f"{call}: predict(a list of 7 rows) returned {show(predicted)}; expected digits from classes_")


@pytest.mark.points(3)
def test_evaluate_reports_accuracy_confusion_matrix_and_recall(learner, rng):
    """evaluate returns the accuracy, the confusion matrix (rows: true digit) and each digit's recall"""
    X, y = digit_rows(rng, 40)
    X_train, y_train, X_test, y_test = X[:200], y[:200], X[200:], y[200:]
    call = "DigitClassifier(hidden=(8,), epochs=1).fit(X_train, y_train)"
    model = fitted(learner, X_train, y_train, call, hidden=(8,), epochs=1, random_state=int(rng.integers(1000)))
    predicted = expect_array(model.predict(X_test), f"{call}: predict(X_test)", (200,))
    labels = np.arange(10)
    matrix = (y_test[:, None] == labels).T.astype(int) @ (predicted[:, None] == labels).astype(int)
    rows = matrix.sum(axis=1)
    recall = np.diag(matrix) / rows
    call = "evaluate(model, X_test, y_test)"
    result = learner.evaluate(model, X_test, y_test)
    keys = {"accuracy", "confusion_matrix", "per_class_recall"}
    if not isinstance(result, dict) or set(result) != keys:
        got = sorted(map(str, result)) if isinstance(result, dict) else show(result)
        fail(f"{call} returned {got}; expected a dict with exactly the keys {sorted(keys)}")
    expect_number_close(result["accuracy"], float(np.mean(predicted == y_test)), f'{call}["accuracy"]', atol=1e-12,
                        why="(the fraction of model.predict(X_test) equal to y_test)")
    got = expect_array(result["confusion_matrix"], f'{call}["confusion_matrix"]', (10, 10))
    if not np.array_equal(got, matrix):
        if np.array_equal(got, matrix.T):
            fail(f'{call}["confusion_matrix"] is transposed: its row i counts the samples PREDICTED as digit i; '
                 "expected row i to be the samples whose TRUE digit is i (confusion_matrix(y_true, y_pred), "
                 "the truth first)")
        i, j = np.argwhere(got != matrix)[0]
        fail(f'{call}["confusion_matrix"][{i}, {j}] is {got[i, j]}; expected {matrix[i, j]}, the number of test '
             f"images of a {i} predicted as {j} by model.predict(X_test)")
    got = expect_array(result["per_class_recall"], f'{call}["per_class_recall"]', (10,))
    if not np.allclose(got, recall, rtol=0, atol=1e-9):
        columns = matrix.sum(axis=0)
        precision = np.divide(np.diag(matrix), columns, out=np.zeros(10), where=columns > 0)
        if np.allclose(got, precision, rtol=0, atol=1e-9):
            fail(f'{call}["per_class_recall"] is {show(got)}: the precision of each digit (diagonal over the COLUMN '
                 f"sums); expected the recall {show(recall)}, the diagonal over the ROW sums — of the images "
                 "truly of digit i, the share predicted as i")
        i = int(np.argmax(np.abs(got - recall)))
        fail(f'{call}["per_class_recall"][{i}] is {got[i]:.6g}; expected {recall[i]:.6g} = {matrix[i, i]} of the '
             f"{rows[i]} test images of a {i} predicted as {i} (confusion matrix diagonal over the row sum)")


@pytest.mark.points(4)
def test_held_out_accuracy_on_digits(learner, rng):
    """at least 95% accuracy on digits the pipeline never saw (5 folds, every image predicted once)"""
    data = load_dataset("digits")
    X, y = data.data, data.target
    predicted = np.empty_like(y)
    validation = []
    for k, (train, test) in enumerate(k_fold_indices(rng, len(y), 5)):
        call = f"DigitClassifier().fit(X_train, y_train) with fold {k + 1} of 5 held out ({len(train)} training images)"
        model = fitted(learner, X[train], y[train], call)
        validation.append(expect_float(model.validation_accuracy_, f"{call}: validation_accuracy_"))
        predicted[test] = expect_array(model.predict(X[test]), f"{call}: predict(X_test)", (len(test),))
    held_out = float(np.mean(predicted == y))
    if held_out < 0.95:
        fail(f"DigitClassifier() with the default settings predicts {held_out:.1%} of the digits right on held-out "
             f"images (5 folds; validation_accuracy_ of the folds: {', '.join(f'{v:.1%}' for v in validation)}); "
             "expected at least 95% — is X_train scaled before the network learns, and X scaled the same way in "
             "predict? Does your MLPClassifier reach 95% in its own exercise?")
