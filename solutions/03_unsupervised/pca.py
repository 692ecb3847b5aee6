"""Principal component analysis: exercise 11 of ml-from-scratch.

PCA finds the directions along which the data varies most. The first principal component is the unit
vector ``v`` that maximises the variance of the projections ``(X - mean) @ v``; the second does the same
among the directions orthogonal to the first, and so on. Keeping the first ``k`` components compresses
each sample from ``n_features`` numbers to ``k`` while losing as little variance as possible.

All of them come out of one singular value decomposition of the CENTRED data::

    Xc = X - mean_                         shape (n_samples, n_features)
    Xc = U @ diag(S) @ Vt                  np.linalg.svd(Xc, full_matrices=False)

The rows of ``Vt`` are the components, already sorted by decreasing singular value ``S``, and the
variance along component ``i`` is ``S[i] ** 2 / (n_samples - 1)`` (the same numbers are the eigenvalues of
the covariance matrix ``Xc.T @ Xc / (n_samples - 1)``, whose eigenvectors are the same components).

Three traps make this exercise worth doing by hand:

- Forget to centre and the first "component" points from the origin towards the mean of the data,
  not along its spread.
- ``np.linalg.eigh`` returns eigenvalues in INCREASING order and eigenvectors as COLUMNS; ``components_``
  wants one component per ROW, the largest variance first.
- ``explained_variance_ratio_`` divides by the TOTAL variance of the data, not by the variance of the
  components you kept: with fewer components than features its sum is below 1.

A component is only defined up to its sign (``v`` and ``-v`` span the same line): either is correct.

Grade your work with ``ml-grade pca``; stuck? ``ml-grade hint pca``.
"""

import numpy as np


class PCA:
    """Principal component analysis by singular value decomposition of the centred data.

    ``fit`` learns, with ``Xc = X - mean_`` and ``U, S, Vt = np.linalg.svd(Xc, full_matrices=False)``::

        mean_                       = X.mean(axis=0)                       shape (n_features,)
        components_                 = Vt[:k]                               shape (k, n_features)
        explained_variance_         = S[:k] ** 2 / (n_samples - 1)         shape (k,)
        explained_variance_ratio_   = explained_variance_ / total          shape (k,)
        total                       = sum(S ** 2) / (n_samples - 1)        = X.var(axis=0, ddof=1).sum()

    The rows of ``components_`` are orthonormal (``components_ @ components_.T`` is the identity) and
    sorted by decreasing variance. Then ``transform(X) = (X - mean_) @ components_.T`` gives the
    coordinates of each sample along the components and ``inverse_transform(Z) = Z @ components_ + mean_``
    maps them back; with every component kept, ``inverse_transform(transform(X))`` is ``X`` again.

    Parameters
    ----------
    n_components : int or None, default None
        How many components ``k`` to keep, from 1 to ``min(n_samples, n_features)``; ``None`` keeps
        ``min(n_samples, n_features)``. Any other number is a ``ValueError`` in ``fit``.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
        The mean of the training data, subtracted before projecting (also from new data).
    components_ : ndarray of shape (k, n_features)
        The principal directions, one per row, unit length, largest variance first (signs arbitrary).
    explained_variance_ : ndarray of shape (k,)
        The variance of the training data along each component (divided by ``n_samples - 1``).
    explained_variance_ratio_ : ndarray of shape (k,)
        Each variance divided by the total variance of the training data; the sum is at most 1.
    n_components_ : int
        ``k``, the number of components kept.

    Examples
    --------
    >>> X = [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]      # every point on the line y = x
    >>> pca = PCA(n_components=1).fit(X)
    >>> pca.mean_, pca.components_.round(4)           # the direction of the line (or its opposite)
    (array([2., 2.]), array([[0.7071, 0.7071]]))
    >>> pca.explained_variance_, pca.explained_variance_ratio_
    (array([2.]), array([1.]))
    >>> pca.transform(X).round(4)                     # signed distances from the mean along the line
    array([[-1.4142], [ 0.    ], [ 1.4142]])
    >>> pca.inverse_transform(pca.transform([[4.0, 4.0]]))   # back from the line's coordinate
    array([[4., 4.]])
    """

    def __init__(self, n_components=None):
        self.n_components = n_components

    def fit(self, X):
        """Learn ``mean_``, ``components_``, ``explained_variance_``, ``explained_variance_ratio_`` and
        ``n_components_`` from ``X``; return ``self``. ``X`` itself is left unchanged.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        self : PCA
        """
        # BEGIN SOLUTION
        # Step 1: turn X into a 2-D float array; k is n_components, or min(n_samples, n_features) when it
        #         is None; raise ValueError unless 1 <= k <= min(n_samples, n_features).
        X = np.asarray(X, dtype=float)
        n_samples, n_features = X.shape
        largest = min(n_samples, n_features)
        k = largest if self.n_components is None else self.n_components
        if not 1 <= k <= largest:
            raise ValueError(f"n_components must be between 1 and min(n_samples, n_features) = {largest}; got {k}")
        # Step 2: centre: mean_ is the mean of each column; subtract it into a NEW array (not in place).
        self.mean_ = X.mean(axis=0)
        centred = X - self.mean_
        # Step 3: SVD of the centred data, np.linalg.svd(..., full_matrices=False): the rows of Vt are the
        #         components, sorted by decreasing singular value.
        _, singular_values, Vt = np.linalg.svd(centred, full_matrices=False)
        # Step 4: the variance along each component is S ** 2 / (n_samples - 1). Store the first k rows of
        #         Vt, their variances, those variances divided by the total variance (the sum over ALL
        #         components, not only the kept ones), and n_components_ = k.
        variances = singular_values**2 / (n_samples - 1)
        self.components_ = Vt[:k]
        self.explained_variance_ = variances[:k]
        self.explained_variance_ratio_ = variances[:k] / variances.sum()
        self.n_components_ = int(k)
        # Step 5: return self.
        return self
        # END SOLUTION

    def transform(self, X):
        """Coordinates of each sample along the components: ``(X - mean_) @ components_.T``.

        New data is centred with the TRAINING mean ``mean_``, never with its own mean.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        Z : ndarray of shape (n_samples, n_components_)
        """
        # BEGIN SOLUTION
        # Step 1: subtract mean_ (learned in fit) and project onto the rows of components_.
        return (np.asarray(X, dtype=float) - self.mean_) @ self.components_.T
        # END SOLUTION

    def fit_transform(self, X):
        """``fit(X)``, then return ``transform(X)``: shape (n_samples, n_components_)."""
        # BEGIN SOLUTION
        # Step 1: fit, then transform the same X.
        return self.fit(X).transform(X)
        # END SOLUTION

    def inverse_transform(self, Z):
        """Map coordinates back to the original space: ``Z @ components_ + mean_``.

        With every component kept this undoes ``transform`` exactly; with fewer it returns the closest
        point of the plane spanned by the components (through ``mean_``).

        Parameters
        ----------
        Z : array_like of shape (n_samples, n_components_)

        Returns
        -------
        X_back : ndarray of shape (n_samples, n_features)
        """
        # BEGIN SOLUTION
        # Step 1: combine the components with the weights in Z, and add mean_ back.
        return np.asarray(Z, dtype=float) @ self.components_ + self.mean_
        # END SOLUTION
