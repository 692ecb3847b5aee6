"""A convolutional network: exercise 19 of ml-from-scratch.

A dense layer looks at every pixel with its own weight, so a face shifted by one pixel looks new to it.
A convolution slides one small filter (a ``3 x 3`` patch of weights) over the whole image and reports,
at every position, how well the patch there matches it: the same detector everywhere. Max-pooling then
keeps the strongest answer of each ``2 x 2`` window, so the result hardly changes when the face moves a
little. Four functions and one network:

- ``conv2d_forward`` / ``conv2d_backward``: the convolution layer and its gradients;
- ``maxpool2d_forward`` / ``maxpool2d_backward``: the max-pool and its gradient;
- ``FaceCNN``: conv → ReLU → max-pool → dense → softmax, trained to tell neutral, smiling and frowning
  faces apart (``grader.support.faces.make_faces`` draws them).

Shapes follow the deep-learning libraries: images are ``(N, C, H, W)`` (batch, channels, height, width),
filters ``(F, C, KH, KW)``. What they call "convolution" is cross-correlation (the filter is NOT
flipped)::

    out[n, f, i, j] = b[f] + sum over c, u, v of  x_pad[n, c, i * stride + u, j * stride + v] * w[f, c, u, v]

No loop over every output pixel is needed: for each of the ``KH * KW`` kernel positions ``(u, v)``, the
pixels it meets form one strided slice of the padded input, and one ``np.einsum`` (or ``tensordot``) does
all images, channels and filters at once.

Grade your work with ``ml-grade cnn``; stuck? ``ml-grade hint cnn``.
"""

import numpy as np


def conv2d_forward(x, w, b, stride=1, padding=0):
    """A 2-D convolution layer (cross-correlation, as in every deep-learning library), with zero padding.

    Pad ``x`` with ``padding`` zeros on all four sides of each image (``x_pad``), then slide each filter
    over it with steps of ``stride`` pixels::

        H_out = (H + 2 * padding - KH) // stride + 1          W_out likewise, with W and KW

        out[n, f, i, j] = b[f] + sum over c, u, v of  x_pad[n, c, i * stride + u, j * stride + v] * w[f, c, u, v]

    For one kernel position ``(u, v)``, the pixels ``x_pad[:, :, i * stride + u, j * stride + v]`` of all
    outputs ``(i, j)`` are the slice ``x_pad[:, :, u : u + stride * H_out : stride, v : v + stride * W_out : stride]``.

    Parameters
    ----------
    x : array_like of shape (N, C, H, W)
        A batch of ``N`` images with ``C`` channels.
    w : array_like of shape (F, C, KH, KW)
        ``F`` filters, each ``KH x KW`` on all ``C`` channels.
    b : array_like of shape (F,)
        One bias per filter.
    stride : int, default 1
    padding : int, default 0

    Returns
    -------
    out : ndarray of shape (N, F, H_out, W_out)

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)       # [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    >>> w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])  # top-left minus bottom-right
    >>> conv2d_forward(x, w, np.array([0.5]))        # 0 - 4 + 0.5, 1 - 5 + 0.5, ...
    array([[[[-3.5, -3.5],
             [-3.5, -3.5]]]])
    """
    # TODO 1: turn x, w, b into float arrays; read the shapes; compute H_out and W_out.
    # TODO 2: pad the two spatial axes on both sides with np.pad (not the batch or channel axes).
    # TODO 3: start from zeros of shape (N, F, H_out, W_out); for each kernel position (u, v), add the
    #         strided slice of x_pad times w[:, :, u, v], summed over the channels (an einsum "nchw,fc->nfhw").
    # TODO 4: add the bias of each filter (shaped (1, F, 1, 1) so it broadcasts) and return.
    raise NotImplementedError


def conv2d_backward(grad_out, x, w, stride=1, padding=0):
    """Gradients of a loss through ``conv2d_forward(x, w, b, stride, padding)``.

    ``grad_out = dL/dout`` has the shape of the output. Each output pixel used the input pixels of its
    window and every weight once, so the chain rule, kernel position by kernel position, gives::

        dw[f, c, u, v] = sum over n, i, j of  grad_out[n, f, i, j] * x_pad[n, c, i * stride + u, j * stride + v]
        dx_pad[n, c, i * stride + u, j * stride + v]  +=  sum over f of  grad_out[n, f, i, j] * w[f, c, u, v]
        db[f] = sum over n, i, j of  grad_out[n, f, i, j]

    (the same strided slices as in the forward pass). ``dx`` is ``dx_pad`` with the padding cut off.
    Everything is SUMMED over the batch: ``grad_out`` already holds any ``1 / N`` of a mean loss.

    Parameters
    ----------
    grad_out : array_like of shape (N, F, H_out, W_out)
    x : array_like of shape (N, C, H, W)
        The input of the forward pass.
    w : array_like of shape (F, C, KH, KW)
    stride, padding : int
        As in the forward pass.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dw : ndarray of shape (F, C, KH, KW)
    db : ndarray of shape (F,)

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> dx, dw, db = conv2d_backward(np.ones((1, 1, 2, 2)), x, np.ones((1, 1, 2, 2)))
    >>> dx[0, 0]                    # how many windows each pixel is in
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> dw[0, 0], db                # sums of the 2 x 2 windows' pixels at each kernel position
    (array([[ 8., 12.],
           [20., 24.]]), array([4.]))
    """
    # TODO 1: turn the inputs into float arrays, pad x as in the forward pass, and read H_out, W_out
    #         from grad_out.
    # TODO 2: db sums grad_out over the batch and both spatial axes.
    # TODO 3: for each kernel position (u, v), take the same strided slice as in the forward pass:
    #         dw[:, :, u, v] = einsum("nfhw,nchw->fc", grad_out, slice), and ADD
    #         einsum("nfhw,fc->nchw", grad_out, w[:, :, u, v]) into that slice of dx_pad.
    # TODO 4: cut the padding off dx_pad and return (dx, dw, db).
    raise NotImplementedError


def maxpool2d_forward(x, size=2, stride=2):
    """Max-pooling: the largest value of each ``size x size`` window, windows ``stride`` pixels apart.

    ::

        H_out = (H - size) // stride + 1                      W_out likewise (no padding)

        out[n, c, i, j] = max over p, q < size of  x[n, c, i * stride + p, j * stride + q]

    Each channel is pooled on its own. As in the convolution, the ``x[n, c, i * stride + p, j * stride + q]``
    of all windows, for one offset ``(p, q)``, are one strided slice of ``x``.

    Parameters
    ----------
    x : array_like of shape (N, C, H, W)
    size : int, default 2
    stride : int, default 2
        ``stride < size`` makes the windows overlap.

    Returns
    -------
    out : ndarray of shape (N, C, H_out, W_out)

    Examples
    --------
    >>> x = np.array([[[[1.0, 5.0, 2.0, 0.0],
    ...                 [3.0, 4.0, 8.0, 6.0]]]])
    >>> maxpool2d_forward(x)
    array([[[[5., 8.]]]])
    """
    # TODO 1: turn x into a float array and compute H_out and W_out.
    # TODO 2: the maximum, over the size * size offsets (p, q), of the strided slices of x.
    raise NotImplementedError


def maxpool2d_backward(grad_out, x, size=2, stride=2):
    """The gradient through ``maxpool2d_forward(x, size, stride)``: to the maximum of each window.

    Only the largest value of a window reached the output, so each ``grad_out[n, c, i, j]`` goes to
    the position of that window's maximum; every other pixel of the window gets nothing from it. Two
    rules make the answer unique:

    - a tie (a window whose maximum appears twice) goes to the FIRST maximum in row-major window order
      (top row first, left to right), the one ``np.argmax`` of the flattened window picks;
    - a pixel in several windows (``stride < size``) ADDS what each of them gives it.

    Parameters
    ----------
    grad_out : array_like of shape (N, C, H_out, W_out)
    x : array_like of shape (N, C, H, W)
        The input of the forward pass.
    size, stride : int
        As in the forward pass.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
        Zero at every pixel that is no window's maximum.

    Examples
    --------
    >>> x = np.array([[[[1.0, 5.0, 2.0, 0.0],
    ...                 [3.0, 4.0, 8.0, 8.0]]]])
    >>> maxpool2d_backward(np.array([[[[10.0, 20.0]]]]), x)      # the tie 8, 8 goes to the first 8
    array([[[[ 0., 10.,  0.,  0.],
             [ 0.,  0., 20.,  0.]]]])
    """
    # TODO 1: turn the inputs into float arrays; stack the size * size strided slices of x (as in the
    #         forward pass, p then q) into one array of shape (size * size, N, C, H_out, W_out).
    # TODO 2: np.argmax over that first axis gives, for every window, the offset of its FIRST maximum.
    # TODO 3: for each offset k = (p, q), ADD grad_out where the winner is k into that strided slice of dx
    #         (adding, not assigning, sums what overlapping windows give one pixel).
    raise NotImplementedError


class FaceCNN:
    """A small convolutional classifier: conv → ReLU → max-pool → dense → softmax.

    For images ``X`` of shape ``(N, C, H, W)`` and ``K = len(classes_)`` classes::

        conv   = conv2d_forward(X, filters_, filter_bias_)      (N, F, H - k + 1, W - k + 1)   stride 1, no padding
        hidden = maximum(conv, 0)                               ReLU
        pooled = maxpool2d_forward(hidden, 2, 2)                (N, F, P, Q)
        features = pooled.reshape(N, -1)                        (N, F * P * Q)
        logits = features @ dense_weights_ + dense_bias_        (N, K)
        proba  = softmax(logits)                                rows sum to 1

    ``fit`` minimises the mean cross-entropy ``-mean(log proba[n, y_n])`` by mini-batch gradient descent.
    Backward, for a batch of ``B`` images (``T`` the one-hot targets)::

        d_logits = (proba - T) / B                              the 1 / B of the mean is here, once
        d_dense_weights = features.T @ d_logits;  d_dense_bias = d_logits.sum(axis=0)
        d_pooled = (d_logits @ dense_weights_.T).reshape(pooled.shape)
        d_hidden = maxpool2d_backward(d_pooled, hidden);  d_conv = d_hidden * (conv > 0)
        _, d_filters, d_filter_bias = conv2d_backward(d_conv, X, filters_)

    Start with ``rng = np.random.default_rng(random_state)`` (one generator for everything): filters
    ``rng.normal(size=(F, C, k, k)) * sqrt(2 / (C * k * k))``, dense weights
    ``rng.normal(size=(F * P * Q, K)) * sqrt(1 / (F * P * Q))``, biases 0. Each epoch visits the samples in
    the order ``rng.permutation(N)``, in batches of ``batch_size`` (the last one may be smaller), and takes
    one step ``parameter -= learning_rate * gradient`` per batch. Keep the four parameters in the attributes
    ``filters_``, ``filter_bias_``, ``dense_weights_`` and ``dense_bias_``: the grader checks a training step on them.

    Parameters
    ----------
    n_filters : int, default 4
        ``F``, the number of convolution filters.
    kernel_size : int, default 3
        ``k``: the filters are ``k x k``.
    learning_rate : float, default 0.1
    epochs : int, default 15
    batch_size : int, default 16
    random_state : int or None, default None
        Seed of the one generator used for the initial weights and the shuffles (0 is a seed like any other).

    Attributes
    ----------
    classes_ : ndarray of shape (K,)
        The labels seen in ``fit``, sorted (``np.unique(y)``), of the type given.
    filters_ : ndarray of shape (F, C, k, k)
        The learned convolution filters (print one with ``grader.support.faces.ascii_picture``).
    filter_bias_ : ndarray of shape (F,)
    dense_weights_ : ndarray of shape (F * P * Q, K)
    dense_bias_ : ndarray of shape (K,)
    loss_history_ : ndarray of shape (epochs,)
        The mean cross-entropy of each epoch's batches (each batch's loss weighted by its size), computed
        before each step.

    Examples
    --------
    >>> from grader.support.faces import make_faces, CLASS_NAMES
    >>> X, y = make_faces(np.random.default_rng(0), 100)           # X: (300, 1, 12, 12)
    >>> model = FaceCNN(learning_rate=0.3, random_state=0).fit(X, CLASS_NAMES[y])
    >>> model.filters_.shape, model.classes_
    ((4, 1, 3, 3), array(['frowning', 'neutral', 'smiling'], dtype='<U8'))
    >>> X_new, y_new = make_faces(np.random.default_rng(1), 50)     # 150 faces it has never seen
    >>> model.score(X_new, CLASS_NAMES[y_new])                      # 0.95 or more
    0.9933333333333333
    """

    def __init__(self, n_filters=4, kernel_size=3, learning_rate=0.1, epochs=15, batch_size=16, random_state=None):
        self.n_filters = n_filters
        self.kernel_size = kernel_size
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.random_state = random_state

    def _forward(self, X):
        """The forward pass with the current parameters: class probabilities and what backward needs.

        Parameters
        ----------
        X : ndarray of shape (N, C, H, W)

        Returns
        -------
        proba : ndarray of shape (N, K)
            ``softmax(logits)``, computed stably: subtract each row's maximum before ``np.exp``.
        cache : tuple
            ``(X, conv, hidden, pooled)``, the intermediate arrays of the formulas in the class docstring.
        """
        # TODO 1: convolution (stride 1, no padding), ReLU, max-pool 2 x 2 with stride 2.
        # TODO 2: flatten each image's pooled maps into one row, then the dense layer gives the logits.
        # TODO 3: a stable softmax (subtract the row maximum), and return (proba, (X, conv, hidden, pooled)).
        raise NotImplementedError

    def _backward(self, proba, targets, cache):
        """Gradients of the batch's mean cross-entropy with respect to the four parameters.

        Parameters
        ----------
        proba : ndarray of shape (B, K)
            From ``_forward``.
        targets : ndarray of shape (B, K)
            One-hot rows: ``targets[n, c] = 1`` where sample ``n`` is of class ``classes_[c]``.
        cache : tuple
            From ``_forward``.

        Returns
        -------
        gradients : tuple
            ``(d_filters, d_filter_bias, d_dense_weights, d_dense_bias)``, shaped like the parameters.
        """
        # TODO 1: the gradient of the mean cross-entropy with respect to the logits: (proba - targets) / B.
        # TODO 2: the dense layer: its weight and bias gradients, and the gradient of the pooled maps
        #         (reshaped back to pooled.shape).
        # TODO 3: back through the max-pool, the ReLU (only where conv > 0) and the convolution.
        raise NotImplementedError

    def fit(self, X, y):
        """Learn ``classes_``, the parameters and ``loss_history_`` by mini-batch gradient descent; return ``self``.

        Parameters
        ----------
        X : array_like of shape (N, C, H, W)
            Images; ``ValueError`` if ``X`` is not 4-D or is smaller than the kernel.
        y : array_like of shape (N,)
            Labels of any type (ints, strings, ...).
        """
        # TODO 1: X as a 4-D float array (ValueError otherwise), classes_ and each sample's class index
        #         (np.unique with return_inverse=True), and the one-hot targets.
        # TODO 2: one generator from random_state; initial filters, dense weights (their number of rows
        #         is F * P * Q, the size of a flattened pooled image) and zero biases, as in the class docstring.
        # TODO 3: for each epoch, shuffle with rng.permutation(N); for each batch: forward, add its mean
        #         cross-entropy (times its size) to the epoch's total, backward, one gradient step on each
        #         parameter. Record total / N in loss_history_.
        # TODO 4: return self.
        raise NotImplementedError

    def predict_proba(self, X):
        """Class probabilities, one row per image.

        Returns
        -------
        proba : ndarray of shape (N, K)
            Column ``c`` is the probability of ``classes_[c]``; each row sums to 1.
        """
        # TODO 1: the forward pass on X (as a float array); keep the probabilities.
        raise NotImplementedError

    def predict(self, X):
        """The most probable label of each image.

        Returns
        -------
        y_pred : ndarray of shape (N,), with the same values (and dtype) as ``classes_``.
        """
        # TODO 1: the column of the largest probability, as a label of classes_.
        raise NotImplementedError

    def score(self, X, y):
        """Accuracy: the fraction of images whose predicted label equals ``y``, as a float."""
        # TODO 1: compare predictions with y and return the mean as a float.
        raise NotImplementedError
