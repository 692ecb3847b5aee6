"""Hidden suite for exercise 12, dynamic_programming.

Everything is judged against exact references computed here, in the grader's process, on the grader's
own copy of each model (the learner's code gets plain arrays ``P``, ``R`` and returns arrays):

- ``q_values`` must equal ``R + gamma * P @ V`` to rounding;
- ``policy_evaluation`` must match the solution of the linear system ``(I - gamma P_pi) V = R_pi`` within
  what its stopping rule allows: stopping when the largest change of a sweep is below ``tol`` leaves the
  result within ``tol * gamma / (1 - gamma)`` of the truth (in-place sweeps too); the suite allows
  ``tol / (1 - gamma)``, so returning the values before or after the last sweep, or an exact linear solve,
  all pass;
- ``value_iteration`` and ``policy_iteration`` must return values close to the optimal ``V*`` and a policy
  that is judged by its VALUE, never compared with one answer: the suite computes the exact values of the
  returned policy and requires them to be optimal up to the bound that follows from ``tol``
  (``2 tol / (1 - gamma)^2`` for the greedy policy of nearly converged values; policy iteration, whose
  evaluations are approximate, gets twice that plus ``tol / (1 - gamma)``). Grid worlds have many equally
  good actions: any of them passes, whatever the tie-breaking, and so does a stochastic policy that
  spreads its probability over equally good actions;
- ``greedy_policy`` must return one-hot rows on an action that is AMONG the maxima (any tie-breaking).

Models: random MDPs from the seed (Dirichlet transition rows, normal rewards, more states than actions so
that a transposed array shows), the three grid worlds of ``grader.support.environments`` and a hand-made
open room full of ties; discounts from 0 (values are then the immediate rewards) to 0.99 (where a loop
that stops too early shows). Where the numbers match a typical mistake (max over actions in an
evaluation, only the most likely action of a stochastic policy, one sweep only, a missing gamma, the axes
of ``P`` mixed up, a policy that ignores rewards, action indices instead of one-hot rows), the message
names it; a policy on a grid world is drawn as arrows next to an optimal one.

Each call has 6 s (the reference needs at most 0.3 s, Python loops over the states about 3 s); a call that
does not return fails with the usual reasons for a loop that never stops, among them, for policy
iteration, switching forever between equally good actions (rounding makes that happen in some slippery
rooms with some tie-breaking rules, so it is caught when it happens, not on every seed).
"""

import numpy as np
import pytest

from grader.learner import LearnerTimeout
from grader.support.checks import expect_array, expect_close, expect_unchanged, fail, show
from grader.support.environments import GridWorld, make, optimal_values, side_by_side, values_of_policy

TIME_LIMIT = 6  # seconds per call: the reference needs at most 0.3 s, Python loops over states about 3 s
NEVER_STOPPED = ("either the loop never stops or it is far too slow. With gamma < 1 each sweep shrinks the "
                 "largest change by a factor gamma, so it must fall below tol: is gamma in Q = R + gamma * (P @ V)? "
                 "Is V replaced by the new values after each sweep? Is the stopping test max |V_new - V| < tol? "
                 "And compute a whole sweep at once with Q = R + gamma * (P @ V) rather than Python loops over "
                 "states, actions and next states")
FLIPPING = (". In policy iteration, also: with equally good actions, rounding can make the greedy action switch "
            "back and forth between them forever, so a policy that must come out exactly the same twice may never "
            "be 'stable'. Switch a state's action only when another one is better by a clear margin (the "
            "docstring's 2 * tol / (1 - gamma)), or stop when the values no longer improve")
ROOM = ("S....",
        ".....",
        ".....",
        "....G")


# --- models and exact references -------------------------------------------------------------------
def random_mdp(rng, n_states, n_actions, concentration=0.5):
    """P with Dirichlet rows (a few likely next states each) and normal rewards."""
    P = rng.dirichlet(np.full(n_states, concentration), size=(n_states, n_actions))
    R = rng.normal(size=(n_states, n_actions))
    return P, R


def random_policy(rng, n_states, n_actions):
    """A stochastic policy whose rows are far from one-hot."""
    return rng.dirichlet(np.full(n_actions, 2.0), size=n_states)


def one_hot(actions, n_actions):
    return np.eye(n_actions)[np.asarray(actions, dtype=int)]


def grid_world(rng, name):
    """One of the kit's grid worlds, built here (the learner's code only ever sees its P and R)."""
    if name == "slippery_gridworld":
        return make(name, slip=float(rng.uniform(0.1, 0.3)), seed=int(rng.integers(2**31)))
    return make(name, seed=int(rng.integers(2**31)))


def evaluation_bound(tol, gamma, scale):
    """How far an evaluation stopped at max change < tol may be from the truth (plus rounding)."""
    return tol / (1 - gamma) + 1e-11 * (1 + scale)


def greedy_bound(tol, gamma, scale):
    """How much worse than optimal the greedy policy of values within tol / (1 - gamma) of V* may be."""
    return 2 * tol / (1 - gamma) ** 2 + 1e-11 * (1 + scale)


def iteration_bound(tol, gamma, scale):
    """Policy iteration: approximate evaluations (tol / (1 - gamma)) and switches that need a clear gain."""
    return 4 * tol / (1 - gamma) ** 2 + tol / (1 - gamma) + 1e-11 * (1 + scale)


# --- calling the learner's code ----------------------------------------------------------------------
def run(call, function, *args, **kwargs):
    """Call learner code; a call that never returns fails with the usual reasons for a loop that never ends."""
    try:
        return function(*args, **kwargs)
    except LearnerTimeout:
        fail(f"{call} did not return within {TIME_LIMIT} s: {NEVER_STOPPED}"
             + (FLIPPING if call.startswith("policy_iteration") else ""))


def expect_pair(result, call):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        fail(f"{call} returned {show(result)}; expected a pair (V, policy)")
    return result


def expect_values_shape(got, call, n_states, n_actions):
    if isinstance(got, np.ndarray) and got.shape == (n_states, n_actions):
        fail(f"{call} returned shape {got.shape}, one number per state AND action; expected ({n_states},), one value "
             "per state: combine the actions (the policy's average sum(policy * Q, axis=1), or the max Q.max(axis=1))")
    return expect_array(got, call, (n_states,))


def expect_policy_shape(got, call, n_states, n_actions):
    """An (S, A) array of probabilities: non-negative rows summing to 1."""
    if isinstance(got, np.ndarray) and got.shape == (n_states,):
        fail(f"{call} returned shape {got.shape}: one action index per state ({show(got)}); expected ({n_states}, "
             f"{n_actions}), one row of action probabilities per state — turn the actions into one-hot rows, "
             "e.g. np.eye(n_actions)[actions]")
    if isinstance(got, np.ndarray) and got.shape == (n_actions, n_states) and n_actions != n_states:
        fail(f"{call} returned shape {got.shape}; expected ({n_states}, {n_actions}): one row per state, one column "
             "per action")
    got = expect_array(got, call, (n_states, n_actions))
    if np.any(got < 0) or not np.allclose(got.sum(axis=1), 1.0, atol=1e-8):
        row = int(np.argmax(np.abs(got.sum(axis=1) - 1.0) + (got < 0).any(axis=1)))
        fail(f"{call} is not a policy: row {row} is {show(got[row])}; expected action probabilities, each row "
             "non-negative and summing to 1 (one-hot rows for a deterministic policy)")
    return got.astype(float)


def close(a, b, bound):
    return np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))) <= bound


def worst(got, expected):
    index = int(np.argmax(np.abs(got - expected)))
    return (f"the largest difference is at state {index}: got {got[index]:.10g}, expected {expected[index]:.10g} "
            f"(off by {abs(got[index] - expected[index]):.3g})")


def describe(env, state):
    """'state 17', with its place on the map for a grid world."""
    if env is None:
        return f"state {state}"
    row, column = divmod(state, env.shape[1])
    return f"state {state} (row {row}, column {column}, counted from 0)"


def draw_values(env, got, expected):
    if env is None:
        return ""
    return side_by_side(("your values", env.render_values(got)), ("the expected values", env.render_values(expected)))


def draw_policies(env, got, optimal):
    if env is None:
        return ""
    return side_by_side(("your policy", env.render_policy(got)), ("an optimal policy", env.render_policy(optimal)))


# --- judging values and policies ---------------------------------------------------------------------
def expect_policy_values(got, P, R, policy, gamma, tol, call, env=None):
    """policy_evaluation's answer must match the exact values of ``policy``; names the usual mistakes."""
    n_states, n_actions = R.shape
    got = expect_values_shape(got, call, n_states, n_actions)
    truth = values_of_policy(P, R, policy, gamma)
    bound = evaluation_bound(tol, gamma, np.max(np.abs(truth)))
    if close(got, truth, bound):
        return got
    picture = draw_values(env, got, truth)
    V_star, _ = optimal_values(P, R, gamma)
    if close(got, V_star, 10 * bound + 1e-6) and not close(V_star, truth, 1e-6):
        fail(f"{call} returned the OPTIMAL values (a max over the actions, as in value iteration); expected the "
             f"values of the given policy: V_new = sum(policy * Q, axis=1), the policy's average of Q over its "
             f"actions. {worst(got, truth)}{picture}")
    most_likely = one_hot(np.argmax(policy, axis=1), n_actions)
    if close(got, values_of_policy(P, R, most_likely, gamma), 10 * bound + 1e-6) and not close(most_likely, policy, 1e-9):
        fail(f"{call} returned the values of the policy that always takes each row's most likely action (an argmax "
             f"of the policy); expected the values of the stochastic policy itself: weigh Q with ALL the "
             f"probabilities, sum(policy * Q, axis=1). {worst(got, truth)}{picture}")
    if close(got, np.sum(policy * R, axis=1), 1e-9) and gamma > 0:
        fail(f"{call} returned the expected immediate rewards sum(policy * R, axis=1): that is one sweep from V = 0; "
             f"expected the values after sweeping until the largest change is below tol={tol:g}. "
             f"{worst(got, truth)}{picture}")
    fail(f"{call} is off by more than the stopping rule allows ({bound:.2g} = tol / (1 - gamma) here). "
         f"{worst(got, truth)}. Is the loop stopping too early (tol used? the absolute change?), is gamma in "
         f"the backup, and does P @ V sum over the next state (P's last axis)?{picture}")


def expect_optimal(result, P, R, gamma, tol, call, bound_of, env=None):
    """(V, policy) from value or policy iteration: V near V*, and the policy optimal BY ITS VALUES."""
    n_states, n_actions = R.shape
    V, policy = expect_pair(result, call)
    V = expect_values_shape(V, f"the values V from {call}", n_states, n_actions)
    policy = expect_policy_shape(policy, f"the policy from {call}", n_states, n_actions)
    V_star, Q_star = optimal_values(P, R, gamma)
    bound = bound_of(tol, gamma, np.max(np.abs(V_star)))
    optimal = one_hot(np.argmax(Q_star, axis=1), n_actions)
    if not close(V, V_star, bound):
        picture = draw_values(env, V, V_star)
        if close(V, R.max(axis=1), 1e-9) and gamma > 0:
            where = ("policy_evaluation stopped after one sweep" if "policy_iteration" in call
                     else "the loop stopped after one sweep")
            fail(f"the values V from {call} are the best immediate rewards R.max(axis=1): {where}. Keep sweeping while "
                 "the largest change is at least tol — and take the absolute value of the change (np.abs): values "
                 f"that go DOWN have negative changes, which are always below tol. {worst(V, V_star)}{picture}")
        start = one_hot(np.zeros(n_states), n_actions)
        if close(V, values_of_policy(P, R, start, gamma), 1e-6) and not close(V_star, values_of_policy(P, R, start, gamma), 1e-6):
            fail(f"the values V from {call} are those of the first policy (always action 0): the policy was never "
                 "improved. After each evaluation, make the policy greedy for Q, and stop only when that changes "
                 "nothing — copy the old policy before comparing (old = policy.copy()), or the comparison is "
                 f"between a policy and itself. {worst(V, V_star)}{picture}")
        fail(f"the values V from {call} are not the optimal values: off by more than tol allows ({bound:.2g} here). "
             f"{worst(V, V_star)}. Does the loop stop too early (tol used? the absolute change?), is gamma in the "
             f"backup, is it a max over the actions?{picture}")
    achieved = values_of_policy(P, R, policy, gamma)
    if np.all(achieved >= V_star - bound):
        return V, policy
    state = int(np.argmax(V_star - achieved))
    chosen = policy[state]
    why = ""
    ignoring_rewards = one_hot(np.argmax(P @ V_star, axis=1), n_actions)
    if np.allclose(policy, ignoring_rewards) and not np.all(values_of_policy(P, R, ignoring_rewards, gamma) >= V_star - bound):
        why = (" — it picks the action whose NEXT state has the best value (argmax of P @ V), ignoring the reward of "
               "the move itself: pick the argmax of Q = R + gamma * (P @ V)")
    elif np.allclose(policy, one_hot(np.argmin(Q_star, axis=1), n_actions)):
        why = " — it takes the action with the SMALLEST Q in every state: a policy maximises the return (np.argmax)"
    fail(f"the policy from {call} is not optimal: following it from {describe(env, state)} is worth {achieved[state]:.6g}, "
         f"the best possible is {V_star[state]:.6g}. There it takes {show(chosen)} (action probabilities) while "
         f"the optimal action values are Q*[{state}] = {show(Q_star[state])}{why}. (Equally good actions are all "
         f"accepted: the policy is judged by what following it is worth.)"
         f"{draw_policies(env, policy, optimal)}")


# --- q_values ----------------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_q_values_is_one_bellman_backup(learner, rng):
    """q_values(P, R, V, gamma) equals R + gamma * sum over s2 of P[s, a, s2] V[s2] for every state and action"""
    for n_states, n_actions, gamma in ((7, 3, float(rng.uniform(0.5, 0.95))), (5, 2, 0.9), (6, 4, 0.0)):
        P, R = random_mdp(rng, n_states, n_actions)
        V = rng.normal(size=n_states) * 5
        call = f"q_values(P, R, V, gamma={gamma:.3g}) with {n_states} states and {n_actions} actions"
        if n_actions == 2:
            got = learner.q_values(P.tolist(), R.tolist(), V.tolist(), gamma)
            call += " (given as lists)"
        else:
            got = learner.q_values(P, R, V, gamma)
        expected = R + gamma * np.einsum("sat,t->sa", P, V)
        if isinstance(got, np.ndarray) and got.shape == (n_actions, n_states):
            fail(f"{call} returned shape {got.shape}; expected ({n_states}, {n_actions}): one row per state, one "
                 "column per action, like R")
        got = expect_array(got, call, (n_states, n_actions))
        if gamma > 0 and np.allclose(got, R + np.einsum("sat,t->sa", P, V), atol=1e-9):
            fail(f"{call} returned R + P @ V: gamma is missing; expected R + gamma * (P @ V) — future rewards count "
                 "gamma times less than the reward now")
        if gamma > 0 and np.allclose(got, R + gamma * np.einsum("tas,t->sa", P, V), atol=1e-9):
            fail(f"{call} summed P over its FIRST axis (the state you come from); expected the sum over the LAST axis, "
                 "the next state s2: sum_s2 P[s, a, s2] * V[s2] is P @ V (or np.einsum('sat,t->sa', P, V))")
        expect_close(got, expected, call, rtol=1e-9, atol=1e-9,
                     why="(Q[s, a] = R[s, a] + gamma * sum_s2 P[s, a, s2] * V[s2])")


# --- policy evaluation -------------------------------------------------------------------------------
@pytest.mark.points(3)
@pytest.mark.time_limit(TIME_LIMIT)
def test_policy_evaluation_random_mdps(learner, rng):
    """policy_evaluation matches the linear-system solution (I - gamma P_pi)^-1 R_pi on random MDPs, stochastic policies too"""
    cases = (("the uniform random policy", 0.9, 1e-8), ("a random stochastic policy", 0.5, 1e-8),
             ("a random deterministic policy", 0.9, 1e-8), ("a random stochastic policy", 0.99, 1e-10))
    for what, gamma, tol in cases:
        n_states, n_actions = int(rng.integers(6, 11)), int(rng.integers(2, 5))
        P, R = random_mdp(rng, n_states, n_actions)
        if what.startswith("the uniform"):
            policy = np.full((n_states, n_actions), 1.0 / n_actions)
        elif what.endswith("deterministic policy"):
            policy = one_hot(rng.integers(n_actions, size=n_states), n_actions)
        else:
            policy = random_policy(rng, n_states, n_actions)
        call = (f"policy_evaluation(P, R, policy, gamma={gamma:g}, tol={tol:g}) for {what} on a random MDP with "
                f"{n_states} states and {n_actions} actions")
        got = run(call, learner.policy_evaluation, P, R, policy, gamma=gamma, tol=tol)
        expect_policy_values(got, P, R, policy, gamma, tol, call)


@pytest.mark.points(2)
@pytest.mark.time_limit(TIME_LIMIT)
def test_policy_evaluation_grid_worlds(learner, rng):
    """policy_evaluation gives the exact values of the uniform random policy and of a stochastic one on the three grid worlds"""
    for name in ("gridworld", "slippery_gridworld", "cliff_walk"):
        env = grid_world(rng, name)
        gamma = 0.9
        if name == "slippery_gridworld":
            policy, what = random_policy(rng, env.n_states, env.n_actions), "a random stochastic policy"
        else:
            policy, what = np.full((env.n_states, env.n_actions), 0.25), "the uniform random policy"
        call = f"policy_evaluation(env.P, env.R, policy, gamma={gamma:g}) for {what} on {name}"
        got = run(call, learner.policy_evaluation, env.P, env.R, policy, gamma=gamma)
        expect_policy_values(got, env.P, env.R, policy, gamma, 1e-8, call, env)


# --- greedy policy -----------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_greedy_policy_one_hot_among_maxima(learner, worker, rng):
    """greedy_policy(Q) has one-hot rows on an action with the largest Q; with ties, any maximal action is accepted"""
    n_states, n_actions = 9, 4
    Q = rng.integers(-3, 1, size=(n_states, n_actions)).astype(float)  # small integers: many exact ties
    Q[0] = [-1.0, -1.0, -1.0, -1.0]  # every action equally good
    Q[1] = [-5.0, -2.0, -7.0, -3.0]  # all negative: the largest is the one closest to 0
    stored = worker.put(Q)
    call = f"greedy_policy(Q) for Q = {Q.tolist()}"
    got = learner.greedy_policy(stored)
    expect_unchanged(Q, worker.fetch(stored), "greedy_policy(Q)", "Q")
    got = expect_policy_shape(got, call, n_states, n_actions)
    if not np.all(np.isin(got, (0.0, 1.0))):
        row = int(np.argmax(~np.all(np.isin(got, (0.0, 1.0)), axis=1)))
        fail(f"{call}: row {row} is {show(got[row])}; expected a one-hot row (a single 1.0 on a best action, 0.0 "
             "elsewhere)")
    chosen = np.argmax(got, axis=1)
    wrong = Q[np.arange(n_states), chosen] < Q.max(axis=1)
    if wrong.any():
        state = int(np.argmax(wrong))
        smallest = np.all(Q[np.arange(n_states), chosen] == Q.min(axis=1))
        fail(f"{call}: in state {state} the policy takes action {chosen[state]} with Q = {Q[state, chosen[state]]:g}; "
             f"expected an action with the largest Q[{state}] = {show(Q[state])}"
             + (" — it takes the SMALLEST Q everywhere: use np.argmax (values are returns to maximise, even when "
                "negative)" if smallest else ""))
    got = learner.greedy_policy(Q[:2].tolist())
    expect_policy_shape(got, "greedy_policy(Q) for two rows given as lists", 2, n_actions)


# --- gamma = 0 ---------------------------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.time_limit(TIME_LIMIT)
def test_gamma_zero_gives_immediate_rewards(learner, rng):
    """with gamma = 0 the future does not count: values are the immediate rewards, policies greedy for R"""
    n_states, n_actions = 8, 3
    P, R = random_mdp(rng, n_states, n_actions)
    policy = random_policy(rng, n_states, n_actions)
    call = "policy_evaluation(P, R, policy, gamma=0)"
    got = run(call, learner.policy_evaluation, P, R, policy, gamma=0.0)
    got = expect_values_shape(got, call, n_states, n_actions)
    expect_close(got, np.sum(policy * R, axis=1), call, rtol=1e-9, atol=1e-9,
                 why="(with gamma = 0, V[s] = sum_a policy[s, a] * R[s, a], the expected immediate reward)")
    for name in ("value_iteration", "policy_iteration"):
        call = f"{name}(P, R, gamma=0)"
        result = run(call, getattr(learner, name), P, R, gamma=0.0)
        V, chosen = expect_pair(result, call)
        V = expect_values_shape(V, f"the values V from {call}", n_states, n_actions)
        expect_close(V, R.max(axis=1), f"the values V from {call}", rtol=1e-9, atol=1e-9,
                     why="(with gamma = 0, V*[s] = max_a R[s, a], the best immediate reward)")
        chosen = expect_policy_shape(chosen, f"the policy from {call}", n_states, n_actions)
        got_rewards = np.sum(chosen * R, axis=1)
        if not np.allclose(got_rewards, R.max(axis=1), atol=1e-9):
            state = int(np.argmax(R.max(axis=1) - got_rewards))
            fail(f"the policy from {call} takes {show(chosen[state])} in state {state}, whose rewards are "
                 f"R[{state}] = {show(R[state])}; expected the action with the largest reward (with gamma = 0 only "
                 "the immediate reward counts)")


def expect_optimal_on_random_mdps(learner, rng, name, bound):
    """``learner.<name>`` (value or policy iteration) is optimal on random MDPs: gamma 0.99, another, the defaults."""
    for gamma, tol in ((0.99, 1e-10), (float(rng.uniform(0.6, 0.95)), 1e-9), (None, None)):
        n_states, n_actions = int(rng.integers(6, 11)), int(rng.integers(2, 5))
        P, R = random_mdp(rng, n_states, n_actions)
        if gamma is None:
            call = f"{name}(P, R) (default gamma and tol) on a random MDP with {n_states} states"
            result = run(call, getattr(learner, name), P, R)
            gamma, tol = 0.9, 1e-8
        else:
            call = (f"{name}(P, R, gamma={gamma:.3g}, tol={tol:g}) on a random MDP with {n_states} states "
                    f"and {n_actions} actions")
            result = run(call, getattr(learner, name), P, R, gamma=gamma, tol=tol)
        expect_optimal(result, P, R, gamma, tol, call, bound)


# --- value iteration ---------------------------------------------------------------------------------
@pytest.mark.points(3)
@pytest.mark.time_limit(TIME_LIMIT)
def test_value_iteration_grid_worlds(learner, rng):
    """value_iteration reaches V* on the three grid worlds and returns an optimal policy (any equally good actions)"""
    for name, gamma in (("gridworld", 0.9), ("slippery_gridworld", 0.9), ("cliff_walk", 0.95)):
        env = grid_world(rng, name)
        call = f"value_iteration(env.P, env.R, gamma={gamma:g}) on {name}"
        result = run(call, learner.value_iteration, env.P, env.R, gamma=gamma)
        expect_optimal(result, env.P, env.R, gamma, 1e-8, call, greedy_bound, env)


@pytest.mark.points(2)
@pytest.mark.time_limit(TIME_LIMIT)
def test_value_iteration_random_mdps(learner, rng):
    """value_iteration reaches V* to tol on random MDPs, also with gamma = 0.99, and uses gamma=0.9, tol=1e-8 by default"""
    expect_optimal_on_random_mdps(learner, rng, "value_iteration", greedy_bound)


# --- policy iteration --------------------------------------------------------------------------------
@pytest.mark.points(3)
@pytest.mark.time_limit(TIME_LIMIT)
def test_policy_iteration_grid_worlds(learner, rng):
    """policy_iteration stops and returns V* and an optimal policy on the three grid worlds (any equally good actions)"""
    for name, gamma in (("gridworld", 0.9), ("slippery_gridworld", 0.9), ("cliff_walk", 0.9)):
        env = grid_world(rng, name)
        call = f"policy_iteration(env.P, env.R, gamma={gamma:g}) on {name}"
        result = run(call, learner.policy_iteration, env.P, env.R, gamma=gamma)
        expect_optimal(result, env.P, env.R, gamma, 1e-8, call, iteration_bound, env)


@pytest.mark.points(2)
@pytest.mark.time_limit(TIME_LIMIT)
def test_policy_iteration_random_mdps(learner, rng):
    """policy_iteration reaches V* on random MDPs, also with gamma = 0.99, and uses gamma=0.9, tol=1e-8 by default"""
    expect_optimal_on_random_mdps(learner, rng, "policy_iteration", iteration_bound)


@pytest.mark.points(1)
@pytest.mark.time_limit(TIME_LIMIT)
def test_ties_in_an_open_room(learner, rng):
    """in an open room where many paths are equally short, both iterations stop with an optimal policy"""
    for slip in (0.0, float(rng.uniform(0.1, 0.3))):
        env = GridWorld(ROOM, slip=slip, seed=int(rng.integers(2**31)))
        for name in ("value_iteration", "policy_iteration"):
            call = f"{name}(env.P, env.R, gamma=0.9) on an open 4 x 5 room (slip {slip:.2f}), full of equally good actions"
            result = run(call, getattr(learner, name), env.P, env.R, gamma=0.9)
            bound = greedy_bound if name == "value_iteration" else iteration_bound
            expect_optimal(result, env.P, env.R, 0.9, 1e-8, call, bound, env)


# --- shapes and inputs -------------------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.time_limit(TIME_LIMIT)
def test_shapes_and_pairs(learner, rng):
    """every function returns the documented shapes: Q (S, A), V (S,), policies (S, A) with rows summing to 1"""
    n_states, n_actions = 5, 3
    P, R = random_mdp(rng, n_states, n_actions)
    V = rng.normal(size=n_states)
    got = learner.q_values(P, R, V, 0.9)
    expect_array(got, f"q_values(P, R, V, 0.9) with {n_states} states and {n_actions} actions", (n_states, n_actions))
    policy = random_policy(rng, n_states, n_actions)
    call = f"policy_evaluation(P, R, policy) with {n_states} states and {n_actions} actions"
    expect_values_shape(run(call, learner.policy_evaluation, P, R, policy), call, n_states, n_actions)
    call = f"greedy_policy(Q) for Q of shape ({n_states}, {n_actions})"
    expect_policy_shape(learner.greedy_policy(rng.normal(size=(n_states, n_actions))), call, n_states, n_actions)
    for name in ("value_iteration", "policy_iteration"):
        call = f"{name}(P, R) with {n_states} states and {n_actions} actions"
        V, policy = expect_pair(run(call, getattr(learner, name), P, R), call)
        expect_values_shape(V, f"the values V from {call}", n_states, n_actions)
        expect_policy_shape(policy, f"the policy from {call}", n_states, n_actions)


@pytest.mark.points(1)
@pytest.mark.time_limit(TIME_LIMIT)
def test_inputs_not_modified(learner, worker, rng):
    """no function changes the arrays it is given (P, R, V, policy)"""
    n_states, n_actions = 6, 3
    P, R = random_mdp(rng, n_states, n_actions)
    V, policy = rng.normal(size=n_states), random_policy(rng, n_states, n_actions)
    calls = (("q_values(P, R, V, 0.9)", "q_values", ("P", "R", "V"), (0.9,)),
             ("policy_evaluation(P, R, policy)", "policy_evaluation", ("P", "R", "policy"), ()),
             ("value_iteration(P, R)", "value_iteration", ("P", "R"), ()),
             ("policy_iteration(P, R)", "policy_iteration", ("P", "R"), ()))
    arrays = {"P": P, "R": R, "V": V, "policy": policy}
    for call, name, argument_names, extra in calls:
        stored = [worker.put(arrays[argument].copy()) for argument in argument_names]
        run(call, getattr(learner, name), *stored, *extra)
        for argument, handle in zip(argument_names, stored):
            expect_unchanged(arrays[argument], worker.fetch(handle), call, argument)
