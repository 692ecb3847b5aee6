"""Decision tree: exercise 6 of ml-from-scratch.

A classification tree asks a chain of yes/no questions of the form "is feature ``j`` at most ``t``?".
Each question sends a sample to the left child (yes) or the right child (no); at a leaf, the tree
predicts the most common label of the training samples that reached it.

The tree is grown greedily, from the root down. At each node, try every feature and every threshold
between two neighbouring values, and keep the question whose children are the purest. Purity is
measured by an *impurity*: the Gini impurity or the entropy of the labels (0 for a node with one class).
The *gain* of a split is how much it lowers the impurity, each child weighted by its share of the samples.

Three things make this exercise worth doing by hand:

- the weighting: an unweighted average of the children's impurities loves tiny, pure children;
- the boundaries: ``<=`` at the threshold, a root at depth 0, and a leaf's majority vote with a tie rule;
- speed: sort each feature once and get every split's class counts from one cumulative sum, instead of
  recounting the labels for every threshold.

Grade your work with ``ml-grade decision_tree``; stuck? ``ml-grade hint decision_tree``.
"""

import numpy as np


def gini(y):
    """Gini impurity of a set of labels: ``1 - sum_k p_k ** 2``.

    ``p_k`` is the fraction of the labels that belong to class ``k``. The Gini impurity is the chance
    that two labels drawn at random (with replacement) differ: 0 for one class, ``1 - 1/K`` for ``K``
    equally common classes.

    Parameters
    ----------
    y : array_like of shape (n_samples,)
        Labels of any type (ints, floats, strings). May be empty.

    Returns
    -------
    float
        The impurity; ``0.0`` for an empty ``y``.

    Examples
    --------
    >>> gini([0, 0, 1, 1])             # p = [0.5, 0.5]: 1 - (0.25 + 0.25)
    0.5
    >>> gini(["a", "a", "a"]), gini([])
    (0.0, 0.0)
    """
    # TODO 1: an empty y has impurity 0.0.
    # TODO 2: count each class (np.unique with return_counts=True) and turn counts into proportions p.
    # TODO 3: return 1 - sum(p ** 2) as a float.
    raise NotImplementedError


def entropy(y):
    """Entropy of a set of labels, in bits: ``-sum_k p_k * log2(p_k)``.

    ``p_k`` is the fraction of the labels that belong to class ``k``; classes that do not occur are left
    out (``0 * log2(0)`` counts as 0). One class gives 0 bits, two equally common classes give 1 bit.

    Parameters
    ----------
    y : array_like of shape (n_samples,)
        Labels of any type (ints, floats, strings). May be empty.

    Returns
    -------
    float
        The entropy in bits (``log2``, not the natural log); ``0.0`` for an empty ``y`` or one class.

    Examples
    --------
    >>> entropy([0, 0, 1, 1])          # -(0.5 * log2(0.5) + 0.5 * log2(0.5))
    1.0
    >>> entropy(["a", "b", "c", "d"])  # four equally common classes: 2 bits
    2.0
    """
    # TODO 1: an empty y has entropy 0.0.
    # TODO 2: class proportions p, as for gini (every p > 0: np.unique only sees classes that occur).
    # TODO 3: return -sum(p * log2(p)) as a float.
    raise NotImplementedError


def best_split(X, y, criterion="gini"):
    """The single question ``X[:, feature] <= threshold`` that lowers the impurity the most.

    Candidate thresholds of a feature are the midpoints between its consecutive *distinct* sorted values
    (values ``[1, 2, 2, 4]`` give thresholds ``1.5`` and ``3.0``). Samples with ``X[:, feature] <= threshold``
    go to the left child, the others to the right one. With ``impurity`` the chosen criterion::

        gain = impurity(y) - (n_left / n) * impurity(y_left) - (n_right / n) * impurity(y_right)

    The split with the largest gain wins, even when that gain is 0 (on XOR-like data no single cut helps,
    yet the tree must split to get anywhere). Ties (equal gains, up to floating-point error of ~1e-12) go
    to the smallest feature index, then to the smallest threshold.

    Fast way: for one feature, sort the samples by it once; the cumulative sum of the one-hot labels,
    ``np.cumsum(one_hot[order], axis=0)``, holds the class counts of every left child at once (row ``i``:
    the first ``i + 1`` sorted samples), and the right child's counts are the totals minus those. No loop
    over thresholds is needed.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,)
        Labels of any type.
    criterion : {"gini", "entropy"}, default "gini"
        Anything else raises ``ValueError``.

    Returns
    -------
    (feature, threshold, gain) : tuple of (int, float, float), or None
        ``None`` when no split exists: fewer than 2 samples, or every feature is constant.

    Examples
    --------
    >>> X = [[1.0, 5.0], [2.0, 5.0], [3.0, 6.0], [4.0, 6.0]]
    >>> best_split(X, [0, 0, 1, 1])    # both features separate the classes: the first one wins
    (0, 2.5, 0.5)
    >>> best_split([[1.0], [1.0]], [0, 1]) is None
    True
    """
    # TODO 1: raise ValueError for an unknown criterion; turn X into a 2-D float array and y into an
    #         array; return None for fewer than 2 samples.
    # TODO 2: one-hot encode y (np.unique with return_inverse=True, then rows of np.eye(n_classes));
    #         write a small inner function giving the impurity of each row of a class-count matrix
    #         (p = counts / row total), and compute the parent's impurity from the total counts.
    # TODO 3: for each feature: sort it, take the cumulative class counts of the left children, keep the
    #         positions where the next sorted value is larger (a threshold fits between them), compute
    #         the midpoints and the weighted gains, and remember the best split so far (ties: keep the
    #         earlier feature and the smaller threshold).
    # TODO 4: return (feature, threshold, gain), or None if no feature could be split.
    raise NotImplementedError


class Node:
    """One node of a fitted tree (given: you do not need to change it).

    An inner node asks ``x[feature] <= threshold``: yes goes to ``left``, no goes to ``right``. A leaf has
    ``left = right = None`` (and ``feature = threshold = None``). Every node keeps ``value``, the label it
    would predict (the most common label of its training samples), and ``n_samples``, how many training
    samples reached it.
    """

    def __init__(self, value, n_samples, feature=None, threshold=None, left=None, right=None):
        self.value = value
        self.n_samples = n_samples
        self.feature = feature
        self.threshold = threshold
        self.left = left
        self.right = right

    @property
    def is_leaf(self):
        """True for a leaf (a node without children)."""
        return self.left is None and self.right is None

    def __repr__(self):
        if self.is_leaf:
            return f"Node(leaf, value={self.value!r}, n_samples={self.n_samples})"
        return f"Node(x[{self.feature}] <= {self.threshold:.4g}, value={self.value!r}, n_samples={self.n_samples})"


class DecisionTreeClassifier:
    """A classification tree grown greedily with ``best_split``.

    ``fit`` starts from a root holding every sample (depth 0) and splits each node with the best split of
    its samples. A node becomes a leaf when

    - it is pure (one class),
    - its depth equals ``max_depth`` (so ``max_depth=1`` is a single split, a "stump"),
    - it has fewer than ``min_samples_split`` samples, or
    - ``best_split`` finds no split (every candidate feature is constant there).

    A leaf predicts the most common label of its training samples; on a tie, the first of ``classes_``.

    With ``max_features`` set, each node looks at only some features: it draws that many distinct
    candidate features (without replacement) from one generator, ``np.random.default_rng(random_state)``,
    made once per ``fit``, and runs ``best_split`` on those columns only (then maps the column back to
    its index in ``X``). This is what makes the trees of a random forest differ.

    Parameters
    ----------
    max_depth : int or None, default None
        The deepest a leaf may be; ``None`` grows until the leaves are pure.
    min_samples_split : int, default 2
        A node with fewer samples than this is not split.
    criterion : {"gini", "entropy"}, default "gini"
    max_features : int, "sqrt" or None, default None
        Candidate features per node: all (``None``), ``k``, or ``max(1, int(sqrt(n_features)))``.
    random_state : int or None, default None
        Seed for drawing the candidate features.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, sorted (``np.unique(y)``).
    n_features_in_ : int
    root_ : Node

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> tree = DecisionTreeClassifier(max_depth=1).fit(X, ["no", "no", "yes", "yes"])
    >>> tree.root_.feature, tree.root_.threshold, tree.predict([[1.5], [1.6]])
    (0, 1.5, array(['no', 'yes'], dtype='<U3'))
    >>> tree.get_depth(), tree.get_n_leaves()
    (1, 2)
    """

    def __init__(self, max_depth=None, min_samples_split=2, criterion="gini", max_features=None, random_state=None):
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.criterion = criterion
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X, y):
        """Learn ``classes_``, ``n_features_in_`` and the tree ``root_``; return ``self``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)
            Labels of any type.
        """
        # TODO 1: turn X into a 2-D float array and y into an array (never change the caller's arrays);
        #         raise ValueError for an unknown criterion or if y does not have one label per row.
        # TODO 2: learn classes_ (and each sample's position in it) and n_features_in_; work out how many
        #         candidate features each node gets: None -> all, "sqrt" -> max(1, int(sqrt(n_features))),
        #         an int k -> k (ValueError unless 1 <= k <= n_features).
        # TODO 3: make the generator once, grow the tree from the root (depth 0), and return self.
        raise NotImplementedError

    def _grow(self, X, y_index, depth, rng, n_candidates):
        """Build the subtree for the samples ``X`` (labels ``y_index``, positions in ``classes_``) at ``depth``.

        Returns the subtree's root ``Node``: a leaf if a stopping rule holds, else an inner node whose
        ``left`` and ``right`` are grown from the samples that go each way, at ``depth + 1``.
        """
        # TODO 1: make the node: value = the most common label (np.bincount over the positions, np.argmax
        #         picks the first of classes_ on a tie), n_samples = the number of samples.
        # TODO 2: return it as a leaf if it is pure, at max_depth, or has fewer than min_samples_split samples.
        # TODO 3: pick the candidate features (all, or n_candidates of them drawn without replacement and
        #         sorted) and find the best split on those columns; no split means a leaf.
        # TODO 4: store the feature (mapped back to a column of X) and threshold, grow the left child from
        #         the samples with X[:, feature] <= threshold and the right child from the others.
        raise NotImplementedError

    def predict(self, X):
        """Predicted labels: follow each sample from the root to a leaf and return the leaf's value.

        At an inner node, a sample with ``x[feature] <= threshold`` goes left, otherwise right.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features_in_)
            A different number of features than in ``fit`` raises ``ValueError``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), with the same values (and dtype) as ``classes_``.
        """
        # TODO 1: turn X into a 2-D float array; raise ValueError if its number of columns is not n_features_in_.
        # TODO 2: send the rows down the tree together: start with every row at the root; at an inner node,
        #         split its rows into those that go left (<= threshold) and right; at a leaf, write its value.
        # TODO 3: return the predicted labels.
        raise NotImplementedError

    def score(self, X, y):
        """Accuracy: the fraction of samples whose predicted label equals ``y``, as a float."""
        # TODO 1: compare predictions with y and return the mean as a float.
        raise NotImplementedError

    def get_depth(self):
        """The depth of the tree: the most questions asked on the way to a leaf (a single leaf: 0)."""
        # TODO 1: recursively, a leaf has depth 0 and an inner node 1 + the larger depth of its children.
        raise NotImplementedError

    def get_n_leaves(self):
        """The number of leaves of the tree (a single leaf: 1)."""
        # TODO 1: recursively, a leaf counts 1 and an inner node the sum of its children's counts.
        raise NotImplementedError
