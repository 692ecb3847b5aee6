"""Mistake: value_iteration runs a fixed 100 sweeps and ignores tol."""

import numpy as np


def q_values(P, R, V, gamma):
    """The action values of ``V``: ``Q[s, a] = R[s, a] + gamma * sum_s2 P[s, a, s2] * V[s2]``.

    One Bellman backup for every state and action at once: ``R + gamma * (P @ V)``.

    Parameters
    ----------
    P : array_like of shape (S, A, S)
        Transition probabilities, ``P[s, a, s2]``.
    R : array_like of shape (S, A)
        Expected rewards.
    V : array_like of shape (S,)
        State values.
    gamma : float
        Discount factor in ``[0, 1)``.

    Returns
    -------
    Q : ndarray of shape (S, A)

    Examples
    --------
    >>> P = np.array([[[0.0, 1.0]], [[0.0, 1.0]]])    # 2 states, 1 action: always go to state 1
    >>> q_values(P, [[1.0], [0.0]], [0.0, 10.0], 0.5)
    array([[6.],
           [5.]])
    """
    # BEGIN SOLUTION
    # Step 1: turn P, R and V into float arrays (plain lists are accepted; do not change them).
    P, R, V = np.asarray(P, dtype=float), np.asarray(R, dtype=float), np.asarray(V, dtype=float)
    # Step 2: return R + gamma * (the expected value of the next state): P @ V sums over the LAST axis of P.
    return R + gamma * (P @ V)
    # END SOLUTION


def policy_evaluation(P, R, policy, gamma=0.9, tol=1e-8):
    """The values of ``policy``: sweep ``V[s] = sum_a policy[s, a] * Q[s, a]`` until nothing changes.

    Start from ``V = 0``; each sweep computes ``Q = q_values(P, R, V, gamma)`` and the new values
    ``V_new = sum(policy * Q, axis=1)``, the policy's average over its actions (shape ``(S,)``). Stop when
    the largest change ``max |V_new - V|`` is below ``tol`` and return ``V_new``. Each sweep shrinks the
    distance to the true values by ``gamma``, so the result is within ``tol * gamma / (1 - gamma)`` of the
    exact solution of the linear system ``V = R_pi + gamma P_pi V``. (Solving that system with
    ``np.linalg.solve`` is graded as correct too.)

    Parameters
    ----------
    P : array_like of shape (S, A, S)
    R : array_like of shape (S, A)
    policy : array_like of shape (S, A)
        Action probabilities, each row summing to 1 (stochastic policies included).
    gamma : float, default 0.9
        Discount factor in ``[0, 1)``.
    tol : float, default 1e-8
        Stop when the largest change of one sweep is below ``tol``.

    Returns
    -------
    V : ndarray of shape (S,)

    Examples
    --------
    >>> P = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [0.0, 1.0]]])   # state 1 is absorbing
    >>> R = np.array([[1.0, 5.0], [0.0, 0.0]])
    >>> policy_evaluation(P, R, [[0.5, 0.5], [1.0, 0.0]], gamma=0.5)       # V[0] = 3 + 0.5 * 0.5 * V[0]
    array([4., 0.])
    """
    # BEGIN SOLUTION
    # Step 1: turn the policy into a float array and start from V = 0 (one value per state).
    policy = np.asarray(policy, dtype=float)
    V = np.zeros(policy.shape[0])
    # Step 2: repeat: Q from V, then V_new = the policy-weighted sum of Q over the actions (axis 1);
    #         return V_new once the largest change max |V_new - V| is below tol.
    while True:
        V_new = np.sum(policy * q_values(P, R, V, gamma), axis=1)
        if np.max(np.abs(V_new - V)) < tol:
            return V_new
        V = V_new
    # END SOLUTION


def greedy_policy(Q):
    """The deterministic policy that takes, in each state, an action with the largest ``Q[s, a]``.

    Policy improvement: a one-hot row per state, ``policy[s, a] = 1`` for ``a = argmax_a Q[s, a]``, 0
    elsewhere. When several actions share the largest value, any of them is right (``np.argmax`` takes
    the first).

    Parameters
    ----------
    Q : array_like of shape (S, A)

    Returns
    -------
    policy : ndarray of shape (S, A)
        Floats, one 1.0 per row.

    Examples
    --------
    >>> greedy_policy([[1.0, 3.0, 2.0], [0.0, -1.0, 0.0]])
    array([[0., 1., 0.],
           [1., 0., 0.]])
    """
    # BEGIN SOLUTION
    # Step 1: find the best action of each state (np.argmax over axis 1).
    Q = np.asarray(Q, dtype=float)
    best = np.argmax(Q, axis=1)
    # Step 2: turn the actions into one-hot rows, e.g. rows of the identity np.eye(n_actions)[best].
    return np.eye(Q.shape[1])[best]
    # END SOLUTION


def policy_iteration(P, R, gamma=0.9, tol=1e-8):
    """Policy iteration: evaluate the policy, make it greedy, repeat until it no longer changes.

    Start from the policy that always takes action 0. Then repeat:

    1. ``V = policy_evaluation(P, R, policy, gamma, tol)`` and ``Q = q_values(P, R, V, gamma)``;
    2. improve: in each state where the best action beats the current one, ``max_a Q[s, a]`` against
       ``sum_a policy[s, a] * Q[s, a]``, by more than ``2 * tol / (1 - gamma)``, switch to the greedy
       action; keep the current action elsewhere;
    3. if no state switched, the policy is stable: return ``(V, policy)``.

    Why the margin: ``V`` is only accurate to about ``tol / (1 - gamma)``, so two equally good actions
    can differ by up to twice that in ``Q``. Switching on such noise could flip between them forever;
    keeping the current action unless another is clearly better makes every switch a real improvement,
    and there are finitely many policies.

    Parameters
    ----------
    P : array_like of shape (S, A, S)
    R : array_like of shape (S, A)
    gamma : float, default 0.9
        Discount factor in ``[0, 1)``.
    tol : float, default 1e-8
        Passed on to ``policy_evaluation``.

    Returns
    -------
    V : ndarray of shape (S,)
        The values of the returned policy (optimal up to the tolerance).
    policy : ndarray of shape (S, A)
        An optimal deterministic policy, one-hot rows.

    Examples
    --------
    >>> P = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [0.0, 1.0]]])
    >>> V, policy = policy_iteration(P, [[1.0, 5.0], [0.0, 0.0]], gamma=0.5)
    >>> policy[0]                       # staying pays 1 + 0.5 + 0.25 + ... = 2 < 5 for leaving
    array([0., 1.])
    """
    # BEGIN SOLUTION
    # Step 1: start from the deterministic policy that always takes action 0 (one-hot rows).
    R = np.asarray(R, dtype=float)
    n_states, n_actions = R.shape
    policy = np.zeros((n_states, n_actions))
    policy[:, 0] = 1.0
    margin = 2 * tol / (1 - gamma)
    # Step 2: evaluate the policy and compute Q from its values.
    while True:
        V = policy_evaluation(P, R, policy, gamma, tol)
        Q = q_values(P, R, V, gamma)
        # Step 3: find the states where the best action beats the policy's own value by more than
        #         2 * tol / (1 - gamma); if there are none, the policy is stable: return (V, policy).
        improvable = Q.max(axis=1) > np.sum(policy * Q, axis=1) + margin
        if not improvable.any():
            return V, policy
        # Step 4: in those states only, switch to the greedy action (rows of greedy_policy(Q)); repeat.
        policy = np.where(improvable[:, None], greedy_policy(Q), policy)
    # END SOLUTION


def value_iteration(P, R, gamma=0.9, tol=1e-8):
    """Value iteration: sweep ``V = max_a Q[s, a]`` until nothing changes, then act greedily.

    Start from ``V = 0``; each sweep computes ``Q = q_values(P, R, V, gamma)`` and
    ``V_new = Q.max(axis=1)``. Stop when the largest change ``max |V_new - V|`` is below ``tol``: ``V_new``
    is then within ``tol * gamma / (1 - gamma)`` of the optimal values ``V*``. The policy is greedy for the
    final values: ``greedy_policy(q_values(P, R, V_new, gamma))``.

    Parameters
    ----------
    P : array_like of shape (S, A, S)
    R : array_like of shape (S, A)
    gamma : float, default 0.9
        Discount factor in ``[0, 1)``.
    tol : float, default 1e-8
        Stop when the largest change of one sweep is below ``tol``.

    Returns
    -------
    V : ndarray of shape (S,)
        The optimal values, up to the tolerance.
    policy : ndarray of shape (S, A)
        A greedy (optimal) deterministic policy, one-hot rows.

    Examples
    --------
    >>> P = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [0.0, 1.0]]])
    >>> V, policy = value_iteration(P, [[1.0, 5.0], [0.0, 0.0]], gamma=0.5)
    >>> V.round(6), policy[0]
    (array([5., 0.]), array([0., 1.]))
    """
    # BEGIN SOLUTION
    # Step 1: start from V = 0, one value per state.
    R = np.asarray(R, dtype=float)
    V = np.zeros(R.shape[0])
    # Step 2: repeat V_new = max over actions of Q(V) until the largest change |V_new - V| is below tol
    #         (the absolute value matters: the values may go down).
    for sweep in range(100):
        V = q_values(P, R, V, gamma).max(axis=1)
    # Step 3: return V and the greedy policy of Q computed from it.
    return V, greedy_policy(q_values(P, R, V, gamma))
    # END SOLUTION
