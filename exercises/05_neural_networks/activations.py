"""Activations, softmax and cross-entropy: exercise 16 of ml-from-scratch.

A neural network is linear layers with non-linear functions between them, and a loss at the end.
This exercise writes those functions, each with the derivative that backpropagation needs:

- ``relu``, ``sigmoid`` and ``tanh`` act on each number on its own (element-wise), so they take an
  array of any shape, even a single number, and return the same shape. Their derivatives
  ``relu_grad``, ``sigmoid_grad`` and ``tanh_grad`` are element-wise too: ``f'(x)`` at each entry.
- ``softmax`` turns a row of scores (logits) into probabilities; ``log_softmax`` is its logarithm.
  Every output depends on every input of the row, so ``softmax_grad`` is a full Jacobian, not one
  number per entry.
- ``cross_entropy`` is the loss of a classifier: the mean over the batch of ``-log`` of the
  probability given to the right class. ``cross_entropy_grad`` is its gradient with respect to the
  logits, the first step of every backward pass.

Two traps make this exercise worth doing by hand:

- ``exp`` overflows above about 709: ``exp(1000)`` is ``inf`` and ``inf / inf`` is ``nan``. Softmax
  does not change when a constant is subtracted from a row, so subtract the row's maximum first;
  sigmoid has a form with ``exp`` of a negative number only.
- ``log(softmax(z))`` gives ``-inf`` when a probability rounds to 0. Compute ``log_softmax`` (and
  the cross-entropy) from the logits directly: ``z - logsumexp(z)``.

Grade your work with ``ml-grade activations``; stuck? ``ml-grade hint activations``.
"""

import numpy as np


def relu(x):
    """The rectified linear unit ``max(x, 0)``, element-wise.

    Parameters
    ----------
    x : float or array_like of any shape

    Returns
    -------
    ndarray of the same shape as ``x`` (a 0-d array or a number for a single number).

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    # TODO 1: turn x into a float array and keep the larger of x and 0 at each entry (np.maximum).
    raise NotImplementedError


def relu_grad(x):
    """The derivative of ``relu`` at each entry of ``x``: 1 where ``x > 0``, else 0.

    At ``x = 0`` relu has a kink and no derivative; this kit's choice is 0 there (as PyTorch does).
    Any value between 0 and 1 would do: backpropagation almost never lands exactly on 0.

    Parameters
    ----------
    x : float or array_like of any shape
        The input of relu (not its output).

    Returns
    -------
    ndarray of the same shape as ``x``, of floats 0.0 and 1.0.

    Examples
    --------
    >>> relu_grad(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 1.])
    """
    # TODO 1: compare x with 0 and turn the booleans into floats.
    raise NotImplementedError


def sigmoid(x):
    """The logistic function ``1 / (1 + exp(-x))``, element-wise, without overflow.

    ``exp(-x)`` overflows for ``x = -1000`` (numpy warns). With ``e = exp(-|x|)``, which is never
    above 1, the same function is::

        sigmoid(x) = 1 / (1 + e)      where x >= 0
                   = e / (1 + e)      where x < 0

    Parameters
    ----------
    x : float or array_like of any shape

    Returns
    -------
    ndarray of the same shape as ``x``, values in [0, 1].

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    # TODO 1: turn x into a float array and compute e = exp(-|x|) (never overflows).
    # TODO 2: pick 1 / (1 + e) where x >= 0 and e / (1 + e) elsewhere (np.where).
    raise NotImplementedError


def sigmoid_grad(x):
    """The derivative of ``sigmoid`` at each entry of ``x``: ``s * (1 - s)`` with ``s = sigmoid(x)``.

    Parameters
    ----------
    x : float or array_like of any shape
        The input of sigmoid (not its output): compute ``s`` from it first.

    Returns
    -------
    ndarray of the same shape as ``x``, values in [0, 0.25].

    Examples
    --------
    >>> sigmoid_grad(np.array([0.0, 1000.0]))
    array([0.25, 0.  ])
    """
    # TODO 1: s = sigmoid(x) with your stable sigmoid, then s * (1 - s).
    raise NotImplementedError


def tanh(x):
    """The hyperbolic tangent ``(exp(x) - exp(-x)) / (exp(x) + exp(-x))``, element-wise.

    Written with exponentials it overflows for ``|x| = 1000`` (``inf / inf``); ``np.tanh`` does not.

    Parameters
    ----------
    x : float or array_like of any shape

    Returns
    -------
    ndarray of the same shape as ``x``, values in [-1, 1].

    Examples
    --------
    >>> tanh(np.array([-1000.0, 0.0, 1.0]))
    array([-1.        ,  0.        ,  0.76159416])
    """
    # TODO 1: turn x into a float array and apply np.tanh.
    raise NotImplementedError


def tanh_grad(x):
    """The derivative of ``tanh`` at each entry of ``x``: ``1 - tanh(x) ** 2``.

    Parameters
    ----------
    x : float or array_like of any shape
        The input of tanh (not its output).

    Returns
    -------
    ndarray of the same shape as ``x``, values in [0, 1].

    Examples
    --------
    >>> tanh_grad(np.array([0.0, 1.0]))
    array([1.        , 0.41997434])
    """
    # TODO 1: t = tanh(x), then 1 - t ** 2.
    raise NotImplementedError


def softmax(z, axis=-1):
    """Probabilities from scores: ``exp(z) / sum(exp(z))`` along ``axis``.

    Adding a constant to every score of a row does not change its softmax, so subtract the row's
    maximum first: the largest exponent is then ``exp(0) = 1`` and nothing overflows, even for
    scores of 1000::

        m = max(z, axis, keepdims=True)      shape (n, 1) for z of shape (n, k) and axis=-1
        softmax(z) = exp(z - m) / sum(exp(z - m), axis, keepdims=True)

    Parameters
    ----------
    z : array_like of any shape with at least one axis
        Scores (logits); by default each row (the last axis) is one distribution.
    axis : int, default -1
        The axis along which the probabilities sum to 1.

    Returns
    -------
    ndarray of the same shape as ``z``, values in [0, 1], summing to 1 along ``axis``.

    Examples
    --------
    >>> softmax(np.array([[0.0, 0.0], [1000.0, 1000.0 + np.log(3.0)]]))
    array([[0.5 , 0.5 ],
           [0.25, 0.75]])
    """
    # TODO 1: turn z into a float array and subtract its maximum along axis (keepdims=True, so the
    #         maxima broadcast against z).
    # TODO 2: exponentiate and divide by the sum along the same axis (keepdims=True again).
    raise NotImplementedError


def log_softmax(z, axis=-1):
    """The logarithm of ``softmax(z, axis)``, computed without ever taking ``log(0)``.

    ``log(softmax(z))`` fails for scores like ``[0, 1000]``: the first probability is ``exp(-1000)``,
    which rounds to 0, and its log is ``-inf``. Take the log by hand instead::

        log_softmax(z) = z - logsumexp(z)
        logsumexp(z)   = m + log(sum(exp(z - m), axis, keepdims=True))      with m the maximum along axis

    Parameters
    ----------
    z : array_like of any shape with at least one axis
    axis : int, default -1

    Returns
    -------
    ndarray of the same shape as ``z``, values <= 0 (finite for finite ``z``).

    Examples
    --------
    >>> log_softmax(np.array([0.0, 1000.0]))
    array([-1000.,     0.])
    """
    # TODO 1: turn z into a float array and subtract its maximum along axis (keepdims=True): call the
    #         result shifted.
    # TODO 2: return shifted - log(sum(exp(shifted))), the sum along axis with keepdims=True.
    raise NotImplementedError


def softmax_grad(z, grad_output, axis=-1):
    """Backpropagate through softmax: the gradient of ``sum(grad_output * softmax(z, axis))`` with respect to ``z``.

    Every probability of a row depends on every score of that row: ``ds_i / dz_j = s_i (δ_ij - s_j)``.
    Multiplying ``grad_output`` (``g``) by this full Jacobian gives, for each row::

        dz = s * (g - sum(g * s, axis, keepdims=True))          with s = softmax(z, axis)

    Keeping only the diagonal, ``s * (1 - s) * g``, is a classic mistake: it forgets that raising one
    score lowers the other probabilities.

    Parameters
    ----------
    z : array_like of any shape with at least one axis
        The scores that went into softmax (not its output).
    grad_output : array_like of the same shape as ``z``
        The gradient of the loss with respect to ``softmax(z, axis)``.
    axis : int, default -1
        The axis softmax was taken along.

    Returns
    -------
    ndarray of the same shape as ``z``.

    Examples
    --------
    >>> softmax_grad(np.array([0.0, 0.0]), np.array([1.0, 0.0]))   # s = [0.5, 0.5], sum(g * s) = 0.5
    array([ 0.25, -0.25])
    """
    # TODO 1: s = softmax(z, axis) and g = grad_output as a float array.
    # TODO 2: return s * (g - sum(g * s)), the sum taken along axis with keepdims=True.
    raise NotImplementedError


def cross_entropy(logits, labels):
    """The mean over the batch of ``-log softmax(logits)[label]``, as a float.

    ``labels`` comes in one of two forms, told apart by ``labels.ndim``:

    - class indices, shape ``(n,)``: ``loss = -mean(log_softmax(logits)[i, labels[i]])``;
    - one-hot or probability rows, shape ``(n, k)``: ``loss = -mean(sum(labels * log_softmax(logits), axis=1))``.

    Both give the same value for the same classes. Use ``log_softmax``, never ``log(softmax)``:
    with logits of 1000 a probability rounds to 0 and its log is ``-inf``.

    Parameters
    ----------
    logits : array_like of shape (n, k)
        Scores, one row per sample, one column per class.
    labels : array_like of shape (n,) of ints in ``0 .. k-1``, or of shape (n, k) with rows summing to 1

    Returns
    -------
    float
        Averaged over the ``n`` samples (not summed).

    Examples
    --------
    >>> logits = np.array([[0.0, 0.0], [0.0, np.log(3.0)]])      # softmax rows [0.5, 0.5], [0.25, 0.75]
    >>> cross_entropy(logits, np.array([0, 1]))                   # (-log 0.5 - log 0.75) / 2
    0.490414...
    >>> cross_entropy(logits, np.array([[1.0, 0.0], [0.0, 1.0]]))
    0.490414...
    """
    # TODO 1: log_probs = log_softmax of the logits along axis 1; turn labels into an array.
    # TODO 2: if labels is 1-D, pick log_probs[i, labels[i]] for every row i (index with
    #         np.arange(n) and labels); if it is 2-D, sum labels * log_probs along axis 1.
    # TODO 3: return minus their mean, as a float.
    raise NotImplementedError


def cross_entropy_grad(logits, labels):
    """The gradient of ``cross_entropy(logits, labels)`` with respect to ``logits``.

    With ``targets`` the one-hot rows of the labels (or the probability rows as given)::

        d loss / d logits = (softmax(logits) - targets) / n          shape (n, k)

    The ``1 / n`` comes from the mean over the batch.

    Parameters
    ----------
    logits : array_like of shape (n, k)
    labels : array_like of shape (n,) of ints, or of shape (n, k), as in ``cross_entropy``

    Returns
    -------
    ndarray of shape (n, k)
        Each row sums to 0.

    Examples
    --------
    >>> cross_entropy_grad(np.array([[0.0, 0.0], [0.0, np.log(3.0)]]), np.array([0, 1]))
    array([[-0.25 ,  0.25 ],
           [ 0.125, -0.125]])
    """
    # TODO 1: probabilities = softmax of the logits along axis 1.
    # TODO 2: targets: if labels is 1-D, one-hot rows (np.eye(k)[labels]); if 2-D, the rows as given.
    # TODO 3: return (probabilities - targets) / n.
    raise NotImplementedError
