"""A generative adversarial network (GAN) in one dimension: exercise 23 of ml-from-scratch.

Two small networks play a game (Goodfellow et al., 2014):

- the **generator** ``G`` turns noise ``z ~ N(0, 1)`` into a sample ``x = G(z)``, a number;
- the **discriminator** ``D`` reads a number ``x`` and gives a score, a *logit* ``D(x)``: its
  probability that ``x`` is real (drawn from the data) rather than fake (made by ``G``) is
  ``sigmoid(D(x))``.

``D`` is trained to tell real from fake, ``G`` to fool ``D``. When neither can do better, the fakes are
distributed like the data. Here the data come from a Gaussian, so success is easy to measure: the
mean and the standard deviation of the generated samples must be those of the data.

The two losses are binary cross-entropies, written with ``log sigmoid`` of the logits::

    discriminator:  L_D = mean(-log sigmoid(D(x_real))) + mean(-log sigmoid(-D(G(z))))
                          real samples: label 1           fakes: label 0, as 1 - sigmoid(l) = sigmoid(-l)
    generator:      L_G = mean(-log sigmoid(D(G(z))))     make D call the fakes real

The generator's loss is the *non-saturating* one. The game as first written has ``G`` minimise
``mean(log(1 - sigmoid(D(G(z)))))``, but early in training ``D`` rejects the fakes easily
(``D(G(z))`` very negative), where that curve is flat: ``G`` would get almost no gradient just when it
needs one most. ``-log sigmoid(D(G(z)))`` has the same goal (fakes called real) and a gradient of about
``-1`` per sample exactly there. Both losses need ``log sigmoid(l) = -log(1 + exp(-l))`` computed
without overflow: ``D`` soon returns logits of ±50 and more.

One training iteration is two steps in turn:

1. **Discriminator step.** Take a batch of real samples and a batch of fakes ``G(z)``; compute the
   gradients of ``L_D`` with respect to ``D``'s parameters and update ``D``. ``G`` does not move.
2. **Generator step.** Draw fresh noise ``z``; compute the gradients of ``L_G`` with respect to ``G``'s
   parameters and update ``G``. The loss depends on ``G`` only through ``D``'s input, so the gradient
   flows *through* the discriminator: backpropagate from ``D``'s logits down to its input, then on
   through the generator. ``D``'s weights are used in that backward pass, but not updated: the
   generator's step must not help ``D`` (nor harm it).

The two players do not settle down by themselves: near the goal they circle around it, each
correcting the other's last move. ``fit`` lowers the learning rate to zero over the iterations, so the
circles shrink and training ends close to the goal.

Grade your work with ``ml-grade gan``; stuck? ``ml-grade hint gan``.
"""

import numpy as np

LEAKY_SLOPE = 0.2  # the generator's leaky ReLU: a where a > 0, LEAKY_SLOPE * a elsewhere
GENERATOR_PARAMETERS = ("G_W1", "G_b1", "G_W2", "G_b2")
DISCRIMINATOR_PARAMETERS = ("D_W1", "D_b1", "D_W2", "D_b2")


def log_sigmoid(z):
    """``log(sigmoid(z)) = -log(1 + exp(-z))``, element-wise, without overflow.

    ``np.log(1 / (1 + np.exp(-z)))`` fails: for ``z = -1000``, ``exp(1000)`` overflows (a warning, then
    ``log(0) = -inf``) although the answer is simply ``-1000``. numpy's ``np.logaddexp(a, b)`` computes
    ``log(exp(a) + exp(b))`` without overflow. Two identities you will use with it:
    ``1 - sigmoid(z) = sigmoid(-z)``, and ``sigmoid(z) = exp(log_sigmoid(z))`` (which never overflows).

    Parameters
    ----------
    z : float or array_like of any shape

    Returns
    -------
    ndarray of the same shape (a 0-d array for a scalar), values <= 0.

    Examples
    --------
    >>> log_sigmoid(np.array([-1000.0, 0.0, 1000.0]))     # -1000, -log 2, 0
    array([-1.00000000e+03, -6.93147181e-01, -0.00000000e+00])
    """
    # TODO 1: 1 + exp(-z) is exp(0) + exp(-z): let numpy take the log of that sum of two exponentials,
    #         which it does without overflow; return minus it.
    raise NotImplementedError


class GAN:
    """A generator and a discriminator, each with one hidden layer, trained against each other.

    Both networks work in *standard units*. ``fit`` learns the data's mean ``loc_`` and standard
    deviation ``scale_``; the discriminator reads ``u = (x - loc_) / scale_``, and the generator's output
    ``u`` becomes the sample ``loc_ + scale_ * u``. (Weights start around 1, so numbers around 1 train
    best, whatever the units of the data.) With ``L = latent_dim``, ``H = hidden``, each layer computing
    ``inputs @ W + b``::

        generator      z (n, L) -> a = z @ G_W1 + G_b1 (n, H) -> h = leaky_relu(a) -> u = h @ G_W2 + G_b2 (n, 1)
        discriminator  u (n, 1) -> a = u @ D_W1 + D_b1 (n, H) -> h = tanh(a)       -> logit = h @ D_W2 + D_b2 (n, 1)

        G_W1_ (L, H)   G_b1_ (H,)   G_W2_ (H, 1)   G_b2_ (1,)
        D_W1_ (1, H)   D_b1_ (H,)   D_W2_ (H, 1)   D_b2_ (1,)

    ``leaky_relu(a)`` is ``a`` where ``a > 0`` and ``0.2 * a`` elsewhere (``LEAKY_SLOPE``): its slope is 1 or
    0.2, and its output is unbounded, so the generator can reach every value. ``tanh`` is smooth, and
    ``tanh'(a) = 1 - tanh(a) ** 2 = 1 - h ** 2``. Samples and logits are handed around as 1-D arrays of
    shape ``(n,)``: make a column ``(n, 1)`` at the input of ``D``, take column 0 at the outputs.

    ``fit`` draws the initial weights from ``rng = np.random.default_rng(random_state)``, in this order::

        G_W1_ = rng.normal(size=(L, H)) / sqrt(L)       G_W2_ = 0.1 * rng.normal(size=(H, 1)) / sqrt(H)
        D_W1_ = rng.normal(size=(1, H))                 D_W2_ = rng.normal(size=(H, 1)) / sqrt(H)

    and the biases start at zero (the small ``G_W2_`` makes the untrained generator give nearly one value,
    the mean). Then ``n_iters`` times, drawing from the same ``rng``: a batch of ``batch_size`` real
    samples ``x[rng.integers(0, n, size=batch_size)]`` (with replacement), the noise of the fakes
    ``z_fake = rng.normal(size=(batch_size, L))`` and fresh noise ``z`` for the generator (the same way),
    and one :meth:`train_step` with the learning rate of that iteration, going down linearly to zero::

        learning_rate * (1 - step / n_iters)        for step = 0, 1, ..., n_iters - 1

    Parameters
    ----------
    latent_dim : int, default 1
        ``L``, the size of a noise vector ``z``.
    hidden : int, default 16
        ``H``, the width of the hidden layer of both networks.
    learning_rate : float, default 0.3
        The first step size of plain gradient descent (``param - step * grad``), for both networks.
    n_iters : int, default 1000
        Training iterations; 0 only learns ``loc_``, ``scale_`` and the initial parameters.
    batch_size : int, default 128
        Real samples, fakes and generator noise vectors per iteration.
    random_state : int or None, default None
        Seed of the initial weights and of the batches (``0`` is a seed like any other).

    Attributes
    ----------
    loc_, scale_ : float
        The mean and the standard deviation of the data (``scale_ = 1.0`` if the data are constant).
    G_W1_, G_b1_, G_W2_, G_b2_, D_W1_, D_b1_, D_W2_, D_b2_ : ndarray
        The parameters, shapes above.
    d_loss_history_, g_loss_history_ : ndarray of shape (n_iters,)
        ``L_D`` and ``L_G`` of each iteration, as returned by :meth:`train_step`.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(3.0, 0.5, size=1000)      # data from N(3, 0.5 ** 2)
    >>> gan = GAN(random_state=0).fit(x)
    >>> samples = gan.sample(10000, random_state=1)
    >>> samples.shape, round(float(samples.mean()), 1), round(float(samples.std()), 1)     # about 3 and 0.5
    ((10000,), 3.0, 0.5)
    """

    def __init__(self, latent_dim=1, hidden=16, learning_rate=0.3, n_iters=1000, batch_size=128, random_state=None):
        self.latent_dim = latent_dim
        self.hidden = hidden
        self.learning_rate = learning_rate
        self.n_iters = n_iters
        self.batch_size = batch_size
        self.random_state = random_state

    def fit(self, x):
        """Learn ``loc_`` and ``scale_``, initialise the parameters and train both networks; return ``self``.

        Parameters
        ----------
        x : array_like of shape (n_samples,)
            Real samples (at least one), numbers; not modified. Anything else raises ``ValueError``.
        """
        # TODO 1: turn x into a 1-D float array (np.array makes a copy) and raise ValueError unless it
        #         is 1-D and not empty; store loc_ and scale_ (1.0 if the standard deviation is 0).
        # TODO 2: from rng = np.random.default_rng(random_state), draw G_W1_, G_W2_, D_W1_, D_W2_ in that
        #         order (scales in the class docstring); the biases are zeros.
        # TODO 3: n_iters times: draw a real batch (with replacement), z_fake and z, call train_step with
        #         the learning rate of this step and record its two losses.
        # TODO 4: store d_loss_history_ and g_loss_history_, and return self.
        raise NotImplementedError

    def generate(self, z):
        """Samples of the generator, in the units of the data: ``loc_ + scale_ * u``.

        Parameters
        ----------
        z : array_like of shape (n, latent_dim)
            Noise vectors, one per row.

        Returns
        -------
        x : ndarray of shape (n,)
            ``loc_ + scale_ * u`` with ``u = leaky_relu(z @ G_W1_ + G_b1_) @ G_W2_ + G_b2_``, column 0.

        Examples
        --------
        >>> gan = GAN(n_iters=0, random_state=0).fit([4.0, 6.0])          # loc_ = 5, scale_ = 1
        >>> gan.G_W2_ = np.zeros((16, 1)); gan.G_b2_ = np.array([2.0])     # u = 2 for every z
        >>> gan.generate(np.zeros((3, 1)))                                 # 5 + 1 * 2
        array([7., 7., 7.])
        """
        # TODO 1: the hidden layer: a = z @ G_W1_ + G_b1_, then the leaky ReLU.
        # TODO 2: the output layer gives u in standard units (column 0); return loc_ + scale_ * u.
        raise NotImplementedError

    def discriminate(self, x):
        """The discriminator's logits ``D(x)`` (``sigmoid(D(x))`` is its probability that ``x`` is real).

        Parameters
        ----------
        x : array_like of shape (n,)
            Samples in the units of the data.

        Returns
        -------
        logits : ndarray of shape (n,)
            ``tanh(u @ D_W1_ + D_b1_) @ D_W2_ + D_b2_``, column 0, with ``u = (x - loc_) / scale_`` as a column.

        Examples
        --------
        >>> gan = GAN(n_iters=0, random_state=0).fit([4.0, 6.0])
        >>> gan.D_W2_ = np.zeros((16, 1)); gan.D_b2_ = np.array([-1.5])    # the same logit everywhere
        >>> gan.discriminate([0.0, 7.0])
        array([-1.5, -1.5])
        """
        # TODO 1: standardise x into a column u (n, 1); the tanh hidden layer; the output layer, column 0.
        raise NotImplementedError

    def discriminator_gradients(self, x_real, x_fake):
        """The discriminator's loss and its gradients with respect to D's four parameters.

        With ``l_r = D(x_real)`` (``n_r`` logits) and ``l_f = D(x_fake)`` (``n_f`` logits)::

            loss = mean(-log_sigmoid(l_r)) + mean(-log_sigmoid(-l_f))       a sum of two means

            dloss/dl_r = -sigmoid(-l_r) / n_r        (= (sigmoid(l_r) - 1) / n_r: prediction - label 1)
            dloss/dl_f =  sigmoid(l_f) / n_f         (= prediction - label 0)

        Then backpropagate through ``D`` with both batches at once: stack their standardised values into
        one column ``U``, with ``h = tanh(U @ D_W1 + D_b1)`` and ``g`` the column of the logits' gradients::

            dD_W2 = h.T @ g          dD_b2 = g summed over the rows        shapes (H, 1) and (1,)
            da    = (g @ D_W2.T) * (1 - h ** 2)                              back through tanh
            dD_W1 = U.T @ da         dD_b1 = da summed over the rows        shapes (1, H) and (H,)

        Nothing is updated.

        Parameters
        ----------
        x_real : array_like of shape (n_r,)
        x_fake : array_like of shape (n_f,)
            Samples in the units of the data.

        Returns
        -------
        loss : float
        grads : dict
            ``{"D_W1": (1, H), "D_b1": (H,), "D_W2": (H, 1), "D_b2": (1,)}``: the names of the attributes
            without their trailing underscore.

        Examples
        --------
        >>> gan = GAN(n_iters=0, random_state=0).fit([0.0, 1.0])
        >>> gan.D_W2_ = np.zeros((16, 1))        # D(x) = 0 everywhere: sigmoid = 1/2 for every sample
        >>> loss, grads = gan.discriminator_gradients(np.ones(4), np.zeros(2))
        >>> round(loss, 4), round(float(2 * np.log(2)), 4)
        (1.3863, 1.3863)
        >>> grads["D_b2"]                         # 4 * (-1/2) / 4 + 2 * (1/2) / 2
        array([0.])
        """
        # TODO 1: standardise real and fake samples and stack them into one column U; forward through D,
        #         keeping h; split the logits into the real ones and the fake ones.
        # TODO 2: the loss, a sum of two means, with log_sigmoid.
        # TODO 3: the gradient of the loss with respect to each logit (sigmoid(l) = exp(log_sigmoid(l))),
        #         stacked like the logits, as a column g.
        # TODO 4: backpropagate through the output layer, tanh, and the hidden layer.
        # TODO 5: return the loss as a float and the dict.
        raise NotImplementedError

    def generator_gradients(self, z):
        """The generator's (non-saturating) loss and its gradients with respect to G's four parameters.

        The generator's output ``u`` (standard units) goes straight into the discriminator's network:
        turning it into a sample ``loc_ + scale_ * u`` and standardising it again would give ``u`` back.
        With ``l`` the ``n`` logits of the fakes::

            loss = mean(-log_sigmoid(l))                  dloss/dl = -sigmoid(-l) / n

        The loss reaches ``G`` only through ``D``'s input, so backpropagate through ``D`` down to ``u``
        (``h_D = tanh(u @ D_W1 + D_b1)``, ``g`` the column of ``dloss/dl``)::

            du = ((g @ D_W2.T) * (1 - h_D ** 2)) @ D_W1.T            shape (n, 1)

        and then through ``G`` (``a = z @ G_W1 + G_b1``, ``h_G = leaky_relu(a)``)::

            dG_W2 = h_G.T @ du       dG_b2 = du summed over the rows
            da    = (du @ G_W2.T) * slope                slope = 1 where a > 0, else 0.2
            dG_W1 = z.T @ da         dG_b1 = da summed over the rows

        ``D``'s weights are used, not changed, and no gradient of ``D`` is returned: the generator's step
        updates the generator only.

        Parameters
        ----------
        z : array_like of shape (n, latent_dim)

        Returns
        -------
        loss : float
        grads : dict
            ``{"G_W1": (L, H), "G_b1": (H,), "G_W2": (H, 1), "G_b2": (1,)}``, G's parameters only.

        Examples
        --------
        >>> gan = GAN(n_iters=0, random_state=0).fit([0.0, 1.0])
        >>> gan.D_W2_ = np.zeros((16, 1))        # D(u) = 0 for every u: D shows G no direction
        >>> loss, grads = gan.generator_gradients(np.ones((5, 1)))
        >>> round(loss, 4), round(float(np.log(2)), 4), grads["G_W1"].shape, float(np.abs(grads["G_b2"]).max())
        (0.6931, 0.6931, (1, 16), 0.0)
        """
        # TODO 1: forward through G to u (keep a and h_G), then through D's network (keep h_D) to the logits.
        # TODO 2: the non-saturating loss and its gradient with respect to the logits, as a column g.
        # TODO 3: backpropagate through D down to its input u (D's weights are only read).
        # TODO 4: then through G: its output layer, the leaky ReLU, its hidden layer.
        # TODO 5: return the loss as a float and the dict of G's gradients.
        raise NotImplementedError

    def train_step(self, x_real, z_fake, z, learning_rate):
        """One training iteration, by plain gradient descent: a discriminator step, then a generator step.

        1. The fakes ``x_fake = generate(z_fake)``; ``d_loss, grads = discriminator_gradients(x_real,
           x_fake)``; every parameter of D becomes ``param - learning_rate * grads[name]``. G does not move.
        2. ``g_loss, grads = generator_gradients(z)``, with the discriminator JUST updated; every parameter
           of G becomes ``param - learning_rate * grads[name]``. D does not move.

        Store the new values in the attributes (``self.D_W1_ = ...``).

        Parameters
        ----------
        x_real : array_like of shape (n_r,)
            A batch of real samples.
        z_fake : array_like of shape (n_f, latent_dim)
            Noise for the fakes of the discriminator step.
        z : array_like of shape (n, latent_dim)
            Fresh noise for the generator step.
        learning_rate : float
            The step size of this iteration (``fit`` lowers it from one iteration to the next).

        Returns
        -------
        d_loss, g_loss : float
            The losses computed in each step, before its update.

        Examples
        --------
        >>> gan = GAN(n_iters=0, random_state=0).fit([0.0, 1.0])
        >>> before = gan.D_W1_.copy()
        >>> d_loss, g_loss = gan.train_step([0.5, 1.5], np.zeros((2, 1)), np.ones((3, 1)), learning_rate=0.0)
        >>> bool(np.array_equal(before, gan.D_W1_))          # a zero step changes nothing
        True
        """
        # TODO 1: the discriminator step: fakes from z_fake, D's loss and gradients, and a step against
        #         them for D's four parameters only.
        # TODO 2: the generator step on z, with the updated D: G's loss and gradients, and a step against
        #         them for G's four parameters only.
        # TODO 3: return both losses.
        raise NotImplementedError

    def sample(self, n, random_state=None):
        """``n`` new samples: ``generate`` on noise drawn from ``np.random.default_rng(random_state)``.

        The noise is ``rng.normal(size=(n, latent_dim))``; the same ``random_state`` gives the same
        samples (``0`` is a seed like any other).

        Parameters
        ----------
        n : int
        random_state : int or None, default None

        Returns
        -------
        x : ndarray of shape (n,)
        """
        # TODO 1: noise from a generator seeded with random_state, through generate.
        raise NotImplementedError
