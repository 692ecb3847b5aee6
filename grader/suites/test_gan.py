"""Hidden suite for exercise 23, gan.

The pieces are judged against a reference written here, on parameters the suite chooses: a model is
built with ``fit(..., n_iters=0)`` (``latent_dim=2``, ``hidden=5``), then its eight parameters and its
``loc_`` and ``scale_`` are replaced by setattr with random float64 values, drawn so that every
leaky-ReLU input is away from its kink, the tanh units are neither linear nor saturated, and every
gradient entry is large enough for central differences. Then:

- ``log_sigmoid``, ``generate`` and ``discriminate`` must give the documented values (``log_sigmoid``
  without overflow at ±1000; samples in the units of the data, logits of standardised samples);
- ``discriminator_gradients`` (real and fake batches of different sizes, so the documented sum of two
  means is told apart from one mean over all the samples) and ``generator_gradients`` must return the
  documented loss and gradients that pass the numeric check of ``grader.support.gradcheck``, computed on
  the suite's own losses. The generator's gradients are of G's parameters only (the dict's keys), and
  neither call may change a parameter. Where the numbers match a classic mistake (labels swapped, the
  saturating generator loss, a sum instead of a mean, tanh's slope from its input, a plain ReLU slope,
  missing bias gradients, unstandardised samples) the feedback names it;
- logits of ±1000 give finite losses and gradients, equal to the reference, without numpy warnings.

The training step is judged by what it does, not by the optimizer's formula (plain gradient descent
as documented; Adam would pass these tests too). The suite relies on the documented interface:
``train_step(x_real, z_fake, z, learning_rate)`` takes all its randomness as arguments and its step size
as ``learning_rate``, so it is deterministic given the model. From parameters set by the suite:

- with ``learning_rate=0`` nothing moves (the step size is the argument, not a stored value);
- the returned ``d_loss`` is the discriminator's loss BEFORE its update, on fakes of the generator before
  its update, and ``g_loss`` the generator's loss with the generator before its update and the
  discriminator AFTER its update: the two steps, in that order;
- both networks move, each downhill on its own loss (the change of its parameters has a negative dot
  product with the gradient of its loss): gradient ascent, or a step that is never stored, fails;
- the discriminator after a step is the same whatever the generator's noise ``z``: two models from one
  state, fed the same real batch and fake noise but different ``z``, must end with identical ``D``
  parameters. A generator step that also moves ``D``, or runs first, cannot pass.

Finally a full ``fit`` with the documented defaults must learn a Gaussian (mean in ±[1, 3], standard
deviation in [0.5, 2]): the mean and the standard deviation of ``generate`` on fresh noise must be within
0.3 standard deviations and a factor 1.6 of the data's. Over 1 200 seeds the reference stays within 0.15
and a factor 1.3 (``fit`` lowers the learning rate to zero, which settles the two players; with a
constant rate the standard deviation still swings by a factor 1.6 now and then). An untrained generator
gives nearly one value, and one trained uphill, with swapped labels or against a frozen discriminator
misses by far. ``fit`` must be reproducible from ``random_state`` (0 included), learn ``loc_`` and
``scale_``, reject 2-D input, leave its input unchanged, accept a list and return ``self``; ``sample``
must draw standard normal noise from its own ``random_state``.
"""

import numpy as np
import pytest

from grader.support.checks import (
    expect_array,
    expect_close,
    expect_float,
    expect_no_warnings,
    expect_number_close,
    expect_unchanged,
    expect_value_error,
    fail,
    show,
)
from grader.support.gradcheck import expect_gradient, numeric_gradient, relative_error

G_NAMES = ("G_W1", "G_b1", "G_W2", "G_b2")
D_NAMES = ("D_W1", "D_b1", "D_W2", "D_b2")
SLOPE = 0.2
THRESHOLD = 1e-5
MEAN_TOLERANCE = 0.3  # in standard deviations of the data
STD_FACTOR = 1.6  # the generated standard deviation within [std / 1.6, std * 1.6]


# --- the reference -------------------------------------------------------------------------------------
def log_sigmoid(z):
    return -np.logaddexp(0.0, -np.asarray(z, dtype=float))


def sigmoid(z):
    return np.exp(log_sigmoid(z))


def generator(params, z):
    """(pre-activations a, hidden h, output u in standard units, of shape (n,))."""
    a = np.asarray(z, dtype=float) @ params["G_W1"] + params["G_b1"]
    h = np.where(a > 0, a, SLOPE * a)
    return a, h, (h @ params["G_W2"] + params["G_b2"])[:, 0]


def samples(params, z):
    """What generate(z) returns: the generator's output in the units of the data."""
    return params["loc"] + params["scale"] * generator(params, z)[-1]


def d_network(params, u):
    """D on standardised values u of shape (n,): (input column U, pre-activations a, hidden h, logits (n,))."""
    U = np.asarray(u, dtype=float)[:, None]
    a = U @ params["D_W1"] + params["D_b1"]
    h = np.tanh(a)
    return U, a, h, (h @ params["D_W2"] + params["D_b2"])[:, 0]


def standardise(params, x):
    return (np.asarray(x, dtype=float) - params["loc"]) / params["scale"]


def logits_of(params, x):
    """What discriminate(x) returns: the logits of samples x in the units of the data."""
    return d_network(params, standardise(params, x))[-1]


def d_loss(params, x_real, x_fake, mistake=None):
    """The documented discriminator loss, or that of a known mistake (to name it in the feedback)."""
    if mistake == "raw_samples":
        params = {**params, "loc": 0.0, "scale": 1.0}
    real, fake = logits_of(params, x_real), logits_of(params, x_fake)
    if mistake == "fake_labelled_real":
        return float(-np.mean(log_sigmoid(real)) - np.mean(log_sigmoid(fake)))
    if mistake == "summed":
        return float(-np.sum(log_sigmoid(real)) - np.sum(log_sigmoid(-fake)))
    if mistake == "one_mean":
        return float(-np.mean(np.concatenate([log_sigmoid(real), log_sigmoid(-fake)])))
    return float(-np.mean(log_sigmoid(real)) - np.mean(log_sigmoid(-fake)))


def g_loss(params, z, mistake=None):
    """The documented (non-saturating) generator loss, or that of a known mistake."""
    logits = d_network(params, generator(params, z)[-1])[-1]
    if mistake == "saturating":
        return float(np.mean(log_sigmoid(-logits)))  # mean(log(1 - sigmoid(l)))
    if mistake == "summed":
        return float(-np.sum(log_sigmoid(logits)))
    if mistake == "fake_labelled_fake":
        return float(-np.mean(log_sigmoid(-logits)))
    return float(-np.mean(log_sigmoid(logits)))


def d_gradients(params, x_real, x_fake, mistake=None):
    """The documented gradients of the discriminator loss, or those of a known mistake."""
    n_r, n_f = len(x_real), len(x_fake)
    U, a, h, logits = d_network(params, standardise(params, np.concatenate([x_real, x_fake])))
    real, fake = logits[:n_r], logits[n_r:]
    g_real, g_fake = -sigmoid(-real) / n_r, sigmoid(fake) / n_f
    if mistake == "fake_labelled_real":
        g_fake = -sigmoid(-fake) / n_f
    if mistake == "summed":
        g_real, g_fake = g_real * n_r, g_fake * n_f
    g = np.concatenate([g_real, g_fake])[:, None]
    slope = {"tanh_of_input": 1.0 - a**2, "sigmoid_slope": h * (1.0 - h)}.get(mistake, 1.0 - h**2)
    da = (g @ params["D_W2"].T) * slope
    grads = {"D_W1": U.T @ da, "D_b1": da.sum(axis=0), "D_W2": h.T @ g, "D_b2": g.sum(axis=0)}
    if mistake == "no_bias":
        grads["D_b1"], grads["D_b2"] = np.zeros_like(grads["D_b1"]), np.zeros_like(grads["D_b2"])
    return grads


def g_gradients(params, z, mistake=None):
    """The documented gradients of the generator loss (G's parameters only), or those of a known mistake."""
    z = np.asarray(z, dtype=float)
    a_g, h_g, u = generator(params, z)
    _, a_d, h_d, logits = d_network(params, u)
    g = -sigmoid(-logits) / len(logits)
    if mistake == "saturating":
        g = -sigmoid(logits) / len(logits)
    if mistake == "summed":
        g = g * len(logits)
    d_slope = {"tanh_of_input": 1.0 - a_d**2, "sigmoid_slope": h_d * (1.0 - h_d)}.get(mistake, 1.0 - h_d**2)
    du = ((g[:, None] @ params["D_W2"].T) * d_slope) @ params["D_W1"].T
    g_slope = np.where(a_g > 0, 1.0, 0.0 if mistake == "relu_slope" else SLOPE)
    da = (du @ params["G_W2"].T) * g_slope
    grads = {"G_W1": z.T @ da, "G_b1": da.sum(axis=0), "G_W2": h_g.T @ du, "G_b2": du.sum(axis=0)}
    if mistake == "no_bias":
        grads["G_b1"], grads["G_b2"] = np.zeros_like(grads["G_b1"]), np.zeros_like(grads["G_b2"])
    return grads


D_MISTAKES = {
    "fake_labelled_real": "the fakes are labelled as real: their part of the loss is -log sigmoid(-D(x_fake)) "
                          "(label 0), whose gradient with respect to a logit is +sigmoid(l) / n_f",
    "summed": "the loss is summed over the samples instead of averaged: divide the gradient of each logit by its "
              "batch size (n_r for the real ones, n_f for the fakes)",
    "tanh_of_input": "tanh's slope is computed from its input: it is 1 - tanh(a) ** 2 = 1 - h ** 2, with h the "
                     "OUTPUT of tanh, not 1 - a ** 2",
    "sigmoid_slope": "the slope h * (1 - h) is the sigmoid's; tanh's is 1 - h ** 2",
    "no_bias": "the bias gradients are missing: dD_b1 is da summed over the rows, dD_b2 the sum of the logits' gradients",
}
G_MISTAKES = {
    "saturating": "this is the gradient of the saturating loss mean(log(1 - sigmoid(D(G(z))))); the generator minimises "
                  "the non-saturating mean(-log sigmoid(D(G(z)))), whose gradient with respect to a logit is "
                  "-sigmoid(-l) / n",
    "summed": "the loss is summed over the samples instead of averaged: divide the gradient of each logit by n",
    "tanh_of_input": "going back through D, tanh's slope is computed from its input: it is 1 - h ** 2, with h the "
                     "OUTPUT of tanh, not 1 - a ** 2",
    "sigmoid_slope": "going back through D, the slope h * (1 - h) is the sigmoid's; tanh's is 1 - h ** 2",
    "relu_slope": "the leaky ReLU's slope is 0.2 (LEAKY_SLOPE) where its input is negative, not 0: it leaks",
    "no_bias": "the bias gradients are missing: dG_b1 is da summed over the rows, dG_b2 the sum of du",
}


# --- drawing test cases --------------------------------------------------------------------------------
def random_params(rng, L, H):
    return {
        "G_W1": rng.normal(size=(L, H)), "G_b1": rng.normal(scale=0.5, size=H),
        "G_W2": rng.normal(scale=0.8, size=(H, 1)), "G_b2": rng.normal(scale=0.5, size=1),
        "D_W1": rng.normal(size=(1, H)), "D_b1": rng.normal(scale=0.5, size=H),
        "D_W2": rng.normal(size=(H, 1)), "D_b2": rng.normal(scale=0.5, size=1),
        "loc": float(rng.uniform(-3.0, 3.0)), "scale": float(rng.uniform(0.5, 2.0)),
    }


def well_conditioned(params, z, x_real, x_fake):
    """No leaky-ReLU input near its kink, tanh not saturated, every gradient entry well above rounding."""
    a_g, _, u = generator(params, z)
    _, a_d, _, logits = d_network(params, np.concatenate([standardise(params, np.concatenate([x_real, x_fake])), u]))
    if np.min(np.abs(a_g)) < 0.05 or np.max(np.abs(a_d)) > 3.0 or np.max(np.abs(logits)) > 4.0:
        return False
    grads = {**d_gradients(params, x_real, x_fake), **g_gradients(params, z)}
    return all(np.min(np.abs(g)) > 1e-3 for g in grads.values())


def gradient_case(rng, L=2, H=5, n=7, n_real=5, n_fake=3):
    """(params, z, x_real, x_fake) with real and fake batches of different sizes, all well conditioned."""
    while True:
        params = random_params(rng, L, H)
        z = rng.normal(size=(n, L))
        x_real = params["loc"] + params["scale"] * rng.normal(0.5, 1.0, size=n_real)
        x_fake = params["loc"] + params["scale"] * rng.normal(-0.5, 1.0, size=n_fake)
        if well_conditioned(params, z, x_real, x_fake):
            return params, z, x_real, x_fake


def model_with(learner, params):
    """A learner's GAN (fit with n_iters=0) whose parameters, loc_ and scale_ are replaced by those of params."""
    L, H = params["G_W1"].shape
    model = learner.GAN(latent_dim=L, hidden=H, n_iters=0, random_state=0).fit([0.0, 1.0])
    for name in G_NAMES + D_NAMES:
        setattr(model, name + "_", params[name].copy())
    model.loc_ = params["loc"]
    model.scale_ = params["scale"]
    return model


def read_params(model, names, shapes, call):
    return {name: expect_array(getattr(model, name + "_"), f"{call}: {name}_", shapes[name]).astype(float) for name in names}


def read_all(model, params, call):
    """The model's eight parameters (checked for shape), with the loc and scale of params."""
    shapes = {name: params[name].shape for name in G_NAMES + D_NAMES}
    return {**params, **read_params(model, G_NAMES + D_NAMES, shapes, call)}


def expect_params_untouched(model, params, call):
    for name in G_NAMES + D_NAMES:
        expect_unchanged(params[name], np.asarray(getattr(model, name + "_")), call, f"(the parameter {name}_)")


def call_gradients(result, names, call, other_names):
    """(loss, grads) from a *_gradients call, with exactly the documented keys."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        fail(f"{call} returned {show(result)}; expected a tuple (loss, grads)")
    loss, grads = result
    if not isinstance(grads, dict):
        fail(f"{call} returned {show(grads)} as its second value; expected a dict of gradients with the keys {list(names)}")
    extra = sorted(map(str, set(grads) & set(other_names)))
    if extra and names == G_NAMES:
        fail(f"{call} returned gradients for {extra} too; expected G's parameters only {list(names)}: the generator "
             "step backpropagates THROUGH the discriminator to reach G, but must not update D (D would learn to call "
             "the fakes real)")
    missing = [name for name in names if name not in grads]
    if missing:
        fail(f"{call}: the gradients dict has the keys {sorted(map(str, grads))}; {missing} missing — expected exactly "
             f"{list(names)} (the attribute names without the trailing underscore)")
    return loss, grads


def check_gradients(grads, params, names, loss_of, variants, mistakes, call):
    """Each named gradient must pass the numeric check of the reference loss; known mistakes are named."""
    for name in names:
        def loss_at(value, name=name):
            return loss_of({**params, name: value})

        numeric = numeric_gradient(loss_at, params[name])
        analytic = expect_array(grads[name], f'{call}: grads["{name}"]', params[name].shape)
        if float(relative_error(analytic, numeric).max()) > THRESHOLD:
            if not np.any(analytic):
                fail(f'{call}: grads["{name}"] is all zeros; expected {show(numeric)} — every parameter has a gradient'
                     + (f": {mistakes['no_bias']}" if name.endswith(("b1", "b2")) else ""))
            for mistake, explanation in mistakes.items():
                variant = variants(mistake)[name]
                if np.allclose(analytic, variant, rtol=1e-6, atol=1e-9) and not np.allclose(variant, numeric, rtol=1e-4, atol=1e-7):
                    fail(f'{call}: grads["{name}"] is wrong: expected {show(numeric)}, got {show(analytic)} — {explanation}')
        expect_gradient(analytic, numeric, call, f'{name} (grads["{name}"])', threshold=THRESHOLD)


# --- the pieces ----------------------------------------------------------------------------------------
@pytest.mark.points(1)
def test_log_sigmoid(learner, worker, rng):
    """log_sigmoid(z) = -log(1 + exp(-z)) on ordinary values and on ±1000, without overflow"""
    z = rng.normal(scale=5.0, size=(3, 4))
    expect_close(learner.log_sigmoid(z), log_sigmoid(z), "log_sigmoid(z) for z of shape (3, 4)", rtol=1e-9, atol=1e-12)
    z = np.array([-1000.0, -745.5, -40.0, 0.0, 40.0, 745.5, 1000.0])
    call = "log_sigmoid([-1000, -745.5, -40, 0, 40, 745.5, 1000])"
    got = learner.log_sigmoid(z)
    if isinstance(got, np.ndarray) and got.shape == z.shape and np.isinf(got).any():
        fail(f"{call} returned {show(got)}; expected {show(log_sigmoid(z))} — sigmoid(-1000) is 0 in floating point and "
             "log(0) is -inf: compute -log(1 + exp(-z)) without forming sigmoid, with np.logaddexp")
    expect_close(got, log_sigmoid(z), call, rtol=1e-9, atol=1e-12)
    expect_no_warnings(worker, call, "the values are right, but exp overflowed on the way: use np.logaddexp(0, -z)")


@pytest.mark.points(1)
def test_generate_and_discriminate(learner, rng):
    """generate(z) gives loc_ + scale_ * G(z) (leaky ReLU); discriminate(x) the logits of (x - loc_) / scale_ (tanh)"""
    params, z, x_real, _ = gradient_case(rng)
    model = model_with(learner, params)
    units = f"loc_ = {params['loc']:.3g}, scale_ = {params['scale']:.3g}"
    call = f"generate(z) for z of shape (7, 2) (latent_dim=2, hidden=5, {units})"
    got = expect_array(model.generate(z), call, (7,))
    a, _, u = generator(params, z)
    expected = samples(params, z)
    relu = params["loc"] + params["scale"] * (np.maximum(a, 0.0) @ params["G_W2"] + params["G_b2"])[:, 0]
    tanh = params["loc"] + params["scale"] * (np.tanh(a) @ params["G_W2"] + params["G_b2"])[:, 0]
    for wrong, explanation in (
        (u, "these are the generator's outputs u in standard units: return samples in the units of the data, "
            "loc_ + scale_ * u"),
        (relu, "that is a plain ReLU; the generator's is leaky: 0.2 * a where a < 0"),
        (tanh, "the generator's hidden layer is a leaky ReLU, not tanh (tanh is the discriminator's)"),
    ):
        if np.allclose(got, wrong, rtol=1e-9) and not np.allclose(wrong, expected, rtol=1e-9):
            fail(f"{call} returned {show(got)}; expected {show(expected)} — {explanation}")
    expect_close(got, expected, call, rtol=1e-9, atol=1e-12,
                 why="(loc_ + scale_ * u with u = leaky_relu(z @ G_W1_ + G_b1_) @ G_W2_ + G_b2_, column 0)")
    call = f"discriminate(x) for x of shape (5,) ({units})"
    got = expect_array(model.discriminate(x_real), call, (5,))
    expected = logits_of(params, x_real)
    if np.allclose(got, d_network(params, x_real)[-1], rtol=1e-9):
        fail(f"{call} returned {show(got)}; expected {show(expected)} — D was given x as it is: standardise it first, "
             "u = (x - loc_) / scale_")
    if np.allclose(got, sigmoid(expected), rtol=1e-9):
        fail(f"{call} returned {show(got)}; expected the logits {show(expected)} — these are sigmoid(logits): return the "
             "scores themselves, before any sigmoid")
    expect_close(got, expected, call, rtol=1e-9, atol=1e-12,
                 why="(tanh(u @ D_W1_ + D_b1_) @ D_W2_ + D_b2_, column 0, with u = (x - loc_) / scale_ as a column)")


@pytest.mark.points(1)
def test_discriminator_loss(learner, rng):
    """discriminator_gradients returns mean(-log sigmoid(D(real))) + mean(-log sigmoid(-D(fake))), nothing updated"""
    params, _, x_real, x_fake = gradient_case(rng)
    model = model_with(learner, params)
    call = "discriminator_gradients(x_real, x_fake) with 5 real and 3 fake samples"
    loss, _ = call_gradients(model.discriminator_gradients(x_real, x_fake), D_NAMES, call, G_NAMES)
    value = expect_float(loss, f"{call}: the loss")
    expected = d_loss(params, x_real, x_fake)
    if not np.isclose(value, expected, rtol=1e-9, atol=1e-12):
        for mistake, explanation in (
            ("fake_labelled_real", D_MISTAKES["fake_labelled_real"]),
            ("summed", "the loss is summed over the samples; it is documented as a sum of two MEANS"),
            ("one_mean", "this is one mean over all 8 samples; the loss is documented as the mean over the real samples "
                         "PLUS the mean over the fakes (with batches of equal sizes, twice your value)"),
            ("raw_samples", "D was given the samples as they are: standardise them first, u = (x - loc_) / scale_"),
        ):
            if np.isclose(value, d_loss(params, x_real, x_fake, mistake), rtol=1e-9):
                fail(f"{call}: the loss is {value:.6g}; expected {expected:.6g} — {explanation}")
        fail(f"{call}: the loss is {value:.6g}; expected {expected:.6g}, mean(-log_sigmoid(D(x_real))) + "
             "mean(-log_sigmoid(-D(x_fake)))")
    expect_params_untouched(model, params, call)


@pytest.mark.points(2)
def test_discriminator_gradients(learner, rng):
    """the discriminator's four gradients pass the numeric check of its loss (real and fake batches of different sizes)"""
    params, _, x_real, x_fake = gradient_case(rng)
    call = "discriminator_gradients(x_real, x_fake) with 5 real and 3 fake samples"
    _, grads = call_gradients(model_with(learner, params).discriminator_gradients(x_real, x_fake), D_NAMES, call, G_NAMES)
    check_gradients(grads, params, D_NAMES, lambda p: d_loss(p, x_real, x_fake),
                    lambda mistake: d_gradients(params, x_real, x_fake, mistake), D_MISTAKES, call)


@pytest.mark.points(1)
def test_generator_loss(learner, rng):
    """generator_gradients returns the non-saturating loss mean(-log sigmoid(D(G(z)))), nothing updated"""
    params, z, _, _ = gradient_case(rng)
    model = model_with(learner, params)
    call = "generator_gradients(z) for z of shape (7, 2)"
    loss, _ = call_gradients(model.generator_gradients(z), G_NAMES, call, D_NAMES)
    value = expect_float(loss, f"{call}: the loss")
    expected = g_loss(params, z)
    if not np.isclose(value, expected, rtol=1e-9, atol=1e-12):
        for mistake, explanation in (
            ("saturating", "this is the saturating loss mean(log(1 - sigmoid(D(G(z))))); minimise the non-saturating "
                           "mean(-log sigmoid(D(G(z)))) instead: the same goal, but a strong gradient while D still "
                           "rejects the fakes"),
            ("fake_labelled_fake", "this is the discriminator's loss on the fakes (label 0); the generator wants its "
                                   "fakes called real (label 1): mean(-log sigmoid(D(G(z))))"),
            ("summed", "the loss is summed over the samples instead of averaged"),
        ):
            if np.isclose(value, g_loss(params, z, mistake), rtol=1e-9):
                fail(f"{call}: the loss is {value:.6g}; expected {expected:.6g} — {explanation}")
        fail(f"{call}: the loss is {value:.6g}; expected {expected:.6g}, mean(-log_sigmoid(D(G(z)))) with the "
             "generator's output u going straight into D's network")
    expect_params_untouched(model, params, call)


@pytest.mark.points(3)
def test_generator_gradients(learner, rng):
    """the generator's four gradients (and no others) pass the numeric check, backpropagated through D"""
    params, z, _, _ = gradient_case(rng)
    model = model_with(learner, params)
    call = "generator_gradients(z) for z of shape (7, 2)"
    _, grads = call_gradients(model.generator_gradients(z), G_NAMES, call, D_NAMES)
    check_gradients(grads, params, G_NAMES, lambda p: g_loss(p, z),
                    lambda mistake: g_gradients(params, z, mistake), G_MISTAKES, call)
    expect_params_untouched(model, params, call)


@pytest.mark.points(2)
def test_losses_do_not_overflow(learner, worker, rng):
    """with logits of about ±1000 both losses and their gradients are finite and right, without numpy warnings"""
    params, z, x_real, x_fake = gradient_case(rng)
    for sign in (1.0, -1.0):
        extreme = {**params, "D_W2": params["D_W2"] * 1e-3, "D_b2": np.array([sign * 1000.0])}
        model = model_with(learner, extreme)
        logits = f"logits near {sign * 1000:+.0f}"
        cases = (
            (f"discriminator_gradients(x_real, x_fake) with {logits}", lambda: model.discriminator_gradients(x_real, x_fake),
             d_loss(extreme, x_real, x_fake), d_gradients(extreme, x_real, x_fake), D_NAMES, G_NAMES),
            (f"generator_gradients(z) with {logits}", lambda: model.generator_gradients(z),
             g_loss(extreme, z), g_gradients(extreme, z), G_NAMES, D_NAMES),
        )
        for call, run, expected_loss, expected_grads, names, others in cases:
            loss, grads = call_gradients(run(), names, call, others)
            warnings = list(worker.warnings)
            if isinstance(loss, (float, np.floating)) and not np.isfinite(loss):
                fail(f"{call}: the loss is {loss}; expected {expected_loss:.6g} — log(sigmoid(l)) is log(0) = -inf when "
                     "sigmoid(l) rounds to 0: use your log_sigmoid (np.logaddexp) instead of log(sigmoid(...))")
            value = expect_float(loss, f"{call}: the loss")
            if not np.isclose(value, expected_loss, rtol=1e-9, atol=1e-12):
                fail(f"{call}: the loss is {value:.12g}; expected {expected_loss:.12g}")
            for name in names:
                expect_close(grads[name], expected_grads[name], f'{call}: grads["{name}"]', rtol=1e-6, atol=1e-12)
            if warnings:
                fail(f"{call} made numpy warn: {warnings[0]['category']}: {warnings[0]['message']} (your line "
                     f"{warnings[0]['line']}) — the results are right, but exp overflowed on the way: compute sigmoid(l) "
                     "as exp(log_sigmoid(l)), and 1 - sigmoid(l) as sigmoid(-l)")


# --- the training step ---------------------------------------------------------------------------------
STEP = 0.1  # the learning rate of the train_step tests


def step_case(rng):
    """Parameters, a real batch, the fakes' noise and two generator noises for one train_step."""
    params, z, x_real, x_fake = gradient_case(rng, L=2, H=5, n=6, n_real=6, n_fake=6)
    return params, x_real, rng.normal(size=(6, 2)), z, rng.normal(size=(6, 2))


def changed(before, after, names):
    return [name for name in names if not np.allclose(after[name], before[name], rtol=0, atol=1e-12)]


def downhill(before, after, grads, names):
    """The dot product of the change of the parameters with the gradient (negative: a step downhill)."""
    return float(sum(np.sum((after[name] - before[name]) * grads[name]) for name in names))


def call_step(model, x_real, z_fake, z, learning_rate, call):
    result = model.train_step(x_real, z_fake, z, learning_rate)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        fail(f"{call} returned {show(result)}; expected a tuple (d_loss, g_loss)")
    return expect_float(result[0], f"{call}: d_loss"), expect_float(result[1], f"{call}: g_loss")


@pytest.mark.points(2)
def test_train_step_trains_both_networks(learner, rng):
    """train_step: a discriminator step, then a generator step with the updated D, each downhill on its own loss"""
    params, x_real, z_fake, z, _ = step_case(rng)
    call = "train_step(x_real, z_fake, z, learning_rate=0.0)"
    model = model_with(learner, params)
    call_step(model, x_real, z_fake, z, 0.0, call)
    moved = changed(params, read_all(model, params, call), G_NAMES + D_NAMES)
    if moved:
        fail(f"{call} changed {moved}; expected no change with a step size of 0 — use the learning_rate argument "
             "(fit lowers it from one iteration to the next), not self.learning_rate")
    call = f"train_step(x_real, z_fake, z, learning_rate={STEP})"
    model = model_with(learner, params)
    d_value, g_value = call_step(model, x_real, z_fake, z, STEP, call)
    after = read_all(model, params, call)
    if not changed(params, after, D_NAMES):
        fail(f"{call} left the discriminator's parameters unchanged: the discriminator step is missing (or its update "
             "is never stored in D_W1_, D_b1_, D_W2_, D_b2_) — only the generator is trained")
    if not changed(params, after, G_NAMES):
        fail(f"{call} left the generator's parameters unchanged: the generator step is missing (or its update is never "
             "stored in G_W1_, G_b1_, G_W2_, G_b2_) — only the discriminator is trained")
    fakes = samples(params, z_fake)
    expected = d_loss(params, x_real, fakes)
    if not np.isclose(d_value, expected, rtol=1e-9, atol=1e-12):
        if np.isclose(d_value, d_loss(params, x_real, samples(after, z_fake)), rtol=1e-9):
            fail(f"{call}: d_loss is {d_value:.6g}; expected {expected:.6g} — that is the discriminator's loss on fakes of "
                 "the generator AFTER its update: run the discriminator step first, on generate(z_fake) before any "
                 "update, then the generator step")
        fail(f"{call}: d_loss is {d_value:.6g}; expected {expected:.6g}, the discriminator's loss on x_real and the fakes "
             "generate(z_fake), computed before any update")
    if downhill(params, after, d_gradients(params, x_real, fakes), D_NAMES) >= 0:
        fail(f"{call} moved the discriminator uphill on its loss: update D's parameters AGAINST the gradients of "
             "discriminator_gradients (param - learning_rate * grad), and only in the discriminator step: the "
             "generator step must not change D")
    d_after = {**params, **{name: after[name] for name in D_NAMES}}
    expected = g_loss(d_after, z)
    if not np.isclose(g_value, expected, rtol=1e-9, atol=1e-12):
        if np.isclose(g_value, g_loss(params, z), rtol=1e-9):
            fail(f"{call}: g_loss is {g_value:.6g}; expected {expected:.6g} — that is the generator's loss with the "
                 "discriminator BEFORE its update: run the discriminator step first, then the generator step")
        fail(f"{call}: g_loss is {g_value:.6g}; expected {expected:.6g}, the generator's loss on z with the generator "
             "before its update and the discriminator after its update")
    if downhill(params, after, g_gradients(d_after, z), G_NAMES) >= 0:
        fail(f"{call} moved the generator uphill on its loss (gradient ascent): the generator minimises "
             "mean(-log sigmoid(D(G(z)))), so update its parameters AGAINST the gradients of generator_gradients")


@pytest.mark.points(2)
def test_generator_step_leaves_discriminator_alone(learner, rng):
    """after train_step, D is the same whatever the generator's noise z: the generator step does not move D"""
    params, x_real, z_fake, z, z_other = step_case(rng)
    call = f"train_step(x_real, z_fake, z, learning_rate={STEP}) on two identical models, with a different z only"
    ends = []
    for noise in (z, z_other):
        model = model_with(learner, params)
        call_step(model, x_real, z_fake, noise, STEP, call)
        ends.append(read_all(model, params, call))
    for name in D_NAMES:
        if not np.allclose(ends[0][name], ends[1][name], rtol=1e-12, atol=1e-15):
            difference = float(np.max(np.abs(ends[0][name] - ends[1][name])))
            fail(f"{call}: the discriminator's {name}_ differs between the two (by up to {difference:.3g}) — the "
                 "generator's noise z changed D: the generator step updated the discriminator too (or ran before the "
                 "discriminator step). The generator's loss is backpropagated through D to reach G, but only G's "
                 "parameters are updated in that step")
    if not changed(ends[0], ends[1], G_NAMES):
        fail(f"{call}: the generator ended the same with two different z — the generator step must use its noise z")


# --- training ------------------------------------------------------------------------------------------
@pytest.mark.points(3)
def test_learns_a_gaussian(learner, rng):
    """trained on samples of a Gaussian, the generated samples have about its mean and standard deviation"""
    mean = float(rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 3.0))
    std = float(rng.uniform(0.5, 2.0))
    x = rng.normal(mean, std, size=1000)
    data_mean, data_std = float(x.mean()), float(x.std())
    seed = int(rng.integers(2**31))
    call = f"GAN(random_state={seed}).fit(x) on 1000 samples of N({mean:.3g}, {std:.3g}**2)"
    model = learner.GAN(random_state=seed).fit(x)
    generated = expect_array(model.generate(rng.normal(size=(20000, 1))),
                             f"{call}, then generate(z) for z of shape (20000, 1)", (20000,))
    got_mean, got_std = float(generated.mean()), float(generated.std())
    summary = (f"{call}: the generated samples have mean {got_mean:.4g} and standard deviation {got_std:.4g}; the "
               f"data {data_mean:.4g} and {data_std:.4g}")
    if got_std < 0.2 * data_std:
        advice = ("the generator makes nearly one value for every z, as before training (or it has collapsed): check "
                  "that train_step updates the generator and moves it downhill, and that fit calls it n_iters times "
                  "(the train_step tests first)")
    else:
        advice = ("check the gradient and train_step tests first; then that fit calls train_step n_iters times on "
                  "batches drawn from x, with fresh noise each time, and a learning rate going down to 0")
    if abs(got_mean - data_mean) > MEAN_TOLERANCE * data_std:
        fail(f"{summary}. Expected the mean within {MEAN_TOLERANCE} standard deviations ({MEAN_TOLERANCE * data_std:.3g}) "
             f"of the data's — {advice}")
    if not data_std / STD_FACTOR <= got_std <= data_std * STD_FACTOR:
        fail(f"{summary}. Expected the standard deviation within a factor {STD_FACTOR} of the data's — {advice}")


@pytest.mark.points(1)
def test_fit_learns_units_parameters_and_histories(learner, rng):
    """fit returns self, with loc_ and scale_, the eight parameters of the documented shapes and one loss per iteration"""
    L, H, n_iters = int(rng.integers(2, 4)), int(rng.integers(3, 9)), int(rng.integers(5, 15))
    x = rng.normal(rng.uniform(-5, 5), rng.uniform(0.5, 3), size=50)
    call = f"GAN(latent_dim={L}, hidden={H}, n_iters={n_iters}, batch_size=16, random_state=0).fit(x)"
    model = learner.GAN(latent_dim=L, hidden=H, n_iters=n_iters, batch_size=16, random_state=0)
    returned = model.fit(x)
    if returned is not model:
        fail(f"{call} returned {show(returned)}; expected the model itself (end fit with `return self`)")
    expect_number_close(model.loc_, float(x.mean()), f"{call}.loc_", rtol=1e-9, why="(the mean of x)")
    scale = expect_float(model.scale_, f"{call}.scale_")
    if np.isclose(scale, float(x.std(ddof=1)), rtol=1e-9):
        fail(f"{call}.scale_ is {scale:.6g}, the standard deviation with n - 1; expected np.std(x) = {x.std():.6g} (with n)")
    expect_number_close(scale, float(x.std()), f"{call}.scale_", rtol=1e-9, why="(the standard deviation of x, np.std)")
    shapes = {"G_W1": (L, H), "G_b1": (H,), "G_W2": (H, 1), "G_b2": (1,),
              "D_W1": (1, H), "D_b1": (H,), "D_W2": (H, 1), "D_b2": (1,)}
    read_params(model, G_NAMES + D_NAMES, shapes, call)
    for name in ("d_loss_history_", "g_loss_history_"):
        history = getattr(model, name)
        if isinstance(history, list):
            history = np.asarray(history, dtype=float)
        expect_array(history, f"{call}.{name} (one loss per iteration)", (n_iters,))
    expect_array(model.generate(rng.normal(size=(4, L))), f"{call}, then generate(z) for z of shape (4, {L})", (4,))
    expect_value_error(lambda: learner.GAN(n_iters=0).fit(x.reshape(10, 5)), "GAN(n_iters=0).fit(X) with X of shape (10, 5)",
                       "(the samples must be 1-D, shape (n_samples,))")
    constant = learner.GAN(n_iters=0, random_state=0).fit([2.5, 2.5, 2.5])
    expect_number_close(constant.scale_, 1.0, "GAN(n_iters=0).fit([2.5, 2.5, 2.5]).scale_",
                        why="(constant data: documented as 1.0, so that nothing is divided by 0)")


@pytest.mark.points(1)
def test_reproducible_and_input_unchanged(learner, worker, rng):
    """the same random_state (0 included) gives the same fit; fit leaves x unchanged and accepts a list"""
    x = rng.normal(1.0, 0.7, size=40)
    stored = worker.put(x.copy())
    for seed in (0, int(rng.integers(1, 2**31))):
        call = f"GAN(n_iters=10, batch_size=16, random_state={seed}).fit(x)"
        first = learner.GAN(n_iters=10, batch_size=16, random_state=seed).fit(stored)
        expect_unchanged(x, worker.fetch(stored), call, "x")
        second = learner.GAN(n_iters=10, batch_size=16, random_state=seed).fit(x.tolist())
        for name in ("G_W1_", "D_W1_", "G_b2_", "d_loss_history_", "g_loss_history_"):
            a = np.asarray(getattr(first, name), dtype=float)
            b = np.asarray(getattr(second, name), dtype=float)
            if a.shape != b.shape or not np.array_equal(a, b, equal_nan=True):
                fail(f"{call} twice (x as an array, then as a list) gave two different {name}; expected identical fits — "
                     "draw everything (initial weights, batches, noise) from one np.random.default_rng(random_state)"
                     + (" (random_state=0 is a seed: do not test `if random_state:`)" if seed == 0 else ""))
    other = learner.GAN(n_iters=0, random_state=1).fit(x)
    base = learner.GAN(n_iters=0, random_state=2).fit(x)
    if np.array_equal(np.asarray(other.G_W1_), np.asarray(base.G_W1_)):
        fail("GAN(n_iters=0, random_state=1).fit(x) and random_state=2 gave the same G_W1_; expected different random "
             "initial weights for different seeds")


@pytest.mark.points(1)
def test_sample(learner, rng):
    """sample(n, random_state) gives n samples of generate(z) with z standard normal, reproducibly"""
    params, _, _, _ = gradient_case(rng, L=2, H=5)
    model = model_with(learner, params)
    seed = int(rng.integers(2**31))
    call = f"sample(20000, random_state={seed})"
    got = expect_array(model.sample(20000, random_state=seed), call, (20000,))
    again = expect_array(model.sample(20000, random_state=seed), call, (20000,))
    if not np.array_equal(got, again):
        fail(f"{call} twice gave different samples; expected the same: draw the noise from "
             "np.random.default_rng(random_state), not from np.random")
    other = expect_array(model.sample(20000, random_state=seed + 1), f"sample(20000, random_state={seed + 1})", (20000,))
    if np.array_equal(got, other):
        fail(f"{call} and random_state={seed + 1} gave the same samples; expected different noise for different seeds")
    reference = samples(params, rng.normal(size=(100000, 2)))
    ref_mean, ref_std = float(reference.mean()), float(reference.std())
    if abs(got.mean() - ref_mean) > 6 * ref_std / np.sqrt(20000) or abs(got.std() / ref_std - 1) > 0.05:
        fail(f"{call} has mean {got.mean():.4g} and standard deviation {got.std():.4g}; generate(z) with z ~ N(0, 1) of "
             f"shape (n, latent_dim) has about {ref_mean:.4g} and {ref_std:.4g} — draw z with "
             "rng.normal(size=(n, latent_dim)) and return generate(z)")
