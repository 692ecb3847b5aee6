"""Hidden suite for exercise 13, monte_carlo.

What is judged, and how:

- ``discounted_returns`` against ``G_t = r_t + gamma G_{t+1}`` on hand-made and random reward lists
  (gamma 0 and 1 included); the usual wrong recursions (no discount, accumulated forwards, the current
  reward left out) are named.
- ``first_visit_mc_prediction`` on hand-made episodes where states repeat, so that first-visit,
  every-visit and last-visit averages all differ; the feedback names every-visit, last-visit, "the last
  episode overwrites the average" and "divided by the number of episodes" when the numbers match them.
  States no episode visits are exactly 0 (no 0 / 0).
- ``generate_episode`` is replayed on the suite's OWN copy of the world: each recorded
  (state, action, reward) must be a move the world allows, the episode starts at the start, ends at an end
  or after exactly ``max_steps`` moves, its three lists have the same length (the final state is not
  recorded), and the actions follow the policy: never an action of probability 0, and the counts of each
  action within 5 standard deviations of what the policy predicts for the states visited.
- ``mc_prediction`` converges: on the states that at least 30% of the episodes visit, the estimate after
  300 episodes is within 5 standard errors of the exact value of the policy (``policy_values``). The
  standard error is computed exactly, from the variance of the return (a linear system for its second
  moment) and the probability that an episode visits the state (hitting probabilities), so the
  tolerance shrinks like 1 / sqrt(n_episodes) and holds for every correct implementation. On the grid
  world and on the slippery one. (Comparing the error after many episodes with the error after a few
  was tried and dropped: the errors of states on one path are strongly correlated and the returns
  skewed by rare falls into the hole, so a lucky handful of episodes can beat 300.)
- ``epsilon_greedy_policy`` gives ``epsilon / A`` to every action and ``1 - epsilon`` more to a greedy
  one; ties may go to one of the tied actions or be shared.
- ``mc_control`` is judged by what it learns: with ``epsilon = 1`` its ``Q`` must estimate the ``Q`` of
  the uniformly random policy (within 5 standard errors, as above), which only happens if it really
  averages first-visit returns per (state, action) pair of episodes generated with its epsilon-greedy
  policy; on the grid world the greedy policy of its ``Q`` must reach the goal by a path at most 4 moves
  longer than the shortest (its start value far above the random policy's); the returned policy must be
  the epsilon-greedy policy of the returned ``Q``.
- The same seeds give the same episodes and the same ``Q``; other seeds give other episodes (the
  randomness comes from ``rng``).

Environments are built in the worker from recipes; every judgement uses the suite's own copy of the
world and its exact model, never the learner's environment object. The tolerances come from the
variance of the returns, so they hold for any correct implementation, whatever its random draws.
"""

import numpy as np
import pytest

from grader.learner import LearnerError, LearnerNotStarted, LearnerTimeout
from grader.protocol import KitObject
from grader.support.checks import expect_array, expect_close, expect_unchanged, fail, show
from grader.support.environments import ACTION_NAMES, GridWorld, make, policy_values, run_greedy, solve

ENVIRONMENTS = "grader.support.environments"
Z = 5.0  # estimates must lie within Z standard errors of the truth


# --- recipes for the worker -------------------------------------------------------------------------------
def world_recipe(name, seed, **kwargs):
    return KitObject(f"{ENVIRONMENTS}:make", name, seed=int(seed), **kwargs)


def layout_recipe(layout, seed, **kwargs):
    return KitObject(f"{ENVIRONMENTS}:GridWorld", list(layout), seed=int(seed), **kwargs)


def generator(seed):
    return KitObject("grader.support.data:generator", int(seed))


def draw_seed(rng):
    return int(rng.integers(2**31))


# --- references --------------------------------------------------------------------------------------------
def reference_returns(rewards, gamma):
    returns, G = np.zeros(len(rewards)), 0.0
    for t in reversed(range(len(rewards))):
        G = rewards[t] + gamma * G
        returns[t] = G
    return returns


def mc_average(episodes, n_states, gamma, visits="first", average=True, per_episode=False):
    """First-visit MC (the reference), or a known mistake: every-visit, last-visit, the last episode
    overwriting the average (``average=False``), dividing by the number of episodes (``per_episode``)."""
    totals, counts = np.zeros(n_states), np.zeros(n_states)
    for states, _, rewards in episodes:
        returns = reference_returns(rewards, gamma)
        steps = range(len(states))
        if visits == "first":
            steps = [t for t in steps if states[t] not in states[:t]]
        elif visits == "last":
            steps = [t for t in steps if states[t] not in states[t + 1:]]
        for t in steps:
            s = states[t]
            if average:
                totals[s] += returns[t]
                counts[s] += 1
            else:
                totals[s], counts[s] = returns[t], 1
    if per_episode:
        return totals / len(episodes)
    return np.divide(totals, counts, out=np.zeros(n_states), where=counts > 0)


def reference_epsilon_greedy(Q, epsilon, shared=False):
    """epsilon / A everywhere, plus 1 - epsilon on the first greedy action (or shared among the tied ones)."""
    Q = np.asarray(Q, dtype=float)
    best = Q == Q.max(axis=1, keepdims=True)
    if not shared:
        best = np.eye(Q.shape[1])[np.argmax(Q, axis=1)].astype(bool)
    return epsilon / Q.shape[1] + (1.0 - epsilon) * best / best.sum(axis=1, keepdims=True)


def ends(env):
    return env.terminal | env.unreachable


def moments(env, policy, gamma):
    """Exact mean and variance of the return from each state and from each (state, action) pair.

    With V from the linear system, the second moment M = E[G^2] solves
    M(s) = sum_a pi(a|s) sum_(p, s2, r) p (r^2 + 2 gamma r V(s2) + gamma^2 M(s2)).
    """
    V = policy_values(env, policy, gamma)
    S, A = env.n_states, env.n_actions
    Q, first, later = np.zeros((S, A)), np.zeros((S, A)), np.zeros((S, A, S))
    for s in np.flatnonzero(~ends(env)):
        for a in range(A):
            for p, s2, r in env.outcomes(s, a):
                Q[s, a] += p * (r + gamma * V[s2])
                first[s, a] += p * (r * r + 2.0 * gamma * r * V[s2])
                later[s, a, s2] += p * gamma**2
    M = np.linalg.solve(np.eye(S) - np.einsum("sa,sat->st", policy, later), np.sum(policy * first, axis=1))
    MQ = first + later @ M
    return V, np.maximum(M - V**2, 0.0), Q, np.maximum(MQ - Q**2, 0.0)


def visit_probabilities(env, policy):
    """The probability that an episode from the start visits each state, and takes each (state, action) pair,
    at least once (truncation ignored): hitting probabilities of the policy's Markov chain."""
    P_pi = np.einsum("sa,sat->st", policy, env.P)
    P_pi[ends(env)] = 0.0
    S, A = env.n_states, env.n_actions
    state_h, pair_h = np.zeros(S), np.zeros((S, A))
    for s in np.flatnonzero(~ends(env)):
        chain = P_pi.copy()
        chain[s] = 0.0  # stop at the first visit of s
        state_h[s] = np.linalg.solve(np.eye(S) - chain, np.eye(S)[s])[env.start_state]
        for a in range(A):
            others = policy[s].copy()
            others[a] = 0.0
            chain[s] = others @ env.P[s]  # in s, another action continues the walk
            pair_h[s, a] = np.linalg.solve(np.eye(S) - chain, policy[s, a] * np.eye(S)[s])[env.start_state]
    return state_h, pair_h


def standard_errors(variance, probability, n_episodes):
    """Standard error of a first-visit average, with a count at 4 standard deviations below its mean."""
    mean = n_episodes * probability
    fewest = np.maximum(mean - 4.0 * np.sqrt(mean * (1.0 - probability)), 1.0)
    return np.sqrt(variance / fewest)


def mixed_policy(rng, env, gamma, share):
    """A stochastic policy that reaches the goal: the optimal action with weight 1 - share, random rows with share."""
    _, Q_star = solve(env, gamma)
    return (1.0 - share) * np.eye(env.n_actions)[np.argmax(Q_star, axis=1)] + share * rng.dirichlet(np.ones(env.n_actions), size=env.n_states)


# --- reading what the learner returns ---------------------------------------------------------------------
def describe_episodes(episodes):
    return "; ".join(f"episode {i}: states {list(map(int, s))}, rewards {[float(r) for r in rw]}"
                     for i, (s, _, rw) in enumerate(episodes))


def read_episode(result, call):
    """(states, actions, rewards) as int, int, float arrays of one length, or a failure that says why."""
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        fail(f"{call} returned {show(result)}; expected a tuple (states, actions, rewards)")
    parts = []
    for name, value in zip(("states", "actions", "rewards"), result):
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            fail(f"{call} returned {name} = {show(value)}; expected a list (or 1-D array) of numbers")
        if array.ndim != 1:
            fail(f"{call} returned {name} of shape {array.shape}; expected a flat list, one entry per step")
        parts.append(array)
    states, actions, rewards = parts
    if len(states) == len(actions) + 1 == len(rewards) + 1:
        fail(f"{call} returned {len(states)} states for {len(actions)} actions and {len(rewards)} rewards: the state "
             "reached by the last action is recorded too. Record a state only when an action is taken in it "
             "(states[t] is where action t was taken), so that the three lists have the same length")
    if not len(states) == len(actions) == len(rewards):
        fail(f"{call} returned {len(states)} states, {len(actions)} actions and {len(rewards)} rewards; expected "
             "three lists of the same length, one entry per step")
    if len(states) == 0:
        fail(f"{call} returned an empty episode; expected at least one step (reset, then step until the episode ends)")
    for name, array in (("states", states), ("actions", actions)):
        if not np.all(array == np.round(array)) or array.min() < 0:
            fail(f"{call} returned {name} = {show(array)}; expected whole numbers (states and actions are ints)")
    return states.astype(int), actions.astype(int), rewards


def check_episode(env, episode, call):
    """Every recorded step must be a move the suite's own world allows; the episode ends as documented."""
    states, actions, rewards = episode
    T = len(states)
    if states[0] != env.start_state:
        fail(f"{call}: states[0] is {states[0]}; expected the start state {env.start_state}, the state returned by env.reset()")
    if actions.max() >= env.n_actions or states.max() >= env.n_states:
        fail(f"{call} returned an action or state out of range: actions {show(actions)}, states {show(states)}")
    if rewards[0] == 0.0 and all(r != 0.0 for _, _, r in env.outcomes(states[0], actions[0])):
        fail(f"{call}: rewards[0] is 0, but every move costs at least 1 — the rewards are shifted by one step: "
             "rewards[t] must be the reward returned by env.step(actions[t]), the one that action earned, not the "
             "reward of the step before")
    if T > env.max_steps:
        fail(f"{call} returned {T} steps; the world truncates episodes after max_steps = {env.max_steps} moves")
    for t in range(T):
        state, action, reward = int(states[t]), int(actions[t]), float(rewards[t])
        if ends(env)[state]:
            fail(f"{call}: states[{t}] is {state}, an end of the world (goal or hole): the episode should have "
                 "stopped when env.step reported terminated=True, and the state reached by the last action is not recorded")
        moves = [(s2, r) for p, s2, r in env.outcomes(state, action) if p > 0]
        if t + 1 < T:
            if not any(s2 == states[t + 1] and np.isclose(r, reward) for s2, r in moves):
                shifted = any(s2 == states[t + 1] for s2, _ in moves)
                fail(f"{call}: at step {t}, action {action} ({ACTION_NAMES[action]}) in state {state} is recorded with "
                     f"reward {reward:g} and next state {int(states[t + 1])}; the world allows "
                     f"{[(int(s2), float(r)) for s2, r in moves]} as (next state, reward)"
                     + (" — the rewards are shifted: rewards[t] must be the reward env.step(actions[t]) returned"
                        if shifted else " — record the state in which each action is taken, then move on to the next state"))
        elif T < env.max_steps and not any(env.terminal[s2] and np.isclose(r, reward) for s2, r in moves):
            fail(f"{call} stopped after {T} steps, but its last move (action {action} in state {state}, reward "
                 f"{reward:g}) does not end the episode and the time limit is max_steps = {env.max_steps}: keep "
                 "stepping until env.step reports terminated or truncated")


def call_episode(learner, env_recipe, policy, rng_recipe, call):
    """generate_episode(...), with the classic loop mistake (stepping after the end) explained."""
    try:
        return learner.generate_episode(env_recipe, policy, rng_recipe)
    except (LearnerNotStarted, LearnerTimeout):
        raise
    except LearnerError as error:
        if error.type_name == "RuntimeError" and "episode is over" in error.message:
            fail(f"{call} called env.step after the episode had ended ({error.message}): stop the loop as soon as "
                 "env.step returns terminated=True (an end was reached) OR truncated=True (max_steps moves were made)")
        raise


def expect_policy_table(got, Q, epsilon, call):
    """``got`` must be the epsilon-greedy policy of Q, the greedy share on one tied action or shared among them."""
    Q = np.asarray(Q, dtype=float)
    n_states, n_actions = Q.shape
    got = expect_array(got, call, Q.shape)
    sums = got.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-9):
        row = int(np.argmax(np.abs(sums - 1.0)))
        hint = ""
        if np.isclose(sums[row], 1.0 - epsilon / n_actions):
            hint = (" — the greedy action has 1 - epsilon but no share of the exploration: it gets "
                    "epsilon / n_actions like every action, PLUS 1 - epsilon")
        fail(f"{call}: row {row} is {show(got[row])} and sums to {sums[row]:.6g}; expected probabilities summing to 1{hint}")
    for s in range(n_states):
        best = np.flatnonzero(Q[s] == Q[s].max())
        one = [epsilon / n_actions + (1.0 - epsilon) * np.eye(n_actions)[b] for b in best]
        shared = epsilon / n_actions + (1.0 - epsilon) * np.isin(np.arange(n_actions), best) / len(best)
        if any(np.allclose(got[s], row, atol=1e-9) for row in one + [shared]):
            continue
        expected = one[0]
        message = (f"{call}: for Q[{s}] = {show(Q[s])} with epsilon = {epsilon:g}, row {s} is {show(got[s])}; expected "
                   f"{show(expected)} (epsilon / {n_actions} = {epsilon / n_actions:.4g} on every action, plus "
                   f"1 - epsilon on the action with the LARGEST Q{', or shared among the tied ones' if len(best) > 1 else ''})")
        worst = np.flatnonzero(Q[s] == Q[s].min())
        others = np.full(n_actions, epsilon / (n_actions - 1))
        others[best[0]] = 1.0 - epsilon
        if np.allclose(got[s], others, atol=1e-9):
            message += (" — the non-greedy actions share epsilon among themselves; here every action gets "
                        "epsilon / n_actions, the greedy one included, and the greedy one 1 - epsilon more")
        elif np.allclose(got[s], epsilon / n_actions + (1.0 - epsilon) * np.eye(n_actions)[worst[0]], atol=1e-9):
            message += " — the extra 1 - epsilon went to the action with the SMALLEST Q (argmin instead of argmax)"
        elif np.allclose(got[s], np.eye(n_actions)[best[0]], atol=1e-9) and epsilon > 0:
            message += " — that is the greedy policy: epsilon was ignored"
        fail(message)
    return got


def within(error):
    """How far from the truth a correct average may be, in words."""
    if error == 0.0:
        return "the return that follows is always the same, so a correct average is exactly that"
    return f"with this many episodes a correct first-visit average is within {Z * error:.2g} of it ({Z:g} standard errors)"


def expect_values(got, truth, errors, judged, call, env):
    """Estimates on the judged states must lie within Z standard errors of the truth."""
    off = judged & (np.abs(got - truth) > Z * errors + 1e-6)
    if off.any():
        worst = int(np.argmax(np.where(off, np.abs(got - truth) / (errors + 1e-6), 0.0)))
        fail(f"{call}: the estimate of state {worst} is {got[worst]:.4g}; the exact value of the policy is "
             f"{truth[worst]:.4g}, and {within(errors[worst])}. Judged are the states that at least 30% of the episodes "
             f"visit: {np.flatnonzero(judged).tolist()}.\nyour estimates:\n{env.render_values(got)}\n"
             f"exact values:\n{env.render_values(truth)}")


def prediction_check(learner, rng, name, gamma, n_episodes):
    env_seed = draw_seed(rng)
    env = make(name, seed=env_seed)
    policy = mixed_policy(rng, env, gamma, share=rng.uniform(0.3, 0.5))
    V, variance, _, _ = moments(env, policy, gamma)
    visits, _ = visit_probabilities(env, policy)
    judged = visits >= 0.3
    call = f'mc_prediction(make("{name}"), policy, n_episodes={n_episodes}, gamma={gamma:g}, rng)'
    got = expect_array(learner.mc_prediction(world_recipe(name, env_seed), policy, n_episodes, gamma, generator(draw_seed(rng))),
                       call, (env.n_states,))
    never = ends(env)
    if np.any(got[never] != 0.0):
        fail(f"{call} gives {show(got[never])} to the ends and walls, which no episode records (the final state is not "
             f"part of an episode); expected 0 there:\n{env.render_values(got)}")
    expect_values(got, V, standard_errors(variance, visits, n_episodes), judged, call, env)


# --- discounted returns ----------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_discounted_returns(learner, rng, worker):
    """discounted_returns gives G_t = r_t + gamma * G_(t+1) for every step (gamma 0 and 1 too)"""
    cases = [([1.0, 2.0, 3.0], 0.5), ([0.0, 0.0, 10.0], 0.9), ([-1.0, -1.0, -1.0, -1.0], 1.0), ([5.0, -2.0], 0.0), ([7.0], 0.3)]
    cases += [(list(np.round(rng.normal(scale=3.0, size=int(rng.integers(4, 9))), 1)), float(np.round(rng.uniform(0.5, 0.95), 2)))
              for _ in range(3)]
    for rewards, gamma in cases:
        call = f"discounted_returns({rewards}, gamma={gamma:g})"
        stored = worker.put(np.array(rewards))
        got = learner.discounted_returns(stored, gamma)
        expect_unchanged(np.array(rewards), worker.fetch(stored), call, "rewards")
        expected = reference_returns(rewards, gamma)
        got = expect_array(got, call, expected.shape)
        if np.allclose(got, expected, rtol=1e-9, atol=1e-9):
            continue
        rewards = np.array(rewards)
        mistakes = [
            (np.cumsum(rewards[::-1])[::-1], "without discount: G_t = r_t + G_(t+1); multiply the return that follows by gamma"),
            (reference_returns(rewards[::-1], gamma)[::-1], "accumulated forwards (G_t = r_t + gamma * G_(t-1)): the "
             "return is what comes AFTER step t, so walk the rewards backwards, from the last step to the first"),
            (np.append(reference_returns(rewards, gamma)[1:], 0.0) * gamma, "without the reward of step t itself: "
             "G_t = rewards[t] + gamma * G_(t+1), and rewards[t] is the reward that action t earned"),
            (np.append(reference_returns(rewards, gamma)[1:], 0.0), "shifted by one step: G_t starts with rewards[t], "
             "the reward of step t itself"),
        ]
        for wrong, why in mistakes:
            if np.allclose(got, wrong, rtol=1e-9, atol=1e-9):
                fail(f"{call} returned {show(got)}; expected {show(expected)} — the returns are computed {why}")
        expect_close(got, expected, call, rtol=1e-9, atol=1e-9, why="(G_t = rewards[t] + gamma * G_(t+1), G after the last step = 0)")
    call = "discounted_returns([], gamma=0.9)"
    got = learner.discounted_returns([], 0.9)
    expect_array(got, call, (0,))


# --- first-visit prediction ------------------------------------------------------------------------------
def mistaken_averages(episodes, n_states, gamma):
    """What every-visit, last-visit, overwriting, dividing by the number of episodes and no discount give."""
    return [mc_average(episodes, n_states, gamma, visits="every"), mc_average(episodes, n_states, gamma, visits="last"),
            mc_average(episodes, n_states, gamma, average=False), mc_average(episodes, n_states, gamma, per_episode=True),
            mc_average(episodes, n_states, 1.0)]


def expect_first_visit(got, episodes, n_states, gamma, call, why=""):
    """The first-visit averages, with the usual mistakes named when the numbers match them."""
    expected = mc_average(episodes, n_states, gamma)
    if np.allclose(got, expected, rtol=1e-9, atol=1e-9):
        return
    names = [
        "every-visit: a state visited twice in one episode adds two returns. First-visit Monte Carlo takes, in each "
        "episode, only the return after the state's FIRST visit (one return per episode)",
        "last-visit: each episode contributes the return after the state's LAST visit. Take the return after its "
        "FIRST visit (when you walk an episode forwards and overwrite, the last visit wins)",
        "the last episode overwrites: V[s] is the return of the last episode that visited s. Keep a sum and a count "
        "per state over all episodes and divide at the end",
        "divided by the number of episodes: divide each state's sum by the number of episodes that VISIT it",
        "without discount: the returns must use gamma",
    ]
    for wrong_values, name in zip(mistaken_averages(episodes, n_states, gamma), names):
        if np.allclose(got, wrong_values, rtol=1e-9, atol=1e-9):
            fail(f"{call} returned {show(got)}; expected {show(expected)} — {name}")
    expect_close(got, expected, call, rtol=1e-9, atol=1e-9,
                 why=why or "(for each state, the average over the episodes that visit it of the return after its first visit)")


def hand_made_episodes(rng, n_states):
    """Three short episodes, each with a repeated state, small integer rewards; states 0 .. n_states - 3 only."""
    episodes = []
    for _ in range(3):
        length = int(rng.integers(4, 7))
        states = list(rng.integers(0, n_states - 2, size=length))
        t = int(rng.integers(1, length))
        states[t] = states[int(rng.integers(0, t))]  # a repeat
        actions = list(rng.integers(0, 4, size=length))
        rewards = [float(r) for r in rng.integers(-3, 4, size=length)]
        episodes.append(([int(s) for s in states], [int(a) for a in actions], rewards))
    return episodes


@pytest.mark.points(2)
def test_first_visit_not_every_visit(learner, rng):
    """first_visit_mc_prediction averages, over episodes, the return after the FIRST visit of each state"""
    n_states = 6
    for _ in range(40):  # hand-made data on which the usual mistakes all give other numbers
        episodes = hand_made_episodes(rng, n_states)
        gamma = float(rng.choice([0.5, 0.8, 0.9]))
        expected = mc_average(episodes, n_states, gamma)
        if all(not np.allclose(w, expected, atol=1e-6) for w in mistaken_averages(episodes, n_states, gamma)):
            break
    call = f"first_visit_mc_prediction(episodes, n_states={n_states}, gamma={gamma:g}) with {describe_episodes(episodes)}"
    got = expect_array(learner.first_visit_mc_prediction(episodes, n_states, gamma), call, (n_states,))
    expect_first_visit(got, episodes, n_states, gamma, call)


@pytest.mark.points(1)
def test_unvisited_states_stay_zero(learner, rng, worker):
    """a state no episode visits gets V = 0 (no nan, no warning); the episodes are not modified"""
    n_states = 8
    episodes = hand_made_episodes(rng, 6)  # states 0..3: 4..7 never visited
    episodes = [(np.array(s), np.array(a), np.array(r)) for s, a, r in episodes]  # arrays are accepted too
    stored = [worker.put(part) for episode in episodes for part in episode]
    handles = [tuple(stored[3 * i: 3 * i + 3]) for i in range(len(episodes))]
    call = f"first_visit_mc_prediction(episodes, n_states={n_states}, gamma=0.9) with {describe_episodes(episodes)}"
    got = learner.first_visit_mc_prediction(handles, n_states, 0.9)
    if worker.warnings:
        fail(f"{call} made numpy warn: {worker.warnings[0]['category']}: {worker.warnings[0]['message']} — divide only "
             "where a state's count is positive; a state no episode visits keeps V = 0")
    if isinstance(got, np.ndarray) and got.shape == (n_states,) and np.isnan(got).any():
        fail(f"{call} returned nan for the states {np.flatnonzero(np.isnan(got)).tolist()} that no episode visits "
             "(0 / 0); expected 0 there: divide only where the count is positive")
    got = expect_array(got, call, (n_states,))
    expect_first_visit(got, episodes, n_states, 0.9, call, why="(first-visit averages; states 4 to 7 are never visited: 0)")
    for handle, part, name in zip(stored, [p for e in episodes for p in e], ["states", "actions", "rewards"] * 3):
        expect_unchanged(part, worker.fetch(handle), call, name)
    call = "first_visit_mc_prediction([], n_states=3, gamma=0.9)"
    expect_close(learner.first_visit_mc_prediction([], 3, 0.9), np.zeros(3), call, why="(no episodes: nothing visited)")


# --- episodes ----------------------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_generate_episode_follows_the_environment(learner, rng, worker):
    """generate_episode records (state, action, reward) of each step as the world makes them, actions drawn from the policy"""
    gamma = 0.9
    for name in ("gridworld", "slippery_gridworld"):
        env_seed = draw_seed(rng)
        env = make(name, seed=env_seed)
        policy = mixed_policy(rng, env, gamma, share=0.5)
        best = np.argmax(policy, axis=1)
        never = (best + rng.integers(1, 4, size=env.n_states)) % 4  # in each state, one action (not the best) is never taken
        policy[np.arange(env.n_states), never] = 0.0
        policy /= policy.sum(axis=1, keepdims=True)
        env_handle, rng_handle = worker.put(world_recipe(name, env_seed)), worker.put(generator(draw_seed(rng)))
        stored_policy = worker.put(policy)
        call = f'generate_episode(make("{name}"), policy, rng)'
        counts, expected, variance = np.zeros(4), np.zeros(4), np.zeros(4)
        for i in range(25):
            argument = stored_policy if i else policy.tolist()  # a plain list is accepted too
            episode = read_episode(call_episode(learner, env_handle, argument, rng_handle, call), call)
            check_episode(env, episode, call)
            states, actions, _ = episode
            if np.any(actions == never[states]):
                t = int(np.argmax(actions == never[states]))
                fail(f"{call}: action {actions[t]} ({ACTION_NAMES[actions[t]]}) was taken in state {states[t]}, where the "
                     "policy gives it probability 0: draw each action with rng.choice(n_actions, p=policy[state]), from "
                     "the row of the CURRENT state")
            counts += np.bincount(actions, minlength=4)
            expected += policy[states].sum(axis=0)
            variance += (policy[states] * (1.0 - policy[states])).sum(axis=0)
        expect_unchanged(policy, worker.fetch(stored_policy), call, "policy")
        z = np.abs(counts - expected) / np.sqrt(variance + 1e-12)
        if np.any(z > Z):
            fail(f"{call}: over 25 episodes the actions 0-3 were taken {counts.astype(int).tolist()} times; drawing each "
                 f"action from policy[state] gives about {np.round(expected).astype(int).tolist()} — draw the action "
                 "with rng.choice(n_actions, p=policy[state]), from the row of the CURRENT state")


@pytest.mark.points(2)
def test_episode_ends_at_terminated_or_truncated(learner, rng):
    """an episode stops when the world reports terminated (an end) or truncated (max_steps moves)"""
    length = int(rng.integers(3, 7))
    layout = ["S" + "." * (length - 1) + "G"]
    n_states = length + 1
    stay = np.tile(np.eye(4)[0], (n_states, 1))  # "up" bumps into the edge: the agent never gets anywhere
    right = np.tile(np.eye(4)[1], (n_states, 1))
    max_steps = int(rng.integers(5, 12))
    cases = [
        (stay, max_steps, max_steps, f"always up: time runs out after max_steps = {max_steps} moves (truncated)"),
        (right, 3 * length, length, f"always right: the goal is reached after {length} moves (terminated)"),
        (right, length, length, f"always right with max_steps = {length}: the goal is reached at the last allowed move"),
    ]
    for policy, steps, expected_length, what in cases:
        env = GridWorld(layout, max_steps=steps)
        call = f"generate_episode(GridWorld({layout}, max_steps={steps}), policy, rng) — {what}"
        episode = read_episode(call_episode(learner, layout_recipe(layout, draw_seed(rng), max_steps=steps), policy,
                                            generator(draw_seed(rng)), call), call)
        states, actions, _ = episode
        if np.any(actions != np.argmax(policy[states], axis=1)):
            t = int(np.argmax(actions != np.argmax(policy[states], axis=1)))
            fail(f"{call}: actions[{t}] is {actions[t]} ({ACTION_NAMES[actions[t]]}), but the policy gives probability 1 to "
                 f"action {np.argmax(policy[states[t]])}: draw each action with rng.choice(n_actions, p=policy[state])")
        check_episode(env, episode, call)
        if len(episode[0]) != expected_length:
            fail(f"{call} returned {len(episode[0])} steps; expected {expected_length}")


@pytest.mark.points(1)
def test_same_seed_same_results(learner, rng, worker):
    """the same seeds give the same episodes and the same Q; another rng seed gives other episodes"""
    env_seed, rng_seed, other_seed = draw_seed(rng), draw_seed(rng), draw_seed(rng)
    policy = mixed_policy(rng, make("slippery_gridworld"), 0.9, share=0.6)
    call = 'generate_episode(make("slippery_gridworld"), policy, rng), five episodes in a row'

    def five_episodes(seed):
        env_handle = worker.put(world_recipe("slippery_gridworld", env_seed))
        rng_handle = worker.put(generator(seed))
        return [read_episode(call_episode(learner, env_handle, policy, rng_handle, call), call) for _ in range(5)]

    def same(runs, others):
        return all(np.array_equal(a, b) for run, other in zip(runs, others) for a, b in zip(run, other))

    first, again, other = five_episodes(rng_seed), five_episodes(rng_seed), five_episodes(other_seed)
    if not same(first, again):
        fail(f"{call}: two runs with the same seeds (a fresh world and np.random.default_rng(seed) each time) gave "
             "different episodes; expected the same — draw every action with the rng argument (rng.choice), never "
             "with np.random.* (global state)")
    if same(first, other):
        fail(f"{call}: runs with different rng seeds gave exactly the same episodes; expected other random actions — "
             "draw every action with the rng argument (rng.choice(n_actions, p=policy[state])), not with a Generator "
             "of your own or the world's action_space.sample()")
    layout = ["S..G"]
    call = f"mc_control(GridWorld({layout}), n_episodes=30, gamma=0.9, epsilon=0.3, rng) run twice with the same seeds"
    results = [learner.mc_control(layout_recipe(layout, env_seed), 30, 0.9, 0.3, generator(rng_seed)) for _ in range(2)]
    (Q, _), (Q_again, _) = (read_control(result, call, (4, 4)) for result in results)
    if not np.array_equal(Q, Q_again):
        fail(f"{call} gave two different Q tables ({show(Q)} and {show(Q_again)}); expected the same: all the "
             "randomness must come from rng")


@pytest.mark.points(2)
def test_prediction_converges_on_the_gridworld(learner, rng):
    """mc_prediction on the grid world: close to the exact values of the policy on often-visited states"""
    prediction_check(learner, rng, "gridworld", gamma=0.9, n_episodes=300)


@pytest.mark.points(2)
def test_prediction_converges_on_the_slippery_gridworld(learner, rng):
    """mc_prediction on the slippery grid world: close to the exact values of the policy on often-visited states"""
    prediction_check(learner, rng, "slippery_gridworld", gamma=0.9, n_episodes=300)


# --- control -----------------------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_epsilon_greedy_policy(learner, rng, worker):
    """epsilon_greedy_policy: epsilon / A on every action plus 1 - epsilon on a greedy one; rows sum to 1"""
    for n_actions, epsilon in ((4, float(np.round(rng.uniform(0.05, 0.5), 2))), (3, 0.3), (4, 0.0), (4, 1.0)):
        Q = np.round(rng.normal(size=(6, n_actions)), 3)
        Q[2, :] = Q[2, 0]  # all tied
        Q[4, 1:3] = Q[4].max() + 1.0  # two tied
        stored = worker.put(Q)
        call = f"epsilon_greedy_policy(Q, epsilon={epsilon:g}) for Q of shape {Q.shape}"
        got = learner.epsilon_greedy_policy(stored, epsilon)
        expect_unchanged(Q, worker.fetch(stored), call, "Q")
        expect_policy_table(got, Q, epsilon, call)
    call = "epsilon_greedy_policy([[1.0, 3.0, 2.0, 0.0]], epsilon=0.2)  (Q as a plain list)"
    expect_policy_table(learner.epsilon_greedy_policy([[1.0, 3.0, 2.0, 0.0]], 0.2), [[1.0, 3.0, 2.0, 0.0]], 0.2, call)


def read_control(result, call, shape):
    """(Q, policy) returned by mc_control, checked for shapes and finiteness."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        fail(f"{call} returned {show(result)}; expected a tuple (Q, policy)")
    Q, policy = result
    if isinstance(Q, np.ndarray) and Q.shape == shape and np.isnan(Q).any():
        fail(f"{call} returned nan in Q: {show(Q)} — pairs never visited (0 / 0?) keep Q = 0; divide only where the count is positive")
    return expect_array(Q, f"{call}[0] (Q)", shape), expect_array(policy, f"{call}[1] (the policy)", shape)


def q_table(Q, env):
    return "\n".join(f"  state {s}: " + "  ".join(f"{ACTION_NAMES[a]} {Q[s, a]:7.2f}" for a in range(env.n_actions))
                     for s in np.flatnonzero(~ends(env)))


@pytest.mark.points(2)
def test_control_with_epsilon_one_averages_random_returns(learner, rng):
    """mc_control with epsilon = 1 acts at random: Q must approach the Q of the uniformly random policy"""
    layout, gamma, n_episodes = ["S..G"], float(np.round(rng.uniform(0.8, 0.9), 2)), 300
    env = GridWorld(layout, max_steps=200)
    uniform = np.full((env.n_states, env.n_actions), 1.0 / env.n_actions)
    _, _, Q_true, variance = moments(env, uniform, gamma)
    _, visits = visit_probabilities(env, uniform)
    judged = (visits >= 0.3) & ~ends(env)[:, None]
    call = f"mc_control(GridWorld({layout}, max_steps=200), n_episodes={n_episodes}, gamma={gamma:g}, epsilon=1.0, rng)"
    result = learner.mc_control(layout_recipe(layout, draw_seed(rng), max_steps=200), n_episodes, gamma, 1.0, generator(draw_seed(rng)))
    Q, _ = read_control(result, call, Q_true.shape)
    errors = standard_errors(variance, visits, n_episodes)
    off = judged & (np.abs(Q - Q_true) > Z * errors + 1e-6)
    if not off.any():
        return
    s, a = np.unravel_index(int(np.argmax(np.where(off, np.abs(Q - Q_true) / (errors + 1e-6), 0.0))), Q.shape)
    message = (f"{call}: Q[{s}, {a}] ({ACTION_NAMES[a]}) is {Q[s, a]:.4g}; with epsilon = 1 every action is equally "
               f"likely, so Q must approach the Q of the random policy, {Q_true[s, a]:.4g} ({within(errors[s, a])})."
               f"\nyour Q:\n{q_table(Q, env)}\n"
               f"the random policy's Q:\n{q_table(Q_true, env)}")
    visited = ~ends(env)
    if np.allclose(Q[visited], Q[visited][:, :1], atol=1e-9):
        message += ("\n— every action of a state has the same Q: the returns are averaged per STATE; keep a sum and a "
                    "count per (state, action) pair")
    else:
        message += ("\n— are the episodes generated with the epsilon-greedy policy of the current Q (with epsilon = 1, "
                    "uniform), the return after the FIRST visit of each (state, action) pair averaged over all episodes?")
    fail(message)


@pytest.mark.points(1)
def test_control_returns_its_epsilon_greedy_policy(learner, rng):
    """mc_control returns Q and the epsilon-greedy policy of that Q"""
    layout, epsilon = ["S...", "..HG"], float(np.round(rng.uniform(0.1, 0.4), 2))
    env = GridWorld(layout)
    call = f"mc_control(GridWorld({layout}), n_episodes=40, gamma=0.9, epsilon={epsilon:g}, rng)"
    result = learner.mc_control(layout_recipe(layout, draw_seed(rng)), 40, 0.9, epsilon, generator(draw_seed(rng)))
    Q, policy = read_control(result, call, (env.n_states, env.n_actions))
    expect_policy_table(policy, Q, epsilon, f"{call}[1] (the policy), compared with the epsilon-greedy policy of the returned Q,")
    never = ends(env)
    if np.any(Q[never] != 0.0):
        fail(f"{call}[0] has Q = {show(Q[never])} for the goal and the hole, where no action is ever taken; expected 0 "
             "(pairs never visited keep Q = 0)")


@pytest.mark.points(3)
@pytest.mark.time_limit(20)
def test_control_reaches_the_goal(learner, rng):
    """mc_control on the grid world: the greedy policy of Q reaches the goal by a near-shortest path"""
    gamma, epsilon, n_episodes, max_steps = 0.95, 0.5, 300, 200
    env_seed = draw_seed(rng)
    env = make("gridworld", seed=env_seed, max_steps=max_steps)
    call = (f'mc_control(make("gridworld", max_steps={max_steps}), n_episodes={n_episodes}, gamma={gamma:g}, '
            f"epsilon={epsilon:g}, rng)")
    result = learner.mc_control(world_recipe("gridworld", env_seed, max_steps=max_steps), n_episodes, gamma, epsilon,
                                generator(draw_seed(rng)))
    Q, _ = read_control(result, call, (env.n_states, env.n_actions))
    V_star, Q_star = solve(env, gamma)
    _, best_path, _ = run_greedy(env, Q_star)
    shortest = len(best_path) - 1
    _, path, reached = run_greedy(env, Q)
    value = policy_values(env, np.argmax(Q, axis=1), gamma)[env.start_state]
    random_value = policy_values(env, np.full(Q.shape, 0.25), gamma)[env.start_state]
    pictures = (f"the greedy policy of your Q (argmax of each row):\n{env.render_policy(Q)}\n"
                f"an optimal policy:\n{env.render_policy(Q_star)}\n"
                f"its value at the start is {value:.3g}; the optimum is {V_star[env.start_state]:.3g}, the random policy "
                f"{random_value:.3g}")
    if not reached:
        visited = ~ends(env)
        mistake = ""
        if np.allclose(Q[visited], Q[visited][:, :1], atol=1e-9):
            mistake = ("\n— every action of a state has the same Q: average the returns per (state, action) pair, not "
                       "per state")
        fail(f"{call}: following the greedy policy of the returned Q from the start, the agent "
             f"{'falls into the hole' if env.grid.flat[path[-1]] == 'H' else 'never reaches the goal'} "
             f"(path {path[:12]}{'...' if len(path) > 12 else ''}); expected it to reach the goal.\n{pictures}{mistake}")
    if len(path) - 1 > shortest + 4:
        fail(f"{call}: the greedy policy of the returned Q reaches the goal in {len(path) - 1} moves; the shortest path "
             f"takes {shortest}, and {n_episodes} episodes of correct epsilon-greedy Monte Carlo control find one at "
             f"most 4 moves longer.\n{pictures}")
    never = ends(env)
    if np.any(Q[never] != 0.0):
        fail(f"{call}[0] has nonzero Q for the walls, the goal or the hole, where no action is ever taken; expected 0 "
             "(pairs never visited keep Q = 0)")
