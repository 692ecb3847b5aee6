"""Random forest: exercise 7 of ml-from-scratch.

One deep decision tree follows its training data too closely: change a few samples and it changes a
lot (high variance). A random forest grows many trees that differ on purpose and lets them vote:

- *bagging*: each tree learns from its own *bootstrap sample*, ``n`` rows drawn **with replacement** from
  the ``n`` training rows (so some rows appear twice and about 37% not at all);
- *feature subsampling*: at every split, a tree looks at only ``max_features`` randomly chosen features,
  so even a feature that dominates does not sit at the root of every tree.

Their errors partly cancel out in the vote, and the forest predicts better than any single tree.

The trees are yours: ``from decision_tree import DecisionTreeClassifier`` imports the tree of exercise 6
(its ``max_features`` and ``random_state`` are what this exercise relies on).

Two traps make this exercise worth doing by hand:

- randomness: one generator, ``np.random.default_rng(random_state)``, drives the whole forest, so the
  same ``random_state`` gives the same forest, and ``random_state=0`` is a seed like any other;
- the vote: a bootstrap sample can miss a class, so a tree may know fewer classes than the forest.
  Count its votes by *label*, not by the position of the label in that tree's ``classes_``.

Grade your work with ``ml-grade random_forest``; stuck? ``ml-grade hint random_forest``.
"""

import numpy as np

from decision_tree import DecisionTreeClassifier


def bootstrap_sample(X, y, rng):
    """A bootstrap sample: ``n`` rows drawn uniformly **with replacement**, each with its own label.

    Draw ``n = len(X)`` row indices, each one uniform in ``0 .. n - 1`` and independent of the others,
    and take those rows of ``X`` and the same entries of ``y``. A row can be drawn several times; on
    average a fraction ``1 - (1 - 1/n) ** n ≈ 1 - 1/e ≈ 63%`` of the distinct rows is drawn at least once.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,)
    rng : numpy.random.Generator
        The only source of randomness (use ``rng.integers`` or ``rng.choice``, never ``np.random.*``).

    Returns
    -------
    (X_sample, y_sample) : tuple of ndarray of shapes (n_samples, n_features) and (n_samples,)
        Row ``i`` of ``X_sample`` is some row ``j`` of ``X`` and ``y_sample[i] = y[j]``.

    Examples
    --------
    >>> X, y = np.array([[0.0], [1.0], [2.0]]), np.array(["a", "b", "c"])
    >>> X_sample, y_sample = bootstrap_sample(X, y, np.random.default_rng(0))  # here rows 2, 1, 1
    >>> X_sample.ravel(), y_sample
    (array([2., 1., 1.]), array(['c', 'b', 'b'], dtype='<U1'))
    """
    # TODO 1: turn X and y into arrays and draw n row indices in 0 .. n - 1 with replacement.
    # TODO 2: return the same rows of X and of y, so every row keeps its label.
    raise NotImplementedError


class RandomForestClassifier:
    """A forest of decision trees, each grown on its own bootstrap sample, voting on every prediction.

    ``fit`` makes one generator, ``rng = np.random.default_rng(random_state)``, and grows
    ``n_estimators`` trees. For each tree, it draws from ``rng`` a bootstrap sample of the training data
    and an integer seed (e.g. ``rng.integers(2**31)``), and fits::

        DecisionTreeClassifier(max_depth, min_samples_split, max_features=max_features, random_state=seed)

    ``predict_proba`` gives, for each sample, the fraction of trees that vote for each class; ``predict``
    returns the class with the most votes (a tie goes to the first of ``classes_``)::

        proba[i, k] = (number of trees whose prediction for X[i] is classes_[k]) / n_estimators

    Parameters
    ----------
    n_estimators : int, default 100
        The number of trees.
    max_depth : int or None, default None
        Handed to every tree (``None``: grow until the leaves are pure).
    min_samples_split : int, default 2
        Handed to every tree.
    max_features : int, "sqrt" or None, default "sqrt"
        Handed to every tree: how many candidate features each split looks at.
    random_state : int or None, default None
        Seed of the forest's generator; ``None`` gives a different forest each time.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, sorted (``np.unique(y)``).
    n_features_in_ : int
    estimators_ : list of DecisionTreeClassifier
        The fitted trees, ``n_estimators`` of them.

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]]
    >>> forest = RandomForestClassifier(n_estimators=25, random_state=0).fit(X, ["a", "a", "a", "b", "b", "b"])
    >>> len(forest.estimators_), forest.classes_
    (25, array(['a', 'b'], dtype='<U1'))
    >>> forest.predict([[0.5], [4.5]])
    array(['a', 'b'], dtype='<U1')
    >>> forest.predict_proba([[0.5]])      # e.g. 24 of the 25 trees vote "a"
    array([[0.96, 0.04]])
    """

    def __init__(self, n_estimators=100, max_depth=None, min_samples_split=2, max_features="sqrt", random_state=None):
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X, y):
        """Learn ``classes_``, ``n_features_in_`` and ``estimators_``; return ``self``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)
            Labels of any type. If ``y`` does not have one label per row of ``X``, raise ``ValueError``.
        """
        # TODO 1: turn X into a 2-D float array and y into an array; raise ValueError if y does not have
        #         one label per row; learn classes_ (np.unique) and n_features_in_.
        # TODO 2: make ONE generator from random_state (random_state=0 is a seed, None means fresh randomness).
        # TODO 3: for each of the n_estimators trees: a new bootstrap sample and a new integer seed, both
        #         drawn from that generator; fit a DecisionTreeClassifier with max_depth, min_samples_split,
        #         max_features and the seed; keep it in estimators_ (a fresh list each fit). Return self.
        raise NotImplementedError

    def predict_proba(self, X):
        """The fraction of trees voting for each class.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            ``proba[i, k]`` is the fraction of the trees whose prediction for ``X[i]`` is ``classes_[k]``;
            columns ordered as ``classes_``, each row sums to 1.

        Examples
        --------
        With ``classes_ = ["a", "b", "c"]`` and four trees predicting ``"b", "a", "b", "b"`` for one
        sample, its row is ``[0.25, 0.75, 0.0]``. A tree that never saw ``"a"`` still votes by label.
        """
        # TODO 1: stack every tree's predictions (labels) into an array of shape (n_estimators, n_samples).
        # TODO 2: compare them with each label of classes_ (broadcast to (n_estimators, n_samples, n_classes)),
        #         count the matches over the trees, and divide by the number of trees.
        raise NotImplementedError

    def predict(self, X):
        """The majority vote of the trees; a tie goes to the first of ``classes_``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), with the same values (and dtype) as ``classes_``.

        Examples
        --------
        Votes ``"b", "a", "b", "b"`` give ``"b"``; votes ``"b", "a"`` are a tie and give ``"a"``.
        """
        # TODO 1: take, for each sample, the class with the largest vote fraction in predict_proba (np.argmax
        #         returns the first of equal maxima: the tie rule) and return those labels of classes_.
        raise NotImplementedError

    def score(self, X, y):
        """Accuracy: the fraction of samples whose predicted label equals ``y``, as a float."""
        # TODO 1: compare predictions with y and return the mean as a float.
        raise NotImplementedError
