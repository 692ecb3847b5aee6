"""Hidden suite for exercise 9, knn.

``pairwise_distances`` is judged against a brute-force reference, sqrt(sum((a - b) ** 2)) pair by
pair: on random data, on a set against itself, on one feature, and on large, nearly identical points
where rounding makes the expanded square negative (the answer must be a small number, never nan). It
must also run at numpy speed on 2 000 x 2 000 points, timed against a vectorized reference run here,
with a generous margin: any loop-free version passes, and so does one loop over the rows.

The classifier is judged by its answers, which the documented tie rules make unique: equal distances
are ordered by training index, equal votes go to the first of ``classes_``. Tie tests use data where
ties are exact in floating point (small integers, distinct distances), so every correct implementation
agrees. Beyond that: vote fractions, labels as given, k = 1 on the training data, a clear error when k
is larger than the training set, and the held-out accuracy on iris.
"""

import time

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
from grader.support.data import blobs, k_fold_indices, standardize, two_blobs
from grader.support.datasets import load_dataset

VECTORIZE = ("vectorize: no Python loop over the pairs — compute all the squared distances at once as "
             "||a||^2 - 2 a.b + ||b||^2, with the row norms as a column and a row and A @ B.T in the middle")


def brute_force(A, B):
    """The reference: sqrt(sum((a - b) ** 2)) for every pair, by broadcasting (exact for small integers)."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    return np.sqrt(((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2))


def expanded(A, B):
    """A vectorized pairwise_distances, to time the learner's against."""
    squared = (A**2).sum(axis=1)[:, None] - 2.0 * A @ B.T + (B**2).sum(axis=1)[None, :]
    return np.sqrt(np.maximum(squared, 0.0))


def neighbours(X_train, X, k):
    """The documented answer of kneighbors: (distances, indices), stable order, nearest first."""
    distances = brute_force(X, X_train)
    indices = np.argsort(distances, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(distances, indices, axis=1), indices


def vote_fractions(y_index, indices, n_classes):
    return np.stack([(y_index[indices] == c).mean(axis=1) for c in range(n_classes)], axis=1)


def expect_rows(got, call, shape, n_train, numeric=True):
    """expect_array, naming the two shape mistakes of this exercise: training rows, k + 1 columns."""
    if isinstance(got, np.ndarray) and got.ndim >= 1 and got.shape[0] == n_train != shape[0]:
        fail(f"{call} returned {got.shape[0]} rows, one per training sample; expected {shape[0]}, one per query "
             "in X — measure the distances from the queries X to the training data, not between the training "
             "samples themselves")
    if isinstance(got, np.ndarray) and len(shape) == 2 and got.shape == (shape[0], shape[1] + 1):
        fail(f"{call} returned shape {got.shape}; expected {shape}: that is k + 1 = {shape[1] + 1} neighbours "
             f"instead of k = {shape[1]} (keep the first k columns of the sorted order: [:, :k])")
    return expect_array(got, call, shape, numeric=numeric)


def refuse_nan_distances(got, call):
    """nan among the distances is nearly always the square root of a negative rounding error: say so."""
    if isinstance(got, np.ndarray) and np.issubdtype(got.dtype, np.floating) and np.isnan(got).any():
        fail(f"{call} returned nan: {show(got)} — for a point and itself (or two nearly equal points), rounding can "
             "make ||a||^2 - 2 a.b + ||b||^2 a tiny negative number, and its square root is nan: clip the squared "
             "distances at 0 (np.maximum(squared, 0)) before np.sqrt")


def expect_distances(got, A, B, call, atol=1e-9):
    """The learner's distance matrix must match the brute-force one, with the usual mistakes named."""
    reference = brute_force(A, B)
    n_a, n_b = reference.shape
    if isinstance(got, np.ndarray) and got.shape == (n_b, n_a) and n_a != n_b:
        fail(f"{call} returned shape {got.shape}; expected ({n_a}, {n_b}): one row per row of A, one column per row of B")
    refuse_nan_distances(got, call)
    got = expect_array(got, call, reference.shape)
    if np.allclose(got, reference**2, rtol=1e-9, atol=atol) and not np.allclose(reference, reference**2, atol=atol):
        fail(f"{call} returned the squared distances ({show(got)}); expected the distances themselves "
             f"({show(reference)}) — take np.sqrt at the end")
    expect_close(got, reference, call, rtol=1e-9, atol=atol, why="(sqrt(sum((a - b) ** 2)) for each pair)")
    return got


def expect_neighbours(result, X_train, X, k, call):
    """kneighbors(X) must give the documented (distances, indices); says which rule was broken."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        fail(f"{call} returned {show(result)}; expected a pair (distances, indices)")
    got_distances, got_indices = result
    n_queries, n_train = len(X), len(X_train)
    if (isinstance(got_distances, np.ndarray) and isinstance(got_indices, np.ndarray)
            and np.issubdtype(got_distances.dtype, np.integer) and np.issubdtype(got_indices.dtype, np.floating)):
        fail(f"{call} returned (indices, distances); expected (distances, indices), distances first")
    refuse_nan_distances(got_distances, f"{call}[0] (the distances)")
    got_distances = expect_rows(got_distances, f"{call}[0] (the distances)", (n_queries, k), n_train)
    got_indices = expect_rows(got_indices, f"{call}[1] (the indices)", (n_queries, k), n_train)
    if not np.issubdtype(got_indices.dtype, np.integer):
        fail(f"{call}[1] has dtype {got_indices.dtype}; expected integers (row numbers in the training X)")
    all_distances = brute_force(X, X_train)
    distances, indices = neighbours(X_train, X, k)
    if np.any(np.diff(got_distances, axis=1) < -1e-9):
        row = int(np.argmax(np.any(np.diff(got_distances, axis=1) < -1e-9, axis=1)))
        fail(f"{call}: the distances of query {row} are {show(got_distances[row])}, not in increasing order; "
             "expected the nearest first (sort the whole row with np.argsort; np.argpartition does not sort)")
    if k > 1 and np.allclose(got_distances[:, :-1], distances[:, 1:], atol=1e-7) and not np.allclose(got_distances, distances, atol=1e-7):
        fail(f"{call} skipped the nearest neighbour: its distances {show(got_distances[0])} for query 0 start at the "
             f"second nearest; expected {show(distances[0])} (keep columns [:, :k] of the sorted order, from column 0)")
    if np.allclose(got_distances, distances**2, atol=1e-9) and not np.allclose(distances, distances**2, atol=1e-9):
        fail(f"{call}[0] holds the squared distances ({show(got_distances)}); expected the distances themselves "
             f"({show(distances)}) — take np.sqrt in pairwise_distances")
    expect_close(got_distances, distances, f"{call}[0] (the distances)", rtol=1e-9, atol=1e-9,
                 why="(the k smallest distances of each row, nearest first)")
    if np.array_equal(got_indices, indices):
        return
    if np.any((got_indices < 0) | (got_indices >= n_train)):
        fail(f"{call}[1] holds {show(got_indices)}; expected row numbers of the training X (0 to {n_train - 1})")
    rows = np.arange(n_queries)[:, None]
    if np.allclose(all_distances[rows, got_indices], distances, atol=1e-9):
        # the right distances, but equal ones in another order: the tie rule
        row = int(np.argmax(np.any(got_indices != indices, axis=1)))
        flipped = np.argsort(all_distances[:, ::-1], axis=1, kind="stable")[:, :k]
        largest_first = n_train - 1 - flipped
        if np.array_equal(got_indices, largest_first):
            how = "equal distances came out largest training index first"
        else:
            how = "equal distances came out in another order than the training order"
        fail(f"{call}[1] for query {row} is {show(got_indices[row])}; expected {show(indices[row])}: {how}. "
             "The rule: among equal distances the smaller training index comes first — sort with "
             "np.argsort(distances, axis=1, kind='stable') (the default sort does not keep the order of equal values)")
    row = int(np.argmax(np.any(got_indices != indices, axis=1)))
    fail(f"{call}[1] for query {row} is {show(got_indices[row])}; expected {show(indices[row])} — the indices must be "
         "the training rows whose distances are returned next to them")


def check_labels_are_values(predicted, values, call):
    """predict must return labels from classes_, not positions in it."""
    values = np.asarray(values)
    got = set(predicted.tolist())
    if got <= set(values.tolist()):
        return
    if got <= set(range(len(values))):
        fail(f"{call} returned {show(predicted)}; expected labels from {values.tolist()} — these are positions in "
             "classes_: return classes_[positions], not the positions")
    fail(f"{call} returned {show(predicted)}; expected only labels seen in fit ({values.tolist()})")


# --- pairwise_distances --------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_distances_match_brute_force(learner, worker, rng):
    """pairwise_distances(A, B) equals sqrt(sum((a - b) ** 2)) for every pair, for any shapes"""
    for n_a, n_b, d in ((7, 12, 3), (15, 4, 1), (1, 9, 6), (10, 10, 2)):
        A = rng.normal(size=(n_a, d)) * rng.uniform(0.5, 3.0) + rng.normal(size=d)
        B = rng.normal(size=(n_b, d)) * rng.uniform(0.5, 3.0)
        call = f"pairwise_distances(A, B) for A of shape {A.shape} and B of shape {B.shape}"
        if n_a == 7:  # plain lists are accepted; the inputs are not changed
            got = learner.pairwise_distances(A.tolist(), B.tolist())
            call = call.replace("(A, B)", "(A, B) (given as lists)")
        else:
            A_stored, B_stored = worker.put(A), worker.put(B)
            got = learner.pairwise_distances(A_stored, B_stored)
            expect_unchanged(A, worker.fetch(A_stored), "pairwise_distances(A, B)", "A")
            expect_unchanged(B, worker.fetch(B_stored), "pairwise_distances(A, B)", "B")
        expect_distances(got, A, B, call)


@pytest.mark.points(1)
def test_distances_from_a_set_to_itself(learner, worker, rng):
    """pairwise_distances(A, A) is symmetric with exact zeros for identical points"""
    A = rng.integers(-8, 9, size=(12, 3)) / 4.0  # quarters: every step of the computation is exact
    A[rng.choice(12, size=3, replace=False)] = A[rng.choice(12, size=3, replace=False)]  # some repeated rows
    stored = worker.put(A)
    call = "pairwise_distances(A, A) (the same array twice)"
    got = learner.pairwise_distances(stored, stored)
    expect_unchanged(A, worker.fetch(stored), call, "A")
    got = expect_distances(got, A, A, call)
    if np.any(np.diag(got) != 0.0):
        fail(f"{call}: the distance from a point to itself is {show(np.diag(got))}; expected exactly 0.0")
    if not np.array_equal(got, got.T):
        fail(f"{call} is not symmetric: distance(a, b) must equal distance(b, a)")


@pytest.mark.points(2)
def test_distances_never_negative_or_nan(learner, worker, rng):
    """large, nearly identical points: rounding makes the expanded square negative, the result stays >= 0, not nan"""
    d = 3
    centre = rng.normal(size=d) * 1e4
    A = centre + 1e-6 * rng.normal(size=(12, d))
    B = np.vstack([A[:6], centre + 1e-6 * rng.normal(size=(10, d))])[rng.permutation(16)]  # 6 identical to rows of A
    call = "pairwise_distances(A, B) for points near (1e4, 1e4, 1e4) that differ by about 1e-6"
    got = learner.pairwise_distances(A, B)
    if isinstance(got, np.ndarray) and got.shape == (12, 16):
        if np.isnan(got).any():
            fail(f"{call} returned nan at {int(np.isnan(got).sum())} of 192 pairs ({show(got)}) — for nearly equal "
                 "points rounding makes ||a||^2 - 2 a.b + ||b||^2 a tiny negative number, and the square root of a "
                 "negative number is nan: clip at 0 with np.maximum(squared, 0) before np.sqrt")
        if np.any(got < 0):
            fail(f"{call} returned negative distances ({show(got[got < 0])}); a distance is never negative")
    got = expect_array(got, call, (12, 16))
    reference = brute_force(A, B)
    # The expansion cancels about 2e8 down to 1e-12: rounding leaves up to ~sqrt(eps * ||a||^2) in the result.
    norms = (A**2).sum(axis=1)[:, None] + (B**2).sum(axis=1)[None, :]
    allowed = np.sqrt(64 * d * np.finfo(float).eps * norms) + 1e-9
    if np.any(np.abs(got - reference) > allowed):
        i, j = np.unravel_index(int(np.argmax(np.abs(got - reference) - allowed)), got.shape)
        fail(f"{call}: entry [{i}, {j}] is {got[i, j]:.6g}; expected {reference[i, j]:.3g} give or take rounding "
             f"({allowed[i, j]:.2g})")
    expect_no_warnings(worker, call, "the values are right, but clip the squared distances at 0 before np.sqrt")


@pytest.mark.points(2)
@pytest.mark.time_limit(5)
def test_distances_are_vectorized(learner, worker, rng):
    """pairwise_distances on 2 000 x 2 000 points runs at numpy speed (no Python loop over the pairs)"""
    A, B = rng.normal(size=(2000, 4)), rng.normal(size=(2000, 4))
    call = "pairwise_distances(A, B) for 2 000 x 2 000 points"
    reference_seconds = np.inf
    for _ in range(3):
        started = time.perf_counter()
        expanded(A, B)
        reference_seconds = min(reference_seconds, time.perf_counter() - started)
    allowed = max(40 * reference_seconds, 1.5)  # generous: one loop over the rows passes, a loop over the pairs does not
    try:
        got = learner.pairwise_distances(A, B)
    except LearnerTimeout:
        fail(f"{call} did not finish within {worker.time_limit:g} s; a vectorized version takes "
             f"{reference_seconds:.3f} s here — {VECTORIZE}")
    seconds = worker.last_seconds
    got = expect_array(got, call, (2000, 2000))
    expect_distances(got[:20, :50], A[:20], B[:50], f"{call}, its first 20 rows and 50 columns")
    if seconds > allowed:
        fail(f"{call} took {seconds:.2f} s; a vectorized version takes {reference_seconds:.3f} s here "
             f"(allowed: {allowed:.2f} s) — {VECTORIZE}")


# --- KNeighborsClassifier ------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_kneighbors_nearest_first_ties_by_index(learner, rng):
    """kneighbors returns the k nearest, nearest first; equal distances keep the training order"""
    k = 6
    while True:  # small integers: many exactly equal distances, in every implementation
        X_train = rng.integers(-3, 4, size=(40, 2)).astype(float)
        X = rng.integers(-3, 4, size=(12, 2)).astype(float)
        distances = np.sort(brute_force(X, X_train), axis=1)[:, : k + 1]
        if np.any(np.diff(distances, axis=1) == 0):
            break
    y = rng.integers(0, 2, size=40)
    model = learner.KNeighborsClassifier(n_neighbors=k).fit(X_train.tolist(), y.tolist())
    call = f"KNeighborsClassifier(n_neighbors={k}).fit(X_train, y).kneighbors(X) (40 training points, 12 queries)"
    expect_neighbours(model.kneighbors(X), X_train, X, k, call)


def vote_winners(neighbour_classes):
    """Winners of one vote (neighbour classes, nearest first) by three tie rules: the documented one (first of
    classes_), the nearest tied neighbour's class (Counter.most_common), the last of classes_ (`>=` in a loop)."""
    counts = np.bincount(neighbour_classes, minlength=3)
    tied = np.flatnonzero(counts == counts.max())
    nearest = next(c for c in neighbour_classes if c in tied)
    return tied[0], nearest, tied[-1]


@pytest.mark.points(2)
def test_vote_ties_go_to_first_class(learner, rng):
    """predict is the majority label; equal votes go to the first label of classes_, not the nearest's"""
    values = np.array(["ant", "bee", "cow"])
    for k in (4, 3):
        X_train, y_train, X, winners = [], [], [], []
        for query in range(9):
            if k == 3:  # one vote each; the nearest is never the first label
                classes = rng.permutation(3)
                while classes[0] == 0:
                    classes = rng.permutation(3)
            elif query % 3 == 2:  # a clear majority, 3 votes to 1, the nearest in the minority
                winner, other = rng.choice(3, size=2, replace=False)
                classes = np.array([other, winner, winner, winner])
            else:  # two votes each, the nearest from the later label, then from the earlier one
                first, later = np.sort(rng.choice(3, size=2, replace=False))
                classes = np.array([later, first, later, first] if query % 3 == 0 else [first, later, first, later])
            centre = np.array([50.0 * query, 0.0])  # the neighbours are 1, 2, 3, 4 away, in random directions
            for rank, label in enumerate(classes):
                angle = rng.uniform(0, 2 * np.pi)
                X_train.append(centre + (rank + 1.0) * np.array([np.cos(angle), np.sin(angle)]))
                y_train.append(label)
            X.append(centre)
            winners.append(vote_winners(classes))
        for label in range(3):  # every label appears, far from the queries
            X_train.append(np.array([-1000.0, 100.0 * label]))
            y_train.append(label)
        order = rng.permutation(len(y_train))
        X_train, y_train = np.array(X_train)[order], values[np.array(y_train)[order]]
        expected, by_nearest, by_last = (values[list(rule)] for rule in zip(*winners))
        call = f"KNeighborsClassifier(n_neighbors={k}).fit(X_train, y).predict(X) with labels {values.tolist()}"
        model = learner.KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)
        X = np.array(X)
        expect_neighbours(model.kneighbors(X), X_train, X, k, f"KNeighborsClassifier(n_neighbors={k}).fit(X_train, y).kneighbors(X)")
        predicted = expect_rows(model.predict(X), call, (9,), len(y_train), numeric=False)
        check_labels_are_values(predicted, values, call)
        if np.array_equal(predicted, expected):
            continue
        i = int(np.argmax(predicted != expected))
        _, indices = neighbours(X_train, X[i:i + 1], k)
        labels, counts = np.unique(y_train[indices[0]], return_counts=True)
        votes = ", ".join(f"{label}: {count}" for label, count in zip(labels.tolist(), counts.tolist()))
        message = (f"{call}: query {i} has the votes {{{votes}}}, nearest neighbour {y_train[indices[0, 0]].item()!r}, "
                   f"and was predicted {predicted[i].item()!r}; expected {expected[i].item()!r}")
        if np.array_equal(predicted, by_nearest):
            fail(message + " — a tie in the vote goes to the label that comes first in classes_, not to the nearest "
                 "neighbour's label (Counter.most_common keeps the order the labels were met in): count the votes "
                 "per class of classes_ and take np.argmax, which returns the first maximum")
        if np.array_equal(predicted, by_last):
            fail(message + " — a tie in the vote goes to the first of the tied labels in classes_, not the last "
                 "(np.argmax returns the first maximum; a `>=` comparison in a loop keeps the last one: use `>`)")
        fail(message + " — the label with the most votes wins; a tie goes to the first of the tied labels in classes_")


@pytest.mark.points(2)
def test_predict_proba_vote_fractions(learner, rng):
    """predict_proba gives the vote fractions, shape (n, n_classes), columns in the order of classes_"""
    X_train, labels, _ = blobs(rng, 60, 3, 2, cluster_std=2.0, min_distance=3.0)
    values = np.array(["zebra", "ant", "moose"])  # classes_ is sorted: ant, moose, zebra
    y = values[labels]
    X = rng.uniform(X_train.min(axis=0), X_train.max(axis=0), size=(25, 2))
    k = 5
    model = learner.KNeighborsClassifier(n_neighbors=k).fit(X_train, y)
    classes = model.classes_
    if not isinstance(classes, np.ndarray) or classes.tolist() != ["ant", "moose", "zebra"]:
        fail(f"classes_ is {show(classes)}; expected the sorted labels np.unique(y) = ['ant', 'moose', 'zebra']")
    call = f"KNeighborsClassifier(n_neighbors={k}).fit(X_train, y).predict_proba(X) for 25 queries"
    got = expect_rows(model.predict_proba(X), call, (25, 3), 60)
    _, indices = neighbours(X_train, X, k)
    expected = vote_fractions(np.unique(y, return_inverse=True)[1], indices, 3)
    sums = got.sum(axis=1)
    if not np.allclose(sums, 1.0):
        fail(f"{call}: the rows sum to {show(sums)}; expected 1 (each row: the votes of the k neighbours / k)"
             + (" — are k + 1 neighbours counted?" if np.allclose(sums, (k + 1) / k) else ""))
    for permutation in ((0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)):
        if np.allclose(got, expected[:, permutation], atol=1e-9) and not np.allclose(got, expected, atol=1e-9):
            fail(f"{call}: the columns are in another order than classes_ ({classes.tolist()}); column c must be "
                 "the fraction of votes for classes_[c]")
    expect_close(got, expected, call, rtol=1e-9, atol=1e-9, why="(the fraction of the k nearest neighbours with each label)")
    predicted = expect_rows(model.predict(X), f"{call.replace('predict_proba', 'predict')}", (25,), 60, numeric=False)
    check_labels_are_values(predicted, values, "predict(X)")
    if not np.array_equal(predicted, classes[np.argmax(expected, axis=1)]):
        i = int(np.argmax(predicted != classes[np.argmax(expected, axis=1)]))
        fail(f"predict(X)[{i}] is {predicted[i].item()!r}, but its vote fractions are {show(expected[i])} for "
             f"{classes.tolist()}; expected {classes[np.argmax(expected[i])].item()!r}, the label with the most votes "
             "(the first of them in a tie)")


@pytest.mark.points(2)
def test_labels_come_back_as_given(learner, rng):
    """classes_ holds the labels as given (-1/1, strings) and predict returns them"""
    X, labels = two_blobs(rng, 80, 2, separation=6.0)
    X_new, labels_new = X[60:], labels[60:]
    X, labels = X[:60], labels[:60]
    for name, values in (("-1/1", np.array([-1, 1])), ("strings", np.array(["ham", "spam"]))):
        model = learner.KNeighborsClassifier(n_neighbors=3).fit(X, values[labels])
        classes = model.classes_
        if not isinstance(classes, np.ndarray) or classes.tolist() != values.tolist():
            fail(f"with labels {values.tolist()}, classes_ is {show(classes)}; expected np.unique(y) = {values.tolist()}")
        call = f"KNeighborsClassifier(n_neighbors=3).fit(X, y).predict(X_new) with {name} labels"
        predicted = expect_rows(model.predict(X_new), call, (20,), 60, numeric=False)
        check_labels_are_values(predicted, values, call)
        accuracy = float(np.mean(predicted == values[labels_new]))
        if accuracy < 0.9:
            fail(f"{call} is right for only {accuracy:.0%} of 20 new points from two well-separated clouds; expected over 90%")


@pytest.mark.points(1)
def test_one_neighbour_on_training_data(learner, rng):
    """with k = 1, each training point is its own nearest neighbour: 100% training accuracy"""
    X = rng.normal(size=(40, 3))
    y = rng.integers(0, 3, size=40)  # random labels: only the point itself gets them all right
    model = learner.KNeighborsClassifier(n_neighbors=1).fit(X, y)
    call = "KNeighborsClassifier(n_neighbors=1).fit(X, y).kneighbors(X) on its own training data"
    result = model.kneighbors(X)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        fail(f"{call} returned {show(result)}; expected a pair (distances, indices)")
    refuse_nan_distances(result[0], f"{call}[0] (the distances)")
    distances = expect_array(result[0], f"{call}[0] (the distances)", (40, 1))
    indices = expect_array(result[1], f"{call}[1] (the indices)", (40, 1))
    if not np.array_equal(indices[:, 0], np.arange(40)):
        i = int(np.argmax(indices[:, 0] != np.arange(40)))
        message = (f"{call}: the nearest neighbour of training point {i} is training point {indices[i, 0]}; expected "
                   f"{i}, the point itself at distance 0")
        to_itself = learner.pairwise_distances(X, X)
        if isinstance(to_itself, np.ndarray) and to_itself.shape == (40, 40) and np.isnan(np.diag(to_itself)).any():
            fail(f"{message} — pairwise_distances(X, X) gives nan for the distance from {int(np.isnan(np.diag(to_itself)).sum())} "
                 "of the 40 points to themselves, and sorting puts nan last: rounding makes ||a||^2 - 2 a.b + ||b||^2 "
                 "a tiny negative number; clip it at 0 (np.maximum(squared, 0)) before np.sqrt")
        fail(f"{message} — is the first (nearest) column of the sorted order skipped?")
    expect_close(distances, np.zeros((40, 1)), f"{call}[0]", atol=1e-6, why="(the distance from each point to itself)")
    expect_number_close(model.score(X, y), 1.0, "KNeighborsClassifier(n_neighbors=1).fit(X, y).score(X, y)",
                        why="(every training point is its own nearest neighbour)")


@pytest.mark.points(1)
def test_n_neighbors_larger_than_training_set(learner, rng):
    """fit raises a ValueError that says so when n_neighbors is larger than the training set"""
    X = rng.normal(size=(5, 2))
    y = np.array([0, 1, 1, 2, 1])
    call = "KNeighborsClassifier(n_neighbors=6).fit(X, y) with 5 training samples"
    model = learner.KNeighborsClassifier(n_neighbors=6)
    message = expect_value_error(lambda: model.fit(X, y), call, "(6 neighbours cannot be found among 5 samples): raise it in fit")
    if not any(word in message.lower() for word in ("6", "5", "neighbo", "sample", "train", "larger", "more", "exceed", "too many")):
        fail(f"{call} raised ValueError({message!r}); expected a message that says n_neighbors (6) is larger than the "
             "training set (5 samples)")
    try:
        model = learner.KNeighborsClassifier(n_neighbors=5).fit(X, y)
    except LearnerNotStarted:
        raise
    except LearnerError as error:
        fail(f"KNeighborsClassifier(n_neighbors=5).fit(X, y) with 5 training samples raised {error.type_name}: "
             f"{error.message}; expected it to work — k equal to the training set size is allowed (all samples "
             "vote): raise only when n_neighbors > n_samples")
    call = "KNeighborsClassifier(n_neighbors=5).fit(X, y).predict_proba(X_new) with 5 training samples"
    got = expect_rows(model.predict_proba(rng.normal(size=(3, 2))), call, (3, 3), 5)
    expect_close(got, np.tile([0.2, 0.6, 0.2], (3, 1)), call,
                 why="(k equal to the training set size is allowed: all 5 samples vote)")


@pytest.mark.points(2)
def test_iris(learner, rng):
    """on iris (standardised), 5-fold cross-validated accuracy with k = 5 is at least 0.9"""
    data = load_dataset("iris")
    correct = 0
    for train, test in k_fold_indices(rng, len(data.target), 5):
        X_train, X_test = standardize(data.data[train], data.data[test])
        model = learner.KNeighborsClassifier(n_neighbors=5).fit(X_train, data.target[train])
        call = "KNeighborsClassifier(n_neighbors=5).fit(X_train, y_train).predict(X_test) on iris"
        predicted = expect_rows(model.predict(X_test), call, (len(test),), len(train))
        correct += int(np.sum(predicted == data.target[test]))
    accuracy = correct / len(data.target)
    if accuracy < 0.9:
        fail(f"KNeighborsClassifier(n_neighbors=5) reached a cross-validated accuracy of {accuracy:.3f} on iris (each "
             "flower predicted once, by a model that did not see it); expected at least 0.9")


@pytest.mark.points(1)
def test_fit_copies_and_checks_inputs(learner, worker, rng):
    """fit returns self and keeps a copy of X; score is the accuracy; a wrong number of features is a ValueError"""
    X, y = two_blobs(rng, 50, 3, separation=2.0)
    X, y, X_new, y_new = X[:30], y[:30], X[30:], y[30:]
    X_stored, y_stored = worker.put(X.copy()), worker.put(y)
    model = learner.KNeighborsClassifier(n_neighbors=3)
    returned = model.fit(X_stored, y_stored)
    if returned is not model:
        fail(f"KNeighborsClassifier(n_neighbors=3).fit(X, y) returned {returned!r}; expected the model itself (end fit with `return self`)")
    expect_unchanged(X, worker.fetch(X_stored), "KNeighborsClassifier(n_neighbors=3).fit(X, y)", "X")
    expect_unchanged(y, worker.fetch(y_stored), "KNeighborsClassifier(n_neighbors=3).fit(X, y)", "y")
    expect_number_close(model.n_features_in_, 3, "after fit on X with 3 features, n_features_in_")
    predicted = expect_rows(model.predict(X_new), "predict(X_new) for 20 new points", (20,), 30)
    expect_number_close(model.score(X_new, y_new), float(np.mean(predicted == y_new)), "score(X_new, y_new)",
                        why="(the fraction of correct predictions)")
    X_stored.fill(100.0)  # the caller reuses its array after fit
    again = expect_rows(model.predict(X_new), "predict(X_new) after the caller overwrote its X", (20,), 30)
    if not np.array_equal(again, predicted):
        fail("after fit(X, y), the caller wrote new values into its X and the predictions changed: fit must keep a "
             "copy of the training data (np.array(X, dtype=float) copies; np.asarray may not)")
    expect_value_error(lambda: model.predict(X_new[:, :2]), "predict(X_new) with 2 features on a model fitted with 3",
                       "(the number of features must be the one seen in fit)")
