"""Mistake: t is the 0/1 indicator of classes_[1] (as in logistic regression) instead of -1/+1."""

import numpy as np


def hinge_loss_and_gradient(X, t, coef, intercept, C):
    """The soft-margin objective ``J`` and its subgradient at ``(coef, intercept)``.

    With scores ``z = X @ w + b`` and targets ``t`` in {-1, +1}, a sample's *margin* is ``t * z``: at
    least 1 means the right side with room to spare. The others are *margin violators*; each one adds
    ``-t_i * x_i`` to the subgradient of its hinge loss for ``w`` and ``-t_i`` for ``b``, the rest add 0.
    At exactly ``t * z = 1`` (the corner of the hinge) take 0: a sample is a violator when ``t * z < 1``::

        J(w, b) = 0.5 * w @ w  +  C * mean(max(0, 1 - t * z))

        v     = (t * z < 1)                       shape (n,): 1.0 for violators, else 0.0
        dJ/dw = w  -  C * X.T @ (t * v) / n       shape (d,): averaged over ALL n samples, plus w
        dJ/db =    -  C * sum(t * v) / n          a float: the intercept is not regularised

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    t : array_like of shape (n_samples,)
        Targets, each -1.0 or +1.0.
    coef : array_like of shape (n_features,)
        The weights ``w``.
    intercept : float
        The intercept ``b``.
    C : float
        Weight of the mean hinge loss against the regulariser ``0.5 * ||w||^2``.

    Returns
    -------
    loss : float
        ``J(w, b)``.
    grad_coef : ndarray of shape (n_features,)
        ``dJ/dw``.
    grad_intercept : float
        ``dJ/db``.

    Examples
    --------
    Scores ``z = [0, 1]``, margins ``t * z = [0, 1]``: the first sample is a violator (hinge loss 1), the
    second sits exactly on the margin (hinge loss 0, and it adds 0 to the subgradient).
    ``J = 0.5 * 0.5 ** 2 + 1.0 * (1 + 0) / 2``; ``dJ/dw = 0.5 - 1.0 * (-1 * 0.0) / 2`` (the violator is at
    x = 0); ``dJ/db = -1.0 * (-1) / 2``.

    >>> hinge_loss_and_gradient([[0.0], [2.0]], [-1.0, 1.0], [0.5], 0.0, C=1.0)
    (0.625, array([0.5]), 0.5)
    """
    # BEGIN SOLUTION
    # Step 1: turn the inputs into float arrays; compute the scores z and the margins t * z.
    X, t, coef = np.asarray(X, dtype=float), np.asarray(t, dtype=float), np.asarray(coef, dtype=float)
    margins = t * (X @ coef + intercept)
    # Step 2: the loss: half the squared norm of w plus C times the mean hinge loss.
    loss = 0.5 * coef @ coef + C * np.mean(np.maximum(0.0, 1.0 - margins))
    # Step 3: the subgradient: mark the violators (t * z < 1), average -t * x over ALL n samples
    #         (the others add zeros), multiply by C and add w; the same for b, without the + w.
    pull = t * (margins < 1.0)  # t_i for violators, 0 for the others
    grad_coef = coef - C * (X.T @ pull) / len(t)
    grad_intercept = -C * pull.sum() / len(t)
    # Step 4: return (loss, grad_coef, grad_intercept), with the loss and grad_intercept as floats.
    return float(loss), grad_coef, float(grad_intercept)
    # END SOLUTION


class LinearSVM:
    """A soft-margin linear SVM for two classes, trained by subgradient descent.

    With ``t = +1`` for samples of ``classes_[1]`` and ``t = -1`` for ``classes_[0]``, ``fit``
    minimises ``J(w, b) = 0.5 * ||w||^2 + C * mean(max(0, 1 - t * (X @ w + b)))`` (see
    ``hinge_loss_and_gradient``). ``C`` multiplies the MEAN hinge loss: scikit-learn's ``SVC`` and
    ``LinearSVC`` multiply the sum, so ``LinearSVM(C=c)`` matches their ``C = c / n_samples``.

    Start from ``w = 0``, ``b = 0`` and take ``n_iters`` steps of a fixed size ``learning_rate``::

        w  <-  w - learning_rate * dJ/dw          b  <-  b - learning_rate * dJ/db

    A fixed step does not come to rest exactly on the minimum: the subgradient jumps whenever a sample
    crosses the margin. But since the hinge loss is averaged, one sample moves it by only ``C * |x_i| / n``,
    so the steps end up circling very close to the minimum. (Any method that reaches the minimum of
    ``J`` in the iterations given is graded as correct; the grader's settings are chosen for this fixed step.)

    Parameters
    ----------
    C : float, default 1.0
        Weight of the mean hinge loss: larger ``C`` fits the training data tighter, with a narrower margin.
    learning_rate : float, default 0.01
        The fixed step size.
    n_iters : int, default 1000
        The number of steps.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two labels seen in ``fit``, sorted (``np.unique(y)``). ``classes_[1]`` gets ``t = +1``.
    coef_ : ndarray of shape (n_features,)
        The weights ``w``; the margin is ``1 / ||coef_||`` wide on each side of the line.
    intercept_ : float
    loss_history_ : ndarray of shape (n_iters,)
        ``J`` at each step, computed before that step's update.

    Examples
    --------
    The widest band between -1 and 1 is centred on 0, with ``w = 1`` so that ``t * z = 1`` at both.

    >>> X = [[-2.0], [-1.0], [1.0], [2.0]]
    >>> model = LinearSVM(C=2.0, learning_rate=0.05, n_iters=1000).fit(X, ["no", "no", "yes", "yes"])
    >>> model.classes_, model.predict([[-3.0], [0.5]])
    (array(['no', 'yes'], ...), array(['no', 'yes'], ...))
    >>> model.coef_.round(3), round(model.intercept_, 3)
    (array([1.]), 0.0)
    >>> model.decision_function([[0.5]]).round(3)           # X @ coef_ + intercept_
    array([0.5])
    """

    def __init__(self, C=1.0, learning_rate=0.01, n_iters=1000):
        self.C = C
        self.learning_rate = learning_rate
        self.n_iters = n_iters

    def fit(self, X, y):
        """Learn ``classes_``, ``coef_``, ``intercept_`` and ``loss_history_``; return ``self``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)
            Exactly two distinct labels, of any type; otherwise raise ``ValueError``.
        """
        # BEGIN SOLUTION
        # Step 1: turn X into a 2-D float array; find the two classes (np.unique) and raise ValueError
        #         unless there are exactly two; build t: +1.0 for classes_[1], -1.0 for classes_[0].
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if self.classes_.shape[0] != 2:
            raise ValueError(f"LinearSVM needs exactly two classes; got {self.classes_.shape[0]}")
        t = (y == self.classes_[1]).astype(float)
        weights, intercept = np.zeros(X.shape[1]), 0.0
        losses = np.empty(self.n_iters)
        # Step 2: for each iteration: the loss and subgradient from hinge_loss_and_gradient, the loss
        #         into the history, and a step of size learning_rate against the subgradient.
        for step in range(self.n_iters):
            losses[step], grad_coef, grad_intercept = hinge_loss_and_gradient(X, t, weights, intercept, self.C)
            weights = weights - self.learning_rate * grad_coef
            intercept = intercept - self.learning_rate * grad_intercept
        # Step 3: store coef_, intercept_ (a float) and loss_history_, and return self.
        self.coef_, self.intercept_, self.loss_history_ = weights, float(intercept), losses
        return self
        # END SOLUTION

    def decision_function(self, X):
        """Signed scores ``X @ coef_ + intercept_``: positive on the side of ``classes_[1]``.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            ``|score| / ||coef_||`` is the sample's distance to the separating line.
        """
        # BEGIN SOLUTION
        # Step 1: return X @ coef_ + intercept_ (X as a float array).
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_
        # END SOLUTION

    def predict(self, X):
        """Predicted labels: ``classes_[1]`` where the score is positive, else ``classes_[0]``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), with the same values (and dtype) as ``classes_``.
        """
        # BEGIN SOLUTION
        # Step 1: index classes_ with 0/1 decisions (score > 0), so the labels come back as given.
        return self.classes_[(self.decision_function(X) > 0).astype(int)]
        # END SOLUTION

    def score(self, X, y):
        """Accuracy: the fraction of samples whose predicted label equals ``y``, as a float."""
        # BEGIN SOLUTION
        # Step 1: compare predictions with y and return the mean as a float.
        return float(np.mean(self.predict(X) == np.asarray(y)))
        # END SOLUTION
