"""Mistake: kmeans_plus_plus always starts from the first row of X instead of a uniformly random one."""

import numpy as np


def squared_distances(X, centers):
    # Step 1: the differences for every (point, centre) pair by broadcasting, squared and summed over
    #         the features.
    difference = X[:, None, :] - centers[None, :, :]  # (n_samples, n_clusters, n_features)
    return (difference**2).sum(axis=2)


def kmeans_plus_plus(X, n_clusters, rng):
    # Step 1: turn X into a 2-D float array; the first centre is the row at a uniform random index
    #         (rng.integers(n_samples)).
    X = np.asarray(X, dtype=float)
    n_samples = X.shape[0]
    centers = np.empty((n_clusters, X.shape[1]))
    centers[0] = X[0]
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


class KMeans:

    def __init__(self, n_clusters=8, max_iters=300, tol=1e-4, n_init=10, random_state=None):
        self.n_clusters = n_clusters
        self.max_iters = max_iters
        self.tol = tol
        self.n_init = n_init
        self.random_state = random_state

    def fit(self, X):
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

    def _lloyd(self, X, centers):
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

    def predict(self, X):
        # Step 1: squared distances to the learned centres, argmin over the centres.
        return squared_distances(np.asarray(X, dtype=float), self.cluster_centers_).argmin(axis=1)

    def fit_predict(self, X):
        # Step 1: fit and return labels_.
        return self.fit(X).labels_
