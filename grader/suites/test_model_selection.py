"""Hidden suite for exercise 26, model_selection.

``KFold`` is judged as a partition: every index in exactly one test fold, each training part the
complement of its test fold, the documented sizes (the first ``n % k`` folds one larger), and without
shuffling the consecutive blocks in order. Order inside a fold is free. Shuffled folds are judged by what
a seed promises, not against one permutation: the same ``random_state`` gives the same folds (``0``
included), another one different folds, and they are no longer the blocks.

``clone``, ``cross_val_score`` and ``GridSearch`` run on the kit's small estimators
(``grader.support.estimators``), built in the worker, and every expected score comes from the same
estimator fitted here on the same folds, so scores are compared exactly. A ``MemorizingClassifier``
(1-nearest-neighbour that adds to what it saw at every ``fit``) scores far too well when one object is
refitted across folds: that is how a missing fresh clone shows, next to a check that the estimator passed
in was never fitted. Most tests hand over their folds as a given splitter object (``FixedSplits``), so a
mistake in ``KFold`` does not spill into them.

Grid search is judged on ``cv_results_`` against this suite's own loop over the grid, on ridge data where
the best mean score and the best single fold belong to different values of ``alpha``, on exact ties (one
feature: Manhattan and Euclidean distances rank the centroids alike), and on the refit with all the rows.
"""

import dataclasses
import itertools

import numpy as np
import pytest

from grader.learner import LearnerError, LearnerNotStarted, LearnerTimeout, RemoteObject
from grader.protocol import KitObject
from grader.support.checks import (
    expect_array,
    expect_close,
    expect_number_close,
    expect_unchanged,
    expect_value_error,
    fail,
    show,
)
from grader.support.data import k_fold_indices
from grader.support.estimators import (
    MemorizingClassifier,
    NearestCentroidClassifier,
    RidgeRegressor,
    balanced_accuracy,
)

FRESH_CLONE = ("fit a fresh clone(estimator) in every fold: fitting one object again can carry what it saw in an "
               "earlier fold (this fold's test samples!) into the next")


# --- helpers -------------------------------------------------------------------------------------------


def kit(factory, /, *args, **kwargs):
    """A kit estimator, splitter or scorer, built in the worker."""
    return KitObject(f"grader.support.estimators:{factory}", *args, **kwargs)


def given_splits(folds):
    """A splitter object (``cv=``) that yields exactly these ``(train, test)`` pairs."""
    return kit("FixedSplits", [(train, test) for train, test in folds])


def documented_sizes(n, k):
    """The fold sizes of KFold: n // k each, one more for the first n % k folds."""
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def blocks(n, k):
    """The documented unshuffled folds: consecutive blocks of the documented sizes, in order."""
    sizes = documented_sizes(n, k)
    stops = np.cumsum(sizes)
    return [(np.setdiff1d(np.arange(n), np.arange(stop - size, stop)), np.arange(stop - size, stop))
            for size, stop in zip(sizes, stops)]


def reference_scores(make, X, y, folds, scoring=None):
    """What cross_val_score must return: a fresh ``make()`` fitted on each training part, scored on its test part."""
    scores = []
    for train, test in folds:
        model = make().fit(X[train], y[train])
        scores.append(model.score(X[test], y[test]) if scoring is None else scoring(y[test], model.predict(X[test])))
    return np.array(scores, dtype=float)


def training_scores(make, X, y, folds):
    """The scores of a model scored on its own training part (a mistake)."""
    return reference_scores(make, X, y, [(train, train) for train, _ in folds])


def has_attribute(remote, name):
    """Whether an object living in the worker has attribute ``name``."""
    try:
        getattr(remote, name)
    except (LearnerNotStarted, LearnerTimeout):
        raise
    except LearnerError as error:
        if error.type_name == "AttributeError":
            return False
        raise
    return True


def read_folds(worker, splitter, X, call, n_samples):
    """Run ``splitter.split(X)`` to the end in the worker; return its folds as int arrays, checked one by one."""
    try:
        folds = worker.fetch(kit("folds_of", splitter, X))
    except LearnerTimeout:
        raise
    except LearnerError as error:
        raise dataclasses.replace(error, operation=call) from None
    checked = []
    for i, pair in enumerate(folds):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            fail(f"{call} yielded {show(pair)} as fold {i}; expected a pair (train_index, test_index)")
        checked.append(tuple(as_indices(part, f"{call}: the {what} of fold {i}", n_samples)
                             for part, what in zip(pair, ("train_index", "test_index"))))
    return checked


def as_indices(value, what, n_samples):
    if not isinstance(value, (np.ndarray, list)):
        fail(f"{what} is {show(value)}; expected a numpy array of int indices")
    array = np.asarray(value)
    if array.dtype == bool:
        fail(f"{what} is a boolean mask ({show(array)}); expected the indices themselves, e.g. np.flatnonzero(mask)")
    if array.size == 0:
        return array.astype(int)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        fail(f"{what} is {show(array)}; expected a 1-D array of int indices")
    if array.min() < 0 or array.max() >= n_samples:
        fail(f"{what} holds {show(array)}; expected indices of the {n_samples} samples, 0 to {n_samples - 1}")
    return array


def check_partition(folds, n, k, call):
    """Each test fold distinct indices, its training part exactly the rest, every index tested exactly once."""
    if len(folds) != k:
        fail(f"{call} yielded {len(folds)} folds; expected n_splits = {k}")
    for i, (train, test) in enumerate(folds):
        if len(np.unique(test)) != len(test):
            fail(f"{call}: test fold {i} holds an index twice: {show(np.sort(test))}")
        if len(test) == 0:
            fail(f"{call}: test fold {i} is empty; every fold must test at least one sample")
        in_both = np.intersect1d(train, test)
        if in_both.size:
            fail(f"{call}: fold {i} has the samples {in_both.tolist()[:8]} in both its training and its test part; "
                 "the training part is every index NOT in the test fold")
        missing = np.setdiff1d(np.setdiff1d(np.arange(n), test), train)
        if missing.size:
            fail(f"{call}: the training part of fold {i} leaves out the samples {missing.tolist()[:8]}, which are in no "
                 "part of that fold; the training part is every index not in the test fold")
        if len(train) != n - len(test):
            fail(f"{call}: the training part of fold {i} holds an index twice ({len(train)} indices for "
                 f"{n - len(test)} samples)")
    counts = np.bincount(np.concatenate([test for _, test in folds]), minlength=n)
    if (counts > 1).any():
        index = int(np.argmax(counts > 1))
        where = [i for i, (_, test) in enumerate(folds) if index in test]
        fail(f"{call}: sample {index} is in test folds {where}; every sample must be in exactly one "
             "test fold — do neighbouring folds overlap (a block boundary off by one, [start:stop + 1])?")
    never = np.flatnonzero(counts == 0)
    if never.size:
        message = (f"{call}: the samples {never.tolist()[:8]} are in no test fold; every sample must "
                   "be tested exactly once")
        if never.size == n % k:
            last = " (the last ones)" if np.array_equal(never, np.arange(n - n % k, n)) else ""
            message += (f" — n % n_splits = {n % k} samples were left out{last}: the fold sizes are n // n_splits, plus "
                        "one for each of the first n % n_splits folds")
        elif never[-1] == n - 1:
            message += " — the last samples are never tested: is a block boundary off by one?"
        fail(message)


def check_sizes(folds, n, k, call):
    sizes = [len(test) for _, test in folds]
    expected = documented_sizes(n, k)
    if sizes != expected:
        message = f"{call} gave test folds of sizes {sizes}; expected {expected}"
        if sizes == expected[::-1]:
            message += (" — the extra samples went to the last folds: the FIRST n % n_splits folds get one sample "
                        "more (as scikit-learn)")
        else:
            message += f" (n // n_splits = {n // k} each, plus one for the first n % n_splits = {n % k} folds)"
        fail(message)


def sorted_folds(folds):
    return [np.sort(test).tolist() for _, test in folds]


def expect_scores(got, expected, call, wrong=(), why=""):
    """cross_val_score's result: a float array of one score per fold equal to ``expected``; names known mistakes.

    ``wrong`` is a list of (scores, explanation) pairs that a typical mistake would give.
    """
    got = expect_array(got, call, expected.shape)
    if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
        return got
    for scores, explanation in wrong:
        if np.allclose(got, scores, rtol=1e-9, atol=1e-12):
            fail(f"{call} returned {show(got)}; expected {show(expected)} {why} — {explanation}")
    expect_close(got, expected, call, rtol=1e-9, atol=1e-12, why=why)
    return got


def three_classes(rng, n, proportions=(0.4, 0.35, 0.25), spread=1.5):
    """Three overlapping Gaussian classes in 2-D with the given proportions; labels 0, 1, 2."""
    centres = rng.normal(scale=spread, size=(3, 2))
    labels = rng.choice(3, size=n, p=list(proportions))
    labels[:3] = [0, 1, 2]  # every class present
    labels = rng.permutation(labels)
    return centres[labels] + rng.normal(size=(n, 2)), labels


def grid_reference(combinations, make, X, y, folds, scoring=None):
    """The suite's own grid search: (params, scores) per combination, in grid order."""
    return [(params, reference_scores(lambda: make(params), X, y, folds, scoring)) for params in combinations]


def clear_ranking(results):
    """True when means that are within 1e-9 of each other come from identical score arrays (no rounding ties)."""
    for (_, a), (_, b) in itertools.combinations(results, 2):
        if abs(a.mean() - b.mean()) < 1e-9 and not np.array_equal(a, b):
            return False
    return True


def first_best(results):
    means = [scores.mean() for _, scores in results]
    return int(np.argmax(means))


def fitted_search(learner, estimator, grid, X, y, cv, scoring=None, call="GridSearch(...).fit(X, y)"):
    search = learner.GridSearch(estimator, grid, cv=cv, scoring=scoring)
    returned = search.fit(X, y)
    if returned is not search:
        fail(f"{call} returned {returned!r}; expected the GridSearch itself (end fit with `return self`)")
    return search


def expect_choice(search, got, expected, reference, call, explanation):
    """best_params_ must be ``expected``; if not, a wrong cv_results_ is named first, else ``explanation``."""
    if got == expected:
        return
    expect_results(search.cv_results_, reference, call)
    fail(f"{call}.best_params_ is {got!r}; expected {expected!r}" + explanation)


def expect_params(got, what):
    if not isinstance(got, dict):
        fail(f"{what} is {show(got)}; expected a dict of hyper-parameter values, e.g. {{'alpha': 1.0}}")
    return got


# --- KFold ---------------------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_folds_partition_the_indices(learner, worker, rng):
    """KFold: every index is in exactly one test fold, and each training part is the rest"""
    k = int(rng.integers(3, 7))
    n = k * int(rng.integers(3, 7)) + int(rng.integers(1, k))  # not a multiple of k: the remainder matters
    cases = [(n, k, False, None), (n + k - n % k, k, False, None), (n, k, True, int(rng.integers(1, 1000))),
             (k + 1, k, False, None)]
    for n_samples, n_splits, shuffle, seed in cases:
        X = rng.normal(size=(n_samples, 2))
        call = f"KFold(n_splits={n_splits}, shuffle={shuffle}, random_state={seed}).split(X) with {n_samples} samples"
        splitter = learner.KFold(n_splits=n_splits, shuffle=shuffle, random_state=seed)
        check_partition(read_folds(worker, splitter, X, call, n_samples), n_samples, n_splits, call)
    call = f"KFold(n_splits=3).split(X) with X a plain list of {n} rows"
    check_partition(read_folds(worker, learner.KFold(n_splits=3), rng.normal(size=(n, 2)).tolist(), call, n), n, 3, call)


@pytest.mark.points(2)
def test_unshuffled_folds_are_blocks_in_order(learner, worker, rng):
    """KFold without shuffling: consecutive blocks in order, the first n % n_splits folds one sample larger"""
    k = int(rng.integers(3, 7))
    for n in (k * int(rng.integers(2, 6)) + int(rng.integers(1, k)), k * int(rng.integers(2, 6))):
        X = rng.normal(size=(n, 3))
        splitter = learner.KFold(n_splits=k)
        call = f"KFold(n_splits={k}).split(X) with {n} samples"
        folds = read_folds(worker, splitter, X, call, n)
        check_partition(folds, n, k, call)
        check_sizes(folds, n, k, call)
        expected = blocks(n, k)
        for i, ((_, test), (_, block)) in enumerate(zip(folds, expected)):
            if not np.array_equal(np.sort(test), block):
                fail(f"{call}: test fold {i} is {show(np.sort(test))}; expected the block {show(block)} — without "
                     "shuffling the test folds are consecutive blocks of 0 .. n - 1, in order")
        expect_number_close(splitter.get_n_splits(), k, f"KFold(n_splits={k}).get_n_splits()")


@pytest.mark.points(2)
def test_shuffle_is_reproducible(learner, worker, rng):
    """KFold(shuffle=True): the same random_state gives the same folds, another one different folds"""
    k = int(rng.integers(3, 6))
    n = k * int(rng.integers(6, 10)) + int(rng.integers(1, k))
    seed = int(rng.integers(1, 10_000))
    X = rng.normal(size=(n, 2))
    call = f"KFold(n_splits={k}, shuffle=True, random_state={seed}).split(X) with {n} samples"
    splitter = learner.KFold(n_splits=k, shuffle=True, random_state=seed)
    first = read_folds(worker, splitter, X, call, n)
    check_partition(first, n, k, call)
    check_sizes(first, n, k, call)
    if sorted_folds(first) == sorted_folds(blocks(n, k)):
        fail(f"{call} gave the unshuffled blocks; with shuffle=True, cut one permutation of the indices "
             "(np.random.default_rng(random_state).permutation(n_samples)) into the blocks")
    other = read_folds(worker, learner.KFold(n_splits=k, shuffle=True, random_state=seed), X, call, n)
    if sorted_folds(other) != sorted_folds(first):
        fail(f"two KFold(n_splits={k}, shuffle=True, random_state={seed}) gave different folds on the same X; the same "
             "random_state must give the same folds — draw the permutation from np.random.default_rng(random_state), "
             "not from np.random's global state or an unseeded generator")
    again = read_folds(worker, splitter, X, call, n)
    if sorted_folds(again) != sorted_folds(first):
        fail(f"calling split(X) twice on the same KFold(n_splits={k}, shuffle=True, random_state={seed}) gave different "
             "folds; make the generator inside split, np.random.default_rng(random_state), so every call gives the same folds")
    call_other = f"KFold(n_splits={k}, shuffle=True, random_state={seed + 1}).split(X) with {n} samples"
    different = read_folds(worker, learner.KFold(n_splits=k, shuffle=True, random_state=seed + 1), X, call_other, n)
    check_partition(different, n, k, call_other)
    if sorted_folds(different) == sorted_folds(first):
        fail(f"random_state={seed} and random_state={seed + 1} gave the same folds; the permutation must come from "
             "np.random.default_rng(random_state), so another seed gives other folds")


@pytest.mark.points(1)
def test_random_state_zero_is_a_seed(learner, worker, rng):
    """KFold(shuffle=True, random_state=0) shuffles, and gives the same folds every time"""
    k = int(rng.integers(3, 6))
    n = k * int(rng.integers(6, 10)) + int(rng.integers(0, k))
    X = rng.normal(size=(n, 2))
    call = f"KFold(n_splits={k}, shuffle=True, random_state=0).split(X) with {n} samples"
    first = read_folds(worker, learner.KFold(n_splits=k, shuffle=True, random_state=0), X, call, n)
    check_partition(first, n, k, call)
    if sorted_folds(first) == sorted_folds(blocks(n, k)):
        fail(f"{call} gave the unshuffled blocks: random_state=0 is a seed like any other, test `random_state is None`, "
             "never `if random_state:` (0 is falsy)")
    second = read_folds(worker, learner.KFold(n_splits=k, shuffle=True, random_state=0), X, call, n)
    if sorted_folds(second) != sorted_folds(first):
        fail(f"two KFold(n_splits={k}, shuffle=True, random_state=0) gave different folds: random_state=0 is a seed "
             "like any other — pass it to np.random.default_rng(random_state) (never `if random_state:`, 0 is falsy)")


@pytest.mark.points(1)
def test_bad_n_splits_is_a_value_error(learner, worker, rng):
    """KFold: n_splits below 2 or above the number of samples is a ValueError; n_splits = n_samples works"""
    n = int(rng.integers(5, 12))
    X = rng.normal(size=(n, 2))

    def folds_with(n_splits):
        return lambda: worker.fetch(kit("folds_of", learner.KFold(n_splits=n_splits), X))

    expect_value_error(folds_with(1), f"KFold(n_splits=1).split(X) with {n} samples", "(at least two folds are needed)")
    expect_value_error(folds_with(n + 1), f"KFold(n_splits={n + 1}).split(X) with {n} samples",
                       f"(there are only {n} samples to put in {n + 1} test folds)")
    call = f"KFold(n_splits={n}).split(X) with {n} samples (leave-one-out)"
    try:
        folds = read_folds(worker, learner.KFold(n_splits=n), X, call, n)
    except (LearnerNotStarted, LearnerTimeout):
        raise
    except LearnerError as error:
        fail(f"{call} raised {error.type_name}: {error.message}; expected {n} folds of one sample — n_splits equal to "
             "n_samples is allowed: raise only when n_splits > n_samples")
    check_partition(folds, n, n, call)


# --- clone ---------------------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_clone_keeps_hyper_parameters_and_drops_learned_state(learner, worker, rng):
    """clone: a new object of the same class with the same hyper-parameters, unfitted; the original unchanged"""
    params = {"learning_rate": round(float(rng.uniform(0.1, 0.9)), 3), "n_iters": int(rng.integers(3, 9)),
              "l2": round(float(rng.uniform(0.01, 0.1)), 3), "name": "tiny"}
    X, labels = three_classes(rng, 30)
    original = worker.put(kit("SoftmaxClassifier", **params))
    original.fit(X, labels)
    coef = original.coef_
    call = "clone(SoftmaxClassifier(learning_rate=..., n_iters=..., l2=..., name='tiny') after fit)"
    copy = learner.clone(original)
    if copy is original:
        fail(f"{call} returned the estimator itself; expected a NEW object (build one: type(estimator)(**params))")
    kind = getattr(copy, "_type_name", None) if isinstance(copy, RemoteObject) else None
    if kind != "SoftmaxClassifier":
        fail(f"{call} returned {'a ' + kind if kind else show(copy)}; expected a new SoftmaxClassifier, an object of "
             "the same class as the estimator (type(estimator))")
    for name, value in params.items():
        got = getattr(copy, name)
        if got != value:
            fail(f"{call}.{name} is {got!r}; expected {value!r}, the original's — read every parameter of "
                 "inspect.signature(type(estimator)) with getattr(estimator, name) and pass them all to the class")
    for learned in ("coef_", "intercept_", "classes_"):
        if has_attribute(copy, learned):
            fail(f"{call} has the learned attribute {learned}; expected an unfitted copy — build a new object from the "
                 "hyper-parameters only (copy.deepcopy copies what was learned too)")
    X_other, labels_other = three_classes(rng, 24)
    copy.fit(X_other, labels_other)
    if not np.array_equal(original.coef_, coef):
        fail(f"fitting the result of {call} on other data changed the original's coef_; the clone must be a separate "
             "object that shares no learned state with the original")
    memorizer = worker.put(kit("MemorizingClassifier", n_neighbors=3))
    memorizer.fit(X, labels)
    call = "clone(MemorizingClassifier(n_neighbors=3) after fit)"
    copy = learner.clone(memorizer)
    if copy is memorizer or getattr(copy, "n_neighbors") != 3 or has_attribute(copy, "X_seen_"):
        what = ("the estimator itself" if copy is memorizer else f"n_neighbors={getattr(copy, 'n_neighbors')!r}"
                if getattr(copy, "n_neighbors") != 3 else "a model that has already seen the training samples (X_seen_)")
        fail(f"{call} is {what}; expected a new MemorizingClassifier(n_neighbors=3) that has seen nothing")


# --- cross_val_score -----------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_cross_val_score_with_kfold(learner, worker, rng):
    """cross_val_score with an int cv scores a fresh model on each KFold(cv) test fold; lists accepted, inputs unchanged"""
    n = 5 * int(rng.integers(6, 10)) + int(rng.integers(1, 5))
    X, y = three_classes(rng, n)
    shrinkage = round(float(rng.uniform(0.0, 0.5)), 3)

    def make():
        return NearestCentroidClassifier(shrinkage=shrinkage)

    X_stored, y_stored = worker.put(X), worker.put(y)
    call = f"cross_val_score(NearestCentroidClassifier(shrinkage={shrinkage}), X, y) with {n} samples (cv=5 by default)"
    got = learner.cross_val_score(kit("NearestCentroidClassifier", shrinkage=shrinkage), X_stored, y_stored)
    expected = reference_scores(make, X, y, blocks(n, 5))
    expect_scores(got, expected, call, why="(accuracy of a fresh model on each of the 5 test folds of KFold(5))", wrong=[
        (training_scores(make, X, y, blocks(n, 5)), "these are the scores on the training parts: score each model on "
                                                    "the test fold it did not see")])
    expect_unchanged(X, worker.fetch(X_stored), call, "X")
    expect_unchanged(y, worker.fetch(y_stored), call, "y")
    names = np.array(["cat", "dog", "owl"])[y]
    call = f"cross_val_score(NearestCentroidClassifier(shrinkage={shrinkage}), X, y, cv=3) with X and y plain lists"
    got = learner.cross_val_score(kit("NearestCentroidClassifier", shrinkage=shrinkage), X.tolist(), names.tolist(), cv=3)
    expect_scores(got, reference_scores(make, X, names, blocks(n, 3)), call,
                  why="(accuracy of a fresh model on each test fold of KFold(n_splits=3), no shuffling)")


@pytest.mark.points(2)
def test_cross_val_score_fits_a_fresh_clone_per_fold(learner, worker, rng):
    """cross_val_score fits a fresh clone in every fold and never fits the estimator passed in"""
    n, k = 40, 4
    X = rng.normal(size=(n, 3))
    y = rng.integers(0, 3, size=n)  # random labels: a 1-nearest-neighbour that never saw a sample guesses
    folds = k_fold_indices(rng, n, k)
    estimator = worker.put(kit("MemorizingClassifier"))
    call = "cross_val_score(MemorizingClassifier(), X, y, cv=splitter) with 4 given folds"
    got = expect_array(learner.cross_val_score(estimator, X, y, cv=given_splits(folds)), call, (k,))
    expected = reference_scores(MemorizingClassifier, X, y, folds)
    if not np.allclose(got, expected, rtol=1e-9, atol=1e-12):
        leaked = [i for i in range(k) if got[i] == 1.0 and expected[i] < 1.0]
        if np.all(got == 1.0):
            fail(f"{call} returned {show(got)}; a fresh model scores {show(expected)} on these random labels: a "
                 "1-nearest-neighbour is only perfect on samples it has seen — score each model on the test fold, "
                 "which it was not fitted on (and fit a fresh clone in every fold)")
        if leaked:
            fail(f"{call} returned {show(got)}; a fresh model scores {show(expected)} on these random labels. Folds "
                 f"{leaked} score 1.0 because the model had already seen their test samples in an earlier fold — "
                 + FRESH_CLONE)
        expect_close(got, expected, call, rtol=1e-9, atol=1e-12, why="(a fresh model fitted on each training part)")
    if has_attribute(estimator, "n_fits_"):
        fail(f"{call} fitted the estimator passed in ({estimator.n_fits_} times); it must stay untouched — "
             + FRESH_CLONE)


@pytest.mark.points(1)
def test_cross_val_score_uses_the_scoring_function(learner, rng):
    """cross_val_score(scoring=f) returns f(y_test, predictions) for each fold"""
    n, k = 48, 4
    X, y = three_classes(rng, n, proportions=(0.6, 0.3, 0.1), spread=1.2)
    folds = k_fold_indices(rng, n, k)

    def make():
        return NearestCentroidClassifier()

    call = "cross_val_score(NearestCentroidClassifier(), X, y, cv=splitter, scoring=balanced_accuracy)"
    got = learner.cross_val_score(kit("NearestCentroidClassifier"), X, y, cv=given_splits(folds),
                                  scoring=kit("scorer", "balanced_accuracy"))
    expected = reference_scores(make, X, y, folds, scoring=balanced_accuracy)
    swapped = reference_scores(make, X, y, folds, scoring=lambda y_true, y_pred: balanced_accuracy(y_pred, y_true))
    expect_scores(got, expected, call, why="(balanced_accuracy(y_test, model.predict(X_test)) in each fold)", wrong=[
        (reference_scores(make, X, y, folds), "these are the model's own score() (accuracy): with scoring given, "
                                               "return scoring(y_test, model.predict(X_test))"),
        (swapped, "the arguments are swapped: call scoring(y_true, y_pred), the true labels first"),
        (training_scores(make, X, y, folds), "these are the scores on the training parts: score on the test fold"),
    ])


@pytest.mark.points(1)
def test_cross_val_score_with_a_splitter_object(learner, rng):
    """cross_val_score(cv=splitter) uses the (train, test) pairs of splitter.split(X), whatever they are"""
    n, n_features = 40, 4
    X = rng.normal(size=(n, n_features))
    y = X @ rng.normal(size=n_features) + 0.5 * rng.normal(size=n)
    folds = []
    for size in (8, 10, 12):  # three random hold-out splits: overlapping test sets, part of the rest for training
        order = rng.permutation(n)
        folds.append((np.sort(order[size:size + 20]), order[:size]))
    alpha = round(float(rng.uniform(0.1, 3.0)), 3)
    call = f"cross_val_score(RidgeRegressor(alpha={alpha}), X, y, cv=splitter) with 3 given (train, test) pairs"
    got = learner.cross_val_score(kit("RidgeRegressor", alpha=alpha), X, y, cv=given_splits(folds))
    expected = reference_scores(lambda: RidgeRegressor(alpha=alpha), X, y, folds)
    complement = [(np.setdiff1d(np.arange(n), test), test) for _, test in folds]
    expect_scores(got, expected, call, why="(R² of a fresh model on each given test part)", wrong=[
        (reference_scores(lambda: RidgeRegressor(alpha=alpha), X, y, complement),
         "the model was trained on every sample outside the test part; use the train_index the splitter gives")])


# --- parameter_grid ------------------------------------------------------------------------------------


def product_in_order(grid, keys):
    return [dict(zip(keys, values)) for values in itertools.product(*(grid[key] for key in keys))]


def expect_combinations(got, grid, expected, call):
    if not isinstance(got, list) or not all(isinstance(item, dict) for item in got):
        fail(f"{call} returned {show(got)}; expected a list of dicts, one per combination")
    if got == expected:
        return
    message = f"{call} returned {len(got)} combinations; expected {len(expected)}"
    if isinstance(grid, dict):
        lengths = [len(values) for values in grid.values()]
        if len(got) == min(lengths) < len(expected):
            fail(f"{message} (every value of each name with every value of the others) — zip pairs the lists up "
                 "element by element; itertools.product gives every combination")
        if len(got) == len(expected) and got == product_in_order(grid, list(grid)):
            fail(f"{call}: the combinations are right but in the order of the names as given ({list(grid)}); take the "
                 f"names in sorted order ({sorted(grid)}), the last one varying fastest")
        if len(got) == len(expected) and got == product_in_order(grid, sorted(grid)[::-1]):
            fail(f"{call}: the combinations are right but the FIRST name varies fastest; in scikit-learn's order the last "
                 "of the sorted names varies fastest (as itertools.product does)")
    else:
        first = product_in_order(grid[0], sorted(grid[0]))
        if got == first:
            fail(f"{call} with a list of {len(grid)} dicts returned only the combinations of the first; expand each dict "
                 "of the list in turn and put them one after the other")
    if len(got) == len(expected):
        i = next(i for i, (a, b) in enumerate(zip(got, expected)) if a != b)
        fail(f"{call}: combination {i} is {got[i]!r}; expected {expected[i]!r} (names in sorted order, the last "
             "varying fastest)")
    fail(f"{message}: {show(got)}")


@pytest.mark.points(2)
def test_parameter_grid(learner, rng):
    """parameter_grid: every combination, names in sorted order with the last varying fastest; lists of dicts in turn"""
    grid = {
        "solver": ["newton", "sgd"],
        "alpha": sorted(round(float(v), 3) for v in rng.uniform(0, 1, size=3)),
        "n_iters": [int(v) for v in rng.choice(np.arange(10, 100), size=2, replace=False)],
    }
    expected = product_in_order(grid, ["alpha", "n_iters", "solver"])
    expect_combinations(learner.parameter_grid(grid), grid, expected,
                        "parameter_grid({'solver': [2 values], 'alpha': [3 values], 'n_iters': [2 values]})")
    grids = [{"metric": ["euclidean", "manhattan"], "depth": [int(rng.integers(1, 5)), int(rng.integers(5, 9))]},
             {"shrinkage": [round(float(rng.uniform()), 3)]}]
    expected = product_in_order(grids[0], ["depth", "metric"]) + product_in_order(grids[1], ["shrinkage"])
    expect_combinations(learner.parameter_grid(grids), grids, expected,
                        "parameter_grid([{'metric': [2 values], 'depth': [2 values]}, {'shrinkage': [1 value]}])")


# --- GridSearch ----------------------------------------------------------------------------------------


def expect_results(results, reference, call):
    """cv_results_ must list every combination in grid order with its fold scores and their mean."""
    if not isinstance(results, list) or not all(isinstance(item, dict) for item in results):
        fail(f"{call}.cv_results_ is {show(results)}; expected a list of dicts, one per combination")
    for item in results:
        missing = {"params", "mean_score", "scores"} - set(item)
        if missing:
            fail(f"{call}.cv_results_ has an entry without {sorted(missing)}: {show(item)}; expected "
                 "{'params': ..., 'mean_score': ..., 'scores': ...}")
    got_params = [item["params"] for item in results]
    expected_params = [params for params, _ in reference]
    if got_params != expected_params:
        if len(got_params) < len(expected_params):
            fail(f"{call} tried {len(got_params)} combinations; expected all {len(expected_params)} of the grid "
                 f"(missing e.g. {next(p for p in expected_params if p not in got_params)!r}) — use parameter_grid, "
                 "every value of each name with every value of the others")
        if sorted(map(repr, got_params)) == sorted(map(repr, expected_params)):
            fail(f"{call}.cv_results_ lists the combinations in another order than parameter_grid gives them: "
                 f"{[p for p in got_params][:3]}...; expected {expected_params[:3]}...")
        fail(f"{call}.cv_results_ holds the combinations {show(got_params)}; expected {show(expected_params)}")
    for item, (params, scores) in zip(results, reference):
        expect_scores(item["scores"], scores, f"{call}.cv_results_ for {params!r}: 'scores'",
                      why="(cross_val_score of a clone with these values)")
        expect_number_close(item["mean_score"], scores.mean(), f"{call}.cv_results_ for {params!r}: 'mean_score'",
                            rtol=1e-9, why="(the mean of its fold scores)")


@pytest.mark.points(2)
def test_grid_search_tries_every_combination(learner, rng):
    """GridSearch.fit scores every combination of the grid, in grid order, in cv_results_"""
    n = 45
    X, y = three_classes(rng, n, proportions=(0.5, 0.3, 0.2))
    folds = k_fold_indices(rng, n, 3)
    grid = {"shrinkage": [0.0, round(float(rng.uniform(0.3, 0.6)), 3), 0.9], "metric": ["euclidean", "manhattan"]}
    combinations = product_in_order(grid, ["metric", "shrinkage"])
    reference = grid_reference(combinations, lambda params: NearestCentroidClassifier(**params), X, y, folds,
                               scoring=balanced_accuracy)
    call = ("GridSearch(NearestCentroidClassifier(), {'shrinkage': [3 values], 'metric': [2 values]}, cv=splitter, "
            "scoring=balanced_accuracy).fit(X, y)")
    search = fitted_search(learner, kit("NearestCentroidClassifier"), grid, X, y, given_splits(folds),
                           kit("scorer", "balanced_accuracy"), call)
    expect_results(search.cv_results_, reference, call)


@pytest.mark.points(2)
def test_grid_search_picks_the_best_mean_score(learner, rng):
    """GridSearch picks the best MEAN score over the folds, not the luckiest single fold"""
    alphas = [0.01, 0.1, 1.0, 3.0, 10.0, 30.0, 100.0]
    combinations = [{"alpha": alpha} for alpha in alphas]
    for _ in range(60):  # data where the best mean and the best single fold belong to different alphas
        n, n_features = 30, 5
        X = rng.normal(size=(n, n_features))
        y = X @ rng.normal(size=n_features) + 3.0 * rng.normal(size=n)
        folds = k_fold_indices(rng, n, 3)
        reference = grid_reference(combinations, lambda params: RidgeRegressor(**params), X, y, folds)
        scores = np.array([s for _, s in reference])
        means = scores.mean(axis=1)
        best = int(np.argmax(means))
        if np.sort(means)[-1] - np.sort(means)[-2] > 1e-6 and scores[best].max() < scores.max() - 1e-6:
            break
    else:  # pragma: no cover - fails with probability ~0.25 ** 60
        raise RuntimeError("the suite found no data where the best mean and the best fold differ")
    call = f"GridSearch(RidgeRegressor(), {{'alpha': {alphas}}}, cv=splitter).fit(X, y)"
    search = fitted_search(learner, kit("RidgeRegressor"), {"alpha": alphas}, X, y, given_splits(folds), call=call)
    got = expect_params(search.best_params_, f"{call}.best_params_")
    explanation = f", whose mean score over the 3 folds is the highest ({means[best]:.4f})"
    luckiest = int(np.argmax(scores.max(axis=1)))
    if got == combinations[luckiest]:
        explanation += (f" — {got!r} has the best single fold ({scores.max():.4f}) but a lower mean "
                        f"({means[luckiest]:.4f}): compare the mean scores of the combinations")
    expect_choice(search, got, combinations[best], reference, call, explanation)
    expect_number_close(search.best_score_, means[best], f"{call}.best_score_", rtol=1e-7,
                        why="(the best MEAN score over the folds)")


@pytest.mark.points(1)
def test_grid_search_ties_go_to_the_first(learner, rng):
    """GridSearch: when mean scores tie, the first combination in grid order wins"""
    shrinkages = [0.0, round(float(rng.uniform(0.5, 0.9)), 3)]
    grid = {"shrinkage": shrinkages, "metric": ["manhattan", "euclidean"]}  # sorted names: metric first
    combinations = product_in_order(grid, ["metric", "shrinkage"])
    for _ in range(50):  # one feature: both metrics rank the centroids alike, so their scores tie exactly
        n = 36
        labels = rng.permutation(np.arange(n) % 3)
        X = (rng.normal(scale=1.5, size=3)[labels] + rng.normal(size=n))[:, None]
        folds = k_fold_indices(rng, n, 3)
        reference = grid_reference(combinations, lambda params: NearestCentroidClassifier(**params), X, labels, folds)
        if clear_ranking(reference):
            break
    best = first_best(reference)
    call = (f"GridSearch(NearestCentroidClassifier(), {{'shrinkage': {shrinkages}, 'metric': ['manhattan', 'euclidean']}}, "
            "cv=splitter).fit(X, y)")
    search = fitted_search(learner, kit("NearestCentroidClassifier"), grid, X, labels, given_splits(folds), call=call)
    got = expect_params(search.best_params_, f"{call}.best_params_")
    tied = [params for params, scores in reference if scores.mean() == reference[best][1].mean()]
    explanation = f", the first of the combinations with the best mean score ({reference[best][1].mean():.4f})"
    if got in tied:
        explanation = (f". On one feature both metrics give the same scores, so {tied!r} tie with the best mean "
                       f"({reference[best][1].mean():.4f}): a tie goes to the first combination in grid order — keep a "
                       "new best only when it is strictly greater (`>`, not `>=`)")
    expect_choice(search, got, combinations[best], reference, call, explanation)
    expect_number_close(search.best_score_, reference[best][1].mean(), f"{call}.best_score_", rtol=1e-9)


@pytest.mark.points(2)
def test_grid_search_refits_the_best_on_all_data(learner, worker, rng):
    """GridSearch: best_estimator_ is a fresh clone with the best values fitted on ALL the data; predict and score use it"""
    n = 45
    X, y = three_classes(rng, n, proportions=(0.5, 0.3, 0.2))
    y = np.array(["ham", "jam", "spam"])[y]
    grid = {"shrinkage": [0.0, 0.4, 0.8]}
    combinations = product_in_order(grid, ["shrinkage"])
    for _ in range(50):
        folds = k_fold_indices(rng, n, 3)
        reference = grid_reference(combinations, lambda p: NearestCentroidClassifier(metric="manhattan", **p), X, y, folds)
        if clear_ranking(reference):
            break
    best = combinations[first_best(reference)]
    estimator = worker.put(kit("NearestCentroidClassifier", shrinkage=0.25, metric="manhattan"))
    call = ("GridSearch(NearestCentroidClassifier(shrinkage=0.25, metric='manhattan'), {'shrinkage': [0.0, 0.4, 0.8]}, "
            "cv=splitter).fit(X, y)")
    search = fitted_search(learner, estimator, grid, X, y, given_splits(folds), call=call)
    got = expect_params(search.best_params_, f"{call}.best_params_")
    expect_choice(search, got, best, reference, call, ", the combination with the highest mean score")
    model = search.best_estimator_
    if model is estimator:
        fail(f"{call}.best_estimator_ is the estimator passed in; expected a fresh clone of it with best_params_")
    if getattr(model, "metric", None) != "manhattan":
        fail(f"{call}.best_estimator_.metric is {getattr(model, 'metric', None)!r}; expected 'manhattan', the value the "
             "estimator passed in has: clone it (all its hyper-parameters), then set the values of best_params_")
    expected = NearestCentroidClassifier(metric="manhattan", **best).fit(X, y)
    centroids = model.centroids_
    if not (isinstance(centroids, np.ndarray) and centroids.shape == expected.centroids_.shape
            and np.allclose(centroids, expected.centroids_, rtol=1e-9, atol=1e-12)):
        message = f"{call}.best_estimator_ was not fitted on all of X, y: its centroids_ are {show(centroids)}"
        for i, (train, _) in enumerate(folds):
            partial = NearestCentroidClassifier(metric="manhattan", **best).fit(X[train], y[train]).centroids_
            if isinstance(centroids, np.ndarray) and centroids.shape == partial.shape and np.allclose(centroids, partial):
                message += (f", those of a fit on the training part of fold {i} only — after choosing best_params_, fit a "
                            "fresh clone with them on ALL the rows")
                break
        fail(message)
    X_new = rng.normal(scale=2.0, size=(20, 2))
    y_new = np.array(["ham", "jam", "spam"])[rng.integers(0, 3, size=20)]
    predicted = expect_array(search.predict(X_new), f"{call}.predict(X_new)", (20,), numeric=False)
    if not np.array_equal(predicted, expected.predict(X_new)):
        fail(f"{call}.predict(X_new) returned {show(predicted)}; expected best_estimator_.predict(X_new) = "
             f"{show(expected.predict(X_new))}")
    expect_number_close(search.score(X_new, y_new), expected.score(X_new, y_new), f"{call}.score(X_new, y_new)",
                        rtol=1e-9, why="(best_estimator_.score(X_new, y_new))")
    if estimator.shrinkage != 0.25 or has_attribute(estimator, "centroids_"):
        fail(f"after {call}, the estimator passed in has shrinkage={estimator.shrinkage!r}"
             + (" and was fitted" if has_attribute(estimator, "centroids_") else "")
             + "; expected it untouched (shrinkage=0.25, never fitted): set the values on clones, never on it")
