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
        # TODO 1: turn X into a 2-D float array and y into a 1-D float array (np.asarray makes a copy
        #         only when it must; never change the caller's arrays in place).
        # TODO 2: if fit_intercept, centre X and y by their column means; otherwise use them as they are.
        # TODO 3: solve the least-squares problem for the weights (np.linalg.lstsq is the safest).
        # TODO 4: recover the intercept from the means (0.0 without an intercept) and return self.
        raise NotImplementedError

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
        # TODO 1: turn X into a 2-D float array and check it has as many columns as coef_ has entries.
        # TODO 2: return the weighted sum plus the intercept, a 1-D array.
        raise NotImplementedError

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
        # TODO 1: predict for X and compute the two sums of squares.
        # TODO 2: return 1 - SS_res / SS_tot as a float (mind the constant-y case).
        raise NotImplementedError


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
        # TODO 1: turn X and y into float arrays (2-D and 1-D) and start from zero weights and intercept.
        # TODO 2: for each iteration: compute the residuals, record the loss, compute the averaged
        #         gradients and step against them (the intercept only if fit_intercept).
        # TODO 3: store coef_, intercept_ (a float) and loss_history_ (an array), and return self.
        raise NotImplementedError
