"""Hidden suite for exercise 6, decision_tree.

What is judged, and why:

- ``gini`` and ``entropy`` against their formulas, edge cases included (empty, one class, float and string
  labels), because every later check leans on them.
- ``best_split`` against an exhaustive search over every feature and every midpoint. A split is judged by
  the partition it induces and its gain, never by one hard-coded answer: any threshold that sends the same
  samples left is accepted, and so is any other split with the same (largest) gain. Only the test about
  the documented tie rule asks for one particular split among equals.
- The tree by its behaviour (predictions on XOR-like data, iris, labels as given) and, where a rule is
  about the tree's shape (``max_depth``, ``min_samples_split``, the majority at each leaf, ``<=`` at a
  threshold, candidate features per node), by a copy of the learner's tree read through ``root_`` and the
  given ``Node`` attributes. The training samples are routed through that copy by the suite itself, so
  each node's samples, split and majority can be checked against the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from grader.learner import LearnerError, RemoteObject
from grader.support.checks import expect_array, expect_float, expect_unchanged, expect_value_error, fail, show
from grader.support.data import k_fold_indices, two_blobs, xor_data
from grader.support.datasets import load_dataset

GAIN_TOLERANCE = 1e-9


# --- reference impurities and splits -------------------------------------------------------------------

def impurity_of_counts(counts, criterion):
    """Impurity of class-count vectors (last axis: classes); empty counts give 0."""
    counts = np.asarray(counts, dtype=float)
    n = counts.sum(axis=-1, keepdims=True)
    p = counts / np.where(n > 0, n, 1.0)
    if criterion == "gini":
        return np.where(n[..., 0] > 0, 1.0 - np.sum(p**2, axis=-1), 0.0)
    logs = np.log2(np.where(p > 0, p, 1.0))
    return -np.sum(p * logs, axis=-1)


def class_counts(y, classes=None):
    y = np.asarray(y)
    classes = np.unique(y) if classes is None else classes
    return np.array([np.sum(y == c) for c in classes], dtype=float)


def reference_impurity(y, criterion):
    return float(impurity_of_counts(class_counts(y), criterion)) if len(y) else 0.0


def partition_gain(y, left, criterion, weighted=True):
    """Gain of sending ``y[left]`` left and the rest right (weighted by the children's shares)."""
    y, left = np.asarray(y), np.asarray(left, dtype=bool)
    classes = np.unique(y)
    parent = impurity_of_counts(class_counts(y, classes), criterion)
    il = impurity_of_counts(class_counts(y[left], classes), criterion)
    ir = impurity_of_counts(class_counts(y[~left], classes), criterion)
    if not weighted:
        return float(parent - (il + ir) / 2.0)
    share = left.mean()
    return float(parent - share * il - (1.0 - share) * ir)


@dataclass
class Candidates:
    """Every candidate split of (X, y): per feature, its midpoints and their gains."""

    features: list = field(default_factory=list)
    thresholds: list = field(default_factory=list)
    gains: list = field(default_factory=list)
    unweighted: list = field(default_factory=list)

    @property
    def empty(self):
        return not self.features

    def best_gain(self, weighted=True):
        return max(float(np.max(g)) for g in (self.gains if weighted else self.unweighted))

    def first_best(self):
        """(feature, threshold) of the documented winner: largest gain, then smallest feature and threshold."""
        best = self.best_gain()
        for feature, thresholds, gains in zip(self.features, self.thresholds, self.gains):
            good = np.flatnonzero(gains >= best - GAIN_TOLERANCE)
            if good.size:
                return feature, float(thresholds[good[0]])
        raise AssertionError("unreachable")


def candidate_splits(X, y, criterion="gini", features=None):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    classes, codes = np.unique(y, return_inverse=True)
    one_hot = np.eye(len(classes))[codes.ravel()]
    total = one_hot.sum(axis=0)
    parent = impurity_of_counts(total, criterion)
    n = len(y)
    result = Candidates()
    for feature in range(X.shape[1]) if features is None else features:
        values = np.unique(X[:, feature])
        if len(values) < 2:
            continue
        thresholds = (values[:-1] + values[1:]) / 2.0
        left = (X[None, :, feature] <= thresholds[:, None]).astype(float) @ one_hot
        right = total - left
        n_left = left.sum(axis=1)
        il, ir = impurity_of_counts(left, criterion), impurity_of_counts(right, criterion)
        result.features.append(feature)
        result.thresholds.append(thresholds)
        result.gains.append(parent - n_left / n * il - (n - n_left) / n * ir)
        result.unweighted.append(parent - (il + ir) / 2.0)
    return result


def is_integer(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def is_real(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)) \
        and np.isfinite(float(value))


def describe_split(X, feature, threshold):
    left = int(np.sum(X[:, feature] <= threshold))
    return f"feature {feature}, threshold {threshold:.6g} ({left} of {len(X)} samples go left)"


def judge_split(got, X, y, criterion, call):
    """``got`` must be a best split of (X, y): returns (feature, threshold, left mask)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    candidates = candidate_splits(X, y, criterion)
    if candidates.empty:
        if got is not None:
            fail(f"{call} returned {show(got)}; expected None: every feature is constant, so no split exists")
        return None
    best = candidates.best_gain()
    example = describe_split(X, *candidates.first_best())
    if got is None:
        if best <= GAIN_TOLERANCE:
            fail(f"{call} returned None; expected a split with gain 0 (e.g. {example}): every split has gain 0 here, "
                 "but the best one must still be returned — start from no best split (or a gain of -inf), not from 0")
        fail(f"{call} returned None; expected a split with gain {best:.6g}, e.g. {example}")
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        fail(f"{call} returned {show(got)}; expected a tuple (feature, threshold, gain)")
    feature, threshold, gain = got
    if not is_integer(feature) or not 0 <= int(feature) < X.shape[1]:
        fail(f"{call} returned feature {show(feature)}; expected an int column index from 0 to {X.shape[1] - 1}")
    if not is_real(threshold):
        fail(f"{call} returned threshold {show(threshold)}; expected a finite number")
    if not is_real(gain):
        fail(f"{call} returned gain {show(gain)}; expected a finite number")
    feature, threshold, gain = int(feature), float(threshold), float(gain)
    left = X[:, feature] <= threshold
    if left.all() or not left.any():
        side = "left" if left.all() else "right"
        fail(f"{call} returned feature {feature}, threshold {threshold:.6g}: X[:, {feature}] <= {threshold:.6g} sends every "
             f"sample {side}. A threshold must lie between two distinct values of the feature (use the midpoints)")
    true_gain = partition_gain(y, left, criterion)
    if true_gain < best - GAIN_TOLERANCE:
        message = (f"{call} returned {describe_split(X, feature, threshold)}, whose {criterion} gain is {true_gain:.6g}; "
                   f"the best split gains {best:.6g}, e.g. {example}")
        unweighted = partition_gain(y, left, criterion, weighted=False)
        strict = X[:, feature] < threshold
        if unweighted >= candidates.best_gain(weighted=False) - GAIN_TOLERANCE:
            message += (" — your split is the best for an unweighted average of the children's impurities: weigh each "
                        "child by its share of the samples, (n_left / n) * impurity(left) + (n_right / n) * impurity(right)")
        elif strict.any() and not strict.all() and partition_gain(y, strict, criterion) >= best - GAIN_TOLERANCE:
            message += (f" — with X[:, {feature}] < {threshold:.6g} your split would be the best: samples with a value equal "
                        "to the threshold go LEFT (<=); use midpoints between distinct values as thresholds")
        elif true_gain <= min(float(np.min(g)) for g in candidates.gains) + GAIN_TOLERANCE:
            message += " — this is the WORST split: keep the largest gain, not the smallest"
        fail(message)
    if abs(gain - true_gain) > 1e-9:
        message = (f"{call} returned {describe_split(X, feature, threshold)} with gain {gain:.6g}, but that split's "
                   f"{criterion} gain is {true_gain:.6g}")
        if abs(gain - partition_gain(y, left, criterion, weighted=False)) < 1e-9:
            message += " — the children's impurities must be weighted by n_left / n and n_right / n, not averaged"
        elif criterion == "entropy" and abs(gain - true_gain * np.log(2.0)) < 1e-9:
            message += " — that is the gain in nats: entropy is measured in bits (np.log2)"
        elif abs(gain + true_gain) < 1e-9:
            message += " — the sign is flipped: gain = impurity(parent) - weighted impurity of the children"
        fail(message)
    return feature, threshold, left


# --- a copy of the learner's tree ------------------------------------------------------------------------

@dataclass
class TreeNode:
    path: str
    depth: int
    value: object
    n_samples: object = None
    feature: int | None = None
    threshold: float | None = None
    left: TreeNode | None = None
    right: TreeNode | None = None

    @property
    def is_leaf(self):
        return self.left is None


@dataclass
class Tree:
    nodes: list  # pre-order; nodes[0] is the root

    @property
    def root(self):
        return self.nodes[0]

    @property
    def depth(self):
        return max(node.depth for node in self.nodes)

    @property
    def leaves(self):
        return [node for node in self.nodes if node.is_leaf]

    @property
    def inner(self):
        return [node for node in self.nodes if not node.is_leaf]

    def rows(self, X, strict=False):
        """Rows of X reaching each node (by id), routed with <= (or < if strict)."""
        X = np.asarray(X, dtype=float)
        reached = {}
        waiting = [(self.root, np.arange(len(X)))]
        while waiting:
            node, rows = waiting.pop()
            reached[id(node)] = rows
            if not node.is_leaf:
                values = X[rows, node.feature]
                left = values < node.threshold if strict else values <= node.threshold
                waiting += [(node.left, rows[left]), (node.right, rows[~left])]
        return reached

    def predict(self, X, strict=False):
        reached = self.rows(X, strict)
        out = [None] * len(X)
        for leaf in self.leaves:
            for row in reached[id(leaf)]:
                out[row] = leaf.value
        return out


def remote_attribute(node, name, path):
    try:
        return getattr(node, name)
    except LearnerError as error:
        if error.type_name == "AttributeError":
            fail(f"{path} has no attribute {name!r}; build the tree from the given Node class "
                 "(feature, threshold, left, right, value, n_samples)")
        raise


def read_tree(model, call, n_features, counts=False, down_to=None, limit=600):
    """Copy the learner's tree (root_ and the Node attributes) into local TreeNodes, checking its form.

    Each attribute is one request to the worker, so ``n_samples`` is read only with ``counts=True``, and
    ``down_to=d`` reads the nodes down to depth ``d`` only (0: the root alone, without its children).
    """
    try:
        root = model.root_
    except LearnerError as error:
        if error.type_name == "AttributeError":
            fail(f"after {call}, the model has no root_; fit must store the root Node of the tree in self.root_")
        raise
    if not isinstance(root, RemoteObject):
        fail(f"after {call}, root_ is {show(root)}; expected a Node (the given class) at the root of the tree")
    nodes = []
    waiting = [(root, "root_", 0, None, None)]
    while waiting:
        remote, path, depth, parent, side = waiting.pop()
        if len(nodes) >= limit:
            fail(f"after {call}, the tree has more than {limit} nodes; a tree for this small data set should be much smaller")
        if not isinstance(remote, RemoteObject):
            fail(f"after {call}, {path} is {show(remote)}; expected a Node or None")
        left, right = remote_attribute(remote, "left", path), remote_attribute(remote, "right", path)
        node = TreeNode(path, depth, remote_attribute(remote, "value", path))
        if counts:
            node.n_samples = remote_attribute(remote, "n_samples", path)
        if (left is None) != (right is None):
            fail(f"after {call}, {path} has only one child ({'left' if right is None else 'right'}): an inner node "
                 "needs both children, a leaf neither")
        if left is not None:
            feature, threshold = remote_attribute(remote, "feature", path), remote_attribute(remote, "threshold", path)
            if not is_integer(feature) or not 0 <= int(feature) < n_features:
                fail(f"after {call}, {path}.feature is {show(feature)}; expected a column index (int) from 0 to "
                     f"{n_features - 1}")
            if not is_real(threshold):
                fail(f"after {call}, {path}.threshold is {show(threshold)}; expected a finite number")
            node.feature, node.threshold = int(feature), float(threshold)
            if down_to is None or depth < down_to:
                waiting += [(right, f"{path}.right", depth + 1, node, "right"), (left, f"{path}.left", depth + 1, node, "left")]
        if parent is not None:
            setattr(parent, side, node)
        nodes.append(node)
    return Tree(nodes)


def majority(labels, classes):
    counts = class_counts(labels, classes)
    return classes.tolist()[int(np.argmax(counts))]


def describe_counts(labels, classes):
    return "{" + ", ".join(f"{c!r}: {int(k)}" for c, k in zip(classes.tolist(), class_counts(labels, classes))) + "}"


def check_leaf_values(tree, X, y, call):
    """Each leaf's value is the majority of the training samples that reach it (ties: first of classes_)."""
    classes = np.unique(y)
    reached = tree.rows(X)
    parents = {id(node.left): node for node in tree.inner} | {id(node.right): node for node in tree.inner}
    for leaf in tree.leaves:
        labels = y[reached[id(leaf)]]
        if len(labels) == 0:
            fail(f"after {call}, no training sample reaches {tree_path(leaf)}: every leaf should hold the samples that went its way")
        expected = majority(labels, classes)
        if leaf.value == expected:
            continue
        counts = class_counts(labels, classes)
        message = (f"after {call}, {tree_path(leaf)} predicts {leaf.value!r}, but the training samples that reach it "
                   f"have labels {describe_counts(labels, classes)}; expected {expected!r}")
        tied = classes[counts == counts.max()]
        parent = parents.get(id(leaf))
        if len(tied) > 1 and leaf.value in tied.tolist():
            message += (f" — on a tie between {tied.tolist()}, a leaf predicts the first of classes_ "
                        "(np.argmax over counts in classes_ order)")
        elif parent is not None and leaf.value == majority(y[reached[id(parent)]], classes):
            message += " — that is the parent's majority: each leaf predicts the majority of its OWN samples"
        elif leaf.value in classes.tolist() and counts[classes.tolist().index(leaf.value)] == counts.min():
            message += " — that is the least common label: take np.argmax of the counts, not np.argmin"
        fail(message)


def tree_path(node):
    return f"the node at {node.path} (depth {node.depth})"


def check_node_split(node, X, y, call, criterion="gini", features=None, why=""):
    """``node`` splits its training samples (X, y) by a best split of them (among ``features`` if given)."""
    left = X[:, node.feature] <= node.threshold
    if left.all() or not left.any():
        fail(f"after {call}, {tree_path(node)} asks x[{node.feature}] <= {node.threshold:.6g}, which sends all of "
             f"its {len(y)} training samples one way; a split must separate them")
    candidates = candidate_splits(X, y, criterion, features)
    gain, best = partition_gain(y, left, criterion), candidates.best_gain()
    if gain >= best - GAIN_TOLERANCE:
        return
    among = "" if features is None else f" on feature{'s' if len(features) > 1 else ''} {', '.join(map(str, features))}"
    message = (f"after {call}, {tree_path(node)} splits its {len(y)} training samples by x[{node.feature}] <= "
               f"{node.threshold:.6g}, a {criterion} gain of {gain:.6g}; the best split of those samples{among} gains "
               f"{best:.6g} ({describe_split(X, *candidates.first_best())})")
    other = "entropy" if criterion == "gini" else "gini"
    if partition_gain(y, left, criterion, weighted=False) >= candidates.best_gain(weighted=False) - GAIN_TOLERANCE:
        message += " — the children's impurities must be weighted by their share of the samples"
    elif partition_gain(y, left, other) >= candidate_splits(X, y, other, features).best_gain() - GAIN_TOLERANCE:
        message += f" — that is the best {other.upper()} split: pass the tree's criterion on to best_split"
    elif why:
        message += f" — {why}"
    fail(message)


def check_splits_are_best(tree, X, y, call, criterion="gini"):
    """Every inner node splits its own samples by a best split of them."""
    reached = tree.rows(X)
    for node in tree.inner:
        rows = reached[id(node)]
        check_node_split(node, X[rows], y[rows], call, criterion)


def fit_tree(learner, X, y, **params):
    call = f"DecisionTreeClassifier({', '.join(f'{k}={v!r}' for k, v in params.items())}).fit(X, y)"
    return learner.DecisionTreeClassifier(**params).fit(X, y), call


def noisy_labels(rng, X, n_classes=2, noise=0.25):
    """Labels that depend on several features, with some flipped at random (trees must grow deep)."""
    score = X[:, 0] + np.sin(2 * X[:, 1]) + (0.5 * X[:, 2] if X.shape[1] > 2 else 0.0)
    edges = np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1])
    labels = np.searchsorted(edges, score)
    flip = rng.uniform(size=len(X)) < noise
    return np.where(flip, rng.integers(0, n_classes, size=len(X)), labels)


# --- impurities ------------------------------------------------------------------------------------------

def impurity_cases(rng):
    return [
        ("random ints", rng.integers(0, 3, size=17)),
        ("two classes", rng.permutation(np.arange(10) % 2 + 4)),
        ("one class", np.full(6, 7)),
        ("empty", np.array([], dtype=float)),
        ("float labels", rng.choice([0.5, 1.5, 2.5, 3.5], size=13)),
        ("strings", rng.choice(["cat", "dog", "emu"], size=11)),
        ("one string", np.array(["solo"])),
    ]


@pytest.mark.points(1)
def test_gini(learner, rng):
    """gini(y) is 1 - sum_k p_k**2 for labels of any type; 0.0 for one class or an empty y"""
    for name, y in impurity_cases(rng):
        call = f"gini(y) for y = {y.tolist()} ({name})"
        got = expect_float(learner.gini(y), call)
        expected = reference_impurity(y, "gini")
        if abs(got - expected) <= 1e-12:
            continue
        message = f"{call} returned {got:.6g}; expected {expected:.6g}"
        p = class_counts(y) / max(len(y), 1)
        if len(y) and abs(got - np.sum(p**2)) < 1e-12:
            message += " — that is sum(p ** 2): the Gini impurity is 1 - sum(p ** 2)"
        elif len(y) and abs(got - (1 - np.sum(class_counts(y) ** 2))) < 1e-9:
            message += " — use the proportions p = counts / len(y), not the counts"
        elif not len(y):
            message += " — an empty y has impurity 0.0"
        fail(message)


@pytest.mark.points(1)
def test_entropy(learner, rng):
    """entropy(y) is -sum_k p_k * log2(p_k) in bits, for labels of any type; 0.0 for one class or an empty y"""
    for name, y in impurity_cases(rng):
        call = f"entropy(y) for y = {y.tolist()} ({name})"
        got = expect_float(learner.entropy(y), call)
        expected = reference_impurity(y, "entropy")
        if abs(got - expected) <= 1e-12:
            continue
        message = f"{call} returned {got:.6g}; expected {expected:.6g}"
        if expected and abs(got - expected * np.log(2.0)) < 1e-9:
            message += " — that is the natural log: entropy is in bits, use np.log2"
        elif expected and abs(got - expected * np.log10(2.0)) < 1e-9:
            message += " — that is log10: entropy is in bits, use np.log2"
        elif expected and abs(got + expected) < 1e-9:
            message += " — the sign is flipped: entropy is MINUS sum(p * log2(p))"
        elif not len(y):
            message += " — an empty y has entropy 0.0"
        fail(message)


# --- best_split ------------------------------------------------------------------------------------------

@pytest.mark.points(3)
def test_best_split_is_optimal(learner, rng):
    """best_split finds a split with the largest gain (checked against every feature and every midpoint)"""
    label_sets = [np.array([0, 1, 2]), np.array(["no", "yes", "maybe"]), np.array([-1.5, 0.5, 2.0])]
    for trial in range(36):
        n, n_features = int(rng.integers(5, 21)), int(rng.integers(1, 4))
        columns = [rng.integers(0, 4, size=n).astype(float) if rng.uniform() < 0.5 else np.round(rng.normal(size=n), 1)
                   for _ in range(n_features)]
        X = np.column_stack(columns)
        labels = label_sets[(trial // 4) % 3][: 2 + (trial // 2) % 2]
        y = labels[rng.integers(0, len(labels), size=n)]
        if trial % 2 == 0:
            got = learner.best_split(X, y)
            criterion = "gini"
        else:
            got = learner.best_split(X, y, criterion="entropy")
            criterion = "entropy"
        call = (f"best_split(X, y{', criterion=' + repr(criterion) if criterion == 'entropy' else ''}) for X of shape "
                f"{X.shape} (X = {X.tolist()}, y = {y.tolist()})")
        judge_split(got, X, y, criterion, call)


@pytest.mark.points(1)
def test_best_split_tie_rule(learner, rng):
    """on equal gains best_split keeps the smallest feature index, then the smallest threshold"""
    # Two identical columns: every split of feature 1 has a twin in feature 0 with the same gain.
    n = 12
    column = rng.normal(size=n)
    cut = np.sort(column)[int(rng.integers(2, n - 2))]
    y = (column > cut).astype(int)
    X = np.column_stack([column, column])
    call = f"best_split(X, y) with two identical columns (X = {np.round(X, 3).tolist()}, y = {y.tolist()})"
    feature, _, _ = judge_split(learner.best_split(X, y), X, y, "gini", call)
    if feature != 0:
        fail(f"{call} returned feature {feature}; expected feature 0: both columns give the same gain, and a tie goes "
             "to the smallest feature index (replace the best split only when a gain is larger by more than ~1e-12)")
    # Labels a, b, b, a along one feature: cutting after the first or before the last sample gain the same.
    values = np.sort(rng.uniform(-3, 3, size=4))
    order = rng.permutation(4)
    X = values[order][:, None]
    y = np.array([0, 1, 1, 0])[order]
    call = f"best_split(X, y) for X = {np.round(X, 4).tolist()}, y = {y.tolist()}"
    _, threshold, left = judge_split(learner.best_split(X, y), X, y, "gini", call)
    if left.sum() != 1:
        fail(f"{call} returned threshold {threshold:.6g}; expected the smaller of the two equally good thresholds, "
             f"{(values[0] + values[1]) / 2:.6g} and {(values[2] + values[3]) / 2:.6g}: a tie goes to the smallest threshold")


@pytest.mark.points(1)
def test_best_split_edge_cases(learner, rng):
    """best_split returns a split of gain 0 if that is the best, None when nothing can be split, and rejects unknown criteria"""
    s = float(rng.uniform(0.5, 2.0))
    X = np.array([[-s, -s], [-s, s], [s, -s], [s, s]])
    y = np.array([0, 1, 1, 0])
    judge_split(learner.best_split(X, y), X, y, "gini", f"best_split(X, y) on the four corners of a square with XOR labels "
                f"(X = {X.tolist()}, y = {y.tolist()}; every split has gain 0)")
    constant = np.full((5, 2), float(rng.integers(1, 9)))
    got = learner.best_split(constant, np.array([0, 1, 0, 1, 1]))
    if got is not None:
        fail(f"best_split(X, y) with every feature constant returned {show(got)}; expected None (no threshold separates equal values)")
    got = learner.best_split(rng.normal(size=(1, 3)), np.array([1]))
    if got is not None:
        fail(f"best_split(X, y) with a single sample returned {show(got)}; expected None (fewer than 2 samples)")
    X, y = rng.normal(size=(8, 2)), np.arange(8) % 2
    expect_value_error(lambda: learner.best_split(X, y, criterion="misclassification"),
                       "best_split(X, y, criterion='misclassification')", "(criterion must be 'gini' or 'entropy')")


# --- the tree --------------------------------------------------------------------------------------------

@pytest.mark.points(1)
def test_fit_returns_self_and_learns_attributes(learner, rng):
    """fit returns the model itself with classes_, n_features_in_ and a tree root_ whose nodes count their samples"""
    X, y = two_blobs(rng, 40, 3, separation=2.0)
    model = learner.DecisionTreeClassifier()
    returned = model.fit(X, y)
    if returned is not model:
        fail(f"DecisionTreeClassifier().fit(X, y) returned {returned!r}; expected the model itself (end fit with `return self`)")
    classes = model.classes_
    if not isinstance(classes, np.ndarray) or classes.tolist() != [0, 1]:
        fail(f"after fit, classes_ is {show(classes)}; expected np.unique(y) = array([0, 1])")
    n_features = model.n_features_in_
    if not is_integer(n_features) or n_features != 3:
        fail(f"after fit on X of shape (40, 3), n_features_in_ is {show(n_features)}; expected 3")
    call = "DecisionTreeClassifier().fit(X, y)"
    tree = read_tree(model, call, 3, counts=True)
    reached = tree.rows(X)
    for node in tree.nodes:
        count = len(reached[id(node)])
        if not is_integer(node.n_samples) or node.n_samples != count:
            fail(f"after {call}, {tree_path(node)} has n_samples = {show(node.n_samples)}, but {count} training samples "
                 "reach it; n_samples is the number of training samples at the node")
    for leaf in tree.leaves:
        labels = y[reached[id(leaf)]]
        if len(np.unique(labels)) > 1:
            fail(f"after {call} (no depth limit), {tree_path(leaf)} is a leaf but its training samples have labels "
                 f"{describe_counts(labels, np.unique(y))}; without limits, grow until every leaf is pure")


@pytest.mark.points(2)
def test_every_node_uses_the_best_split(learner, rng):
    """every inner node splits the training samples that reach it by their best split; no node stops early"""
    X = rng.normal(size=(70, 3))
    y = noisy_labels(rng, X, n_classes=3)
    for criterion in ("gini", "entropy"):
        model, call = fit_tree(learner, X, y, max_depth=4, criterion=criterion)
        tree = read_tree(model, call, 3)
        check_splits_are_best(tree, X, y, call, criterion)
        reached = tree.rows(X)
        for leaf in tree.leaves:
            labels = y[reached[id(leaf)]]
            if leaf.depth < 4 and len(np.unique(labels)) > 1 and len(labels) >= 2:
                fail(f"after {call}, {tree_path(leaf)} is a leaf, but its {len(labels)} training samples have labels "
                     f"{describe_counts(labels, np.unique(y))} and it is shallower than max_depth = 4: it should have been split")


@pytest.mark.points(2)
def test_max_depth_is_honoured(learner, rng):
    """with max_depth=d no leaf is deeper than d (the root has depth 0) and the tree does reach depth d"""
    X = rng.normal(size=(60, 2))
    y = rng.integers(0, 2, size=60)  # random labels: the tree always wants to grow deeper
    for max_depth in (1, 2, 3):
        model, call = fit_tree(learner, X, y, max_depth=max_depth)
        tree = read_tree(model, call, 2)
        if tree.depth > max_depth:
            deepest = max(tree.nodes, key=lambda node: node.depth)
            fail(f"after {call}, the tree has depth {tree.depth} ({deepest.path}); expected at most {max_depth}. "
                 f"{'One level too deep: ' if tree.depth == max_depth + 1 else ''}the root has depth 0, and a node "
                 "whose depth equals max_depth becomes a leaf (max_depth=1 is a single split)")
        if tree.depth < max_depth:
            fail(f"after {call} on data with random labels, the tree has depth {tree.depth}; expected {max_depth}: "
                 "a node is a leaf when its depth EQUALS max_depth, not before")
        prediction = model.predict(X)
        expect_array(prediction, f"{call}.predict(X)", (60,))
        if prediction.tolist() != tree.predict(X):
            fail(f"{call}.predict(X) does not follow the tree in root_: each sample must go from the root to a leaf "
                 "(left when x[feature] <= threshold) and get that leaf's value")
    model, call = fit_tree(learner, X, y, max_depth=None)
    if model.score(X, y) != 1.0:
        fail(f"{call}.score(X, y) is {model.score(X, y)}; expected 1.0: with max_depth=None the tree grows until every leaf is pure")


@pytest.mark.points(1)
def test_min_samples_split_is_honoured(learner, rng):
    """a node with fewer than min_samples_split samples is a leaf; one with exactly that many is split"""
    n = int(rng.integers(12, 20))
    X = rng.normal(size=(n, 2))
    y = np.arange(n) % 2
    model, call = fit_tree(learner, X, y, min_samples_split=n)
    tree = read_tree(model, call, 2)
    if tree.root.is_leaf:
        fail(f"after {call} with {n} samples of two classes, the root is a leaf; expected a split: a node with "
             "n_samples >= min_samples_split is split (only nodes with FEWER samples become leaves)")
    model, call = fit_tree(learner, X, y, min_samples_split=n + 1)
    tree = read_tree(model, call, 2)
    if not tree.root.is_leaf:
        fail(f"after {call} with {n} samples, the root was split; expected a single leaf (fewer than min_samples_split samples)")
    X = rng.normal(size=(50, 2))
    y = noisy_labels(rng, np.column_stack([X, X[:, :1]]), n_classes=2, noise=0.3)
    for minimum in (6, 10):
        model, call = fit_tree(learner, X, y, min_samples_split=minimum)
        tree = read_tree(model, call, 2)
        reached = tree.rows(X)
        for node in tree.nodes:
            count = len(reached[id(node)])
            labels = y[reached[id(node)]]
            if not node.is_leaf and count < minimum:
                fail(f"after {call}, {tree_path(node)} was split with only {count} training samples; nodes with fewer "
                     f"than {minimum} samples must be leaves")
            if node.is_leaf and count >= minimum and len(np.unique(labels)) > 1:
                fail(f"after {call}, {tree_path(node)} is a leaf with {count} training samples of both classes; "
                     f"expected a split (it has at least min_samples_split = {minimum} samples)")


@pytest.mark.points(2)
def test_leaf_predicts_majority(learner, rng):
    """each leaf predicts the most common label of its training samples; on a tie, the first of classes_"""
    # A single leaf (min_samples_split above n): the prediction is the label that occurs most.
    for counts in ({"cat": 4, "bee": 4, "ant": 2}, {"ant": 2, "bee": 3, "cat": 5}):
        y = np.array(rng.permutation([label for label, k in counts.items() for _ in range(k)]))
        first = max(counts, key=counts.get)  # y starts with "cat": taking the first label seen is caught
        y = np.concatenate([[first], np.delete(y, np.flatnonzero(y == first)[0])])
        X = rng.normal(size=(len(y), 2))
        tied = sorted(label for label, k in counts.items() if k == max(counts.values()))
        expected = tied[0]
        model, call = fit_tree(learner, X, y, min_samples_split=len(y) + 1)
        prediction = expect_array(model.predict(X[:3]), f"{call}.predict(X[:3])", (3,), numeric=False)
        if prediction.tolist() != [expected] * 3:
            message = (f"{call} with labels {dict(sorted(counts.items()))} is a single leaf; predict returned {show(prediction)}; "
                       f"expected {expected!r} everywhere")
            if len(tied) > 1:
                message += (f" — on a tie between {tied}, predict the first of classes_ (np.argmax over the counts in "
                            "classes_ order; not the first label seen in y, nor the last class)")
            fail(message)
    # Deeper trees: every leaf's value against the samples that reach it.
    for trial in range(3):
        X = rng.normal(size=(50, 2))
        y = np.array(["left", "middle", "right"])[noisy_labels(rng, np.column_stack([X, X[:, :1]]), n_classes=3, noise=0.4)]
        model, call = fit_tree(learner, X, y, max_depth=2)
        check_leaf_values(read_tree(model, call, 2), X, y, call)


@pytest.mark.points(2)
def test_threshold_sends_ties_left(learner, rng):
    """a sample exactly at a node's threshold goes left (x[feature] <= threshold)"""
    X = rng.normal(size=(60, 2))
    y = rng.integers(0, 2, size=60)
    model, call = fit_tree(learner, X, y, max_depth=3)
    tree = read_tree(model, call, 2)
    reached = tree.rows(X)
    queries = []
    for node in tree.inner:  # points of this node moved onto its threshold still reach it
        rows = reached[id(node)]
        moved = X[rows[: max(1, len(rows) // 4)]].copy()
        moved[:, node.feature] = node.threshold
        queries.append(moved)
    Q = np.vstack(queries)
    expected = tree.predict(Q)
    got = expect_array(model.predict(Q), f"{call}.predict(Q)", (len(Q),))
    if got.tolist() != expected:
        wrong = int(np.argmax([g != e for g, e in zip(got.tolist(), expected)]))
        message = (f"after {call}, predict(Q) for points exactly at a node's threshold does not follow the tree: for "
                   f"{show(Q[wrong])} it returned {got[wrong]!r}; the tree in root_ gives {expected[wrong]!r}")
        if got.tolist() == tree.predict(Q, strict=True):
            message += " — samples with x[feature] == threshold must go LEFT: use <=, not <"
        fail(message)


@pytest.mark.points(1)
def test_labels_come_back_as_given(learner, rng):
    """classes_ holds the labels as given (strings, -1/1, floats) and predict returns them"""
    X = rng.normal(size=(40, 2))
    codes = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 0] > 1).astype(int)
    for values in (np.array(["ham", "spam", "tofu"]), np.array([-1, 1, 7]), np.array([0.25, 1.5, 2.75])):
        y = values[codes]
        model, call = fit_tree(learner, X, y)
        classes = model.classes_
        if not isinstance(classes, np.ndarray) or classes.tolist() != np.unique(y).tolist():
            fail(f"with labels {np.unique(y).tolist()}, classes_ is {show(classes)}; expected np.unique(y) = {np.unique(y).tolist()}")
        prediction = expect_array(model.predict(X), f"{call}.predict(X) with labels {np.unique(y).tolist()}", (40,), numeric=False)
        if prediction.tolist() != y.tolist():
            if not set(prediction.tolist()) <= set(y.tolist()):
                fail(f"with labels {np.unique(y).tolist()}, predict(X) returned {show(prediction)}; expected labels from "
                     "classes_ (a leaf's value is a label, e.g. classes_[np.argmax(counts)], not a class index)")
            fail(f"with labels {np.unique(y).tolist()} and no depth limit, predict(X_train) returned {show(prediction)}; "
                 f"expected the training labels back, {show(y)}")


@pytest.mark.points(2)
def test_xor_like_data(learner, rng):
    """without a depth limit, the tree fits XOR-like data perfectly, even where no single cut helps"""
    X, y = xor_data(rng, 200)
    model, call = fit_tree(learner, X, y)
    accuracy = expect_float(model.score(X, y), f"{call}.score(X, y) on XOR-like data")
    if accuracy != 1.0:
        fail(f"{call}.score(X, y) on XOR-like data (label 1 where exactly one coordinate is positive) is {accuracy:.3f}; "
             "expected 1.0 (no depth limit: grow until every leaf is pure)")
    s = float(rng.uniform(0.5, 2.0))
    X = np.repeat([[-s, -s], [-s, s], [s, -s], [s, s]], 3, axis=0)  # each feature has one cut, of gain exactly 0
    y = np.repeat([0, 1, 1, 0], 3)
    model, call = fit_tree(learner, X, y)
    accuracy = expect_float(model.score(X, y), f"{call}.score(X, y) on the four corners of a square with XOR labels")
    if accuracy != 1.0:
        fail(f"{call}.score(X, y) on the four corners of a square with XOR labels is {accuracy:.3f}; expected 1.0. The "
             "root's best split has gain 0 there, yet it must be made (best_split returns it): the children can then be split")


@pytest.mark.points(2)
def test_iris(learner, rng):
    """on the iris data, 10-fold cross-validated accuracy is at least 0.9"""
    data = load_dataset("iris")
    correct = 0
    for train, test in k_fold_indices(rng, len(data.target), 10):  # the reference scores 0.91-0.97
        model = learner.DecisionTreeClassifier().fit(data.data[train], data.target[train])
        prediction = expect_array(model.predict(data.data[test]), "predict(X_test) on the iris data", (len(test),))
        correct += int(np.sum(prediction == data.target[test]))
    accuracy = correct / len(data.target)
    if accuracy < 0.9:
        fail(f"DecisionTreeClassifier() reached a cross-validated accuracy of {accuracy:.3f} on the iris data (each "
             "flower predicted once, by a tree that did not see it); expected at least 0.9")


@pytest.mark.points(1)
def test_entropy_criterion(learner, rng):
    """criterion="entropy" splits by the entropy gain; an unknown criterion is a ValueError"""
    for _ in range(500):  # data on which gini and entropy prefer different root splits
        X = np.round(rng.normal(size=(14, 2)), 1)
        y = rng.integers(0, 3, size=14)
        gini_split = candidate_splits(X, y, "gini")
        entropy_split = candidate_splits(X, y, "entropy")
        feature, threshold = gini_split.first_best()
        if partition_gain(y, X[:, feature] <= threshold, "entropy") < entropy_split.best_gain() - 1e-6:
            break
    model, call = fit_tree(learner, X, y, criterion="entropy", max_depth=1)
    tree = read_tree(model, call, 2)
    if tree.root.is_leaf:
        fail(f"after {call} on 14 samples of three classes, the root is a leaf; expected one split")
    check_node_split(tree.root, X, y, call, "entropy")
    expect_value_error(lambda: learner.DecisionTreeClassifier(criterion="misclassification").fit(X, y),
                       "DecisionTreeClassifier(criterion='misclassification').fit(X, y)",
                       "(criterion must be 'gini' or 'entropy')")


@pytest.mark.points(2)
def test_max_features_and_random_state(learner, rng):
    """max_features draws candidate features at every node from random_state: same seed, same tree"""
    X = rng.normal(size=(80, 5))
    y = noisy_labels(rng, X, n_classes=3, noise=0.2)
    X_new = rng.normal(size=(200, 5))

    def predictions(**params):
        model, call = fit_tree(learner, X, y, max_depth=4, **params)
        return model, call, expect_array(model.predict(X_new), f"{call}.predict(X_new)", (200,))

    # max_features=None searches every feature: random_state changes nothing, and the root is the best split.
    model, call, reference = predictions(max_features=None, random_state=None)
    _, other_call, other = predictions(max_features=None, random_state=0)
    if other.tolist() != reference.tolist():
        fail(f"{other_call} predicts differently from {call}: with max_features=None every node searches all "
             "features, so random_state must not matter")
    root = read_tree(model, call, 5, down_to=0).root
    if root.feature is None:
        fail(f"after {call}, the root is a leaf; expected a split (80 samples of three classes)")
    check_node_split(root, X, y, call, why="max_features=None means every feature is a candidate at every node")
    # The same seed gives the same tree (random_state=0 is a seed like any other); different seeds differ.
    _, call, first = predictions(max_features=2, random_state=0)
    _, _, again = predictions(max_features=2, random_state=0)
    if first.tolist() != again.tolist():
        fail(f"two fits of {call} predict differently; the same random_state must give the same tree (make one "
             "generator per fit with np.random.default_rng(self.random_state), and never `if self.random_state:`)")
    others = [predictions(max_features=2, random_state=seed)[2].tolist() for seed in (1, 2)]
    if others[0] == others[1] == first.tolist():
        fail("DecisionTreeClassifier(max_depth=4, max_features=2) with random_state 0, 1 and 2 gives three identical "
             "trees; each node should search only 2 features drawn at random from the generator")
    sqrt_call, by_sqrt = predictions(max_features="sqrt", random_state=0)[1:]
    if by_sqrt.tolist() != first.tolist():
        fail(f"{sqrt_call} and {call} predict differently; with 5 features, 'sqrt' means max(1, int(sqrt(5))) = 2 "
             "candidate features per node")
    # max_features=1: each node draws its own feature and splits it at that feature's best threshold.
    model, call = fit_tree(learner, X, y, max_depth=4, max_features=1, random_state=int(rng.integers(1000)))
    tree = read_tree(model, call, 5)
    reached = tree.rows(X)
    for node in tree.inner:
        rows = reached[id(node)]
        check_node_split(node, X[rows], y[rows], call, features=[node.feature],
                         why="best_split sees only the drawn columns, X[:, features]: map the column it returns back "
                             "to a feature of X (features[column])")

    used = {node.feature for node in tree.inner}
    if len(tree.inner) >= 4 and len(used) == 1:
        fail(f"after {call}, all {len(tree.inner)} splits use feature {used.pop()}; with max_features=1 every node draws "
             "its own candidate feature (draw at each node, not once per tree)")


@pytest.mark.points(1)
def test_inputs_unchanged_and_errors(learner, worker, rng):
    """fit leaves X and y unchanged and accepts lists; score is the accuracy; a wrong number of features is a ValueError"""
    X, y = two_blobs(rng, 50, 3, separation=2.0)
    X_stored, y_stored = worker.put(X), worker.put(y)
    model = learner.DecisionTreeClassifier(max_depth=3).fit(X_stored, y_stored)
    expect_unchanged(X, worker.fetch(X_stored), "DecisionTreeClassifier(max_depth=3).fit(X, y)", "X")
    expect_unchanged(y, worker.fetch(y_stored), "DecisionTreeClassifier(max_depth=3).fit(X, y)", "y")
    X_test, y_test = rng.normal(size=(30, 3)), rng.integers(0, 2, size=30)
    prediction = expect_array(model.predict(X_test), "predict(X_test)", (30,))
    from_lists = learner.DecisionTreeClassifier(max_depth=3).fit(X.tolist(), y.tolist())
    if from_lists.predict(X_test.tolist()).tolist() != prediction.tolist():
        fail("DecisionTreeClassifier(max_depth=3) fitted on X and y as plain lists predicts differently from the same "
             "tree fitted on arrays; turn inputs into arrays with np.asarray")
    score = expect_float(model.score(X_test, y_test), "score(X_test, y_test)")
    if abs(score - np.mean(prediction == y_test)) > 1e-12:
        fail(f"score(X_test, y_test) returned {score:.6g}; expected the accuracy {np.mean(prediction == y_test):.6g} "
             "(the fraction of correct predictions)")
    expect_value_error(lambda: model.predict(rng.normal(size=(4, 2))), "predict(X) with 2 features on a tree fitted with 3",
                       "(compare X.shape[1] with n_features_in_)")


@pytest.mark.points(1)
def test_depth_and_leaf_count(learner, rng):
    """get_depth and get_n_leaves describe the fitted tree (a single leaf: depth 0, one leaf)"""
    X = rng.normal(size=(30, 2))
    y = noisy_labels(rng, np.column_stack([X, X[:, :1]]), n_classes=2, noise=0.2)
    for max_depth in (2, None):
        model, call = fit_tree(learner, X, y, max_depth=max_depth)
        tree = read_tree(model, call, 2)
        for name, expected in (("get_depth", tree.depth), ("get_n_leaves", len(tree.leaves))):
            got = getattr(model, name)()
            if not is_integer(got) or got != expected:
                fail(f"{call}.{name}() returned {show(got)}; expected {expected} (the tree in root_ has depth "
                     f"{tree.depth} and {len(tree.leaves)} leaves; the root has depth 0)")
    model, call = fit_tree(learner, X, np.full(30, "same"))
    depth, leaves = model.get_depth(), model.get_n_leaves()
    if (depth, leaves) != (0, 1):
        fail(f"{call} with one class everywhere: get_depth() = {show(depth)}, get_n_leaves() = {show(leaves)}; "
             "expected 0 and 1 (the root is a pure leaf)")
