"""Mistake: first_visit_mc_prediction divides each state's sum of returns by the number of episodes, not by the number of episodes that visit it."""

"""Monte Carlo prediction and control: exercise 13 of ml-from-scratch.

Dynamic programming needs the model of the world (``P`` and ``R``). Monte Carlo methods need only
experience: play whole episodes, look at what they earned, and average. No model, no bootstrapping.

An episode is a list of steps. At step ``t`` the agent is in state ``S_t``, takes action ``A_t`` and
receives reward ``R_{t+1}``; we store the three in ``states[t]``, ``actions[t]``, ``rewards[t]``::

    t          0        1        2
    states     S_0      S_1      S_2        (S_3, where the episode ended, is NOT stored)
    actions    A_0      A_1      A_2
    rewards    R_1      R_2      R_3        rewards[t] is what action t earned

The return from step ``t`` is everything earned from then on, discounted by ``gamma`` per step::

    G_t = rewards[t] + gamma * rewards[t + 1] + gamma**2 * rewards[t + 2] + ...
        = rewards[t] + gamma * G_{t+1}                   (walk the episode backwards)

The value of a state under a policy is its expected return, ``V(s) = E[G_t | S_t = s]``: so estimate it
by the average of the returns observed after visiting ``s``. *First-visit* Monte Carlo counts one return
per episode for each state, the one after its first visit (Sutton & Barto, chapter 5.1).

Control (chapter 5.4) does the same for each (state, action) pair, ``Q(s, a)``, and acts
epsilon-greedily from its current ``Q`` while it generates episodes: mostly the best action so far, but
every action keeps a probability of at least ``epsilon / n_actions``, so every pair keeps being tried.

An episode ends when ``step`` reports ``terminated`` (the goal or a hole) or ``truncated`` (time ran out).

The worlds to try it on are in ``grader.support.environments``: ``env = make("gridworld")``, then
``print(env.render_values(V))`` draws your values on the map and ``print(env.render_policy(policy))``
a policy as arrows; ``policy_values(env, policy, gamma)`` gives the exact values to compare with.

Grade your work with ``ml-grade monte_carlo``; stuck? ``ml-grade hint monte_carlo``.
"""

import numpy as np


def discounted_returns(rewards, gamma):
    """The return ``G_t`` from every step of one episode.

    ``G_t = rewards[t] + gamma * G_{t+1}``, with ``G_T = 0`` after the last step: compute it backwards,
    from the last step to the first, so that each return reuses the one after it.

    Parameters
    ----------
    rewards : array_like of shape (T,)
        ``rewards[t]`` is the reward received after the action at step ``t``.
    gamma : float
        Discount factor in [0, 1].

    Returns
    -------
    returns : ndarray of float, shape (T,)
        ``returns[t] = rewards[t] + gamma * rewards[t + 1] + gamma**2 * rewards[t + 2] + ...``

    Examples
    --------
    >>> discounted_returns([1.0, 2.0, 3.0], gamma=0.5)      # [1 + 0.5 * 3.5, 2 + 0.5 * 3, 3]
    array([2.75, 3.5 , 3.  ])
    """
    # BEGIN SOLUTION
    # Step 1: turn rewards into a float array and prepare an output array of the same length.
    rewards = np.asarray(rewards, dtype=float)
    returns = np.zeros_like(rewards)
    # Step 2: walk the steps backwards, G = rewards[t] + gamma * G, storing G at each step.
    G = 0.0
    for t in reversed(range(len(rewards))):
        G = rewards[t] + gamma * G
        returns[t] = G
    return returns
    # END SOLUTION


def generate_episode(env, policy, rng):
    """Play one episode in ``env``, drawing each action from ``policy`` with ``rng``.

    Start with ``state, info = env.reset()``. Then, until the episode ends: draw an action with
    ``rng.choice(n_actions, p=policy[state])``, take it with
    ``next_state, reward, terminated, truncated, info = env.step(action)``, and record ``state``,
    ``action`` and ``reward``. Stop as soon as ``terminated`` OR ``truncated`` is true (calling ``step``
    again after that is an error). The state reached by the last action is not recorded.

    Parameters
    ----------
    env : GridWorld
        An environment with Gymnasium's ``reset()`` and ``step(action)``; ``env.action_space.n`` actions.
    policy : array_like of shape (n_states, n_actions)
        ``policy[s, a]`` is the probability of taking action ``a`` in state ``s``; each row sums to 1.
    rng : numpy.random.Generator
        The only source of randomness for the actions.

    Returns
    -------
    states, actions, rewards : three lists of length T
        ``states[t]`` is where action ``actions[t]`` was taken, ``rewards[t]`` what it earned.

    Examples
    --------
    >>> from grader.support.environments import GridWorld
    >>> env = GridWorld(["S..G"])                          # a corridor: the goal is 3 moves right
    >>> always_right = np.tile([0.0, 1.0, 0.0, 0.0], (4, 1))
    >>> generate_episode(env, always_right, np.random.default_rng(0))
    ([0, 1, 2], [1, 1, 1], [-1.0, -1.0, -1.0])
    """
    # BEGIN SOLUTION
    # Step 1: turn policy into a float array, start empty lists and reset the environment.
    policy = np.asarray(policy, dtype=float)
    n_actions = policy.shape[1]
    states, actions, rewards = [], [], []
    state, _ = env.reset()
    # Step 2: loop: draw an action from policy[state], step, record (state, action, reward), move on;
    #         stop when the step says terminated or truncated.
    while True:
        action = int(rng.choice(n_actions, p=policy[state]))
        next_state, reward, terminated, truncated, _ = env.step(action)
        states.append(state)
        actions.append(action)
        rewards.append(float(reward))
        state = next_state
        if terminated or truncated:
            return states, actions, rewards
    # END SOLUTION


def first_visit_mc_prediction(episodes, n_states, gamma):
    """Estimate ``V`` from finished episodes by first-visit Monte Carlo.

    For each episode compute the returns ``G_t``; for each state ``s`` that the episode visits, take
    the return after its FIRST visit only (a state visited three times contributes one return). ``V[s]``
    is the average of those returns over the episodes that visit ``s``::

        V[s] = (sum over episodes visiting s of G_{first t with states[t] == s}) / (number of such episodes)

    A state that no episode visits has ``V[s] = 0``.

    Parameters
    ----------
    episodes : list of (states, actions, rewards)
        Each as returned by :func:`generate_episode` (lists or 1-D arrays of equal length).
    n_states : int
    gamma : float

    Returns
    -------
    V : ndarray of float, shape (n_states,)

    Examples
    --------
    >>> episodes = [([0, 1, 0], [1, 1, 1], [-1.0, -1.0, -1.0]),    # state 0 visited twice: counted once
    ...             ([1], [1], [-1.0])]
    >>> first_visit_mc_prediction(episodes, n_states=3, gamma=1.0)   # V[0] = -3, V[1] = (-2 + -1) / 2
    array([-3. , -1.5,  0. ])
    """
    # BEGIN SOLUTION
    # Step 1: one running sum of returns and one count of episodes per state, both zeros.
    totals = np.zeros(n_states)
    counts = np.zeros(n_states)
    # Step 2: for each episode: the returns, then the step of the first visit of each state
    #         (np.unique(states, return_index=True) gives both), added to the sums and counts.
    for states, _, rewards in episodes:
        returns = discounted_returns(rewards, gamma)
        visited, first_step = np.unique(np.asarray(states, dtype=int), return_index=True)
        totals[visited] += returns[first_step]
        counts[visited] += 1
    # Step 3: divide where the count is positive; unvisited states stay 0 (no 0 / 0).
    return totals / max(len(episodes), 1)
    # END SOLUTION


def mc_prediction(env, policy, n_episodes, gamma, rng):
    """The value of ``policy`` in ``env``, estimated from ``n_episodes`` episodes.

    Generate the episodes with :func:`generate_episode`, then estimate with
    :func:`first_visit_mc_prediction`; ``env.observation_space.n`` is the number of states.

    Parameters
    ----------
    env : GridWorld
    policy : array_like of shape (n_states, n_actions)
    n_episodes : int
    gamma : float
    rng : numpy.random.Generator

    Returns
    -------
    V : ndarray of float, shape (n_states,)
        Close to the true values of ``policy`` on the states the episodes visit often.

    Examples
    --------
    >>> from grader.support.environments import GridWorld
    >>> env = GridWorld(["S..G"])
    >>> always_right = np.tile([0.0, 1.0, 0.0, 0.0], (4, 1))
    >>> mc_prediction(env, always_right, 10, 0.9, np.random.default_rng(0))   # -(1 + 0.9 + 0.81), ...
    array([-2.71, -1.9 , -1.  ,  0.  ])
    """
    # BEGIN SOLUTION
    # Step 1: generate n_episodes episodes and estimate V from them.
    episodes = [generate_episode(env, policy, rng) for _ in range(n_episodes)]
    return first_visit_mc_prediction(episodes, env.observation_space.n, gamma)
    # END SOLUTION


def epsilon_greedy_policy(Q, epsilon):
    """The epsilon-greedy policy of ``Q``, as a table of action probabilities.

    Every action gets ``epsilon / n_actions``; a greedy action (one with the largest ``Q[s]``) gets
    ``1 - epsilon`` more::

        policy[s, a] = epsilon / n_actions + (1 - epsilon) * (a == argmax_a Q[s, a])

    Each row sums to 1. When several actions tie for the largest ``Q[s]``, give the ``1 - epsilon`` to one
    of them (``np.argmax`` picks the first) or share it equally among them: both are accepted.

    Parameters
    ----------
    Q : array_like of shape (n_states, n_actions)
    epsilon : float in [0, 1]

    Returns
    -------
    policy : ndarray of float, shape (n_states, n_actions)

    Examples
    --------
    >>> epsilon_greedy_policy([[1.0, 3.0, 2.0, 0.0]], epsilon=0.2)
    array([[0.05, 0.85, 0.05, 0.05]])
    """
    # BEGIN SOLUTION
    # Step 1: epsilon / n_actions everywhere.
    Q = np.asarray(Q, dtype=float)
    n_states, n_actions = Q.shape
    policy = np.full((n_states, n_actions), epsilon / n_actions)
    # Step 2: 1 - epsilon more on the greedy action of each row.
    policy[np.arange(n_states), np.argmax(Q, axis=1)] += 1.0 - epsilon
    return policy
    # END SOLUTION


def mc_control(env, n_episodes, gamma, epsilon, rng):
    """On-policy first-visit Monte Carlo control with an epsilon-greedy policy (Sutton & Barto, 5.4).

    Start with ``Q = 0`` (shape ``(n_states, n_actions)``) and its epsilon-greedy policy. For each episode:

    1. generate it with the current epsilon-greedy policy;
    2. for each (state, action) pair it visits, take the return after the FIRST visit of that pair and
       update the running average ``Q[s, a]`` = mean of all such returns so far;
    3. make the policy epsilon-greedy with respect to the new ``Q``.

    Pairs never visited keep ``Q = 0``.

    Parameters
    ----------
    env : GridWorld
        ``env.observation_space.n`` states, ``env.action_space.n`` actions.
    n_episodes : int
    gamma : float
    epsilon : float in [0, 1]
    rng : numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    Q : ndarray of float, shape (n_states, n_actions)
        The average first-visit return of each (state, action) pair.
    policy : ndarray of float, shape (n_states, n_actions)
        The final epsilon-greedy policy of ``Q`` (``epsilon_greedy_policy(Q, epsilon)``). Its greedy
        part, ``np.argmax(Q, axis=1)``, is the learned way to act.

    Examples
    --------
    >>> from grader.support.environments import GridWorld
    >>> env = GridWorld(["S..G"])
    >>> Q, policy = mc_control(env, 200, 0.9, 0.1, np.random.default_rng(0))
    >>> np.argmax(Q, axis=1)[:3]           # right, right, right
    array([1, 1, 1])
    """
    # BEGIN SOLUTION
    # Step 1: Q, the sum of returns and the count of each (state, action) pair start at 0; the first
    #         policy is epsilon-greedy in Q.
    n_states, n_actions = env.observation_space.n, env.action_space.n
    totals = np.zeros((n_states, n_actions))
    counts = np.zeros((n_states, n_actions))
    Q = np.zeros((n_states, n_actions))
    policy = epsilon_greedy_policy(Q, epsilon)
    # Step 2: for each episode: generate it with the current policy, compute its returns, and add the
    #         return after the first visit of each (state, action) pair to that pair's sum and count
    #         (a pair as one number, state * n_actions + action, lets np.unique find its first step).
    for _ in range(n_episodes):
        states, actions, rewards = generate_episode(env, policy, rng)
        returns = discounted_returns(rewards, gamma)
        pairs = np.asarray(states, dtype=int) * n_actions + np.asarray(actions, dtype=int)  # one number per pair
        visited, first_step = np.unique(pairs, return_index=True)
        s, a = np.divmod(visited, n_actions)
        totals[s, a] += returns[first_step]
        counts[s, a] += 1
        # Step 3: still inside the loop: Q of the visited pairs becomes their average return, and the
        #         policy the epsilon-greedy policy of the new Q.
        Q[s, a] = totals[s, a] / counts[s, a]
        policy = epsilon_greedy_policy(Q, epsilon)
    # Step 4: return Q and the final epsilon-greedy policy.
    return Q, policy
    # END SOLUTION
