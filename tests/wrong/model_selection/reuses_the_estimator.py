"""Mistake: cross_val_score fits the estimator it was given in every fold, without cloning it."""

import inspect
import itertools

import numpy as np


class NearestCentroid:
    """A small complete classifier (given): predicts the label whose centroid is nearest.

    ``shrinkage`` in [0, 1] pulls every centroid towards the mean of all the training samples,
    ``centroid = (1 - shrinkage) * class_mean + shrinkage * overall_mean``, so a grid search over it has a
    real choice to make. It follows the rules this exercise relies on: ``__init__`` only stores its
    arguments, ``fit`` returns ``self``, learned attributes end in ``_``, ``score`` is the accuracy.

    Examples
    --------
    >>> model = NearestCentroid(shrinkage=0.5).fit([[0.0], [2.0], [10.0]], ["a", "a", "b"])
    >>> model.centroids_, model.predict([[3.0], [7.0]])
    (array([[2.5],
           [7. ]]), array(['a', 'b'], dtype='<U1'))
    """

    def __init__(self, shrinkage=0.0):
        self.shrinkage = shrinkage

    def fit(self, X, y):
        """Learn ``classes_`` and one shrunken centroid per label, ``centroids_``; return ``self``."""
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(y)
        means = np.array([X[y == label].mean(axis=0) for label in self.classes_])
        self.centroids_ = (1.0 - self.shrinkage) * means + self.shrinkage * X.mean(axis=0)
        return self

    def predict(self, X):
        """The label of the nearest centroid for each row of ``X``, shape (n_samples,)."""
        X = np.asarray(X, dtype=float)
        squared_distances = ((X[:, None, :] - self.centroids_[None, :, :]) ** 2).sum(axis=2)
        return self.classes_[np.argmin(squared_distances, axis=1)]

    def score(self, X, y):
        """Accuracy: the fraction of samples whose predicted label equals ``y``, as a float."""
        return float(np.mean(self.predict(X) == np.asarray(y)))


class KFold:
    """K-fold cross-validation: cut the indices ``0 .. n_samples - 1`` into ``n_splits`` test folds.

    Every index is in exactly one test fold; a fold's training part is every other index. The fold
    sizes are fixed (as in scikit-learn)::

        n_samples // n_splits for every fold, plus 1 for the first n_samples % n_splits folds

        10 samples, 3 folds  ->  sizes 4, 3, 3  ->  test folds [0 1 2 3], [4 5 6], [7 8 9]

    Without shuffling the test folds are these consecutive blocks, in order. With ``shuffle=True`` the
    indices are first put in the order of ONE permutation,
    ``np.random.default_rng(random_state).permutation(n_samples)``, and that order is cut into blocks of
    the same sizes. The same ``random_state`` gives the same folds on every call (``0`` is a seed like any
    other number); ``None`` gives new folds each time.

    Parameters
    ----------
    n_splits : int, default 5
        The number of folds, at least 2 and at most the number of samples (``split`` raises
        ``ValueError`` otherwise).
    shuffle : bool, default False
    random_state : int or None, default None
        Seed of the permutation when ``shuffle=True``.

    Examples
    --------
    >>> for train, test in KFold(n_splits=3).split(np.zeros((7, 2))):
    ...     print(train, test)
    [3 4 5 6] [0 1 2]
    [0 1 2 5 6] [3 4]
    [0 1 2 3 4] [5 6]
    """

    def __init__(self, n_splits=5, shuffle=False, random_state=None):
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None):
        """The number of folds, ``n_splits``."""
        return self.n_splits

    def split(self, X, y=None):
        """Yield ``(train_index, test_index)`` for each fold, in order.

        Parameters
        ----------
        X : array_like of shape (n_samples, ...)
            Only its length is used. ``y`` is accepted and ignored (scikit-learn's signature).

        Yields
        ------
        train_index : ndarray of int, shape (n_samples - fold size,)
        test_index : ndarray of int, shape (fold size,)

        Raises
        ------
        ValueError
            If ``n_splits < 2`` or ``n_splits > n_samples``.
        """
        # BEGIN SOLUTION
        # Step 1: count the samples (len(X) works for arrays and lists); raise ValueError unless
        #         2 <= n_splits <= n_samples.
        n_samples = len(X)
        if not 2 <= self.n_splits <= n_samples:
            raise ValueError(f"n_splits={self.n_splits} must be at least 2 and at most n_samples={n_samples}")
        # Step 2: the order to cut: np.arange(n_samples), or with shuffle=True one permutation from
        #         np.random.default_rng(random_state) (test `is None`, never `if random_state:`: 0 is a seed).
        indices = np.arange(n_samples)
        if self.shuffle:
            indices = np.random.default_rng(self.random_state).permutation(n_samples)
        # Step 3: the fold sizes: n_samples // n_splits each, one more for the first n_samples % n_splits.
        sizes = np.full(self.n_splits, n_samples // self.n_splits)
        sizes[: n_samples % self.n_splits] += 1
        # Step 4: walk along the order in blocks of those sizes: each block is a test fold, and everything
        #         before and after it is its training part; yield the pair.
        start = 0
        for size in sizes:
            stop = start + size
            yield np.concatenate([indices[:start], indices[stop:]]), indices[start:stop]
            start = stop
        # END SOLUTION


def clone(estimator):
    """A new, unfitted estimator of the same class with the same hyper-parameters.

    The hyper-parameters are the parameters of the class's ``__init__``:
    ``inspect.signature(type(estimator)).parameters`` gives their names (``self`` left out), and because
    ``__init__`` stores each argument under its own name, ``getattr(estimator, name)`` gives its value.
    Calling the class with them builds the copy. Learned attributes (``coef_``, ``centroids_``, ...) are
    not hyper-parameters, so the copy has none: it is unfitted, even if ``estimator`` was fitted. The
    estimator itself is left unchanged.

    Parameters
    ----------
    estimator : object following the scikit-learn conventions

    Returns
    -------
    A new object of ``type(estimator)``, never ``estimator`` itself.

    Examples
    --------
    >>> fitted = NearestCentroid(shrinkage=0.3).fit([[0.0], [1.0]], [0, 1])
    >>> copy = clone(fitted)
    >>> copy.shrinkage, hasattr(copy, "centroids_"), copy is fitted
    (0.3, False, False)
    """
    # BEGIN SOLUTION
    # Step 1: the names of the hyper-parameters: the parameters of inspect.signature(type(estimator)).
    names = inspect.signature(type(estimator)).parameters
    # Step 2: read each value with getattr, and call the class with them as keyword arguments.
    return type(estimator)(**{name: getattr(estimator, name) for name in names})
    # END SOLUTION


def cross_val_score(estimator, X, y, cv=5, scoring=None):
    """Score ``estimator`` by cross-validation: one score per fold, each from a fresh clone.

    For each ``(train, test)`` of the splitter: ``model = clone(estimator)``, ``model.fit(X[train],
    y[train])``, then the score on the test part::

        scoring is None   ->  model.score(X[test], y[test])
        otherwise         ->  scoring(y[test], model.predict(X[test]))      (y_true first, as in sklearn)

    The estimator passed in is never fitted.

    Parameters
    ----------
    estimator : object with ``fit``, ``predict`` and ``score``
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,)
    cv : int or splitter, default 5
        An int means ``KFold(n_splits=cv)`` (no shuffling); otherwise any object whose ``split(X)``
        yields ``(train_index, test_index)`` pairs.
    scoring : callable ``scoring(y_true, y_pred) -> float`` or None, default None

    Returns
    -------
    scores : ndarray of float, shape (n_splits,)
        The score of each fold, in the order of the splits.

    Examples
    --------
    >>> X = [[0.0], [10.0], [1.0], [11.0], [2.0], [4.0]]
    >>> y = ["a", "b", "a", "b", "a", "b"]
    >>> cross_val_score(NearestCentroid(), X, y, cv=3)      # test folds [0 1], [2 3], [4 5]
    array([1. , 1. , 0.5])
    """
    # BEGIN SOLUTION
    # Step 1: turn X and y into arrays (index arrays select their rows); an int cv means KFold(n_splits=cv).
    X, y = np.asarray(X), np.asarray(y)
    splitter = KFold(n_splits=cv) if isinstance(cv, (int, np.integer)) else cv
    # Step 2: for each (train, test) of splitter.split(X): fit a fresh clone on the training rows and score
    #         it on the test rows (model.score, or scoring(y_true, y_pred) with the predictions).
    scores = []
    for train, test in splitter.split(X):
        model = estimator
        model.fit(X[train], y[train])
        if scoring is None:
            scores.append(model.score(X[test], y[test]))
        else:
            scores.append(scoring(y[test], model.predict(X[test])))
    # Step 3: return the scores as a float array.
    return np.array(scores, dtype=float)
    # END SOLUTION


def parameter_grid(param_grid):
    """Every combination of hyper-parameter values, as a list of dicts, in scikit-learn's order.

    ``param_grid`` maps each name to the list of values to try. Within a dict the names are taken in
    SORTED order and the last name varies fastest, like the digits of a counter (``itertools.product``
    does exactly this). A list of such dicts is expanded one dict after the other.

    Parameters
    ----------
    param_grid : dict of lists, or a list of dicts of lists

    Returns
    -------
    combinations : list of dict
        ``len`` is the product of the list lengths (summed over the dicts of a list).

    Examples
    --------
    >>> parameter_grid({"shrinkage": [0.0, 0.5], "metric": ["l1", "l2"]})    # "metric" < "shrinkage"
    [{'metric': 'l1', 'shrinkage': 0.0}, {'metric': 'l1', 'shrinkage': 0.5},
     {'metric': 'l2', 'shrinkage': 0.0}, {'metric': 'l2', 'shrinkage': 0.5}]
    >>> parameter_grid([{"a": [1, 2]}, {"b": [3]}])
    [{'a': 1}, {'a': 2}, {'b': 3}]
    """
    # BEGIN SOLUTION
    # Step 1: a single dict is a list of one dict.
    grids = [param_grid] if isinstance(param_grid, dict) else list(param_grid)
    # Step 2: for each dict: sort its names, take itertools.product of their value lists (one tuple per
    #         combination, last name fastest), and zip each tuple with the names into a dict.
    combinations = []
    for grid in grids:
        names = sorted(grid)
        for values in itertools.product(*(grid[name] for name in names)):
            combinations.append(dict(zip(names, values)))
    # Step 3: return all the combinations, in that order.
    return combinations
    # END SOLUTION


class GridSearch:
    """Try every combination of hyper-parameters by cross-validation; refit the best on all the data.

    For each combination of ``parameter_grid(param_grid)``, in order: a clone of ``estimator`` gets those
    values (``setattr``) and ``cross_val_score`` scores it. The best combination is the one with the
    highest MEAN score over the folds (not the luckiest single fold); in a tie, the first in grid order.
    A fresh clone with the best values is then fitted on ALL of ``X, y``: that is ``best_estimator_``,
    which ``predict`` and ``score`` use. The estimator passed in is never changed or fitted.

    Parameters
    ----------
    estimator : object following the scikit-learn conventions
    param_grid : dict of lists, or a list of dicts of lists
    cv : int or splitter, default 5
        As in ``cross_val_score``.
    scoring : callable ``scoring(y_true, y_pred) -> float`` or None, default None

    Attributes
    ----------
    cv_results_ : list of dict
        One dict per combination, in grid order: ``{"params": dict, "mean_score": float,
        "scores": ndarray of shape (n_splits,)}``.
    best_params_ : dict
    best_score_ : float
        The best mean score.
    best_estimator_ : estimator
        A clone with ``best_params_``, fitted on all of ``X, y``.

    Examples
    --------
    >>> X = [[0.0], [10.0], [1.0], [11.0], [2.0], [4.0]]
    >>> y = ["a", "b", "a", "b", "a", "b"]
    >>> search = GridSearch(NearestCentroid(), {"shrinkage": [1.0, 0.0]}, cv=3).fit(X, y)
    >>> [(result["params"], result["mean_score"]) for result in search.cv_results_]
    [({'shrinkage': 1.0}, 0.5), ({'shrinkage': 0.0}, 0.8333333333333334)]
    >>> search.best_params_, search.best_score_, search.predict([[3.0], [6.0]])
    ({'shrinkage': 0.0}, 0.8333333333333334, array(['a', 'b'], dtype='<U1'))
    """

    def __init__(self, estimator, param_grid, cv=5, scoring=None):
        self.estimator = estimator
        self.param_grid = param_grid
        self.cv = cv
        self.scoring = scoring

    def fit(self, X, y):
        """Search the grid and refit the best combination; return ``self``.

        Sets ``cv_results_``, ``best_params_``, ``best_score_`` and ``best_estimator_``.
        """
        # BEGIN SOLUTION
        # Step 1: for each combination of parameter_grid(param_grid): clone the estimator, setattr each
        #         value on the clone, score it with cross_val_score (same cv and scoring), and append
        #         {"params", "mean_score", "scores"} to cv_results_.
        self.cv_results_ = []
        for params in parameter_grid(self.param_grid):
            candidate = clone(self.estimator)
            for name, value in params.items():
                setattr(candidate, name, value)
            scores = cross_val_score(candidate, X, y, cv=self.cv, scoring=self.scoring)
            self.cv_results_.append({"params": params, "mean_score": float(np.mean(scores)), "scores": scores})
        # Step 2: the best result is the highest mean_score; on a tie keep the first (max() does).
        best = max(self.cv_results_, key=lambda result: result["mean_score"])
        self.best_params_, self.best_score_ = best["params"], best["mean_score"]
        # Step 3: a fresh clone with best_params_, fitted on all of X, y, is best_estimator_; return self.
        self.best_estimator_ = clone(self.estimator)
        for name, value in self.best_params_.items():
            setattr(self.best_estimator_, name, value)
        self.best_estimator_.fit(X, y)
        return self
        # END SOLUTION

    def predict(self, X):
        """``best_estimator_.predict(X)``."""
        # BEGIN SOLUTION
        # Step 1: delegate to best_estimator_.
        return self.best_estimator_.predict(X)
        # END SOLUTION

    def score(self, X, y):
        """``best_estimator_.score(X, y)``."""
        # BEGIN SOLUTION
        # Step 1: delegate to best_estimator_.
        return self.best_estimator_.score(X, y)
        # END SOLUTION
