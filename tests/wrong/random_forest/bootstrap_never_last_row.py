"""Mistake: bootstrap_sample draws indices with rng.integers(0, n - 1): the last row can never be drawn."""

import numpy as np

from decision_tree import DecisionTreeClassifier


def bootstrap_sample(X, y, rng):
    X = np.asarray(X)
    y = np.asarray(y)
    rows = rng.integers(0, len(X) - 1, size=len(X))
    return X[rows], y[rows]


class RandomForestClassifier:
    def __init__(self, n_estimators=100, max_depth=None, min_samples_split=2, max_features="sqrt", random_state=None):
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        if X.ndim != 2 or y.shape != (X.shape[0],):
            raise ValueError(f"X must have shape (n_samples, n_features) and y (n_samples,); got {X.shape} and {y.shape}")
        self.classes_ = np.unique(y)
        self.n_features_in_ = X.shape[1]
        rng = np.random.default_rng(self.random_state)
        self.estimators_ = []
        for _ in range(self.n_estimators):
            X_sample, y_sample = bootstrap_sample(X, y, rng)
            tree = DecisionTreeClassifier(
                max_depth=self.max_depth,
                min_samples_split=self.min_samples_split,
                max_features=self.max_features,
                random_state=int(rng.integers(2**31)),
            )
            self.estimators_.append(tree.fit(X_sample, y_sample))
        return self

    def predict_proba(self, X):
        votes = np.array([tree.predict(X) for tree in self.estimators_])
        return np.mean(votes[:, :, None] == self.classes_, axis=0)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def score(self, X, y):
        return float(np.mean(self.predict(X) == np.asarray(y)))
