"""Hidden suite for exercise 22, attention.

Every function is judged against a reference written here from the documented formulas, never against
one hard-coded answer, on random inputs from the seed:

- ``scaled_dot_product_attention`` against a per-query loop (scores of one query, its allowed keys
  only, a softmax, a weighted sum of values): without and with leading batch / head axes (which must
  broadcast, a 2-D mask too), with ``n_q != n_k`` and ``d_k != d_v`` so a transposed or swapped result
  shows. The weights must be probabilities along the keys, blocked weights exactly 0, and the output
  of a query must not move when the keys and values it may not see change: the mask hides the future.
  Scores around 1e5 must not overflow. The numbers of the classic mistakes (``d_k`` for ``sqrt(d_k)``,
  no scaling, a softmax over the queries, a mask applied after the softmax or inverted, ``scores *
  mask``) are recognised and named.
- ``split_heads`` against the documented column slices (a bare reshape has the right shape but mixes
  rows and heads, and ``merge_heads`` with a bare reshape still undoes it: so the round trip alone
  proves nothing and each is compared with the slices), ``merge_heads`` as its inverse.
- ``multi_head_attention`` against a loop over heads on column slices; with one head it must equal
  single attention with the projections.
- ``sinusoidal_positions`` against the published formula, even and odd ``d_model``; swapped sin/cos,
  ``i / d`` for ``2i / d``, halves side by side, positions from 1 are named.
- ``layer_norm``: rows of mean 0 and variance ``var / (var + eps)``, any ``gamma`` / ``beta``, any
  leading axes, the biased variance, ``eps`` inside the root (a constant row gives ``beta``).
- ``transformer_block`` (pre-norm) against the reference; when it is off, the suite first checks the
  learner's own ``layer_norm`` and ``multi_head_attention`` on the block's inputs to point at the piece
  to fix, then names post-norm, a missing residual, a missing ReLU. With a causal mask, changing later
  positions must not change earlier outputs.

Inputs are never modified. Everything is small (at most a few hundred numbers): a whole grading run
takes about two seconds, most of it starting the worker.
"""

import numpy as np
import pytest

from grader.learner import LearnerError, LearnerNotStarted, LearnerTimeout
from grader.support.checks import (
    expect_array,
    expect_close,
    expect_no_error,
    expect_no_warnings,
    expect_unchanged,
    expect_value_error,
    fail,
    show,
)

RTOL, ATOL = 1e-8, 1e-10
BATCH_AXES = ("with leading (batch, head) axes, transpose only the last two axes of K (np.swapaxes(K, -1, -2)): "
              "K.T reverses ALL the axes; and multiply with @ (np.matmul), which broadcasts the leading axes, not np.dot")
MINUS_INF = ("put -inf (or a very negative number such as -1e9) into the blocked scores BEFORE the softmax, e.g. "
             "np.where(mask, scores, -np.inf): then exp gives exactly 0 there and each row still sums to 1")
BROADCAST_MASK = ("the mask must broadcast against the scores (..., n_q, n_k): use np.where(mask, scores, -np.inf), "
                  "not boolean indexing scores[~mask], which needs a mask of the full shape")
LEADING = ("the heads (and a batch) are leading axes: split_heads, merge_heads and scaled_dot_product_attention "
           "must work with any leading axes (*leading, n, d = X.shape; np.swapaxes on the last axes, not .T; "
           "@ broadcasts the leading axes)")
BLOCK_NAMES = ("W_q", "W_k", "W_v", "W_o", "ln1_gamma", "ln1_beta", "ln2_gamma", "ln2_beta", "W1", "b1", "W2", "b2")


# --- the suite's references ----------------------------------------------------------------------------
def reference_attention(Q, K, V, mask=None):
    """(output, weights) computed one query at a time over its allowed keys only."""
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    n_q, d_k, n_k = Q.shape[-2], Q.shape[-1], K.shape[-2]
    mask = np.ones((n_q, n_k), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    leading = np.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2], mask.shape[:-2])
    Q, K, V = (np.broadcast_to(a, leading + a.shape[-2:]) for a in (Q, K, V))
    mask = np.broadcast_to(mask, leading + (n_q, n_k))
    output = np.zeros(leading + (n_q, V.shape[-1]))
    weights = np.zeros(leading + (n_q, n_k))
    for index in np.ndindex(*leading):
        for i in range(n_q):
            allowed = mask[index][i]
            scores = K[index][allowed] @ Q[index][i] / np.sqrt(d_k)
            e = np.exp(scores - scores.max())
            weights[index + (i,)][allowed] = e / e.sum()
            output[index + (i,)] = weights[index + (i,)] @ V[index]
    return output, weights


def variant_attention(Q, K, V, mask=None, scale=None, axis=-1, masking="before"):
    """Vectorized attention with one of the classic mistakes (to name it in the feedback)."""
    scores = Q @ np.swapaxes(K, -1, -2) / (np.sqrt(K.shape[-1]) if scale is None else scale)
    if mask is not None and masking == "before":
        scores = np.where(mask, scores, -np.inf)
    elif mask is not None and masking == "inverted":
        scores = np.where(mask, -np.inf, scores)
    elif mask is not None and masking == "multiplied":
        scores = scores * mask
    with np.errstate(all="ignore"):
        e = np.exp(scores - scores.max(axis=axis, keepdims=True))
        weights = e / e.sum(axis=axis, keepdims=True)
    if mask is not None and masking == "after":
        weights = weights * mask
    return weights @ V, weights


def attention_mistake(got_weights, Q, K, V, mask=None):
    """The classic mistake whose weights the learner's match, in plain words, or ''."""
    n_k, d_k = K.shape[-2], K.shape[-1]
    candidates = [
        (dict(scale=d_k), f"the scores are divided by d_k = {d_k} instead of sqrt(d_k) = {np.sqrt(d_k):.4g}"),
        (dict(scale=1.0), "the scores are not scaled: divide Q @ K^T by sqrt(d_k), the square root of the width of a key"),
        (dict(scale=np.sqrt(n_k)), f"the scores are divided by sqrt(n_k) = sqrt({n_k}), the number of keys; "
                                   f"divide by sqrt(d_k) = sqrt({d_k}), the width of a key (K.shape[-1])"),
        (dict(axis=-2), "the softmax runs over the queries (axis -2), so each COLUMN sums to 1: run it along the keys, "
                        "the last axis, so that each row (one query) sums to 1"),
    ]
    if mask is not None:
        candidates += [
            (dict(masking="after"), "the mask is applied after the softmax (weights zeroed, so rows no longer sum to 1): "
                                    + MINUS_INF),
            (dict(masking="inverted"), "the mask is inverted: True means the query MAY attend to the key (PyTorch's "
                                       "boolean attn_mask); block where the mask is False"),
            (dict(masking="multiplied"), "the blocked scores were multiplied by the mask, which makes them 0, not -inf, "
                                         "so the blocked keys still get weight: " + MINUS_INF),
            (dict(masking=None), "the mask is ignored: " + MINUS_INF),
        ]
    for options, explanation in candidates:
        if options.get("scale") is not None and np.isclose(options["scale"], np.sqrt(d_k)):
            continue
        _, weights = variant_attention(Q, K, V, mask, **options)
        with np.errstate(invalid="ignore"):
            if np.allclose(got_weights, weights, rtol=1e-6, atol=1e-9, equal_nan=True):
                return explanation
    return ""


def expect_attention(result, Q, K, V, mask, call):
    """The learner's (output, weights) must match the reference; says which classic mistake it is."""
    expected_output, expected_weights = reference_attention(Q, K, V, mask)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        fail(f"{call} returned {show(result)}; expected a pair (output, weights)")
    output, weights = result
    if (isinstance(output, np.ndarray) and isinstance(weights, np.ndarray)
            and output.shape == expected_weights.shape and weights.shape == expected_output.shape
            and expected_output.shape != expected_weights.shape):
        fail(f"{call} returned (weights, output); expected (output, weights): output first, shape {expected_output.shape}")
    transposed = expected_weights.shape[:-2] + expected_weights.shape[:-3:-1]
    if isinstance(weights, np.ndarray) and weights.shape == transposed and transposed != expected_weights.shape:
        fail(f"{call}: the weights have shape {weights.shape}; expected {expected_weights.shape}, one row per query and "
             "one column per key: scores = Q @ K^T, not K @ Q^T")
    if (isinstance(weights, np.ndarray) and weights.shape == expected_weights.shape
            and np.issubdtype(weights.dtype, np.floating) and not np.allclose(weights, expected_weights, rtol=RTOL, atol=ATOL)):
        mistake = attention_mistake(weights, Q, K, V, mask)
        if mistake:
            fail(f"{call}: the weights are {show(weights)}; expected {show(expected_weights)} — {mistake}")
        if np.isnan(weights).any():
            fail(f"{call}: the weights contain nan ({show(weights)}) — exp overflowed or a row of scores was all -inf: "
                 "use the given softmax (it subtracts each row's maximum) and block a key only where the mask is False")
    weights = expect_array(weights, f"{call}[1] (the weights)", expected_weights.shape)
    expect_close(weights, expected_weights, f"{call}[1] (the weights)", rtol=RTOL, atol=ATOL,
                 why="(softmax of Q @ K^T / sqrt(d_k) along the keys, blocked scores -inf)")
    output = expect_array(output, f"{call}[0] (the output)", expected_output.shape)
    expect_close(output, expected_output, f"{call}[0] (the output)", rtol=RTOL, atol=ATOL,
                 why="(weights @ V: your weights are right, so multiply them by V)")
    return output, weights


def reference_split(X, n_heads):
    """Head h holds columns h*d_head:(h+1)*d_head, stacked on a new axis before the rows."""
    d_head = X.shape[-1] // n_heads
    return np.stack([X[..., h * d_head:(h + 1) * d_head] for h in range(n_heads)], axis=-3)


def reference_merge(H):
    return np.concatenate([H[..., h, :, :] for h in range(H.shape[-3])], axis=-1)


def reference_mha(X, W_q, W_k, W_v, W_o, n_heads, mask=None):
    """One attention per head on its own column slices of the projections, glued back side by side."""
    Q, K, V = X @ W_q, X @ W_k, X @ W_v
    d_head = X.shape[-1] // n_heads
    heads = [reference_attention(*(M[..., h * d_head:(h + 1) * d_head] for M in (Q, K, V)), mask)[0]
             for h in range(n_heads)]
    return np.concatenate(heads, axis=-1) @ W_o


def reference_positions(n_positions, d_model, first=0, exponent="2i", swapped=False, halves=False, multiplied=False):
    """PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(...), or a known mistake."""
    pos = np.arange(first, first + n_positions, dtype=float)[:, None]
    column = np.arange(d_model)[None, :]
    pair = column // 2
    power = {"2i": 2 * pair, "i": pair, "j": column}[exponent] / d_model
    angle = pos * 10000.0**power if multiplied else pos / 10000.0**power
    if halves:
        half = (d_model + 1) // 2
        frequencies = pos / 10000.0 ** (2 * np.arange(half) / d_model)
        return np.concatenate([np.sin(frequencies), np.cos(frequencies[:, : d_model - half])], axis=1)
    even = column % 2 == 0
    if swapped:
        even = ~even
    return np.where(even, np.sin(angle), np.cos(angle))


def reference_layer_norm(x, gamma, beta, eps=1e-5, ddof=0, axis=-1, eps_outside=False, no_sqrt=False):
    mean = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, keepdims=True, ddof=ddof)
    with np.errstate(all="ignore"):
        spread = var + eps if no_sqrt else (np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps))
        return gamma * (x - mean) / spread + beta


def reference_block(X, p, n_heads, mask=None, variant=None):
    """The documented pre-norm block, or a known mistake."""
    def ln(x, which):
        return reference_layer_norm(x, p[f"ln{which}_gamma"], p[f"ln{which}_beta"])

    def attention(x):
        return reference_mha(x, p["W_q"], p["W_k"], p["W_v"], p["W_o"], n_heads, mask)

    def ffn(x, relu=True):
        hidden = x @ p["W1"] + p["b1"]
        return (np.maximum(hidden, 0.0) if relu else hidden) @ p["W2"] + p["b2"]

    if variant == "post_norm":
        H = ln(X + attention(X), 1)
        return ln(H + ffn(H), 2)
    H = attention(ln(X, 1)) if variant == "no_residual_attention" else X + attention(ln(X, 1))
    if variant == "no_residual_ffn":
        return ffn(ln(H, 2))
    if variant == "no_relu":
        return H + ffn(ln(H, 2), relu=False)
    if variant == "ffn_without_norm":
        return H + ffn(H)
    if variant == "residual_of_normalised":
        normalised = ln(X, 1)
        H = normalised + attention(normalised)
        normalised = ln(H, 2)
        return normalised + ffn(normalised)
    return H + ffn(ln(H, 2))


BLOCK_MISTAKES = {
    "post_norm": "this is the post-norm block (layer_norm AFTER adding the residual, as in the 2017 paper); the "
                 "exercise asks for pre-norm: H = X + attention(layer_norm(X)), out = H + ffn(layer_norm(H))",
    "no_residual_attention": "the residual connection around the attention is missing: H = X + attention(...), "
                             "the input added back",
    "no_residual_ffn": "the residual connection around the feed-forward network is missing: out = H + ffn(...)",
    "no_relu": "the ReLU between the two layers of the feed-forward network is missing: relu(z) = max(z, 0)",
    "ffn_without_norm": "the feed-forward network gets H itself; it must get layer_norm(H, ln2_gamma, ln2_beta)",
    "residual_of_normalised": "the residuals add back the layer-normalised input; add the un-normalised one "
                              "(X, then H): H = X + attention(layer_norm(X))",
}


# --- random problems -----------------------------------------------------------------------------------
def attention_sizes(rng):
    """n_q, n_k, d_k, d_v, all different, so that a transposed or swapped result shows; d_k != 3 (so that K.T
    fails to broadcast against leading axes (2, 3)) and sqrt(n_k) != d_k (so that each wrong scale has its own numbers)."""
    while True:
        n_q, n_k, d_k, d_v = (int(v) for v in rng.integers([2, 3, 2, 2], [6, 8, 7, 7]))
        if len({n_q, n_k, d_k, d_v}) == 4 and d_k != 3 and n_k != d_k**2:
            return n_q, n_k, d_k, d_v


def qkv(rng, leading, n_q, n_k, d_k, d_v, scale=1.0):
    Q = scale * rng.normal(size=leading + (n_q, d_k))
    K = scale * rng.normal(size=leading + (n_k, d_k))
    V = rng.normal(size=leading + (n_k, d_v)) * 2.0 + rng.normal(size=d_v)
    return Q, K, V


def random_mask(rng, shape):
    """A random boolean mask in which every query may attend to at least one key."""
    mask = rng.uniform(size=shape) < 0.6
    rows = ~mask.any(axis=-1)
    mask[rows, rng.integers(0, shape[-1], size=int(rows.sum()))] = True
    return mask


def block_params(rng, d_model, d_ff):
    params = {name: rng.normal(scale=0.8, size=(d_model, d_model)) for name in ("W_q", "W_k", "W_v", "W_o")}
    for which in (1, 2):
        params[f"ln{which}_gamma"] = rng.uniform(0.5, 1.5, size=d_model)
        params[f"ln{which}_beta"] = rng.normal(scale=0.3, size=d_model)
    params["W1"] = rng.normal(scale=0.6, size=(d_model, d_ff))
    params["b1"] = rng.normal(scale=0.5, size=d_ff)
    params["W2"] = rng.normal(scale=0.6, size=(d_ff, d_model))
    params["b2"] = rng.normal(scale=0.3, size=d_model)
    return params


def block_problem(rng):
    n_heads, d_head = int(rng.integers(2, 4)), int(rng.integers(2, 4))
    d_model, d_ff, n = n_heads * d_head, int(rng.integers(5, 11)), int(rng.integers(4, 8))
    return n, d_model, n_heads, block_params(rng, d_model, d_ff)


def tril(n):
    return np.tril(np.ones((n, n), dtype=bool))


def quietly(call_learner):
    """What ``call_learner()`` returns, or None if learner code raised (for diagnostics only)."""
    try:
        return call_learner()
    except (LearnerNotStarted, LearnerTimeout):
        raise
    except LearnerError:
        return None


def matches(got, expected, rtol=1e-7, atol=1e-9):
    """``got`` is a float array shaped like ``expected`` with (nearly) its values."""
    return (isinstance(got, np.ndarray) and got.shape == expected.shape and np.issubdtype(got.dtype, np.number)
            and np.allclose(got, expected, rtol=rtol, atol=atol))


def off(got, expected):
    """``got`` has the right shape and numbers, but not the right values (nan included): worth a diagnosis."""
    return (isinstance(got, np.ndarray) and got.shape == expected.shape and np.issubdtype(got.dtype, np.number)
            and not np.allclose(got, expected, rtol=RTOL, atol=ATOL))


def mha_tips(mask):
    """Advice for an error raised by multi_head_attention or transformer_block."""
    return {"ValueError": LEADING, "IndexError": BROADCAST_MASK + " (the heads add an axis)" if mask is not None else LEADING}


def show_mask(mask):
    """A small boolean matrix as rows of 0 / 1."""
    rows = np.asarray(mask).astype(int).tolist() if np.ndim(mask) == 2 else None
    return str(rows).replace("], [", "],  [") if rows is not None else show(mask)


def own_attention_is_right(learner, Q, K, V, mask=None):
    result = quietly(lambda: learner.scaled_dot_product_attention(Q, K, V, mask))
    return isinstance(result, (tuple, list)) and len(result) == 2 and matches(result[0], reference_attention(Q, K, V, mask)[0])


def attend(learner, call, Q, K, V, mask=None, send=None):
    """The learner's attention of Q, K, V (or of ``send``, their copies stored in the worker); an error on
    leading axes or a broadcast mask comes back with advice."""
    batched = np.ndim(Q) > 2 or np.ndim(K) > 2
    scores_shape = np.broadcast_shapes(np.shape(Q)[:-2], np.shape(K)[:-2]) + (np.shape(Q)[-2], np.shape(K)[-2])
    broadcast = mask is not None and np.shape(mask) != scores_shape
    tips = {"ValueError": BATCH_AXES if batched else BROADCAST_MASK if broadcast else "",
            "IndexError": BROADCAST_MASK if broadcast else BATCH_AXES if batched else ""}
    arguments = send or (Q, K, V)
    return expect_no_error(lambda: learner.scaled_dot_product_attention(*arguments, mask), call, tips)


# --- scaled dot-product attention ----------------------------------------------------------------------
@pytest.mark.points(3)
def test_attention_matches_the_formula(learner, rng):
    """scaled_dot_product_attention gives softmax(Q K^T / sqrt(d_k)) and its product with V"""
    for trial in range(3):
        n_q, n_k, d_k, d_v = attention_sizes(rng)
        Q, K, V = qkv(rng, (), n_q, n_k, d_k, d_v, scale=rng.uniform(0.8, 1.5))
        call = f"scaled_dot_product_attention(Q, K, V) for Q {Q.shape}, K {K.shape}, V {V.shape}"
        if trial == 0:  # plain lists are accepted
            call = call.replace("(Q, K, V)", "(Q, K, V) (given as lists)")
            result = learner.scaled_dot_product_attention(Q.tolist(), K.tolist(), V.tolist())
        else:
            result = learner.scaled_dot_product_attention(Q, K, V)
        expect_attention(result, Q, K, V, None, call)


@pytest.mark.points(2)
def test_attention_with_batch_and_head_axes(learner, worker, rng):
    """leading (batch, head) axes broadcast through attention; the inputs are not changed"""
    n_q, n_k, d_k, d_v = attention_sizes(rng)
    Q, K, V = qkv(rng, (2, 3), n_q, n_k, d_k, d_v)
    stored = [worker.put(a.copy()) for a in (Q, K, V)]
    call = f"scaled_dot_product_attention(Q, K, V) for Q {Q.shape}, K {K.shape}, V {V.shape}"
    result = attend(learner, call, Q, K, V, send=stored)
    for name, before, handle in zip("QKV", (Q, K, V), stored):
        expect_unchanged(before, worker.fetch(handle), call, name)
    expect_attention(result, Q, K, V, None, call)
    K, V = K[0], V[0]  # shared by every batch: (3, n_k, d) against Q (2, 3, n_q, d_k)
    call = f"scaled_dot_product_attention(Q, K, V) for Q {Q.shape}, K {K.shape}, V {V.shape} (K and V broadcast)"
    result = attend(learner, call, Q, K, V)
    expect_attention(result, Q, K, V, None, call)


@pytest.mark.points(1)
def test_weights_are_probabilities_along_the_keys(learner, rng):
    """every row of the weights (one query) is non-negative and sums to 1, with or without a mask"""
    n_q, n_k, d_k, d_v = attention_sizes(rng)
    Q, K, V = qkv(rng, (2,), n_q, n_k, d_k, d_v)
    for mask in (None, random_mask(rng, (2, n_q, n_k))):
        call = (f"scaled_dot_product_attention(Q, K, V{'' if mask is None else ', mask'}) for Q {Q.shape}, K {K.shape}"
                + ("" if mask is None else f" and a random mask {mask.shape}"))
        result = attend(learner, call, Q, K, V, mask)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            fail(f"{call} returned {show(result)}; expected a pair (output, weights)")
        weights = result[1]
        if isinstance(weights, np.ndarray) and weights.shape == (2, n_q, n_k) and np.isnan(weights).any():
            mistake = attention_mistake(weights, Q, K, V, mask)
            fail(f"{call}: the weights contain nan ({show(weights)}) — "
                 + (mistake or "a row of scores was all -inf: block a key only where the mask is False"))
        weights = expect_array(weights, f"{call}[1] (the weights)", (2, n_q, n_k))
        sums = weights.sum(axis=-1)
        if np.any(weights < 0) or not np.allclose(sums, 1.0, rtol=0, atol=1e-9):
            mistake = attention_mistake(weights, Q, K, V, mask)
            if not mistake and np.allclose(weights.sum(axis=-2), 1.0, atol=1e-9):
                mistake = "each COLUMN sums to 1: the softmax runs over the queries; run it along the keys (axis=-1)"
            fail(f"{call}: the rows of the weights sum to {show(sums)}; expected 1 for every query (a softmax along "
                 f"the keys){' — ' + mistake if mistake else ''}")
        expect_attention(result, Q, K, V, mask, call)


@pytest.mark.points(1)
def test_causal_mask(learner):
    """causal_mask(n) is a boolean (n, n) array, True on and below the diagonal"""
    for n in (5, 7, 2, 1):
        call = f"causal_mask({n})"
        got = expect_array(learner.causal_mask(n), call, (n, n))
        expected = tril(n)
        if got.dtype != bool:
            if np.array_equal(got, expected):
                fail(f"{call} has dtype {got.dtype}; expected booleans (dtype bool): the mask marks where a query "
                     "may attend, e.g. np.tril(np.ones((n, n), dtype=bool))")
        if np.array_equal(got, expected):
            continue
        message = f"{call} returned {show_mask(got)}; expected {show_mask(expected)}"
        if np.array_equal(got, np.tril(np.ones((n, n), dtype=bool), -1)):
            fail(f"{message} — the diagonal is missing: a position may attend to itself (np.tril with k=0)")
        if np.array_equal(got, ~expected):
            fail(f"{message} — inverted: True marks where a query MAY attend, so True on and below the diagonal "
                 "(position i sees 0 .. i)")
        if np.array_equal(got, expected.T):
            fail(f"{message} — upper instead of lower triangle: row i (a query) may see the columns (keys) j <= i")
        fail(f"{message} (True where j <= i)")


@pytest.mark.points(3)
def test_mask_hides_the_future(learner, rng):
    """with a causal mask, blocked weights are 0 and changing later keys / values leaves earlier outputs unchanged"""
    n, d_k, d_v = int(rng.integers(5, 8)), 4, 5
    for leading in ((), (2, 3)):
        Q, K, V = qkv(rng, leading, n, n, d_k, d_v)
        mask = tril(n)  # the suite's own: this test is about attention, not causal_mask
        call = f"scaled_dot_product_attention(Q, K, V, mask) for Q {Q.shape} and a causal mask {mask.shape}"
        result = attend(learner, call, Q, K, V, mask)
        if isinstance(result, (tuple, list)) and len(result) == 2 and isinstance(result[1], np.ndarray) \
                and result[1].shape == leading + (n, n):
            weights = result[1]
            blocked = np.broadcast_to(~mask, weights.shape)
            if np.any(weights[blocked] != 0):
                mistake = attention_mistake(weights, Q, K, V, mask)
                fail(f"{call}: a query gives weight {show(float(np.abs(weights[blocked]).max()))} to a later position "
                     f"the mask blocks; expected exactly 0 — {mistake or MINUS_INF}")
        output, _ = expect_attention(result, Q, K, V, mask, call)
        t = int(rng.integers(1, n - 1))  # queries 0..t may not see keys t+1..n-1: change those
        K2, V2 = K.copy(), V.copy()
        K2[..., t + 1:, :] += 3.0 * rng.normal(size=K2[..., t + 1:, :].shape)
        V2[..., t + 1:, :] += 3.0 * rng.normal(size=V2[..., t + 1:, :].shape)
        again = attend(learner, call, Q, K2, V2, mask)
        changed = expect_array(again[0] if isinstance(again, (tuple, list)) else again,
                               f"{call}[0] after changing the keys and values of positions {t + 1}..{n - 1}", output.shape)
        if not np.allclose(changed[..., :t + 1, :], output[..., :t + 1, :], rtol=1e-12, atol=1e-12):
            fail(f"{call}: after changing only the keys and values of positions {t + 1}..{n - 1}, the outputs of "
                 f"positions 0..{t} changed; expected them unchanged — the mask must hide the future: {MINUS_INF}")


@pytest.mark.points(1)
def test_large_scores_do_not_overflow(learner, worker, rng):
    """scores around 1e5 give finite weights and outputs, without overflow warnings"""
    n_q, n_k, d_k, d_v = attention_sizes(rng)
    Q, K, V = qkv(rng, (2,), n_q, n_k, d_k, d_v, scale=300.0)
    mask = random_mask(rng, (n_q, n_k))
    for with_mask in (False, True):
        call = (f"scaled_dot_product_attention(Q, K, V{', mask' if with_mask else ''}) with scores around "
                f"{np.abs(Q @ np.swapaxes(K, -1, -2)).max() / np.sqrt(d_k):.0e}")
        result = attend(learner, call, Q, K, V, mask if with_mask else None)
        if isinstance(result, (tuple, list)) and len(result) == 2:
            for part in result:
                if isinstance(part, np.ndarray) and np.issubdtype(part.dtype, np.floating) and not np.all(np.isfinite(part)):
                    fail(f"{call} returned nan or inf ({show(part)}): exp of a large score overflowed — use the given "
                         "softmax, which subtracts each row's maximum before exp")
        expect_attention(result, Q, K, V, mask if with_mask else None, call)
        expect_no_warnings(worker, call, "the values are right, but exp overflowed: use the given softmax, which "
                                         "subtracts each row's maximum first")


# --- heads ---------------------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_split_heads_takes_column_blocks(learner, rng):
    """split_heads gives head h the columns h*d_head:(h+1)*d_head, as a new axis before the rows"""
    for leading in ((), (2,)):
        n_heads, d_head = int(rng.integers(2, 4)), int(rng.integers(2, 4))
        n = n_heads + int(rng.integers(1, 4))  # n != n_heads: a missing transpose shows in the shape
        X = rng.normal(size=leading + (n, n_heads * d_head))
        call = f"split_heads(X, {n_heads}) for X of shape {X.shape}"
        expected = reference_split(X, n_heads)
        got = learner.split_heads(X, n_heads)
        if isinstance(got, np.ndarray) and got.shape == leading + (n, n_heads, d_head):
            fail(f"{call} returned shape {got.shape}; expected {expected.shape}: after the reshape to (..., n, n_heads, "
                 "d_head), swap the rows and heads axes (np.swapaxes(..., -3, -2)) so that the heads come first")
        got = expect_array(got, call, expected.shape)
        if not np.array_equal(got, expected):
            if np.array_equal(got, X.reshape(expected.shape)):
                fail(f"{call}: head 0 is {show(got[(0,) * len(leading) + (0,)])}; expected the first {d_head} columns of X "
                     f"{show(expected[(0,) * len(leading) + (0,)])} — a bare reshape to (n_heads, n, d_head) has the right "
                     "shape but mixes rows and heads: reshape to (..., n, n_heads, d_head), then swap the two axes")
            strided = np.swapaxes(X.reshape(leading + (n, d_head, n_heads)), -1, -3).swapaxes(-1, -2)
            if np.array_equal(got, strided):
                fail(f"{call}: head 0 holds every {n_heads}-th column of X; expected one block of {d_head} neighbouring "
                     f"columns: head h takes X[..., h*d_head:(h+1)*d_head] (reshape to (..., n, n_heads, d_head))")
            expect_close(got, expected, call, rtol=0, atol=0, why="(head h = X[..., h*d_head:(h+1)*d_head])")
    X = rng.normal(size=(3, 6))
    expect_value_error(lambda: learner.split_heads(X, 4), "split_heads(X, 4) for X of shape (3, 6)",
                       "(d_model = 6 is not divisible by 4 heads)")


@pytest.mark.points(1)
def test_merge_heads_is_the_inverse(learner, rng):
    """merge_heads puts the heads' columns side by side again: merge_heads(split_heads(X)) == X"""
    for leading in ((), (2,)):
        n_heads, d_head = int(rng.integers(2, 4)), int(rng.integers(2, 4))
        n = n_heads + int(rng.integers(1, 4))
        X = rng.normal(size=leading + (n, n_heads * d_head))
        H = reference_split(X, n_heads)
        call = f"merge_heads(H) for H of shape {H.shape} (head h = columns h*{d_head}:(h+1)*{d_head} of X)"
        got = expect_array(learner.merge_heads(H), call, X.shape)
        if not np.array_equal(got, X):
            if np.array_equal(got, H.reshape(X.shape)):
                fail(f"{call} is a bare reshape of H; expected the heads' columns side by side — swap the heads and "
                     "rows axes back first (np.swapaxes(H, -3, -2)), then reshape to (..., n, n_heads * d_head)")
            expect_close(got, X, call, rtol=0, atol=0, why="(the X whose split_heads is H)")
        call = f"merge_heads(split_heads(X, {n_heads})) for X of shape {X.shape}"
        round_trip = expect_array(learner.merge_heads(learner.split_heads(X, n_heads)), call, X.shape)
        expect_close(round_trip, X, call, rtol=0, atol=0, why="(X itself: merge_heads undoes split_heads)")


# --- multi-head attention ------------------------------------------------------------------------------
@pytest.mark.points(1)
def test_multi_head_with_one_head(learner, rng):
    """with n_heads=1, multi_head_attention equals attention of the projections, times W_o"""
    d_model = int(rng.integers(3, 6))
    n = d_model + int(rng.integers(1, 3))  # n != d_model: dividing by sqrt(n) instead of sqrt(d_k) shows
    X = rng.normal(size=(n, d_model))
    W_q, W_k, W_v, W_o = (rng.normal(scale=0.8, size=(d_model, d_model)) for _ in range(4))
    call = f"multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads=1) for X of shape {X.shape}"
    projections = (X @ W_q, X @ W_k, X @ W_v)
    expected = reference_attention(*projections)[0] @ W_o
    got = expect_no_error(lambda: learner.multi_head_attention(X, W_q, W_k, W_v, W_o, 1), call, mha_tips(None))
    if off(got, expected):
        if matches(got, reference_attention(*projections)[0]):
            fail(f"{call}: the output projection is missing — multiply the merged heads by W_o")
        if not own_attention_is_right(learner, *projections):
            fail(f"{call} is off, and so is your scaled_dot_product_attention(X @ W_q, X @ W_k, X @ W_v): fix it first "
                 "(see its tests)")
    expect_close(got, expected, call, rtol=RTOL, atol=ATOL,
                 why="(scaled_dot_product_attention(X @ W_q, X @ W_k, X @ W_v)[0] @ W_o)")


@pytest.mark.points(3)
def test_multi_head_attention(learner, worker, rng):
    """multi_head_attention matches one attention per head on column slices; batches and a causal mask work"""
    n_heads, d_head = int(rng.integers(2, 4)), int(rng.integers(2, 4))
    d_model, n = n_heads * d_head, int(rng.integers(4, 7))
    W_q, W_k, W_v, W_o = (rng.normal(scale=0.8, size=(d_model, d_model)) for _ in range(4))
    for leading, mask in (((), None), ((2,), None), ((2,), tril(n))):
        X = rng.normal(size=leading + (n, d_model))
        call = (f"multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads={n_heads}{', mask' if mask is not None else ''}) "
                f"for X of shape {X.shape}" + (" and a causal mask" if mask is not None else ""))
        stored = worker.put(X.copy())
        got = expect_no_error(lambda: learner.multi_head_attention(stored, W_q, W_k, W_v, W_o, n_heads, mask), call,
                              mha_tips(mask))
        expect_unchanged(X, worker.fetch(stored), call, "X")
        expected = reference_mha(X, W_q, W_k, W_v, W_o, n_heads, mask)
        if off(got, expected):
            explain_multi_head(learner, got, X, (W_q, W_k, W_v, W_o), n_heads, mask, call)
        expect_close(got, expected, call, rtol=RTOL, atol=ATOL,
                     why="(for each head h: attention of the columns h*d_head:(h+1)*d_head of X @ W_q, X @ W_k, "
                         "X @ W_v; heads side by side; then @ W_o)")
    X = rng.normal(size=(3, 6))
    W = rng.normal(size=(6, 6))
    expect_value_error(lambda: learner.multi_head_attention(X, W, W, W, W, 4),
                       "multi_head_attention(X, ..., n_heads=4) for d_model = 6", "(6 is not divisible by 4 heads)")


def explain_multi_head(learner, got, X, weights, n_heads, mask, call):
    """Why a multi-head output is off: the learner's own pieces first, then the known mistakes."""
    W_q, W_k, W_v, W_o = weights
    d_model = X.shape[-1]
    d_head = d_model // n_heads
    projections = (X @ W_q, X @ W_k, X @ W_v)
    Q = projections[0]
    if not matches(quietly(lambda: learner.split_heads(Q, n_heads)), reference_split(Q, n_heads), rtol=1e-12, atol=1e-12):
        fail(f"{call} is off, and so is split_heads(X @ W_q, {n_heads}): fix split_heads first (see its test)")
    if not matches(quietly(lambda: learner.merge_heads(reference_split(Q, n_heads))), Q, rtol=1e-12, atol=1e-12):
        fail(f"{call} is off, and so is merge_heads: fix merge_heads first (see its test)")
    if not own_attention_is_right(learner, *(reference_split(M, n_heads) for M in projections), mask):
        fail(f"{call} is off, and so is your scaled_dot_product_attention on the split heads"
             f"{' with the mask' if mask is not None else ''}: fix it first (see its tests)")
    if matches(got, reference_mha(X, W_q, W_k, W_v, np.eye(d_model), n_heads, mask), rtol=1e-6):
        fail(f"{call}: the output projection is missing — multiply the merged heads by W_o")
    scaled = [variant_attention(*(M[..., h * d_head:(h + 1) * d_head] for M in projections), mask,
                                scale=np.sqrt(d_model))[0] for h in range(n_heads)]
    full_width = np.concatenate(scaled, axis=-1) @ W_o
    if matches(got, full_width, rtol=1e-6):
        fail(f"{call}: the heads' scores are divided by sqrt(d_model) = sqrt({d_model}); each head has keys of "
             f"width d_head = {d_head}: divide by sqrt(d_head) (your scaled_dot_product_attention does it on "
             "the split heads)")
    if mask is not None and matches(got, reference_mha(X, W_q, W_k, W_v, W_o, n_heads), rtol=1e-6):
        fail(f"{call} ignores the mask: pass it on to scaled_dot_product_attention")


# --- positions and layer norm --------------------------------------------------------------------------
@pytest.mark.points(2)
def test_sinusoidal_positions(learner, rng):
    """sinusoidal_positions follows PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(...), odd d too"""
    even_d = 2 * int(rng.integers(3, 9))
    for n_positions, d_model in ((int(rng.integers(8, 30)), even_d), (int(rng.integers(8, 30)), even_d + 1), (1, 4)):
        call = f"sinusoidal_positions({n_positions}, {d_model})"
        expected = reference_positions(n_positions, d_model)
        got = expect_no_error(lambda: learner.sinusoidal_positions(n_positions, d_model), call,
                              {name: "with an odd d_model there is one more sin column than cos columns: fill "
                                     "PE[:, 0::2] and PE[:, 1::2] separately" for name in ("ValueError", "IndexError")}
                              if d_model % 2 else None)
        got = expect_array(got, call, expected.shape)
        if np.allclose(got, expected, rtol=1e-9, atol=1e-9):
            continue
        mistakes = [
            (dict(swapped=True), "sin and cos are swapped: sin goes into the even columns 2i, cos into the odd ones"),
            (dict(exponent="i"), "the exponent is i / d_model for the pair index i; it is 2i / d_model (the even "
                                 "column's index divided by d_model)"),
            (dict(exponent="j"), "each column uses its own index in the exponent; a sin/cos pair shares one frequency: "
                                 "the odd column 2i + 1 also uses 10000^(2i / d_model)"),
            (dict(halves=True), "the sines and cosines sit in two halves side by side; interleave them: sin in "
                                "columns 0, 2, 4, ..., cos in columns 1, 3, 5, ..."),
            (dict(first=1), "the positions start at 1; they start at 0 (row 0 is sin 0 = 0, cos 0 = 1)"),
            (dict(multiplied=True), "pos is multiplied by 10000^(2i/d_model); divide by it, so the wavelengths grow"),
        ]
        for options, explanation in mistakes:
            if np.allclose(got, reference_positions(n_positions, d_model, **options), rtol=1e-9, atol=1e-9):
                fail(f"{call} returned {show(got)}; expected {show(expected)} — {explanation}")
        expect_close(got, expected, call, rtol=1e-9, atol=1e-9,
                     why="(PE[pos, 2i] = sin(pos / 10000^(2i/d_model)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d_model)))")


def layer_norm_mistake(got, x, gamma, beta, eps):
    for options, explanation in (
        (dict(ddof=1), "the variance divides by d - 1 (unbiased); layer norm uses the biased variance, "
                       "np.var(x, axis=-1) or mean((x - mean) ** 2)"),
        (dict(axis=0), "the mean and variance are taken over the first axis (down the columns); normalise each "
                       "row: axis=-1, keepdims=True"),
        (dict(eps_outside=True), "eps is added outside the square root; it goes inside: sqrt(var + eps)"),
        (dict(no_sqrt=True), "it divides by var + eps; divide by the standard deviation sqrt(var + eps)"),
        (dict(eps=0.0), "eps is ignored; add it to the variance inside the square root: sqrt(var + eps)"),
    ):
        with np.errstate(all="ignore"):
            variant = reference_layer_norm(x, gamma, beta, **{"eps": eps, **options})
        if variant.shape == got.shape and np.allclose(got, variant, rtol=1e-6, atol=1e-9, equal_nan=True):
            return explanation
    if np.allclose(got, reference_layer_norm(x, beta, gamma, eps), rtol=1e-6, atol=1e-9):
        return "gamma and beta are swapped: gamma scales, beta shifts: gamma * normalised + beta"
    return ""


def expect_layer_norm(got, x, gamma, beta, eps, call, rtol=1e-7):
    expected = reference_layer_norm(x, gamma, beta, eps)
    if isinstance(got, np.ndarray) and got.shape == expected.shape and not np.allclose(got, expected, rtol=rtol, atol=1e-9):
        mistake = layer_norm_mistake(got, x, gamma, beta, eps)
        if mistake:
            fail(f"{call} returned {show(got)}; expected {show(expected)} — {mistake}")
    return expect_close(got, expected, call, rtol=rtol, atol=1e-9,
                        why=f"(gamma * (x - mean) / sqrt(var + {eps:g}) + beta, over the last axis)")


@pytest.mark.points(2)
def test_layer_norm(learner, worker, rng):
    """layer_norm gives each row mean 0 and variance 1, then gamma and beta; any leading axes; x unchanged"""
    n, d = int(rng.integers(5, 9)), int(rng.integers(3, 5))  # n != d: the wrong axis shows in the shape of the stats
    x = rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=(n, 1)) + rng.normal(scale=3.0, size=(n, 1))
    ones, zeros = np.ones(d), np.zeros(d)
    stored = worker.put(x.copy())
    call = f"layer_norm(x, ones, zeros) for x of shape {x.shape}"
    got = learner.layer_norm(stored, ones, zeros)
    expect_unchanged(x, worker.fetch(stored), call, "x")
    got = expect_array(got, call, x.shape)
    var = x.var(axis=-1)
    means, variances = got.mean(axis=-1), got.var(axis=-1)
    if not (np.allclose(means, 0.0, atol=1e-9) and np.allclose(variances, var / (var + 1e-5), rtol=1e-7)):
        mistake = layer_norm_mistake(got, x, ones, zeros, 1e-5)
        fail(f"{call}: the rows have means {show(means)} and variances {show(variances)}; expected means 0 and "
             f"variances 1 (exactly var / (var + eps) with eps = 1e-5){' — ' + mistake if mistake else ''}")
    expect_layer_norm(got, x, ones, zeros, 1e-5, call)
    for shape in ((n, d), (2, n, d)):
        x = rng.normal(size=shape) * 2.0 + 1.0
        gamma, beta = rng.uniform(0.5, 2.0, size=d), rng.normal(size=d)
        call = f"layer_norm(x, gamma, beta) for x of shape {x.shape} and random gamma, beta"
        expect_layer_norm(learner.layer_norm(x, gamma, beta), x, gamma, beta, 1e-5, call)


@pytest.mark.points(1)
def test_layer_norm_eps(learner, worker, rng):
    """eps sits inside the square root: a constant row gives beta, and eps changes rows of tiny variance"""
    d = int(rng.integers(4, 7))
    gamma, beta = rng.uniform(0.5, 2.0, size=d), rng.normal(size=d)
    x = np.vstack([np.full(d, rng.normal()),                                   # constant: var = 0
                   rng.normal(size=d) * 1e-3 + rng.normal(),                    # var ~ 1e-6, below eps
                   rng.normal(size=d) * 2.0])
    for eps in (1e-5, 0.1):
        call = f"layer_norm(x, gamma, beta{'' if eps == 1e-5 else ', eps=0.1'}) with a constant row and a row of variance ~1e-6"
        got = learner.layer_norm(x, gamma, beta) if eps == 1e-5 else learner.layer_norm(x, gamma, beta, eps=eps)
        if isinstance(got, np.ndarray) and got.shape == x.shape and not np.all(np.isfinite(got)):
            fail(f"{call} returned nan or inf ({show(got)}): the constant row has variance 0 — add eps inside the "
                 "square root, sqrt(var + eps), so it never divides by zero")
        if eps == 1e-5:
            expect_no_warnings(worker, call, "divide by sqrt(var + eps), never by sqrt(var) alone")
        got = expect_array(got, call, x.shape)
        if not np.allclose(got[0], beta, rtol=1e-9, atol=1e-9):
            fail(f"{call}: the constant row gave {show(got[0])}; expected beta = {show(beta)} (x - mean is 0 there)")
        expect_layer_norm(got, x, gamma, beta, eps, call, rtol=1e-6)


# --- the transformer block -----------------------------------------------------------------------------
def explain_block(learner, got, X, params, n_heads, mask, call):
    """Why a block output is off: the learner's own pieces first, then the known arrangement mistakes."""
    gamma, beta = params["ln1_gamma"], params["ln1_beta"]
    normalised = reference_layer_norm(X, gamma, beta)
    if not matches(quietly(lambda: learner.layer_norm(X.copy(), gamma, beta)), normalised):
        fail(f"{call} is off, and so is your layer_norm on the block's input: fix layer_norm first (see its tests)")
    weights = [params[name] for name in ("W_q", "W_k", "W_v", "W_o")]
    own_attention = quietly(lambda: learner.multi_head_attention(normalised, *weights, n_heads, mask))
    if not matches(own_attention, reference_mha(normalised, *weights, n_heads, mask)):
        fail(f"{call} is off, and so is your multi_head_attention on layer_norm(X): fix it first (see its tests)")
    for variant, explanation in BLOCK_MISTAKES.items():
        if matches(got, reference_block(X, params, n_heads, mask, variant), rtol=1e-6):
            fail(f"{call} returned {show(got)} — {explanation}")
    if mask is not None and matches(got, reference_block(X, params, n_heads), rtol=1e-6):
        fail(f"{call} ignores the mask: pass it on to multi_head_attention")
    for name in ("ln1", "ln2"):
        other = "ln2" if name == "ln1" else "ln1"
        swapped = {**params, f"{name}_gamma": params[f"{other}_gamma"], f"{name}_beta": params[f"{other}_beta"]}
        if matches(got, reference_block(X, swapped, n_heads, mask), rtol=1e-6):
            fail(f"{call}: the layer norm before the {'attention' if name == 'ln1' else 'feed-forward network'} uses "
                 f"the parameters {other}_gamma, {other}_beta; it uses {name}_gamma, {name}_beta")


def expect_block(learner, got, X, params, n_heads, mask, call):
    expected = reference_block(X, params, n_heads, mask)
    if off(got, expected):
        explain_block(learner, got, X, params, n_heads, mask, call)
    return expect_close(got, expected, call, rtol=RTOL, atol=ATOL,
                        why="(H = X + multi_head_attention(layer_norm(X, ln1)), out = H + relu(layer_norm(H, ln2) @ W1 "
                            "+ b1) @ W2 + b2)")


@pytest.mark.points(3)
def test_transformer_block(learner, worker, rng):
    """transformer_block is the pre-norm block with its two residual connections; X and params unchanged"""
    n, d_model, n_heads, params = block_problem(rng)
    for leading in ((), (2,)):
        X = rng.normal(size=leading + (n, d_model))
        stored_X, stored_params = worker.put(X.copy()), worker.put({k: v.copy() for k, v in params.items()})
        call = f"transformer_block(X, params, n_heads={n_heads}) for X of shape {X.shape}, d_ff = {params['b1'].size}"
        got = expect_no_error(lambda: learner.transformer_block(stored_X, stored_params, n_heads), call,
                              mha_tips(None))
        expect_unchanged(X, worker.fetch(stored_X), call, "X")
        after = worker.fetch(stored_params)
        for name in BLOCK_NAMES:
            expect_unchanged(params[name], np.asarray(after[name]), call, f'params["{name}"]')
        expect_block(learner, got, X, params, n_heads, None, call)


@pytest.mark.points(2)
def test_transformer_block_with_causal_mask(learner, worker, rng):
    """with a causal mask, the block matches the reference and later positions cannot change earlier outputs"""
    n, d_model, n_heads, params = block_problem(rng)
    mask = tril(n)
    for leading in ((), (2,)):
        X = rng.normal(size=leading + (n, d_model))
        call = f"transformer_block(X, params, n_heads={n_heads}, mask) for X of shape {X.shape} and a causal mask"
        stored = worker.put(X.copy())
        got = expect_no_error(lambda: learner.transformer_block(stored, params, n_heads, mask), call,
                              mha_tips(mask))
        expect_unchanged(X, worker.fetch(stored), call, "X")
        got = expect_block(learner, got, X, params, n_heads, mask, call)
        t = int(rng.integers(1, n - 1))
        X2 = X.copy()
        X2[..., t + 1:, :] += 2.0 * rng.normal(size=X2[..., t + 1:, :].shape)
        again = expect_array(learner.transformer_block(X2, params, n_heads, mask),
                             f"{call} after changing the positions {t + 1}..{n - 1} of X", got.shape)
        if not np.allclose(again[..., :t + 1, :], got[..., :t + 1, :], rtol=1e-12, atol=1e-12):
            fail(f"{call}: after changing only the positions {t + 1}..{n - 1} of X, the outputs of positions 0..{t} "
                 "changed; expected them unchanged: the mask hides the future from the attention, and layer norm and "
                 "the feed-forward network work on each position (row) alone")
