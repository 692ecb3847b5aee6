"""The suites' data generators keep the promises their docstrings make (the suites rely on them)."""

import numpy as np
import pytest

from grader.support.data import blobs, generator, k_fold_indices, moons, separable_data, xor_data


@pytest.mark.parametrize("seed", range(5))
def test_blobs_centres_apart_and_sizes_balanced(seed):
    rng = np.random.default_rng(seed)
    X, labels, centers = blobs(rng, 301, 5, n_features=3, min_distance=8.0)
    assert X.shape == (301, 3) and labels.shape == (301,) and centers.shape == (5, 3)
    gaps = np.linalg.norm(centers[:, None] - centers[None], axis=2)[np.triu_indices(5, 1)]
    assert gaps.min() >= 8.0
    assert np.ptp(np.bincount(labels, minlength=5)) <= 1
    assert np.allclose([X[labels == k].mean(axis=0) for k in range(5)], centers, atol=0.7)


@pytest.mark.parametrize("seed", range(5))
def test_xor_data_keeps_its_gap_and_labels(seed):
    X, labels = xor_data(np.random.default_rng(seed), 200, gap=0.2)
    assert np.all(np.abs(X) >= 0.2) and np.all(np.abs(X) <= 1.0)
    assert np.array_equal(labels, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    assert 0 < labels.mean() < 1


def test_moons_are_two_balanced_half_circles():
    X, labels = moons(np.random.default_rng(0), 400, noise=0.0)
    assert X.shape == (400, 2) and np.bincount(labels).tolist() == [200, 200]
    assert np.allclose(np.linalg.norm(X[labels == 0], axis=1), 1.0)
    assert np.allclose(np.linalg.norm(X[labels == 1] - [1.0, 0.5], axis=1), 1.0)


@pytest.mark.parametrize("seed", range(5))
def test_separable_data_keeps_its_margin(seed):
    X, labels, normal = separable_data(np.random.default_rng(seed), 150, 4, margin=0.7)
    signed = (X @ normal) * np.where(labels == 1, 1.0, -1.0)
    assert signed.min() >= 0.7 - 1e-12


def test_k_fold_indices_partition_the_samples():
    folds = k_fold_indices(np.random.default_rng(1), 23, 5)
    tests = np.concatenate([test for _, test in folds])
    assert sorted(tests.tolist()) == list(range(23))
    assert all(set(train.tolist()).isdisjoint(test.tolist()) and len(train) + len(test) == 23 for train, test in folds)


def test_generator_is_seeded():
    assert generator(7).integers(1000, size=5).tolist() == np.random.default_rng(7).integers(1000, size=5).tolist()


def test_faces_are_reproducible_balanced_images_in_the_unit_range():
    from grader.support.faces import CLASS_NAMES, ascii_picture, make_faces

    X, y = make_faces(np.random.default_rng(3), n_per_class=20)
    again, same_labels = make_faces(np.random.default_rng(3), n_per_class=20)
    other, _ = make_faces(np.random.default_rng(4), n_per_class=20)
    assert X.shape == (60, 1, 12, 12) and y.shape == (60,)
    assert np.array_equal(np.bincount(y), [20, 20, 20]) and len(CLASS_NAMES) == 3
    assert X.min() >= 0.0 and X.max() <= 1.0
    assert np.array_equal(X, again) and np.array_equal(y, same_labels)
    assert not np.allclose(X, other)
    # Noise and shifts: no two faces of a class are the same picture.
    for label in range(3):
        faces = X[y == label].reshape(20, -1)
        assert len(np.unique(faces.round(6), axis=0)) == 20
    picture = ascii_picture(X[0, 0])
    assert len(picture.splitlines()) == 12 and all(len(line) == 12 for line in picture.splitlines())
