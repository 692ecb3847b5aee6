"""Hidden suite for exercise 18, autograd.

The learner's ``Value`` is judged by what it computes, never by how: every expression is a *recipe*
(``grader.support.expression_graphs``) built twice, once from the learner's ``Value`` in the worker (one
request for the whole graph) and once here with plain floats. Each node's ``.data`` must match the float
value, and after ``out.backward()`` each leaf's ``.grad`` must match central differences of the float
expression (``grader.support.gradcheck``, relative error below 1e-5). Any correct implementation passes:
``a - b`` written as ``a + (-b)`` or directly, division as ``a * b ** -1`` or with its own derivative,
``tanh`` through ``exp``. Test points stay away from kinks (relu near 0), poles and overflow, and
every recipe is checked here before use: its central differences agree with the exact derivative.

What is judged, and why: each operation's value and gradient on its own, always followed by one more
operation so that forgetting the chain rule's ``* out.grad`` shows; the reversed operators (``2 - v``
is ``v.__rsub__(2)``); that ``backward()`` seeds the output's grad with 1.0; a leaf used twice (``a * a``,
``b + b``), which catches ``=`` instead of ``+=``; a shared sub-expression, which catches a backward
without a (reversed) topological order; random graphs mixing everything; gradients that accumulate
across two ``backward()`` calls (as in PyTorch); and the given tiny MLP learning XOR with the learner's
``Value``.
"""

import dataclasses
import math

import numpy as np
import pytest

from grader.learner import LearnerCrash, LearnerError, LearnerNotStarted, LearnerTimeout
from grader.protocol import KitObject
from grader.support.checks import expect_float, fail, show
from grader.support.expression_graphs import (
    BINARY,
    constant_text,
    describe,
    describe_step,
    evaluate,
    leaves_for,
    names,
    random_recipe,
    reference_gradients,
    well_conditioned,
)
from grader.support.gradcheck import expect_gradient, numeric_gradient

GRAPH = "grader.support.expression_graphs:LearnerGraph"
ORDER = ("backward() must call each node's _backward in REVERSED topological order: sort the graph with a "
         "depth-first search that appends a node after its children, with a visited set so that a shared node "
         "appears once, then go through that list from the end (the output) to the start (the leaves)")
PLUS_EQUALS = ("a node used twice must get the SUM of both contributions: in every _backward, add to the "
               "children's grad (self.grad += ...), never assign (self.grad = ...)")


# --- talking to the learner's Value ---------------------------------------------------------------------
def advice_for(error: LearnerError) -> str:
    """Plain words for the errors a half-written Value raises."""
    message = error.message
    if error.type_name == "TypeError" and "unsupported operand" in message:
        return ("a plain number on the left (2 - v) makes Python call the reversed method of the Value on the "
                "right: define __radd__, __rsub__, __rmul__, __rtruediv__ (and wrap plain numbers in a Value)")
    if error.type_name == "AttributeError" and "has no attribute 'data'" in message:
        return "a plain number reached an operation: wrap it first (other if isinstance(other, Value) else Value(other))"
    if error.type_name == "AttributeError" and "has no attribute" in message:
        return "every method listed in the exercise must exist on Value (data, grad, tanh, relu, exp, log, backward)"
    if error.type_name == "TypeError" and "complex" in message:
        return ("a fractional power of a negative number: some node's .data is wrong before that power (see the "
                "test of each operation's value)")
    if error.type_name == "RecursionError":
        return "the recursion never stops: does backward() revisit nodes? keep a visited set"
    return ""


def in_worker(action, doing: str):
    """Run ``action()`` (a request to learner code); a failure is reported as happening while ``doing``."""
    try:
        return action()
    except (LearnerTimeout, LearnerCrash):
        raise
    except LearnerNotStarted as error:
        if error.where and error.where.function:
            needed = doing if len(doing) <= 60 else "the test's expression"
            raise dataclasses.replace(error, operation=f"Value.{error.where.function}() (needed for {needed})") from None
        raise
    except LearnerError as error:
        advice = advice_for(error)
        raise dataclasses.replace(error, operation=doing,
                                  message=error.message + (f" — {advice}" if advice else "")) from None


def build(learner, worker, leaves, steps):
    """The recipe built from the learner's Value, in the worker: (graph handle, every node's .data)."""
    graph = worker.put(KitObject(GRAPH, learner.Value, leaves, steps))
    data = in_worker(graph.build, describe(leaves, steps))
    return graph, data


def as_floats(values, what: str, node_names) -> list:
    return [expect_float(value, f"{what} of {name}") for value, name in zip(values, node_names)]


def check_data(data, leaves, steps):
    """Every node's .data must equal the float value; the first wrong node is named, with its operation."""
    node_names = names(len(leaves), len(steps))
    got = as_floats(data, f"after {describe(leaves, steps)}: .data", node_names)
    expected = evaluate(leaves, steps)
    for k, (value, want) in enumerate(zip(got, expected)):
        if math.isclose(value, want, rel_tol=1e-9, abs_tol=1e-12):
            continue
        if k < len(leaves):
            fail(f"Value({leaves[k]!r}).data is {value!r}; expected {want!r} — __init__ stores the number as data")
        step = steps[k - len(leaves)]
        text = describe_step(step, node_names)
        operands = ", ".join(f"{node_names[i]}.data = {expected[i]:.6g}"
                             for i in dict.fromkeys(step[1:3] if step[0] in BINARY else step[1:2]))
        mistake = ""
        x = expected[step[1]]
        c = constant_text(step[2]) if step[0] in ("c-", "c/") else ""
        if step[0] == "c-" and math.isclose(value, x - step[2], rel_tol=1e-9):
            mistake = (f" — that is {node_names[step[1]]} - {c}: {c} - v calls v.__rsub__({step[2]:g}), "
                       "which must compute other - self, not self - other")
        elif step[0] == "c/" and math.isclose(value, x / step[2], rel_tol=1e-9):
            mistake = (f" — that is {node_names[step[1]]} / {c}: {c} / v calls "
                       f"v.__rtruediv__({step[2]:g}), which must compute other / self")
        elif step[0] in ("-", "/") and math.isclose(value, evaluate([expected[step[2]], x], [[step[0], 0, 1]])[-1], rel_tol=1e-9):
            mistake = " — the operands are swapped"
        fail(f"{node_names[k]} = {text} with {operands}: .data is {value:.6g}; expected {want:.6g}{mistake} "
             f"(in {describe(leaves, steps)})")
    return got


def leaf_gradients(grads, leaves, steps, output, call):
    """The leaves' .grad after out.backward(), as floats; the output's own grad must be 1.0."""
    node_names = names(len(leaves), len(steps))
    output = output % (len(leaves) + len(steps))
    out_grad = expect_float(grads[output], f"{call}: {node_names[output]}.grad")
    got = as_floats(grads[: len(leaves)], f"{call}: .grad", node_names)
    if out_grad == 0.0:
        fail(f"{call}: {node_names[output]}.grad is 0.0 and the leaves' grads are {show(np.array(got))}; expected "
             f"{node_names[output]}.grad == 1.0 — backward() must first set self.grad = 1.0 (d out / d out = 1), "
             "then call the _backward functions")
    if not math.isclose(out_grad, 1.0, rel_tol=1e-12):
        fail(f"{call}: {node_names[output]}.grad is {out_grad:.6g}; expected 1.0 — backward() sets the output's "
             "own grad to 1.0 (d out / d out = 1) before passing gradients down")
    return got


def check_leaves(got, leaves, steps, output, call, advice=""):
    """Each leaf's grad must match central differences of the float expression (relative error 1e-5)."""
    node_names = names(len(leaves), len(steps))
    numeric = numeric_gradient(lambda x: evaluate(x, steps)[output], leaves)
    if not any(got) and np.any(numeric != 0):
        fail(f"{call}: every leaf's grad is 0.0; expected {show(numeric)} (numeric) — the output's grad is 1.0 but "
             f"nothing reached the leaves: {ORDER}")
    for k in range(len(leaves)):
        try:
            expect_gradient(np.asarray(got[k]), numeric[k], call, f"{node_names[k]} ({node_names[k]}.grad)")
        except AssertionError as error:
            if advice:
                fail(f"{error} — {advice}")
            raise


def gradient_of_output(learner, worker, leaves, steps, output=-1, advice=""):
    """Build, check every .data, run out.backward() on the fresh graph, check every leaf's grad."""
    graph, data = build(learner, worker, leaves, steps)
    check_data(data, leaves, steps)
    call = f"after out.backward() on {describe(leaves, steps)}"
    grads = in_worker(lambda: graph.gradients([output])[0], call)
    got = leaf_gradients(grads, leaves, steps, output, call)
    check_leaves(got, leaves, steps, output, call, advice)
    return got


def one_operation(step, leaves, factor):
    """The recipe ``n1 = <step>; out = n1 * factor``: the factor makes out.grad of n1 differ from 1."""
    return leaves, [step, ["*c", len(leaves), factor]]


def leaves_for_graph(rng, n: int, steps) -> list:
    """``n`` leaf values at which the recipe is well conditioned (no saturated tanh, no near-pole, ...)."""
    while True:
        leaves = leaves_for(rng, n)
        if well_conditioned(leaves, steps):
            return leaves


def random_factor(rng) -> float:
    return float(np.round(rng.choice([-1, 1]) * rng.uniform(1.5, 3.0), 2))


def single_operation_advice(step, leaves, factor, got, numeric, k) -> str:
    """Names the classic wrong local derivatives of one operation, from the leaf's grad ``got[k]``."""
    op, x = step[0], leaves[step[1]]
    g = got[k]
    local = numeric[k] / factor  # the right local derivative, without the chain rule's factor

    def near(value):
        return math.isclose(g, value, rel_tol=1e-6, abs_tol=1e-12)

    if local != 0 and near(local):
        return (f"that is the local derivative alone, without the factor {factor:g} that comes from the rest of the "
                "graph: multiply by out.grad (the chain rule) in every _backward")
    if op == "/" and k == step[2] and near(0.0):
        return "the divisor got no gradient: d(a / b)/db = -a / b ** 2"
    if op == "/" and k == step[2] and near(-factor / leaves[k] ** 2):
        return "the numerator is missing from the divisor's gradient: d(a / b)/db = -a / b ** 2"
    if op == "**":
        n = step[2]
        if near(factor * n * x**n):
            return f"that is n * x ** n; the power rule is d(x ** n)/dx = n * x ** (n - 1) (here {n:g} * x ** {n - 1:g})"
        if near(factor * x ** (n - 1)):
            return "the factor n is missing: d(x ** n)/dx = n * x ** (n - 1)"
    if op == "-" and k == step[2] and near(factor):
        return "the sign is wrong: d(a - b)/db = -1"
    if op == "tanh" and near(factor * (1 - x**2)):
        return ("that is 1 - x ** 2 with x the INPUT's data; the derivative is 1 - tanh(x) ** 2, i.e. 1 - t ** 2 with "
                "t the OUTPUT's data")
    if op == "relu" and x < 0 and near(factor):
        return "relu passes no gradient where its input is negative: d relu(x)/dx = 1 if x > 0 else 0"
    if op == "exp" and near(factor * x):
        return "d exp(x)/dx = exp(x), the output's data, not x"
    if op == "log" and near(factor * x):
        return "d log(x)/dx = 1 / x, not x"
    if op == "neg" and near(factor):
        return "d(-x)/dx = -1"
    return ""


def check_each_operation(learner, worker, rng, cases):
    """``cases``: (leaves, step); each becomes ``n1 = step; out = n1 * factor``, checked on a fresh graph."""
    for leaves, step in cases:
        k_factor = random_factor(rng)
        leaves, steps = one_operation(step, leaves, k_factor)
        graph, data = build(learner, worker, leaves, steps)
        check_data(data, leaves, steps)
        call = f"after out.backward() on {describe(leaves, steps)}"
        grads = in_worker(lambda: graph.gradients([-1])[0], call)
        got = leaf_gradients(grads, leaves, steps, -1, call)
        numeric = numeric_gradient(lambda x: evaluate(x, steps)[-1], leaves)
        for k in range(len(leaves)):
            advice = single_operation_advice(step, leaves, k_factor, got, numeric, k)
            try:
                expect_gradient(np.asarray(got[k]), numeric[k], call, f"{names(len(leaves), 2)[k]} (its .grad)")
            except AssertionError as error:
                fail(f"{error}" + (f" — {advice}" if advice else ""))


# --- values -----------------------------------------------------------------------------------------------
@pytest.mark.points(1)
def test_values_of_each_operation(learner, worker, rng):
    """every operation computes the right .data, and a new Value starts with grad 0.0"""
    a, b = leaves_for(rng, 2)
    p = float(rng.uniform(0.3, 2.0))
    c = float(np.round(rng.uniform(0.5, 3.0), 2))
    leaves = [a, b, p]
    steps = [["+", 0, 1], ["-", 0, 1], ["*", 0, 1], ["/", 0, 1], ["**", 0, 2], ["**", 0, -1], ["**", 2, 0.5],
             ["neg", 0], ["tanh", 0], ["relu", 0], ["relu", 1], ["exp", 0], ["log", 2],
             ["+c", 0, c], ["-c", 0, c], ["*c", 0, c], ["/c", 0, c]]
    steps = [steps[k] for k in rng.permutation(len(steps))]
    graph, data = build(learner, worker, leaves, steps)
    check_data(data, leaves, steps)
    node_names = names(len(leaves), len(steps))
    grads = as_floats(in_worker(graph.grads, "reading .grad"), f"before any backward(), after {describe(leaves, steps)}: .grad",
                      node_names)
    if any(grads):
        k = int(np.argmax(np.abs(grads) > 0))
        fail(f"before any backward(), {node_names[k]}.grad is {grads[k]:.6g}; expected 0.0 — a new Value starts with "
             "grad = 0.0 (only backward() fills it in)")


@pytest.mark.points(1)
def test_reversed_operators(learner, worker, rng):
    """2 + v, 2 - v, 2 * v and 2 / v (a plain number on the left) give the right values and gradients"""
    cases = []
    for op in ("c+", "c-", "c*", "c/"):
        (v,) = leaves_for(rng, 1)
        c = float(np.round(rng.choice([-1, 1]) * rng.uniform(0.5, 3.0), 2))
        cases.append(([v], [op, 0, c]))
    check_each_operation(learner, worker, rng, cases)


# --- gradients of single operations -------------------------------------------------------------------
@pytest.mark.points(2)
def test_backward_on_a_fresh_graph(learner, worker, rng):
    """out.backward() on a new graph sets out.grad to 1.0 and the right gradient in every leaf"""
    for steps in ([["*", 0, 1], ["+", 4, 2], ["tanh", 5], ["*", 6, 3], ["c-", 7, 1.5]],
                  [["/", 0, 1], ["-", 4, 2], ["exp", 3], ["*", 5, 6], ["c+", 7, 0.5]]):
        gradient_of_output(learner, worker, leaves_for_graph(rng, 4, steps), steps)


@pytest.mark.points(2)
def test_arithmetic_gradients(learner, worker, rng):
    """gradients of a + b, a - b, a * b, a / b, -a and a ** n (several n), each followed by * constant"""
    cases = []
    for op in ("+", "-", "*", "/"):
        cases.append((leaves_for(rng, 2), [op, 0, 1]))
    cases.append((leaves_for(rng, 1), ["neg", 0]))
    for n in (2, 3, -1, -2):
        cases.append((leaves_for(rng, 1), ["**", 0, n]))
    for n in (0.5, 1.5):
        cases.append(([abs(leaves_for(rng, 1)[0])], ["**", 0, n]))
    check_each_operation(learner, worker, rng, cases)


@pytest.mark.points(2)
def test_function_gradients(learner, worker, rng):
    """gradients of tanh, relu (positive and negative input), exp and log, each followed by * constant"""
    cases = []
    for op, low, high, sign in (("tanh", 0.3, 1.5, 0), ("relu", 0.2, 2.0, 1), ("relu", 0.2, 2.0, -1),
                                ("exp", 0.3, 1.5, 0), ("log", 0.2, 0.8, 1), ("log", 1.2, 3.0, 1)):
        value = float(rng.uniform(low, high)) * (sign or rng.choice([-1, 1]))
        cases.append(([value], [op, 0]))
    check_each_operation(learner, worker, rng, cases)


# --- graphs ---------------------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_a_value_used_twice(learner, worker, rng):
    """a * a, b + b, a * b + a, (a + b) * (a - b): a leaf used twice gets both contributions"""
    for n_leaves, steps in ((1, [["*", 0, 0], ["*c", 1, random_factor(rng)]]),
                            (1, [["+", 0, 0], ["*c", 1, random_factor(rng)]]),
                            (2, [["*", 0, 1], ["+", 2, 0]]),
                            (2, [["+", 0, 1], ["-", 0, 1], ["*", 2, 3]])):
        gradient_of_output(learner, worker, leaves_for_graph(rng, n_leaves, steps), steps, advice=PLUS_EQUALS)


@pytest.mark.points(2)
def test_shared_sub_expression(learner, worker, rng):
    """a node that feeds two others (n1 = a * b; n2 = n1.tanh(); out = n2 + n1) passes its gradient on once, complete"""
    for n_leaves, steps in (
        (2, [["*", 0, 1], ["tanh", 2], ["+", 3, 2]]),
        (3, [["+", 0, 1], ["*", 3, 2], ["tanh", 3], ["*", 4, 5], ["+", 6, 3], ["*c", 7, random_factor(rng)]]),
        (2, [["*", 0, 1], ["*c", 2, 0.5], ["tanh", 3], ["+", 4, 2], ["*", 5, 3], ["+", 6, 5]]),
    ):
        gradient_of_output(learner, worker, leaves_for_graph(rng, n_leaves, steps), steps,
                           advice=("the shared node n1 must pass its gradient on only once, after every node that "
                                   f"uses it has added its part: {ORDER}"))


@pytest.mark.points(3)
def test_random_expression_graphs(learner, worker, rng):
    """random graphs of every operation, with shared nodes: every leaf's grad matches numeric differentiation"""
    for _ in range(6):
        leaves, steps = random_recipe(rng, n_leaves=int(rng.integers(3, 6)), n_steps=int(rng.integers(8, 15)))
        gradient_of_output(
            learner, worker, leaves, steps,
            advice=("if each operation passes on its own, look at the nodes used more than once: " + PLUS_EQUALS
                    + "; and " + ORDER))


@pytest.mark.points(1)
def test_gradients_accumulate(learner, worker, rng):
    """f.backward() then g.backward() without zeroing leaves df/dx + dg/dx in a leaf x used by both"""
    steps = [["*", 0, 1], ["+", 3, 2], ["+c", 0, 1.5], ["*", 5, 2]]  # f = a * b + c (node 4), g = (a + 1.5) * c (node 6)
    leaves = leaves_for_graph(rng, 3, steps)
    node_names = ["a", "b", "c", "n1", "f", "n3", "g"]
    text = "a = Value({:.4g}), b = Value({:.4g}), c = Value({:.4g}); f = a * b + c; g = (a + 1.5) * c".format(*leaves)
    graph, data = build(learner, worker, leaves, steps)
    check_data(data, leaves, steps)
    df = reference_gradients(leaves, steps, 4)[:3]
    dg = reference_gradients(leaves, steps, 6)[:3]
    in_worker(lambda: graph.backward(4), f"f.backward() for {text}")
    first = as_floats(in_worker(graph.grads, "reading .grad")[:3], f"after f.backward() for {text}: .grad", node_names)
    if not np.allclose(first, df, rtol=1e-7, atol=1e-12):
        fail(f"after f.backward() for {text}: (a.grad, b.grad, c.grad) is {show(np.array(first))}; expected "
             f"{show(df)} (see the other tests first)")
    in_worker(lambda: graph.backward(6), f"g.backward() after f.backward() for {text}")
    second = np.array(as_floats(in_worker(graph.grads, "reading .grad")[:3],
                                f"after f.backward() then g.backward() for {text}: .grad", node_names))
    expected = df + dg
    call = f"after f.backward() then g.backward() (no zeroing in between) for {text}"
    if np.allclose(second, expected, rtol=1e-7, atol=1e-12):
        return
    if np.allclose(second[[0, 2]], dg[[0, 2]], rtol=1e-7, atol=1e-12):
        fail(f"{call}: (a.grad, b.grad, c.grad) is {show(second)}; expected df/dx + dg/dx = {show(expected)}. a.grad "
             "and c.grad hold only g's gradient: the second backward() overwrote (or zeroed) them instead of adding "
             "to them. Gradients accumulate, as in PyTorch: use += in every _backward and do not reset the grads "
             "inside backward() (training calls zero_grad() between steps)")
    fail(f"{call}: (a.grad, b.grad, c.grad) is {show(second)}; expected df/dx + dg/dx = {show(expected)}: g.backward() "
         f"added {show(second - np.array(first))} to the grads left by f.backward(); expected it to add dg/dx = "
         f"{show(dg)} — gradients accumulate across backward() calls: each call adds to .grad")


# --- the tiny network -----------------------------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.time_limit(8)
def test_mlp_learns_xor(learner, rng):
    """the given MLP, built from your Value, learns XOR: train_xor's predictions have the right sign on all 4 points"""
    seed = int(rng.integers(2**31))
    call = f"train_xor(random_state={seed})"
    result = in_worker(lambda: learner.train_xor(random_state=seed), call)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        fail(f"{call} returned {show(result)}; expected (predictions, losses) — the given train_xor was changed?")
    predictions, losses = result
    predictions = [expect_float(p, f"{call}: a prediction") for p in predictions]
    losses = np.array([expect_float(x, f"{call}: a loss") for x in losses])
    targets = np.array([-1.0, 1.0, 1.0, -1.0])
    if len(predictions) != 4:
        fail(f"{call} returned {len(predictions)} predictions; expected 4, one per XOR point")
    if not np.all(np.sign(predictions) == targets):
        trend = f"the loss went from {losses[0]:.4g} to {losses[-1]:.4g}" if len(losses) else "no losses"
        fail(f"{call} predicted {show(np.array(predictions))} for the points (-1, -1), (-1, 1), (1, -1), (1, 1); "
             f"expected the signs of {show(targets)} ({trend}). The network trains with your Value (+, -, *, /, **, "
             "tanh and backward()): make the other tests pass first")
    if not losses[-1] < losses[0]:
        fail(f"{call}: the loss went from {losses[0]:.4g} to {losses[-1]:.4g}; expected it to go down")
