"""Hidden suite for exercise 3, preprocessing.

What is judged, and why:

- ``StandardScaler`` learns ``mean_`` and ``scale_`` (the population std, ddof=0 as documented, 1.0 for a
  constant column) in ``fit`` and only there. The scaler is fitted on one set and then transforms another set
  with a different mean and spread: the answer must use the training statistics, because a scaler that
  measures the data it transforms leaks test data into the preprocessing. A second ``fit`` learns afresh. A
  constant column gives finite values and no numpy warning; ``inverse_transform`` undoes ``transform``;
  ``with_mean`` / ``with_std`` switch the two parts off; inputs are never changed in place.
- ``OneHotEncoder``: ``categories_`` sorted per column (numbers by value, so 11 comes after 7; strings
  alphabetically), the blocks in column order, unknown categories as documented for both modes, and
  scikit-learn's feature names. The data's first row holds each column's largest category, so the order of
  appearance is never the sorted order.
- ``train_test_split`` is judged by properties, never against one hard-coded split, so any correct way of
  drawing the permutation passes. Each row carries a unique id in column 0 and each label is a function of
  that id, which shows rows lost or duplicated and ``X`` and ``y`` shuffled apart. Sizes follow
  ``ceil(test_size * n)``, on sizes where rounding down or to the nearest gives another answer. The same
  ``random_state`` (0 included) gives the same split and different ones different splits. Stratified
  splits, on unbalanced classes, give each class a test count within one row of its share ``test_size * n_c``
  (or of ``n_c * n_test / n``, the shares that add up to ``n_test``): any allocation that rounds each share up
  or down and keeps the total passes, while a split that ignores ``stratify`` fails 999 times in 1000.
"""

import math

import numpy as np
import pytest

from grader.learner import LearnerError, LearnerNotStarted, LearnerTimeout
from grader.support.checks import (
    expect_no_warnings,
    expect_array,
    expect_close,
    expect_number_close,
    expect_unchanged,
    expect_value_error,
    fail,
    show,
)


# --- StandardScaler helpers ---------------------------------------------------------------------------

def scaler_data(rng, n_samples, n_features):
    """Columns with clearly different means (|mean| >= 1) and spreads."""
    centre = rng.uniform(1.0, 6.0, n_features) * rng.choice([-1.0, 1.0], n_features)
    return centre + rng.uniform(0.5, 3.0, n_features) * rng.normal(size=(n_samples, n_features))


def statistics(X):
    """The documented mean_ and scale_: population std, 1.0 for constant columns."""
    std = X.std(axis=0)
    return X.mean(axis=0), np.where(X.max(axis=0) == X.min(axis=0), 1.0, std)


def check_scale(got, X, call):
    """scale_ must be the population std; name the sample std and the variance."""
    _, expected = statistics(X)
    got = expect_array(got, call, expected.shape)
    if np.allclose(got, X.std(axis=0, ddof=1), rtol=1e-9) and not np.allclose(got, expected, rtol=1e-6):
        fail(f"{call} returned {show(got)}; expected {show(expected)} — that is the sample standard deviation "
             f"(ddof=1, dividing by n - 1 = {len(X) - 1}); scale_ is documented as the population standard "
             f"deviation, np.std(X, axis=0), which divides by n = {len(X)}")
    if np.allclose(got, expected**2, rtol=1e-6) and not np.allclose(got, expected, rtol=1e-6):
        fail(f"{call} returned {show(got)}; expected {show(expected)} — that is the variance: take its square root")
    return expect_close(got, expected, call, rtol=1e-6, why="(the population standard deviation of each column, np.std(X, axis=0))")


# --- OneHotEncoder helpers ----------------------------------------------------------------------------

def categorical_data(rng, choices, n_samples):
    """Each column draws from its list of categories (every one at least once); row 0 holds each column's
    largest category, so the order of first appearance differs from the sorted order."""
    columns = []
    for values in choices:
        values = np.asarray(values)
        column = values[rng.permutation(np.arange(n_samples) % len(values))]
        largest = np.flatnonzero(column == np.sort(values)[-1])[0]
        column[[0, largest]] = column[[largest, 0]]
        columns.append(column)
    return np.column_stack(columns)


def encode(X, categories):
    """The documented encoding: one block per column, a 1 where the value equals the category."""
    return np.hstack([(X[:, j, None] == c[None, :]).astype(float) for j, c in enumerate(categories)])


def appearance_order(column):
    _, first = np.unique(column, return_index=True)
    return column[np.sort(first)]


def check_categories(got, X, call):
    """categories_ must be the sorted distinct values of each column; names the usual mistakes."""
    expected = [np.unique(X[:, j]) for j in range(X.shape[1])]
    if not isinstance(got, (list, tuple, np.ndarray)) or len(got) != len(expected):
        fail(f"{call} is {show(got)}; expected a list with one array per column ({len(expected)} columns), "
             f"categories_[j] = np.unique(X[:, j])")
    for j, (values, sorted_values) in enumerate(zip(got, expected)):
        values = np.asarray(values).tolist()
        if values == sorted_values.tolist():
            continue
        message = f"{call}[{j}] is {values}; expected {sorted_values.tolist()}, the distinct values of column {j}, sorted"
        if values == appearance_order(X[:, j]).tolist():
            fail(message + " — these are in the order they first appear in X: sort them (np.unique does)")
        if values == sorted(sorted_values.tolist(), key=str) or values == sorted(str(v) for v in sorted_values.tolist()):
            fail(message + " — numbers sorted as text ('11' before '7'): keep the values as they are and sort them "
                 "with np.unique")
        if len(values) != len(sorted_values):
            fail(message + " — each column has its own categories: np.unique(X[:, j]) for column j")
        fail(message)


def check_encoding(got, X, X_fit, call, why=""):
    """transform(X) after fit(X_fit) must be the documented one-hot matrix; names wrong orders of columns and blocks."""
    categories = [np.unique(X_fit[:, j]) for j in range(X_fit.shape[1])]
    expected = encode(X, categories)
    shared = len(np.unique(X_fit))
    if isinstance(got, np.ndarray) and got.ndim == 2 and got.shape[1] in (shared, shared * X.shape[1]) \
            and got.shape[1] != expected.shape[1]:
        fail(f"{call} returned shape {got.shape}; expected {expected.shape} — it looks like one set of categories "
             "for the whole of X; each column has its own (categories_[j]), and its own block of columns")
    got = expect_array(got, call, expected.shape)
    if np.array_equal(got, expected):
        return got
    if np.array_equal(got, encode(X, [appearance_order(column) for column in X_fit.T])):
        fail(f"{call}: the columns of each block are in the order the categories first appear in X; expected them "
             "in the order of categories_, sorted")
    if np.array_equal(got, np.hstack([encode(X[:, [j]], [categories[j]]) for j in reversed(range(X.shape[1]))])):
        fail(f"{call}: the blocks are in reverse order; expected the block of column 0 first, then column 1's, ...")
    i = int(np.flatnonzero(np.any(got != expected, axis=1))[0])
    fail(f"{call}: row {i} (values {X[i].tolist()}) is encoded as {got[i].tolist()}; expected {expected[i].tolist()}"
         f"{(' ' + why) if why else ''} (one block per column, in column order, with a 1 at the position of the value "
         "in categories_[j])")
    return got


def transform_or_error(call_learner):
    """(returned value, None) or (None, LearnerError) for a call that may legitimately raise."""
    try:
        return call_learner(), None
    except (LearnerNotStarted, LearnerTimeout):
        raise
    except LearnerError as error:
        return None, error


# --- train_test_split helpers -------------------------------------------------------------------------

def id_data(rng, n_samples, n_features=3):
    """Column 0 of X is a unique id per row; y = 3 * id + 1, a label only that row has."""
    ids = rng.permutation(n_samples) + 100
    X = np.column_stack([ids, rng.normal(size=(n_samples, n_features - 1))])
    return X, label_of_id(ids)


def label_of_id(ids):
    return 3 * np.asarray(ids).astype(int) + 1


def expect_split_error(call_learner, call, why):
    """A call that must raise ValueError; a returned split is described by its shapes, not printed."""
    returned, error = transform_or_error(call_learner)
    if error is None:
        if isinstance(returned, (tuple, list)) and all(isinstance(part, np.ndarray) for part in returned):
            returned = f"a split, arrays of shapes {[part.shape for part in returned]}"
        else:
            returned = show(returned)
        fail(f"{call} returned {returned}; expected a ValueError {why}")
    if error.type_name != "ValueError":
        fail(f"{call} raised {error.type_name}: {error.message}; expected a ValueError {why}")


def expected_test_rows(n_samples, test_size):
    return math.ceil(test_size * n_samples) if isinstance(test_size, float) else test_size


def expect_split(result, n_samples, n_features, n_test, call, test_size=None):
    """Four arrays (X_train, X_test, y_train, y_test) of the documented shapes; names size mistakes."""
    if not isinstance(result, (tuple, list)) or len(result) != 4:
        fail(f"{call} returned {show(result)}; expected four arrays (X_train, X_test, y_train, y_test)")
    for name, part in zip(("X_train", "X_test", "y_train", "y_test"), result):
        if not isinstance(part, np.ndarray):
            fail(f"{call} returned a {type(part).__name__} as {name}: {show(part)}; expected a numpy array")
    X_train, X_test, y_train, y_test = result
    if X_test.ndim == 1 and y_train.ndim == 2:
        fail(f"{call} returned arrays of shapes {[part.shape for part in result]}: it looks like (X_train, y_train, "
             "X_test, y_test); expected the order of scikit-learn: X_train, X_test, y_train, y_test")
    if X_train.ndim != 2 or X_test.ndim != 2 or X_train.shape[1:] != (n_features,) or X_test.shape[1:] != (n_features,):
        fail(f"{call} returned X_train of shape {X_train.shape} and X_test of shape {X_test.shape}; expected whole rows "
             f"of X, shapes ({n_samples - n_test}, {n_features}) and ({n_test}, {n_features})")
    got_test, got_train = len(X_test), len(X_train)
    if got_test != n_test:
        message = f"{call} gave {got_test} test rows; expected {n_test}"
        if isinstance(test_size, float):
            exact = test_size * n_samples
            message += f" = ceil({test_size} * {n_samples}) = ceil({exact:.4g})"
            if got_test == math.floor(exact):
                fail(message + f" — {exact:.4g} was rounded down (int() and math.floor cut the decimals): round the test "
                     "set size up with math.ceil, as scikit-learn does")
            if got_test == round(exact):
                fail(message + f" — {exact:.4g} was rounded to the nearest: round the test set size up with math.ceil, "
                     "as scikit-learn does")
        if got_test == n_samples - n_test:
            fail(message + " — the training and test sets are swapped: the test set gets n_test rows")
        if got_test + got_train != n_samples:
            fail(message + f", and {got_train} training rows: {got_test + got_train} rows in all instead of {n_samples}")
        fail(message)
    if got_train != n_samples - n_test:
        fail(f"{call} gave {got_test} test rows (right) but {got_train} training rows; expected {n_samples - n_test}: "
             f"every row of X goes to exactly one of the two sets ({got_train + got_test} rows in all instead of "
             f"{n_samples}) — check the slices, e.g. order[:n_test] and order[n_test:]")
    for name, part, rows in (("y_train", y_train, n_samples - n_test), ("y_test", y_test, n_test)):
        if part.shape != (rows,):
            fail(f"{call} returned {name} of shape {part.shape}; expected ({rows},), one label per row of "
                 f"{name.replace('y', 'X')}")
    return X_train, X_test, y_train, y_test


def check_rows(X, y, parts, call, label_of):
    """Every row of X in exactly one set, unchanged, and each label still with its row."""
    X_train, X_test, y_train, y_test = parts
    ids = X[:, 0]
    got_ids = np.concatenate([X_train[:, 0], X_test[:, 0]])
    if not np.array_equal(np.sort(got_ids), np.sort(ids)):
        values, counts = np.unique(got_ids, return_counts=True)
        twice = values[counts > 1]
        missing = np.setdiff1d(ids, got_ids)
        detail = []
        if twice.size:
            detail.append(f"{twice.size} rows appear twice (the row with id {twice[0]:.0f} in column 0, for one)")
        if missing.size:
            detail.append(f"{missing.size} rows are missing (the row with id {missing[0]:.0f}, for one)")
        unknown = np.setdiff1d(got_ids, ids)
        if unknown.size:
            detail.append(f"{unknown.size} rows are not rows of X at all")
        fail(f"{call}: X_train and X_test together are not the rows of X, each once: {'; '.join(detail)} — index X "
             "with one permutation of the row numbers, split into two parts that do not overlap")
    position = {value: i for i, value in enumerate(ids.tolist())}
    for name, part in (("X_train", X_train), ("X_test", X_test)):
        original = X[[position[value] for value in part[:, 0].tolist()]]
        if not np.array_equal(part, original):
            fail(f"{call}: the rows of {name} are not whole rows of X (the values of a row were separated): "
                 "index the rows, X[indices], not the individual values")
    for name, labels, part in (("y_train", y_train, X_train), ("y_test", y_test, X_test)):
        expected = label_of(part[:, 0])
        if not np.array_equal(labels, expected):
            i = int(np.flatnonzero(labels != expected)[0])
            fail(f"{call}: row {i} of {name.replace('y', 'X')} is the row with id {part[i, 0]:.0f}, whose label is "
                 f"{expected[i].item()!r}, but {name}[{i}] is {labels[i].item()!r} — X and y were shuffled with "
                 "different permutations: draw ONE permutation and index both X and y with it")


def same_split(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b))


# --- StandardScaler -----------------------------------------------------------------------------------

@pytest.mark.points(2)
def test_scaler_learns_mean_and_population_std(learner, rng):
    """StandardScaler.fit learns mean_ and scale_ (population std, ddof=0) and transform gives mean 0, std 1"""
    X = scaler_data(rng, 30, 4)
    mean, scale = statistics(X)
    model = learner.StandardScaler()
    returned = model.fit(X.tolist())
    if returned is not model:
        fail(f"StandardScaler().fit(X) returned {returned!r}; expected the scaler itself (end fit with `return self`)")
    expect_close(model.mean_, mean, "StandardScaler().fit(X).mean_ (X given as a list of lists)", rtol=1e-9, atol=1e-12,
                 why="(the mean of each column)")
    check_scale(model.scale_, X, "StandardScaler().fit(X).scale_")
    expect_number_close(model.n_features_in_, 4, "after fit on X with 4 features, n_features_in_")
    expect_close(model.transform(X), (X - mean) / scale, "StandardScaler().fit(X).transform(X)", rtol=1e-6, atol=1e-9,
                 why="((X - mean_) / scale_: every column now has mean 0 and standard deviation 1)")


@pytest.mark.points(2)
def test_scaler_transform_uses_training_statistics(learner, rng):
    """transform uses the statistics learned in fit (no leak from the data it transforms); a new fit learns afresh"""
    A = scaler_data(rng, 40, 3)
    B = scaler_data(rng, 15, 3)  # another mean and spread
    mean_A, scale_A = statistics(A)
    mean_B, scale_B = statistics(B)
    model = learner.StandardScaler().fit(A)
    call = "StandardScaler().fit(X_train).transform(X_test), X_test with another mean and spread than X_train"
    got = model.transform(B)
    leaks = {
        "the mean and the standard deviation": (B - mean_B) / scale_B,
        "the mean": (B - mean_B) / scale_A,
        "the standard deviation": (B - mean_A) / scale_B,
    }
    for what, leaked in leaks.items():
        if isinstance(got, np.ndarray) and got.shape == B.shape and np.allclose(got, leaked, rtol=1e-6, atol=1e-9):
            fail(f"{call} returned {show(got)}: transform computed {what} of X_test itself — that leaks the test data "
                 "into the preprocessing. transform must use mean_ and scale_, learned in fit from the training data")
    expect_close(got, (B - mean_A) / scale_A, call, rtol=1e-6, atol=1e-9, why="((X_test - mean_) / scale_ with the training statistics)")
    fresh = learner.StandardScaler()
    expect_close(fresh.fit_transform(A), (A - mean_A) / scale_A, "StandardScaler().fit_transform(X_train)", rtol=1e-6, atol=1e-9)
    expect_close(fresh.mean_, mean_A, "after fit_transform(X_train), mean_", rtol=1e-9, atol=1e-12,
                 why="(fit_transform fits: it learns the statistics)")
    model.fit(B)
    expect_close(model.mean_, mean_B, "StandardScaler().fit(X_train).fit(X_test).mean_", rtol=1e-9, atol=1e-12,
                 why="(a second fit learns the statistics of its own data afresh)")
    expect_close(model.transform(A), (A - mean_B) / scale_B, "after a second fit(X_test), transform(X_train)",
                 rtol=1e-6, atol=1e-9, why="(with the statistics of the latest fit)")


@pytest.mark.points(1)
def test_scaler_constant_column(learner, worker, rng):
    """a constant column gets scale_ 1.0: no division by zero, finite values, no warning"""
    X = scaler_data(rng, 25, 3)
    c = int(rng.integers(3))
    X[:, c] = rng.choice([-4.0, -1.5, 2.0, 3.0, 7.5])  # exactly representable: np.std gives exactly 0
    mean, scale = statistics(X)
    model = learner.StandardScaler().fit(X)
    expect_no_warnings(worker, f"StandardScaler().fit(X) with column {c} constant", "fit should only compute statistics")
    call = f"StandardScaler().fit(X).transform(X) with column {c} constant"
    got = model.transform(X)
    if isinstance(got, np.ndarray) and got.shape == X.shape and np.issubdtype(got.dtype, np.floating) \
            and not np.all(np.isfinite(got)):
        fail(f"{call} returned {'nan' if np.isnan(got).any() else 'inf'} in column {c}: {show(got[:, c])} — the standard "
             "deviation of a constant column is 0, and dividing by it gives nan (0 / 0); use a scale of 1.0 for the "
             "constant columns, as documented")
    expect_no_warnings(worker, call, "a division by zero: use a scale of 1.0 for the constant columns")
    expect_close(got, (X - mean) / scale, call, rtol=1e-6, atol=1e-9, why=f"(column {c} all 0: x - mean is 0 there)")
    got_scale = expect_array(model.scale_, "StandardScaler().fit(X).scale_", (3,))
    if got_scale[c] != 1.0:
        fail(f"StandardScaler().fit(X).scale_[{c}] is {got_scale[c]:.6g} for the constant column {c}; expected 1.0, as "
             "documented (not the 0 standard deviation, nor a small number added to it)")
    expect_close(model.inverse_transform(got), X, f"inverse_transform(transform(X)) with column {c} constant", rtol=1e-9, atol=1e-9)


@pytest.mark.points(1)
def test_scaler_inverse_transform(learner, rng):
    """inverse_transform undoes transform: X_scaled * scale_ + mean_"""
    X = scaler_data(rng, 30, 3)
    mean, scale = statistics(X)
    model = learner.StandardScaler().fit(X)
    expect_close(model.inverse_transform(model.transform(X)), X, "StandardScaler().fit(X): inverse_transform(transform(X))",
                 rtol=1e-9, atol=1e-9, why="(X itself)")
    Z = rng.normal(size=(8, 3))
    call = "StandardScaler().fit(X).inverse_transform(Z) for new scaled values Z"
    got = model.inverse_transform(Z)
    if isinstance(got, np.ndarray) and got.shape == Z.shape:
        if np.allclose(got, (Z - mean) / scale, rtol=1e-6, atol=1e-9):
            fail(f"{call} returned (Z - mean_) / scale_: that is transform again; undo it with Z * scale_ + mean_")
        if np.allclose(got, (Z + mean) * scale, rtol=1e-6, atol=1e-9):
            fail(f"{call} returned (Z + mean_) * scale_: undo the steps in reverse order, Z * scale_ + mean_")
    expect_close(got, Z * scale + mean, call, rtol=1e-6, atol=1e-9, why="(Z * scale_ + mean_)")


@pytest.mark.points(1)
def test_scaler_with_mean_and_with_std(learner, rng):
    """with_mean=False skips the centring, with_std=False the scaling; inverse_transform still undoes transform"""
    X = scaler_data(rng, 20, 3)
    mean, scale = statistics(X)
    for with_mean, with_std, expected, what in (
        (False, True, X / scale, "X / scale_"),
        (True, False, X - mean, "X - mean_"),
        (False, False, X, "X unchanged"),
    ):
        call = f"StandardScaler(with_mean={with_mean}, with_std={with_std}).fit(X)"
        model = learner.StandardScaler(with_mean=with_mean, with_std=with_std).fit(X)
        got = expect_close(model.transform(X), expected, f"{call}.transform(X)", rtol=1e-6, atol=1e-9, why=f"({what})")
        expect_close(model.inverse_transform(got), X, f"{call}: inverse_transform(transform(X))", rtol=1e-9, atol=1e-9,
                     why="(X itself)")


@pytest.mark.points(1)
def test_scaler_leaves_inputs_unchanged_and_checks_features(learner, worker, rng):
    """the scaler never changes its input arrays; transform with a wrong number of features is a ValueError"""
    X = scaler_data(rng, 20, 3)
    stored = worker.put(X.copy())
    model = learner.StandardScaler()
    for method in ("fit", "transform", "fit_transform", "inverse_transform"):
        getattr(model, method)(stored)
        expect_unchanged(X, worker.fetch(stored), f"StandardScaler().{method}(X)", "X")
    expect_value_error(lambda: model.transform(X[:, :2]), "StandardScaler().fit(X).transform(X_new) with 2 features after "
                       "fitting on 3", "(the number of features must be the one seen in fit)")


# --- OneHotEncoder ------------------------------------------------------------------------------------

@pytest.mark.points(2)
def test_one_hot_integers(learner, rng):
    """OneHotEncoder on integer columns: categories_ sorted by value, one block per column, in column order"""
    X = categorical_data(rng, [[7, -3, 11, 2], [1, 0], [100, 5, 20]], 24)
    model = learner.OneHotEncoder()
    returned = model.fit(X)
    if returned is not model:
        fail(f"OneHotEncoder().fit(X) returned {returned!r}; expected the encoder itself (end fit with `return self`)")
    check_categories(model.categories_, X, "OneHotEncoder().fit(X).categories_")
    expect_number_close(model.n_features_in_, 3, "after fit on X with 3 columns, n_features_in_")
    X_new = X[rng.permutation(24)[:10]]
    check_encoding(model.transform(X_new), X_new, X, "OneHotEncoder().fit(X).transform(X_new)")
    check_encoding(learner.OneHotEncoder().fit_transform(X), X, X, "OneHotEncoder().fit_transform(X)")


@pytest.mark.points(1)
def test_one_hot_strings_and_feature_names(learner, rng):
    """OneHotEncoder on strings (a list of lists): sorted categories, the encoding, get_feature_names_out()"""
    X = categorical_data(rng, [["pear", "apple", "fig", "banana"], ["S", "M", "XL", "L"], ["yes", "no"]], 20)
    model = learner.OneHotEncoder().fit(X.tolist())
    check_categories(model.categories_, X, "OneHotEncoder().fit(X).categories_ (X a list of lists of strings)")
    check_encoding(model.transform(X.tolist()), X, X, "OneHotEncoder().fit(X).transform(X)")
    names = model.get_feature_names_out()
    expected = [f"x{j}_{value}" for j in range(3) for value in np.unique(X[:, j]).tolist()]
    call = "OneHotEncoder().fit(X).get_feature_names_out()"
    if not isinstance(names, (list, tuple, np.ndarray)):
        fail(f"{call} returned {show(names)}; expected a list of str: {expected[:4]}...")
    names = [str(name) for name in np.asarray(names).tolist()] if isinstance(names, np.ndarray) else [str(name) for name in names]
    if names != expected:
        fail(f"{call} returned {names}; expected {expected} ('x<column>_<category>', in the order of transform's columns)")


@pytest.mark.points(1)
def test_one_hot_unknown_category_is_an_error(learner, rng):
    """with handle_unknown="error", an unseen category is a ValueError naming the column and the value"""
    X = categorical_data(rng, [["red", "green", "blue"], ["S", "M", "L"], ["cat", "dog", "cow"]], 15)
    model = learner.OneHotEncoder().fit(X)
    X_known = X[rng.permutation(15)[:6]]
    check_encoding(model.transform(X_known), X_known, X, "OneHotEncoder().fit(X).transform(X_new) (all seen in fit)")
    X_bad = X_known.astype("<U5")
    row = int(rng.integers(6))
    X_bad[row, 2] = "zebra"
    call = "OneHotEncoder(handle_unknown='error').fit(X).transform(X_new) with 'zebra' in column 2, never seen in fit"
    got, error = transform_or_error(lambda: model.transform(X_bad))
    if error is None:
        start = len(np.unique(X[:, 0])) + len(np.unique(X[:, 1]))
        detail = ""
        if isinstance(got, np.ndarray) and got.shape == (6, start + 3) and got[row, start] == 1:
            detail = (" — the unknown value was encoded as the first category of column 2: a value found nowhere in "
                      "categories_[2] (np.argmax of an all-False row is 0) must be noticed")
        fail(f"{call} returned {show(got)}; expected a ValueError naming column 2 and the value 'zebra'{detail}")
    if error.type_name != "ValueError":
        fail(f"{call} raised {error.type_name}: {error.message}; expected a ValueError naming column 2 and the value 'zebra'")
    if "zebra" not in error.message or not any(digit in error.message for digit in ("2", "3")):
        fail(f"{call} raised ValueError({error.message!r}); expected a message that names the column (2) and the "
             "value ('zebra'), so the user can find it")
    expect_value_error(lambda: model.transform(X_known[:, :2]), "OneHotEncoder().fit(X).transform(X_new) with 2 columns "
                       "after fitting on 3", "(the number of columns must be the one seen in fit)")


@pytest.mark.points(1)
def test_one_hot_unknown_category_ignored(learner, rng):
    """with handle_unknown="ignore", an unseen category gives all zeros in its column's block; other values are an error"""
    X = categorical_data(rng, [["red", "green", "blue"], [3, 1, 2], ["cat", "dog", "cow"]], 15)
    model = learner.OneHotEncoder(handle_unknown="ignore").fit(X)
    X_new = X[rng.permutation(15)[:8]].astype("<U5")
    X_new[1, 0] = "pink"
    X_new[4, 2] = "zebra"
    X_new[6, 0], X_new[6, 2] = "pink", "yak"
    call = "OneHotEncoder(handle_unknown='ignore').fit(X).transform(X_new) with 3 rows holding unseen categories"
    got, error = transform_or_error(lambda: model.transform(X_new))
    if error is not None:
        fail(f"{call} raised {error.type_name}: {error.message}; expected the rows encoded, with all zeros in the block "
             "of each unknown value (handle_unknown='ignore')")
    expected = encode(X_new, [np.unique(X[:, j]) for j in range(3)])
    if isinstance(got, np.ndarray) and got.shape == expected.shape and got[1, 0] == 1 and got[4, 6] == 1:
        fail(f"{call}: the unknown values were encoded as the first category of their column; expected all zeros in "
             "that column's block (a value found nowhere in categories_[j] gets no 1)")
    check_encoding(got, X_new, X, call, why="(all zeros in the block of an unknown value)")
    expect_value_error(lambda: learner.OneHotEncoder(handle_unknown="skip").fit(X), "OneHotEncoder(handle_unknown='skip').fit(X)",
                       "(only 'error' and 'ignore' are allowed)")


# --- train_test_split ---------------------------------------------------------------------------------

@pytest.mark.points(2)
def test_split_sizes(learner, rng):
    """train_test_split sizes: ceil(test_size * n) for a fraction, the number itself for an int, 0.25 by default"""
    for n_samples, test_size in ((50, 0.25), (41, 0.3), (12, 0.1), (23, None), (30, 7)):
        X, y = id_data(rng, n_samples)
        seed = int(rng.integers(2**31))
        if test_size is None:
            call = f"train_test_split(X, y, random_state={seed}) with {n_samples} rows (default test_size=0.25)"
            result = learner.train_test_split(X, y, random_state=seed)
            test_size = 0.25
        else:
            call = f"train_test_split(X, y, test_size={test_size}, random_state={seed}) with {n_samples} rows"
            result = learner.train_test_split(X, y, test_size=test_size, random_state=seed)
        parts = expect_split(result, n_samples, 3, expected_test_rows(n_samples, test_size), call, test_size)
        check_rows(X, y, parts, call, label_of_id)
    X, y = id_data(rng, 20)
    for test_size in (0.0, 1.0, 1.5, -0.25, 0, 20, 25):
        expect_split_error(lambda: learner.train_test_split(X, y, test_size=test_size, random_state=0),
                           f"train_test_split(X, y, test_size={test_size!r}) with 20 rows",
                           "(test_size is a float in (0, 1) or an int, and both sets need at least one row)")


@pytest.mark.points(2)
def test_split_keeps_rows_and_labels_together(learner, worker, rng):
    """every row goes to exactly one set, whole, with its own label; X and y are not changed"""
    X, y = id_data(rng, 60, 4)
    X_stored, y_stored = worker.put(X.copy()), worker.put(y.copy())
    seed = int(rng.integers(2**31))
    call = f"train_test_split(X, y, test_size=0.3, random_state={seed})"
    parts = expect_split(learner.train_test_split(X_stored, y_stored, test_size=0.3, random_state=seed), 60, 4, 18, call, 0.3)
    expect_unchanged(X, worker.fetch(X_stored), call, "X")
    expect_unchanged(y, worker.fetch(y_stored), call, "y")
    check_rows(X, y, parts, call, label_of_id)


@pytest.mark.points(1)
def test_split_is_reproducible_and_shuffled(learner, rng):
    """the same random_state gives the same split, different ones different splits; the rows are shuffled"""
    X, y = id_data(rng, 40)
    seed = int(rng.integers(1, 2**31 - 1))
    call = f"train_test_split(X, y, random_state={seed})"
    first = expect_split(learner.train_test_split(X.tolist(), y.tolist(), random_state=seed), 40, 3, 10, call + " (X and y lists)", 0.25)
    check_rows(X, y, first, call, label_of_id)
    again = expect_split(learner.train_test_split(X, y, random_state=seed), 40, 3, 10, call, 0.25)
    if not same_split(first, again):
        fail(f"{call} called twice gave two different splits; expected the same one: draw the permutation from "
             "np.random.default_rng(random_state), not from global state or an unseeded generator")
    if np.array_equal(np.sort(first[1][:, 0]), np.sort(X[-10:, 0])):
        fail(f"{call}: the test set is the last 10 rows of X; expected a random choice of rows (shuffle=True is the default)")
    other = expect_split(learner.train_test_split(X, y, random_state=seed + 1), 40, 3, 10, f"train_test_split(X, y, random_state={seed + 1})", 0.25)
    if np.array_equal(np.sort(first[1][:, 0]), np.sort(other[1][:, 0])):
        fail(f"train_test_split(X, y, random_state={seed}) and random_state={seed + 1} chose the same test rows; expected "
             "different splits for different seeds: pass random_state to np.random.default_rng, do not fix a seed")


@pytest.mark.points(1)
def test_split_random_state_zero_is_a_seed(learner, rng):
    """random_state=0 is a seed like any other (the same split twice); None gives a new split each call"""
    X, y = id_data(rng, 40)
    call = "train_test_split(X, y, random_state=0)"
    first = expect_split(learner.train_test_split(X, y, random_state=0), 40, 3, 10, call, 0.25)
    again = expect_split(learner.train_test_split(X, y, random_state=0), 40, 3, 10, call, 0.25)
    if not same_split(first, again):
        fail(f"{call} called twice gave two different splits; expected the same one — 0 is a seed like any other: "
             "`if random_state:` is False for 0; pass random_state straight to np.random.default_rng (which also "
             "accepts None), or test `random_state is None`")
    call = "train_test_split(X, y, random_state=None)"
    first = expect_split(learner.train_test_split(X, y, random_state=None), 40, 3, 10, call, 0.25)
    again = expect_split(learner.train_test_split(X, y, random_state=None), 40, 3, 10, call, 0.25)
    if np.array_equal(np.sort(first[1][:, 0]), np.sort(again[1][:, 0])):
        fail(f"{call} called twice chose the same test rows; expected a new random split at each call "
             "(np.random.default_rng(None) draws fresh randomness)")


@pytest.mark.points(1)
def test_split_without_shuffle(learner, rng):
    """shuffle=False: the first n - n_test rows train, the last n_test test, in order; stratify then is a ValueError"""
    X, y = id_data(rng, 30)
    call = "train_test_split(X, y, test_size=0.2, shuffle=False) with 30 rows"
    X_train, X_test, y_train, y_test = expect_split(learner.train_test_split(X, y, test_size=0.2, shuffle=False), 30, 3, 6, call, 0.2)
    if np.array_equal(X_test, X[:6]):
        fail(f"{call}: X_test holds the first 6 rows; expected the last 6, X[24:] (the training set is the first 24 rows)")
    for name, got, expected in (("X_train", X_train, X[:24]), ("X_test", X_test, X[24:]), ("y_train", y_train, y[:24]),
                                ("y_test", y_test, y[24:])):
        if not np.array_equal(got, expected):
            fail(f"{call}: {name} is not {'X' if name[0] == 'X' else 'y'}{'[:24]' if 'train' in name else '[24:]'}, "
                 "the rows in their order; with shuffle=False nothing is random")
    again = expect_split(learner.train_test_split(X, y, test_size=0.2, shuffle=False, random_state=5), 30, 3, 6,
                         call.replace("shuffle=False", "shuffle=False, random_state=5"), 0.2)
    if not np.array_equal(again[1], X[24:]):
        fail(f"{call.replace('shuffle=False', 'shuffle=False, random_state=5')}: X_test is not X[24:]; with shuffle=False "
             "random_state is not used")
    expect_split_error(lambda: learner.train_test_split(X, y, shuffle=False, stratify=y),
                       "train_test_split(X, y, shuffle=False, stratify=y)", "(a stratified split must shuffle)")


@pytest.mark.points(2)
def test_split_stratified(learner, rng):
    """with stratify=y, each class gets its share of test rows (within one row), on unbalanced classes"""
    names = np.array(["common", "middle", "rare"])
    for test_size in (0.2, 0.3, "int"):
        counts = np.array([rng.integers(200, 260), rng.integers(60, 90), rng.integers(12, 25)])
        n_samples = int(counts.sum())
        if test_size == "int":
            test_size = int(rng.integers(40, 70))
        X, _ = id_data(rng, n_samples)
        class_of_row = rng.permutation(np.repeat(np.arange(3), counts))
        class_by_id = np.empty(n_samples, dtype=int)
        class_by_id[X[:, 0].astype(int) - 100] = class_of_row

        def label_of(ids, class_by_id=class_by_id):
            return names[class_by_id[ids.astype(int) - 100]]

        y = label_of(X[:, 0])
        seed = int(rng.integers(2**31))
        n_test = expected_test_rows(n_samples, test_size)
        call = f"train_test_split(X, y, test_size={test_size}, random_state={seed}, stratify=y) with classes of {counts.tolist()} rows"
        parts = expect_split(learner.train_test_split(X, y, test_size=test_size, random_state=seed, stratify=y),
                             n_samples, 3, n_test, call, test_size)
        check_rows(X, y, parts, call, label_of)
        y_test = parts[3]
        got = np.array([int(np.sum(y_test == name)) for name in names])
        fraction = test_size if isinstance(test_size, float) else n_test / n_samples
        share = counts * fraction
        # Either reading of "its share" passes: test_size * n_c, or n_c * n_test / n (the shares that add up to n_test).
        off = np.minimum(np.abs(got - share), np.abs(got - counts * n_test / n_samples))
        if np.any(off > 1 + 1e-9):
            table = ", ".join(f"{g} of the {c} '{name}' rows (expected {s:.4g})" for name, g, c, s in zip(names, got, counts, share))
            fail(f"{call}: the test set has {table}; expected each class within one row of its share "
                 f"{'test_size' if isinstance(test_size, float) else 'n_test / n'} * n_c — stratify must split each "
                 "class separately so that the class proportions are kept")

