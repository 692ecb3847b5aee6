"""Data generators for suites and demos: every dataset comes from an explicit ``rng``."""

from __future__ import annotations

import numpy as np


def linear_data(rng: np.random.Generator, n_samples: int, n_features: int, noise: float = 0.1, intercept: float | None = None):
    """``X`` standard normal, ``y = X @ w + b + noise``; returns ``X, y, w, b``."""
    X = rng.normal(size=(n_samples, n_features))
    weights = rng.uniform(-3, 3, size=n_features)
    b = float(rng.uniform(2, 6) * rng.choice([-1, 1])) if intercept is None else intercept
    y = X @ weights + b + noise * rng.normal(size=n_samples)
    return X, y, weights, b


def two_blobs(rng: np.random.Generator, n_samples: int, n_features: int, separation: float, offset=None):
    """Two Gaussian clouds whose means are ``separation`` apart; labels 0/1 (half each, shuffled)."""
    direction = rng.normal(size=n_features)
    direction /= np.linalg.norm(direction)
    labels = rng.permutation(np.arange(n_samples) % 2)
    centre = rng.normal(size=n_features) if offset is None else np.asarray(offset, dtype=float)
    X = centre + rng.normal(size=(n_samples, n_features)) + np.outer(labels - 0.5, direction) * separation
    return X, labels


def train_test_indices(rng: np.random.Generator, n_samples: int, test_fraction: float):
    order = rng.permutation(n_samples)
    n_test = int(round(n_samples * test_fraction))
    return order[n_test:], order[:n_test]


def standardize(train: np.ndarray, *others: np.ndarray):
    """Scale columns to zero mean and unit variance with the training set's statistics."""
    mean, std = train.mean(axis=0), train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return tuple((array - mean) / std for array in (train, *others))


def separable_data(rng: np.random.Generator, n_samples: int, n_features: int, margin: float):
    """Points on both sides of a random hyperplane through the origin, none closer to it than ``margin``.

    Linearly separable by construction; labels are 0/1. Returns ``X, labels, unit_normal``.
    """
    normal = rng.normal(size=n_features)
    normal /= np.linalg.norm(normal)
    X = rng.normal(size=(n_samples, n_features)) * 2.0
    distance = X @ normal
    # Push every point out of the band |distance| < margin, keeping its side.
    side = np.where(distance >= 0, 1.0, -1.0)
    X += np.outer(side * margin, normal)
    return X, (side > 0).astype(int), normal


def k_fold_indices(rng: np.random.Generator, n_samples: int, n_folds: int):
    """``(train, test)`` index pairs: each sample is in exactly one test fold."""
    folds = np.array_split(rng.permutation(n_samples), n_folds)
    return [(np.concatenate(folds[:k] + folds[k + 1 :]), folds[k]) for k in range(n_folds)]


def blobs(rng: np.random.Generator, n_samples: int, n_centers: int, n_features: int = 2,
          cluster_std: float = 1.0, min_distance: float = 10.0):
    """Gaussian clusters around centres that are at least ``min_distance`` apart.

    Cluster sizes differ by at most one; samples are shuffled. Returns ``X, labels, centers``.
    """
    centers = np.empty((n_centers, n_features))
    box = min_distance * max(1.0, n_centers ** (1.0 / n_features))
    placed = 0
    while placed < n_centers:
        candidate = rng.uniform(-box, box, size=n_features)
        if placed == 0 or np.min(np.linalg.norm(centers[:placed] - candidate, axis=1)) >= min_distance:
            centers[placed] = candidate
            placed += 1
    labels = rng.permutation(np.arange(n_samples) % n_centers)
    X = centers[labels] + cluster_std * rng.normal(size=(n_samples, n_features))
    return X, labels, centers


def moons(rng: np.random.Generator, n_samples: int, noise: float = 0.1):
    """Two interleaving half circles (not linearly separable); labels 0/1, shuffled."""
    labels = rng.permutation(np.arange(n_samples) % 2)
    angle = rng.uniform(0.0, np.pi, size=n_samples)
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
    X = np.where(labels[:, None] == 0, upper, lower) + noise * rng.normal(size=(n_samples, 2))
    return X, labels


def xor_data(rng: np.random.Generator, n_samples: int, gap: float = 0.1):
    """Points in the four quadrants, label 1 where exactly one coordinate is positive (XOR).

    No point lies within ``gap`` of an axis, so the classes are separable by axis-aligned cuts but no
    single straight line separates them.
    """
    X = rng.uniform(gap, 1.0, size=(n_samples, 2)) * rng.choice([-1.0, 1.0], size=(n_samples, 2))
    labels = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(int)
    return X, labels


def generator(seed: int) -> np.random.Generator:
    """A numpy Generator, for ``KitObject("grader.support.data:generator", seed)`` in the worker."""
    return np.random.default_rng(seed)


def learner_generator(seed: int):
    """A numpy Generator for learner code: the recipe crosses the boundary and is built in the worker."""
    from grader.protocol import KitObject

    return KitObject("grader.support.data:generator", int(seed))
