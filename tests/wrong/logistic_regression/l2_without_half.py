"""Mistake: the penalty is l2 * sum(w ** 2) without the 1 / 2, so its gradient is 2 * l2 * w."""

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    exp_z = np.exp(z[~positive])
    out[~positive] = exp_z / (1.0 + exp_z)
    return out


class LogisticRegression:
    def __init__(self, learning_rate=0.1, n_iters=1000, l2=0.0):
        self.learning_rate = learning_rate
        self.n_iters = n_iters
        self.l2 = l2

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if self.classes_.shape[0] != 2:
            raise ValueError(f"LogisticRegression needs exactly two classes; got {self.classes_.shape[0]}")
        t = (y == self.classes_[1]).astype(float)
        n_samples, n_features = X.shape
        weights, intercept = np.zeros(n_features), 0.0
        losses = np.empty(self.n_iters)
        for step in range(self.n_iters):
            z = X @ weights + intercept
            losses[step] = np.mean(np.logaddexp(0.0, z) - t * z) + self.l2 * weights @ weights
            error = sigmoid(z) - t
            weights = weights - self.learning_rate * (X.T @ error / n_samples + 2 * self.l2 * weights)
            intercept = intercept - self.learning_rate * error.mean()
        self.coef_, self.intercept_, self.loss_history_ = weights, float(intercept), losses
        return self

    def predict_proba(self, X):
        p = sigmoid(np.asarray(X, dtype=float) @ self.coef_ + self.intercept_)
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]

    def score(self, X, y):
        return float(np.mean(self.predict(X) == np.asarray(y)))
