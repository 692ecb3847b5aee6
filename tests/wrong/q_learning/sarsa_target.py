"""Mistake: train chooses the next action before the update and update bootstraps from Q[next_state, next_action] (SARSA's target), not the max."""

import numpy as np


class QLearningAgent:
    """Tabular Q-learning with an epsilon-greedy behaviour.

    The constructor stores its arguments and creates the table ``Q`` (this part is given): every estimate
    starts at 0.

    Parameters
    ----------
    n_states, n_actions : int
        Sizes of the table (``env.observation_space.n``, ``env.action_space.n``).
    alpha : float, default 0.1
        The step size: how far one update moves ``Q[state, action]`` towards its target (0 < alpha <= 1).
    gamma : float, default 0.99
        The discount: a reward ``k`` steps ahead counts ``gamma ** k``.
    epsilon : float, default 0.1
        The probability that ``act`` picks a uniformly random action instead of a greedy one.

    Attributes
    ----------
    Q : ndarray of shape (n_states, n_actions)
        The action values, all 0 at the start; ``update`` changes one entry at a time.

    Examples
    --------
    >>> agent = QLearningAgent(n_states=3, n_actions=2, alpha=0.5, gamma=0.9)
    >>> agent.Q.shape
    (3, 2)
    >>> agent.update(state=0, action=1, reward=-1.0, next_state=2, terminated=False)
    -1.0
    >>> agent.Q                                       # 0 + 0.5 * (-1 + 0.9 * 0 - 0)
    array([[ 0. , -0.5],
           [ 0. ,  0. ],
           [ 0. ,  0. ]])
    """

    def __init__(self, n_states, n_actions, alpha=0.1, gamma=0.99, epsilon=0.1):
        self.n_states = n_states
        self.n_actions = n_actions
        self.alpha = alpha
        self.gamma = gamma
        self.epsilon = epsilon
        self.Q = np.zeros((n_states, n_actions))

    def act(self, state, rng):
        """Choose an action in ``state``, epsilon-greedily.

        With probability ``epsilon`` a uniformly random action (any of the ``n_actions``, the greedy one
        included); otherwise a greedy one: an action with the largest ``Q[state, a]``. When several actions
        share the largest value, pick one of them at random (or the lowest; both are fine). All the
        randomness comes from ``rng``, so that the same seed gives the same choices.

        Parameters
        ----------
        state : int
        rng : numpy.random.Generator
            Draw with ``rng.random()`` (a float in [0, 1)) and ``rng.integers(n)`` / ``rng.choice(...)``.

        Returns
        -------
        action : int
            In ``range(n_actions)``.

        Examples
        --------
        >>> agent = QLearningAgent(2, 3, epsilon=0.0)
        >>> agent.Q[1] = [0.5, 2.0, -1.0]
        >>> agent.act(1, np.random.default_rng(0))      # epsilon = 0: always the greedy action
        1
        """
        # BEGIN SOLUTION
        # Step 1: with probability epsilon (rng.random() < epsilon), return a uniformly random action.
        if rng.random() < self.epsilon:
            return int(rng.integers(self.n_actions))
        # Step 2: otherwise find the actions whose Q[state, a] equals the largest value, and return one
        #         of them as an int.
        values = self.Q[state]
        best = np.flatnonzero(values == values.max())
        return int(rng.choice(best))
        # END SOLUTION

    def update(self, state, action, reward, next_state, terminated, next_action=None):
        """Move ``Q[state, action]`` towards its Q-learning target; return the TD error.

        ::

            target   = reward                                           if terminated
                       reward + gamma * max over a of Q[next_state, a]  otherwise
            TD error = target - Q[state, action]
            Q[state, action] = Q[state, action] + alpha * TD error

        Only that one entry of ``Q`` changes. The ``max`` is over the actions of the NEXT state, whatever
        action the agent will take there.

        Parameters
        ----------
        state, action : int
            Where the agent was and what it did.
        reward : float
            What ``env.step`` gave for it.
        next_state : int
            Where it landed.
        terminated : bool
            True if ``next_state`` ends the task (goal or hole): no bootstrap. (A truncated episode, time
            out, is NOT terminated.)

        Returns
        -------
        td_error : float
            The TD error, computed before the update.

        Examples
        --------
        >>> agent = QLearningAgent(2, 2, alpha=0.5, gamma=0.9)
        >>> agent.Q[:] = [[1.0, 0.0], [4.0, 2.0]]
        >>> agent.update(0, 0, reward=-1.0, next_state=1, terminated=False)   # -1 + 0.9 * 4 - 1
        1.6
        >>> agent.Q[0, 0]                                                     # 1 + 0.5 * 1.6
        1.8
        """
        # BEGIN SOLUTION
        # Step 1: the target: the reward, plus gamma * max(Q[next_state]) unless terminated.
        if next_action is None:
            next_action = int(np.argmax(self.Q[next_state]))
        target = reward if terminated else reward + self.gamma * self.Q[next_state, next_action]
        # Step 2: the TD error, target - Q[state, action], computed before you change anything.
        td_error = float(target - self.Q[state, action])
        # Step 3: move Q[state, action] by alpha * TD error and return the TD error.
        self.Q[state, action] += self.alpha * td_error
        return td_error
        # END SOLUTION

    def train(self, env, n_episodes, rng):
        """Learn from ``n_episodes`` episodes in ``env``; return the return of each episode.

        One episode::

            state, info = env.reset()
            repeat:   action = act(state, rng)
                      next_state, reward, terminated, truncated, info = env.step(action)
                      update(state, action, reward, next_state, terminated)
                      state = next_state
            until terminated or truncated

        Parameters
        ----------
        env : an environment with Gymnasium's ``reset()`` and ``step(action)``
            e.g. ``grader.support.environments.make("gridworld", seed=0)``.
        n_episodes : int
        rng : numpy.random.Generator
            Passed on to ``act``.

        Returns
        -------
        returns : ndarray of shape (n_episodes,)
            ``returns[i]`` is the sum of the rewards of episode ``i`` (not discounted), e.g. ``-9.0`` for
            nine steps of reward -1.

        Examples
        --------
        >>> from grader.support.environments import make, run_greedy
        >>> env = make("gridworld", seed=0)
        >>> agent = QLearningAgent(env.observation_space.n, env.action_space.n, alpha=0.5)
        >>> returns = agent.train(env, 150, np.random.default_rng(0))
        >>> returns.shape
        (150,)
        >>> run_greedy(env, agent.Q)[0]           # the greedy policy now walks a shortest path: 9 moves of -1
        -9.0
        """
        # BEGIN SOLUTION
        # Step 1: an array for the returns, one entry per episode.
        returns = np.zeros(n_episodes)
        for episode in range(n_episodes):
            # Step 2: for each episode, reset the environment; then act, step, update, add the reward to this
            #         episode's return and move on to next_state, until the episode is terminated or
            #         truncated. Pass only `terminated` to update: a truncated episode still bootstraps.
            state, _ = env.reset()
            action = self.act(state, rng)
            done = False
            while not done:
                next_state, reward, terminated, truncated, _ = env.step(action)
                next_action = self.act(next_state, rng)
                self.update(state, action, reward, next_state, terminated, next_action)
                returns[episode] += reward
                state, action = next_state, next_action
                done = terminated or truncated
        # Step 3: return the returns.
        return returns
        # END SOLUTION
