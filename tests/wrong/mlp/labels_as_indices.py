"""Mistake: predict returns the position of the most probable class, not the label classes_[position]."""

import numpy as np


class Dense:
    """A fully connected layer: ``output = x @ W + b``, with its backward pass.

    A layer is a building block, not a scikit-learn estimator: its constructor creates the parameters
    (``W`` random, ``b`` zeros) so that a network can be put together from layers before any data is seen.

    ``forward`` remembers its input ``x``; ``backward`` gets ``grad_output = dL/d(output)`` for some scalar
    loss ``L`` and uses that ``x``::

        dW = x.T @ grad_output             shape (n_inputs, n_outputs), like W
        db = grad_output.sum(axis=0)       shape (n_outputs,), like b
        dL/dx = grad_output @ W.T          shape (batch, n_inputs), like x

    No averaging happens here: if ``L`` is a mean over the batch, ``grad_output`` already carries the
    ``1 / batch`` factor, and the sums above add up the samples' shares. ``backward`` does not change ``W`` or
    ``b``; the optimiser does that with ``dW`` and ``db``.

    Parameters
    ----------
    n_inputs, n_outputs : int
    random_state : None, int or numpy Generator, default None
        Passed to ``np.random.default_rng``: an int is a seed; a Generator is used as it is (so a network can
        draw all its layers from one generator).

    Attributes
    ----------
    W : ndarray of shape (n_inputs, n_outputs)
        He initialisation: normal with standard deviation ``sqrt(2 / n_inputs)``, which keeps the size of
        the activations steady through ReLU layers.
    b : ndarray of shape (n_outputs,)
        Zeros.
    dW, db : ndarrays shaped like ``W`` and ``b``
        Set by ``backward``.

    Examples
    --------
    >>> layer = Dense(2, 3, random_state=0)
    >>> layer.W.shape, layer.b
    ((2, 3), array([0., 0., 0.]))
    >>> out = layer.forward(np.ones((4, 2)))            # shape (4, 3)
    >>> grad_x = layer.backward(np.ones((4, 3)))        # shape (4, 2); layer.db is [4., 4., 4.]
    """

    def __init__(self, n_inputs, n_outputs, random_state=None):
        self.n_inputs = n_inputs
        self.n_outputs = n_outputs
        self.random_state = random_state
        rng = np.random.default_rng(random_state)
        self.W = rng.normal(0.0, np.sqrt(2.0 / n_inputs), size=(n_inputs, n_outputs))
        self.b = np.zeros(n_outputs)

    def forward(self, x):
        """``x @ W + b``, remembering ``x`` for ``backward``.

        Parameters
        ----------
        x : array_like of shape (batch, n_inputs)

        Returns
        -------
        output : ndarray of shape (batch, n_outputs)
        """
        # BEGIN SOLUTION
        # Step 1: turn x into a float array and keep it (self.x) for backward.
        self.x = np.asarray(x, dtype=float)
        # Step 2: return x @ W + b (b is added to every row by broadcasting).
        return self.x @ self.W + self.b
        # END SOLUTION

    def backward(self, grad_output):
        """Store ``dW`` and ``db`` and return ``dL/dx``, given ``grad_output = dL/d(output)``.

        Parameters
        ----------
        grad_output : array_like of shape (batch, n_outputs)

        Returns
        -------
        grad_input : ndarray of shape (batch, n_inputs)
            ``grad_output @ W.T``.
        """
        # BEGIN SOLUTION
        # Step 1: dW = x.T @ grad_output with the x remembered by forward, and db = the sum of grad_output
        #         over the batch (axis 0). No division by the batch size: the loss did it already.
        grad_output = np.asarray(grad_output, dtype=float)
        self.dW = self.x.T @ grad_output
        self.db = grad_output.sum(axis=0)
        # Step 2: return the gradient for the layer below, grad_output @ W.T.
        return grad_output @ self.W.T
        # END SOLUTION


def _log_softmax(scores):
    """The logarithm of the softmax of each row, without overflow.

    ``softmax(s)_k = exp(s_k) / sum_j exp(s_j)``, so ``log softmax(s)_k = s_k - log(sum_j exp(s_j))``.
    ``exp(1000)`` overflows to ``inf``; but subtracting the same number from every score of a row does not
    change its softmax, so subtract the row's maximum first: then every ``exp`` is at most 1.

    Parameters
    ----------
    scores : ndarray of shape (n_samples, n_classes)

    Returns
    -------
    ndarray of shape (n_samples, n_classes); ``np.exp`` of it is the softmax (each row sums to 1).

    Examples
    --------
    >>> np.exp(_log_softmax(np.array([[0.0, np.log(3.0)], [1000.0, 1000.0]])))
    array([[0.25, 0.75],
           [0.5 , 0.5 ]])
    """
    # BEGIN SOLUTION
    # Step 1: subtract each row's maximum (keepdims=True keeps the shape (n_samples, 1) for broadcasting).
    shifted = scores - scores.max(axis=1, keepdims=True)
    # Step 2: subtract the log of the sum of exp over each row.
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    # END SOLUTION


class MLPClassifier:
    """A multi-layer perceptron classifier: ReLU hidden layers, a softmax output, trained by mini-batch SGD.

    With layer sizes ``n_features -> hidden[0] -> ... -> hidden[-1] -> n_classes`` (one ``Dense`` per
    arrow), the forward pass of a batch ``X`` of shape ``(batch, n_features)`` is::

        h = X;  for each hidden layer:  z = layer.forward(h);  h = max(z, 0)      (ReLU)
        scores = last_layer.forward(h)                                             (batch, n_classes)
        p = softmax(scores)                                                        rows sum to 1

    and the loss is the mean cross-entropy ``L = -mean(log p[i, true class of i])``. Its gradient, then
    the backward pass through the layers in reverse order::

        grad = (p - onehot) / batch                 dL/dscores; the 1 / batch of the mean is HERE
        grad = last_layer.backward(grad)            then for each hidden layer, last to first:
        grad = layer.backward(grad * (z > 0))       ReLU: pass the gradient where z was positive

    ``fit`` creates ``rng = np.random.default_rng(random_state)`` once, makes the layers from it, then each
    epoch draws a new order ``rng.permutation(n_samples)`` and walks through it in batches of
    ``batch_size`` (the last one may be smaller). After each batch every parameter takes a plain SGD
    step, ``W -= learning_rate * dW`` and ``b -= learning_rate * db``.

    Parameters
    ----------
    hidden : tuple of int, default (64,)
        The sizes of the hidden layers.
    learning_rate : float, default 0.1
    epochs : int, default 30
        Passes over the training set.
    batch_size : int, default 32
    random_state : None or int, default None
        Seeds the one generator of ``fit`` (initial weights and every epoch's order); 0 is a seed like any other.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, sorted (``np.unique(y)``), of the type given (ints, strings, ...).
    layers_ : list of Dense
        ``len(hidden) + 1`` layers; the last has ``n_classes`` outputs.
    loss_history_ : ndarray of shape (epochs,)
        For each epoch, the mean cross-entropy over the training samples, each sample's loss taken in the
        batch where it was used.

    Examples
    --------
    >>> X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] * 10
    >>> y = ["no", "yes", "yes", "no"] * 10                     # XOR: no linear model can do this
    >>> model = MLPClassifier(hidden=(8,), learning_rate=0.5, epochs=200, batch_size=4, random_state=0)
    >>> model.fit(X, y).predict([[0.0, 1.0], [1.0, 1.0]])
    array(['yes', 'no'], dtype='<U3')
    >>> model.predict_proba([[0.0, 1.0]]).shape                # one column per class, rows sum to 1
    (1, 2)
    """

    def __init__(self, hidden=(64,), learning_rate=0.1, epochs=30, batch_size=32, random_state=None):
        self.hidden = hidden
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.random_state = random_state

    def _forward(self, X):
        """The scores (before the softmax) of a batch, remembering each hidden layer's ``z`` for ``_backward``.

        Parameters
        ----------
        X : ndarray of shape (batch, n_features)

        Returns
        -------
        scores : ndarray of shape (batch, n_classes)
        """
        # BEGIN SOLUTION
        # Step 1: through each hidden layer: z = layer.forward(h), remember z (a list on self), h = max(z, 0).
        self._hidden_z = []
        h = X
        for layer in self.layers_[:-1]:
            z = layer.forward(h)
            self._hidden_z.append(z)
            h = np.maximum(z, 0.0)
        # Step 2: the last layer gives the scores (no ReLU after it).
        return self.layers_[-1].forward(h)
        # END SOLUTION

    def _backward(self, grad_scores):
        """Backpropagate ``dL/dscores`` through the layers of the last ``_forward``, filling every ``dW``, ``db``.

        Parameters
        ----------
        grad_scores : ndarray of shape (batch, n_classes)
        """
        # BEGIN SOLUTION
        # Step 1: through the last layer: grad = layers_[-1].backward(grad_scores).
        grad = self.layers_[-1].backward(grad_scores)
        # Step 2: then through each hidden layer from the last to the first: the ReLU keeps the gradient
        #         where that layer's z was positive (zero elsewhere), then the layer's backward.
        for layer, z in zip(reversed(self.layers_[:-1]), reversed(self._hidden_z)):
            grad = layer.backward(grad * (z > 0))
        # END SOLUTION

    def fit(self, X, y):
        """Learn ``classes_``, ``layers_`` and ``loss_history_`` by mini-batch SGD; return ``self``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)
            Labels of any type. A different number of samples than ``X`` is a ``ValueError``.
        """
        # BEGIN SOLUTION
        # Step 1: turn X into a 2-D float array (ValueError if y has another length); learn classes_ and
        #         each sample's class index (np.unique with return_inverse=True); one-hot rows for the labels.
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        if X.ndim != 2 or y.shape != (X.shape[0],):
            raise ValueError(f"X must have shape (n_samples, n_features) and y (n_samples,); got {X.shape} and {y.shape}")
        self.classes_, y_index = np.unique(y, return_inverse=True)
        n_samples = X.shape[0]
        onehot = np.eye(len(self.classes_))[y_index]
        # Step 2: ONE generator rng = np.random.default_rng(random_state); the layers, sizes
        #         [n_features, *hidden, n_classes], each Dense drawing its weights from rng.
        rng = np.random.default_rng(self.random_state)
        sizes = [X.shape[1], *self.hidden, len(self.classes_)]
        self.layers_ = [Dense(n_in, n_out, random_state=rng) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        # Step 3: for each epoch, a new order rng.permutation(n_samples); for each batch of it: forward, the
        #         batch's mean cross-entropy (add it, times the batch length, to the epoch's total), the
        #         gradient (p - onehot) / batch through _backward, and the step p -= learning_rate * dp
        #         for every W and b. Record the epoch's total / n_samples in the history.
        history = np.empty(self.epochs)
        for epoch in range(self.epochs):
            order = rng.permutation(n_samples)
            total = 0.0
            for start in range(0, n_samples, self.batch_size):
                batch = order[start:start + self.batch_size]
                log_p = _log_softmax(self._forward(X[batch]))
                total -= np.sum(log_p * onehot[batch])  # the batch's summed cross-entropy
                self._backward((np.exp(log_p) - onehot[batch]) / len(batch))
                for layer in self.layers_:
                    layer.W -= self.learning_rate * layer.dW
                    layer.b -= self.learning_rate * layer.db
            history[epoch] = total / n_samples
        # Step 4: store loss_history_ and return self.
        self.loss_history_ = history
        return self
        # END SOLUTION

    def predict_proba(self, X):
        """Class probabilities: the softmax of the scores.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Column ``c`` is ``P(y = classes_[c])``; each row sums to 1, even for inputs whose scores are huge.
        """
        # BEGIN SOLUTION
        # Step 1: the scores of X (a float array) by _forward, then exp of their stable log-softmax.
        return np.exp(_log_softmax(self._forward(np.asarray(X, dtype=float))))
        # END SOLUTION

    def predict(self, X):
        """The most probable label of each sample.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), with the same values (and dtype) as ``classes_``.
        """
        # BEGIN SOLUTION
        # Step 1: the column with the largest probability, as a label of classes_ (not its position).
        return np.argmax(self.predict_proba(X), axis=1)
        # END SOLUTION

    def score(self, X, y):
        """Accuracy: the fraction of samples whose predicted label equals ``y``, as a float."""
        # BEGIN SOLUTION
        # Step 1: compare predictions with y and return the mean as a float.
        return float(np.mean(self.predict(X) == np.asarray(y)))
        # END SOLUTION
