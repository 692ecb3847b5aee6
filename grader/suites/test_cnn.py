"""Hidden suite for exercise 19, cnn.

The layers are judged against references written here, never against one hard-coded answer:

- ``conv2d_forward`` must equal a direct loop over the output pixels (cross-correlation, zero padding)
  for strides 1 to 3, padding 0 to 2, non-square kernels, several channels and filters;
- ``conv2d_backward`` passes a gradient check (``grader.support.gradcheck``) of ``dx``, ``dw`` and ``db``
  for the loss ``sum(out * G)``, with the numeric side computed on this suite's own convolution;
- ``maxpool2d_forward`` must equal a loop over the windows; its backward must send each gradient to
  its window's maximum (inputs with distinct values, so there is one), to the FIRST maximum in
  row-major order when a window holds a tie (the documented rule), and add up where windows overlap;
  a gradient check uses points far from any tie, where the max is differentiable.

Where a result matches a classic mistake (a flipped kernel, an output one pixel short, padding on one
side, a gradient averaged over the batch, a bias gradient per pixel, gradients to the last maximum or
spread evenly) the message names it.

``FaceCNN`` is judged by what it learns: trained on freshly drawn faces (``grader.support.faces``), it
must classify NEW faces with at least 90 % accuracy (the reference reaches 95-100 % at every seed),
its loss must go down, and it must keep the scikit-learn habits (labels as given, ``random_state``
reproducible, inputs untouched).
"""

import numpy as np
import pytest

from grader.support.checks import (
    expect_array,
    expect_close,
    expect_loss_going_down,
    expect_no_error,
    expect_number_close,
    expect_unchanged,
    fail,
    show,
)
from grader.support.faces import CLASS_NAMES, make_faces
from grader.support.gradcheck import DEFAULT_THRESHOLD, expect_gradient, numeric_gradient, relative_error

CONV_FORMULA = "(out[n, f, i, j] = b[f] + sum over c, u, v of x_pad[n, c, i * stride + u, j * stride + v] * w[f, c, u, v])"
SIZE_FORMULA = "H_out = (H + 2 * padding - KH) // stride + 1"


# --- references ------------------------------------------------------------------------------------------
def pad(x, before, after=None):
    after = before if after is None else after
    return np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))


def direct_conv(x, w, b, stride=1, padding=0):
    """The definition, one output pixel at a time (cross-correlation: the kernel is not flipped)."""
    x_pad = pad(np.asarray(x, dtype=float), padding)
    kh, kw = w.shape[2:]
    h_out = (x_pad.shape[2] - kh) // stride + 1
    w_out = (x_pad.shape[3] - kw) // stride + 1
    out = np.empty((x.shape[0], w.shape[0], h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            window = x_pad[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out


def sliding_conv(x, w, b, stride=1, padding=0):
    """The same convolution with sliding windows, fast enough to differentiate numerically."""
    windows = np.lib.stride_tricks.sliding_window_view(pad(x, padding), w.shape[2:], axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride]  # (N, C, H_out, W_out, KH, KW)
    return np.einsum("nchwuv,fcuv->nfhw", windows, w) + b[None, :, None, None]


def conv_dx(grad_out, x_shape, w, stride, padding):
    """The exact dx of sum(conv(x, w) * grad_out), by a loop over the output pixels (for diagnoses)."""
    kh, kw = w.shape[2:]
    dx_pad = np.zeros((x_shape[0], x_shape[1], x_shape[2] + 2 * padding, x_shape[3] + 2 * padding))
    for i in range(grad_out.shape[2]):
        for j in range(grad_out.shape[3]):
            dx_pad[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw] += np.tensordot(grad_out[:, :, i, j], w, axes=(1, 0))
    return dx_pad[:, :, padding : padding + x_shape[2], padding : padding + x_shape[3]]


def unstrided_dw(grad_out, x, w, padding):
    """dw as a backward pass that forgot the stride would compute it (contiguous slices)."""
    x_pad = pad(x, padding)
    h_out, w_out = grad_out.shape[2:]
    return np.stack([np.stack([np.einsum("nfhw,nchw->fc", grad_out, x_pad[:, :, u : u + h_out, v : v + w_out])
                               for v in range(w.shape[3])], axis=-1) for u in range(w.shape[2])], axis=-2)


def pool_windows(x, size, stride):
    h_out = (x.shape[2] - size) // stride + 1
    w_out = (x.shape[3] - size) // stride + 1
    for i in range(h_out):
        for j in range(w_out):
            yield i, j, x[:, :, i * stride : i * stride + size, j * stride : j * stride + size].reshape(x.shape[0], x.shape[1], -1)


def direct_pool(x, size=2, stride=2):
    """Max-pooling, one window at a time."""
    h_out = (x.shape[2] - size) // stride + 1
    w_out = (x.shape[3] - size) // stride + 1
    out = np.empty((x.shape[0], x.shape[1], h_out, w_out))
    for i, j, window in pool_windows(x, size, stride):
        out[:, :, i, j] = window.max(axis=2)
    return out


def direct_mean(x, size=2, stride=2):
    """Average-pooling, for naming the mistake."""
    out = direct_pool(x, size, stride)
    for i, j, window in pool_windows(x, size, stride):
        out[:, :, i, j] = window.mean(axis=2)
    return out


def pool_backward(grad_out, x, size=2, stride=2, rule="first"):
    """Max-pool backward by a loop over the windows, with a tie ``rule``: the documented "first" one, or a
    learner's mistake ("last", "every", "split" between the maxima, "average" over the whole window)."""
    dx = np.zeros_like(x)
    for i, j, window in pool_windows(x, size, stride):
        for n, c in np.ndindex(window.shape[:2]):
            values = window[n, c]
            hits = np.flatnonzero(values == values.max())
            shares = {"first": {hits[0]: 1.0}, "last": {hits[-1]: 1.0}, "every": dict.fromkeys(hits, 1.0),
                      "split": dict.fromkeys(hits, 1.0 / len(hits)),
                      "average": dict.fromkeys(range(size * size), 1.0 / size**2)}[rule]
            for k, share in shares.items():
                dx[n, c, i * stride + k // size, j * stride + k % size] += share * grad_out[n, c, i, j]
    return dx


def distinct_values(rng, shape):
    """Values at least 0.05 apart, in random places: every window has one clear maximum, far from a tie."""
    count = int(np.prod(shape))
    return (0.1 * (rng.permutation(count) + rng.uniform(0.0, 0.5, size=count)) - 0.05 * count).reshape(shape)


# --- checks that name the mistakes ------------------------------------------------------------------------
def output_size(size, kernel, stride, padding):
    return (size + 2 * padding - kernel) // stride + 1


def expect_conv_output(got, x, w, b, stride, padding, call):
    """conv2d_forward's answer must be the direct convolution; wrong shapes and values are explained."""
    expected = direct_conv(x, w, b, stride, padding)
    n, f, h_out, w_out = expected.shape
    (h, wd), (kh, kw) = x.shape[2:], w.shape[2:]
    if isinstance(got, np.ndarray) and got.ndim == 4 and got.shape != expected.shape:
        wrong_sizes = [
            ("the + 1 is missing", lambda s, k: (s + 2 * padding - k) // stride),
            ("the padding is left out of it (or x is not padded)", lambda s, k: (s - k) // stride + 1),
            ("the stride is left out of it (or the slices do not step by stride)", lambda s, k: s + 2 * padding - k + 1),
            ("x is padded on one side only (np.pad needs (padding, padding) for each spatial axis)", lambda s, k: (s + padding - k) // stride + 1),
            ("it is rounded up; // rounds down: a window that does not fit is dropped", lambda s, k: -(-(s + 2 * padding - k) // stride) + 1),
        ]
        for mistake, size in wrong_sizes:
            if got.shape == (n, f, size(h, kh), size(wd, kw)):
                fail(f"{call} returned shape {got.shape}; expected {expected.shape}, from {SIZE_FORMULA} "
                     f"(H = {h}, W = {wd}, KH = {kh}, KW = {kw}) — {mistake}")
    got = expect_array(got, call, expected.shape)
    if np.allclose(got, expected, rtol=1e-9, atol=1e-9):
        return got
    if np.allclose(got, direct_conv(x, w[:, :, ::-1, ::-1], b, stride, padding), rtol=1e-9, atol=1e-9):
        fail(f"{call} returned {show(got)}; expected {show(expected)} — you flipped the kernel (a true convolution): "
             "deep-learning libraries compute cross-correlation, where w[f, c, u, v] multiplies "
             "x_pad[n, c, i * stride + u, j * stride + v] as it is, without flipping")
    if np.allclose(got, expected - b[None, :, None, None], rtol=1e-9, atol=1e-9):
        fail(f"{call} returned {show(got)}; expected {show(expected)} — the bias is missing: add b[f] to every "
             "output pixel of filter f")
    if padding:
        for before, after in ((2 * padding, 0), (0, 2 * padding)):
            one_sided = direct_conv(pad(x, before, after), w, b, stride, 0)
            if one_sided.shape == got.shape and np.allclose(got, one_sided, rtol=1e-9, atol=1e-9):
                side = "before (top and left)" if before else "after (bottom and right)"
                fail(f"{call} returned {show(got)}; expected {show(expected)} — all {2 * padding} rows and columns of "
                     f"zeros are {side} the image: pad {padding} on EACH side, np.pad(x, ((0, 0), (0, 0), "
                     f"({padding}, {padding}), ({padding}, {padding})))")
    expect_close(got, expected, call, rtol=1e-9, atol=1e-9, why=CONV_FORMULA)
    return got


def unpack(result, call, count, names):
    if not isinstance(result, (tuple, list)) or len(result) != count:
        fail(f"{call} returned {show(result)}; expected a tuple of {count} arrays ({names})")
    return result


def expect_conv_gradients(learner, rng, x_shape, w_shape, stride, padding):
    """conv2d_backward must pass the gradient check for dx, dw and db; the classic mistakes are named."""
    x = rng.normal(size=x_shape)
    w = rng.normal(size=w_shape)
    b = rng.normal(size=w_shape[0])
    out_shape = (x_shape[0], w_shape[0], output_size(x_shape[2], w_shape[2], stride, padding),
                 output_size(x_shape[3], w_shape[3], stride, padding))
    grad_out = rng.normal(size=out_shape)
    call = (f"conv2d_backward(grad_out, x, w, stride={stride}, padding={padding}) with x of shape {x_shape}, "
            f"w of shape {w_shape}")
    dx, dw, db = unpack(learner.conv2d_backward(grad_out, x, w, stride, padding), call, 3, "dx, dw, db")
    # sum(out * grad_out) is linear in each of x, w, b: central differences are exact for any step, and a
    # large one keeps rounding errors small
    numeric_dx = numeric_gradient(lambda x_: np.sum(sliding_conv(x_, w, b, stride, padding) * grad_out), x, step=1e-3)
    numeric_dw = numeric_gradient(lambda w_: np.sum(sliding_conv(x, w_, b, stride, padding) * grad_out), w, step=1e-3)
    numeric_db = numeric_gradient(lambda b_: np.sum(sliding_conv(x, w, b_, stride, padding) * grad_out), b, step=1e-3)
    n = x_shape[0]
    if isinstance(db, np.ndarray) and db.shape in (out_shape[1:], out_shape[:2], out_shape):
        fail(f"{call}: db has shape {db.shape}; expected ({w_shape[0]},), one value per filter — a filter's bias is "
             "added at every output pixel of every image, so db sums grad_out over the batch AND both spatial "
             "axes: grad_out.sum(axis=(0, 2, 3))")
    if isinstance(dw, np.ndarray) and dw.shape == (n, *w_shape):
        fail(f"{call}: dw has shape {dw.shape}, one per image; expected {w_shape}: sum over the batch")
    for name, got, numeric in (("dw", dw, numeric_dw), ("db", db, numeric_db)):
        if isinstance(got, np.ndarray) and got.shape == numeric.shape and np.allclose(got * n, numeric, rtol=1e-6, atol=1e-9):
            fail(f"{call}: {name} is the numeric gradient divided by the batch size N = {n} — the loss here is a sum "
                 f"(sum(out * grad_out)), so {name} SUMS over the batch; when a network's loss is a mean, its 1 / N "
                 "is already inside grad_out")
    if isinstance(dx, np.ndarray) and dx.shape == x.shape:
        flipped = conv_dx(grad_out, x_shape, w[:, :, ::-1, ::-1], stride, padding)
        if np.allclose(dx, flipped, rtol=1e-6, atol=1e-9) and not np.allclose(flipped, numeric_dx, rtol=1e-6, atol=1e-9):
            fail(f"{call}: dx matches a backward pass with the kernel un-rotated — sending grad_out back to the input "
                 "is a FULL convolution with the kernel rotated by 180 degrees; or, simpler, for each kernel position "
                 "(u, v) add grad_out times w[:, :, u, v] into the same slice of dx_pad the forward pass read")
    if stride > 1 and isinstance(dw, np.ndarray) and dw.shape == w.shape:
        if np.allclose(dw, unstrided_dw(grad_out, x, w, padding), rtol=1e-6, atol=1e-9):
            fail(f"{call}: dw is what slices WITHOUT the stride give (x_pad[:, :, u : u + H_out, v : v + W_out]) — "
                 "backward must read the same strided slices as the forward pass: u : u + stride * H_out : stride")
    expect_gradient(dx, numeric_dx, call, "the input x (dx)", floor=1e-6)
    expect_gradient(dw, numeric_dw, call, "the filters w (dw)", floor=1e-6)
    expect_gradient(db, numeric_db, call, "the biases b (db)", floor=1e-6)


def first_wrong_window(got, expected, x, size, stride):
    """Where the first wrong pixel is, and the values of a window that contains it, for a message."""
    n, c, row, column = (int(i) for i in np.argwhere(~np.isclose(got, expected, rtol=1e-9, atol=1e-12))[0])
    i, j = max(0, (row - size) // stride + 1), max(0, (column - size) // stride + 1)  # the first window holding it
    if i > (x.shape[2] - size) // stride or j > (x.shape[3] - size) // stride:
        return (f"at index {(n, c, row, column)}: got {got[n, c, row, column]:.6g}, expected 0 (a pixel that no "
                "window covers: the last rows or columns that do not fill a whole window get no gradient)")
    top, left = i * stride, j * stride
    window = x[n, c, top : top + size, left : left + size]
    return (f"at index {(n, c, row, column)}: got {got[n, c, row, column]:.6g}, expected {expected[n, c, row, column]:.6g} "
            f"(the window at rows {top}-{top + size - 1}, columns {left}-{left + size - 1} holds "
            f"{np.array2string(window, precision=3, separator=', ').replace(chr(10), '')})")


def expect_pool_gradient(got, grad_out, x, size, stride, call):
    """maxpool2d_backward must route each gradient to its window's first maximum; mistakes are named."""
    expected = pool_backward(grad_out, x, size, stride)
    got = expect_array(got, call, x.shape)
    if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
        return got
    where = first_wrong_window(got, expected, x, size, stride)
    named = (
        ("average", "the gradient is spread evenly over each window (that is average-pooling's gradient): max-pooling "
                    "sends all of it to the window's maximum, the only pixel that reached the output"),
        ("last", "in a window with a tie, the gradient went to the LAST maximum; the documented rule is the FIRST one in "
                 "row-major order (np.argmax of the flattened window)"),
        ("every", "in a window with a tie, every maximum got the whole gradient; only the FIRST one in row-major "
                  "order gets it (np.argmax of the flattened window)"),
        ("split", "in a window with a tie, the gradient is split between the maxima; the documented rule gives it all "
                  "to the FIRST one in row-major order (np.argmax of the flattened window)"),
    )
    for rule, mistake in named:
        candidate = pool_backward(grad_out, x, size, stride, rule)
        if not np.allclose(candidate, expected) and np.allclose(got, candidate, rtol=1e-9, atol=1e-12):
            fail(f"{call} is wrong {where} — {mistake}")
    shared = pool_backward(np.ones_like(grad_out), np.zeros_like(x), size, stride, "average") * size**2  # windows per pixel
    wrong = ~np.isclose(got, expected, rtol=1e-9, atol=1e-12)
    if stride < size and np.all(shared[wrong] >= 2):
        fail(f"{call} is wrong only at pixels shared by several overlapping windows, {where} — each window must ADD "
             "its gradient to its maximum's pixel (+=): assigning (=) lets one window overwrite, or erase with a zero, "
             "what another window gave that pixel")
    expect_close(got, expected, call, rtol=1e-9, atol=1e-12,
                 why="(each grad_out value at the position of its window's maximum, zero elsewhere)")
    return got


def network_loss(X, targets, filters, filter_bias, dense_weights, dense_bias):
    """The mean cross-entropy of FaceCNN as its docstring defines it, with this suite's own layers."""
    hidden = np.maximum(sliding_conv(X, filters, filter_bias), 0.0)
    rows, columns = hidden.shape[2] // 2 * 2, hidden.shape[3] // 2 * 2  # a 2 x 2 pool drops an odd last row/column
    n, f = hidden.shape[:2]
    pooled = hidden[:, :, :rows, :columns].reshape(n, f, rows // 2, 2, columns // 2, 2).max(axis=(3, 5))
    logits = pooled.reshape(n, -1) @ dense_weights + dense_bias
    log_proba = logits - logits.max(axis=1, keepdims=True)
    log_proba -= np.log(np.exp(log_proba).sum(axis=1, keepdims=True))
    return float(-np.mean(np.sum(targets * log_proba, axis=1)))



def kink_margin(X, filters, filter_bias):
    """How far the network is from a kink at these inputs: the smallest |conv output| (the ReLU's kink) and
    the smallest gap between the two largest positive values of a pooling window (a max-pool tie)."""
    hidden = np.maximum(sliding_conv(X, filters, filter_bias), 0.0)
    rows, columns = hidden.shape[2] // 2 * 2, hidden.shape[3] // 2 * 2
    n, f = hidden.shape[:2]
    windows = hidden[:, :, :rows, :columns].reshape(n, f, rows // 2, 2, columns // 2, 2).transpose(0, 1, 2, 4, 3, 5)
    top_two = np.sort(windows.reshape(n, f, rows // 2, columns // 2, 4), axis=-1)[..., -2:]
    gaps = (top_two[..., 1] - top_two[..., 0])[top_two[..., 1] > 0]
    return min(float(np.abs(sliding_conv(X, filters, filter_bias)).min()), float(gaps.min(initial=np.inf)))

PARAMETERS = ("filters_", "filter_bias_", "dense_weights_", "dense_bias_")


# --- convolution ------------------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_conv_forward_matches_loops(learner, rng):
    """conv2d_forward equals the direct definition (cross-correlation) with stride 1 and no padding"""
    for x_shape, w_shape in (((1, 1, 5, 5), (1, 1, 3, 3)), ((3, 2, 7, 6), (4, 2, 3, 3)), ((2, 3, 6, 8), (2, 3, 2, 4))):
        x, w, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
        call = f"conv2d_forward(x, w, b) with x of shape {x_shape}, w of shape {w_shape}"
        expect_conv_output(learner.conv2d_forward(x, w, b), x, w, b, 1, 0, call)


@pytest.mark.points(2)
def test_conv_forward_stride_and_padding(learner, rng):
    """conv2d_forward handles strides 2 and 3, padding 1 and 2, and non-square kernels"""
    cases = (
        ((2, 3, 8, 8), (2, 3, 3, 3), 2, 0),  # (8 - 3) // 2 + 1 = 3: the last column is dropped
        ((2, 2, 6, 6), (3, 2, 3, 3), 1, 1),  # "same" padding
        ((2, 2, 5, 7), (2, 2, 3, 2), 1, 2),
        ((2, 3, 7, 8), (4, 3, 2, 3), 2, 1),
        ((1, 2, 9, 10), (2, 2, 3, 3), 3, 2),
    )
    for x_shape, w_shape, stride, padding in cases:
        x, w, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
        call = f"conv2d_forward(x, w, b, stride={stride}, padding={padding}) with x of shape {x_shape}, w of shape {w_shape}"
        expect_conv_output(learner.conv2d_forward(x, w, b, stride=stride, padding=padding), x, w, b, stride, padding, call)


@pytest.mark.points(2)
def test_conv_backward_gradient_check(learner, rng):
    """conv2d_backward gives dx, dw and db that pass a numeric gradient check (stride 1, no padding)"""
    expect_conv_gradients(learner, rng, (3, 2, 6, 5), (3, 2, 3, 3), 1, 0)
    expect_conv_gradients(learner, rng, (2, 1, 5, 6), (2, 1, 2, 3), 1, 0)


@pytest.mark.points(2)
def test_conv_backward_stride_and_padding(learner, rng):
    """conv2d_backward passes the gradient check with strides and padding, non-square kernels too"""
    expect_conv_gradients(learner, rng, (2, 2, 7, 7), (2, 2, 3, 3), 2, 0)
    expect_conv_gradients(learner, rng, (2, 2, 5, 5), (3, 2, 3, 3), 1, 1)
    expect_conv_gradients(learner, rng, (3, 2, 6, 7), (2, 2, 3, 2), 2, 1)


# --- max-pooling ------------------------------------------------------------------------------------------
@pytest.mark.points(1)
def test_maxpool_forward(learner, rng):
    """maxpool2d_forward takes the maximum of each window (2 x 2 stride 2, odd sizes, overlapping windows)"""
    for shape, size, stride in (((2, 3, 6, 6), 2, 2), ((2, 2, 7, 5), 2, 2), ((1, 2, 7, 7), 3, 2), ((2, 1, 5, 6), 3, 1)):
        x = rng.normal(size=shape)
        expected = direct_pool(x, size, stride)
        call = f"maxpool2d_forward(x, size={size}, stride={stride}) with x of shape {shape}"
        got = learner.maxpool2d_forward(x, size=size, stride=stride)
        if isinstance(got, np.ndarray) and got.ndim == 4 and got.shape != expected.shape:
            fail(f"{call} returned shape {got.shape}; expected {expected.shape}, from H_out = (H - size) // stride + 1 "
                 "(a window that does not fit entirely is dropped)")
        got = expect_array(got, call, expected.shape)
        if not np.allclose(got, expected) and np.allclose(got, direct_mean(x, size, stride)):
            fail(f"{call} returned the mean of each window ({show(got)}); expected the maximum ({show(expected)})")
        expect_close(got, expected, call, why="(the largest value of each window)")


@pytest.mark.points(2)
def test_maxpool_backward_routes_to_the_maximum(learner, rng):
    """maxpool2d_backward sends each window's gradient to the position of its maximum, zero elsewhere"""
    for shape in ((2, 3, 6, 6), (2, 2, 7, 5)):  # 7 x 5: the last row and column are in no window
        x = distinct_values(rng, shape)
        grad_out = rng.normal(size=direct_pool(x).shape)
        expect_pool_gradient(learner.maxpool2d_backward(grad_out, x), grad_out, x, 2, 2,
                             f"maxpool2d_backward(grad_out, x) with x of shape {shape} (all values distinct)")


@pytest.mark.points(1)
def test_maxpool_backward_ties_go_to_the_first_maximum(learner, rng):
    """in a window with a tie, the gradient goes to the first maximum in row-major order (the documented rule)"""
    for shape, size in (((2, 2, 6, 6), 2), ((1, 3, 6, 9), 3)):
        x = rng.integers(0, 3, size=shape).astype(float)  # small integers: many windows hold ties
        out_shape = direct_pool(x, size, size).shape
        grad_out = rng.uniform(1.0, 2.0, size=out_shape) * rng.choice([-1.0, 1.0], size=out_shape)
        call = f"maxpool2d_backward(grad_out, x, size={size}, stride={size}) with x of small integers (ties)"
        expect_pool_gradient(learner.maxpool2d_backward(grad_out, x, size=size, stride=size), grad_out, x, size, size, call)


@pytest.mark.points(1)
def test_maxpool_backward_overlapping_windows_add_up(learner, rng):
    """with overlapping windows (stride < size), a pixel that is the maximum of several windows gets their sum"""
    for shape, size, stride in (((2, 2, 7, 7), 3, 2), ((1, 2, 5, 6), 2, 1)):
        x = distinct_values(rng, shape)
        x[:, :, 2, 2] = np.abs(x).max() + 1.0  # the maximum of every window that contains it
        grad_out = rng.normal(size=direct_pool(x, size, stride).shape)
        call = f"maxpool2d_backward(grad_out, x, size={size}, stride={stride}) with x of shape {shape} (overlapping windows)"
        expect_pool_gradient(learner.maxpool2d_backward(grad_out, x, size=size, stride=stride), grad_out, x, size, stride, call)


@pytest.mark.points(1)
def test_maxpool_gradient_check(learner, rng):
    """maxpool2d_backward passes a numeric gradient check, at points far from any tie"""
    for shape, size, stride in (((2, 2, 6, 6), 2, 2), ((1, 2, 7, 7), 3, 2)):
        x = distinct_values(rng, shape)
        grad_out = rng.normal(size=direct_pool(x, size, stride).shape)
        # the values are at least 0.05 apart, so a step of 1e-3 changes no window's maximum: the differences are exact
        numeric = numeric_gradient(lambda x_: np.sum(direct_pool(x_, size, stride) * grad_out), x, step=1e-3)
        call = f"maxpool2d_backward(grad_out, x, size={size}, stride={stride}) with x of shape {shape}"
        expect_gradient(learner.maxpool2d_backward(grad_out, x, size=size, stride=stride), numeric, call,
                        "the input x (dx)", floor=1e-6)


# --- the network ------------------------------------------------------------------------------------------
def learner_seed(rng):
    return int(rng.integers(2**31))


@pytest.mark.points(3)
def test_face_cnn_classifies_new_faces(learner, rng):
    """FaceCNN trained on 300 faces classifies 150 new ones (neutral, smiling, frowning) with at least 90% accuracy"""
    X, y = make_faces(rng, 100)
    X_new, y_new = make_faces(rng, 50)
    seed = learner_seed(rng)
    settings = f"n_filters=4, kernel_size=3, learning_rate=0.3, epochs=15, batch_size=16, random_state={seed}"
    model = learner.FaceCNN(n_filters=4, kernel_size=3, learning_rate=0.3, epochs=15, batch_size=16, random_state=seed).fit(X, y)
    call = f"FaceCNN({settings}).fit(X, y).predict(X_new)"
    predicted = expect_array(model.predict(X_new), call, (150,))
    accuracy = float(np.mean(predicted == y_new))
    if accuracy >= 0.9:
        return
    message = (f"FaceCNN({settings}), trained on 300 faces, classified {accuracy:.0%} of 150 new faces correctly; "
               "expected at least 90% (a correct network gets 95-100%)")
    values, counts = np.unique(predicted, return_counts=True)
    if counts.max() >= 0.9 * len(predicted):
        message += f" — it predicts {values[np.argmax(counts)]!r} for almost every face: did training change anything?"
    history = np.asarray(model.loss_history_, dtype=float)
    if history.ndim == 1 and history.size >= 2:
        message += f" (loss_history_ went from {history[0]:.4g} to {history[-1]:.4g}"
        message += "; a network that learns ends below 0.3)" if history[-1] > 0.3 else ")"
    fail(message + ". The layer tests above check each piece; the gradient of the mean cross-entropy with respect "
         "to the logits is (proba - one_hot) / batch_size")


@pytest.mark.points(2)
def test_face_cnn_gradient_step(learner, rng):
    """one full-batch training step moves every parameter by -learning_rate times the gradient of the mean cross-entropy"""
    faces, y = make_faces(rng, 4)
    targets = np.eye(3)[y]
    seed = learner_seed(rng)
    settings = f"n_filters=2, kernel_size=3, epochs=1, batch_size=12, random_state={seed}"

    def jittered():
        # centred, so that every filter has outputs of both signs (the ReLU matters), and jittered
        return faces - 0.5 + rng.uniform(-0.05, 0.05, size=faces.shape)

    def parameters(learning_rate):
        call = f"FaceCNN(learning_rate={learning_rate}, {settings}).fit(X, y)"
        model = learner.FaceCNN(n_filters=2, kernel_size=3, learning_rate=learning_rate, epochs=1, batch_size=12,
                                random_state=seed).fit(X, y)
        advice = {"AttributeError": "store the parameters as filters_, filter_bias_, dense_weights_ and dense_bias_ "
                                    "(see the FaceCNN docstring)"}
        values = [expect_no_error(lambda name=name: getattr(model, name), f"{call}.{name}", advice) for name in PARAMETERS]
        shapes = ((2, 1, 3, 3), (2,), (50, 3), (3,))
        return model, call, [expect_array(v, f"{call}.{name}", shape) for v, name, shape in zip(values, PARAMETERS, shapes)]

    X = jittered()
    _, _, start = parameters(0.0)  # learning_rate=0: the initial parameters, which depend on random_state only
    for _ in range(30):  # keep the numeric gradient away from kinks: no conv output near 0, no near-tie in a pool
        if kink_margin(X, start[0], start[1]) > 1e-4:
            break
        X = jittered()
    start_model, start_call, start = parameters(0.0)
    loss = network_loss(X, targets, *start)
    history = expect_array(np.asarray(start_model.loss_history_, dtype=float), f"{start_call}.loss_history_", (1,))
    expect_number_close(history[0], loss, f"{start_call}.loss_history_[0]", rtol=1e-6,
                        why="(the mean cross-entropy -mean(log proba[n, y_n]) of the 12 images at the initial parameters)")
    _, _, stepped = parameters(1.0)
    for index in (3, 2, 1, 0):  # from the output back, as backpropagation goes
        def loss_of(value, index=index):
            return network_loss(X, targets, *[value if k == index else p for k, p in enumerate(start)])
        numeric = numeric_gradient(loss_of, start[index], step=1e-5)  # rounding and truncation both near 1e-11
        change = start[index] - stepped[index]  # with learning_rate=1.0, one step changes a parameter by its gradient
        name = PARAMETERS[index]
        call = (f"FaceCNN(learning_rate=1.0, {settings}).fit(X, y) on 12 images (one step on one batch, so {name} "
                "moves by minus its gradient)")
        if np.allclose(change, 12 * numeric, rtol=1e-5, atol=1e-10) and not np.allclose(numeric, 0):
            fail(f"{call}: {name} moved by 12 times its gradient — the loss is the MEAN cross-entropy over the batch "
                 "of 12: divide d_logits = proba - one_hot by the batch size")
        errors = relative_error(change, numeric, tiny=max(1e-3 * float(np.abs(numeric).max()), 1e-5))
        if index <= 1 and errors.max() > DEFAULT_THRESHOLD:  # the dense layer's gradients passed just before
            worst = np.unravel_index(int(np.argmax(errors)), errors.shape)
            fail(f"{call}: the dense layer's gradients are right but {name}'s is not: at index "
                 f"{tuple(int(i) for i in worst)}, numeric {numeric[worst]:.6g}, yours {change[worst]:.6g} — check the "
                 "way back from the dense layer: d_pooled reshaped to pooled's shape, maxpool2d_backward on the "
                 "ReLU's output, times (conv > 0) for the ReLU, then conv2d_backward")
        expect_gradient(change, numeric, call, name, floor=1e-3, tiny=1e-5)


@pytest.mark.points(1)
def test_face_cnn_training_record(learner, rng):
    """loss_history_ has one mean cross-entropy per epoch, going down; filters_ has shape (F, C, k, k)"""
    X, y = make_faces(rng, 20)
    X = np.concatenate([X, X[:, :, ::-1]], axis=1)  # two channels: the picture and the picture upside down
    seed = learner_seed(rng)
    settings = f"n_filters=3, kernel_size=4, learning_rate=0.3, epochs=6, batch_size=10, random_state={seed}"
    model = learner.FaceCNN(n_filters=3, kernel_size=4, learning_rate=0.3, epochs=6, batch_size=10, random_state=seed).fit(X, y)
    call = f"FaceCNN({settings}).fit(X, y) on 60 images of shape (2, 12, 12)"
    expect_array(model.filters_, f"{call}.filters_", (3, 2, 4, 4))
    history = expect_loss_going_down(model.loss_history_, call, 6)
    if np.any(history <= 0):
        fail(f"{call}: loss_history_ is {show(history)}; a cross-entropy is positive (-log of a probability below 1)")
    if history[0] > 10 * np.log(3):
        fail(f"{call}: loss_history_[0] is {history[0]:.4g}, far above log(3) = {np.log(3):.3g}, the loss of a guess: "
             "record the MEAN cross-entropy over the samples (sum of the batch losses times their sizes, divided by "
             "the number of samples), not the sum")


@pytest.mark.points(1)
def test_face_cnn_labels_and_probabilities(learner, rng):
    """FaceCNN learns classes_ as given (strings) and predicts them; predict_proba rows sum to 1; score is accuracy"""
    X, y = make_faces(rng, 12)
    names = CLASS_NAMES[y]
    model = learner.FaceCNN(epochs=2, random_state=learner_seed(rng)).fit(X, names)
    classes = model.classes_
    if not isinstance(classes, np.ndarray) or classes.tolist() != sorted(CLASS_NAMES.tolist()):
        fail(f"with labels {CLASS_NAMES.tolist()}, classes_ is {show(classes)}; expected np.unique(y) = {sorted(CLASS_NAMES.tolist())}")
    X_new, y_new = make_faces(rng, 5)
    proba = expect_array(model.predict_proba(X_new), "FaceCNN().fit(X, y).predict_proba(X_new) for 15 images", (15, 3))
    if np.any(proba < 0) or not np.allclose(proba.sum(axis=1), 1.0, atol=1e-9):
        fail(f"predict_proba(X_new) returned rows that are not probabilities ({show(proba)}); expected the softmax of "
             "the logits: non-negative, each row summing to 1")
    predicted = expect_array(model.predict(X_new), "predict(X_new) with string labels", (15,), numeric=False)
    if not set(predicted.tolist()) <= set(CLASS_NAMES.tolist()):
        fail(f"with string labels, predict(X_new) returned {show(predicted)}; expected labels from classes_ "
             "(return classes_[np.argmax(proba, axis=1)], not the column numbers)")
    if predicted.tolist() != classes[np.argmax(proba, axis=1)].tolist():
        fail(f"predict(X_new) returned {show(predicted)}; expected the label of the largest probability of each row, "
             f"{show(classes[np.argmax(proba, axis=1)])}")
    expect_number_close(model.score(X_new, CLASS_NAMES[y_new]), float(np.mean(predicted == CLASS_NAMES[y_new])),
                        "score(X_new, y_new)", why="(the fraction of correct predictions)")


@pytest.mark.points(1)
def test_face_cnn_random_state(learner, rng):
    """the same random_state (0 included) gives the same network; another one gives another"""
    X, y = make_faces(rng, 8)
    def filters(seed):
        model = learner.FaceCNN(epochs=2, batch_size=8, random_state=seed).fit(X, y)
        return expect_array(model.filters_, f"FaceCNN(epochs=2, batch_size=8, random_state={seed}).fit(X, y).filters_", (4, 1, 3, 3))
    first, again = filters(0), filters(0)
    if not np.array_equal(first, again):
        fail("two FaceCNN(random_state=0) fitted on the same data learned different filters_; expected the same — "
             "make ONE generator, rng = np.random.default_rng(random_state), and draw everything from it (the "
             "initial weights and each epoch's shuffle); random_state=0 is a seed like any other (`if random_state:` "
             "is False for 0)")
    if np.array_equal(first, filters(1)):
        fail("FaceCNN(random_state=0) and FaceCNN(random_state=1) learned identical filters_; expected the seed to "
             "change the initial weights: draw them from np.random.default_rng(random_state)")


@pytest.mark.points(1)
def test_inputs_are_not_modified(learner, worker, rng):
    """the layers and fit leave their input arrays unchanged"""
    x, w, b = rng.normal(size=(2, 2, 6, 6)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    grad_out = rng.normal(size=(2, 3, 6, 6))
    stored = {name: worker.put(value) for name, value in (("x", x), ("w", w), ("b", b), ("grad_out", grad_out))}
    learner.conv2d_forward(stored["x"], stored["w"], stored["b"], stride=1, padding=1)
    learner.conv2d_backward(stored["grad_out"], stored["x"], stored["w"], stride=1, padding=1)
    for name, value in (("x", x), ("w", w), ("b", b), ("grad_out", grad_out)):
        expect_unchanged(value, worker.fetch(stored[name]), "conv2d_forward / conv2d_backward(grad_out, x, w, padding=1)", name)
    grad_pool = rng.normal(size=(2, 2, 3, 3))
    stored_pool = worker.put(grad_pool)
    learner.maxpool2d_forward(stored["x"])
    learner.maxpool2d_backward(stored_pool, stored["x"])
    expect_unchanged(x, worker.fetch(stored["x"]), "maxpool2d_forward(x) / maxpool2d_backward(grad_out, x)", "x")
    expect_unchanged(grad_pool, worker.fetch(stored_pool), "maxpool2d_backward(grad_out, x)", "grad_out")
    X, y = make_faces(rng, 6)
    X_stored, y_stored = worker.put(X), worker.put(y)
    model = learner.FaceCNN(epochs=1, random_state=0)
    returned = model.fit(X_stored, y_stored)
    if returned is not model:
        fail(f"FaceCNN(epochs=1).fit(X, y) returned {returned!r}; expected the model itself (end fit with `return self`)")
    expect_unchanged(X, worker.fetch(X_stored), "FaceCNN(epochs=1).fit(X, y)", "X")
    expect_unchanged(y, worker.fetch(y_stored), "FaceCNN(epochs=1).fit(X, y)", "y")
