"""Mistake: log_loss clips the caller's array in place (np.clip(..., out=proba) on np.asarray(proba)), changing the input."""

import numpy as np


# BEGIN SOLUTION
def _pair(y_true, y_pred, function):
    """Both inputs as 1-D arrays (a column is flattened) of the same length, or a ValueError."""
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{function}: the two inputs have different lengths ({y_true.shape[0]} and {y_pred.shape[0]}); "
            "they must have one entry per sample each"
        )
    return y_true, y_pred


def _ratio(numerator, denominator):
    """numerator / denominator entry by entry, 0.0 where the denominator is 0 (and no warning)."""
    numerator, denominator = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    return np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator != 0)


# END SOLUTION


def accuracy(y_true, y_pred):
    """The fraction of samples whose predicted label equals the true one.

    ``accuracy = mean(y_true == y_pred)``. Labels may be of any type (ints, strings).

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,)
        A column of shape ``(n_samples, 1)`` is flattened first (``np.ravel``): comparing a column with a
        1-D array would broadcast to an ``(n, n)`` table of every pair.

    Returns
    -------
    float, in [0, 1].

    Raises
    ------
    ValueError
        If ``y_true`` and ``y_pred`` have different lengths, with a message that says so.

    Examples
    --------
    >>> accuracy([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    >>> accuracy(["cat", "dog"], ["cat", "cat"])
    0.5
    """
    # BEGIN SOLUTION
    # Step 1: turn both into 1-D arrays (np.ravel flattens a column) and raise ValueError if their
    #         lengths differ.
    y_true, y_pred = _pair(y_true, y_pred, "accuracy")
    # Step 2: compare them entry by entry and return the mean as a float.
    return float(np.mean(y_true == y_pred))
    # END SOLUTION


def confusion_matrix(y_true, y_pred, labels=None):
    """Count how often each true label was predicted as each label.

    ``matrix[i, j]`` is the number of samples whose TRUE label is ``labels[i]`` and whose PREDICTED label is
    ``labels[j]``: rows are the truth, columns the prediction (as in scikit-learn). The diagonal holds the
    correct predictions; ``matrix.sum()`` is the number of samples (when every label is in ``labels``).

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,)
        Labels of any type (ints, strings); the same length (else ``ValueError``).
    labels : array_like of shape (n_labels,), optional
        The labels to count, in the order of the rows and columns. They may include labels that appear
        in neither input (their row and column are zeros). Default: every label that appears in either
        input, sorted (``np.unique`` of both together).

    Returns
    -------
    matrix : ndarray of int, shape (n_labels, n_labels)

    Examples
    --------
    >>> confusion_matrix(["cat", "dog", "dog"], ["cat", "cat", "dog"])   # rows: true cat, true dog
    array([[1, 0],
           [1, 1]])
    >>> confusion_matrix([0, 1, 1], [0, 0, 1], labels=[1, 0, 2])
    array([[1, 1, 0],
           [0, 1, 0],
           [0, 0, 0]])
    """
    # BEGIN SOLUTION
    # Step 1: turn both into 1-D arrays of the same length (else ValueError); if labels is None, use the
    #         sorted labels of both inputs together (np.unique of their concatenation).
    y_true, y_pred = _pair(y_true, y_pred, "confusion_matrix")
    labels = np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(labels)
    # Step 2: one-hot tables, shape (n_samples, n_labels): is_true[s, i] says "sample s is truly labels[i]",
    #         is_pred[s, j] says "sample s was predicted labels[j]".
    is_true = (y_true[:, None] == labels[None, :]).astype(int)
    is_pred = (y_pred[:, None] == labels[None, :]).astype(int)
    # Step 3: count the samples for every (true, predicted) pair at once: matrix[i, j] = sum over s of
    #         is_true[s, i] * is_pred[s, j], a matrix product. Rows are the true labels.
    return is_true.T @ is_pred
    # END SOLUTION


def precision_recall_f1(y_true, y_pred, average="binary", pos_label=1):
    """Precision, recall and their harmonic mean F1.

    For one label ``c`` (the "positive" one), with TP the samples truly ``c`` and predicted ``c``::

        precision = TP / (number of samples predicted c)     of what I called c, how much was c?
        recall    = TP / (number of samples truly c)         of what was c, how much did I find?
        f1        = 2 * precision * recall / (precision + recall)

    Zero division rule: a ratio whose denominator is 0 is 0.0 (for example the precision of a model that
    never predicts ``c``), and computing it raises no numpy warning; ``f1`` is 0.0 when
    ``precision + recall`` is 0.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,)
        Labels of any type; the same length (else ``ValueError``).
    average : {"binary", "macro"}, default "binary"
        ``"binary"``: the three numbers for ``pos_label`` only. ``"macro"``: compute them for every label
        that appears in either input and return their unweighted means (each label counts the same,
        however many samples it has; the macro F1 is the mean of the per-label F1 scores). Anything
        else: ``ValueError``.
    pos_label : label, default 1
        The positive label for ``average="binary"`` (e.g. ``"spam"`` for string labels).

    Returns
    -------
    (precision, recall, f1) : tuple of three floats, each in [0, 1].

    Examples
    --------
    >>> y_true = [1, 1, 1, 1, 1, 1, 0, 0]
    >>> y_pred = [1, 1, 1, 0, 0, 0, 1, 0]
    >>> precision_recall_f1(y_true, y_pred)          # TP = 3, 4 predicted positive, 6 truly positive
    (0.75, 0.5, 0.6)
    >>> precision_recall_f1([1, 0], [0, 0])          # nothing predicted positive: precision is 0.0
    (0.0, 0.0, 0.0)
    """
    # BEGIN SOLUTION
    # Step 1: turn both into 1-D arrays of the same length (else ValueError); choose the labels to score:
    #         [pos_label] for "binary", the sorted labels of both inputs for "macro", ValueError otherwise.
    y_true, y_pred = _pair(y_true, y_pred, "precision_recall_f1")
    if average == "binary":
        labels = np.array([pos_label])
    elif average == "macro":
        labels = np.unique(np.concatenate([y_true, y_pred]))
    else:
        raise ValueError(f"average must be 'binary' or 'macro'; got {average!r}")
    # Step 2: for every label at once (one-hot tables of shape (n_samples, n_labels)), count the true
    #         positives, the samples predicted as the label and the samples truly of the label.
    is_true = y_true[:, None] == labels[None, :]
    is_pred = y_pred[:, None] == labels[None, :]
    true_positives = np.sum(is_true & is_pred, axis=0)
    # Step 3: precision, recall and f1 for every label, each ratio 0.0 where its denominator is 0
    #         (np.divide(a, b, out=np.zeros(len(b)), where=b != 0) divides only where b is not 0).
    precision = _ratio(true_positives, is_pred.sum(axis=0))
    recall = _ratio(true_positives, is_true.sum(axis=0))
    f1 = _ratio(2 * precision * recall, precision + recall)
    # Step 4: return the means over the labels (one label for "binary"), as three floats.
    return float(precision.mean()), float(recall.mean()), float(f1.mean())
    # END SOLUTION


def roc_auc(y_true, scores):
    """Area under the ROC curve: how well the scores rank the positives above the negatives.

    The AUC is the probability that a random positive sample gets a higher score than a random negative
    one, a tie counting one half. Comparing every pair costs ``n_pos * n_neg`` steps; ranks do it in
    ``O(n log n)`` (the Mann-Whitney U statistic). Rank all the scores from 1 (lowest) to n, giving tied
    scores the AVERAGE of the ranks they share; then::

        U   = (sum of the ranks of the positives) - n_pos * (n_pos + 1) / 2
        AUC = U / (n_pos * n_neg)

    With average ranks, a tie between a positive and a negative counts exactly one half.

    Parameters
    ----------
    y_true : array_like of shape (n_samples,)
        Exactly two distinct labels; the positive one is the larger (``np.unique(y_true)[1]``: 1 for 0/1
        and -1/1, ``"spam"`` for ``"ham"``/``"spam"``), as in scikit-learn.
    scores : array_like of shape (n_samples,)
        Higher means "more likely positive" (a probability, a decision function, ...).

    Returns
    -------
    float, in [0, 1]: 1.0 when every positive scores above every negative, 0.5 for random scores.

    Raises
    ------
    ValueError
        If ``y_true`` has only one class (the AUC is undefined: there is no pair to compare) or more
        than two, or if the lengths differ.

    Examples
    --------
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])   # 3 of the 4 (positive, negative) pairs in order
    0.75
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.5, 0.5, 0.8])    # the tie 0.5 vs 0.5 counts one half
    0.875
    """
    # BEGIN SOLUTION
    # Step 1: turn both into 1-D arrays of the same length (scores as float); find the classes and
    #         raise ValueError unless there are exactly two (one class: the AUC is undefined).
    y_true, scores = _pair(y_true, scores, "roc_auc")
    scores = scores.astype(float)
    classes = np.unique(y_true)
    if len(classes) != 2:
        raise ValueError(
            f"roc_auc needs exactly two classes in y_true; got {len(classes)} ({classes.tolist()}): "
            "with a single class the ROC AUC is undefined"
        )
    positive = y_true == classes[1]
    # Step 2: average ranks. np.unique(scores, return_inverse=True, return_counts=True) gives the
    #         distinct scores in order, each sample's group and each group's size; a group of c equal
    #         scores that starts after `before` smaller ones holds the ranks before + 1 ... before + c,
    #         whose average is before + (c + 1) / 2.
    _, group, counts = np.unique(scores, return_inverse=True, return_counts=True)
    before = np.cumsum(counts) - counts
    ranks = (before + (counts + 1) / 2.0)[group]
    # Step 3: U = sum of the positives' ranks - n_pos (n_pos + 1) / 2; return U / (n_pos * n_neg).
    n_pos = np.sum(positive)
    n_neg = len(y_true) - n_pos
    u = np.sum(ranks[positive]) - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))
    # END SOLUTION


def mean_squared_error(y_true, y_pred):
    """The mean of the squared errors: ``mean((y_true - y_pred) ** 2)``.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,)
        Numbers; the same length (else ``ValueError``). A column ``(n_samples, 1)`` is flattened first:
        ``y_true - y_pred`` for a column and a 1-D array would broadcast to an ``(n, n)`` table.

    Returns
    -------
    float, >= 0 (the mean over the samples, not the sum).

    Examples
    --------
    >>> mean_squared_error([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 6.0])   # errors 0, 0, 0, 2
    1.0
    """
    # BEGIN SOLUTION
    # Step 1: turn both into 1-D float arrays of the same length (else ValueError).
    y_true, y_pred = _pair(y_true, y_pred, "mean_squared_error")
    # Step 2: return the mean of the squared differences as a float.
    return float(np.mean((y_true.astype(float) - y_pred.astype(float)) ** 2))
    # END SOLUTION


def r2_score(y_true, y_pred):
    """The coefficient of determination R², the share of the variance of ``y_true`` the predictions explain.

    ::

        SS_res = sum((y_true - y_pred) ** 2)              what the model leaves unexplained
        SS_tot = sum((y_true - mean(y_true)) ** 2)        what predicting the mean leaves unexplained
        R²     = 1 - SS_res / SS_tot

    1.0 is perfect, 0.0 is no better than always predicting the mean of ``y_true``, and it is negative
    for worse. Constant ``y_true`` (``SS_tot = 0``): 1.0 if the predictions are perfect, else 0.0 (as in
    scikit-learn), without dividing by zero.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,)
        Numbers; the same length (else ``ValueError``).

    Returns
    -------
    float, at most 1.0.

    Examples
    --------
    >>> r2_score([1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 2.0, 3.0, 4.0, 7.0])   # SS_res = 4, SS_tot = 10
    0.6
    >>> r2_score([2.0, 2.0, 2.0], [2.0, 2.0, 2.0]), r2_score([2.0, 2.0, 2.0], [1.0, 2.0, 3.0])
    (1.0, 0.0)
    """
    # BEGIN SOLUTION
    # Step 1: turn both into 1-D float arrays of the same length (else ValueError).
    y_true, y_pred = _pair(y_true, y_pred, "r2_score")
    y_true, y_pred = y_true.astype(float), y_pred.astype(float)
    # Step 2: the two sums of squares; SS_tot measures the spread around the MEAN of y_true.
    ss_res = np.sum((y_true - y_pred) ** 2)
    ss_tot = np.sum((y_true - y_true.mean()) ** 2)
    # Step 3: if SS_tot is 0, return 1.0 for perfect predictions and 0.0 otherwise; else 1 - SS_res / SS_tot.
    if ss_tot == 0:
        return 1.0 if ss_res == 0 else 0.0
    return float(1.0 - ss_res / ss_tot)
    # END SOLUTION


def log_loss(y_true, proba, eps=1e-15):
    """Cross-entropy: the mean of ``-log(probability the model gave to the true class)``.

    Binary case: ``proba`` has shape ``(n_samples,)`` and holds ``p = P(class 1)``; ``y_true`` is 0 or 1::

        log_loss = mean(-(y * log(p) + (1 - y) * log(1 - p)))

    Multi-class case: ``proba`` has shape ``(n_samples, n_classes)``, one row of class probabilities per
    sample; ``y_true`` holds ints ``0 ... n_classes - 1``::

        log_loss = mean(-log(proba[i, y_true[i]]))

    A probability of exactly 0 for the true class would give ``-log(0) = inf``: first clip every
    probability into ``[eps, 1 - eps]`` (``np.clip``), so the loss stays finite (about 34.5 for such a
    sample with the default ``eps``) and no warning is raised.

    Parameters
    ----------
    y_true : array_like of int, shape (n_samples,)
    proba : array_like of shape (n_samples,) or (n_samples, n_classes)
    eps : float, default 1e-15

    Returns
    -------
    float, >= 0 (the mean over the samples, not the sum).

    Examples
    --------
    >>> log_loss([1, 0], [0.5, 0.5])                                     # log 2
    0.6931471805599453
    >>> log_loss([0, 2], [[0.5, 0.25, 0.25], [0.25, 0.25, 0.5]])         # log 2 again
    0.6931471805599453
    >>> log_loss([1], [0.0])                                             # clipped: -log(1e-15)
    34.538776394...
    """
    # BEGIN SOLUTION
    # Step 1: turn y_true into a 1-D int array and proba into a float array; for the binary case (1-D
    #         proba), build the two columns [1 - p, p]. The number of rows must match (else ValueError).
    y_true = np.ravel(y_true).astype(int)
    proba = np.asarray(proba, dtype=float)
    np.clip(proba, eps, 1.0 - eps, out=proba)
    if proba.ndim == 1:
        proba = np.column_stack([1.0 - proba, proba])
    if proba.shape[0] != y_true.shape[0]:
        raise ValueError(f"log_loss: y_true has {y_true.shape[0]} entries but proba has {proba.shape[0]} rows")
    # Step 2: clip into [eps, 1 - eps] (np.clip makes a new array: the input is not changed).
    proba = np.clip(proba, eps, 1.0 - eps)
    # Step 3: pick each sample's probability of its true class and return the mean of -log of it.
    picked = proba[np.arange(len(y_true)), y_true]
    return float(np.mean(-np.log(picked)))
    # END SOLUTION
