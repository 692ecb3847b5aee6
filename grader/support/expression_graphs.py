"""Scalar expression graphs for the autograd suite: one recipe, evaluated twice.

A *recipe* is plain data that crosses the worker boundary as it is: the leaves' values (a list of floats)
and a list of *steps*, each a list ``[op, i]``, ``[op, i, j]`` or ``[op, i, constant]`` whose ``i``/``j``
index the nodes made so far (the leaves first, then one node per step). ``ops`` lists the operations.

- In the grader, :func:`evaluate` computes every node with plain floats (``math``) and
  :func:`reference_gradients` runs reverse-mode differentiation on them: the suite's own forward
  function for :func:`grader.support.gradcheck.numeric_gradient`, and a check that a recipe is well
  conditioned before it is used. :func:`random_recipe` draws recipes away from kinks and poles.
- In the worker, :class:`LearnerGraph` builds the same graph from the LEARNER's ``Value`` class, which the
  suite passes in as a handle (``KitObject("grader.support.expression_graphs:LearnerGraph", learner.Value,
  leaves, steps)``); one request then builds hundreds of nodes, and the data and gradients come back as
  lists. This module never imports learner code.
"""

from __future__ import annotations

import math

import numpy as np

# op -> how it is written, with {x}, {y} the operands' names and {c} the constant
BINARY = {"+": "{x} + {y}", "-": "{x} - {y}", "*": "{x} * {y}", "/": "{x} / {y}"}
WITH_CONSTANT = {
    "+c": "{x} + {c}", "c+": "{c} + {x}", "-c": "{x} - {c}", "c-": "{c} - {x}",
    "*c": "{x} * {c}", "c*": "{c} * {x}", "/c": "{x} / {c}", "c/": "{c} / {x}", "**": "{x} ** {c}",
}
UNARY = {"neg": "-{x}", "tanh": "{x}.tanh()", "relu": "{x}.relu()", "exp": "{x}.exp()", "log": "{x}.log()"}
OPS = {**BINARY, **WITH_CONSTANT, **UNARY}
EXPONENTS = (2, 3, -1, -2, 0.5, 1.5)


# --- in the grader: floats ---------------------------------------------------------------------------
def _forward(step, values):
    """The value of one step, and its local derivatives d(step)/d(operand) as [(operand index, derivative)]."""
    op, i = step[0], step[1]
    x = values[i]
    if op in BINARY:
        j = step[2]
        y = values[j]
        if op == "+":
            return x + y, [(i, 1.0), (j, 1.0)]
        if op == "-":
            return x - y, [(i, 1.0), (j, -1.0)]
        if op == "*":
            return x * y, [(i, y), (j, x)]
        return x / y, [(i, 1.0 / y), (j, -x / y**2)]
    if op in WITH_CONSTANT:
        c = step[2]
        if op in ("+c", "c+"):
            return x + c, [(i, 1.0)]
        if op == "-c":
            return x - c, [(i, 1.0)]
        if op == "c-":
            return c - x, [(i, -1.0)]
        if op in ("*c", "c*"):
            return x * c, [(i, c)]
        if op == "/c":
            return x / c, [(i, 1.0 / c)]
        if op == "c/":
            return c / x, [(i, -c / x**2)]
        return x**c, [(i, c * x ** (c - 1))]
    if op == "neg":
        return -x, [(i, -1.0)]
    if op == "tanh":
        t = math.tanh(x)
        return t, [(i, 1.0 - t * t)]
    if op == "relu":
        return max(0.0, x), [(i, 1.0 if x > 0 else 0.0)]
    if op == "exp":
        e = math.exp(x)
        return e, [(i, e)]
    if op == "log":
        return math.log(x), [(i, 1.0 / x)]
    raise ValueError(f"unknown op {op!r}")


def evaluate(leaves, steps) -> list[float]:
    """Every node's value (the leaves, then one per step), in plain floats."""
    values = [float(v) for v in leaves]
    for step in steps:
        values.append(_forward(step, values)[0])
    return values


def reference_gradients(leaves, steps, output: int = -1) -> np.ndarray:
    """d(node output)/d(node) for every node, by reverse-mode differentiation in creation order."""
    values = [float(v) for v in leaves]
    locals_ = []
    for step in steps:
        value, derivatives = _forward(step, values)
        values.append(value)
        locals_.append(derivatives)
    n_leaves = len(leaves)
    output = output % len(values)
    grads = np.zeros(len(values))
    grads[output] = 1.0
    for k in range(len(steps) - 1, -1, -1):  # creation order reversed is a topological order
        for index, derivative in locals_[k]:
            grads[index] += derivative * grads[n_leaves + k]
    return grads


def names(n_leaves: int, n_steps: int) -> list[str]:
    """Leaves a, b, c, ...; steps n1, n2, ...; the last step is ``out``."""
    return [chr(ord("a") + k) for k in range(n_leaves)] + [f"n{k + 1}" for k in range(n_steps - 1)] + ["out"]


def constant_text(c) -> str:
    return f"({c:g})" if c < 0 else f"{c:g}"


def describe_step(step, node_names) -> str:
    """How a step is written in Python, with the nodes' names: ``"n1 * b"``, ``"2 - a"``, ``"n2.tanh()"``."""
    op = step[0]
    x = node_names[step[1]]
    y = node_names[step[2]] if op in BINARY else ""
    c = constant_text(step[2]) if op in WITH_CONSTANT else ""
    return OPS[op].format(x=x, y=y, c=c)


def describe(leaves, steps, values=True) -> str:
    """The whole recipe as Python: ``a = Value(0.5), b = Value(-1.2); n1 = a * b; out = n1.tanh()``."""
    node_names = names(len(leaves), len(steps))
    text = ", ".join(f"{node_names[k]} = Value({v:.4g})" for k, v in enumerate(leaves)) if values else ""
    lines = [f"{node_names[len(leaves) + k]} = {describe_step(step, node_names)}" for k, step in enumerate(steps)]
    return "; ".join(([text] if text else []) + lines)


def _leaf(rng) -> float:
    """A leaf value away from 0 and from ±1 (where x ** n and x ** (n - 1) would agree)."""
    magnitude = rng.uniform(0.3, 0.8) if rng.random() < 0.5 else rng.uniform(1.2, 1.8)
    return float(magnitude if rng.random() < 0.5 else -magnitude)


def leaves_for(rng, n: int) -> list[float]:
    """``n`` leaf values, pairwise distinct by at least 0.1 (so a mix-up of two leaves shows)."""
    while True:
        leaves = [_leaf(rng) for _ in range(n)]
        if n < 2 or np.min(np.abs(np.subtract.outer(leaves, leaves))[np.triu_indices(n, 1)]) > 0.1:
            return leaves


def _allowed(op: str, x: float, y: float = 1.0, c: float = 1.0) -> bool:
    """Whether a step stays away from kinks, poles and overflow, so numeric differences are trustworthy."""
    if op == "/":
        return abs(y) > 0.3
    if op == "c/":
        return abs(x) > 0.3
    if op == "**":
        if c < 0 and abs(x) < 0.3:
            return False
        return x > 0.2 if c != int(c) else abs(x) < 6
    if op == "log":
        return x > 0.2
    if op == "relu":
        return abs(x) > 0.1
    if op == "exp":
        return -4 < x < 2.5
    if op == "tanh":
        return abs(x) < 2.0
    return True


def well_conditioned(leaves, steps, output: int = -1, tolerance: float = 1e-7) -> bool:
    """Values of moderate size, and central differences that agree with the exact gradient of every leaf."""
    from grader.support.gradcheck import numeric_gradient, relative_error

    values = evaluate(leaves, steps)
    if not all(math.isfinite(v) and abs(v) < 100 for v in values):
        return False
    exact = reference_gradients(leaves, steps, output)[: len(leaves)]
    if np.any((np.abs(exact) > 0) & (np.abs(exact) < 1e-3)) or np.any(np.abs(exact) > 1e3):
        return False
    numeric = numeric_gradient(lambda x: evaluate(x, steps)[output], leaves)
    return bool(np.all(relative_error(exact, numeric) < tolerance))


def random_recipe(rng, n_leaves: int = 4, n_steps: int = 10, ops=tuple(OPS)):
    """A random connected graph: ``(leaves, steps)``, whose last node depends on every leaf.

    Node-to-node operations are drawn most often; one operand is a recent node, the other any node, so
    a node is often used more than once (``a * a``, a sub-expression feeding two others), so gradients have to be summed over paths. Steps that would
    sit on a kink (relu near 0), a pole (division by nearly 0) or overflow are redrawn; dangling nodes
    are added into the output at the end. Recipes whose numeric gradient is not trustworthy are redrawn.
    """
    # node-to-node operations are drawn most often: they make the sharing and the depth
    op_weights = np.array([3.0 if op in BINARY else 1.0 for op in ops])
    op_weights /= op_weights.sum()
    for _ in range(1000):
        leaves = leaves_for(rng, n_leaves)
        values = list(leaves)
        steps: list[list] = []
        tries = 0
        while len(steps) < n_steps and tries < 1000:
            tries += 1
            op = str(ops[int(rng.choice(len(ops), p=op_weights))])
            n = len(values)
            recent = np.arange(1, n + 1, dtype=float) ** 3
            i = int(rng.choice(n, p=recent / recent.sum()))
            if op in BINARY:
                same = op in ("+", "*") and rng.random() < 0.15  # a * a, a + a (a - a, a / a are constants)
                j = i if same else int(rng.integers(n))
                if j == i and not same:
                    continue
                step = [op, j, i] if rng.random() < 0.5 else [op, i, j]
                ok = _allowed(op, values[step[1]], values[step[2]])
            elif op in WITH_CONSTANT:
                if op == "**":
                    c = EXPONENTS[int(rng.integers(len(EXPONENTS)))]
                else:
                    c = float(np.round(rng.choice([-1, 1]) * rng.uniform(0.5, 3.0), 2))
                step = [op, i, c]
                ok = _allowed(op, values[i], c=c)
            else:
                step = [op, i]
                ok = _allowed(op, values[i])
            if not ok:
                continue
            value = _forward(step, values)[0]
            if not math.isfinite(value) or abs(value) > 20:
                continue
            steps.append(step)
            values.append(value)
        used = {index for step in steps for index in (step[1], step[2] if step[0] in BINARY else step[1])}
        dangling = [k for k in range(len(values) - 1) if k not in used]
        for k in dangling:  # every node reaches the output
            steps.append(["+", len(values) - 1, k])
            values.append(values[-1] + values[k])
        if well_conditioned(leaves, steps):
            return leaves, steps
    raise RuntimeError("could not draw a well-conditioned expression graph")  # pragma: no cover


# --- in the worker: the learner's Value ----------------------------------------------------------------
def _build_step(step, nodes):
    op, x = step[0], nodes[step[1]]
    if op in BINARY:
        y = nodes[step[2]]
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        return x / y
    if op in WITH_CONSTANT:
        c = step[2]
        if op == "+c":
            return x + c
        if op == "c+":
            return c + x
        if op == "-c":
            return x - c
        if op == "c-":
            return c - x
        if op == "*c":
            return x * c
        if op == "c*":
            return c * x
        if op == "/c":
            return x / c
        if op == "c/":
            return c / x
        return x**c
    if op == "neg":
        return -x
    return getattr(x, op)()  # tanh, relu, exp, log


class LearnerGraph:
    """A recipe built from the learner's ``Value`` class, in the worker. The constructor only stores."""

    def __init__(self, value_class, leaves, steps) -> None:
        self.value_class = value_class
        self.leaves = list(leaves)
        self.steps = [list(step) for step in steps]
        self.nodes: list = []

    def build(self) -> list:
        """Make the leaves ``Value(x)`` and apply every step; return each node's ``.data`` as it is."""
        nodes = [self.value_class(x) for x in self.leaves]
        for step in self.steps:
            nodes.append(_build_step(step, nodes))
        self.nodes = nodes
        return [node.data for node in nodes]

    def data(self) -> list:
        return [node.data for node in self.nodes]

    def grads(self) -> list:
        """Each node's ``.grad`` as it is now."""
        return [node.grad for node in self.nodes]

    def zero_grad(self) -> None:
        for node in self.nodes:
            node.grad = 0.0

    def backward(self, index: int = -1) -> None:
        """``node.backward()`` on one node (the output by default), without zeroing anything first."""
        self.nodes[index].backward()

    def gradients(self, outputs) -> list:
        """For each output index: zero every grad, ``backward()`` from that node, and all the nodes' grads."""
        result = []
        for index in outputs:
            self.zero_grad()
            self.nodes[index].backward()
            result.append(self.grads())
        return result

    def node(self, index: int):
        return self.nodes[index]
