"""Hidden suite for exercise 2, metrics.

Every metric is compared with the suite's own reference, written the slow and obvious way: a loop that
counts the confusion matrix, precision and recall by counting, ROC AUC by comparing every (positive,
negative) pair with a tie counting one half. Random cases come first, then the edge cases where naive
code returns nan, inf or a wrong number without complaint: a single class, nothing predicted positive
(the documented rule gives 0.0, and numpy must not warn), tied scores, probabilities of exactly 0 and 1.

Where two correct implementations legitimately differ, both pass: in ``log_loss``, clipping ``p`` before
taking ``1 - p`` or clipping both columns differ by about 0.1 for a sample whose probability is exactly
0 or 1, and either is accepted; a column ``(n, 1)`` given to ``accuracy`` or ``mean_squared_error`` may
be flattened or refused with a ValueError, but not compared with every entry of the other input.

Also judged: labels as given (strings, -1/1, 1/2), plain lists, inputs left unchanged, macro against
binary averaging, the orientation of the confusion matrix (rows = true class), and ``roc_auc`` at numpy
speed on 200 000 scores, with a generous margin: any O(n log n) version passes, comparing every pair
(in a loop, or in an n_pos x n_neg table) does not.
"""

import time

import numpy as np
import pytest

from grader.learner import LearnerCrash, LearnerError, LearnerNotStarted, LearnerTimeout
from grader.support.checks import (
    expect_no_warnings,
    expect_array,
    expect_float,
    expect_number_close,
    expect_unchanged,
    expect_value_error,
    fail,
    show,
)

ZERO_RULE = ("the documented rule: a ratio whose denominator is 0 is 0.0 — test the denominator before dividing, "
             "e.g. np.divide(a, b, out=np.zeros(len(b)), where=b != 0), which never divides by 0")


# --- references ----------------------------------------------------------------------------------------
def noisy_copy(rng, y_true, labels, error_rate):
    """y_true with about error_rate of its entries replaced by a random label."""
    y_pred = np.array(y_true, copy=True)
    wrong = rng.uniform(size=len(y_pred)) < error_rate
    y_pred[wrong] = rng.choice(np.asarray(labels), size=int(wrong.sum()))
    return y_pred


def counted_confusion(y_true, y_pred, labels):
    """The confusion matrix by a loop over the samples: rows true, columns predicted."""
    position = {label: i for i, label in enumerate(np.asarray(labels).tolist())}
    matrix = np.zeros((len(position), len(position)), dtype=int)
    for truth, guess in zip(np.asarray(y_true).tolist(), np.asarray(y_pred).tolist()):
        if truth in position and guess in position:
            matrix[position[truth], position[guess]] += 1
    return matrix


def ratio(numerator, denominator):
    return numerator / denominator if denominator else 0.0


def scores_of(y_true, y_pred, label):
    """(precision, recall, f1) of one label, by counting, with the zero-division rule."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    true_positives = int(np.sum((y_true == label) & (y_pred == label)))
    precision = ratio(true_positives, int(np.sum(y_pred == label)))
    recall = ratio(true_positives, int(np.sum(y_true == label)))
    return np.array([precision, recall, ratio(2 * precision * recall, precision + recall)])


def per_label(y_true, y_pred, labels=None):
    labels = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)])) if labels is None else labels
    return np.array([scores_of(y_true, y_pred, label) for label in labels])


def pair_counting(y_true, scores, tie=0.5):
    """ROC AUC by comparing every (positive, negative) pair; a tie counts `tie` (the reference: 1/2)."""
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    positive = y_true == np.unique(y_true)[1]
    pos, neg = scores[positive], scores[~positive]
    wins = np.sum(pos[:, None] > neg[None, :])
    ties = np.sum(pos[:, None] == neg[None, :])
    return float((wins + tie * ties) / (len(pos) * len(neg)))


def sorted_counting(y_true, scores, tie=0.5):
    """The same count for large inputs: for each positive, the negatives below it and equal to it."""
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    positive = y_true == np.unique(y_true)[1]
    pos, neg = scores[positive], np.sort(scores[~positive])
    below = np.searchsorted(neg, pos, side="left")
    equal = np.searchsorted(neg, pos, side="right") - below
    return float((below.sum() + tie * equal.sum()) / (len(pos) * len(neg)))


def by_ranks(y_true, scores):
    """A vectorized ROC AUC (average ranks), to time the learner's against."""
    positive = y_true == np.unique(y_true)[1]
    _, group, counts = np.unique(scores, return_inverse=True, return_counts=True)
    ranks = (np.cumsum(counts) - counts + (counts + 1) / 2.0)[group]
    n_pos = positive.sum()
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * (len(scores) - n_pos)))


# --- checks ----------------------------------------------------------------------------------------------
def expect_triple(got, call):
    """precision_recall_f1 must return three finite numbers; nan is named as a zero division."""
    if isinstance(got, np.ndarray) and got.shape == (3,):
        got = tuple(got)
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        fail(f"{call} returned {show(got)}; expected a tuple of three floats (precision, recall, f1)")
    values = []
    for name, value in zip(("precision", "recall", "f1"), got):
        if isinstance(value, (float, np.floating)) and np.isnan(value):
            fail(f"{call} returned {name} = nan ({show(tuple(got))}): a division 0 / 0 — {ZERO_RULE}")
        values.append(expect_float(value, f"{call}, its {name}"))
    return np.array(values)


def check_triple(got, expected, call, mistakes=()):
    """Compare (precision, recall, f1) with the reference; name a known mistake when the numbers show it."""
    got = expect_triple(got, call)
    if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
        return
    for values, explanation in mistakes:
        if np.allclose(got, values, rtol=1e-9, atol=1e-12) and not np.allclose(values, expected, rtol=1e-9, atol=1e-12):
            fail(f"{call} returned {show(tuple(got.tolist()))}; expected {show(tuple(expected.tolist()))} — {explanation}")
    wrong = [name for name, a, b in zip(("precision", "recall", "f1"), got, expected) if not np.isclose(a, b, rtol=1e-9, atol=1e-12)]
    fail(f"{call} returned (precision, recall, f1) = {show(tuple(got.tolist()))}; expected {show(tuple(expected.tolist()))} "
         f"(wrong: {', '.join(wrong)}). precision = TP / (predicted as the label), recall = TP / (truly the label), "
         "f1 = 2 * precision * recall / (precision + recall)")


def expect_counts(got, expected, call, labels):
    """A confusion matrix must equal the counted one; a transposed one is named."""
    k = len(expected)
    got = expect_array(got, call, (k, k))
    if not np.issubdtype(got.dtype, np.integer):
        if np.array_equal(got, expected):
            fail(f"{call} returned the right counts as {got.dtype}; expected an array of ints (counts): create it with "
                 "dtype=int")
        fail(f"{call} returned an array of {got.dtype}: {got.tolist()}; expected ints (counts) {expected.tolist()}")
    if np.array_equal(got, expected):
        return
    where = f"(rows and columns in the order of the labels {list(labels)})"
    if np.array_equal(got, expected.T):
        fail(f"{call} returned {got.tolist()}; expected {expected.tolist()} {where} — the matrix is transposed: row i "
             "must be the TRUE label labels[i] and column j the PREDICTED label labels[j]; matrix[i, j] counts the "
             "samples of true label i predicted as j")
    if sorted(got.ravel().tolist()) == sorted(expected.ravel().tolist()):
        fail(f"{call} returned {got.tolist()}; expected {expected.tolist()} {where} — the counts are there, but in "
             "another order: row i and column i belong to labels[i]")
    fail(f"{call} returned {got.tolist()}; expected {expected.tolist()} {where}: matrix[i, j] is the number of samples "
         "whose true label is labels[i] and whose predicted label is labels[j]")


def expect_auc(got, y_true, scores, call, count=pair_counting):
    """roc_auc must equal the pair count with ties as 1/2; the tie and label mistakes are named."""
    if isinstance(got, (float, np.floating)) and not np.isfinite(got):
        fail(f"{call} returned {got} — is the positive class found? It is the larger of the two labels "
             f"(np.unique(y_true)[1], here {np.unique(y_true)[1].item()!r}), whatever the labels are")
    value = expect_float(got, call)
    expected = count(y_true, scores)
    if np.isclose(value, expected, rtol=1e-9, atol=1e-12):
        return
    message = f"{call} returned {value:.6g}; expected {expected:.6g}"
    never, always = count(y_true, scores, tie=0.0), count(y_true, scores, tie=1.0)
    if never != always:
        if np.isclose(value, never, rtol=1e-9, atol=1e-12):
            fail(f"{message} — a tie between a positive and a negative score counted 0 (as a loss); it counts one "
                 "half: give tied scores the AVERAGE of the ranks they share")
        if np.isclose(value, always, rtol=1e-9, atol=1e-12):
            fail(f"{message} — a tie between a positive and a negative score counted 1 (as a win); it counts one "
                 "half: give tied scores the AVERAGE of the ranks they share")
        if never - 1e-12 <= value <= always + 1e-12:
            fail(f"{message} — tied scores got different ranks (ordinal ranks such as argsort().argsort() break ties "
                 "by position); tied scores must share the AVERAGE of their ranks, so a tie counts one half")
    if not np.isclose(expected, 0.5) and np.isclose(value, 1.0 - expected, rtol=1e-9, atol=1e-12):
        fail(f"{message}, which is 1 - AUC — the positive class is the LARGER of the two labels "
             f"(np.unique(y_true)[1], here {np.unique(y_true)[1].item()!r}); and rank the scores from the lowest "
             "(rank 1) up")
    fail(f"{message} (the share of (positive, negative) pairs where the positive scores higher, ties counting 1/2): "
         "U = sum of the positives' ranks - n_pos (n_pos + 1) / 2, AUC = U / (n_pos * n_neg)")


def expect_column_handled(call_learner, expected, broadcast, call):
    """A column (n, 1) against (n,) may be flattened or refused, never compared entry against entry."""
    try:
        got = call_learner()
    except (LearnerNotStarted, LearnerTimeout):
        raise
    except LearnerError as error:
        if error.type_name == "ValueError":
            return  # refusing the column is a correct alternative
        fail(f"{call} raised {error.type_name}: {error.message}; expected the value for the flattened column "
             "(np.ravel) or a ValueError")
    value = expect_float(got, call)
    if np.isclose(value, broadcast, rtol=1e-9, atol=1e-12) and not np.isclose(broadcast, expected, rtol=1e-9, atol=1e-12):
        fail(f"{call} returned {value:.6g}; expected {expected:.6g} — the column (n, 1) and the 1-D array (n,) were "
             "broadcast into an (n, n) table of every pair: flatten both inputs with np.ravel first")
    expect_number_close(value, expected, call, rtol=1e-9, atol=1e-12, why="(flatten the column with np.ravel)")


def length_error(call_learner, call, lengths):
    message = expect_value_error(call_learner, call, "(the two inputs have different lengths)")
    words = ("length", "size", "shape", "same", "differ", "mismatch", "match", "entries", "samples", "number")
    if not any(word in message.lower() for word in words) and not all(str(n) in message for n in lengths):
        fail(f"{call} raised ValueError({message!r}); expected a message that says the lengths differ")


# --- accuracy ------------------------------------------------------------------------------------------
@pytest.mark.points(1)
def test_accuracy(learner, worker, rng):
    """accuracy is the fraction of equal labels (ints, strings, lists) and leaves its inputs unchanged"""
    y_true = rng.integers(0, 3, size=40)
    y_pred = noisy_copy(rng, y_true, [0, 1, 2], 0.5)
    expected = float(np.mean(y_true == y_pred))
    stored_true, stored_pred = worker.put(y_true), worker.put(y_pred)
    call = "accuracy(y_true, y_pred) for 40 labels in {0, 1, 2}"
    got = expect_float(learner.accuracy(stored_true, stored_pred), call)
    expect_unchanged(y_true, worker.fetch(stored_true), "accuracy(y_true, y_pred)", "y_true")
    expect_unchanged(y_pred, worker.fetch(stored_pred), "accuracy(y_true, y_pred)", "y_pred")
    if np.isclose(got, expected * 40):
        fail(f"{call} returned {got:g}, the number of correct labels; expected the fraction {expected:g} (divide by n)")
    expect_number_close(got, expected, call, rtol=1e-12, why="(the fraction of positions where y_pred equals y_true)")
    names = np.array(["bird", "cat", "dog"])
    call = "accuracy(y_true, y_pred) with string labels given as lists"
    expect_number_close(learner.accuracy(names[y_true].tolist(), names[y_pred].tolist()), expected, call, rtol=1e-12)


@pytest.mark.points(1)
def test_accuracy_shapes(learner, rng):
    """accuracy: different lengths are a ValueError that says so; a column (n, 1) is not compared with every entry"""
    y_true = rng.integers(0, 2, size=30)
    y_pred = noisy_copy(rng, y_true, [0, 1], 0.6)
    length_error(lambda: learner.accuracy(y_true, y_pred[:-1]), "accuracy(y_true, y_pred) with 30 and 29 labels", (30, 29))
    expected = float(np.mean(y_true == y_pred))
    broadcast = float(np.mean(y_true[None, :] == y_pred[:, None]))
    expect_column_handled(lambda: learner.accuracy(y_true, y_pred[:, None]), expected, broadcast,
                          "accuracy(y_true, y_pred) with y_true of shape (30,) and y_pred of shape (30, 1)")


# --- confusion_matrix ------------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_confusion_matrix_orientation(learner, worker, rng):
    """confusion_matrix: rows are the true class, columns the predicted one; default labels are both inputs' sorted labels"""
    while True:
        y_true = rng.integers(0, 3, size=40)
        y_pred = noisy_copy(rng, y_true, [0, 1, 2, 3], 0.5)  # 3 is predicted but never true
        labels = np.unique(np.concatenate([y_true, y_pred]))
        expected = counted_confusion(y_true, y_pred, labels)
        if len(labels) == 4 and not np.array_equal(expected, expected.T):
            break
    stored_true, stored_pred = worker.put(y_true), worker.put(y_pred)
    call = "confusion_matrix(y_true, y_pred) with y_true in {0, 1, 2} and y_pred in {0, 1, 2, 3}"
    got = learner.confusion_matrix(stored_true, stored_pred)
    expect_unchanged(y_true, worker.fetch(stored_true), "confusion_matrix(y_true, y_pred)", "y_true")
    expect_unchanged(y_pred, worker.fetch(stored_pred), "confusion_matrix(y_true, y_pred)", "y_pred")
    if isinstance(got, np.ndarray) and got.shape == (3, 3):
        fail(f"{call} returned shape (3, 3); expected (4, 4) — without `labels`, use the sorted labels of BOTH inputs "
             "(np.unique of y_true and y_pred together): the label 3 is predicted but never true")
    expect_counts(got, expected, call, labels.tolist())
    for n_labels in (2, 5):  # as lists, and more labels
        y_true = rng.integers(0, n_labels, size=30)
        y_pred = noisy_copy(rng, y_true, np.arange(n_labels), 0.5)
        labels = np.unique(np.concatenate([y_true, y_pred]))
        call = f"confusion_matrix(y_true, y_pred) with labels in 0..{n_labels - 1} given as lists"
        got = learner.confusion_matrix(y_true.tolist(), y_pred.tolist())
        expect_counts(got, counted_confusion(y_true, y_pred, labels), call, labels.tolist())


@pytest.mark.points(1)
def test_confusion_matrix_labels_as_given(learner, rng):
    """confusion_matrix counts string labels; a given labels list fixes the order and may hold absent labels"""
    names = np.array(["bird", "cat", "dog"])
    while True:
        y_true = names[rng.integers(0, 3, size=30)]
        y_pred = noisy_copy(rng, y_true, names, 0.5)
        expected = counted_confusion(y_true, y_pred, names)
        if len(np.unique(y_true)) == 3 and len(np.unique(y_pred)) == 3 and not np.array_equal(expected, expected.T):
            break
    call = "confusion_matrix(y_true, y_pred) with labels 'bird', 'cat', 'dog'"
    expect_counts(learner.confusion_matrix(y_true, y_pred), expected, call, names.tolist())
    order = rng.permutation(["bird", "cat", "dog", "fish"]).tolist()
    call = f"confusion_matrix(y_true, y_pred, labels={order}) ('fish' appears in neither input)"
    got = learner.confusion_matrix(y_true, y_pred, labels=order)
    if isinstance(got, np.ndarray) and got.shape == (3, 3):
        fail(f"{call} returned shape (3, 3); expected (4, 4): one row and one column for every label of `labels`, "
             "in that order, even for a label that never occurs (its row and column are zeros)")
    expect_counts(got, counted_confusion(y_true, y_pred, order), call, order)


# --- precision_recall_f1 -------------------------------------------------------------------------------
def macro_mistakes(y_true, y_pred):
    """The macro reference and the numbers of the usual averaging mistakes, each with its explanation."""
    labels = np.unique(np.concatenate([y_true, y_pred]))
    table = per_label(y_true, y_pred, labels)
    expected = table.mean(axis=0)
    support = np.array([np.sum(y_true == label) for label in labels])
    precision, recall = expected[0], expected[1]
    mistakes = [
        (support @ table / support.sum(), "the mean is weighted by the number of samples of each label (support); "
         "the macro average gives every label the same weight: a plain mean over the labels"),
        (np.array([precision, recall, ratio(2 * precision * recall, precision + recall)]), "the macro f1 is the mean of "
         "the per-label f1 scores, not the f1 of the mean precision and mean recall"),
        (np.full(3, np.mean(y_true == y_pred)), "every number equals the accuracy: these are micro averages (counts "
         "pooled over the labels); macro computes precision, recall and f1 per label and averages them"),
        (np.array([recall, precision, expected[2]]), "precision and recall are swapped: precision = TP / (number "
         "PREDICTED as the label), recall = TP / (number TRULY of the label)"),
        (per_label(y_true, y_pred, np.unique(y_true)).mean(axis=0), "only the labels of y_true were averaged; macro "
         "averages over the labels of BOTH inputs (a label that is predicted but never true has precision 0 and "
         "recall 0, and counts too)"),
        (per_label(y_true, y_pred, np.unique(y_pred)).mean(axis=0), "only the labels of y_pred were averaged; macro "
         "averages over the labels of BOTH inputs (a label that is never predicted has precision 0 by the "
         "zero-division rule, and counts too)"),
    ]
    return expected, mistakes


def binary_mistakes(y_true, y_pred, pos_label, other_label):
    precision, recall, f1 = scores_of(y_true, y_pred, pos_label)
    return [
        (np.array([recall, precision, f1]), "precision and recall are swapped: precision = TP / (number PREDICTED "
         "positive), recall = TP / (number TRULY positive)"),
        (np.array([precision, recall, (precision + recall) / 2]), "f1 is the harmonic mean "
         "2 * precision * recall / (precision + recall), not the average (precision + recall) / 2"),
        (scores_of(y_true, y_pred, other_label), f"these are the scores of the label {other_label!r}; with "
         f"average='binary' they are for pos_label = {pos_label!r}"),
    ]


@pytest.mark.points(2)
def test_precision_recall_f1_binary(learner, worker, rng):
    """precision_recall_f1 (binary): TP / predicted positive, TP / truly positive, and their harmonic mean, for pos_label"""
    for pos_label, values in ((1, np.array([0, 1])), (0, np.array([0, 1])), (1, np.array([-1, 1])), ("spam", np.array(["ham", "spam"]))):
        while True:  # precision and recall clearly different, so a swap shows
            y_true = values[(rng.uniform(size=50) < rng.uniform(0.3, 0.7)).astype(int)]
            y_pred = noisy_copy(rng, y_true, values, rng.uniform(0.3, 0.7))
            expected = scores_of(y_true, y_pred, pos_label)
            if abs(expected[0] - expected[1]) > 0.05 and expected.min() > 0:
                break
        other = values[values != pos_label][0].item()
        if pos_label == 1 and values[0] == 0:
            stored_true, stored_pred = worker.put(y_true), worker.put(y_pred)
            call = "precision_recall_f1(y_true, y_pred) with 0/1 labels (default: average='binary', pos_label=1)"
            got = learner.precision_recall_f1(stored_true, stored_pred)
            expect_unchanged(y_true, worker.fetch(stored_true), "precision_recall_f1(y_true, y_pred)", "y_true")
            expect_unchanged(y_pred, worker.fetch(stored_pred), "precision_recall_f1(y_true, y_pred)", "y_pred")
        else:
            call = (f"precision_recall_f1(y_true, y_pred, average='binary', pos_label={pos_label!r}) with labels "
                    f"{values.tolist()} given as lists")
            got = learner.precision_recall_f1(y_true.tolist(), y_pred.tolist(), average="binary", pos_label=pos_label)
        check_triple(got, expected, call, binary_mistakes(y_true, y_pred, pos_label, other))


@pytest.mark.points(2)
def test_precision_recall_f1_macro(learner, rng):
    """precision_recall_f1 (macro): the unweighted mean over the labels of both inputs; another average is a ValueError"""
    names = np.array(["ant", "bee", "cow", "elk"])
    for values in (np.arange(4), names):
        while True:  # unequal supports: weighting by support gives other numbers
            y_true = values[rng.choice(3, size=60, p=[0.6, 0.3, 0.1])]  # the 4th label is predicted, never true
            y_pred = noisy_copy(rng, y_true, values, 0.4)
            expected, mistakes = macro_mistakes(y_true, y_pred)
            if len(np.unique(y_pred)) == 4 and all(not np.allclose(wrong, expected, atol=1e-6) for wrong, _ in mistakes[:5]):
                break
        call = f"precision_recall_f1(y_true, y_pred, average='macro') with labels {values.tolist()}"
        check_triple(learner.precision_recall_f1(y_true, y_pred, average="macro"), expected, call, mistakes)
    expect_value_error(lambda: learner.precision_recall_f1(y_true, y_pred, average="weighted"),
                       "precision_recall_f1(y_true, y_pred, average='weighted')", "(only 'binary' and 'macro' are supported)")


@pytest.mark.points(2)
def test_zero_division_is_zero_without_warning(learner, worker, rng):
    """a ratio whose denominator is 0 is 0.0 (not nan), with no numpy warning: nothing predicted positive, no true positive"""
    n = 20
    y_mixed = np.where(np.arange(n) < rng.integers(5, 15), 1, 0)[rng.permutation(n)]
    zeros, ones = np.zeros(n, dtype=int), np.ones(n, dtype=int)
    cases = (
        ("y_pred all 0 (nothing predicted positive)", y_mixed, zeros, np.zeros(3)),
        ("y_true all 0 (no positive sample)", zeros, y_mixed, np.zeros(3)),
        ("y_true and y_pred all 1 (a single class)", ones, ones, np.ones(3)),
    )
    for what, y_true, y_pred, expected in cases:
        call = f"precision_recall_f1(y_true, y_pred) with {what}"
        got = expect_triple(learner.precision_recall_f1(y_true, y_pred), call)
        check_triple(tuple(got), expected, call)
        expect_no_warnings(worker, call, "the result is right, but a division by 0 was computed on the way: " + ZERO_RULE)
    y_true = rng.integers(0, 3, size=30)
    y_pred = np.where(y_true == 2, rng.integers(0, 2, size=30), y_true)  # label 2 is never predicted
    call = "precision_recall_f1(y_true, y_pred, average='macro') where the label 2 is never predicted"
    got = expect_triple(learner.precision_recall_f1(y_true, y_pred, average="macro"), call)
    expected, mistakes = macro_mistakes(y_true, y_pred)
    check_triple(tuple(got), expected, call, mistakes)
    expect_no_warnings(worker, call, "the result is right, but a division by 0 was computed on the way: " + ZERO_RULE)


# --- roc_auc -------------------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_roc_auc_matches_pair_counting(learner, rng):
    """roc_auc is the share of (positive, negative) pairs in the right order; the positive class is the larger label"""
    for values in (np.array([0, 1]), np.array([-1, 1]), np.array([1, 2]), np.array(["ham", "spam"])):
        n_pos, n_neg = rng.integers(5, 40, size=2)
        labels = rng.permutation(np.repeat([1, 0], [n_pos, n_neg]))
        scores = rng.normal(size=n_pos + n_neg) + rng.uniform(0.3, 1.5) * labels
        y_true = values[labels]
        if values[0] == 0:
            call = f"roc_auc(y_true, scores) with {n_pos} positives and {n_neg} negatives, given as lists"
            got = learner.roc_auc(y_true.tolist(), scores.tolist())
        else:
            call = f"roc_auc(y_true, scores) with labels {values.tolist()} (positive: {values[1].item()!r})"
            got = learner.roc_auc(y_true, scores)
        expect_auc(got, y_true, scores, call)


@pytest.mark.points(2)
def test_roc_auc_ties_count_one_half(learner, worker, rng):
    """tied scores share their average rank: a tie between a positive and a negative counts one half"""
    n = 30
    while True:
        labels = rng.permutation(np.repeat([1, 0], [n // 2, n - n // 2]))
        scores = rng.integers(0, 5, size=n) / 4.0 + 0.25 * labels * rng.integers(0, 2, size=n)  # many ties
        if pair_counting(labels, scores, 0.0) < pair_counting(labels, scores, 1.0):
            break
    stored_labels, stored_scores = worker.put(labels), worker.put(scores)
    got = learner.roc_auc(stored_labels, stored_scores)
    expect_unchanged(labels, worker.fetch(stored_labels), "roc_auc(y_true, scores)", "y_true")
    expect_unchanged(scores, worker.fetch(stored_scores), "roc_auc(y_true, scores)", "scores (sort a copy)")
    expect_auc(got, labels, scores, f"roc_auc(y_true, scores) with scores {show(scores)} (many ties)")
    order = np.argsort(-labels, kind="stable")  # the positives first, then the same data positives last
    for name, index in (("positives first", order), ("positives last", order[::-1])):
        call = f"roc_auc(y_true, scores) with many tied scores, the {name} in the arrays"
        expect_auc(learner.roc_auc(labels[index], scores[index]), labels[index], scores[index], call)
    same = np.full(n, 0.7)
    for name, index in (("positives first", order), ("positives last", order[::-1])):
        call = f"roc_auc(y_true, scores) with every score equal to 0.7, the {name}"
        expect_auc(learner.roc_auc(labels[index], same), labels[index], same, call)


@pytest.mark.points(1)
def test_roc_auc_one_class_is_an_error(learner, rng):
    """roc_auc raises a ValueError saying the AUC is undefined when y_true holds a single class"""
    scores = rng.uniform(size=12)
    for label in (1, 0):
        call = f"roc_auc(y_true, scores) with y_true all {label}"
        message = expect_value_error(lambda: learner.roc_auc(np.full(12, label), scores), call,
                                     "(with one class there is no (positive, negative) pair: the AUC is undefined)")
        words = ("undefined", "class", "label", "one", "single", "only", "both", "two", "positive", "negative")
        if not any(word in message.lower() for word in words):
            fail(f"{call} raised ValueError({message!r}); expected a message that says the ROC AUC is undefined with a "
                 "single class in y_true")


@pytest.mark.points(1)
@pytest.mark.time_limit(5)
def test_roc_auc_is_vectorized(learner, worker, rng):
    """roc_auc on 200 000 scores runs at numpy speed (ranks, O(n log n); no comparison of every pair)"""
    n = 200_000
    y_true = rng.integers(0, 2, size=n)
    scores = np.round(rng.normal(size=n) + y_true, 3)  # ties too
    reference_seconds = np.inf
    for _ in range(3):
        started = time.perf_counter()
        by_ranks(y_true, scores)
        reference_seconds = min(reference_seconds, time.perf_counter() - started)
    allowed = max(40 * reference_seconds, 1.5)
    call = "roc_auc(y_true, scores) for 200 000 samples"
    advice = ("rank the scores once instead (np.unique(scores, return_inverse=True, return_counts=True) gives the "
              "groups of equal scores, whose average rank is the ranks before them + (count + 1) / 2), then "
              "U = sum of the positives' ranks - n_pos (n_pos + 1) / 2")
    try:
        got = learner.roc_auc(y_true, scores)
    except LearnerNotStarted:
        raise
    except LearnerTimeout:
        fail(f"{call} did not finish within {worker.time_limit:g} s; a vectorized version takes "
             f"{reference_seconds:.3f} s here — about 10 000 000 000 (positive, negative) pairs are too many to "
             f"compare one by one: {advice}")
    except (LearnerCrash, LearnerError) as error:
        if error.type_name in ("MemoryError", "WorkerCrash", "_ArrayMemoryError"):
            fail(f"{call} ran out of memory ({error.type_name}: {error.message}) — a table of every (positive, "
                 f"negative) pair has about 10 000 000 000 entries: {advice}")
        raise
    seconds = worker.last_seconds
    expect_auc(got, y_true, scores, call, count=sorted_counting)
    if seconds > allowed:
        fail(f"{call} took {seconds:.2f} s; a vectorized version takes {reference_seconds:.3f} s here (allowed: "
             f"{allowed:.2f} s) — {advice}")


# --- regression metrics --------------------------------------------------------------------------------
@pytest.mark.points(1)
def test_mean_squared_error(learner, worker, rng):
    """mean_squared_error is the MEAN of the squared errors; lists work; a column (n, 1) is not subtracted from every entry"""
    n = 30
    y_true = 3.0 * rng.normal(size=n) + 1.0
    y_pred = y_true + rng.normal(size=n)
    expected = float(np.mean((y_true - y_pred) ** 2))
    stored_true, stored_pred = worker.put(y_true), worker.put(y_pred)
    call = "mean_squared_error(y_true, y_pred) for 30 samples"
    got = expect_float(learner.mean_squared_error(stored_true, stored_pred), call)
    expect_unchanged(y_true, worker.fetch(stored_true), "mean_squared_error(y_true, y_pred)", "y_true")
    expect_unchanged(y_pred, worker.fetch(stored_pred), "mean_squared_error(y_true, y_pred)", "y_pred")
    for value, explanation in ((n * expected, "the squared errors were summed; take their MEAN (divide by n)"),
                               (np.sqrt(expected), "that is the square root of the MSE (the RMSE); return the mean "
                                "of the squared errors itself"),
                               (expected / 2, "a factor 1/2 crept in; the MSE is mean((y_true - y_pred) ** 2)"),
                               (float(np.mean(np.abs(y_true - y_pred))), "that is the mean ABSOLUTE error; square "
                                "the errors")):
        if np.isclose(got, value, rtol=1e-9):
            fail(f"{call} returned {got:.6g}; expected {expected:.6g} — {explanation}")
    expect_number_close(got, expected, call, rtol=1e-9, why="(mean((y_true - y_pred) ** 2))")
    call = "mean_squared_error(y_true, y_pred) given as lists"
    expect_number_close(learner.mean_squared_error(y_true.tolist(), y_pred.tolist()), expected, call, rtol=1e-9)
    broadcast = float(np.mean((y_true[None, :] - y_pred[:, None]) ** 2))
    expect_column_handled(lambda: learner.mean_squared_error(y_true, y_pred[:, None]), expected, broadcast,
                          "mean_squared_error(y_true, y_pred) with y_true of shape (30,) and y_pred of shape (30, 1)")


@pytest.mark.points(2)
def test_r2_score(learner, worker, rng):
    """r2_score is 1 - SS_res / SS_tot with SS_tot around the mean of y_true; constant y_true gives 1.0 or 0.0, no warning"""
    n = 40
    y_true = 2.0 * rng.normal(size=n) + rng.uniform(4.0, 8.0)  # far from 0: SS_tot around 0 would show
    ss_tot = np.sum((y_true - y_true.mean()) ** 2)
    for quality, noise in (("good", 0.5), ("worse than the mean", 4.0)):
        y_pred = y_true + noise * rng.normal(size=n)
        ss_res = np.sum((y_true - y_pred) ** 2)
        expected = float(1.0 - ss_res / ss_tot)
        stored_true, stored_pred = worker.put(y_true), worker.put(y_pred)
        call = f"r2_score(y_true, y_pred) for 40 samples with {quality} predictions"
        got = expect_float(learner.r2_score(stored_true, stored_pred), call)
        expect_unchanged(y_true, worker.fetch(stored_true), "r2_score(y_true, y_pred)", "y_true")
        expect_unchanged(y_pred, worker.fetch(stored_pred), "r2_score(y_true, y_pred)", "y_pred")
        mistakes = (
            (1.0 - ss_res / np.sum(y_true**2), "SS_tot must be the spread around the MEAN of y_true, "
             "sum((y_true - mean(y_true)) ** 2), not sum(y_true ** 2)"),
            (1.0 - ss_res / np.sum((y_pred - y_pred.mean()) ** 2), "SS_tot was computed from y_pred; it is the spread "
             "of y_true around its mean (check the order of the arguments: r2_score(y_true, y_pred))"),
            (ss_res / ss_tot, "that is SS_res / SS_tot; R² is 1 - SS_res / SS_tot"),
            (max(expected, 0.0), "R² is negative for predictions worse than the mean; do not clip it at 0"),
        )
        for value, explanation in mistakes:
            if np.isclose(got, value, rtol=1e-9) and not np.isclose(value, expected, rtol=1e-9):
                fail(f"{call} returned {got:.6g}; expected {expected:.6g} — {explanation}")
        expect_number_close(got, expected, call, rtol=1e-9, atol=1e-12, why="(1 - SS_res / SS_tot)")
    call = "r2_score(y_true, y_pred) given as lists"
    expect_number_close(learner.r2_score(y_true.tolist(), y_pred.tolist()), expected, call, rtol=1e-9)
    constant = np.full(10, float(rng.integers(-8, 9)) + 0.5)  # exact in floating point: SS_tot is exactly 0
    for what, y_pred, expected in (("perfect predictions", constant.copy(), 1.0),
                                   ("imperfect predictions", constant + rng.normal(size=10), 0.0)):
        call = f"r2_score(y_true, y_pred) with y_true constant ({constant[0]:g}) and {what}"
        got = learner.r2_score(constant, y_pred)
        if isinstance(got, (float, np.floating)) and not np.isfinite(got):
            fail(f"{call} returned {got}: SS_tot is 0 for a constant y_true — return 1.0 for perfect predictions and "
                 "0.0 otherwise, as documented, without dividing")
        expect_number_close(got, expected, call, why="(SS_tot is 0: 1.0 if the predictions are perfect, else 0.0)")
        expect_no_warnings(worker, call, "SS_tot is 0 for a constant y_true: test it before dividing")


# --- log_loss ------------------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_log_loss(learner, rng):
    """log_loss is the MEAN of -log(probability of the true class), for binary p of shape (n,) and rows (n, k)"""
    p = rng.uniform(0.05, 0.95, size=40)
    y = (rng.uniform(size=40) < p).astype(int)
    expected = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    call = "log_loss(y_true, p) for 40 binary samples (p = P(class 1), shape (40,))"
    got = expect_float(learner.log_loss(y, p), call)
    binary_mistakes = (
        (40 * expected, "the losses were summed; take their MEAN over the samples"),
        (-expected, "the sign is flipped: the loss is -log(probability of the true class), a positive number"),
        (float(-np.mean(y * np.log(1 - p) + (1 - y) * np.log(p))), "p was used as the probability of class 0; "
         "p is P(class 1): a sample of class 1 contributes -log(p), one of class 0 contributes -log(1 - p)"),
        (expected / np.log(2), "that is the log in base 2; use the natural log np.log"),
        (expected / np.log(10), "that is the log in base 10; use the natural log np.log"),
    )
    for value, explanation in binary_mistakes:
        if np.isclose(got, value, rtol=1e-9):
            fail(f"{call} returned {got:.6g}; expected {expected:.6g} — {explanation}")
    expect_number_close(got, expected, call, rtol=1e-9, why="(mean(-(y log p + (1 - y) log(1 - p))))")
    k, n = 4, 30
    proba = rng.dirichlet(np.ones(k), size=n)
    y = rng.integers(0, k, size=n)
    expected = float(-np.mean(np.log(proba[np.arange(n), y])))
    call = "log_loss(y_true, proba) for 30 samples and 4 classes (proba of shape (30, 4), given as lists)"
    got = expect_float(learner.log_loss(y.tolist(), proba.tolist()), call)
    for value, explanation in ((n * expected, "the losses were summed; take their MEAN over the samples"),
                               (expected / k, "the sum was divided by n * n_classes; divide by the number of samples only"),
                               (-expected, "the sign is flipped: the loss is -log(probability of the true class)")):
        if np.isclose(got, value, rtol=1e-9):
            fail(f"{call} returned {got:.6g}; expected {expected:.6g} — {explanation}")
    expect_number_close(got, expected, call, rtol=1e-9, why="(mean(-log(proba[i, y_true[i]])))")


def clipped_range(y, proba, eps):
    """The losses of the two correct ways to clip: the probability of the true class itself, or (binary) p
    before taking 1 - p, (multi-class) every entry then the rows renormalised. They differ by ~0.1 per
    sample whose probability is exactly 0 or 1."""
    if proba.ndim == 1:
        picked = np.where(y == 1, proba, 1.0 - proba)
        clipped_p = np.clip(proba, eps, 1.0 - eps)
        other = np.where(y == 1, clipped_p, 1.0 - clipped_p)
    else:
        picked = proba[np.arange(len(y)), y]
        clipped = np.clip(proba, eps, 1.0 - eps)
        other = (clipped / clipped.sum(axis=1, keepdims=True))[np.arange(len(y)), y]
    losses = (float(-np.mean(np.log(np.clip(picked, eps, 1.0 - eps)))), float(-np.mean(np.log(other))))
    return min(losses), max(losses)


@pytest.mark.points(2)
def test_log_loss_clips_exact_zeros_and_ones(learner, worker, rng):
    """probabilities of exactly 0 and 1 are clipped to [eps, 1 - eps]: a large, finite loss, no warning, input unchanged"""
    n = 24
    y = rng.permutation(np.repeat([0, 1], n // 2))
    p = rng.uniform(0.1, 0.9, size=n)
    exact = rng.permutation(n)[:12]
    p[exact] = rng.integers(0, 2, size=12)  # p = 0 or 1 with y = 0 or 1: some certain and right, some certain and wrong
    y[exact[:2]], p[exact[:2]] = 1, 0.0  # at least one certain and wrong
    proba = np.zeros((n, 3))
    proba[np.arange(n), rng.integers(0, 3, size=n)] = 1.0  # one-hot rows: exact 0s and 1s
    proba[: n // 2] = rng.dirichlet(np.ones(3), size=n // 2)
    y_multi = rng.integers(0, 3, size=n)
    cases = (
        ("log_loss(y_true, p) with some p exactly 0 or 1 (binary)", y, p, {}),
        ("log_loss(y_true, p, eps=1e-7) with some p exactly 0 or 1 (binary)", y, p, {"eps": 1e-7}),
        ("log_loss(y_true, proba) with one-hot rows of exact 0s and 1s (3 classes)", y_multi, proba, {}),
    )
    for call, y_true, probabilities, options in cases:
        eps = options.get("eps", 1e-15)
        stored = worker.put(probabilities)
        got = learner.log_loss(y_true, stored, **options)
        expect_unchanged(probabilities, worker.fetch(stored), call.split(" with")[0], "proba (clip a copy: np.clip(proba, "
                         "eps, 1 - eps) returns a new array)")
        if isinstance(got, (float, np.floating)) and not np.isfinite(got):
            fail(f"{call} returned {got}: -log(0) is inf (and 0 * log(0) is nan) — clip the probabilities into "
                 "[eps, 1 - eps] with np.clip before taking the log")
        value = expect_float(got, call)
        low, high = clipped_range(y_true, probabilities, eps)
        if not (low * (1 - 1e-9) - 1e-12 <= value <= high * (1 + 1e-9) + 1e-12):
            expected = f"{low:.6g}" if np.isclose(low, high, rtol=1e-9) else f"between {low:.6g} and {high:.6g}"
            reason = ""
            if eps != 1e-15 and low <= expect_float(learner.log_loss(y_true, probabilities), call) <= high:
                reason = " — the eps argument was not used: clip into [eps, 1 - eps] with the eps given"
            fail(f"{call} returned {value:.6g}; expected {expected} (each probability clipped into [{eps:g}, 1 - {eps:g}] "
                 f"before the log, so a certain and wrong sample costs -log({eps:g}) = {-np.log(eps):.4g}){reason}")
        expect_no_warnings(worker, call, "the result is right, but log(0) was computed on the way: clip the "
                          "probabilities into [eps, 1 - eps] before taking the log")
