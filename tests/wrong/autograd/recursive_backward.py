"""Mistake: backward() recurses without a topological order: each node runs its _backward then recurses into its children, so a shared node passes its gradient on before it is complete, and again later."""

import math

import numpy as np


class Value:
    """One scalar in a computation graph, with the gradient of the final output with respect to it.

    Parameters
    ----------
    data : float
        The number itself.
    _children : tuple of Value, default ()
        The inputs this value was computed from (set by the operations, not by users).
    _op : str, default ""
        The operation that produced it (``"+"``, ``"tanh"``, ...), for printing and debugging.

    Attributes
    ----------
    data : float
    grad : float
        d(output)/d(this value), filled in by ``output.backward()``; starts at 0.0.

    Operations accept a plain number on either side (``v + 1``, ``2 * v``, ``1 / v``); the number is
    wrapped in a ``Value`` first. ``**`` takes a constant exponent (int or float) only.

    Examples
    --------
    >>> x = Value(3.0)
    >>> y = x ** 2 + 1          # 10.0
    >>> y.backward()
    >>> x.grad                  # dy/dx = 2x
    6.0
    """

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None  # leaves have nothing to pass back
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        """``self + other``. Local derivatives: d/dself = 1, d/dother = 1.

        Wrap a plain number in a ``Value`` first. The new ``Value`` has data ``self.data + other.data``,
        children ``(self, other)`` and op ``"+"``; its ``_backward`` adds ``out.grad`` to both children's
        ``grad`` (``+=``: the same child may be used elsewhere too, or twice here as in ``a + a``).

        Returns
        -------
        Value

        Examples
        --------
        >>> (Value(2.0) + 3).data
        5.0
        """
        # BEGIN SOLUTION
        # Step 1: wrap a plain number in a Value.
        other = other if isinstance(other, Value) else Value(other)
        # Step 2: create the output Value from the sum, with (self, other) as its children.
        out = Value(self.data + other.data, (self, other), "+")

        # Step 3: define _backward: add out.grad to each child's grad (+=), and attach it to out.
        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        # Step 4: return out.
        return out
        # END SOLUTION

    def __mul__(self, other):
        """``self * other``. Local derivatives: d/dself = other, d/dother = self.

        So ``self.grad += other.data * out.grad`` and ``other.grad += self.data * out.grad``.

        Examples
        --------
        >>> (Value(2.0) * -3).data
        -6.0
        """
        # BEGIN SOLUTION
        # Step 1: wrap a plain number; create the output from the product, children (self, other).
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        # Step 2: _backward: each child gets the OTHER factor times out.grad (+=).
        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out
        # END SOLUTION

    def __pow__(self, exponent):
        """``self ** exponent`` for a constant int or float exponent ``n``. d/dself = n * self ** (n - 1).

        The exponent is not a ``Value`` and gets no gradient; the only child is ``self``.

        Examples
        --------
        >>> y = Value(3.0) ** 2     # y.data == 9.0; after y.backward(), the base's grad is 6.0
        """
        # BEGIN SOLUTION
        # Step 1: accept only a plain number as exponent (raise TypeError for a Value).
        if not isinstance(exponent, (int, float)):
            raise TypeError("only a constant (int or float) exponent is supported")
        # Step 2: create the output from self.data ** exponent, child (self,), op f"**{exponent}".
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        # Step 3: _backward: power rule, n * x ** (n - 1) times out.grad.
        def _backward():
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = _backward
        return out
        # END SOLUTION

    def __neg__(self):
        """``-self``, i.e. ``self * -1`` (which already knows its gradient)."""
        # BEGIN SOLUTION
        # Step 1: reuse multiplication.
        return self * -1
        # END SOLUTION

    def __sub__(self, other):
        """``self - other``, i.e. ``self + (-other)``."""
        # BEGIN SOLUTION
        # Step 1: reuse addition and negation (wrap a plain number first, or negate it as a number).
        return self + (-other)
        # END SOLUTION

    def __truediv__(self, other):
        """``self / other``, i.e. ``self * other ** -1``.

        Local derivatives: d/dself = 1 / other, d/dother = -self / other ** 2 (the power rule gives it).
        """
        # BEGIN SOLUTION
        # Step 1: reuse multiplication and ** -1 (wrap a plain number first).
        other = other if isinstance(other, Value) else Value(other)
        return self * other**-1
        # END SOLUTION

    def __radd__(self, other):
        """``other + self`` when ``other`` is a plain number: ``2 + v`` calls ``v.__radd__(2)``."""
        # BEGIN SOLUTION
        # Step 1: addition does not care about the order.
        return self + other
        # END SOLUTION

    def __rsub__(self, other):
        """``other - self`` when ``other`` is a plain number: ``2 - v`` calls ``v.__rsub__(2)``.

        Careful: the result is ``2 - v``, not ``v - 2``.

        Examples
        --------
        >>> (2 - Value(5.0)).data
        -3.0
        """
        # BEGIN SOLUTION
        # Step 1: other - self = other + (-self).
        return other + (-self)
        # END SOLUTION

    def __rmul__(self, other):
        """``other * self`` when ``other`` is a plain number: ``2 * v`` calls ``v.__rmul__(2)``."""
        # BEGIN SOLUTION
        # Step 1: multiplication does not care about the order.
        return self * other
        # END SOLUTION

    def __rtruediv__(self, other):
        """``other / self`` when ``other`` is a plain number: ``2 / v`` calls ``v.__rtruediv__(2)``.

        Examples
        --------
        >>> (2 / Value(4.0)).data
        0.5
        """
        # BEGIN SOLUTION
        # Step 1: other / self = other * self ** -1.
        return other * self**-1
        # END SOLUTION

    def tanh(self):
        """``tanh(self)``. d/dself = 1 - tanh(self) ** 2 = 1 - out.data ** 2 (the OUTPUT's data).

        Examples
        --------
        >>> Value(0.0).tanh().data
        0.0
        """
        # BEGIN SOLUTION
        # Step 1: compute t = tanh(self.data) (math.tanh) and the output Value, child (self,).
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        # Step 2: _backward: (1 - t ** 2) times out.grad.
        def _backward():
            self.grad += (1.0 - t**2) * out.grad

        out._backward = _backward
        return out
        # END SOLUTION

    def relu(self):
        """``max(0, self)``. d/dself = 1 where self > 0, else 0.

        Examples
        --------
        >>> Value(-2.0).relu().data, Value(3.0).relu().data
        (0.0, 3.0)
        """
        # BEGIN SOLUTION
        # Step 1: the output Value holds max(0, self.data), child (self,).
        out = Value(max(0.0, self.data), (self,), "relu")

        # Step 2: _backward: pass out.grad through only where the input was positive.
        def _backward():
            self.grad += (self.data > 0) * out.grad

        out._backward = _backward
        return out
        # END SOLUTION

    def exp(self):
        """``e ** self``. d/dself = e ** self = out.data.

        Examples
        --------
        >>> Value(0.0).exp().data
        1.0
        """
        # BEGIN SOLUTION
        # Step 1: the output Value holds math.exp(self.data), child (self,).
        out = Value(math.exp(self.data), (self,), "exp")

        # Step 2: _backward: the derivative of exp is exp itself (out.data) times out.grad.
        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out
        # END SOLUTION

    def log(self):
        """The natural logarithm of ``self`` (which must be positive). d/dself = 1 / self.

        Examples
        --------
        >>> Value(1.0).log().data
        0.0
        """
        # BEGIN SOLUTION
        # Step 1: the output Value holds math.log(self.data), child (self,).
        out = Value(math.log(self.data), (self,), "log")

        # Step 2: _backward: out.grad / self.data.
        def _backward():
            self.grad += out.grad / self.data

        out._backward = _backward
        return out
        # END SOLUTION

    def backward(self):
        """Fill in ``grad`` of every node this value depends on: d(self)/d(node), by the chain rule.

        1. Topological order: a depth-first search from ``self`` that appends a node to ``order`` after
           all its children (keep a ``visited`` set: a shared node must appear once).
        2. ``self.grad = 1.0``: the derivative of the output with respect to itself.
        3. Call ``node._backward()`` for each node in REVERSED order: from ``self`` down to the leaves, so
           a node's grad has all its contributions before it is passed on.

        Gradients accumulate (``+=``) across calls, as in PyTorch: ``f.backward(); g.backward()`` leaves
        ``df/dx + dg/dx`` in a leaf ``x`` used by both. Set ``grad = 0.0`` between training steps.

        Returns
        -------
        None

        Examples
        --------
        >>> a = Value(3.0)
        >>> b = a * a               # a used twice
        >>> b.backward()
        >>> a.grad                  # 2 * a: both uses count
        6.0
        """
        # BEGIN SOLUTION
        # Step 1: build the topological order with a depth-first search and a visited set
        #         (a node is appended after all of its children).
        def go(node):
            node._backward()
            for child in node._prev:
                go(child)

        self.grad = 1.0
        go(self)
        # END SOLUTION


# --- Given: a tiny neural network built from Value (micrograd's nn.py) ---------------------------------
class Module:
    """What every part of the network has: its parameters (a list of Value) and ``zero_grad()``."""

    def parameters(self):
        """Every trainable Value of this part, in a flat list."""
        return []

    def zero_grad(self):
        """Set every parameter's grad to 0.0: call it before each backward() of a training step."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """``tanh(w . x + b)`` (or without the tanh when ``nonlinear=False``), weights drawn from ``rng``."""

    def __init__(self, n_inputs, rng, nonlinear=True):
        self.w = [Value(rng.uniform(-1.0, 1.0)) for _ in range(n_inputs)]
        self.b = Value(0.0)
        self.nonlinear = nonlinear

    def __call__(self, x):
        activation = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return activation.tanh() if self.nonlinear else activation

    def parameters(self):
        """The weights, then the bias."""
        return self.w + [self.b]


class Layer(Module):
    """``n_outputs`` neurons that each see the same inputs."""

    def __init__(self, n_inputs, n_outputs, rng, nonlinear=True):
        self.neurons = [Neuron(n_inputs, rng, nonlinear) for _ in range(n_outputs)]

    def __call__(self, x):
        outputs = [neuron(x) for neuron in self.neurons]
        return outputs[0] if len(outputs) == 1 else outputs

    def parameters(self):
        """The parameters of each neuron, neuron after neuron."""
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP(Module):
    """Layers of neurons: ``MLP(2, [4, 1], rng)`` maps 2 inputs through 4 tanh units to 1 linear output."""

    def __init__(self, n_inputs, layer_sizes, rng):
        sizes = [n_inputs] + list(layer_sizes)
        last = len(layer_sizes) - 1  # the output layer is linear, as in micrograd
        self.layers = [Layer(sizes[i], sizes[i + 1], rng, nonlinear=i < last) for i in range(len(layer_sizes))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        """The parameters of each layer, layer after layer."""
        return [p for layer in self.layers for p in layer.parameters()]


def train_xor(hidden=4, steps=100, learning_rate=0.2, random_state=0):
    """Train ``MLP(2, [hidden, 1])`` on XOR by gradient descent on the mean squared error.

    The four points are (-1, -1), (-1, 1), (1, -1), (1, 1) with targets -1, +1, +1, -1: the output is +1
    exactly when the two inputs differ. No straight line separates them; the hidden tanh layer does.

    Uses only your ``Value``: ``+ - * / **``, ``tanh`` and ``backward()``.

    Returns
    -------
    predictions : list of 4 floats
        The network's outputs on the four points after training: near -1, +1, +1, -1.
    losses : list of ``steps`` floats
        The loss before each step.
    """
    rng = np.random.default_rng(random_state)
    X = [[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]]
    y = [-1.0, 1.0, 1.0, -1.0]
    model = MLP(2, [hidden, 1], rng)
    losses = []
    for _ in range(steps):
        loss = sum((model(x) - target) ** 2 for x, target in zip(X, y)) / len(X)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        losses.append(loss.data)
    return [model(x).data for x in X], losses
