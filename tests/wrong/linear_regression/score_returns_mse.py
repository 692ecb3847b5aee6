"""Mistake: score returns the mean squared error instead of R²."""

import numpy as np


class LinearRegression:
    def __init__(self, fit_intercept=True):
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        X, y = _as_training_data(X, y)
        if self.fit_intercept:
            X_mean, y_mean = X.mean(axis=0), y.mean()
        else:
            X_mean, y_mean = np.zeros(X.shape[1]), 0.0
        self.coef_ = np.linalg.lstsq(X - X_mean, y - y_mean, rcond=None)[0]
        self.intercept_ = float(y_mean - X_mean @ self.coef_)
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.coef_.shape[0]:
            raise ValueError(f"X has shape {X.shape}; expected (n_samples, {self.coef_.shape[0]})")
        return X @ self.coef_ + self.intercept_

    def score(self, X, y):
        y = np.asarray(y, dtype=float)
        return float(np.mean((y - self.predict(X)) ** 2))


class LinearRegressionGD(LinearRegression):
    def __init__(self, learning_rate=0.01, n_iters=1000, fit_intercept=True):
        self.learning_rate = learning_rate
        self.n_iters = n_iters
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        X, y = _as_training_data(X, y)
        n_samples, n_features = X.shape
        weights, intercept = np.zeros(n_features), 0.0
        losses = np.empty(self.n_iters)
        for step in range(self.n_iters):
            residual = X @ weights + intercept - y
            losses[step] = np.mean(residual**2)
            weights = weights - self.learning_rate * (2.0 / n_samples) * (X.T @ residual)
            if self.fit_intercept:
                intercept = intercept - self.learning_rate * 2.0 * residual.mean()
        self.coef_, self.intercept_, self.loss_history_ = weights, float(intercept), losses
        return self


def _as_training_data(X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features); got shape {X.shape}")
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have shape ({X.shape[0]},); got {y.shape}")
    return X, y
