"""Linear regression: exercise 4 of ml-from-scratch.

A linear model predicts a number as a weighted sum of the features plus a constant::

    y_hat = X @ coef_ + intercept_

and chooses ``coef_`` and ``intercept_`` to make the mean squared error on the training data as small
as possible. You fit it twice, two ways:

- ``LinearRegression`` solves the least-squares problem directly (the "normal equations").
- ``LinearRegressionGD`` walks downhill on the same loss with gradient descent, the method that later
  trains models with no closed-form solution.

Both follow scikit-learn's conventions: the constructor only stores its arguments, ``fit(X, y)`` learns
and returns ``self``, learned attributes end in ``_``, ``X`` is ``(n_samples, n_features)`` and ``y``
is ``(n_samples,)``. Inputs are never changed; plain lists are accepted.

Grade your work with ``ml-grade linear_regression``; stuck? ``ml-grade hint linear_regression``.
"""

import numpy as np


class LinearRegression:
    """Ordinary least squares, solved in closed form.

    Minimises the mean squared error ``mean((X @ w + b - y) ** 2)`` over the weights ``w`` and, when
    ``fit_intercept`` is true, the intercept ``b``. A standard trick handles the intercept: centre
    ``X`` and ``y`` (subtract their column means), solve for ``w`` without an intercept, then
    ``b = mean(y) - mean(X, axis=0) @ w``. (Appending a column of ones to ``X`` works too.)

    Any exact least-squares solver is fine: ``np.linalg.lstsq``, ``np.linalg.solve`` on the normal
    equations ``(X.T @ X) w = X.T @ y``, ``np.linalg.pinv``, or a QR factorisation.

    Parameters
    ----------
    fit_intercept : bool, default True
        Whether to learn the intercept ``b``. If false, ``b`` is 0 and the line goes through the origin.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The learned weights ``w`` (1-D even for a single feature).
    intercept_ : float
        The learned intercept ``b`` (``0.0`` when ``fit_intercept=False``).

    Examples
    --------
    >>> model = LinearRegression().fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    >>> model.coef_.round(9), round(model.intercept_, 9)         # y = 2 x + 1, up to rounding
    (array([2.]), 1.0)
    >>> model.predict([[3.0]])
    array([7.])
    """

    def __init__(self, fit_intercept=True):
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        """Learn ``coef_`` and ``intercept_`` from training data.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)

        Returns
        -------
        self : LinearRegression
            The fitted model itself (so that ``LinearRegression().fit(X, y).predict(X)`` works).
        """
        # BEGIN SOLUTION
        # Step 1: turn X into a 2-D float array and y into a 1-D float array (np.asarray makes a copy
        #         only when it must; never change the caller's arrays in place).
        X, y = _as_training_data(X, y)
        # Step 2: if fit_intercept, centre X and y by their column means; otherwise use them as they are.
        if self.fit_intercept:
            X_mean, y_mean = X.mean(axis=0), y.mean()
        else:
            X_mean, y_mean = np.zeros(X.shape[1]), 0.0
        # Step 3: solve the least-squares problem for the weights (np.linalg.lstsq is the safest).
        self.coef_ = np.linalg.lstsq(X - X_mean, y - y_mean, rcond=None)[0]
        # Step 4: recover the intercept from the means (0.0 without an intercept) and return self.
        self.intercept_ = float(y_mean - X_mean @ self.coef_)
        return self
        # END SOLUTION

    def predict(self, X):
        """Predict targets for ``X``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            ``n_features`` must be the number the model was fitted with; otherwise raise ``ValueError``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            ``X @ coef_ + intercept_`` (1-D: not ``(n_samples, 1)``).
        """
        # BEGIN SOLUTION
        # Step 1: turn X into a 2-D float array and check it has as many columns as coef_ has entries.
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.coef_.shape[0]:
            raise ValueError(f"X has shape {X.shape}; expected (n_samples, {self.coef_.shape[0]})")
        # Step 2: return the weighted sum plus the intercept, a 1-D array.
        return X @ self.coef_ + self.intercept_
        # END SOLUTION

    def score(self, X, y):
        """The coefficient of determination R² of the predictions for ``X`` against ``y``.

        ``R² = 1 - SS_res / SS_tot`` with ``SS_res = sum((y - y_pred) ** 2)`` and
        ``SS_tot = sum((y - mean(y)) ** 2)``. It is 1 for perfect predictions, 0 for always predicting
        the mean of ``y``, and negative for worse than that. (If ``y`` is constant, ``SS_tot`` is 0:
        return 1.0 when the predictions are perfect and 0.0 otherwise, as scikit-learn does.)

        Returns
        -------
        r2 : float
        """
        # BEGIN SOLUTION
        # Step 1: predict for X and compute the two sums of squares.
        y = np.asarray(y, dtype=float)
        residual_sum = np.sum((y - self.predict(X)) ** 2)
        total_sum = np.sum((y - y.mean()) ** 2)
        # Step 2: return 1 - SS_res / SS_tot as a float (mind the constant-y case).
        if total_sum == 0:
            return 1.0 if residual_sum == 0 else 0.0
        return float(1.0 - residual_sum / total_sum)
        # END SOLUTION


class LinearRegressionGD(LinearRegression):
    """Linear regression trained by batch gradient descent on the mean squared error.

    The loss and its gradient, for ``n`` samples, residuals ``r = X @ w + b - y``::

        L(w, b) = mean(r ** 2)
        dL/dw   = (2 / n) * X.T @ r          shape (n_features,)
        dL/db   = (2 / n) * sum(r)           a number

    Start from ``w = 0`` and ``b = 0`` and take ``n_iters`` steps ``w -= learning_rate * dL/dw``
    (and the same for ``b`` when ``fit_intercept``). Note the ``1 / n``: the gradient is averaged over
    the samples, so the right learning rate does not depend on how much data there is.

    ``predict`` and ``score`` are inherited from :class:`LinearRegression`: write them once.

    Parameters
    ----------
    learning_rate : float, default 0.01
    n_iters : int, default 1000
        Number of gradient steps over the whole training set.
    fit_intercept : bool, default True

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    loss_history_ : ndarray of shape (n_iters,)
        ``loss_history_[k]`` is the training loss ``mean(r ** 2)`` at step ``k``, computed before that
        step's update. With a suitable learning rate it goes down.

    Examples
    --------
    >>> model = LinearRegressionGD(learning_rate=0.1, n_iters=500).fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    >>> model.coef_.round(6), round(model.intercept_, 6)        # close to 2 and 1
    (array([2.]), 1.0)
    >>> model.loss_history_[0], model.loss_history_[-1] < 1e-12  # from mean(y**2) down to almost 0
    (11.666666666666666, True)
    """

    def __init__(self, learning_rate=0.01, n_iters=1000, fit_intercept=True):
        self.learning_rate = learning_rate
        self.n_iters = n_iters
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        """Learn ``coef_``, ``intercept_`` and ``loss_history_`` by gradient descent; return ``self``."""
        # BEGIN SOLUTION
        # Step 1: turn X and y into float arrays (2-D and 1-D) and start from zero weights and intercept.
        X, y = _as_training_data(X, y)
        n_samples, n_features = X.shape
        weights, intercept = np.zeros(n_features), 0.0
        losses = np.empty(self.n_iters)
        # Step 2: for each iteration: compute the residuals, record the loss, compute the averaged
        #         gradients and step against them (the intercept only if fit_intercept).
        for step in range(self.n_iters):
            residual = X @ weights + intercept - y
            losses[step] = np.mean(residual**2)
            weights = weights - self.learning_rate * (2.0 / n_samples) * (X.T @ residual)
            if self.fit_intercept:
                intercept = intercept - self.learning_rate * 2.0 * residual.mean()
        # Step 3: store coef_, intercept_ (a float) and loss_history_ (an array), and return self.
        self.coef_, self.intercept_, self.loss_history_ = weights, float(intercept), losses
        return self
        # END SOLUTION


# BEGIN SOLUTION
def _as_training_data(X, y):
    """X as a 2-D float array and y as a 1-D float array of the same length."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features); got shape {X.shape}")
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have shape ({X.shape[0]},); got {y.shape}")
    return X, y
# END SOLUTION
