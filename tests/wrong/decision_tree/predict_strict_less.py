"""Mistake: predict sends a sample left only when x[feature] < threshold, so a sample exactly at the threshold goes right."""

import numpy as np

def gini(y):
    y = np.asarray(y)
    if y.size == 0:
        return 0.0
    _, counts = np.unique(y, return_counts=True)
    p = counts / y.size
    return float(1.0 - np.sum(p ** 2))

def entropy(y):
    y = np.asarray(y)
    if y.size == 0:
        return 0.0
    _, counts = np.unique(y, return_counts=True)
    p = counts / y.size
    return float(np.sum(p * np.log2(1.0 / p)))

def best_split(X, y, criterion='gini'):
    if criterion not in ('gini', 'entropy'):
        raise ValueError(f"criterion must be 'gini' or 'entropy'; got {criterion!r}")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    n_samples, n_features = X.shape
    if n_samples < 2:
        return None
    _, y_index = np.unique(y, return_inverse=True)
    one_hot = np.eye(y_index.max() + 1)[y_index.ravel()]

    def impurity(counts):
        p = counts / counts.sum(axis=1, keepdims=True)
        if criterion == 'gini':
            return 1.0 - np.sum(p ** 2, axis=1)
        log_p = np.log2(p, out=np.zeros_like(p), where=p > 0)
        return -np.sum(p * log_p, axis=1)
    total = one_hot.sum(axis=0)
    parent = impurity(total[None, :])[0]
    best, tolerance = (None, 1e-12)
    for feature in range(n_features):
        order = np.argsort(X[:, feature], kind='stable')
        values = X[order, feature]
        can_split = values[1:] > values[:-1]
        if not can_split.any():
            continue
        left = np.cumsum(one_hot[order], axis=0)[:-1][can_split]
        right = total - left
        n_left = left.sum(axis=1)
        gains = parent - n_left / n_samples * impurity(left) - (n_samples - n_left) / n_samples * impurity(right)
        thresholds = (values[:-1][can_split] + values[1:][can_split]) / 2.0
        i = np.flatnonzero(gains >= gains.max() - tolerance)[0]
        if best is None or gains[i] > best[2] + tolerance:
            best = (feature, float(thresholds[i]), float(gains[i]))
    return best

class Node:

    def __init__(self, value, n_samples, feature=None, threshold=None, left=None, right=None):
        self.value = value
        self.n_samples = n_samples
        self.feature = feature
        self.threshold = threshold
        self.left = left
        self.right = right

    @property
    def is_leaf(self):
        return self.left is None and self.right is None

    def __repr__(self):
        if self.is_leaf:
            return f'Node(leaf, value={self.value!r}, n_samples={self.n_samples})'
        return f'Node(x[{self.feature}] <= {self.threshold:.4g}, value={self.value!r}, n_samples={self.n_samples})'

class DecisionTreeClassifier:

    def __init__(self, max_depth=None, min_samples_split=2, criterion='gini', max_features=None, random_state=None):
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.criterion = criterion
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        if self.criterion not in ('gini', 'entropy'):
            raise ValueError(f"criterion must be 'gini' or 'entropy'; got {self.criterion!r}")
        if X.ndim != 2 or y.shape != (X.shape[0],):
            raise ValueError(f'X must have shape (n_samples, n_features) and y (n_samples,); got {X.shape} and {y.shape}')
        self.classes_, y_index = np.unique(y, return_inverse=True)
        self.n_features_in_ = X.shape[1]
        if self.max_features is None:
            n_candidates = self.n_features_in_
        elif self.max_features == 'sqrt':
            n_candidates = max(1, int(np.sqrt(self.n_features_in_)))
        else:
            n_candidates = int(self.max_features)
        if not 1 <= n_candidates <= self.n_features_in_:
            raise ValueError(f'max_features must be between 1 and {self.n_features_in_}; got {self.max_features!r}')
        rng = np.random.default_rng(self.random_state)
        self.root_ = self._grow(X, y_index.ravel(), 0, rng, n_candidates)
        return self

    def _grow(self, X, y_index, depth, rng, n_candidates):
        counts = np.bincount(y_index, minlength=len(self.classes_))
        node = Node(value=self.classes_[np.argmax(counts)], n_samples=len(y_index))
        if counts.max() == len(y_index) or (self.max_depth is not None and depth >= self.max_depth) or len(y_index) < self.min_samples_split:
            return node
        features = np.arange(X.shape[1])
        if n_candidates < X.shape[1]:
            features = np.sort(rng.choice(X.shape[1], size=n_candidates, replace=False))
        split = best_split(X[:, features], y_index, self.criterion)
        if split is None:
            return node
        column, threshold, _ = split
        node.feature, node.threshold = (int(features[column]), threshold)
        goes_left = X[:, node.feature] <= threshold
        node.left = self._grow(X[goes_left], y_index[goes_left], depth + 1, rng, n_candidates)
        node.right = self._grow(X[~goes_left], y_index[~goes_left], depth + 1, rng, n_candidates)
        return node

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(f'X must have {self.n_features_in_} features (as in fit); got shape {X.shape}')
        y_pred = np.empty(X.shape[0], dtype=self.classes_.dtype)
        waiting = [(self.root_, np.arange(X.shape[0]))]
        while waiting:
            node, rows = waiting.pop()
            if node.is_leaf:
                y_pred[rows] = node.value
                continue
            goes_left = X[rows, node.feature] < node.threshold
            waiting.append((node.left, rows[goes_left]))
            waiting.append((node.right, rows[~goes_left]))
        return y_pred

    def score(self, X, y):
        return float(np.mean(self.predict(X) == np.asarray(y)))

    def get_depth(self):

        def depth(node):
            return 0 if node.is_leaf else 1 + max(depth(node.left), depth(node.right))
        return depth(self.root_)

    def get_n_leaves(self):

        def n_leaves(node):
            return 1 if node.is_leaf else n_leaves(node.left) + n_leaves(node.right)
        return n_leaves(self.root_)
