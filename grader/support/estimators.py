"""Small, complete estimators the suites hand to the learner's lifecycle code.

``model_selection`` and ``deploy`` grade code that works on *any* estimator: cross-validation, grid
search, saving and serving. Their suites build these kit estimators inside the worker with
``KitObject("grader.support.estimators:Name", ...)`` and the same ones in the grader to compute the
expected answers, so a learner's unfinished classifier never stands in the way.

They follow the kit's conventions: ``__init__`` only stores hyper-parameters, ``fit`` returns ``self``,
learned attributes end in ``_``.
"""

from __future__ import annotations

import numpy as np


class NearestCentroidClassifier:
    """Predicts the class whose (shrunken) centroid is closest.

    ``shrinkage`` in [0, 1] pulls every centroid towards the overall mean, so a grid search over it
    has a real choice to make. Labels are predicted as given (ints or strings).
    """

    def __init__(self, shrinkage: float = 0.0, metric: str = "euclidean") -> None:
        self.shrinkage = shrinkage
        self.metric = metric

    def fit(self, X, y) -> "NearestCentroidClassifier":
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        self.classes_, positions = np.unique(y, return_inverse=True)
        centroids = np.array([X[positions == k].mean(axis=0) for k in range(len(self.classes_))])
        self.centroids_ = (1.0 - self.shrinkage) * centroids + self.shrinkage * X.mean(axis=0)
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        difference = X[:, None, :] - self.centroids_[None, :, :]
        if self.metric == "manhattan":
            distances = np.abs(difference).sum(axis=2)
        else:
            distances = (difference**2).sum(axis=2)
        return self.classes_[np.argmin(distances, axis=1)]

    def score(self, X, y) -> float:
        return float(np.mean(self.predict(X) == np.asarray(y)))


class MemorizingClassifier:
    """1-nearest-neighbour that *adds* to what it has seen at every ``fit`` instead of starting over.

    Harmless when every fit gets a fresh instance, as cross-validation must do. Reused across folds,
    it has already seen the test fold during an earlier fold and scores far too well: the leak the
    suite looks for. ``n_fits_`` counts the calls to ``fit`` on this instance.
    """

    def __init__(self, n_neighbors: int = 1) -> None:
        self.n_neighbors = n_neighbors

    def fit(self, X, y) -> "MemorizingClassifier":
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        if hasattr(self, "X_seen_"):
            self.X_seen_ = np.concatenate([self.X_seen_, X])
            self.y_seen_ = np.concatenate([self.y_seen_, y])
        else:
            self.X_seen_, self.y_seen_ = X.copy(), y.copy()
        self.n_fits_ = getattr(self, "n_fits_", 0) + 1
        return self

    def predict(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        distances = ((X[:, None, :] - self.X_seen_[None, :, :]) ** 2).sum(axis=2)
        return self.y_seen_[np.argmin(distances, axis=1)]

    def score(self, X, y) -> float:
        return float(np.mean(self.predict(X) == np.asarray(y)))


class RidgeRegressor:
    """Ridge regression, closed form, with an unpenalised intercept. ``score`` is R²."""

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = alpha

    def fit(self, X, y) -> "RidgeRegressor":
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        x_mean, y_mean = X.mean(axis=0), y.mean()
        Xc = X - x_mean
        gram = Xc.T @ Xc + self.alpha * np.eye(X.shape[1])
        self.coef_ = np.linalg.solve(gram, Xc.T @ (y - y_mean))
        self.intercept_ = float(y_mean - x_mean @ self.coef_)
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X) -> np.ndarray:
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_

    def score(self, X, y) -> float:
        y = np.asarray(y, dtype=float)
        residual = ((y - self.predict(X)) ** 2).sum()
        return float(1.0 - residual / ((y - y.mean()) ** 2).sum())


class SoftmaxClassifier:
    """Multinomial logistic regression by full-batch gradient descent, labels as given.

    Its learned state is three arrays of different kinds (a 2-D float ``coef_``, a 1-D float
    ``intercept_``, and ``classes_`` that may hold strings) plus hyper-parameters of several types,
    which is what a save/load round trip has to keep.
    """

    def __init__(self, learning_rate: float = 0.5, n_iters: int = 200, l2: float = 0.0, name: str = "softmax") -> None:
        self.learning_rate = learning_rate
        self.n_iters = n_iters
        self.l2 = l2
        self.name = name

    def fit(self, X, y) -> "SoftmaxClassifier":
        X = np.asarray(X, dtype=float)
        self.classes_, positions = np.unique(np.asarray(y), return_inverse=True)
        n, d = X.shape
        targets = np.eye(len(self.classes_))[positions]
        self.coef_ = np.zeros((len(self.classes_), d))
        self.intercept_ = np.zeros(len(self.classes_))
        for _ in range(self.n_iters):
            error = self.predict_proba(X) - targets  # gradient of the mean cross-entropy w.r.t. the logits
            self.coef_ -= self.learning_rate * (error.T @ X / n + self.l2 * self.coef_)
            self.intercept_ -= self.learning_rate * error.mean(axis=0)
        self.n_features_in_ = d
        return self

    def predict_proba(self, X) -> np.ndarray:
        logits = np.asarray(X, dtype=float) @ self.coef_.T + self.intercept_
        logits -= logits.max(axis=1, keepdims=True)
        weights = np.exp(logits)
        return weights / weights.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def score(self, X, y) -> float:
        return float(np.mean(self.predict(X) == np.asarray(y)))


# --- for the model_selection suite: a given splitter, a scoring function, and a way to read folds ---


class FixedSplits:
    """A cross-validation splitter (a ``cv=`` object) that yields the ``(train, test)`` pairs it was given.

    Lets a suite hand the learner's ``cross_val_score`` or ``GridSearch`` folds it knows, independent of
    the learner's own ``KFold``.
    """

    def __init__(self, folds) -> None:
        self.folds = folds

    def split(self, X, y=None, groups=None):
        for train, test in self.folds:
            yield np.asarray(train, dtype=int), np.asarray(test, dtype=int)

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        return len(self.folds)


def balanced_accuracy(y_true, y_pred) -> float:
    """The mean, over the labels present in ``y_true``, of the fraction of that label predicted right.

    Not symmetric in its arguments and not the plain accuracy when the classes are unbalanced, so a
    suite can tell whether ``scoring(y_true, y_pred)`` was called, and with its arguments in that order.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return float(np.mean([np.mean(y_pred[y_true == label] == label) for label in np.unique(y_true)]))


def scorer(name: str):
    """A scoring function ``f(y_true, y_pred) -> float`` by name, for ``KitObject("...:scorer", name)``."""
    return {"balanced_accuracy": balanced_accuracy}[name]


def folds_of(splitter, X) -> list:
    """Every pair ``splitter.split(X)`` yields, as a list: a suite reads a learner's generator in one call."""
    return list(splitter.split(X))
