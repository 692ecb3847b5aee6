"""Mistake: fit does not check n_neighbors against the training set size: k larger than the training set fails later, or silently uses fewer."""

import numpy as np


def pairwise_distances(A, B):
    """Euclidean distances between every row of ``A`` and every row of ``B``, without Python loops.

    Entry ``[i, j]`` is ``||A[i] - B[j]|| = sqrt(sum((A[i] - B[j]) ** 2))``. Expanding the square gives::

        ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2

        squared = norms_A[:, None] - 2 * A @ B.T + norms_B[None, :]     shape (n_a, n_b)

    where ``norms_A = (A ** 2).sum(axis=1)`` has shape ``(n_a,)``. For two equal (or nearly equal)
    points, rounding can make ``squared`` a tiny negative number such as ``-1e-12``, and ``np.sqrt`` of it is
    ``nan``: clip ``squared`` at 0 first.

    Parameters
    ----------
    A : array_like of shape (n_a, n_features)
    B : array_like of shape (n_b, n_features)

    Returns
    -------
    distances : ndarray of shape (n_a, n_b)
        Non-negative floats; row ``i`` holds the distances from ``A[i]`` to every row of ``B``.

    Examples
    --------
    >>> pairwise_distances([[0.0, 0.0], [1.0, 1.0]], [[3.0, 4.0], [0.0, 0.0], [1.0, 0.0]])
    array([[5.        , 0.        , 1.        ],
           [3.60555128, 1.41421356, 1.        ]])
    """
    # BEGIN SOLUTION
    # Step 1: turn A and B into 2-D float arrays.
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    # Step 2: the squared distances ||a||^2 - 2 a.b + ||b||^2 for all pairs at once: the row norms of A as
    #         a column (n_a, 1), those of B as a row (1, n_b), and A @ B.T in the middle.
    squared = (A**2).sum(axis=1)[:, None] - 2.0 * A @ B.T + (B**2).sum(axis=1)[None, :]
    # Step 3: clip the tiny negatives left by rounding at 0, then take the square root.
    return np.sqrt(np.maximum(squared, 0.0))
    # END SOLUTION


class KNeighborsClassifier:
    """Classify each point by a majority vote of its ``n_neighbors`` nearest training points.

    ``fit`` stores a copy of the training data. For each query, ``kneighbors`` finds the ``k`` closest
    training samples (Euclidean distance, nearest first); ``predict_proba`` counts their labels::

        proba[i, c] = (number of the k neighbours of query i whose label is classes_[c]) / k

    and ``predict`` returns the label with the most votes. Ties are settled by fixed rules, so every
    correct implementation gives the same answers:

    - equal distances: the training sample that comes first in ``X`` counts as nearer (stable sort);
    - equal votes: the label that comes first in ``classes_`` wins (``np.argmax`` returns the first
      maximum).

    Parameters
    ----------
    n_neighbors : int, default 5
        ``k``, the number of neighbours that vote. At most the number of training samples.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, sorted (``np.unique(y)``), of the type given (ints, strings, ...).
    n_features_in_ : int
        The number of features seen in ``fit``.
    X_train_ : ndarray of shape (n_samples, n_features)
        A copy of the training ``X`` (float).
    y_index_ : ndarray of int, shape (n_samples,)
        For each training sample, the position of its label in ``classes_`` (so ``classes_[y_index_]`` is ``y``).

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [10.0], [11.0]]
    >>> model = KNeighborsClassifier(n_neighbors=3).fit(X, ["no", "no", "yes", "yes", "yes"])
    >>> model.kneighbors([[1.4]])          # distances and indices of the 3 nearest, nearest first
    (array([[0.4, 0.6, 1.4]]), array([[1, 2, 0]]))
    >>> model.predict_proba([[1.4]]), model.predict([[1.4], [9.0]])
    (array([[0.66666667, 0.33333333]]), array(['no', 'yes'], dtype='<U3'))
    """

    def __init__(self, n_neighbors=5):
        self.n_neighbors = n_neighbors

    def fit(self, X, y):
        """Remember a copy of the training data and learn ``classes_``; return ``self``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)
            Labels of any type.

        Raises
        ------
        ValueError
            If ``n_neighbors`` is larger than ``n_samples``, with a message that says so.
        """
        # BEGIN SOLUTION
        # Step 1: copy X into a 2-D float array (np.array copies: changing the caller's X later must not
        #         change the model); raise ValueError if n_neighbors is larger than the training set.
        X = np.array(X, dtype=float)
        # Step 2: store X_train_, n_features_in_, classes_ and y_index_ (np.unique with return_inverse=True
        #         gives the last two at once), and return self.
        self.classes_, self.y_index_ = np.unique(np.asarray(y), return_inverse=True)
        self.X_train_ = X
        self.n_features_in_ = X.shape[1]
        return self
        # END SOLUTION

    def kneighbors(self, X):
        """The ``k`` nearest training samples of each query, nearest first.

        Equal distances keep the training order: the sample with the smaller index comes first.

        Parameters
        ----------
        X : array_like of shape (n_queries, n_features)
            ``ValueError`` if ``n_features`` differs from ``n_features_in_``.

        Returns
        -------
        distances : ndarray of shape (n_queries, k)
            ``distances[i, j]`` is the distance from ``X[i]`` to its ``j``-th nearest training sample.
        indices : ndarray of int, shape (n_queries, k)
            Row numbers in the training ``X`` of those samples.
        """
        # BEGIN SOLUTION
        # Step 1: turn X into a 2-D float array; raise ValueError if its number of features is not
        #         n_features_in_.
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has shape {X.shape}; expected (n_queries, {self.n_features_in_}) as in fit")
        # Step 2: the distances from every query to every training sample, shape (n_queries, n_train).
        distances = pairwise_distances(X, self.X_train_)
        # Step 3: sort each row with a stable sort (kind="stable"), keep the first k columns, and return
        #         the matching distances with them.
        indices = np.argsort(distances, axis=1, kind="stable")[:, : self.n_neighbors]
        return np.take_along_axis(distances, indices, axis=1), indices
        # END SOLUTION

    def predict_proba(self, X):
        """Vote fractions: the share of each query's ``k`` neighbours that carry each label.

        Returns
        -------
        proba : ndarray of shape (n_queries, n_classes)
            Column ``c`` is for ``classes_[c]``; each row sums to 1.
        """
        # BEGIN SOLUTION
        # Step 1: the labels of each query's neighbours, as indices into classes_: shape (n_queries, k).
        _, indices = self.kneighbors(X)
        neighbour_labels = self.y_index_[indices]
        # Step 2: count the votes for each class (one-hot rows summed over the neighbours) and divide by k.
        votes = np.eye(len(self.classes_))[neighbour_labels].sum(axis=1)  # (n_queries, n_classes)
        return votes / self.n_neighbors
        # END SOLUTION

    def predict(self, X):
        """The majority label of each query's ``k`` neighbours; a tie goes to the first of ``classes_``.

        Returns
        -------
        y_pred : ndarray of shape (n_queries,), with the same values (and dtype) as ``classes_``.
        """
        # BEGIN SOLUTION
        # Step 1: the column with the most votes (np.argmax picks the first in a tie), as a label of classes_.
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        # END SOLUTION

    def score(self, X, y):
        """Accuracy: the fraction of samples whose predicted label equals ``y``, as a float."""
        # BEGIN SOLUTION
        # Step 1: compare predictions with y and return the mean as a float.
        return float(np.mean(self.predict(X) == np.asarray(y)))
        # END SOLUTION
