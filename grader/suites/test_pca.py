"""Hidden suite for exercise 11, pca.

Results are judged against an SVD of the centred data computed here, never against one hard-coded answer:

- a component is defined only up to its sign, so each row of ``components_`` may be the reference's or
  its opposite; any correct method (SVD of the centred data, ``eigh`` of the covariance matrix, a sign
  convention such as scikit-learn's) passes;
- the test data has a fixed, well-spread spectrum (each variance half the previous one), so every
  component is well defined; where variances are equal on purpose (points on a circle), only the plane
  they span is judged, through its projection matrix ``components_.T @ components_``;
- on the digits data (a random 70% of the images) the first 10 variances are at least 1% apart, so their
  components are well defined too; the reconstruction error of the other 30% is judged as a number.

Where the numbers match a typical mistake (no centring, dividing by n instead of n - 1, ratios of the
kept variance only, components as columns or in increasing order, a forgotten mean in transform or
inverse_transform), the message names it.
"""

import numpy as np
import pytest

from grader.learner import LearnerError
from grader.support.checks import expect_array, expect_close, expect_unchanged, fail, show
from grader.support.data import train_test_indices
from grader.support.datasets import load_dataset

EIGH_ORDER = "np.linalg.eigh returns eigenvalues in INCREASING order: reverse them (and their eigenvectors) with [::-1]"


def spread_data(rng, n_samples, n_features):
    """Data whose sample covariance is exactly ``R @ diag(16, 8, 4, ...) @ R.T`` for a random rotation ``R``,
    centred far from the origin (so a missing centring changes every result)."""
    noise = rng.normal(size=(n_samples, n_features))
    white, _ = np.linalg.qr(noise - noise.mean(axis=0))  # orthonormal columns with zero mean
    rotation, _ = np.linalg.qr(rng.normal(size=(n_features, n_features)))
    spreads = np.sqrt((n_samples - 1) * 16.0 * 0.5 ** np.arange(n_features))
    offset = rng.uniform(5.0, 15.0, size=n_features) * rng.choice([-1.0, 1.0], size=n_features)
    return (white * spreads) @ rotation.T + offset


def circle_data(rng, n_features=5):
    """Twelve points on a circle in a random plane, plus two smaller patterns in other directions.

    The sample variance is the same along every direction of the circle's plane (both largest variances
    are equal), so only that plane is defined, not the two components in it.
    """
    n = 12
    angles = 2 * np.pi * np.arange(n) / n + rng.uniform(0, 2 * np.pi)
    radius = rng.uniform(3.0, 4.0)
    coordinates = np.zeros((n, n_features))
    coordinates[:, 0] = radius * np.cos(angles)
    coordinates[:, 1] = radius * np.sin(angles)
    coordinates[:, 2] = (-1.0) ** np.arange(n)  # uncorrelated with the circle, variance 12/11
    coordinates[:, 3] = 0.5 * np.cos(2 * angles)
    rotation, _ = np.linalg.qr(rng.normal(size=(n_features, n_features)))
    return coordinates @ rotation.T + rng.uniform(-10, 10, size=n_features)


def reference_pca(X):
    """(mean, every component as a row, the variance along each) by SVD of the centred data."""
    mean = X.mean(axis=0)
    _, singular_values, Vt = np.linalg.svd(X - mean, full_matrices=False)
    return mean, Vt, singular_values**2 / (len(X) - 1)


def uncentred_pca(X):
    """What a PCA that forgot to centre finds: (components, variances) of X itself."""
    _, singular_values, Vt = np.linalg.svd(X, full_matrices=False)
    return Vt, singular_values**2 / (len(X) - 1)


def same_up_to_sign(got, reference, atol=1e-6):
    """Every row of ``got`` equals the same row of ``reference`` or its opposite."""
    if got.shape != reference.shape:
        return False
    signs = np.where(np.sum(got * reference, axis=1) < 0, -1.0, 1.0)
    return bool(np.allclose(got * signs[:, None], reference, atol=atol))


def close(got, expected, rtol=1e-6):
    """Same shape and values, with an absolute tolerance relative to the largest expected value."""
    expected = np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=1e-9 * np.max(np.abs(expected))))


def expect_components_shape(got, k, n_features, what):
    """``got`` must be an array of shape (k, n_features); a transposed one is named."""
    if isinstance(got, np.ndarray) and got.shape == (n_features, k) and k != n_features:
        fail(f"{what} has shape {got.shape}; expected ({k}, {n_features}): one component per ROW — "
             "np.linalg.eigh returns eigenvectors as COLUMNS (transpose them); the rows of Vt from np.linalg.svd "
             "are the components already")
    return expect_array(got, what, (k, n_features))


def check_components(got, X, k, call):
    """``got`` must be the first k principal directions of X, one per row, each up to its sign."""
    _, directions, variances = reference_pca(X)
    n_features = X.shape[1]
    expected = directions[:k]
    got = expect_components_shape(got, k, n_features, f"{call}.components_")
    lengths = np.linalg.norm(got, axis=1)
    if not np.allclose(lengths, 1.0, atol=1e-6):
        fail(f"{call}.components_ has rows of length {show(lengths)}; expected unit vectors (length 1 each)")
    gram = got @ got.T
    if not np.allclose(gram, np.eye(k), atol=1e-6):
        fail(f"{call}.components_ has rows that are not orthogonal: components_ @ components_.T is {show(gram)}; "
             "expected the identity matrix")
    if same_up_to_sign(got, expected):
        return got
    uncentred, _ = uncentred_pca(X)
    if same_up_to_sign(got, uncentred[:k]):
        fail(f"{call}.components_ are the directions of X itself, not of the centred data: centre X first "
             "(subtract mean_ before the SVD); without centring the first component points from the origin "
             "towards the mean of the data instead of along its spread")
    if k == n_features and same_up_to_sign(got.T, expected):
        fail(f"{call}.components_ holds the components as COLUMNS; expected one per ROW — np.linalg.eigh returns "
             "eigenvectors as columns (transpose them); use Vt from np.linalg.svd, not Vt.T")
    cosines = np.abs(got @ directions.T)  # row i, column j: |cos| of the angle between got[i] and component j
    if np.all(cosines.max(axis=1) > 1 - 1e-6):
        found = cosines.argmax(axis=1).tolist()
        if sorted(found) == list(range(k)):
            fail(f"{call}.components_ are the right directions in the wrong order (components {found} of the "
                 f"reference, by decreasing variance): sort them by decreasing variance — {EIGH_ORDER}")
        fail(f"{call}.components_ are principal directions, but not the {k} with the largest variance (you kept "
             f"components {found}, counting from the largest variance): sort by decreasing variance before keeping "
             f"the first {k} — {EIGH_ORDER}")
    along = np.var((X - X.mean(axis=0)) @ got.T, axis=0, ddof=1)  # the variance of the data along each row
    if np.any(np.diff(along) > 1e-6 * along.max()):
        fail(f"{call}.components_ are not sorted by decreasing variance: the variance of the data along each row is "
             f"{show(along)}; expected {show(variances[:k])}, largest first — {EIGH_ORDER}")
    worst = int(np.argmin(np.abs(np.sum(got * expected, axis=1))))
    angle = np.degrees(np.arccos(min(1.0, abs(float(got[worst] @ expected[worst])))))
    toward_mean = X.mean(axis=0) / np.linalg.norm(X.mean(axis=0))
    note = ""
    if abs(got[0] @ toward_mean) > 0.9 and abs(expected[0] @ toward_mean) < 0.9:
        note = (" — your first component points towards the mean of the data: centre X (subtract mean_) "
                "before the SVD")
    fail(f"{call}.components_[{worst}] is {show(got[worst])}; expected {show(expected[worst])} or its opposite "
         f"(they are {angle:.3g} degrees apart){note}")
    return got


def check_variances(got, X, k, call):
    """``got`` must be the variance (ddof=1) along each of the first k components."""
    _, _, variances = reference_pca(X)
    n = len(X)
    expected = variances[:k]
    got = expect_array(got, f"{call}.explained_variance_", (k,))
    if close(got, expected):
        return got
    if close(got, expected * (n - 1) / n):
        fail(f"{call}.explained_variance_ is {show(got)}; expected {show(expected)} — you divided by n_samples = {n}: "
             f"the variance along a component divides by n_samples - 1 = {n - 1} (ddof=1, as np.cov and "
             "scikit-learn do): S ** 2 / (n_samples - 1)")
    _, uncentred = uncentred_pca(X)
    if close(got, uncentred[:k]) or close(got, uncentred[:k] * (n - 1) / n):
        fail(f"{call}.explained_variance_ is {show(got)}; expected {show(expected)} — these are the values of the "
             "uncentred data: centre X first (subtract mean_ before the SVD)")
    if close(np.sort(got)[::-1], expected):
        fail(f"{call}.explained_variance_ is {show(got)}; expected {show(expected)}: the right variances in the wrong "
             f"order — largest first; {EIGH_ORDER}")
    if k < len(variances) and close(np.sort(got)[::-1], variances[-k:]):
        fail(f"{call}.explained_variance_ is {show(got)}; expected {show(expected)}: you kept the {k} SMALLEST "
             f"variances — {EIGH_ORDER}")
    singular_values = np.sqrt(expected * (n - 1))
    if close(got, singular_values) or close(got, singular_values / (n - 1)):
        fail(f"{call}.explained_variance_ is {show(got)}; expected {show(expected)} — square the singular values: "
             "the variance is S ** 2 / (n_samples - 1)")
    if close(got, expected * (n - 1)):
        fail(f"{call}.explained_variance_ is {show(got)}; expected {show(expected)} — divide S ** 2 by n_samples - 1")
    expect_close(got, expected, f"{call}.explained_variance_", rtol=1e-6, atol=1e-9 * expected[0],
                 why="(S ** 2 / (n_samples - 1) for the first singular values S of the centred data)")
    return got


def check_ratios(got, X, k, call):
    """``got`` must be the variance along each of the first k components over the total variance."""
    _, _, variances = reference_pca(X)
    expected = variances[:k] / variances.sum()
    got = expect_array(got, f"{call}.explained_variance_ratio_", (k,))
    if close(got, expected):
        return got
    if k < len(variances) and close(got, variances[:k] / variances[:k].sum()):
        fail(f"{call}.explained_variance_ratio_ is {show(got)}; expected {show(expected)} — you divided by the "
             f"variance of the {k} kept components only: divide by the TOTAL variance of the data (the sum over "
             "all components, = X.var(axis=0, ddof=1).sum()), so with fewer components the ratios sum to less than 1")
    total = float(np.sum(got))
    if total > 1 + 1e-9:
        fail(f"{call}.explained_variance_ratio_ is {show(got)}, summing to {total:.6g}; expected {show(expected)} — "
             "these are fractions of the total variance: they cannot sum to more than 1")
    _, uncentred = uncentred_pca(X)
    if close(got, uncentred[:k] / uncentred.sum()):
        fail(f"{call}.explained_variance_ratio_ is {show(got)}; expected {show(expected)} — these are the ratios of "
             "the uncentred data: centre X first (subtract mean_ before the SVD)")
    if close(np.sort(got)[::-1], expected):
        fail(f"{call}.explained_variance_ratio_ is {show(got)}; expected {show(expected)}: the right ratios in the "
             f"wrong order — largest first; {EIGH_ORDER}")
    if k < len(variances) and close(np.sort(got)[::-1], variances[-k:] / variances.sum()):
        fail(f"{call}.explained_variance_ratio_ is {show(got)}; expected {show(expected)}: these are the ratios of the "
             f"{k} SMALLEST variances — {EIGH_ORDER}")
    if np.any(np.diff(got) > 1e-12):
        fail(f"{call}.explained_variance_ratio_ is {show(got)}; expected {show(expected)}, sorted from largest to "
             f"smallest; {EIGH_ORDER}")
    expect_close(got, expected, f"{call}.explained_variance_ratio_", rtol=1e-6, atol=1e-12,
                 why="(each variance divided by the sum of the variances along all components)")
    return got


def check_transform(got, X, mean, components, call):
    """``got`` must be ``(X - mean) @ components.T``, with the training mean and the model's components."""
    expected = (X - mean) @ components.T
    got = expect_array(got, call, expected.shape)
    if close(got, expected, rtol=1e-9):
        return got
    if close(got, X @ components.T, rtol=1e-9):
        fail(f"{call} returned X @ components_.T: subtract the training mean first, (X - mean_) @ components_.T "
             "— the components describe the spread around mean_")
    if len(X) > 1 and close(got, (X - X.mean(axis=0)) @ components.T, rtol=1e-9):
        fail(f"{call} centred X with its own mean; subtract mean_, the mean learned in fit (a single new sample "
             "has no mean of its own to subtract)")
    if close(got, (X - 2 * mean) @ components.T, rtol=1e-9):
        fail(f"{call} subtracted the mean twice: does fit centre X in place (X -= mean_)? Centre a copy, "
             "X - mean_, and leave the caller's X as it was")
    expect_close(got, expected, call, rtol=1e-9, atol=1e-9, why="((X - mean_) @ components_.T)")
    return got


def check_inverse(got, Z, mean, components, call):
    """``got`` must be ``Z @ components + mean``."""
    expected = Z @ components + mean
    got = expect_array(got, call, expected.shape)
    if close(got, expected, rtol=1e-9):
        return got
    if close(got, Z @ components, rtol=1e-9):
        fail(f"{call} returned Z @ components_, which is centred at 0: add mean_ back, Z @ components_ + mean_")
    if components.shape[0] == components.shape[1] and close(got, Z @ components.T + mean, rtol=1e-9):
        fail(f"{call} computed Z @ components_.T + mean_; expected Z @ components_ + mean_ (each row of Z weighs "
             "the rows of components_)")
    expect_close(got, expected, call, rtol=1e-9, atol=1e-9, why="(Z @ components_ + mean_)")
    return got


def check_mean(got, X, what):
    return expect_close(got, X.mean(axis=0), what, rtol=1e-9, atol=1e-9, why="(the mean of each column of X)")


def is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


@pytest.mark.points(1)
def test_fit_returns_self_and_learns_attributes(learner, rng):
    """fit returns the model itself, with mean_, components_, explained_variance_(_ratio_) and n_components_"""
    X = spread_data(rng, 30, 4)
    model = learner.PCA(n_components=2)
    returned = model.fit(X)
    if returned is not model:
        fail(f"PCA(n_components=2).fit(X) returned {returned!r}; expected the model itself (end fit with `return self`)")
    call = "PCA(n_components=2).fit(X) with X of shape (30, 4)"
    expect_array(model.mean_, f"{call}: mean_", (4,))
    expect_components_shape(model.components_, 2, 4, f"{call}: components_")
    expect_array(model.explained_variance_, f"{call}: explained_variance_", (2,))
    expect_array(model.explained_variance_ratio_, f"{call}: explained_variance_ratio_", (2,))
    kept = model.n_components_
    if not is_int(kept) or kept != 2:
        fail(f"{call}: n_components_ is {show(kept)}; expected the integer 2 (the number of components kept)")


@pytest.mark.points(3)
def test_components_are_the_principal_directions(learner, rng):
    """components_ holds orthonormal rows: the directions of largest variance of the centred data, up to sign"""
    X = spread_data(rng, 100, 6)
    call = "PCA(n_components=4).fit(X)"
    model = learner.PCA(n_components=4).fit(X)
    components = model.components_
    check_mean(model.mean_, X, f"{call}.mean_")
    check_components(components, X, 4, call)
    call = "PCA().fit(X)"
    model = learner.PCA().fit(X)
    check_components(model.components_, X, 6, call)


@pytest.mark.points(2)
def test_explained_variance(learner, rng):
    """explained_variance_ is the variance along each component (divided by n - 1), largest first"""
    X = spread_data(rng, 50, 5)
    call = "PCA(n_components=3).fit(X)"
    model = learner.PCA(n_components=3).fit(X)
    check_variances(model.explained_variance_, X, 3, call)
    call = "PCA().fit(X)"
    model = learner.PCA().fit(X)
    variances = check_variances(model.explained_variance_, X, 5, call)
    total = X.var(axis=0, ddof=1).sum()
    if not np.isclose(variances.sum(), total, rtol=1e-9):
        fail(f"{call}.explained_variance_ sums to {variances.sum():.6g}; expected the total variance of X, {total:.6g}")


@pytest.mark.points(2)
def test_explained_variance_ratio(learner, rng):
    """explained_variance_ratio_ divides by the total variance of the data: sorted, sum <= 1 (= 1 with all kept)"""
    X = spread_data(rng, 60, 6)
    call = "PCA(n_components=3).fit(X)"
    ratios = check_ratios(learner.PCA(n_components=3).fit(X).explained_variance_ratio_, X, 3, call)
    if not ratios.sum() < 1 - 1e-3:
        fail(f"{call}.explained_variance_ratio_ sums to {ratios.sum():.6g}; expected less than 1: 3 of 6 components "
             "do not hold all the variance")
    call = "PCA().fit(X)"
    ratios = check_ratios(learner.PCA().fit(X).explained_variance_ratio_, X, 6, call)
    if not np.isclose(ratios.sum(), 1.0, rtol=1e-9):
        fail(f"{call}.explained_variance_ratio_ sums to {ratios.sum():.10g}; expected 1 when every component is kept")


@pytest.mark.points(2)
def test_transform_uses_the_training_mean(learner, rng):
    """transform(X_new) is (X_new - mean_) @ components_.T, with the mean learned in fit"""
    X = spread_data(rng, 80, 5)
    X_new = X.mean(axis=0) + rng.uniform(2.0, 4.0, size=5) + rng.normal(size=(25, 5))  # new data, another mean
    call = "PCA(n_components=3).fit(X)"
    model = learner.PCA(n_components=3).fit(X)
    mean = check_mean(model.mean_, X, f"{call}.mean_")
    components = expect_components_shape(model.components_, 3, 5, f"{call}.components_")
    check_transform(model.transform(X_new), X_new, mean, components, f"{call}.transform(X_new) for X_new of shape (25, 5)")
    check_transform(model.transform(X_new[:1]), X_new[:1], mean, components, f"{call}.transform(X_new[:1]) (one sample)")


@pytest.mark.points(1)
def test_fit_transform(learner, rng):
    """fit_transform(X) fits and returns the coordinates (X - mean_) @ components_.T"""
    X = spread_data(rng, 40, 4)
    model = learner.PCA(n_components=2)
    got = model.fit_transform(X)
    mean = check_mean(model.mean_, X, "PCA(n_components=2), after fit_transform(X): mean_")
    components = expect_components_shape(model.components_, 2, 4, "PCA(n_components=2), after fit_transform(X): components_")
    check_transform(got, X, mean, components, "PCA(n_components=2).fit_transform(X)")


@pytest.mark.points(2)
def test_inverse_transform(learner, rng):
    """inverse_transform(Z) is Z @ components_ + mean_: it rebuilds X when all components are kept"""
    X = spread_data(rng, 60, 4)
    call = "PCA(n_components=2).fit(X)"
    model = learner.PCA(n_components=2).fit(X)
    mean = check_mean(model.mean_, X, f"{call}.mean_")
    components = expect_components_shape(model.components_, 2, 4, f"{call}.components_")
    Z = rng.normal(scale=3.0, size=(10, 2))
    check_inverse(model.inverse_transform(Z), Z, mean, components, f"{call}.inverse_transform(Z) for Z of shape (10, 2)")
    call = "PCA().fit(X)"
    model = learner.PCA().fit(X)
    mean = check_mean(model.mean_, X, f"{call}.mean_")
    components = expect_components_shape(model.components_, 4, 4, f"{call}.components_")
    Z = check_transform(model.transform(X), X, mean, components, f"{call}.transform(X)")
    back = check_inverse(model.inverse_transform(Z), Z, mean, components, f"{call}: inverse_transform(transform(X))")
    expect_close(back, X, f"{call}: inverse_transform(transform(X))", rtol=1e-9, atol=1e-9,
                 why="(with every component kept, X is rebuilt exactly: are the rows of components_ orthonormal?)")


@pytest.mark.points(1)
def test_reconstruction_error(learner, rng):
    """with k components, inverse_transform(transform(X)) loses exactly the variance of the other components"""
    X = spread_data(rng, 70, 6)
    _, _, variances = reference_pca(X)
    call = "PCA(n_components=3).fit(X)"
    model = learner.PCA(n_components=3).fit(X)
    mean = check_mean(model.mean_, X, f"{call}.mean_")
    components = expect_components_shape(model.components_, 3, 6, f"{call}.components_")
    Z = check_transform(model.transform(X), X, mean, components, f"{call}.transform(X)")
    back = check_inverse(model.inverse_transform(Z), Z, mean, components, f"{call}: inverse_transform(transform(X))")
    lost = float(np.sum((X - back) ** 2) / (len(X) - 1))
    expected = float(variances[3:].sum())
    if not np.isclose(lost, expected, rtol=1e-6):
        fail(f"{call}: the squared reconstruction error of inverse_transform(transform(X)), divided by n_samples - 1, "
             f"is {lost:.6g}; expected {expected:.6g}, the variance along the 3 components left out — are the 3 kept "
             "components the ones with the LARGEST variance, of the centred data?")


@pytest.mark.points(1)
def test_n_components(learner, rng):
    """n_components is honoured; None keeps min(n_samples, n_features); an impossible number is a ValueError"""
    X = rng.normal(size=(30, 6))
    for k in (1, 4, None):
        call = f"PCA(n_components={k}).fit(X) with X of shape (30, 6)"
        expected = 6 if k is None else k
        model = learner.PCA(n_components=k).fit(X)
        kept = model.n_components_
        if not is_int(kept) or kept != expected:
            fail(f"{call}: n_components_ is {show(kept)}; expected {expected}")
        expect_components_shape(model.components_, expected, 6, f"{call}: components_")
        expect_array(model.explained_variance_, f"{call}: explained_variance_", (expected,))
        expect_array(model.explained_variance_ratio_, f"{call}: explained_variance_ratio_", (expected,))
    wide = rng.normal(size=(5, 8))
    call = "PCA().fit(X) with X of shape (5, 8) (fewer samples than features)"
    model = learner.PCA().fit(wide)
    if not is_int(model.n_components_) or model.n_components_ != 5:
        fail(f"{call}: n_components_ is {show(model.n_components_)}; expected min(n_samples, n_features) = 5")
    expect_components_shape(model.components_, 5, 8, f"{call}: components_")
    expect_array(model.transform(wide), f"{call}: transform(X)", (5, 5))
    for k, data, shape in ((0, X, (30, 6)), (7, X, (30, 6)), (6, wide, (5, 8))):
        call = f"PCA(n_components={k}).fit(X) with X of shape {shape}"
        try:
            got = learner.PCA(n_components=k).fit(data)
        except LearnerError as error:
            if error.type_name != "ValueError":
                fail(f"{call} raised {error.type_name}: {error.message}; expected a ValueError (n_components must be "
                     f"between 1 and min(n_samples, n_features) = {min(shape)})")
            continue
        fail(f"{call} returned {got!r}; expected a ValueError: n_components must be between 1 and "
             f"min(n_samples, n_features) = {min(shape)}")


@pytest.mark.points(1)
def test_equal_variances_any_basis_of_the_plane(learner, rng):
    """when the two largest variances are equal, any orthonormal basis of their plane is accepted"""
    X = circle_data(rng)
    _, directions, variances = reference_pca(X)
    plane = directions[:2].T @ directions[:2]  # projection onto the plane of the circle
    call = "PCA(n_components=2).fit(X_circle)"
    model = learner.PCA(n_components=2).fit(X)
    components = expect_components_shape(model.components_, 2, 5, f"{call}.components_")
    if not np.allclose(components @ components.T, np.eye(2), atol=1e-6):
        fail(f"{call}.components_ rows are not orthonormal: components_ @ components_.T is {show(components @ components.T)}")
    if not np.allclose(components.T @ components, plane, atol=1e-6):
        uncentred, _ = uncentred_pca(X)
        if np.allclose(components.T @ components, uncentred[:2].T @ uncentred[:2], atol=1e-6):
            fail(f"{call}.components_ span the plane of largest spread of the UNCENTRED data: centre X first "
                 "(subtract mean_ before the SVD)")
        fail(f"{call}.components_ do not span the plane of the circle, the plane of largest variance (the "
             "projection components_.T @ components_ differs from the reference's)")
    check_variances(model.explained_variance_, X, 2, call)


@pytest.mark.points(1)
def test_inputs_unchanged_and_lists_accepted(learner, worker, rng):
    """fit, transform and inverse_transform leave their inputs unchanged and accept plain lists"""
    X = spread_data(rng, 40, 4)
    X_stored = worker.put(X)
    model = learner.PCA(n_components=2).fit(X_stored)
    expect_unchanged(X, worker.fetch(X_stored), "PCA(n_components=2).fit(X)", "X")
    Z = expect_array(model.transform(X_stored), "transform(X)", (40, 2))
    expect_unchanged(X, worker.fetch(X_stored), "transform(X)", "X")
    Z_stored = worker.put(Z)
    model.inverse_transform(Z_stored)
    expect_unchanged(Z, worker.fetch(Z_stored), "inverse_transform(Z)", "Z")
    listed = learner.PCA(n_components=2).fit(X.tolist())
    check_mean(listed.mean_, X, "PCA(n_components=2).fit(X as a list of lists).mean_")
    listed_Z = expect_array(listed.transform(X.tolist()), "transform(X as a list of lists)", (40, 2))
    expect_close(np.abs(listed_Z), np.abs(Z), "transform(X as a list of lists), up to the sign of each column,", rtol=1e-6,
                 atol=1e-9, why="(the same coordinates as for the array X)")


@pytest.mark.points(2)
def test_digits(learner, rng):
    """on the digits data, the first 10 components, their variance ratios and the held-out reconstruction error match"""
    data = load_dataset("digits")
    train, test = train_test_indices(rng, len(data.target), 0.3)
    X_train, X_test = data.data[train], data.data[test]
    call = "PCA(n_components=10).fit(X_train)"
    model = learner.PCA(n_components=10).fit(X_train)
    check_ratios(model.explained_variance_ratio_, X_train, 10, call)
    components = check_components(model.components_, X_train, 10, call)
    mean = check_mean(model.mean_, X_train, f"{call}.mean_")
    Z = check_transform(model.transform(X_test), X_test, mean, components, f"{call}.transform(X_test)")
    back = check_inverse(model.inverse_transform(Z), Z, mean, components, f"{call}: inverse_transform(transform(X_test))")
    reference_mean, directions, _ = reference_pca(X_train)
    kept = directions[:10]
    error = float(np.mean(np.sum((X_test - back) ** 2, axis=1)))
    expected = float(np.mean(np.sum((X_test - reference_mean - (X_test - reference_mean) @ kept.T @ kept) ** 2, axis=1)))
    if not np.isclose(error, expected, rtol=1e-6):
        fail(f"{call}: the mean squared reconstruction error of the held-out digits, inverse_transform(transform(X_test)), "
             f"is {error:.6g}; expected {expected:.6g} (what the 10 components of largest variance, around the training "
             "mean, give)")
