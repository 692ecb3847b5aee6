"""k-means clustering: exercise 10 of ml-from-scratch.

Split unlabelled points into ``k`` groups. Each group has a centre, each point belongs to its nearest
centre, and a good clustering makes the points close to their centres: k-means minimises the INERTIA,
the sum of squared distances from every point to its centre::

    inertia = sum over i of ||X[i] - centers[labels[i]]|| ** 2

Lloyd's algorithm lowers it step by step, from some starting centres:

1. assign: each point gets the label of its nearest centre;
2. update: each centre moves to the mean of its points (the mean is the point that minimises the sum of
   squared distances to a group: not the median);
3. repeat until no centre moves more than ``tol``, or ``max_iters`` times.

Neither step can raise the inertia, so it stops, but in a LOCAL minimum that depends on the start. Two
remedies: start from spread-out centres (k-means++), and run several times, keeping the best run.

Traps that make this exercise worth doing by hand:

- A cluster can end up with no points; the mean of nothing is ``nan``, and one ``nan`` centre spoils
  everything after it. The rule here: an empty cluster's centre moves to the point farthest from its
  own centre (keeping the old centre is also accepted). Never ``nan``.
- ``labels_`` must belong to the FINAL centres: after the last update, assign once more.
- ``random_state=0`` is a seed like any other: ``np.random.default_rng(self.random_state)``, never
  ``if self.random_state:``.

Cluster numbers are arbitrary: a clustering is judged as a partition (which points are together),
whatever number each cluster gets.

Grade your work with ``ml-grade kmeans``; stuck? ``ml-grade hint kmeans``.
"""

import numpy as np


def squared_distances(X, centers):
    """Squared Euclidean distances from every point to every centre.

    Entry ``[i, j]`` is ``||X[i] - centers[j]|| ** 2``. Use the knn trick,
    ``||x||^2 - 2 x.c + ||c||^2``, with ``X @ centers.T`` in the middle, and clip rounding below 0. (Plain
    broadcasting, ``X[:, None, :] - centers[None, :, :]`` squared and summed over the last axis, is right
    too, but it builds an ``(n_samples, n_clusters, n_features)`` array at every step: several times slower.)

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    centers : ndarray of shape (n_clusters, n_features)

    Returns
    -------
    distances : ndarray of shape (n_samples, n_clusters)

    Examples
    --------
    >>> squared_distances(np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[0.0, 0.0], [3.0, 0.0]]))
    array([[ 0.,  9.],
           [25., 16.]])
    """
    # BEGIN SOLUTION
    # Step 1: ||x||^2 as a column, ||c||^2 as a row and -2 X @ centers.T between them; clip at 0.
    squared = (X**2).sum(axis=1)[:, None] - 2.0 * X @ centers.T + (centers**2).sum(axis=1)[None, :]
    return np.maximum(squared, 0.0)
    # END SOLUTION


def kmeans_plus_plus(X, n_clusters, rng):
    """Spread-out starting centres, chosen among the rows of ``X`` by k-means++.

    The first centre is a row drawn uniformly at random. Each next one is drawn with probability
    proportional to ``d2``, the squared distance from each point to its NEAREST centre chosen so far::

        p[i] = d2[i] / sum(d2)          rng.choice(n_samples, p=p)

    Far points are likely picked, and a point that is already a centre (``d2 = 0``) never is. If every
    ``d2`` is 0 (``X`` has fewer distinct points than ``n_clusters``), ``p`` would be ``0 / 0 = nan``:
    draw uniformly instead (``rng.choice(n_samples)``).

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    n_clusters : int
        ``k``, at most ``n_samples``.
    rng : numpy.random.Generator
        The only source of randomness (``np.random.default_rng(seed)``).

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
        Copies of ``k`` rows of ``X``, in the order they were chosen.

    Examples
    --------
    Here the first centre drawn is ``[1.]``; then ``d2 = [1, 0, 4]``, so ``[3.]`` is drawn with
    probability 4 / 5 and ``[0.]`` with 1 / 5:

    >>> X = np.array([[0.0], [1.0], [3.0]])
    >>> kmeans_plus_plus(X, 2, np.random.default_rng(1))
    array([[1.], [3.]])
    """
    # BEGIN SOLUTION
    # Step 1: turn X into a 2-D float array; the first centre is the row at a uniform random index
    #         (rng.integers(n_samples)).
    X = np.asarray(X, dtype=float)
    n_samples = X.shape[0]
    centers = np.empty((n_clusters, X.shape[1]))
    centers[0] = X[rng.integers(n_samples)]
    # Step 2: d2[i], the squared distance from X[i] to its nearest centre: so far, the first one.
    d2 = squared_distances(X, centers[:1])[:, 0]
    # Step 3: each next centre: draw an index with p = d2 / d2.sum() (uniformly if the sum is 0), take
    #         that row, and lower d2 where the new centre is nearer (np.minimum).
    for j in range(1, n_clusters):
        total = d2.sum()
        index = rng.choice(n_samples, p=d2 / total) if total > 0 else rng.choice(n_samples)
        centers[j] = X[index]
        d2 = np.minimum(d2, squared_distances(X, centers[j : j + 1])[:, 0])
    return centers
    # END SOLUTION


class KMeans:
    """k-means clustering: Lloyd's algorithm from k-means++ starts, the best of ``n_init`` runs.

    One run, from the starting centres ``kmeans_plus_plus(X, k, rng)``, repeats at most ``max_iters``
    times::

        labels  = argmin over j of ||X[i] - centers[j]|| ** 2        (assign; ties: the smaller j)
        centers[j] = mean of X[labels == j]                          (update)
        stop if max over j of ||new centers[j] - old centers[j]|| <= tol

    A cluster left with no point keeps a finite centre: it moves to the point farthest from its own
    centre (several empty clusters take the farthest points, farthest first). After the loop, the points
    are assigned once more, to the FINAL centres: those are ``labels_``, and the inertia is
    ``sum(||X[i] - centers[labels[i]]|| ** 2)``. ``fit`` makes ``n_init`` runs, all of their starts drawn
    from ONE generator ``np.random.default_rng(random_state)``, and keeps the run with the lowest inertia.

    Parameters
    ----------
    n_clusters : int, default 8
        ``k``, the number of clusters; more than the number of samples is a ``ValueError`` in ``fit``.
    max_iters : int, default 300
        The most assign-and-update steps of one run.
    tol : float, default 1e-4
        A run stops when no centre moved more than this (Euclidean distance).
    n_init : int, default 10
        The number of runs, each from its own k-means++ start.
    random_state : int, numpy.random.Generator or None, default None
        Seed of the one generator (``0`` is a seed); ``None`` gives different results each time.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        The centres of the best run.
    labels_ : ndarray of int, shape (n_samples,)
        The index (0 to k - 1) of the nearest of ``cluster_centers_`` for each training point.
    inertia_ : float
        The sum of squared distances from the points to their centres (the best run's).
    n_iter_ : int
        The number of assign-and-update steps the best run made (1 to ``max_iters``).

    Examples
    --------
    >>> X = [[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]]
    >>> model = KMeans(n_clusters=2, random_state=0).fit(X)
    >>> model.cluster_centers_              # the order of the clusters depends on the start
    array([[10. ,  0.5],
           [ 0. ,  0.5]])
    >>> model.labels_, model.inertia_
    (array([1, 1, 0, 0]), 1.0)
    >>> model.predict([[9.0, 9.0], [1.0, -1.0]])
    array([0, 1])
    """

    def __init__(self, n_clusters=8, max_iters=300, tol=1e-4, n_init=10, random_state=None):
        self.n_clusters = n_clusters
        self.max_iters = max_iters
        self.tol = tol
        self.n_init = n_init
        self.random_state = random_state

    def fit(self, X):
        """Cluster ``X``: learn ``cluster_centers_``, ``labels_``, ``inertia_`` and ``n_iter_``; return ``self``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Left unchanged.

        Raises
        ------
        ValueError
            If ``n_clusters`` is larger than ``n_samples`` (or smaller than 1).
        """
        # BEGIN SOLUTION
        # Step 1: turn X into a 2-D float array; raise ValueError unless 1 <= n_clusters <= n_samples.
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D (n_samples, n_features); got shape {X.shape}")
        if not 1 <= self.n_clusters <= X.shape[0]:
            raise ValueError(f"n_clusters={self.n_clusters} must be between 1 and n_samples={X.shape[0]}")
        # Step 2: ONE generator, np.random.default_rng(random_state), for every run.
        rng = np.random.default_rng(self.random_state)
        # Step 3: n_init times: a k-means++ start, one run of _lloyd from it; keep the run with the lowest
        #         inertia.
        best = None
        for _ in range(self.n_init):
            run = self._lloyd(X, kmeans_plus_plus(X, self.n_clusters, rng))
            if best is None or run[2] < best[2]:
                best = run
        # Step 4: store the best run's cluster_centers_, labels_, inertia_, n_iter_ and return self.
        self.cluster_centers_, self.labels_, self.inertia_, self.n_iter_ = best
        return self
        # END SOLUTION

    def _lloyd(self, X, centers):
        """One run of Lloyd's algorithm from the starting ``centers``.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
        centers : ndarray of shape (n_clusters, n_features)
            The starting centres (not changed: work on new arrays).

        Returns
        -------
        (centers, labels, inertia, n_iter) : the final centres (n_clusters, n_features), the labels of the
        points for THOSE centres (n_samples,), the inertia as a float, and the number of steps made.
        """
        # BEGIN SOLUTION
        n_samples, k = X.shape[0], centers.shape[0]
        n_iter = 0
        # Step 1: at most max_iters times (n_iter counts the steps): assign each point to its nearest centre
        #         (argmin of the squared distances over the centres).
        for n_iter in range(1, self.max_iters + 1):
            distances = squared_distances(X, centers)
            labels = distances.argmin(axis=1)
            # Step 2: update: each centre becomes the mean of its points: with members[j, i] = (labels[i] == j),
            #         the sums are members @ X and the counts members.sum(axis=1).
            members = (labels == np.arange(k)[:, None]).astype(float)  # (k, n_samples)
            counts = members.sum(axis=1)
            new_centers = np.empty_like(centers)
            filled = counts > 0
            new_centers[filled] = members[filled] @ X / counts[filled, None]
            # Step 3: an empty cluster (count 0) must not get the mean of nothing (nan): move its centre to
            #         the point farthest from its own centre (the farthest points, for several).
            empty = np.flatnonzero(~filled)
            if empty.size:
                farthest = np.argsort(-distances[np.arange(n_samples), labels], kind="stable")[: empty.size]
                new_centers[empty] = X[farthest]
            # Step 4: stop once no centre moved more than tol (the largest Euclidean shift).
            shift = np.sqrt(((new_centers - centers) ** 2).sum(axis=1)).max()
            centers = new_centers
            if shift <= self.tol:
                break
        # Step 5: assign the points to the FINAL centres; the inertia is the sum of their squared distances.
        distances = squared_distances(X, centers)
        labels = distances.argmin(axis=1)
        return centers, labels, float(distances[np.arange(n_samples), labels].sum()), n_iter
        # END SOLUTION

    def predict(self, X):
        """The index of the nearest of ``cluster_centers_`` for each point of ``X``.

        Returns
        -------
        labels : ndarray of int, shape (n_samples,), values 0 to n_clusters - 1 (ties: the smaller index).
        """
        # BEGIN SOLUTION
        # Step 1: squared distances to the learned centres, argmin over the centres.
        return squared_distances(np.asarray(X, dtype=float), self.cluster_centers_).argmin(axis=1)
        # END SOLUTION

    def fit_predict(self, X):
        """``fit(X)``, then return ``labels_``."""
        # BEGIN SOLUTION
        # Step 1: fit and return labels_.
        return self.fit(X).labels_
        # END SOLUTION
