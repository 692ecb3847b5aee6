"""Mistake: loss_and_gradients does not carry dh_next: each step's dh is only Why.T @ dy, so the gradient never flows back through time."""

import numpy as np

PARAMETER_NAMES = ("Wxh", "Whh", "Why", "bh", "by")


def clip_gradients(grads, max_norm):
    """Scale all gradients by one factor so that their global L2 norm is at most ``max_norm``.

    The global norm takes every entry of every array together::

        total = sqrt(sum over arrays g of sum(g ** 2))
        scale = max_norm / total  if total > max_norm  else 1

    and every array is multiplied by the same ``scale``, so the overall direction of the step is kept
    (clipping each array on its own, or each value, would change it). The input dict and its arrays are
    not modified: return a new dict of new arrays.

    Parameters
    ----------
    grads : dict of str -> array_like
        Gradients, e.g. ``{"Wxh": ..., "Whh": ..., "Why": ..., "bh": ..., "by": ...}``, any shapes.
    max_norm : float
        The largest global norm allowed (positive).

    Returns
    -------
    clipped : dict with the same keys, each value a float ndarray of the same shape as in ``grads``.

    Examples
    --------
    >>> clipped = clip_gradients({"a": np.array([3.0, 0.0]), "b": np.array([4.0])}, max_norm=1.0)
    >>> clipped["a"], clipped["b"]                  # the global norm was 5: everything times 1/5
    (array([0.6, 0. ]), array([0.8]))
    >>> clip_gradients({"a": np.array([0.3, 0.4])}, max_norm=1.0)["a"]     # norm 0.5: unchanged
    array([0.3, 0.4])
    """
    # BEGIN SOLUTION
    # Step 1: turn every gradient into a float array and compute the global norm: the square root of
    #         the sum of the squares of all entries of all arrays.
    grads = {name: np.asarray(g, dtype=float) for name, g in grads.items()}
    total = np.sqrt(sum(float(np.sum(g**2)) for g in grads.values()))
    # Step 2: one scale for all arrays: max_norm / total if total is above max_norm, else 1.
    scale = max_norm / total if total > max_norm else 1.0
    # Step 3: return a new dict of scaled copies (g * scale makes a new array; never scale in place).
    return {name: g * scale for name, g in grads.items()}
    # END SOLUTION


class CharRNN:
    """A vanilla RNN over characters, trained on one text to predict each next character.

    Shapes, with ``V = len(chars_)`` the vocabulary size and ``H = hidden_size``::

        Wxh_ (H, V)   Whh_ (H, H)   Why_ (V, H)   bh_ (H,)   by_ (V,)

    ``Wxh_ @ x_t`` with a one-hot ``x_t`` is just the column ``Wxh_[:, index of character t]``.

    ``fit`` starts the three weight matrices at small random values, ``0.01 * rng.normal(size=...)`` with
    ``rng = np.random.default_rng(random_state)`` (drawn in the order Wxh, Whh, Why), and the biases at
    zero. It then trains on the whole text as ONE sequence: inputs ``text[:-1]``, targets ``text[1:]``,
    starting from ``h = 0`` at every iteration. Each iteration: forward and backward
    (:meth:`loss_and_gradients`), clip the gradients to a global norm of ``clip``, and update every
    parameter with Adagrad, as in min-char-rnn::

        memory += g ** 2                                    one memory array per parameter, from zeros
        param  -= learning_rate * g / sqrt(memory + 1e-8)

    (Plain gradient descent, ``param -= learning_rate * g``, also learns a short word; Adagrad is faster.)

    Parameters
    ----------
    hidden_size : int, default 16
    learning_rate : float, default 0.1
    n_iters : int, default 300
        Training iterations; 0 only builds the vocabulary and initialises the parameters.
    clip : float, default 5.0
        The largest global norm of the gradients in an update.
    random_state : int or None, default None
        Seed of the initial weights (``0`` is a seed like any other).

    Attributes
    ----------
    chars_ : list of str
        The vocabulary: the distinct characters of the text, sorted.
    char_to_index_ : dict of str -> int
        The position of each character in ``chars_``.
    Wxh_, Whh_, Why_, bh_, by_ : ndarray
        The parameters, shapes above.
    loss_history_ : ndarray of shape (n_iters,)
        The loss of each iteration, computed before its update.

    Examples
    --------
    >>> model = CharRNN(random_state=0).fit("hello")
    >>> model.chars_, model.Whh_.shape, model.Why_.shape
    (['e', 'h', 'l', 'o'], (16, 16), (4, 16))
    >>> model.sample("h", 5)
    'hello'
    """

    def __init__(self, hidden_size=16, learning_rate=0.1, n_iters=300, clip=5.0, random_state=None):
        self.hidden_size = hidden_size
        self.learning_rate = learning_rate
        self.n_iters = n_iters
        self.clip = clip
        self.random_state = random_state

    def fit(self, text):
        """Learn the vocabulary and the parameters from ``text``; return ``self``.

        Parameters
        ----------
        text : str
            At least two characters (one input and its target); otherwise raise ``ValueError``.
        """
        # BEGIN SOLUTION
        # Step 1: check the text; the vocabulary chars_ is the sorted set of its characters, and
        #         char_to_index_ maps each character to its position.
        if not isinstance(text, str) or len(text) < 2:
            raise ValueError(f"fit needs a text of at least two characters; got {text!r}")
        self.chars_ = sorted(set(text))
        self.char_to_index_ = {char: index for index, char in enumerate(self.chars_)}
        V, H = len(self.chars_), self.hidden_size
        # Step 2: initialise Wxh_ (H, V), Whh_ (H, H), Why_ (V, H) as 0.01 * rng.normal(...) from
        #         rng = np.random.default_rng(random_state), and bh_ (H,), by_ (V,) as zeros.
        rng = np.random.default_rng(self.random_state)
        self.Wxh_ = 0.01 * rng.normal(size=(H, V))
        self.Whh_ = 0.01 * rng.normal(size=(H, H))
        self.Why_ = 0.01 * rng.normal(size=(V, H))
        self.bh_ = np.zeros(H)
        self.by_ = np.zeros(V)
        # Step 3: the inputs are the indices of text[:-1], the targets those of text[1:].
        indices = [self.char_to_index_[char] for char in text]
        inputs, targets = indices[:-1], indices[1:]
        # Step 4: n_iters times: loss and gradients from h0 = zeros, record the loss, clip the gradients,
        #         and update each parameter with Adagrad (one memory array per parameter).
        memory = {name: np.zeros_like(getattr(self, name + "_")) for name in PARAMETER_NAMES}
        losses = np.empty(self.n_iters)
        for step in range(self.n_iters):
            losses[step], grads, _ = self.loss_and_gradients(inputs, targets, np.zeros(H))
            grads = clip_gradients(grads, self.clip)
            for name in PARAMETER_NAMES:
                memory[name] += grads[name] ** 2
                setattr(self, name + "_", getattr(self, name + "_")
                        - self.learning_rate * grads[name] / np.sqrt(memory[name] + 1e-8))
        # Step 5: store loss_history_ and return self.
        self.loss_history_ = losses
        return self
        # END SOLUTION

    def loss_and_gradients(self, inputs, targets, h0):
        """Forward through the whole sequence, then backpropagation through time.

        Forward, for ``t = 0 .. T-1`` (``h_{-1} = h0``)::

            h_t = tanh(Wxh[:, inputs[t]] + Whh @ h_{t-1} + bh)
            p_t = softmax(Why @ h_t + by)
            loss = sum over t of -log p_t[targets[t]]          a SUM over the steps, not a mean

        Backward, for ``t = T-1`` down to ``0``, with ``dh_next = 0`` at the start::

            dy = p_t - onehot(targets[t])                       dloss/dlogits of step t, shape (V,)
            dWhy += outer(dy, h_t);   dby += dy
            dh = Why.T @ dy + dh_next                           from this step's output AND from step t+1
            dz = (1 - h_t ** 2) * dh                            through tanh: its output h_t, this step's
            dWxh[:, inputs[t]] += dz;   dbh += dz;   dWhh += outer(dz, h_{t-1})
            dh_next = Whh.T @ dz                                what step t-1 receives

        Every gradient is a sum over the steps (``+=``): the same parameters are used at every step.

        Parameters
        ----------
        inputs : list of int, length T
            Indices (into ``chars_``) of the characters read.
        targets : list of int, length T
            Indices of the characters to predict: ``targets[t]`` comes after ``inputs[t]``.
        h0 : ndarray of shape (H,)
            The hidden state before the first step (not modified).

        Returns
        -------
        loss : float
        grads : dict
            ``{"Wxh": (H, V), "Whh": (H, H), "Why": (V, H), "bh": (H,), "by": (V,)}``, the gradients
            of ``loss`` with respect to each parameter.
        h_last : ndarray of shape (H,)
            The hidden state after the last step, ``h_{T-1}``.

        Examples
        --------
        >>> model = CharRNN(hidden_size=3, n_iters=0, random_state=0).fit("abc")
        >>> loss, grads, h_last = model.loss_and_gradients([0, 1], [1, 2], np.zeros(3))
        >>> round(loss, 4), round(float(2 * np.log(3)), 4)    # tiny weights: p_t is nearly uniform over 3
        (2.1972, 2.1972)
        >>> grads["Whh"].shape, grads["by"].round(2)
        ((3, 3), array([ 0.67, -0.33, -0.33]))
        """
        # BEGIN SOLUTION
        # Step 1: forward: keep every hidden state (states[0] = h0, states[t + 1] = h_t) and every softmax
        #         output; add up -log p_t[target] into the loss.
        states = [np.asarray(h0, dtype=float)]
        probs = []
        loss = 0.0
        for x, target in zip(inputs, targets):
            h = np.tanh(self.Wxh_[:, x] + self.Whh_ @ states[-1] + self.bh_)
            logits = self.Why_ @ h + self.by_
            p = np.exp(logits - logits.max())  # softmax, shifted so exp cannot overflow
            p /= p.sum()
            loss -= np.log(p[target])
            states.append(h)
            probs.append(p)
        # Step 2: backward: gradients start at zero; walk t from last to first, carrying dh_next, and ADD
        #         each step's contribution into the parameter gradients (formulas in the docstring).
        grads = {name: np.zeros_like(getattr(self, name + "_")) for name in PARAMETER_NAMES}
        for t in reversed(range(len(inputs))):
            h, h_prev = states[t + 1], states[t]
            dy = probs[t].copy()
            dy[targets[t]] -= 1.0  # softmax + cross-entropy: p - onehot(target)
            grads["Why"] += np.outer(dy, h)
            grads["by"] += dy
            dh = self.Why_.T @ dy
            dz = (1.0 - h**2) * dh  # tanh'(z) = 1 - tanh(z)^2 = 1 - h_t^2
            grads["Wxh"][:, inputs[t]] += dz
            grads["bh"] += dz
            grads["Whh"] += np.outer(dz, h_prev)
        # Step 3: return the loss as a float, the gradients, and the last hidden state.
        return float(loss), grads, states[-1]
        # END SOLUTION

    def sample(self, start, length):
        """Generate ``length`` characters, beginning with ``start``, always taking the likeliest next one.

        Start from ``h = 0`` (as in training) and feed ``start``; then repeatedly take the character with
        the highest score (``np.argmax``, so the result is deterministic) and feed it back in, keeping the
        hidden state from step to step::

            h = tanh(Wxh[:, index] + Whh @ h + bh);   index = argmax(Why @ h + by)

        Parameters
        ----------
        start : str
            One character of the vocabulary; otherwise raise ``ValueError``.
        length : int
            The length of the result, at least 1 (``start`` included).

        Returns
        -------
        text : str
            ``length`` characters, the first one ``start``.

        Examples
        --------
        >>> model = CharRNN(random_state=0).fit("hello")
        >>> model.sample("h", 5), model.sample("h", 1)
        ('hello', 'h')
        """
        # BEGIN SOLUTION
        # Step 1: check that start is a character of the vocabulary.
        if start not in self.char_to_index_:
            raise ValueError(f"sample: start must be one character of the vocabulary {self.chars_}; got {start!r}")
        # Step 2: from h = 0, feed the current character, pick the argmax of the scores as the next one,
        #         and carry h to the next step, until the text has length characters.
        h = np.zeros(self.hidden_size)
        index = self.char_to_index_[start]
        text = [start]
        while len(text) < length:
            h = np.tanh(self.Wxh_[:, index] + self.Whh_ @ h + self.bh_)
            index = int(np.argmax(self.Why_ @ h + self.by_))
            text.append(self.chars_[index])
        # Step 3: join the characters into a string.
        return "".join(text)
        # END SOLUTION
