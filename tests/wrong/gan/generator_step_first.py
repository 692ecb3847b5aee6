"""Mistake: train_step runs the generator step before the discriminator step, so the discriminator then trains on fakes of the updated generator."""

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
    # BEGIN SOLUTION
    # Step 1: 1 + exp(-z) is exp(0) + exp(-z): let numpy take the log of that sum of two exponentials,
    #         which it does without overflow; return minus it.
    return -np.logaddexp(0.0, -np.asarray(z, dtype=float))
    # END SOLUTION


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
        # BEGIN SOLUTION
        # Step 1: turn x into a 1-D float array (np.array makes a copy) and raise ValueError unless it
        #         is 1-D and not empty; store loc_ and scale_ (1.0 if the standard deviation is 0).
        x = np.array(x, dtype=float)
        if x.ndim != 1 or x.shape[0] == 0:
            raise ValueError(f"fit expects real samples of shape (n_samples,); got shape {x.shape}")
        self.loc_ = float(x.mean())
        self.scale_ = float(x.std()) if x.std() > 0 else 1.0
        # Step 2: from rng = np.random.default_rng(random_state), draw G_W1_, G_W2_, D_W1_, D_W2_ in that
        #         order (scales in the class docstring); the biases are zeros.
        rng = np.random.default_rng(self.random_state)
        L, H = self.latent_dim, self.hidden
        self.G_W1_ = rng.normal(size=(L, H)) / np.sqrt(L)
        self.G_b1_ = np.zeros(H)
        self.G_W2_ = 0.1 * rng.normal(size=(H, 1)) / np.sqrt(H)
        self.G_b2_ = np.zeros(1)
        self.D_W1_ = rng.normal(size=(1, H))
        self.D_b1_ = np.zeros(H)
        self.D_W2_ = rng.normal(size=(H, 1)) / np.sqrt(H)
        self.D_b2_ = np.zeros(1)
        # Step 3: n_iters times: draw a real batch (with replacement), z_fake and z, call train_step with
        #         the learning rate of this step and record its two losses.
        d_losses, g_losses = np.empty(self.n_iters), np.empty(self.n_iters)
        for step in range(self.n_iters):
            x_real = x[rng.integers(0, x.shape[0], size=self.batch_size)]
            z_fake = rng.normal(size=(self.batch_size, L))
            z = rng.normal(size=(self.batch_size, L))
            rate = self.learning_rate * (1.0 - step / self.n_iters)
            d_losses[step], g_losses[step] = self.train_step(x_real, z_fake, z, rate)
        # Step 4: store d_loss_history_ and g_loss_history_, and return self.
        self.d_loss_history_, self.g_loss_history_ = d_losses, g_losses
        return self
        # END SOLUTION

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
        # BEGIN SOLUTION
        # Step 1: the hidden layer: a = z @ G_W1_ + G_b1_, then the leaky ReLU.
        a = np.asarray(z, dtype=float) @ self.G_W1_ + self.G_b1_
        h = np.where(a > 0, a, LEAKY_SLOPE * a)
        # Step 2: the output layer gives u in standard units (column 0); return loc_ + scale_ * u.
        u = (h @ self.G_W2_ + self.G_b2_)[:, 0]
        return self.loc_ + self.scale_ * u
        # END SOLUTION

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
        # BEGIN SOLUTION
        # Step 1: standardise x into a column u (n, 1); the tanh hidden layer; the output layer, column 0.
        u = ((np.asarray(x, dtype=float) - self.loc_) / self.scale_)[:, None]
        h = np.tanh(u @ self.D_W1_ + self.D_b1_)
        return (h @ self.D_W2_ + self.D_b2_)[:, 0]
        # END SOLUTION

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
        # BEGIN SOLUTION
        # Step 1: standardise real and fake samples and stack them into one column U; forward through D,
        #         keeping h; split the logits into the real ones and the fake ones.
        x_real = np.asarray(x_real, dtype=float)
        x_fake = np.asarray(x_fake, dtype=float)
        U = ((np.concatenate([x_real, x_fake]) - self.loc_) / self.scale_)[:, None]
        h = np.tanh(U @ self.D_W1_ + self.D_b1_)
        logits = (h @ self.D_W2_ + self.D_b2_)[:, 0]
        real, fake = logits[: len(x_real)], logits[len(x_real):]
        # Step 2: the loss, a sum of two means, with log_sigmoid.
        loss = -np.mean(log_sigmoid(real)) - np.mean(log_sigmoid(-fake))
        # Step 3: the gradient of the loss with respect to each logit (sigmoid(l) = exp(log_sigmoid(l))),
        #         stacked like the logits, as a column g.
        g = np.concatenate([-np.exp(log_sigmoid(-real)) / len(real), np.exp(log_sigmoid(fake)) / len(fake)])[:, None]
        # Step 4: backpropagate through the output layer, tanh, and the hidden layer.
        da = (g @ self.D_W2_.T) * (1.0 - h**2)
        grads = {"D_W1": U.T @ da, "D_b1": da.sum(axis=0), "D_W2": h.T @ g, "D_b2": g.sum(axis=0)}
        # Step 5: return the loss as a float and the dict.
        return float(loss), grads
        # END SOLUTION

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
        # BEGIN SOLUTION
        # Step 1: forward through G to u (keep a and h_G), then through D's network (keep h_D) to the logits.
        z = np.asarray(z, dtype=float)
        a = z @ self.G_W1_ + self.G_b1_
        h_g = np.where(a > 0, a, LEAKY_SLOPE * a)
        u = h_g @ self.G_W2_ + self.G_b2_
        h_d = np.tanh(u @ self.D_W1_ + self.D_b1_)
        logits = (h_d @ self.D_W2_ + self.D_b2_)[:, 0]
        # Step 2: the non-saturating loss and its gradient with respect to the logits, as a column g.
        loss = -np.mean(log_sigmoid(logits))
        g = (-np.exp(log_sigmoid(-logits)) / len(logits))[:, None]
        # Step 3: backpropagate through D down to its input u (D's weights are only read).
        du = ((g @ self.D_W2_.T) * (1.0 - h_d**2)) @ self.D_W1_.T
        # Step 4: then through G: its output layer, the leaky ReLU, its hidden layer.
        da = (du @ self.G_W2_.T) * np.where(a > 0, 1.0, LEAKY_SLOPE)
        grads = {"G_W1": z.T @ da, "G_b1": da.sum(axis=0), "G_W2": h_g.T @ du, "G_b2": du.sum(axis=0)}
        # Step 5: return the loss as a float and the dict of G's gradients.
        return float(loss), grads
        # END SOLUTION

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
        # BEGIN SOLUTION
        # Step 1: the discriminator step: fakes from z_fake, D's loss and gradients, and a step against
        #         them for D's four parameters only.
        # Step 2: the generator step on z, with the updated D: G's loss and gradients, and a step against
        #         them for G's four parameters only.
        g_loss, grads = self.generator_gradients(z)
        for name in GENERATOR_PARAMETERS:
            setattr(self, name + "_", getattr(self, name + "_") - learning_rate * grads[name])
        d_loss, grads = self.discriminator_gradients(x_real, self.generate(z_fake))
        for name in DISCRIMINATOR_PARAMETERS:
            setattr(self, name + "_", getattr(self, name + "_") - learning_rate * grads[name])
        # Step 3: return both losses.
        return d_loss, g_loss
        # END SOLUTION

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
        # BEGIN SOLUTION
        # Step 1: noise from a generator seeded with random_state, through generate.
        rng = np.random.default_rng(random_state)
        return self.generate(rng.normal(size=(n, self.latent_dim)))
        # END SOLUTION
