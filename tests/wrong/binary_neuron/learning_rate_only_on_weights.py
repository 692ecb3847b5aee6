"""Mistake: the bias takes a full gradient step (bias_ -= grad_bias) without the learning rate."""

import numpy as np


def binary_digits(n_bits):
    """Every number that ``n_bits`` bits can write, as bits and as its value.

    Row ``i`` is the number ``i`` (``0 <= i < 2**n_bits``); column ``j`` of ``X`` is bit ``j`` of it,
    LEAST significant first: ``X[i, j] = (i >> j) & 1``, so that ``y == X @ 2.0 ** np.arange(n_bits)``.

    Parameters
    ----------
    n_bits : int
        How many bits, at least 1.

    Returns
    -------
    X : ndarray of shape (2**n_bits, n_bits)
        The bits as floats, 0.0 or 1.0.
    y : ndarray of shape (2**n_bits,)
        The values ``0.0, 1.0, ..., 2**n_bits - 1`` as floats.

    Examples
    --------
    >>> X, y = binary_digits(2)
    >>> X                      # 0, 1, 2, 3 with bit 0 in column 0 (3 = 1 + 2 is [1, 1])
    array([[0., 0.],
           [1., 0.],
           [0., 1.],
           [1., 1.]])
    >>> y
    array([0., 1., 2., 3.])
    """
    # BEGIN SOLUTION
    # Step 1: the numbers 0 .. 2**n_bits - 1 as integers.
    values = np.arange(2**n_bits)
    # Step 2: bit j of each number is (number >> j) & 1: shift a column of numbers by a row of bit
    #         positions (broadcasting gives the whole table at once) and convert to float.
    X = ((values[:, None] >> np.arange(n_bits)[None, :]) & 1).astype(float)
    # Step 3: return the bits and the values as floats.
    return X, values.astype(float)
    # END SOLUTION


class BinaryNeuron:
    """One linear neuron, ``prediction = X @ weights_ + bias_``, trained by full-batch gradient descent.

    The loss is the mean squared error over the ``n`` samples (no 1/2 in front), with the residual
    ``r = X @ w + b - y`` of shape ``(n,)``::

        loss  = mean(r ** 2)
        dL/dw = 2 * X.T @ r / n         shape (n_features,)
        dL/db = 2 * mean(r)             a float

    ``fit`` starts from small random weights (``0.01 * rng.normal(size=n_features)`` with
    ``rng = np.random.default_rng(random_state)``) and ``bias_ = 0.0``, then takes ``n_epochs`` steps
    ``w -= learning_rate * dL/dw``, ``b -= learning_rate * dL/db``, each on all the samples.

    Parameters
    ----------
    learning_rate : float, default 0.1
        Safe for ``binary_digits`` up to about 30 bits (it must stay below about ``4 / (n_bits + 5)``).
    n_epochs : int, default 2000
        Number of gradient steps, each on the whole data set.
    random_state : int, Generator or None, default None
        Seed of the initial weights; the same value gives the same fit (0 is a seed like any other).

    Attributes
    ----------
    weights_ : ndarray of shape (n_features,)
    bias_ : float
    loss_history_ : ndarray of shape (n_epochs,)
        ``loss_history_[k]`` is the loss at the parameters BEFORE step ``k`` (so ``[0]`` is the loss of
        the random start).

    Examples
    --------
    >>> model = BinaryNeuron(random_state=0).fit(*binary_digits(4))
    >>> model.weights_.round(6), round(model.bias_, 6)
    (array([1., 2., 4., 8.]), 0.0)
    >>> model.predict([[1.0, 0.0, 1.0, 0.0]])          # 0b0101 = 1 + 4
    array([5.])
    """

    def __init__(self, learning_rate=0.1, n_epochs=2000, random_state=None):
        self.learning_rate = learning_rate
        self.n_epochs = n_epochs
        self.random_state = random_state

    def loss_and_gradients(self, X, y):
        """The loss and its gradients at the CURRENT ``weights_`` and ``bias_`` (set by ``fit``, or by hand).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Any real numbers, not only bits.
        y : array_like of shape (n_samples,)

        Returns
        -------
        loss : float
            ``mean(r ** 2)`` with ``r = X @ weights_ + bias_ - y``.
        grad_weights : ndarray of shape (n_features,)
            ``2 * X.T @ r / n_samples``: the derivative of the loss by each weight.
        grad_bias : float
            ``2 * mean(r)``.

        Examples
        --------
        >>> model = BinaryNeuron()
        >>> model.weights_, model.bias_ = np.array([1.0, 1.0]), 0.0
        >>> model.loss_and_gradients([[0.0, 1.0], [1.0, 1.0]], [2.0, 3.0])   # residuals -1, -1
        (1.0, array([-1., -2.]), -2.0)
        """
        # BEGIN SOLUTION
        # Step 1: turn X and y into float arrays.
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        # Step 2: the residual r = X @ w + b - y, one number per sample (shape (n,)).
        residual = X @ self.weights_ + self.bias_ - y
        # Step 3: the loss mean(r**2), and its gradients 2 X.T @ r / n and 2 mean(r), averaged over the
        #         samples (return the loss and the bias gradient as floats).
        n_samples = X.shape[0]
        loss = float(np.mean(residual**2))
        grad_weights = 2.0 * X.T @ residual / n_samples
        grad_bias = float(2.0 * np.mean(residual))
        return loss, grad_weights, grad_bias
        # END SOLUTION

    def fit(self, X, y):
        """Train by ``n_epochs`` full-batch gradient steps; learn ``weights_``, ``bias_``, ``loss_history_``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)
            One target per sample, 1-D: a column of shape (n_samples, 1) is a ``ValueError`` (subtracted
            from predictions of shape (n_samples,) it would broadcast to an (n_samples, n_samples) matrix).

        Returns
        -------
        self
        """
        # BEGIN SOLUTION
        # Step 1: turn X into a 2-D float array and y into a float array; raise ValueError unless y has
        #         shape (n_samples,).
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        if y.shape != (X.shape[0],):
            raise ValueError(f"y must have shape (n_samples,) = ({X.shape[0]},), one target per row of X; "
                             f"got shape {y.shape}")
        # Step 2: start from small random weights drawn with np.random.default_rng(random_state), and
        #         bias 0.0.
        rng = np.random.default_rng(self.random_state)
        self.weights_ = 0.01 * rng.normal(size=X.shape[1])
        self.bias_ = 0.0
        # Step 3: for each epoch: record the loss at the current parameters, then step both the weights
        #         and the bias against their gradients.
        self.loss_history_ = np.empty(self.n_epochs)
        for epoch in range(self.n_epochs):
            loss, grad_weights, grad_bias = self.loss_and_gradients(X, y)
            self.loss_history_[epoch] = loss
            self.weights_ = self.weights_ - self.learning_rate * grad_weights
            self.bias_ = self.bias_ - grad_bias
        # Step 4: return self.
        return self
        # END SOLUTION

    def predict(self, X):
        """The neuron's output ``X @ weights_ + bias_``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        # BEGIN SOLUTION
        # Step 1: one matrix-vector product plus the bias.
        return np.asarray(X, dtype=float) @ self.weights_ + self.bias_
        # END SOLUTION
