"""Logistic regression: exercise 5 of ml-from-scratch.

A linear model for two classes. It computes a score ``z = X @ coef_ + intercept_`` and turns it into
the probability of the second class with the sigmoid, ``p = 1 / (1 + exp(-z))``. Training minimises
the log-loss (cross-entropy) by gradient descent.

Two traps make this exercise worth doing by hand:

- ``exp(-z)`` overflows for ``z = -1000``: a naive sigmoid warns and can return ``nan``. Write one that
  never overflows.
- Labels are whatever the user gives (``0/1``, ``-1/1``, ``"ham"/"spam"``): learn them in ``classes_``
  and predict the same values back, as scikit-learn does.

Grade your work with ``ml-grade logistic_regression``; stuck? ``ml-grade hint logistic_regression``.
"""

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
    # TODO 1: turn z into a float array and prepare an output array of the same shape.
    # TODO 2: where z >= 0 use 1 / (1 + exp(-z)); elsewhere use exp(z) / (1 + exp(z)).
    # TODO 3: return the result.
    raise NotImplementedError


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
        # TODO 1: turn X into a 2-D float array; find the two classes (np.unique) and raise ValueError
        #         unless there are exactly two; build t, the 0/1 indicator of classes_[1].
        # TODO 2: for each iteration: scores, probabilities, the loss (with the penalty) into the history,
        #         the averaged gradients, and a step against them.
        # TODO 3: store coef_, intercept_ (a float) and loss_history_, and return self.
        raise NotImplementedError

    def predict_proba(self, X):
        """Class probabilities.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Column 0 is ``P(y = classes_[0])``, column 1 is ``P(y = classes_[1]) = sigmoid(X @ w + b)``;
            each row sums to 1.
        """
        # TODO 1: compute P(classes_[1]) with your sigmoid.
        # TODO 2: stack [1 - p, p] as two columns.
        raise NotImplementedError

    def predict(self, X):
        """Predicted labels: ``classes_[1]`` where its probability is above 0.5, else ``classes_[0]``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), with the same values (and dtype) as ``classes_``.
        """
        # TODO 1: index classes_ with 0/1 decisions, so the labels come back as given.
        raise NotImplementedError

    def score(self, X, y):
        """Accuracy: the fraction of samples whose predicted label equals ``y``, as a float."""
        # TODO 1: compare predictions with y and return the mean as a float.
        raise NotImplementedError
