"""Mistake: explained_variance_ holds the singular values S instead of S ** 2 / (n_samples - 1)."""

import numpy as np


class PCA:
    def __init__(self, n_components=None):
        self.n_components = n_components

    def fit(self, X):
        X = np.asarray(X, dtype=float)
        n_samples, n_features = X.shape
        largest = min(n_samples, n_features)
        k = largest if self.n_components is None else self.n_components
        if not 1 <= k <= largest:
            raise ValueError(f"n_components must be between 1 and min(n_samples, n_features) = {largest}; got {k}")
        self.mean_ = X.mean(axis=0)
        centred = X - self.mean_
        _, singular_values, Vt = np.linalg.svd(centred, full_matrices=False)
        variances = singular_values**2 / (n_samples - 1)
        self.components_ = Vt[:k]
        self.explained_variance_ = singular_values[:k]
        self.explained_variance_ratio_ = variances[:k] / variances.sum()
        self.n_components_ = int(k)
        return self

    def transform(self, X):
        return (np.asarray(X, dtype=float) - self.mean_) @ self.components_.T

    def fit_transform(self, X):
        return self.fit(X).transform(X)

    def inverse_transform(self, Z):
        return np.asarray(Z, dtype=float) @ self.components_ + self.mean_
