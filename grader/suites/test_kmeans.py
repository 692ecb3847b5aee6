"""Hidden suite for exercise 10, kmeans.

What is judged, and why:

- ``kmeans_plus_plus`` by what the draw must be, never by exact values: its centres are rows of ``X``,
  never the same row twice, all randomness from the ``rng`` passed in; over many draws it puts one centre
  in each of ``k`` well-separated blobs far more often than uniform sampling could; on far-apart groups
  of three points at 0, 1 and 3 on a line, a group's second centre is the nearer remaining point about
  as often as probabilities proportional to the SQUARED distance predict (a z-test at 4.5 standard
  deviations: plain distances and uniform draws are far off); and it survives data with fewer distinct
  points than centres.
- ``KMeans`` by its results. Cluster numbers are arbitrary, so a clustering is compared with the blobs
  that generated the data as a partition (the best matching of clusters to blobs). The inertia must be
  within 1 % of the best of many runs of a small reference k-means written here. The learned attributes
  must agree with one another: ``inertia_`` is the sum of squared distances to the assigned centres,
  ``labels_`` are the nearest of the FINAL centres, and a converged centre is the mean of its points.
- The hyper-parameters by their effects: ``max_iters=1`` makes one step and a huge ``tol`` stops after
  the first, while ``tol=0`` runs on; on overlapping blobs, where one run often ends in a worse local
  minimum, the best of ``n_init=50`` runs must beat the 35 % best single runs of the reference (a correct
  fit misses with probability about 0.65 ** 50); ``random_state=0`` repeats exactly.
- The traps: an empty cluster must never give a ``nan`` centre (data with fewer distinct points than
  clusters empties one for sure); too many clusters is a ``ValueError``; inputs stay unchanged.
"""

import itertools

import numpy as np
import pytest

from grader.learner import LearnerError, LearnerNotStarted, LearnerTimeout
from grader.support.checks import expect_array, expect_float, expect_unchanged, expect_value_error, fail, show
from grader.support.data import blobs, learner_generator


# --- a small reference k-means -------------------------------------------------------------------------
def squared_distances(X, centers):
    return ((X[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)


def reference_run(X, k, rng, max_iters=300):
    """One k-means++ start and Lloyd's iterations until the labels stop changing; returns the inertia."""
    n_samples = len(X)
    centers = np.empty((k, X.shape[1]))
    centers[0] = X[rng.integers(n_samples)]
    d2 = squared_distances(X, centers[:1])[:, 0]
    for j in range(1, k):
        centers[j] = X[rng.choice(n_samples, p=d2 / d2.sum())]
        d2 = np.minimum(d2, squared_distances(X, centers[j : j + 1])[:, 0])
    labels = None
    for _ in range(max_iters):
        new_labels = squared_distances(X, centers).argmin(axis=1)
        if labels is not None and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        counts = np.bincount(labels, minlength=k)
        sums = np.zeros_like(centers)
        np.add.at(sums, labels, X)
        filled = counts > 0  # an empty cluster keeps its centre
        centers[filled] = sums[filled] / counts[filled, None]
    return float(squared_distances(X, centers).min(axis=1).sum())


def reference_inertias(X, k, rng, runs):
    return np.array([reference_run(X, k, rng) for _ in range(runs)])


# --- checks --------------------------------------------------------------------------------------------
def fitted(model, call, X, k):
    """The learned attributes of a fitted model, each checked for type and shape."""
    centers = expect_centers(model.cluster_centers_, f"{call}.cluster_centers_", k, X.shape[1])
    labels = expect_labels(model.labels_, f"{call}.labels_", len(X), k)
    inertia = expect_float(model.inertia_, f"{call}.inertia_")
    return centers, labels, inertia


def expect_centers(got, call, k, n_features):
    if isinstance(got, np.ndarray) and np.issubdtype(got.dtype, np.floating) and np.isnan(got).any():
        rows = sorted({int(i) for i in np.argwhere(np.isnan(got))[:, 0]}) if got.ndim == 2 else []
        fail(f"{call} contains nan (rows {rows}): {show(got)} — a cluster with no points got the mean of nothing. "
             "When a cluster is empty, keep its old centre or move it to the point farthest from its centre")
    return expect_array(got, call, (k, n_features))


def expect_labels(got, call, n_samples, k):
    got = expect_array(got, call, (n_samples,))
    if not np.issubdtype(got.dtype, np.integer):
        fail(f"{call} has dtype {got.dtype}; expected integers, the index of each point's cluster (argmin gives them)")
    if got.min() < 0 or got.max() >= k:
        fail(f"{call} holds values from {got.min()} to {got.max()}; expected cluster indices 0 to {k - 1}")
    return got


def not_nearest(X, centers, labels):
    """Indices of the points whose label is not (one of) their nearest centre(s), allowing for rounding."""
    distances = squared_distances(X, centers)
    nearest = distances.min(axis=1)
    slack = 1e-9 * (1.0 + distances.max())
    return np.flatnonzero(distances[np.arange(len(X)), labels] > nearest + slack)


def inertia_of(X, centers, labels):
    return float(((X - centers[labels]) ** 2).sum())


def agreement(labels, truth, k):
    """The fraction of points whose cluster matches their blob, under the best one-to-one matching."""
    table = np.zeros((k, k), dtype=int)
    np.add.at(table, (labels, truth), 1)
    best = max(sum(table[j, perm[j]] for j in range(k)) for perm in itertools.permutations(range(k)))
    return best / len(labels), table


def rows_of(centers, X, call):
    """The row of X each centre is a copy of; fails if a centre is not a row of X."""
    distances = squared_distances(centers, X)
    index = distances.argmin(axis=1)
    off = np.flatnonzero(distances[np.arange(len(centers)), index] > 1e-20 * (1.0 + (X**2).sum(axis=1).max()))
    if off.size:
        fail(f"{call}: centre {int(off[0])} is {show(centers[off[0]])}, which is not a row of X; k-means++ picks its "
             "centres among the data points (X[index])")
    return index


# --- kmeans_plus_plus ----------------------------------------------------------------------------------
@pytest.mark.points(1)
def test_kmeans_plus_plus_picks_distinct_rows(learner, worker, rng):
    """kmeans_plus_plus returns k different rows of X, drawn from the rng it is given"""
    X = rng.normal(size=(30, 3))
    X_stored = worker.put(X)
    draw = learner.kmeans_plus_plus
    call = "kmeans_plus_plus(X, 8, rng) with X of shape (30, 3)"
    seeds = rng.integers(2**31, size=8)
    for seed in seeds:
        centers = expect_centers(draw(X_stored, 8, learner_generator(seed)), call, 8, 3)
        index = rows_of(centers, X, call)
        if len(set(index.tolist())) < 8:
            fail(f"{call} picked row(s) {sorted({int(i) for i in index if np.sum(index == i) > 1})} more than once "
                 f"(rows {index.tolist()}); a point that is already a centre has squared distance 0 to the nearest "
                 "centre, so its probability must be 0")
    again = draw(X_stored, 8, learner_generator(seeds[-1]))
    if not (isinstance(again, np.ndarray) and np.array_equal(again, centers)):
        fail(f"{call} gave different centres for two generators with the same seed ({show(centers)}, then "
             f"{show(again)}); draw every random number from rng (rng.integers, rng.choice), never from "
             "np.random or random")
    expect_unchanged(X, worker.fetch(X_stored), call, "X")


@pytest.mark.points(1)
def test_kmeans_plus_plus_fewer_distinct_points(learner, rng):
    """kmeans_plus_plus copes with fewer distinct points than centres (every distance 0 at the end)"""
    points = rng.normal(size=(3, 2))
    X = points[rng.permutation(np.arange(12) % 3)]
    call = "kmeans_plus_plus(X, 5, rng) on 12 points with only 3 distinct values"
    for seed in rng.integers(2**31, size=3):
        try:
            centers = learner.kmeans_plus_plus(X, 5, learner_generator(seed))
        except (LearnerNotStarted, LearnerTimeout):
            raise
        except LearnerError as error:
            fail(f"{call} raised {error.type_name}: {error.message} — once every distinct point is a centre, every "
                 "squared distance is 0 and d2 / d2.sum() is 0 / 0 = nan: draw uniformly (rng.choice(n_samples)) "
                 "when d2.sum() is 0")
        centers = expect_centers(centers, call, 5, 2)
        rows_of(centers, X, call)
        missing = [i for i in range(3) if not np.any(np.all(centers == points[i], axis=1))]
        if missing:
            fail(f"{call} returned {show(centers)}, which misses the distinct point {show(points[missing[0]])}; "
                 "k-means++ picks every distinct point before repeating one (the others have distance 0)")


@pytest.mark.points(2)
def test_kmeans_plus_plus_spreads_centres(learner, worker, rng):
    """on 5 well-separated blobs, k-means++ nearly always puts one centre in each blob"""
    X, truth, _ = blobs(rng, 300, 5, 2, cluster_std=0.3, min_distance=10.0)
    X_stored, rng_stored = worker.put(X), worker.put(learner_generator(rng.integers(2**31)))
    draw = learner.kmeans_plus_plus
    call = "kmeans_plus_plus(X, 5, rng)"
    draws, spread = 40, 0
    for _ in range(draws):
        centers = expect_centers(draw(X_stored, 5, rng_stored), call, 5, 2)
        spread += len(set(truth[rows_of(centers, X, call)].tolist())) == 5
    if spread < 0.6 * draws:  # k-means++ manages at least 90% here; uniform draws about 4%
        fail(f"{call} on 5 blobs far apart (300 points): only {spread} of {draws} draws put one centre in each blob; "
             "expected nearly all (k-means++ does it over 90% of the time, uniform sampling about 4%). Draw each next "
             "centre with probability proportional to the squared distance to the NEAREST centre chosen so far "
             "(the minimum over all of them, not the last one)")


@pytest.mark.points(2)
def test_kmeans_plus_plus_draws_by_squared_distance(learner, worker, rng):
    """each next centre is drawn with probability proportional to the squared distance to the nearest one"""
    # 100 groups of three points at 0, 1 and 3 on a line, the groups 1000 apart. k-means++ with k = 200 first
    # puts a centre in every group (the far groups dominate), then second centres; inside a group whose
    # centre is at 0, the next one is at 1 with p = 1 / (1 + 9), at 3 with p = 9 / 10.
    offsets, spacing, groups = np.array([0.0, 1.0, 3.0]), 1000.0, 100
    X = (spacing * np.arange(groups)[:, None] + offsets).reshape(-1, 1)
    X_stored, rng_stored = worker.put(X), worker.put(learner_generator(rng.integers(2**31)))
    draw = learner.kmeans_plus_plus
    call = "kmeans_plus_plus(X, 200, rng)"
    p_nearer = np.array([1 / 10, 1 / 5, 4 / 13])  # P(next is the nearer other point | first at 0, 1, 3)
    nearer_of = np.array([1, 0, 1])
    nearer = expected = variance = 0.0
    seconds, first_rows = 0, set()
    for _ in range(8):
        centers = expect_centers(draw(X_stored, 2 * groups, rng_stored), call, 2 * groups, 1)
        rows = rows_of(centers, X, call)
        first_rows.add(int(rows[0]))
        chosen = {}
        for row in rows.tolist():
            group, point = divmod(row, 3)
            chosen.setdefault(group, []).append(point)
            if len(chosen[group]) == 2:
                first, second = chosen[group]
                if first == second:
                    fail(f"{call} picked the row {row} twice, though its squared distance to the nearest centre "
                         "(itself) was 0")
                seconds += 1
                nearer += second == nearer_of[first]
                expected += p_nearer[first]
                variance += p_nearer[first] * (1 - p_nearer[first])
    if len(first_rows) == 1:
        fail(f"{call}: 8 draws from one generator all started with the row {first_rows.pop()}; the first centre is a "
             "row drawn uniformly at random (rng.integers(n_samples))")
    if abs(nearer - expected) > 4.5 * np.sqrt(variance):  # a correct draw lands outside with probability < 1e-5
        fail(f"{call} on 100 far-apart groups of three points at 0, 1 and 3 (plus 1000 per group): when a group got "
             f"its second centre, it was the NEARER of the two remaining points {nearer / seconds:.0%} of the time "
             f"({seconds} cases); expected about {expected / seconds:.0%}, as with probabilities proportional to "
             "the squared distance (first at 0: the point at 1 has p = 1/10; first at 1: the point at 0 has p = 1/5; "
             "first at 3: the point at 1 has p = 4/13). Probabilities proportional to the plain distance give about "
             "33%, uniform draws 50%: use p = d2 / d2.sum(), d2 the SQUARED distance to the nearest centre so far")


# --- KMeans --------------------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_blobs_found_up_to_permutation(learner, rng):
    """on 4 well-separated blobs, the clusters are the blobs (whatever number each cluster gets)"""
    X, truth, _ = blobs(rng, 240, 4, 2, cluster_std=1.0, min_distance=10.0)
    call = "KMeans(n_clusters=4, random_state=0).fit(X)"
    model = learner.KMeans(n_clusters=4, random_state=0).fit(X)
    _, labels, _ = fitted(model, call, X, 4)
    share, table = agreement(labels, truth, 4)
    if share < 0.99:
        merged = [j for j in range(4) if np.count_nonzero(table[j] > 5) > 1]
        why = (f" Cluster {merged[0]} spans several blobs: a local minimum, where k-means++ starts and n_init restarts "
               "should have found the clusters.") if merged else ""
        fail(f"{call} on 4 blobs far apart (240 points): the clusters match the blobs for only {share:.0%} of the points, "
             f"even with the best matching of cluster numbers to blobs; expected at least 99%.{why} (Rows: clusters, "
             f"columns: blobs, counts: {table.tolist()})")


@pytest.mark.points(2)
def test_inertia_near_the_best(learner, rng):
    """on well-separated blobs, inertia_ is within 1% of the best a reference k-means finds"""
    X, _, _ = blobs(rng, 300, 5, 3, cluster_std=1.0, min_distance=10.0)
    best = float(reference_inertias(X, 5, rng, 20).min())
    call = "KMeans(n_clusters=5, random_state=0).fit(X)"
    centers, labels, inertia = fitted(learner.KMeans(n_clusters=5, random_state=0).fit(X), call, X, 5)
    if inertia < 0.99 * best:
        fail(f"{call}.inertia_ is {inertia:.6g}, below the best possible, about {best:.6g} — is it the sum of SQUARED "
             f"distances from each point to its centre? (The squared distances of your labels_ and centres sum to "
             f"{inertia_of(X, centers, labels):.6g}.)")
    if inertia > 1.01 * best:
        fail(f"{call}.inertia_ is {inertia:.6g}; a reference k-means reached {best:.6g} on these 5 blobs (300 points): "
             "more than 1% better. The clustering is stuck in a worse local minimum, or the iterations stop too "
             "early: start from k-means++, keep the best of n_init runs, iterate until no centre moves more than tol")


@pytest.mark.points(1)
def test_inertia_matches_centres_and_labels(learner, rng):
    """inertia_ is the sum of squared distances from each point to its centre in cluster_centers_"""
    X = rng.normal(size=(150, 3)) * rng.uniform(0.5, 3.0, size=3)
    call = "KMeans(n_clusters=4, n_init=2, random_state=1).fit(X)"
    centers, labels, inertia = fitted(learner.KMeans(n_clusters=4, n_init=2, random_state=1).fit(X), call, X, 4)
    expected = inertia_of(X, centers, labels)
    if np.isclose(inertia, expected, rtol=1e-6):
        return
    distances = np.sqrt(((X - centers[labels]) ** 2).sum(axis=1))
    for value, mistake in ((distances.sum(), "the sum of the distances, not of the SQUARED distances"),
                           (expected / len(X), "the MEAN squared distance; inertia is the sum"),
                           (np.sqrt(expected), "the square root of the sum; inertia is the sum itself")):
        if np.isclose(inertia, value, rtol=1e-6):
            fail(f"{call}.inertia_ is {inertia:.6g}; expected {expected:.6g}, the sum of squared distances from each "
                 f"point to its centre — you returned {mistake}")
    fail(f"{call}.inertia_ is {inertia:.6g}; expected {expected:.6g}, the sum over the points of "
         "||X[i] - cluster_centers_[labels_[i]]|| ** 2 (for the final centres and labels)")


@pytest.mark.points(2)
def test_labels_belong_to_the_final_centres(learner, rng):
    """labels_ and predict give each point its nearest centre of the final cluster_centers_"""
    X = rng.uniform(-1.0, 1.0, size=(200, 2))
    for max_iters in (1, 2, 300):
        call = f"KMeans(n_clusters=5, max_iters={max_iters}, tol=0, n_init=1, random_state=3).fit(X)"
        model = learner.KMeans(n_clusters=5, max_iters=max_iters, tol=0.0, n_init=1, random_state=3).fit(X)
        centers, labels, _ = fitted(model, call, X, 5)
        wrong = not_nearest(X, centers, labels)
        if wrong.size:
            i = int(wrong[0])
            fail(f"{call}: labels_[{i}] is {labels[i]}, but point {i} is nearer to cluster_centers_"
                 f"[{int(squared_distances(X[i:i + 1], centers).argmin())}] ({wrong.size} points are labelled so). "
                 "labels_ must belong to the FINAL centres: after the last update, assign the points once more")
        predicted = expect_labels(model.predict(X), f"{call}.predict(X)", len(X), 5)
        wrong = not_nearest(X, centers, predicted)
        if wrong.size:
            fail(f"{call}.predict(X) gives {wrong.size} points a centre that is not their nearest one in cluster_centers_")


@pytest.mark.points(2)
def test_centres_are_the_means_of_their_clusters(learner, rng):
    """after convergence, each centre is the mean of the points labelled with it"""
    X, _, _ = blobs(rng, 200, 4, 2, cluster_std=1.5, min_distance=6.0)
    call = "KMeans(n_clusters=4, tol=0, random_state=2).fit(X)"
    model = learner.KMeans(n_clusters=4, tol=0.0, random_state=2).fit(X)
    centers, labels, _ = fitted(model, call, X, 4)
    scale = np.abs(X).max()
    for j in range(4):
        members = X[labels == j]
        if len(members) == 0:
            continue
        mean = members.mean(axis=0)
        if np.allclose(centers[j], mean, rtol=1e-7, atol=1e-9 * scale):
            continue
        extra = ""
        if np.allclose(centers[j], np.median(members, axis=0), rtol=1e-7, atol=1e-9 * scale):
            extra = " — it is their median: the centre that minimises the sum of SQUARED distances is the mean"
        if not extra:
            steps = model.n_iter_
            extra = f" (the run stopped after n_iter_ = {steps} step(s): did it stop too early?)" if steps == 1 else ""
        fail(f"{call}.cluster_centers_[{j}] is {show(centers[j])}; the {len(members)} points labelled {j} have mean "
             f"{show(mean)}{extra}. After convergence (tol=0: until no centre moves) each centre is the mean of its points")


@pytest.mark.points(2)
def test_empty_cluster_never_nan(learner, worker, rng):
    """an empty cluster keeps a finite centre: data with fewer distinct points than clusters"""
    points = rng.normal(size=(3, 2)) * 5.0
    X = points[rng.permutation(np.arange(30) % 3)]
    for k in (3, 5):
        call = f"KMeans(n_clusters={k}, n_init=3, random_state=4).fit(X)"
        try:
            model = learner.KMeans(n_clusters=k, n_init=3, random_state=4).fit(X)
        except (LearnerNotStarted, LearnerTimeout):
            raise
        except LearnerError as error:
            why = (" — with 5 clusters for 3 distinct points, two clusters are bound to be empty: an empty cluster "
                   "keeps a finite centre (and in kmeans_plus_plus, once every squared distance is 0, draw uniformly)"
                   if k > 3 else "")
            fail(f"{call} on 30 points with only 3 distinct values raised {error.type_name}: {error.message}{why}")
        warned = [w for w in worker.warnings if "empty" in w["message"] or "invalid value" in w["message"]]
        try:
            centers, labels, inertia = fitted(model, call, X, k)
        except AssertionError as error:
            note = f" (numpy warned: {warned[0]['message']}, your line {warned[0]['line']})" if warned else ""
            raise AssertionError(f"On 30 points with only 3 distinct values, {error}{note}") from None
        if not_nearest(X, centers, labels).size:
            fail(f"{call}: labels_ are not the nearest of cluster_centers_ ({show(labels)} for centres {show(centers)})")
        if inertia > 1e-9 * (X**2).sum():
            fail(f"{call}.inertia_ is {inertia:.6g}; expected 0: every point can sit on a centre, and k-means++ "
                 "picks every distinct point before it repeats one")


@pytest.mark.points(2)
def test_tol_and_max_iters_stop_the_iterations(learner, rng):
    """max_iters=1 makes one step, a huge tol stops after the first, tol=0 runs until nothing moves"""
    X = rng.uniform(-1.0, 1.0, size=(200, 2))
    state = int(rng.integers(1000))

    def n_iter(**options):
        text = ", ".join(f"{name}={value}" for name, value in options.items())
        call = f"KMeans(n_clusters=6, n_init=1, random_state={state}, {text}).fit(X).n_iter_"
        got = learner.KMeans(n_clusters=6, n_init=1, random_state=state, **options).fit(X).n_iter_
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, np.integer)):
            fail(f"{call} is {show(got)}; expected an int, the number of assign-and-update steps")
        return int(got), call

    got, call = n_iter(max_iters=1)
    if got != 1:
        fail(f"{call} is {got}; expected 1: max_iters=1 allows one assign-and-update step")
    converged, call_0 = n_iter(tol=0.0)
    if not 2 <= converged <= 300:
        fail(f"{call_0} is {converged}; expected between 2 and max_iters = 300: on 200 random points the centres "
             "still move after the first step, and with tol=0 the run goes on until no centre moves at all. "
             "Stop when the largest move is <= tol, not when it is larger")
    got, call = n_iter(tol=1e9)
    if got != 1:
        fail(f"{call} is {got}; expected 1: no centre can move more than tol=1e9, so the run stops after the "
             f"first step (with tol=0 it took {converged}). Is tol ignored? Stop once the largest centre move "
             "(Euclidean distance between old and new centre) is <= tol")
    got, call = n_iter(tol=0.05)
    if got > converged:
        fail(f"{call} is {got}, more than the {converged} steps of tol=0 from the same start; a larger tol must "
             "stop sooner or at the same step")


@pytest.mark.points(2)
def test_n_init_keeps_the_best_run(learner, rng):
    """with n_init restarts the best run is kept: 50 runs beat most single runs"""
    # 10 blobs that overlap: one run often ends in a local minimum. bar: 35% of single reference runs end at
    # or below it, so 50 correct runs all stay above it with probability about 0.65 ** 50 (below 1e-7 per fit,
    # allowing for the error of the percentile).
    X, _, _ = blobs(rng, 120, 10, 2, cluster_std=1.0, min_distance=4.0)
    single = np.sort(reference_inertias(X, 10, rng, 100))
    bar = single[34] * (1 + 1e-6)
    above = float(np.mean(single > bar))
    for state in rng.integers(1000, size=5):
        call = f"KMeans(n_clusters=10, n_init=50, random_state={state}).fit(X)"
        _, _, inertia = fitted(learner.KMeans(n_clusters=10, n_init=50, random_state=state).fit(X), call, X, 10)
        if inertia <= bar:
            continue
        one = expect_float(learner.KMeans(n_clusters=10, n_init=1, random_state=state).fit(X).inertia_,
                           f"KMeans(n_clusters=10, n_init=1, random_state={state}).fit(X).inertia_")
        why = (" Make n_init runs, each from a new k-means++ start drawn from the one generator, and keep the run with "
               "the LOWEST inertia.")
        if np.isclose(one, inertia, rtol=1e-9):
            why = (" It equals the inertia of n_init=1 with the same random_state: make n_init runs, each from a NEW "
                   "k-means++ start drawn from the one generator (not from a new generator with the same seed).")
        elif one < inertia:
            why = (f" n_init=1 with the same random_state makes the same first run, and it reached {one:.6g}: keep the "
                   "run with the LOWEST inertia, not the last one.")
        fail(f"{call}.inertia_ is {inertia:.6g}; the best of 50 runs should be at most {bar:.6g}. On these 10 "
             f"overlapping blobs {above:.0%} of single runs of a reference k-means end above that, so 50 correct runs "
             f"practically never all miss it.{why}")


@pytest.mark.points(1)
def test_random_state_repeats(learner, rng):
    """the same random_state (0 included) gives the same clustering"""
    X = rng.uniform(-1.0, 1.0, size=(120, 2))
    for state in (0, int(rng.integers(1, 1000))):
        call = f"KMeans(n_clusters=5, n_init=1, random_state={state}).fit(X)"
        first = fitted(learner.KMeans(n_clusters=5, n_init=1, random_state=state).fit(X), call, X, 5)
        second = fitted(learner.KMeans(n_clusters=5, n_init=1, random_state=state).fit(X), call, X, 5)
        if not (np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])):
            extra = (" — 0 is a seed: np.random.default_rng(self.random_state), not `if self.random_state:`"
                     if state == 0 else " — draw all randomness from np.random.default_rng(random_state)")
            fail(f"{call} twice gave different cluster_centers_ ({show(first[0])}, then {show(second[0])}){extra}")


@pytest.mark.points(1)
def test_predict_fit_predict_and_inputs(learner, worker, rng):
    """predict labels new points by their nearest centre; fit_predict; lists accepted; X left unchanged"""
    X, _, _ = blobs(rng, 90, 3, 2, cluster_std=1.0, min_distance=8.0)
    X_stored = worker.put(X)
    call = "KMeans(n_clusters=3, random_state=5).fit(X)"
    model = learner.KMeans(n_clusters=3, random_state=5).fit(X_stored)
    expect_unchanged(X, worker.fetch(X_stored), call, "X")
    centers, labels, _ = fitted(model, call, X, 3)
    X_new = rng.uniform(X.min(axis=0), X.max(axis=0), size=(25, 2))
    predicted = expect_labels(model.predict(X_new), f"{call}.predict(X_new) for 25 new points", 25, 3)
    wrong = not_nearest(X_new, centers, predicted)
    if wrong.size:
        i = int(wrong[0])
        fail(f"{call}.predict(X_new)[{i}] is {predicted[i]}, but that point is nearest to cluster_centers_"
             f"[{int(squared_distances(X_new[i:i + 1], centers).argmin())}]; predict returns the nearest centre's index")
    call = "KMeans(n_clusters=3, random_state=5).fit_predict(X)"
    got = expect_labels(learner.KMeans(n_clusters=3, random_state=5).fit_predict(X_stored), call, len(X), 3)
    if not np.array_equal(got, labels):
        fail(f"{call} returned {show(got)}; expected labels_ of the same fit, {show(labels)}")
    expect_unchanged(X, worker.fetch(X_stored), call, "X")
    call = "KMeans(n_clusters=3, random_state=5).fit(X.tolist())"
    centers_list, _, _ = fitted(learner.KMeans(n_clusters=3, random_state=5).fit(X.tolist()), call, X, 3)
    if not np.allclose(centers_list, centers, rtol=1e-12, atol=1e-12):
        fail(f"{call} found other centres than the same fit on the array X: {show(centers_list)} vs {show(centers)}")


@pytest.mark.points(1)
def test_too_many_clusters(learner, rng):
    """more clusters than samples is a ValueError"""
    X = rng.normal(size=(4, 2))
    expect_value_error(lambda: learner.KMeans(n_clusters=5).fit(X), "KMeans(n_clusters=5).fit(X) with 4 samples",
                       "(n_clusters must be at most n_samples)")
