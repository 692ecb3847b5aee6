"""Preprocessing: exercise 3 of ml-from-scratch.

Before any model sees data, the data is prepared: numbers are put on a common scale, categories are
turned into numbers, and some rows are set aside to test the model on. Three tools do that here, with
the interface of scikit-learn:

- ``StandardScaler`` moves each column to mean 0 and standard deviation 1.
- ``OneHotEncoder`` turns each column of categories into a block of 0/1 columns, one per category.
- ``train_test_split`` shuffles the rows and cuts them into a training set and a test set.

One rule runs through all of it: **a transformer learns in** ``fit`` **and only there**. ``transform``
applies what ``fit`` learned (the training means, the training categories) to whatever data it is given.
If ``transform`` computed the mean of the data in front of it, test data would quietly shape its own
preprocessing: a *leak*, and the test score would no longer tell how the model does on new data.

Grade your work with ``ml-grade preprocessing``; stuck? ``ml-grade hint preprocessing``.
"""

import math

import numpy as np


class StandardScaler:
    """Standardise features: subtract each column's mean, divide by its standard deviation.

    ``fit`` learns, for each column ``j`` of the training data::

        mean_[j]  = mean(X[:, j])
        scale_[j] = sqrt(mean((X[:, j] - mean_[j]) ** 2))      the population std, np.std(..., ddof=0)

    and ``transform`` computes ``(X - mean_) / scale_`` with those learned numbers, for any ``X``.

    A column whose values are all equal has standard deviation 0: it gets ``scale_ = 1.0`` so that
    nothing is divided by zero (its transformed values are then all 0). Careful: ``np.std`` of a constant
    column like ``[0.1, 0.1, 0.1]`` can come out as ``1e-17`` instead of 0 (rounding in the mean); finding
    the constant columns with ``X.max(axis=0) == X.min(axis=0)`` is exact.

    Parameters
    ----------
    with_mean : bool, default True
        If False, ``transform`` does not subtract ``mean_`` (``mean_`` is learned all the same).
    with_std : bool, default True
        If False, ``transform`` does not divide by ``scale_`` (``scale_`` is learned all the same).

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
    scale_ : ndarray of shape (n_features,)
        The population standard deviation of each column, with 1.0 for the constant columns.
    n_features_in_ : int

    Examples
    --------
    >>> scaler = StandardScaler().fit([[0.0, 5.0], [2.0, 5.0], [4.0, 5.0]])
    >>> scaler.mean_, scaler.scale_
    (array([2., 5.]), array([1.63299316, 1.        ]))
    >>> scaler.transform([[2.0, 5.0], [6.0, 7.0]])        # new data, training statistics
    array([[0.        , 0.        ],
           [2.44948974, 2.        ]])
    """

    def __init__(self, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X):
        """Learn ``mean_``, ``scale_`` and ``n_features_in_`` from ``X``; return ``self``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Lists are accepted. ``X`` itself must not be changed.
        """
        # TODO 1: turn X into a 2-D float array; raise ValueError if it is not 2-D.
        # TODO 2: the mean and the population standard deviation (ddof=0) of each column; put 1.0 in
        #         scale_ where a column is constant (its max equals its min).
        # TODO 3: store n_features_in_ and return self.
        raise NotImplementedError

    def transform(self, X):
        """Scale ``X`` with the statistics learned in ``fit``: ``(X - mean_) / scale_``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Any data (training or new), with the number of features seen in ``fit``, else ``ValueError``.

        Returns
        -------
        X_scaled : ndarray of float, shape (n_samples, n_features)
            A new array; ``X`` is not changed.
        """
        # TODO 1: turn X into a 2-D float array; raise ValueError unless it has n_features_in_ columns.
        # TODO 2: subtract mean_ (if with_mean) and divide by scale_ (if with_std), building new arrays:
        #         never `X -= ...`, which would change the caller's array.
        raise NotImplementedError

    def fit_transform(self, X):
        """``fit(X)``, then ``transform(X)``: the scaled training data."""
        # TODO 1: fit, then transform the same X.
        raise NotImplementedError

    def inverse_transform(self, X_scaled):
        """Undo ``transform``: ``X_scaled * scale_ + mean_`` (each part only if it was applied).

        Returns
        -------
        X : ndarray of float, shape (n_samples, n_features)
            ``inverse_transform(transform(X))`` gives ``X`` back (up to rounding).
        """
        # TODO 1: turn X_scaled into a 2-D float array; raise ValueError unless it has n_features_in_ columns.
        # TODO 2: multiply by scale_ (if with_std), then add mean_ (if with_mean): transform backwards.
        raise NotImplementedError


class OneHotEncoder:
    """Encode categorical columns as one-hot blocks of 0/1 columns.

    ``fit`` learns the categories of each column, sorted: ``categories_[j] = np.unique(X[:, j])``.
    ``transform`` gives each column ``j`` a block of ``len(categories_[j])`` output columns, with a 1 in
    the column of the row's category and 0 elsewhere. The blocks come in the order of the input columns::

        column 0 = ["red", "blue", "red"],  column 1 = [3, 10, 3]
        categories_ = [array(["blue", "red"]), array([3, 10])]

        output       x0_blue  x0_red | x1_3  x1_10
        row 0           0        1   |   1     0
        row 1           1        0   |   0     1
        row 2           0        1   |   1     0

    A value that was not seen in ``fit`` has no column. With ``handle_unknown="error"``, ``transform``
    raises ``ValueError`` naming the column and the value; with ``handle_unknown="ignore"``, that
    column's block is all zeros for that row (the other blocks are encoded as usual).

    Parameters
    ----------
    handle_unknown : {"error", "ignore"}, default "error"
        Any other value is a ``ValueError`` in ``fit``.

    Attributes
    ----------
    categories_ : list of ndarray
        ``categories_[j]`` holds the distinct values of column ``j``, sorted (numbers by value, strings
        alphabetically), in the dtype they came in.
    n_features_in_ : int

    Examples
    --------
    >>> encoder = OneHotEncoder().fit([["red", "S"], ["blue", "M"], ["red", "M"]])
    >>> encoder.categories_
    [array(['blue', 'red'], dtype='<U4'), array(['M', 'S'], dtype='<U4')]
    >>> encoder.transform([["blue", "S"], ["red", "M"]])
    array([[1., 0., 0., 1.],
           [0., 1., 1., 0.]])
    >>> encoder.get_feature_names_out()
    ['x0_blue', 'x0_red', 'x1_M', 'x1_S']
    """

    def __init__(self, handle_unknown="error"):
        self.handle_unknown = handle_unknown

    def fit(self, X):
        """Learn ``categories_`` (one sorted array per column) and ``n_features_in_``; return ``self``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Categories: integers or strings. Lists are accepted. Keep the values as they are (do not turn
            them into floats: strings would fail, and ``3`` would become ``3.0``).
        """
        # TODO 1: raise ValueError unless handle_unknown is "error" or "ignore"; turn X into a 2-D array
        #         (np.asarray, keeping its dtype).
        # TODO 2: categories_ is a list with np.unique of each column (np.unique sorts); store
        #         n_features_in_ and return self.
        raise NotImplementedError

    def transform(self, X):
        """One-hot encode ``X`` with the categories learned in ``fit``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            With the number of features seen in ``fit``, else ``ValueError``.

        Returns
        -------
        X_encoded : ndarray of float, shape (n_samples, sum of len(categories_[j]))
            The block of column 0 first (its categories in sorted order), then column 1's, and so on.
            Each row has one 1 per block (none in a block whose value is unknown, with "ignore").
        """
        # TODO 1: turn X into a 2-D array; raise ValueError unless it has n_features_in_ columns.
        # TODO 2: for each column j, compare its values (as a column, shape (n, 1)) with the categories
        #         (a row, shape (1, k)): a (n, k) table of True/False, True where the row has that
        #         category. A row with no True holds an unknown value: raise ValueError naming the
        #         column and the value if handle_unknown is "error" (with "ignore" the row stays all 0).
        # TODO 3: put the blocks side by side, in column order, as floats.
        raise NotImplementedError

    def fit_transform(self, X):
        """``fit(X)``, then ``transform(X)``."""
        # TODO 1: fit, then transform the same X.
        raise NotImplementedError

    def get_feature_names_out(self):
        """The names of the output columns, as scikit-learn writes them: ``"x<column>_<category>"``.

        Returns
        -------
        names : list of str
            One name per output column, in the order of ``transform``'s columns, e.g.
            ``["x0_blue", "x0_red", "x1_3", "x1_10"]``.
        """
        # TODO 1: one f-string per category of each column, in the same order as the blocks.
        raise NotImplementedError


def train_test_split(X, y, test_size=0.25, random_state=None, shuffle=True, stratify=None):
    """Split ``X`` and ``y`` into a random training set and test set, rows and labels kept together.

    The size of the test set::

        test_size a float in (0, 1)  ->  n_test = ceil(test_size * n_samples)
        test_size an int             ->  n_test = test_size

    Anything else (0, 1.0, 1.5, a negative number, or a split that leaves the training set or the test
    set empty) is a ``ValueError``. The training set gets the other ``n_samples - n_test`` rows.

    With ``shuffle=True``, draw ONE permutation of the rows from ``np.random.default_rng(random_state)``
    and use it for both ``X`` and ``y``, so that row ``i`` of ``X_train`` still goes with ``y_train[i]``.
    The same ``random_state`` gives the same split; ``random_state=0`` is a seed like any other (pass it
    to ``np.random.default_rng``; do not test it with ``if random_state:``, for which 0 is false).
    With ``shuffle=False`` nothing is random: the first ``n_samples - n_test`` rows are the training set
    and the last ``n_test`` rows the test set, in their order.

    With ``stratify`` (labels, usually ``y``), the split keeps the class proportions: class ``c``, with
    ``n_c`` rows, gets ``n_c * n_test / n_samples`` test rows, rounded so that the total is exactly
    ``n_test`` (round every class down, then give one more row to the classes with the largest
    remainders until the total is ``n_test``); which rows of a class go to the test set is random.
    ``stratify`` with ``shuffle=False`` is a ``ValueError``.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,)
        Lists are accepted; neither ``X`` nor ``y`` is changed.
    test_size : float or int, default 0.25
    random_state : int or None, default None
        The seed of ``np.random.default_rng``; None gives a different split at each call.
    shuffle : bool, default True
    stratify : array_like of shape (n_samples,) or None, default None

    Returns
    -------
    X_train : ndarray of shape (n_samples - n_test, n_features)
    X_test : ndarray of shape (n_test, n_features)
    y_train : ndarray of shape (n_samples - n_test,)
    y_test : ndarray of shape (n_test,)
        Every row of ``X`` is in exactly one of ``X_train`` and ``X_test``; ``y`` is split the same way.

    Examples
    --------
    >>> X, y = np.arange(10).reshape(5, 2), np.array([0, 1, 2, 3, 4])
    >>> train_test_split(X, y, test_size=0.4, shuffle=False)
    (array([[0, 1],
           [2, 3],
           [4, 5]]), array([[6, 7],
           [8, 9]]), array([0, 1, 2]), array([3, 4]))
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    >>> len(y_train), len(y_test), bool(np.all(X_test[:, 0] == 2 * y_test))    # ceil(0.3 * 5) = 2
    (3, 2, True)
    """
    # TODO 1: turn X and y into arrays (keep their dtypes); raise ValueError if they have different
    #         numbers of rows.
    # TODO 2: n_test from test_size: ceil(test_size * n) for a float in (0, 1), the number itself for an
    #         int; raise ValueError for anything else, or if the training or the test set would be empty.
    # TODO 3: without shuffling: the first n - n_test rows train, the last n_test test (stratify is then
    #         a ValueError).
    # TODO 4: with shuffling and no stratify: ONE permutation from np.random.default_rng(random_state);
    #         its first n_test entries are the test rows, the rest the training rows.
    # TODO 5: stratified: count the rows of each class (np.unique with return_inverse=True); give class c
    #         floor(n_c * n_test / n) test rows, then one more to the classes with the largest remainders
    #         until the total is n_test; mark that many randomly chosen rows of each class as test rows;
    #         finally list the rows in the order of one permutation and split them by the mark.
    # TODO 6: index X and y with the same train and test indices.
    raise NotImplementedError
