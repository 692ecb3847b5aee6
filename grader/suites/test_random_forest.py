"""Hidden suite for exercise 7, random_forest.

What is judged, and why:

- ``bootstrap_sample`` by what a bootstrap sample is, never by exact indices: ``n`` rows of ``X``, each
  with its own label, drawn with replacement (about 63% distinct rows, checked with a wide tolerance),
  every row reachable, and all randomness from the ``rng`` passed in. Any correct way of drawing
  (``rng.integers``, ``rng.choice``) passes.
- The forest through its own trees: every expected vote is recomputed from the predictions of the
  learner's trees in ``estimators_``, so the learner's tree (exercise 6) is never held against the
  forest, and any correct forest passes whatever trees it grew. The randomness is judged by its effects:
  trees that differ (their own bootstrap samples), root features that vary with ``max_features=1`` on
  data where one feature decides everything, and forests that repeat exactly for the same
  ``random_state`` (0 included) and differ otherwise.
- The point of it all: on the wine data, the forest beats one depth-limited tree (the learner's own) on
  held-out accuracy, averaged over several splits so that no single lucky split decides.
"""

import numpy as np
import pytest

from grader.learner import RemoteObject
from grader.support.checks import expect_array, expect_number_close, expect_unchanged, fail, show
from grader.support.data import blobs, learner_generator, train_test_indices, two_blobs
from grader.support.datasets import load_dataset


def one_feature_decides(rng, n_samples, n_features):
    """Noise features plus one feature whose sign is the class (|value| >= 1): a perfect root split."""
    X = rng.normal(size=(n_samples, n_features))
    decisive = int(rng.integers(n_features))
    labels = rng.permutation(np.arange(n_samples) % 2)
    X[:, decisive] = np.where(labels == 1, 1.0, -1.0) * (1.0 + rng.uniform(size=n_samples))
    return X, labels, decisive


def expect_pair(got, call):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"{call} returned {show(got)}; expected a pair (X_sample, y_sample)")
    return got


def trees_of(model, call, n_estimators):
    """The fitted trees in ``estimators_``: a list (or tuple) of ``n_estimators`` objects."""
    trees = model.estimators_
    if not isinstance(trees, (list, tuple)):
        fail(f"{call}.estimators_ is {show(trees)}; expected a list of the {n_estimators} fitted trees")
    if len(trees) != n_estimators:
        fail(f"{call}.estimators_ holds {len(trees)} trees; expected n_estimators = {n_estimators}")
    if not all(isinstance(tree, RemoteObject) for tree in trees):
        fail(f"{call}.estimators_ is {show(trees)}; expected a list of fitted DecisionTreeClassifier objects")
    return list(trees)


def votes_of(trees, X, call):
    """Every tree's predictions for ``X``: shape (n_trees, n_samples)."""
    return np.array([
        expect_array(tree.predict(X), f"{call}.estimators_[{k}].predict(X_test)", (len(X),), numeric=False)
        for k, tree in enumerate(trees)
    ])


def vote_counts(votes, classes):
    """counts[i, k]: how many trees vote classes[k] for sample i."""
    return (votes[:, :, None] == np.asarray(classes)).sum(axis=0)


def tally(votes, classes):
    """'label: count' for each class, e.g. "4: 39, 8: 1"."""
    return ", ".join(f"{label!r}: {int(np.sum(votes == label))}" for label in np.asarray(classes).tolist())


def root_features(trees, call):
    features = []
    for k, tree in enumerate(trees):
        feature = tree.root_.feature
        if isinstance(feature, (bool, np.bool_)) or not isinstance(feature, (int, np.integer)):
            fail(f"{call}.estimators_[{k}].root_.feature is {show(feature)}; expected the index of the "
                 "feature the root splits on (the data has two classes, so the root is not a leaf)")
        features.append(int(feature))
    return np.array(features)


def expect_classes(model, y, call):
    classes = model.classes_
    expected = np.unique(y)
    if not isinstance(classes, np.ndarray) or classes.tolist() != expected.tolist():
        fail(f"{call}.classes_ is {show(classes)}; expected np.unique(y) = {expected.tolist()}")
    return classes


@pytest.mark.points(2)
def test_bootstrap_sample_keeps_rows_and_labels_together(learner, worker, rng):
    """bootstrap_sample returns n rows of X, each with its own label, and leaves X and y unchanged"""
    X = rng.normal(size=(50, 3))
    y = rng.permutation(50) + 100  # every row its own label, so a row paired with the wrong label shows
    X_stored, y_stored = worker.put(X), worker.put(y)
    call = "bootstrap_sample(X, y, rng) with X of shape (50, 3)"
    X_sample, y_sample = expect_pair(learner.bootstrap_sample(X_stored, y_stored, learner_generator(rng.integers(2**31))), call)
    expect_unchanged(X, worker.fetch(X_stored), call, "X")
    expect_unchanged(y, worker.fetch(y_stored), call, "y")
    if isinstance(X_sample, np.ndarray) and X_sample.ndim == 2 and X_sample.shape[0] != 50:
        fail(f"{call} returned X_sample with {X_sample.shape[0]} rows; expected 50 — a bootstrap sample has "
             "as many rows as X (n draws, with replacement)")
    X_sample = expect_array(X_sample, f"{call}: X_sample", (50, 3))
    y_sample = expect_array(y_sample, f"{call}: y_sample", (50,))
    matches = np.all(X_sample[:, None, :] == X[None, :, :], axis=2)  # matches[i, j]: sample row i is row j of X
    strangers = np.flatnonzero(~matches.any(axis=1))
    if strangers.size:
        i = int(strangers[0])
        fail(f"{call}: X_sample[{i}] = {show(X_sample[i])} is not a row of X; expected whole rows of X, X[indices]")
    source = np.argmax(matches, axis=1)
    mismatched = np.flatnonzero(y_sample != y[source])
    if mismatched.size:
        i = int(mismatched[0])
        fail(f"{call}: X_sample[{i}] is row {source[i]} of X, but y_sample[{i}] = {y_sample[i]}, not that row's "
             f"label y[{source[i]}] = {y[source[i]]} ({mismatched.size} of 50 rows have a stranger's label) — "
             "draw the indices once and return X[indices], y[indices]")
    call = "bootstrap_sample(X, y, rng) with X and y plain Python lists"
    X_list, y_list = expect_pair(learner.bootstrap_sample(X.tolist(), y.tolist(), learner_generator(rng.integers(2**31))), call)
    expect_array(X_list, f"{call}: X_sample", (50, 3))
    expect_array(y_list, f"{call}: y_sample", (50,))


@pytest.mark.points(2)
def test_bootstrap_sample_draws_with_replacement(learner, worker, rng):
    """bootstrap_sample draws with replacement: about 63% distinct rows, and every row can be drawn"""
    n = 1000
    X = np.arange(n, dtype=float)[:, None]
    call = "bootstrap_sample(X, y, rng) with 1000 rows"
    X_sample, _ = expect_pair(learner.bootstrap_sample(X, np.arange(n), learner_generator(rng.integers(2**31))), call)
    X_sample = expect_array(X_sample, f"{call}: X_sample", (n, 1))
    distinct = np.unique(X_sample[:, 0]).size / n
    if distinct == 1.0:
        fail(f"{call}: every row of X appears exactly once in X_sample — that is a shuffle (a permutation), "
             "not a bootstrap sample; draw n indices WITH replacement (rng.integers(0, n, size=n))")
    if not 0.58 <= distinct <= 0.69:
        fail(f"{call}: {distinct:.1%} of the rows of X appear in X_sample; expected about 63% "
             "(1 - (1 - 1/n)^n, from n independent uniform draws with replacement)")
    # Many small samples from one generator: every row must be drawn at some point (400 draws of 10 rows).
    shared = worker.put(learner_generator(rng.integers(2**31)))
    X = np.arange(10, dtype=float)[:, None]
    seen = np.zeros(10, dtype=int)
    samples = []
    for _ in range(40):
        X_sample, _ = expect_pair(learner.bootstrap_sample(X, np.arange(10), shared), "bootstrap_sample(X, y, rng)")
        X_sample = expect_array(X_sample, "bootstrap_sample(X, y, rng) with 10 rows: X_sample", (10, 1))
        if not np.all(np.isin(X_sample, X)):
            fail(f"bootstrap_sample(X, y, rng) returned X_sample = {show(X_sample[:, 0])} (as a column) for X = "
                 "[[0], [1], ..., [9]]; expected rows of X only")
        samples.append(X_sample[:, 0])
        seen += np.bincount(X_sample[:, 0].astype(int), minlength=10)[:10]
    if all(np.array_equal(sample, samples[0]) for sample in samples):
        fail("bootstrap_sample(X, y, rng) returned the same sample 40 times in a row from one generator: "
             "draw the indices from the rng you are given (rng.integers), so each call continues its stream")
    never = np.flatnonzero(seen == 0)
    if never.size:
        fail(f"in 40 calls of bootstrap_sample(X, y, rng) on 10 rows (400 draws), row(s) {never.tolist()} of X "
             "were never drawn; expected every row about 40 times — indices go from 0 to n - 1: "
             "rng.integers(0, n, size=n) (the upper end n is excluded)")


@pytest.mark.points(1)
def test_bootstrap_sample_takes_its_randomness_from_rng(learner, rng):
    """bootstrap_sample uses only the rng it is given: the same seed gives the same sample, another seed another"""
    X = rng.normal(size=(30, 2))
    y = rng.integers(0, 3, size=30)
    seed = int(rng.integers(2**31))
    call = f"bootstrap_sample(X, y, np.random.default_rng({seed}))"
    first, _ = expect_pair(learner.bootstrap_sample(X, y, learner_generator(seed)), call)
    again, _ = expect_pair(learner.bootstrap_sample(X, y, learner_generator(seed)), call)
    other, _ = expect_pair(learner.bootstrap_sample(X, y, learner_generator(seed + 1)), call)
    first = expect_array(first, f"{call}: X_sample", (30, 2))
    again = expect_array(again, f"{call} (a second time): X_sample", (30, 2))
    other = expect_array(other, f"bootstrap_sample(X, y, np.random.default_rng({seed + 1})): X_sample", (30, 2))
    if not np.array_equal(first, again):
        fail(f"{call} returned two different samples for two generators with the same seed: take every random "
             "number from rng (rng.integers), not from np.random.* or a generator of your own")
    if np.array_equal(first, other):
        fail(f"bootstrap_sample(X, y, rng) returned the same sample for generators seeded {seed} and {seed + 1}: "
             "draw the indices from the rng you are given")


@pytest.mark.points(1)
def test_fit_learns_the_forest(learner, rng):
    """fit returns self with classes_, n_features_in_ and n_estimators fitted trees (a fresh list each fit)"""
    X, labels, _ = blobs(rng, 60, 3, n_features=4, cluster_std=1.0, min_distance=3.0)
    y = np.array([3, 7, 11])[labels]
    model = learner.RandomForestClassifier(n_estimators=7, random_state=int(rng.integers(1000)))
    call = "RandomForestClassifier(n_estimators=7).fit(X, y)"
    returned = model.fit(X, y)
    if returned is not model:
        fail(f"{call} returned {returned!r}; expected the forest itself (end fit with `return self`)")
    expect_classes(model, y, call)
    n_features = model.n_features_in_
    if isinstance(n_features, (bool, np.bool_)) or not isinstance(n_features, (int, np.integer)) or n_features != 4:
        fail(f"{call}.n_features_in_ is {show(n_features)}; expected 4 (the number of columns of X)")
    trees = trees_of(model, call, 7)
    predicted = expect_array(trees[0].predict(X), f"{call}.estimators_[0].predict(X)", (60,))
    if not set(predicted.tolist()) <= {3, 7, 11}:
        fail(f"{call}.estimators_[0].predict(X) returned {show(predicted)}; expected labels from y (3, 7 or 11): "
             "each tree is fitted on (a bootstrap sample of) X and y")
    model.fit(X[:40], y[:40])
    if len(model.estimators_) != 7:
        fail(f"after a second fit, estimators_ holds {len(model.estimators_)} trees; expected 7 — start a new "
             "list in fit (self.estimators_ = []), so that fitting again replaces the old trees")


@pytest.mark.points(1)
def test_tree_settings_are_handed_to_the_trees(learner, rng):
    """max_depth and min_samples_split are handed to every tree"""
    X, labels, _ = blobs(rng, 80, 3, n_features=2, cluster_std=1.0, min_distance=2.0)
    call = "RandomForestClassifier(n_estimators=6, max_depth=2).fit(X, y)"
    model = learner.RandomForestClassifier(n_estimators=6, max_depth=2, random_state=int(rng.integers(1000))).fit(X, labels)
    for k, tree in enumerate(trees_of(model, call, 6)):
        depth = tree.get_depth()
        if depth != 2:
            fail(f"{call}: estimators_[{k}].get_depth() is {show(depth)}; expected 2 on overlapping classes "
                 "— hand max_depth to every DecisionTreeClassifier you make")
    call = "RandomForestClassifier(n_estimators=4, min_samples_split=81).fit(X, y) with 80 samples"
    model = learner.RandomForestClassifier(n_estimators=4, min_samples_split=81, random_state=int(rng.integers(1000))).fit(X, labels)
    for k, tree in enumerate(trees_of(model, call, 4)):
        depth = tree.get_depth()
        if depth != 0:
            fail(f"{call}: estimators_[{k}].get_depth() is {show(depth)}; expected 0 (a single leaf: no node has "
                 "81 samples to split) — hand min_samples_split to every DecisionTreeClassifier you make")


@pytest.mark.points(2)
def test_max_features_is_handed_to_the_trees(learner, rng):
    """with max_features=1 the trees' root features vary, even where one feature decides the class; with None nearly all split on it"""
    X, labels, decisive = one_feature_decides(rng, 60, 5)
    call = "RandomForestClassifier(n_estimators=30, max_features=1, random_state=...).fit(X, y)"
    model = learner.RandomForestClassifier(n_estimators=30, max_features=1, random_state=int(rng.integers(1000))).fit(X, labels)
    roots = root_features(trees_of(model, call, 30), call)
    if np.all(roots == decisive):
        fail(f"{call}: all 30 trees split their root on feature {decisive}, the one that decides the class; "
             "expected other features at many roots, since with max_features=1 each split sees one random "
             "feature — hand max_features to every DecisionTreeClassifier (and a different seed to each)")
    if np.all(roots == roots[0]):
        fail(f"{call}: all 30 trees split their root on feature {roots[0]}; expected the root features to vary "
             "— does every tree get the same random_state? Draw a new seed for each tree from the forest's generator")
    if np.unique(roots).size < 3 or np.mean(roots == decisive) > 0.6:
        fail(f"{call}: the trees' root features are {roots.tolist()}; with max_features=1 each is a random one "
             f"of the 5 features, so expected about 6 of 30 on feature {decisive} and the others spread out")
    call = "RandomForestClassifier(n_estimators=20, max_features=None, random_state=...).fit(X, y)"
    model = learner.RandomForestClassifier(n_estimators=20, max_features=None, random_state=int(rng.integers(1000))).fit(X, labels)
    roots = root_features(trees_of(model, call, 20), call)
    if np.mean(roots == decisive) < 0.9:
        fail(f"{call}: only {int(np.sum(roots == decisive))} of 20 trees split their root on feature {decisive}, "
             f"which alone separates the classes (root features: {roots.tolist()}); with max_features=None every "
             "feature is a candidate at every split, so nearly all should")


@pytest.mark.points(2)
def test_each_tree_learns_from_its_own_bootstrap_sample(learner, rng):
    """each tree is fitted on its own bootstrap sample of n rows, so the trees differ"""
    X, labels = two_blobs(rng, 80, 2, separation=1.0)
    X_test = rng.normal(size=(200, 2)) * 1.5 + X.mean(axis=0)
    call = "RandomForestClassifier(n_estimators=8, max_features=None).fit(X, y) with 80 samples"
    model = learner.RandomForestClassifier(n_estimators=8, max_features=None, random_state=int(rng.integers(1000))).fit(X, labels)
    trees = trees_of(model, call, 8)
    for k, tree in enumerate(trees):
        n_samples = tree.root_.n_samples
        if n_samples != 80:
            fail(f"{call}: estimators_[{k}].root_.n_samples is {show(n_samples)}; expected 80 — each tree is "
                 "fitted on a bootstrap sample as large as the training set")
    votes = votes_of(trees, X_test, call)
    distinct = len({tuple(row.tolist()) for row in votes})
    if distinct == 1:
        fail(f"{call}: all 8 trees make exactly the same predictions on 200 new points; expected trees that "
             "differ — fit each tree on its own bootstrap sample, drawn anew for every tree")
    if distinct < 5:
        fail(f"{call}: the 8 trees make only {distinct} different sets of predictions on 200 new points; "
             "expected nearly all to differ — draw a new bootstrap sample for every tree")


@pytest.mark.points(2)
def test_random_state_makes_the_forest_reproducible(learner, rng):
    """the same random_state (0 included) gives the same forest; another random_state, or None, another forest"""
    X, labels = two_blobs(rng, 60, 4, separation=1.5)
    X_test = rng.normal(size=(100, 4)) * 1.5 + X.mean(axis=0)

    def proba(random_state):
        model = learner.RandomForestClassifier(n_estimators=6, max_features=2, random_state=random_state).fit(X, labels)
        return expect_array(model.predict_proba(X_test), f"RandomForestClassifier(random_state={random_state}).predict_proba(X_test)", (100, 2))

    seed = int(rng.integers(1, 1000))
    same_seed = np.array_equal(proba(seed), proba(seed))
    zero = proba(0)
    if not np.array_equal(zero, proba(0)):
        if same_seed:
            fail("two forests fitted with random_state=0 on the same data differ, though random_state="
                 f"{seed} gives the same forest twice: 0 is a seed like any other — pass random_state to "
                 "np.random.default_rng as it is (no `if self.random_state:`)")
        fail("two forests fitted with the same random_state on the same data differ; expected the same forest "
             "— make one generator, np.random.default_rng(random_state), in fit and draw every random number "
             "from it (the bootstrap rows, the trees' seeds), never from np.random.*")
    if not same_seed:
        fail(f"two forests fitted with random_state={seed} on the same data differ (with random_state=0 they "
             "do not); expected the same forest — draw every random number from np.random.default_rng(random_state)")
    if np.array_equal(zero, proba(1)):
        fail("forests fitted with random_state=0 and random_state=1 are the same; expected different forests "
             "— seed the forest's generator with random_state")
    if np.array_equal(proba(None), proba(None)):
        fail("two forests fitted with random_state=None are the same; expected different forests — "
             "np.random.default_rng(None) gives fresh randomness each time")


@pytest.mark.points(2)
def test_predict_is_the_majority_vote(learner, rng):
    """predict returns, for each sample, the label that most trees vote for"""
    X, labels, _ = blobs(rng, 90, 3, n_features=2, cluster_std=1.0, min_distance=2.0)
    y = np.array([2, 5, 9])[labels]
    X_test = rng.normal(size=(150, 2)) * X.std(axis=0) + X.mean(axis=0)
    call = "RandomForestClassifier(n_estimators=9).fit(X, y) with labels 2, 5, 9"
    model = learner.RandomForestClassifier(n_estimators=9, random_state=int(rng.integers(1000))).fit(X, y)
    classes = expect_classes(model, y, call)
    votes = votes_of(trees_of(model, call, 9), X_test, call)
    counts = vote_counts(votes, classes)
    expected = classes[np.argmax(counts, axis=1)]
    got = expect_array(model.predict(X_test), f"{call}.predict(X_test)", (150,))
    strangers = ~np.isin(got, classes)
    if strangers.any():
        i = int(np.flatnonzero(strangers)[0])
        fail(f"{call}.predict(X_test)[{i}] is {got[i]}, not one of the labels [2, 5, 9] (the trees voted "
             f"{votes[:, i].tolist()}) — take the most common vote, not the mean of the labels")
    wrong = np.flatnonzero(got != expected)
    if wrong.size:
        i = int(wrong[0])
        if np.array_equal(got, votes[0]):
            fail(f"{call}.predict(X_test) returned the first tree's predictions; expected the majority vote of "
                 f"all 9 trees (at sample {i} they voted {votes[:, i].tolist()}: expected {expected[i]})")
        fail(f"{call}.predict(X_test)[{i}] is {got[i]}; the trees voted {votes[:, i].tolist()} "
             f"({tally(votes[:, i], classes)}), so "
             f"expected {expected[i]} (the most votes; on a tie, the first of classes_) — "
             f"{wrong.size} of 150 predictions differ from the majority vote")


@pytest.mark.points(1)
def test_ties_go_to_the_first_class(learner, rng):
    """when the trees' votes tie, predict returns the first of classes_"""
    X, labels = two_blobs(rng, 60, 2, separation=0.5)
    y = np.array(["no", "yes"])[labels]
    X_test = rng.normal(size=(300, 2)) * X.std(axis=0) + X.mean(axis=0)
    call = "RandomForestClassifier(n_estimators=2).fit(X, y) with labels 'no', 'yes'"
    for _ in range(10):  # two trees on different bootstrap samples of overlapping classes disagree somewhere
        model = learner.RandomForestClassifier(n_estimators=2, random_state=int(rng.integers(10**6))).fit(X, y)
        votes = votes_of(trees_of(model, call, 2), X_test, call)
        no_then_yes = (votes[0] == "no") & (votes[1] == "yes")
        yes_then_no = (votes[0] == "yes") & (votes[1] == "no")
        if no_then_yes.any() and yes_then_no.any():
            break
    else:
        fail(f"{call}: in 10 forests of 2 trees on overlapping classes, the two trees never disagreed in both "
             "ways on 300 new points — do the trees get their own bootstrap samples?")
    got = expect_array(model.predict(X_test), f"{call}.predict(X_test)", (300,), numeric=False)
    for tie, order in ((yes_then_no, "'yes', 'no'"), (no_then_yes, "'no', 'yes'")):
        if np.any(got[tie] != "no"):
            i = int(np.flatnonzero(tie & (got != "no"))[0])
            fail(f"{call}.predict(X_test)[{i}] is {got[i].item()!r}; the two trees voted {order}, a tie, so expected "
                 "'no', the first of classes_ — count the votes in the order of classes_ and take the first "
                 "maximum (np.argmax does), not the first or last label voted")


@pytest.mark.points(2)
def test_predict_proba_counts_the_votes_by_label(learner, rng):
    """predict_proba gives each class's share of the votes, columns as in classes_, also from trees that never saw a class"""
    X, labels = two_blobs(rng, 39, 2, separation=2.0)
    rare = X.mean(axis=0) + 6.0 * X.std(axis=0)  # one far-away sample of the first class: many bootstraps miss it
    X = np.vstack([X, rare])
    y = np.append(np.array([4, 8])[labels], 1)
    X_test = np.vstack([rng.normal(size=(60, 2)) * X[:-1].std(axis=0) + X[:-1].mean(axis=0), rare])
    call = "RandomForestClassifier(n_estimators=40).fit(X, y) with labels 1 (one sample), 4, 8"
    model = learner.RandomForestClassifier(n_estimators=40, random_state=int(rng.integers(1000))).fit(X, y)
    classes = expect_classes(model, y, call)
    votes = votes_of(trees_of(model, call, 40), X_test, call)
    expected = vote_counts(votes, classes) / 40
    got = expect_array(model.predict_proba(X_test), f"{call}.predict_proba(X_test)", (61, 3))
    if not np.allclose(got.sum(axis=1), 1.0):
        i = int(np.argmax(np.abs(got.sum(axis=1) - 1.0)))
        fail(f"{call}.predict_proba(X_test)[{i}] is {show(got[i])}, summing to {got[i].sum():.4g}; expected "
             "each row to sum to 1 (the fraction of trees voting for each class)")
    if not np.allclose(got, expected, atol=1e-9):
        i = int(np.argmax(np.abs(got - expected).max(axis=1)))
        if np.allclose(got, expected[:, ::-1], atol=1e-9):
            fail(f"{call}.predict_proba(X_test) has its columns in the wrong order; expected column k to be "
                 "the share of votes for classes_[k]")
        fail(f"{call}.predict_proba(X_test)[{i}] is {show(got[i])}; the 40 trees voted ({tally(votes[:, i], classes)}), "
             f"so expected {show(expected[i])} "
             "(columns ordered as classes_ = [1, 4, 8]) — many bootstrap samples miss label 1, so those trees' "
             "classes_ are only [4, 8]: count each vote by its label, not by its position in the tree's classes_")
    predicted = expect_array(model.predict(X_test), f"{call}.predict(X_test)", (61,))
    wrong = np.flatnonzero(predicted != classes[np.argmax(expected, axis=1)])
    if wrong.size:
        i = int(wrong[0])
        fail(f"{call}.predict(X_test)[{i}] is {predicted[i]}; the 40 trees voted ({tally(votes[:, i], classes)}), so "
             f"expected {classes[np.argmax(expected[i])]} (the most votes; on a tie, the first of classes_) — "
             f"{wrong.size} of 61 predictions differ from the majority vote")


@pytest.mark.points(1)
def test_labels_come_back_as_given(learner, rng):
    """classes_ and predict use the labels as given (strings, -1/1), and score is the accuracy"""
    X, labels, _ = blobs(rng, 90, 3, n_features=2, cluster_std=1.0, min_distance=8.0)
    for values in (np.array(["ant", "bee", "cat"]), np.array([-1, 1, 1])):
        y = values[labels]
        call = f"RandomForestClassifier(n_estimators=10).fit(X, y) with labels {np.unique(values).tolist()}"
        model = learner.RandomForestClassifier(n_estimators=10, random_state=int(rng.integers(1000))).fit(X, y)
        expect_classes(model, y, call)
        predicted = expect_array(model.predict(X), f"{call}.predict(X)", (90,), numeric=False)
        if not set(predicted.tolist()) <= set(values.tolist()):
            fail(f"{call}.predict(X) returned {show(predicted)}; expected labels from classes_ "
                 f"{np.unique(values).tolist()}, not positions or numbers")
        accuracy = float(np.mean(predicted == y))
        if accuracy < 0.95:
            fail(f"{call}.predict(X) is right for only {accuracy:.0%} of the training samples on well-separated "
                 "classes; expected over 95%")
        expect_number_close(model.score(X, y), accuracy, f"{call}.score(X, y)", why="(the fraction of correct predictions)")


@pytest.mark.points(1)
def test_inputs_unchanged_and_lists_accepted(learner, worker, rng):
    """fit and predict leave X and y unchanged, and accept plain Python lists"""
    X, labels = two_blobs(rng, 50, 3, separation=3.0)
    X_stored, y_stored = worker.put(X), worker.put(labels)
    call = "RandomForestClassifier(n_estimators=5).fit(X, y)"
    model = learner.RandomForestClassifier(n_estimators=5, random_state=int(rng.integers(1000))).fit(X_stored, y_stored)
    expect_unchanged(X, worker.fetch(X_stored), call, "X")
    expect_unchanged(labels, worker.fetch(y_stored), call, "y")
    model.predict(X_stored)
    expect_unchanged(X, worker.fetch(X_stored), f"{call}.predict(X)", "X")
    call = "RandomForestClassifier(n_estimators=5).fit(X, y) with X and y plain Python lists"
    model = learner.RandomForestClassifier(n_estimators=5, random_state=int(rng.integers(1000))).fit(X.tolist(), labels.tolist())
    expect_array(model.predict(X[:7].tolist()), f"{call}.predict(X) for 7 rows given as a list", (7,))
    expect_array(model.predict_proba(X[:7].tolist()), f"{call}.predict_proba(X) for 7 rows given as a list", (7, 2))


@pytest.mark.points(3)
def test_forest_beats_a_single_tree_on_wine(learner, rng):
    """on the wine data, the forest's held-out accuracy beats one depth-limited tree's (averaged over 4 splits)"""
    data = load_dataset("wine")
    forest_accuracy, tree_accuracy = [], []
    for _ in range(4):
        train, test = train_test_indices(rng, len(data.target), 0.3)
        X_train, y_train, X_test, y_test = data.data[train], data.target[train], data.data[test], data.target[test]
        # The baseline is the learner's own tree (the one the forest imports), so like is compared with like.
        tree = learner.DecisionTreeClassifier(max_depth=3).fit(X_train, y_train)
        predicted = expect_array(tree.predict(X_test), "DecisionTreeClassifier(max_depth=3).predict(X_test)", (len(test),))
        tree_accuracy.append(float(np.mean(predicted == y_test)))
        forest = learner.RandomForestClassifier(n_estimators=25, random_state=int(rng.integers(1000))).fit(X_train, y_train)
        predicted = expect_array(forest.predict(X_test), "RandomForestClassifier(n_estimators=25).predict(X_test)", (len(test),))
        forest_accuracy.append(float(np.mean(predicted == y_test)))
    forest_mean, tree_mean = np.mean(forest_accuracy), np.mean(tree_accuracy)
    # Reference over 200 repetitions: forest 0.976 on average (never below 0.95), tree 0.90, gap never below 0.018.
    if forest_mean < 0.92 or forest_mean <= tree_mean:
        fail(f"on the wine data (4 random splits, 30% held out), RandomForestClassifier(n_estimators=25) reached "
             f"a held-out accuracy of {forest_mean:.3f} on average ({', '.join(f'{a:.2f}' for a in forest_accuracy)}), "
             f"one DecisionTreeClassifier(max_depth=3) {tree_mean:.3f}; expected the forest to reach at least 0.92 "
             "and to beat the single tree (a correct forest reaches about 0.97): a majority vote of trees grown on "
             "their own bootstrap samples, with max_features handed to them")
