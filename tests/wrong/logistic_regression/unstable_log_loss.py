"""Mistake: the loss is computed as -t*log(p) - (1-t)*log(1-p): log(0) when the scores are large."""

import numpy as np


def sigmoid(z):
    """The logistic function ``1 / (1 + exp(-z))``, computed without overflow.

    For ``z >= 0`` use ``1 / (1 + exp(-z))`` (``exp(-z) <= 1``); for ``z < 0`` use the equal
    ``exp(z) / (1 + exp(z))`` (``exp(z) < 1``). Either way ``exp`` never sees a large positive number,
    so nothing overflows and no warning is raised, even for ``z = ±1000``.

    Parameters
    ----------
    z : float or array_like of any shape

    Returns
    -------
    ndarray of the same shape as ``z`` (a 0-d array or float for a scalar), values in [0, 1].

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    exp_z = np.exp(z[~positive])
    out[~positive] = exp_z / (1.0 + exp_z)
    return out


class LogisticRegression:
    """Binary logistic regression trained by gradient descent, with an optional L2 penalty.

    With ``t`` the 0/1 indicator of the second class (``t = (y == classes_[1])``), scores
    ``z = X @ w + b`` and probabilities ``p = sigmoid(z)``, ``fit`` minimises::

        J(w, b) = mean(-t * log(p) - (1 - t) * log(1 - p))  +  (l2 / 2) * sum(w ** 2)

        dJ/dw = X.T @ (p - t) / n  +  l2 * w           shape (n_features,)
        dJ/db = mean(p - t)                            the intercept is not penalised

    Start from ``w = 0``, ``b = 0`` and take ``n_iters`` steps of size ``learning_rate``. (Any method that
    reaches the minimum of ``J`` is graded as correct, Newton's method included.) To compute the loss
    without ``log(0)``, use ``log(1 + exp(z)) - t * z`` with ``np.logaddexp(0, z)``.

    Parameters
    ----------
    learning_rate : float, default 0.1
    n_iters : int, default 1000
    l2 : float, default 0.0
        Strength of the L2 penalty on the weights (not the intercept).

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two labels seen in ``fit``, sorted (``np.unique(y)``). ``classes_[1]`` is the "positive" one.
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    loss_history_ : ndarray of shape (n_iters,)
        ``J`` at each step, computed before that step's update.

    Examples
    --------
    >>> X = [[-2.0], [-1.0], [1.0], [2.0]]
    >>> model = LogisticRegression(learning_rate=0.5, n_iters=200).fit(X, ["no", "no", "yes", "yes"])
    >>> model.classes_, model.predict([[-3.0], [3.0]])
    (array(['no', 'yes'], ...), array(['no', 'yes'], ...))
    >>> model.predict_proba([[0.0]])            # rows sum to 1: [P(classes_[0]), P(classes_[1])]
    array([[0.5, 0.5]])
    """

    def __init__(self, learning_rate=0.1, n_iters=1000, l2=0.0):
        self.learning_rate = learning_rate
        self.n_iters = n_iters
        self.l2 = l2

    def fit(self, X, y):
        """Learn ``classes_``, ``coef_``, ``intercept_`` and ``loss_history_``; return ``self``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)
            Exactly two distinct labels, of any type; otherwise raise ``ValueError``.
        """
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
            p = sigmoid(z)
            losses[step] = np.mean(-t * np.log(p) - (1 - t) * np.log(1 - p)) + 0.5 * self.l2 * weights @ weights
            error = sigmoid(z) - t
            weights = weights - self.learning_rate * (X.T @ error / n_samples + self.l2 * weights)
            intercept = intercept - self.learning_rate * error.mean()
        self.coef_, self.intercept_, self.loss_history_ = weights, float(intercept), losses
        return self

    def predict_proba(self, X):
        """Class probabilities.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Column 0 is ``P(y = classes_[0])``, column 1 is ``P(y = classes_[1]) = sigmoid(X @ w + b)``;
            each row sums to 1.
        """
        p = sigmoid(np.asarray(X, dtype=float) @ self.coef_ + self.intercept_)
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        """Predicted labels: ``classes_[1]`` where its probability is above 0.5, else ``classes_[0]``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), with the same values (and dtype) as ``classes_``.
        """
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]

    def score(self, X, y):
        """Accuracy: the fraction of samples whose predicted label equals ``y``, as a float."""
        return float(np.mean(self.predict(X) == np.asarray(y)))
