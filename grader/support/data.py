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
