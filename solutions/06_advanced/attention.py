"""Attention and a transformer block: exercise 22 of ml-from-scratch.

The pieces of a transformer ("Attention Is All You Need", Vaswani et al. 2017), forward only, in numpy.
A sequence of ``n`` tokens is a matrix ``X`` of shape ``(n, d_model)``: one row per position. One
pre-norm block (the GPT-2 arrangement) turns it into a new matrix of the same shape::

        X ───────────────────────────────┐
        │                                │   residual: the input added back
        └─> layer_norm ─> multi-head ─> (+) ─> H ─────────────────────────────────┐
                          attention            │                                  │   residual
                                               └─> layer_norm ─> feed-forward ─> (+) ─> out
                                                                 relu(. @ W1 + b1) @ W2 + b2

Attention lets every position look at the others. Each query (a row of ``Q``) scores every key (a row
of ``K``) with a dot product; a softmax along the keys turns one row of scores into weights that sum to
1; the output for that query is the weighted average of the values (rows of ``V``)::

    weights = softmax(Q @ K^T / sqrt(d_k))       one row per query, one column per key
    output  = weights @ V

Why divide by ``sqrt(d_k)``: a dot product of two random vectors with ``d_k`` unit-variance entries has
variance ``d_k``. Without the scaling, wide keys give huge scores, the softmax puts nearly all the
weight on one key and its gradients vanish. Dividing by ``sqrt(d_k)`` (the standard deviation, not
``d_k``) brings the scores back to variance 1, whatever the width.

Why the mask goes BEFORE the softmax: a mask says which keys a query may look at (in a language model,
only the positions up to its own: the future is hidden). Setting the blocked scores to ``-inf`` makes
their weights exactly ``exp(-inf) = 0`` and the softmax shares the whole weight among the allowed keys,
so each row still sums to 1. Zeroing weights AFTER the softmax leaves rows that sum to less than 1.

Multi-head attention runs ``n_heads`` smaller attentions side by side, each on its own block of
``d_model // n_heads`` columns of the projected queries, keys and values, and glues their outputs back
together. Attention itself ignores the order of the rows, so the position of each token is added to its
row as a fixed pattern of sines and cosines of different wavelengths (``sinusoidal_positions``).

Everything here is vectorized: leading axes (a batch, the heads) ride along in ``@``, so there is no
Python loop over heads or positions.

Grade your work with ``ml-grade attention``; stuck? ``ml-grade hint attention``.
"""

import numpy as np


def softmax(x, axis=-1):
    """Softmax along ``axis``, computed without overflow (given: you do not write this one).

    ``exp(x - max) / sum(exp(x - max))``: subtracting the largest value of each slice changes nothing
    mathematically and keeps ``exp`` away from overflow. Entries equal to ``-inf`` get weight exactly 0
    (a slice must have at least one finite entry).

    Examples
    --------
    >>> softmax(np.array([[1.0, 1.0], [0.0, -np.inf]]))
    array([[0.5, 0.5],
           [1. , 0. ]])
    """
    x = np.asarray(x, dtype=float)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    exps = np.exp(shifted)
    return exps / np.sum(exps, axis=axis, keepdims=True)


def scaled_dot_product_attention(Q, K, V, mask=None):
    """Scaled dot-product attention: ``softmax(Q @ K^T / sqrt(d_k)) @ V``.

    ::

        scores  = Q @ K^T / sqrt(d_k)          (..., n_q, n_k)   K^T swaps K's last two axes only
        scores  = -inf where mask is False      blocked before the softmax
        weights = softmax(scores, along keys)   (..., n_q, n_k)   each row sums to 1
        output  = weights @ V                   (..., n_q, d_v)

    Parameters
    ----------
    Q : array_like of shape (..., n_q, d_k)
        Queries, one per row.
    K : array_like of shape (..., n_k, d_k)
        Keys, one per row (``d_k`` is the width of a key: the last axis).
    V : array_like of shape (..., n_k, d_v)
        Values, one per key.
    mask : None or array_like of bool, broadcastable to (..., n_q, n_k)
        True where a query MAY attend to a key (PyTorch's boolean ``attn_mask``); blocked weights are
        exactly 0. Each query must be allowed at least one key. Leading axes (batch, heads) of ``Q``,
        ``K``, ``V`` and ``mask`` broadcast as in ``@``.

    Returns
    -------
    output : ndarray of shape (..., n_q, d_v)
    weights : ndarray of shape (..., n_q, n_k)

    Examples
    --------
    >>> Q = np.array([[1.0, 0.0]])                       # one query, d_k = 2
    >>> K = np.array([[1.0, 0.0], [0.0, 0.0]])           # two keys: scores 1/sqrt(2) and 0
    >>> V = np.array([[10.0], [20.0]])
    >>> output, weights = scaled_dot_product_attention(Q, K, V, mask=np.array([[False, True]]))
    >>> weights, output                                  # only the second key may be seen
    (array([[0., 1.]]), array([[20.]]))
    """
    # BEGIN SOLUTION
    # Step 1: turn Q, K, V into float arrays; d_k is the size of the last axis of K.
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    d_k = K.shape[-1]
    # Step 2: the scores Q @ K^T / sqrt(d_k), transposing only the last two axes of K
    #         (np.swapaxes(K, -1, -2); K.T would reverse the batch axes too).
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)
    # Step 3: if there is a mask, put -inf where it is False (np.where broadcasts the mask).
    if mask is not None:
        scores = np.where(np.asarray(mask, dtype=bool), scores, -np.inf)
    # Step 4: the weights are the given softmax along the keys (the last axis); return
    #         (weights @ V, weights).
    weights = softmax(scores, axis=-1)
    return weights @ V, weights
    # END SOLUTION


def causal_mask(n):
    """The mask of a language model: position ``i`` may attend to positions ``0 .. i``, not to the future.

    Parameters
    ----------
    n : int
        Sequence length.

    Returns
    -------
    mask : ndarray of shape (n, n), dtype bool
        True on and below the diagonal (``j <= i``), False above it.

    Examples
    --------
    >>> causal_mask(3)
    array([[ True, False, False],
           [ True,  True, False],
           [ True,  True,  True]])
    """
    # BEGIN SOLUTION
    # Step 1: a lower-triangular matrix of True, diagonal included (np.tril of ones, as bool).
    return np.tril(np.ones((n, n), dtype=bool))
    # END SOLUTION


def split_heads(X, n_heads):
    """Cut the last axis into ``n_heads`` blocks of columns and make the heads a new axis before the rows.

    Head ``h`` gets the columns ``h * d_head : (h + 1) * d_head`` with ``d_head = d_model // n_heads``::

        (..., n, d_model) --reshape--> (..., n, n_heads, d_head) --swap the two axes--> (..., n_heads, n, d_head)

    A bare reshape to ``(n_heads, n, d_head)`` has the right shape but mixes rows and heads: the swap
    is needed.

    Parameters
    ----------
    X : array_like of shape (..., n, d_model)
    n_heads : int
        Must divide ``d_model``; otherwise raise ``ValueError``.

    Returns
    -------
    ndarray of shape (..., n_heads, n, d_model // n_heads)

    Examples
    --------
    >>> X = np.arange(8.0).reshape(2, 4)                 # n = 2 rows, d_model = 4
    >>> split_heads(X, 2)                                # head 0: columns 0-1, head 1: columns 2-3
    array([[[0., 1.],
            [4., 5.]],
    <BLANKLINE>
           [[2., 3.],
            [6., 7.]]])
    """
    # BEGIN SOLUTION
    # Step 1: turn X into a float array; raise ValueError unless n_heads divides d_model.
    X = np.asarray(X, dtype=float)
    *leading, n, d_model = X.shape
    if d_model % n_heads != 0:
        raise ValueError(f"d_model = {d_model} is not divisible by n_heads = {n_heads}")
    # Step 2: reshape to (..., n, n_heads, d_head), then swap the last-but-one and last-but-two axes.
    return np.swapaxes(X.reshape(*leading, n, n_heads, d_model // n_heads), -3, -2)
    # END SOLUTION


def merge_heads(H):
    """The inverse of ``split_heads``: put the heads' columns side by side again.

    ::

        (..., n_heads, n, d_head) --swap--> (..., n, n_heads, d_head) --reshape--> (..., n, n_heads * d_head)

    so that ``merge_heads(split_heads(X, n_heads))`` equals ``X``.

    Parameters
    ----------
    H : array_like of shape (..., n_heads, n, d_head)

    Returns
    -------
    ndarray of shape (..., n, n_heads * d_head)

    Examples
    --------
    >>> H = np.array([[[0.0, 1.0], [4.0, 5.0]], [[2.0, 3.0], [6.0, 7.0]]])   # 2 heads, 2 rows, d_head = 2
    >>> merge_heads(H)
    array([[0., 1., 2., 3.],
           [4., 5., 6., 7.]])
    """
    # BEGIN SOLUTION
    # Step 1: swap the heads axis and the rows axis back, then reshape the last two axes into one.
    H = np.asarray(H, dtype=float)
    *leading, n_heads, n, d_head = H.shape
    return np.swapaxes(H, -3, -2).reshape(*leading, n, n_heads * d_head)
    # END SOLUTION


def multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads, mask=None):
    """Multi-head self-attention of the rows of ``X``.

    ::

        Q, K, V = X @ W_q, X @ W_k, X @ W_v                       (..., n, d_model) each
        split each into heads                                     (..., n_heads, n, d_head)
        heads   = scaled_dot_product_attention(Q, K, V, mask)[0]  every head at once (d_k = d_head)
        output  = merge_heads(heads) @ W_o                        (..., n, d_model)

    Parameters
    ----------
    X : array_like of shape (n, d_model) or (batch, n, d_model)
    W_q, W_k, W_v, W_o : array_like of shape (d_model, d_model)
    n_heads : int
        Must divide ``d_model`` (``ValueError`` otherwise).
    mask : None or array_like of bool, e.g. shape (n, n)
        True where a position may attend; it broadcasts over the batch and the heads.

    Returns
    -------
    ndarray of the shape of ``X``

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> I = np.eye(2)
    >>> multi_head_attention(X, I, I, I, I, n_heads=2, mask=causal_mask(2)).round(3)   # row 0 sees only itself
    array([[1.   , 0.   ],
           [0.5  , 0.731]])
    """
    # BEGIN SOLUTION
    # Step 1: project X into queries, keys and values and split each into n_heads heads.
    X = np.asarray(X, dtype=float)
    Q, K, V = (split_heads(X @ np.asarray(W, dtype=float), n_heads) for W in (W_q, W_k, W_v))
    # Step 2: attend in every head at once with your scaled_dot_product_attention (the mask broadcasts).
    heads, _ = scaled_dot_product_attention(Q, K, V, mask)
    # Step 3: merge the heads and apply the output projection W_o.
    return merge_heads(heads) @ np.asarray(W_o, dtype=float)
    # END SOLUTION


def sinusoidal_positions(n_positions, d_model):
    """The sinusoidal positional encodings of "Attention Is All You Need" (section 3.5).

    For position ``pos`` and column pair ``(2i, 2i + 1)``::

        PE[pos, 2i]     = sin(pos / 10000 ** (2i / d_model))
        PE[pos, 2i + 1] = cos(pos / 10000 ** (2i / d_model))

    Both columns of a pair share one frequency; the wavelengths grow geometrically from ``2 pi`` (column
    0) towards ``10000 * 2 pi``. Positions start at 0. When ``d_model`` is odd, the last column is a sin.

    Parameters
    ----------
    n_positions, d_model : int

    Returns
    -------
    ndarray of shape (n_positions, d_model)

    Examples
    --------
    >>> sinusoidal_positions(2, 4).round(4)          # pos 0: sin 0 = 0, cos 0 = 1
    array([[0.    , 1.    , 0.    , 1.    ],
           [0.8415, 0.5403, 0.01  , 1.    ]])
    """
    # BEGIN SOLUTION
    # Step 1: the angles pos / 10000 ** (2i / d_model): the positions as a column (n_positions, 1)
    #         and the even column indices 2i = 0, 2, 4, ... as a row; broadcasting gives
    #         shape (n_positions, ceil(d_model / 2)).
    positions = np.arange(n_positions)[:, None]
    even_columns = np.arange(0, d_model, 2)
    angles = positions / 10000.0 ** (even_columns / d_model)
    # Step 2: sin of the angles into the even columns, cos into the odd ones
    #         (there are d_model // 2 odd columns).
    encodings = np.zeros((n_positions, d_model))
    encodings[:, 0::2] = np.sin(angles)
    encodings[:, 1::2] = np.cos(angles[:, : d_model // 2])
    return encodings
    # END SOLUTION


def layer_norm(x, gamma, beta, eps=1e-5):
    """Layer normalisation: each row (the last axis) rescaled to mean 0 and variance 1, then ``gamma`` and ``beta``.

    ::

        mean = x.mean(over the last axis)                  one per row
        var  = mean((x - mean) ** 2)                       the biased variance (divide by d, not d - 1)
        out  = gamma * (x - mean) / sqrt(var + eps) + beta

    ``eps`` goes inside the square root: a constant row gives ``beta``, not a division by zero.
    ``x`` is not modified.

    Parameters
    ----------
    x : array_like of shape (..., d)
    gamma, beta : array_like of shape (d,)
        Learned scale and shift (here: given).
    eps : float, default 1e-5

    Returns
    -------
    ndarray of the shape of ``x``

    Examples
    --------
    >>> layer_norm(np.array([[1.0, 3.0], [5.0, 5.0]]), np.ones(2), np.zeros(2)).round(4)   # a constant row gives beta
    array([[-1.,  1.],
           [ 0.,  0.]])
    """
    # BEGIN SOLUTION
    # Step 1: the mean and the biased variance of each row (axis=-1, keepdims=True).
    x = np.asarray(x, dtype=float)
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    # Step 2: normalise without changing x in place, then scale by gamma and shift by beta.
    return np.asarray(gamma, dtype=float) * (x - mean) / np.sqrt(var + eps) + np.asarray(beta, dtype=float)
    # END SOLUTION


def transformer_block(X, params, n_heads, mask=None):
    """One pre-norm transformer block (as in GPT-2): attention, then a feed-forward network, each added back.

    ::

        H   = X + multi_head_attention(layer_norm(X, ln1_gamma, ln1_beta), W_q, W_k, W_v, W_o, n_heads, mask)
        out = H + relu(layer_norm(H, ln2_gamma, ln2_beta) @ W1 + b1) @ W2 + b2

    The layer norms come BEFORE each sub-layer (pre-norm); the residual adds the un-normalised input.
    (The 2017 paper normalised AFTER the addition, post-norm: ``layer_norm(X + attention(X))``.)

    Parameters
    ----------
    X : array_like of shape (n, d_model) or (batch, n, d_model)
    params : dict of arrays
        ``"W_q"``, ``"W_k"``, ``"W_v"``, ``"W_o"`` of shape (d_model, d_model); ``"ln1_gamma"``,
        ``"ln1_beta"``, ``"ln2_gamma"``, ``"ln2_beta"``, ``"b2"`` of shape (d_model,); ``"W1"`` of shape
        (d_model, d_ff), ``"b1"`` of shape (d_ff,), ``"W2"`` of shape (d_ff, d_model).
    n_heads : int
    mask : None or array_like of bool, e.g. ``causal_mask(n)``

    Returns
    -------
    ndarray of the shape of ``X``. Neither ``X`` nor ``params`` is modified.

    Examples
    --------
    >>> d = 4
    >>> params = {"W_q": np.eye(d), "W_k": np.eye(d), "W_v": np.eye(d), "W_o": np.zeros((d, d)),
    ...           "ln1_gamma": np.ones(d), "ln1_beta": np.zeros(d), "ln2_gamma": np.ones(d), "ln2_beta": np.zeros(d),
    ...           "W1": np.zeros((d, 8)), "b1": np.zeros(8), "W2": np.zeros((8, d)), "b2": np.ones(d)}
    >>> transformer_block(np.zeros((3, d)), params, n_heads=2)    # W_o = 0 and W2 = 0: X + 0 + b2
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.]])
    """
    # BEGIN SOLUTION
    # Step 1: H = X + attention of the layer-normalised X (ln1_gamma, ln1_beta), with the mask.
    X = np.asarray(X, dtype=float)
    p = params
    attended = multi_head_attention(layer_norm(X, p["ln1_gamma"], p["ln1_beta"]),
                                    p["W_q"], p["W_k"], p["W_v"], p["W_o"], n_heads, mask)
    H = X + attended
    # Step 2: out = H + the feed-forward network of the layer-normalised H (ln2_gamma, ln2_beta):
    #         relu(. @ W1 + b1) @ W2 + b2, with relu(z) = max(z, 0).
    hidden = np.maximum(layer_norm(H, p["ln2_gamma"], p["ln2_beta"]) @ p["W1"] + p["b1"], 0.0)
    return H + hidden @ p["W2"] + p["b2"]
    # END SOLUTION
