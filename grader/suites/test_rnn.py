"""Hidden suite for exercise 20, rnn.

The forward and backward passes are judged against a reference written here: the learner's parameters
are replaced (by setattr, after a fit with ``n_iters=0``) with random float64 values large enough that
tanh is neither linear nor saturated, and ``loss_and_gradients`` on short random sequences must give the
documented loss (a SUM over the steps), the last hidden state, and gradients that pass a numeric check
(central differences of the reference loss, never of learner code) for all five parameters. One-step
sequences isolate a single step (bias, tanh slope, ``h_{t-1}``); longer ones judge backpropagation through
time; when the numbers match a classic mistake (no ``dh_next``, ``=`` instead of ``+=``, the tanh slope
of the wrong step, ``h_t`` for ``h_{t-1}``) the feedback names it.

``clip_gradients`` must scale all arrays by one factor to the GLOBAL norm (arrays each below the limit
but together above it must still be scaled), leave small gradients alone and not touch its input.

Training is judged by what it achieves, not by the optimiser (Adagrad and plain gradient descent both
pass): on "hello" and on a random short word whose letters repeat with different successors (so only
the hidden state can tell what comes next), greedy sampling must reproduce the word; the loss goes
down from its documented starting value; a fit is reproducible from ``random_state`` (0 included).
When a sample is wrong, the suite replays the learner's own trained parameters to tell a sampling
mistake (a fresh hidden state at each step) from a training failure.
"""

import numpy as np
import pytest

from grader.support.checks import (
    expect_array,
    expect_close,
    expect_float,
    expect_unchanged,
    fail,
    show,
)
from grader.support.gradcheck import expect_gradient, numeric_gradient, relative_error

NAMES = ("Wxh", "Whh", "Why", "bh", "by")
THRESHOLD = 1e-5


# --- the reference -------------------------------------------------------------------------------------
def forward(params, inputs, targets, h0):
    """The documented forward pass: (loss summed over the steps, hidden states [h0, h_0, ...], softmax outputs)."""
    states, probs, loss = [np.asarray(h0, dtype=float)], [], 0.0
    for x, target in zip(inputs, targets):
        h = np.tanh(params["Wxh"][:, x] + params["Whh"] @ states[-1] + params["bh"])
        logits = params["Why"] @ h + params["by"]
        p = np.exp(logits - logits.max())
        p /= p.sum()
        loss -= np.log(p[target])
        states.append(h)
        probs.append(p)
    return float(loss), states, probs


def backward(params, inputs, targets, h0, mistake=None):
    """The documented gradients, or those of a known mistake (to name it in the feedback)."""
    _, states, probs = forward(params, inputs, targets, h0)
    grads = {name: np.zeros_like(params[name]) for name in NAMES}
    dh_next = np.zeros_like(states[0])
    for t in reversed(range(len(inputs))):
        h, h_prev = states[t + 1], states[t]
        dy = probs[t].copy()
        dy[targets[t]] -= 1.0
        dh = params["Why"].T @ dy + (0.0 if mistake == "truncated" else dh_next)
        dz = (1.0 - (h_prev if mistake == "tanh_of_previous" else h) ** 2) * dh
        step = {"Why": np.outer(dy, h), "by": dy, "bh": dz, "Wxh": np.zeros_like(params["Wxh"]),
                "Whh": np.outer(dz, h if mistake == "whh_with_current" else h_prev)}
        step["Wxh"][:, inputs[t]] = dz
        for name in NAMES:
            grads[name] = step[name] if mistake == "assigned" else grads[name] + step[name]
        dh_next = params["Whh"].T @ dz
    return grads


MISTAKES = {
    "truncated": "backpropagation through time stops after one step: dh must be Why.T @ dy PLUS dh_next, the "
                 "gradient flowing back from step t+1 (dh_next = Whh.T @ dz, carried from one step to the one before)",
    "tanh_of_previous": "the tanh slope uses the previous hidden state: dz = (1 - h_t ** 2) * dh with h_t, the output "
                        "of THIS step's tanh, not h_{t-1}",
    "whh_with_current": "dWhh uses the current hidden state: Whh multiplies h_{t-1} in the forward pass, so "
                        "dWhh += outer(dz, h_{t-1}), not outer(dz, h_t)",
    "assigned": "the gradients keep only one step's contribution (= instead of +=): the parameters are shared by "
                "all the steps, so add every step's part into the gradient",
}


def random_params(rng, H, V):
    """Parameters large enough that tanh is neither linear nor saturated, in float64."""
    return {
        "Wxh": rng.normal(scale=0.8, size=(H, V)),
        "Whh": rng.normal(scale=0.5, size=(H, H)),
        "Why": rng.normal(scale=0.8, size=(V, H)),
        "bh": rng.normal(scale=0.3, size=H),
        "by": rng.normal(scale=0.3, size=V),
    }


def gradient_case(rng, H, V, T, h0_scale=0.5):
    """(params, inputs, targets, h0) whose gradients are all exactly 0 (unused columns of Wxh) or at least 1e-3.

    Central differences in float64 are off by about 1e-9 (rounding of a loss of a few units, divided by
    2 * step): a gradient entry near 1e-5 would fail the relative check however right it is, so such
    draws are skipped, as kinks are elsewhere.
    """
    while True:
        params = random_params(rng, H, V)
        inputs, targets = sequence(rng, V, T)
        h0 = rng.uniform(-h0_scale, h0_scale, size=H)
        grads = backward(params, inputs, targets, h0)
        if all(np.all((g == 0.0) | (np.abs(g) >= 1e-3)) for g in grads.values()):
            return params, inputs, targets, h0


def model_with(learner, params, H, V):
    """A learner's CharRNN on a V-character vocabulary (fit with n_iters=0), its parameters replaced by params."""
    model = learner.CharRNN(hidden_size=H, n_iters=0, random_state=0).fit("abcdefgh"[:V])
    for name in NAMES:
        setattr(model, name + "_", params[name].copy())
    return model


def sequence(rng, V, T):
    """Random inputs with a repeated character (the same column of Wxh used twice) and random targets."""
    inputs = rng.integers(0, V, size=T)
    if T >= 2 and len(set(inputs.tolist())) == T:
        inputs[rng.integers(1, T)] = inputs[0]
    return inputs.tolist(), rng.integers(0, V, size=T).tolist()


def call_learner(model, inputs, targets, h0, call):
    """loss_and_gradients(...) must return (loss, grads dict with the five keys, h_last)."""
    result = model.loss_and_gradients(inputs, targets, h0)
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        fail(f"{call} returned {show(result)}; expected a tuple (loss, grads, h_last)")
    loss, grads, h_last = result
    if not isinstance(grads, dict):
        fail(f"{call} returned {show(grads)} as its second value; expected the dict of gradients "
             '{"Wxh": ..., "Whh": ..., "Why": ..., "bh": ..., "by": ...}')
    missing = [name for name in NAMES if name not in grads]
    if missing:
        fail(f"{call}: the gradients dict has the keys {sorted(grads)}; {missing} missing — expected exactly "
             f"{list(NAMES)} (without the trailing underscore)")
    return loss, grads, h_last


def check_gradients(grads, params, inputs, targets, h0, names, call):
    """Each named gradient must match the numeric gradient of the reference loss; known mistakes are named."""
    for name in names:
        def loss_of(value, name=name):
            return forward({**params, name: value}, inputs, targets, h0)[0]

        numeric = numeric_gradient(loss_of, params[name])
        analytic = expect_array(grads[name], f'{call}: grads["{name}"]', params[name].shape)
        if float(relative_error(analytic, numeric).max()) > THRESHOLD:
            if not np.any(analytic) and np.any(numeric):
                fail(f'{call}: grads["{name}"] is all zeros; expected {show(numeric)} — every parameter has a gradient'
                     + (": the bias is added at every step, so its gradient is the sum of dz (bh) or dy (by) over the steps"
                        if name in ("bh", "by") else ""))
            for mistake, explanation in MISTAKES.items():
                variant = backward(params, inputs, targets, h0, mistake)[name]
                if np.allclose(analytic, variant, rtol=1e-6, atol=1e-9) and not np.allclose(variant, numeric, rtol=1e-4, atol=1e-7):
                    fail(f'{call}: grads["{name}"] is wrong: expected {show(numeric)}, got {show(analytic)} — {explanation}')
            T = len(inputs)
            if T > 1 and np.allclose(analytic * T, numeric, rtol=1e-5, atol=1e-8):
                fail(f'{call}: grads["{name}"] is the gradient divided by T = {T}: the loss is documented as the SUM of '
                     "the steps' cross-entropies, not their mean")
        expect_gradient(analytic, numeric, call, f'{name} (grads["{name}"])', threshold=THRESHOLD)


def greedy_sample(params, chars, start, length, fresh_state=False):
    """The documented greedy sampling with the given (learner's) parameters; fresh_state: the mistake."""
    index, text = chars.index(start), [start]
    h = np.zeros(params["Whh"].shape[0])
    while len(text) < length:
        if fresh_state:
            h = np.zeros_like(h)
        h = np.tanh(params["Wxh"][:, index] + params["Whh"] @ h + params["bh"])
        index = int(np.argmax(params["Why"] @ h + params["by"]))
        text.append(chars[index])
    return "".join(text)


def learned_params(model, V, H, call):
    return {name: expect_array(getattr(model, name + "_"), f"{call}.{name}_", shape) for name, shape in
            (("Wxh", (H, V)), ("Whh", (H, H)), ("Why", (V, H)), ("bh", (H,)), ("by", (V,)))}


def expect_sampled_word(model, word, call):
    """model.sample(word[0], len(word)) must give word back; if not, say whether sampling or training failed."""
    chars = sorted(set(word))
    got = model.sample(word[0], len(word))
    if got == word:
        again = model.sample(word[0], len(word))
        if again != got:
            fail(f"{call}.sample({word[0]!r}, {len(word)}) gave {got!r}, then {again!r}; expected the same text every time: "
                 "take the argmax of the scores (greedy), do not draw at random")
        return
    if not isinstance(got, str):
        fail(f"{call}.sample({word[0]!r}, {len(word)}) returned {show(got)}; expected a string")
    message = f"{call}.sample({word[0]!r}, {len(word)}) returned {got!r}; expected {word!r}"
    if len(got) != len(word):
        fail(f"{message} — the result has {len(got)} characters; expected length = {len(word)}, the start included")
    if got[0] != word[0]:
        fail(f"{message} — the text must begin with the start character {word[0]!r}")
    params = learned_params(model, len(chars), np.shape(model.Whh_)[0], call)
    if greedy_sample(params, chars, word[0], len(word)) == word:
        if got == greedy_sample(params, chars, word[0], len(word), fresh_state=True):
            fail(f"{message}, yet with your trained parameters the documented sampling gives {word!r} — your sample "
                 "starts every step from a fresh h = 0, so the network only sees the current character and cannot tell "
                 "which repeat it is at: keep h from one step to the next")
        fail(f"{message}, yet with your trained parameters the documented sampling gives {word!r} — sample must start "
             "from h = 0, feed each chosen character back in, keep h between steps, and pick the argmax of Why @ h + by")
    history = np.asarray(model.loss_history_, dtype=float)
    final = f" (the loss went from {history[0]:.4g} to {history[-1]:.4g})" if history.ndim == 1 and history.size else ""
    fail(f"{message} — training did not learn the word{final}: with a correct loss_and_gradients, clipping and "
         "update, the loss of such a short word drops close to 0 in the default 300 iterations")


def ambiguous_word(rng):
    """A short random word in which some letter is followed by different letters: only the hidden state tells."""
    while True:
        word = "".join(rng.choice(list("xyz"), size=int(rng.integers(6, 9))))
        successors = {}
        for a, b in zip(word, word[1:]):
            successors.setdefault(a, set()).add(b)
        if any(len(following) > 1 for following in successors.values()) and len(set(word)) == 3:
            return word


# --- forward and backward ------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_loss_and_last_hidden_state(learner, worker, rng):
    """loss_and_gradients returns the summed cross-entropy and h_last, without changing h0 or the parameters"""
    H, V, T = 5, 4, int(rng.integers(3, 7))
    params = random_params(rng, H, V)
    inputs, targets = sequence(rng, V, T)
    h0 = rng.uniform(-0.5, 0.5, size=H)
    model = model_with(learner, params, H, V)
    stored = worker.put(h0.copy())
    call = f"loss_and_gradients(inputs, targets, h0) for a sequence of {T} characters (H = {H}, V = {V})"
    loss, _, h_last = call_learner(model, inputs, targets, stored, call)
    expect_unchanged(h0, worker.fetch(stored), call, "h0")
    expected, states, _ = forward(params, inputs, targets, h0)
    value = expect_float(loss, f"{call}: the loss")
    if np.isclose(value, expected / T, rtol=1e-6):
        fail(f"{call}: the loss is {value:.6g}, the MEAN over the {T} steps; expected their SUM, {expected:.6g} "
             "(as documented)")
    if not np.isclose(value, expected, rtol=1e-6):
        fail(f"{call}: the loss is {value:.6g}; expected {expected:.6g}, the sum over the steps of -log p_t[targets[t]]")
    h_last = expect_array(h_last, f"{call}: h_last", (H,))
    if np.allclose(h_last, states[-2], rtol=1e-6) and not np.allclose(states[-2], states[-1], rtol=1e-6):
        fail(f"{call}: h_last is the hidden state one step before the end; expected the state after the last step")
    expect_close(h_last, states[-1], f"{call}: h_last", rtol=1e-6, atol=1e-9,
                 why="(tanh(Wxh[:, x] + Whh @ h + bh) after the last character)")
    for name in NAMES:
        expect_unchanged(params[name], np.asarray(getattr(model, name + "_")), call, f"(the parameter {name}_)")


@pytest.mark.points(2)
def test_gradients_of_the_output_layer(learner, rng):
    """grads["Why"] and grads["by"] pass the numeric gradient check on a sequence of 3 to 6 characters"""
    H, V, T = 5, 4, int(rng.integers(3, 7))
    params, inputs, targets, h0 = gradient_case(rng, H, V, T)
    call = f"loss_and_gradients(inputs, targets, h0) for a sequence of {T} characters"
    _, grads, _ = call_learner(model_with(learner, params, H, V), inputs, targets, h0, call)
    check_gradients(grads, params, inputs, targets, h0, ("by", "Why"), call)


@pytest.mark.points(2)
def test_gradients_of_one_step(learner, rng):
    """on a one-character sequence (no time to go back through), all five gradients pass the numeric check"""
    H, V = 5, 4
    # h0 far from 0, so that the slope of the wrong step's tanh (1 - h0 ** 2) would show
    params, inputs, targets, h0 = gradient_case(rng, H, V, 1, h0_scale=0.8)
    call = "loss_and_gradients([x], [y], h0) for ONE step, with h0 not zero"
    _, grads, _ = call_learner(model_with(learner, params, H, V), inputs, targets, h0, call)
    check_gradients(grads, params, inputs, targets, h0, ("by", "Why", "bh", "Wxh", "Whh"), call)


@pytest.mark.points(3)
def test_gradients_through_time(learner, rng):
    """on sequences of 3 to 6 characters, all five gradients pass the numeric check (full BPTT)"""
    H, V = 5, 4
    for T in (3, int(rng.integers(4, 7))):
        params, inputs, targets, h0 = gradient_case(rng, H, V, T)
        call = f"loss_and_gradients(inputs, targets, h0) for a sequence of {T} characters {inputs} -> {targets}"
        _, grads, _ = call_learner(model_with(learner, params, H, V), inputs, targets, h0, call)
        check_gradients(grads, params, inputs, targets, h0, ("by", "Why", "bh", "Wxh", "Whh"), call)


# --- clipping ------------------------------------------------------------------------------------------
def random_grads(rng, scale):
    shapes = {"Wxh": (6, 4), "Whh": (6, 6), "Why": (4, 6), "bh": (6,), "by": (4,)}
    return {name: rng.normal(scale=scale, size=shape) for name, shape in shapes.items()}


def global_norm(grads):
    return float(np.sqrt(sum(np.sum(np.asarray(g, dtype=float) ** 2) for g in grads.values())))


def expect_clipped(got, grads, max_norm, call):
    """got must be a new dict: every array of grads times min(1, max_norm / global norm)."""
    if not isinstance(got, dict) or sorted(got) != sorted(grads):
        fail(f"{call} returned {show(got)}; expected a dict with the same keys {sorted(grads)}")
    total = global_norm(grads)
    scale = min(1.0, max_norm / total)
    arrays = {name: expect_array(got[name], f'{call}["{name}"]', grads[name].shape) for name in grads}
    expected = {name: grads[name] * scale for name in grads}
    if all(np.allclose(arrays[name], expected[name], rtol=1e-9, atol=1e-12) for name in grads):
        return
    norm = global_norm(arrays)
    about = f"the global norm of the input is {total:.4g}, max_norm is {max_norm:g}, yours comes out at {norm:.4g}"
    by_value = {name: np.clip(grads[name], -max_norm, max_norm) for name in grads}
    per_array = {name: g * min(1.0, max_norm / max(np.sqrt(np.sum(g**2)), 1e-300)) for name, g in grads.items()}
    if all(np.allclose(arrays[name], by_value[name], rtol=1e-9, atol=1e-12) for name in grads):
        fail(f"{call}: {about} — you clipped each value to [-max_norm, max_norm]; clip by the global norm: "
             "scale every array by max_norm / total, total = sqrt(sum of all squared entries of all arrays)")
    if all(np.allclose(arrays[name], per_array[name], rtol=1e-9, atol=1e-12) for name in grads):
        fail(f"{call}: {about} — you clipped each array by its own norm; clip by the GLOBAL norm of all arrays "
             "together, one scale max_norm / total for every array, so the direction of the whole step is kept")
    ratios = [float(np.sum(arrays[name] * grads[name]) / np.sum(grads[name] ** 2)) for name in grads]
    if not np.allclose(ratios, ratios[0], rtol=1e-6):
        fail(f"{call}: {about}; the arrays were scaled by different factors ({', '.join(f'{r:.3g}' for r in ratios)}) — "
             "multiply every array by the same factor max_norm / total")
    for name in grads:
        expect_close(arrays[name], expected[name], f'{call}["{name}"]', rtol=1e-9, atol=1e-12,
                     why=f"(the input times min(1, max_norm / global norm) = {scale:.4g})")


@pytest.mark.points(2)
def test_clip_scales_to_the_global_norm(learner, worker, rng):
    """clip_gradients scales every array by one factor so that the global norm is max_norm"""
    grads = random_grads(rng, scale=3.0)
    grads["Whh"][0, 0] = 40.0  # one array above the limit on its own
    max_norm = float(rng.uniform(3.0, 8.0))
    stored = {name: worker.put(g.copy()) for name, g in grads.items()}
    call = f"clip_gradients(grads, max_norm={max_norm:.3g}) with a global norm of {global_norm(grads):.3g}"
    got = learner.clip_gradients(stored, max_norm)
    for name in grads:
        expect_unchanged(grads[name], worker.fetch(stored[name]), call, f'grads["{name}"]')
    expect_clipped(got, grads, max_norm, call)
    # every array below the limit, together above it: the global norm decides
    grads = random_grads(rng, scale=1.0)
    max_norm = 0.7 * global_norm(grads)
    max_norm = max(max_norm, 1.05 * max(float(np.sqrt(np.sum(g**2))) for g in grads.values()))
    if max_norm >= global_norm(grads):
        max_norm = 0.9 * global_norm(grads)
    call = (f"clip_gradients(grads, max_norm={max_norm:.3g}) with a global norm of {global_norm(grads):.3g}, "
            "every array's own norm below max_norm")
    expect_clipped(learner.clip_gradients(grads, max_norm), grads, max_norm, call)


@pytest.mark.points(1)
def test_clip_keeps_small_gradients(learner, worker, rng):
    """clip_gradients leaves gradients whose global norm is below max_norm unchanged (and its input untouched)"""
    grads = random_grads(rng, scale=0.2)
    max_norm = 1.5 * global_norm(grads)
    stored = {name: worker.put(g.copy()) for name, g in grads.items()}
    call = f"clip_gradients(grads, max_norm={max_norm:.3g}) with a global norm of {global_norm(grads):.3g}"
    got = learner.clip_gradients(stored, max_norm)
    for name in grads:
        expect_unchanged(grads[name], worker.fetch(stored[name]), call, f'grads["{name}"]')
    if isinstance(got, dict) and sorted(got) == sorted(grads):
        norm = global_norm(got)
        if np.isclose(norm, max_norm, rtol=1e-6):
            fail(f"{call}: the result has global norm {norm:.4g} = max_norm; expected the gradients unchanged — scale "
                 "only when the global norm is ABOVE max_norm")
    expect_clipped(got, grads, max_norm, call)


# --- training and sampling -----------------------------------------------------------------------------
@pytest.mark.points(2)
def test_says_hello(learner, rng):
    """trained on "hello", sample("h", 5) gives "hello" ("l" is followed by "l", then by "o")"""
    seed = int(rng.integers(2**31))
    call = f'CharRNN(random_state={seed}).fit("hello")'
    model = learner.CharRNN(random_state=seed).fit("hello")
    expect_sampled_word(model, "hello", call)
    got = model.sample("h", 1)
    if got != "h":
        fail(f'{call}.sample("h", 1) returned {show(got)}; expected "h": length counts the start character')


@pytest.mark.points(2)
def test_memorises_a_word_with_repeats(learner, rng):
    """trained on a random word like "xyzzyxz", sampling from its first letter gives the word back"""
    word = ambiguous_word(rng)
    seed = int(rng.integers(2**31))
    call = f'CharRNN(random_state={seed}).fit("{word}")'
    expect_sampled_word(learner.CharRNN(random_state=seed).fit(word), word, call)


@pytest.mark.points(1)
def test_loss_goes_down(learner, rng):
    """loss_history_ has one loss per iteration, starts near T * log(V) and goes down (Adagrad or plain descent)"""
    word = ambiguous_word(rng)
    T, V, n_iters = len(word) - 1, len(set(word)), int(rng.integers(80, 150))
    call = f'CharRNN(n_iters={n_iters}, random_state=0).fit("{word}")'
    history = learner.CharRNN(n_iters=n_iters, random_state=0).fit(word).loss_history_
    if isinstance(history, list):
        history = np.asarray(history, dtype=float) if all(isinstance(v, (int, float)) for v in history) else history
    history = expect_array(history, f"{call}.loss_history_ (one loss per iteration)", (n_iters,))
    start = T * np.log(V)
    if np.isclose(history[0], start / T, rtol=0.1):
        fail(f"{call}.loss_history_[0] is {history[0]:.4g}, the MEAN over the {T} steps; the loss is documented as their "
             f"SUM, about T * log(V) = {T} * log({V}) = {start:.4g} with tiny initial weights")
    if not np.isclose(history[0], start, rtol=0.1):
        fail(f"{call}.loss_history_[0] is {history[0]:.4g}; expected about T * log(V) = {T} * log({V}) = {start:.4g}: with "
             "initial weights 0.01 * normal the predictions are nearly uniform (record the loss BEFORE each update)")
    # The median of the last 10 losses: with plain gradient descent the loss of a word jumps up and down on the
    # way (at worst about 0.6 of the start after 80 iterations); Adagrad gets below 0.02.
    recent = float(np.median(history[-10:]))
    if recent > history[0]:
        fail(f"{call}: the loss went up, from {history[0]:.4g} to about {recent:.4g} over the last 10 iterations — the "
             "updates do not follow the loss: make the gradient tests pass first (loss_and_gradients), then step "
             "AGAINST the clipped gradients")
    if recent > 0.8 * history[0]:
        fail(f"{call}: the loss went from {history[0]:.4g} to only about {recent:.4g} over the last 10 of {n_iters} "
             "iterations; expected it to fall by a fifth at least on such a short word (is the learning rate used?)")


@pytest.mark.points(1)
def test_fit_learns_the_vocabulary(learner, rng):
    """fit returns self, with chars_ (sorted), char_to_index_ and parameters of the documented shapes"""
    letters = rng.choice(list("ab cdE!é"), size=12)
    text = "".join(letters)
    H = int(rng.integers(3, 9))
    call = f"CharRNN(hidden_size={H}, n_iters=5).fit({text!r})"
    model = learner.CharRNN(hidden_size=H, n_iters=5)
    returned = model.fit(text)
    if returned is not model:
        fail(f"{call} returned {show(returned)}; expected the model itself (end fit with `return self`)")
    expected = sorted(set(text))
    chars = model.chars_
    chars = chars.tolist() if isinstance(chars, np.ndarray) else chars
    if not isinstance(chars, (list, tuple)) or list(chars) != expected:
        fail(f"{call}.chars_ is {show(chars)}; expected the sorted distinct characters {expected}")
    mapping = model.char_to_index_
    if not isinstance(mapping, dict) or mapping != {char: i for i, char in enumerate(expected)}:
        fail(f"{call}.char_to_index_ is {show(mapping)}; expected {{char: its position in chars_}}")
    learned_params(model, len(expected), H, call)


@pytest.mark.points(1)
def test_reproducible_from_random_state(learner, rng):
    """the same random_state (0 included) gives the same parameters and losses; another seed, other weights"""
    word = ambiguous_word(rng)
    for seed in (0, int(rng.integers(1, 2**31))):
        call = f'CharRNN(n_iters=20, random_state={seed}).fit("{word}")'
        first = learner.CharRNN(n_iters=20, random_state=seed).fit(word)
        second = learner.CharRNN(n_iters=20, random_state=seed).fit(word)
        for name in ("Wxh_", "Whh_", "Why_", "loss_history_"):
            a, b = np.asarray(getattr(first, name)), np.asarray(getattr(second, name))
            if a.shape != b.shape or not np.array_equal(a, b):
                fail(f"{call} twice gave two different {name}; expected identical fits — draw the initial weights from "
                     "np.random.default_rng(random_state)" + (" (random_state=0 is a seed: do not test `if random_state:`)"
                                                              if seed == 0 else ""))
    other = learner.CharRNN(n_iters=0, random_state=1).fit(word)
    base = learner.CharRNN(n_iters=0, random_state=2).fit(word)
    if np.array_equal(np.asarray(other.Whh_), np.asarray(base.Whh_)):
        fail(f'CharRNN(n_iters=0, random_state=1).fit("{word}") and random_state=2 gave the same Whh_; expected '
             "different random initial weights for different seeds")
