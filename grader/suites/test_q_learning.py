"""Hidden suite for exercise 14, q_learning.

``update`` is judged entry by entry: the suite sets the table ``Q`` (random numbers, so that every mistake
gives other numbers), sends hand-made transitions and checks the returned TD error and the WHOLE table after
each one: exactly ``Q[state, action]`` moves, by ``alpha * (reward + gamma * max Q[next_state] - Q[state,
action])``. A terminated transition must not bootstrap; that is only visible with a non-zero row for the
next state, which training never produces (an end state's row stays 0), hence the hand-made table. When the
numbers match a known mistake (the max over the current state's actions, a flipped sign, no alpha, the TD
error measured after the update, the next action's value instead of the max) the message names it.

``act`` must be greedy with ``epsilon = 0`` (any action among the maxima: random or lowest tie-breaking
both pass), return ints in range, and explore at the documented rate: with probability ``epsilon`` a
uniformly random action, the greedy one included, so the greedy action comes out ``1 - epsilon + epsilon /
n_actions`` of the time; counts over 1 500 calls must lie within 5 binomial standard deviations.
The same seed must give the same choices.

``train`` is judged by what it returns and what it learned, against references computed here on the
grader's own copy of each environment (the learner's copy lives in the worker and is never trusted):

- returns per episode, exactly, in a walled-in room where every move costs -1 and only time ends an
  episode (so every return is ``-max_steps``);
- truncation bootstraps: in that room with one step per episode, ``alpha = 1`` and ``epsilon = 0``, the
  greedy agent updates the four actions in turn whatever its tie-breaking, so after ``4 k`` episodes every
  entry of the start state's row is exactly ``-(1 + gamma + ... + gamma^(k-1))``; treating time-outs as
  terminal gives ``-1``;
- on the grid world, the greedy path of the learned table is a shortest path (run on the suite's copy);
- on the cliff walk (Sutton and Barto, Example 6.6), the greedy path walks along the edge of the cliff
  (return -13). SARSA's target, the value of the action actually taken next, learns the safe path instead
  and fails here;
- on the slippery grid world (where a learned table often leaves a few rarely visited states with poor
  actions, so the exact value of its greedy policy is too strict a judge): the agent's last 50 episodes
  reach the goal (mean return above -40; epsilon-greedy on the optimal values gets about -17, an agent that
  never arrives -100 or less), and ``max Q`` is within 2.5 of the optimal value ``V*`` (from ``solve``) in
  every state an optimal policy visits at least every other episode (the reference stays within 1.3 on
  400 seeds);
- every learned value lies between ``-100 / (1 - gamma)`` and 0, as it must with negative rewards and a
  table that starts at 0 (a flipped sign shows as huge numbers);
- training is reproducible: the same seeds give the same returns and table, another seed for ``rng``
  another run.

The training settings (episodes, alpha, epsilon) are chosen so that the reference passes on every one of
several hundred seeds with margin, with random and with lowest-index tie-breaking (the grid world needs
about 100 episodes and gets 150, the cliff walk needs under 100 and gets 200); each training call takes
the reference well under a second, and the whole suite about 2 s.
"""

import numpy as np
import pytest

from grader.protocol import KitObject
from grader.support.checks import expect_array, expect_float, fail, show
from grader.support.data import learner_generator
from grader.support.environments import ARROWS, make, policy_values, run_greedy, side_by_side, solve

ENVIRONMENTS = "grader.support.environments"
ROOM = ("S#G",)  # a walled-in start: every move bumps into a wall or the edge, costs -1 and stays put
TRAIN_TIME_LIMIT = 15  # seconds per training call; the reference needs at most about 0.5 s


def environment(name, seed, **kwargs):
    """The recipe of a kit environment, built in the worker for the learner's code."""
    return KitObject(f"{ENVIRONMENTS}:make", name, seed=int(seed), **kwargs)


def room(max_steps, seed):
    return KitObject(f"{ENVIRONMENTS}:GridWorld", list(ROOM), max_steps=int(max_steps), seed=int(seed))


def new_agent(learner, n_states, n_actions, alpha, gamma, epsilon):
    call = f"QLearningAgent({n_states}, {n_actions}, alpha={alpha:.4g}, gamma={gamma:.4g}, epsilon={epsilon:.4g})"
    return learner.QLearningAgent(n_states, n_actions, alpha=alpha, gamma=gamma, epsilon=epsilon), call


def read_table(agent, call, shape):
    """agent.Q as an array of ``shape``, finite."""
    return expect_array(agent.Q, f"{call}, then agent.Q", shape)


def expect_returns(got, call, n_episodes):
    returns = expect_array(got, call, (n_episodes,))
    if returns.dtype == bool:
        fail(f"{call} returned booleans {show(returns)}; expected the return (sum of rewards) of each episode")
    return returns.astype(float)


def policy_picture(env, Q):
    """The greedy policy of Q drawn as arrows (rows of zeros, never visited, as '?')."""
    picture = env.grid.copy()
    for state in range(env.n_states):
        if env.terminal[state] or env.unreachable[state]:
            continue
        picture.flat[state] = "?" if np.all(Q[state] == 0) else ARROWS[int(np.argmax(Q[state]))]
    return "\n".join("".join(row) for row in picture)


# --- update ----------------------------------------------------------------------------------------
def diagnose_update(before, after, state, action, reward, next_state, terminated, alpha, gamma):
    """Name the mistake that explains how ``after`` differs from the right update of ``before``, or ''."""
    old = before[state, action]
    future = gamma * before[next_state].max()
    target = reward if terminated else reward + future
    moved = after[state, action] - old
    others = np.ones(before.shape, dtype=bool)
    others[state, action] = False
    if np.allclose(after, before, rtol=0, atol=1e-12):
        return ("Q did not change at all: update must write into the table itself (self.Q[state, action] += ...); "
                "a row taken with q = self.Q[state] and then reassigned (q = ...), or a copy of the table, leaves it as it was")
    if not np.allclose(after[others], before[others], rtol=1e-9, atol=1e-12):
        changed = [tuple(int(i) for i in index) for index in np.argwhere(~np.isclose(after, before, rtol=1e-9, atol=1e-12))]
        where = ("the whole row Q[state]" if all(s == state for s, _ in changed) and len(changed) > 1
                 else "the row of next_state" if all(s == next_state for s, _ in changed)
                 else f"the entries {changed[:6]}")
        return (f"{where} changed; only Q[state, action] = Q[{state}, {action}] may change — index the table with "
                "both the state and the action")
    candidates = [
        ("the max over the CURRENT state's actions (max Q[state]) instead of the next state's: the future is "
         "gamma * max(Q[next_state])", reward + gamma * before[state].max()),
        ("the value of the same action in the next state, Q[next_state, action], instead of the max over the next "
         "state's actions", reward + gamma * before[next_state, action]),
        ("the mean of Q[next_state] instead of its max", reward + gamma * before[next_state].mean()),
        ("no gamma: the future counts gamma * max(Q[next_state])", reward + before[next_state].max()),
        ("the future without the reward: the target is reward + gamma * max(Q[next_state])", future),
    ]
    if terminated:
        candidates.insert(0, ("a bootstrap from a terminal state: when terminated is True there is no future, and "
                              "the target is the reward alone", reward + future))
    else:
        candidates.insert(0, ("no bootstrap although terminated is False: the target is reward + gamma * "
                              "max(Q[next_state])", reward))
    if np.isclose(moved, -alpha * (target - old), rtol=1e-7, atol=1e-12):
        return ("Q[state, action] moved AWAY from the target: the sign is flipped. The TD error is target - "
                "Q[state, action], and Q[state, action] += alpha * TD error")
    if np.isclose(after[state, action], target, rtol=1e-7, atol=1e-12):
        return ("Q[state, action] became the target itself: alpha is missing. Move only part of the way: "
                "Q[state, action] += alpha * (target - Q[state, action])")
    for name, other_target in candidates:
        if np.isclose(moved, alpha * (other_target - old), rtol=1e-7, atol=1e-12) or np.isclose(after[state, action], other_target, rtol=1e-7, atol=1e-12):
            return f"the numbers match {name}"
    if np.isclose(moved, target - old, rtol=1e-7, atol=1e-12):
        return "Q[state, action] moved by the whole TD error: multiply it by alpha"
    return ""


def diagnose_td(got, before, state, action, reward, next_state, terminated, alpha, gamma):
    old = before[state, action]
    target = reward if terminated else reward + gamma * before[next_state].max()
    td = target - old
    for name, value in (
        ("the sign is flipped: the TD error is target - Q[state, action]", -td),
        ("it was measured AFTER the update (then it has shrunk to (1 - alpha) times the TD error): compute it "
         "before changing Q", (1 - alpha) * td),
        ("that is the change alpha * TD error, not the TD error itself", alpha * td),
        ("that is the target, not the TD error target - Q[state, action]", target),
        ("that is the new Q[state, action], not the TD error", old + alpha * td),
    ):
        if np.isclose(got, value, rtol=1e-7, atol=1e-12):
            return f" — {name}"
    return ""


def check_update(agent, table, transition, alpha, gamma):
    """One call of agent.update on a transition; the table must move as documented. Returns the new table."""
    state, action, reward, next_state, terminated = transition
    call = (f"update(state={state}, action={action}, reward={reward:.4g}, next_state={next_state}, "
            f"terminated={terminated}) with alpha={alpha:.4g}, gamma={gamma:.4g}")
    got_td = agent.update(state, action, reward, next_state, terminated)
    target = reward if terminated else reward + gamma * table[next_state].max()
    td = target - table[state, action]
    expected = table.copy()
    expected[state, action] += alpha * td
    after = expect_array(agent.Q, f"agent.Q after {call}", table.shape)
    if not np.allclose(after, expected, rtol=1e-9, atol=1e-12):
        mistake = diagnose_update(table, after, state, action, reward, next_state, terminated, alpha, gamma)
        what = "reward" if terminated else f"reward + gamma * max(Q[{next_state}]) = {reward:.4g} + {gamma:.4g} * {table[next_state].max():.4g}"
        fail(f"{call}: Q[{state}, {action}] went from {table[state, action]:.6g} to {after[state, action]:.6g}; "
             f"expected {expected[state, action]:.6g} (target = {what} = {target:.6g}; "
             f"TD error = target - Q[{state}, {action}] = {td:.6g}; Q[{state}, {action}] + alpha * TD error), "
             f"and no other entry of Q changed" + (f" — {mistake}" if mistake else ""))
    if got_td is None:
        fail(f"{call} returned None; expected the TD error {td:.6g} (is a `return` missing?)")
    got = expect_float(got_td, call)
    if not np.isclose(got, td, rtol=1e-9, atol=1e-12):
        fail(f"{call} updated Q correctly but returned {got:.6g}; expected the TD error target - Q[state, action] = "
             f"{target:.6g} - {table[state, action]:.6g} = {td:.6g}"
             + diagnose_td(got, table, state, action, reward, next_state, terminated, alpha, gamma))
    return expected


def random_table(rng, n_states, n_actions):
    """A table whose rows all differ clearly, so that each mistake gives other numbers."""
    return np.round(rng.normal(0.0, 3.0, size=(n_states, n_actions)), 3)


def random_transition(rng, n_states, n_actions, terminated):
    state, next_state = (int(s) for s in rng.choice(n_states, size=2, replace=False))
    return state, int(rng.integers(n_actions)), float(np.round(rng.uniform(-2.0, 1.0), 3)), next_state, terminated


def update_settings(rng):
    return float(rng.uniform(0.15, 0.4)), float(rng.uniform(0.6, 0.95))  # alpha != 1 - alpha; gamma well below 1


@pytest.mark.points(2)
def test_update_moves_one_entry(learner, rng):
    """update moves Q[state, action] by alpha * TD error (max over the NEXT state's actions); returns the TD error"""
    n_states, n_actions = int(rng.integers(5, 8)), int(rng.integers(3, 5))
    alpha, gamma = update_settings(rng)
    agent, call = new_agent(learner, n_states, n_actions, alpha, gamma, 0.1)
    start = read_table(agent, call, (n_states, n_actions))
    if not np.all(start == 0):
        fail(f"{call}.Q is {show(start)} right after construction; expected all zeros (np.zeros((n_states, n_actions)))")
    table = np.zeros((n_states, n_actions))
    table = check_update(agent, table, random_transition(rng, n_states, n_actions, False), alpha, gamma)
    table = random_table(rng, n_states, n_actions)
    agent.Q = table.copy()
    for _ in range(5):
        table = check_update(agent, table, random_transition(rng, n_states, n_actions, False), alpha, gamma)


@pytest.mark.points(2)
def test_terminal_next_state_does_not_bootstrap(learner, rng):
    """a terminated transition has target = reward: no gamma * max Q[next_state]"""
    n_states, n_actions = int(rng.integers(5, 8)), int(rng.integers(3, 5))
    alpha, gamma = update_settings(rng)
    agent, _ = new_agent(learner, n_states, n_actions, alpha, gamma, 0.1)
    table = random_table(rng, n_states, n_actions)
    agent.Q = table.copy()
    for terminated in (True, False, True, True):
        transition = random_transition(rng, n_states, n_actions, terminated)
        if terminated:  # an end state's row far from 0, so that a bootstrap shows
            table[transition[3]] = np.round(rng.uniform(4.0, 8.0, size=n_actions), 3)
            agent.Q = table.copy()
        table = check_update(agent, table, transition, alpha, gamma)


# --- act -------------------------------------------------------------------------------------------
def expect_action(got, call, n_actions):
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, np.integer)):
        extra = " (an array: return int(...) of the chosen action)" if isinstance(got, np.ndarray) else ""
        fail(f"{call} returned {show(got)}; expected an int, an action in range({n_actions}){extra}")
    if not 0 <= int(got) < n_actions:
        extra = (" — an index into the whole table? Take the row Q[state] first, then its argmax"
                 if int(got) >= n_actions else "")
        fail(f"{call} returned {int(got)}; expected an action in range({n_actions}){extra}")
    return int(got)


@pytest.mark.points(1)
def test_act_is_greedy_when_epsilon_is_zero(learner, worker, rng):
    """with epsilon = 0, act returns an int action with the largest Q[state] (any of them in a tie)"""
    n_states, n_actions = 6, 4
    table = rng.integers(-3, 3, size=(n_states, n_actions)).astype(float)  # small integers: many ties
    table[0] = [1.0, 1.0, 1.0, 1.0]
    table[1] = [-2.0, 5.0, 0.0, -1.0]
    agent, _ = new_agent(learner, n_states, n_actions, 0.1, 0.9, 0.0)
    agent.Q = table
    generator = worker.put(learner_generator(rng.integers(2**31)))
    for state in rng.permutation(n_states).tolist() * 6:
        call = f"act(state={state}, rng) with epsilon=0 and Q[{state}] = {table[state].tolist()}"
        action = expect_action(agent.act(state, generator), call, n_actions)
        best = np.flatnonzero(table[state] == table[state].max())
        if action not in best:
            hint = (" — that is the SMALLEST value: take the argmax" if table[state, action] == table[state].min()
                    else " — does act explore although epsilon is 0 (rng.random() < epsilon is never true then)?")
            fail(f"{call} returned {action}; expected {'one of ' if len(best) > 1 else ''}{best.tolist() if len(best) > 1 else int(best[0])}"
                 f", the action{'s' if len(best) > 1 else ''} with the largest Q{hint}")


@pytest.mark.points(2)
def test_act_explores_at_rate_epsilon(learner, worker, rng):
    """act picks a uniformly random action with probability epsilon (the greedy one included); same seed, same choices"""
    n_states, n_actions, n_calls = 3, 4, 1500
    epsilon = float(np.round(rng.uniform(0.2, 0.35), 2))
    table = rng.normal(size=(n_states, n_actions))  # one clear greedy action per state
    agent, _ = new_agent(learner, n_states, n_actions, 0.1, 0.9, epsilon)
    agent.Q = table
    seed = int(rng.integers(2**31))
    generator = worker.put(learner_generator(seed))
    states = rng.integers(n_states, size=n_calls).tolist()
    call = f"act(state, rng) with epsilon={epsilon}"
    actions = np.array([expect_action(agent.act(state, generator), call, n_actions) for state in states])
    greedy = table.argmax(axis=1)[states]
    chose_greedy = actions == greedy
    p_greedy = 1 - epsilon + epsilon / n_actions
    n_greedy = int(chose_greedy.sum())
    tolerance = 5 * np.sqrt(n_calls * p_greedy * (1 - p_greedy))
    rate = f"{n_greedy} of {n_calls} calls ({n_greedy / n_calls:.1%}) returned the greedy action"
    if abs(n_greedy - n_calls * p_greedy) > tolerance:
        expected = (f"expected about {p_greedy:.1%} = 1 - epsilon + epsilon / n_actions: with probability epsilon a "
                    f"uniformly random action, which is the greedy one a quarter of the time")
        other_rates = (
            (1 - (1 - epsilon) + (1 - epsilon) / n_actions, "exploration happens with probability 1 - epsilon instead of "
             "epsilon: explore when rng.random() < epsilon"),
            (1 - epsilon, "the random action is never the greedy one: draw it from ALL the actions, rng.integers(n_actions)"),
            (1.0, "act never explores"),
            (1 / n_actions, "act always explores"),
        )
        for other, mistake in other_rates:
            if abs(n_greedy - n_calls * other) <= tolerance:
                fail(f"{call}: {rate}; {expected} — {mistake}")
        fail(f"{call}: {rate}; {expected}")
    explored = ~chose_greedy
    counts = np.array([np.sum(actions[explored] == a) for a in range(n_actions)])
    # each non-greedy action has probability epsilon / n_actions per call
    p_each = epsilon / n_actions
    for a in range(n_actions):
        mask = greedy != a
        got = int(np.sum(actions[mask] == a))
        mean = mask.sum() * p_each
        if abs(got - mean) > 5 * np.sqrt(mask.sum() * p_each * (1 - p_each)):
            fail(f"{call}: action {a} was returned {got} times in the {int(mask.sum())} calls where it is not the greedy "
                 f"action; expected about {mean:.0f} (epsilon / n_actions of them): the random action must be uniform "
                 f"over all {n_actions} actions (rng.integers(n_actions)); counts of the non-greedy choices: {counts.tolist()}")
    replay = worker.put(learner_generator(seed))
    again = np.array([expect_action(agent.act(state, replay), call, n_actions) for state in states[:300]])
    if not np.array_equal(again, actions[:300]):
        i = int(np.argmax(again != actions[:300]))
        fail(f"{call}: with two generators of the same seed, call {i} returned {actions[i]} the first time and "
             f"{again[i]} the second; expected the same choices — draw every random number from rng "
             "(rng.random(), rng.integers(...)), not from np.random or the random module")


# --- train -----------------------------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.time_limit(TRAIN_TIME_LIMIT)
def test_train_returns_each_episode_return(learner, rng):
    """train resets the environment each episode and returns an array with the sum of each episode's rewards"""
    max_steps, n_episodes = int(rng.integers(2, 6)), int(rng.integers(6, 12))
    gamma = float(rng.uniform(0.8, 0.95))
    agent, _ = new_agent(learner, 3, 4, 0.5, gamma, 0.5)
    call = (f"train(env, n_episodes={n_episodes}, rng) in a walled-in room (layout {list(ROOM)}, max_steps={max_steps}: "
            f"every move costs -1, every episode is {max_steps} moves long)")
    returns = expect_returns(agent.train(room(max_steps, rng.integers(2**31)), n_episodes,
                                         learner_generator(rng.integers(2**31))), call, n_episodes)
    expected = np.full(n_episodes, -float(max_steps))
    if np.allclose(returns, expected):
        return
    mistake = ""
    if np.allclose(returns, np.cumsum(expected)):
        mistake = "the return keeps adding up across episodes: start each episode's sum at 0"
    elif np.allclose(returns, -expected):
        mistake = "the sign is flipped: add up the rewards themselves"
    elif np.allclose(returns, -(1 - gamma**max_steps) / (1 - gamma)):
        mistake = "that is the discounted return; record the plain sum of the rewards"
    elif np.allclose(returns, -1.0):
        mistake = "only the last reward is recorded: add up every reward of the episode"
    fail(f"{call} returned {show(returns)}; expected {show(expected)}, the sum of the rewards of each episode"
         + (f" — {mistake}" if mistake else ""))


@pytest.mark.points(2)
@pytest.mark.time_limit(TRAIN_TIME_LIMIT)
def test_truncated_episode_still_bootstraps(learner, rng):
    """a time-out (truncated) is not terminal: the update still bootstraps from the next state"""
    k = int(rng.integers(3, 7))
    gamma = float(np.round(rng.uniform(0.5, 0.9), 2))
    n_episodes = 4 * k
    agent, _ = new_agent(learner, 3, 4, 1.0, gamma, 0.0)
    call = (f"QLearningAgent(3, 4, alpha=1, gamma={gamma}, epsilon=0).train(env, n_episodes={n_episodes}, rng) in a "
            f"walled-in room (layout {list(ROOM)}, max_steps=1: each episode is one move that costs -1 and ends by "
            f"time-out: terminated=False, truncated=True)")
    returns = expect_returns(agent.train(room(1, rng.integers(2**31)), n_episodes,
                                         learner_generator(rng.integers(2**31))), call, n_episodes)
    if not np.allclose(returns, -1.0):
        fail(f"{call} returned {show(returns)}; expected -1 for every episode (one move of reward -1)")
    Q = read_table(agent, call, (3, 4))
    value = -(1 - gamma**k) / (1 - gamma)
    expected = np.zeros((3, 4))
    expected[0] = value
    if np.allclose(Q, expected, rtol=1e-9, atol=1e-12):
        return
    explanation = (f"with alpha = 1 and epsilon = 0 the greedy agent tries the four actions in turn (an updated "
                   f"action drops below the others), and each update sets Q[0, a] = -1 + gamma * max(Q[0]); after "
                   f"{n_episodes} = 4 x {k} episodes every entry is -(1 + gamma + ... + gamma^{k - 1}) = {value:.6g}")
    if np.allclose(Q[0], -1.0) and np.allclose(Q[1:], 0.0):
        fail(f"{call}: Q[0] = {show(Q[0])}; expected {value:.6g} for every action: {explanation} — every entry is "
             "-1: a truncated (timed-out) step was treated as terminal. The episode ends when terminated OR truncated, "
             "but pass only `terminated` to update: after a time-out the next state still has a future")
    if not np.allclose(Q[1:], 0.0):
        fail(f"{call}: Q = {show(Q)}; only the start state 0 is ever visited, so rows 1 and 2 must stay 0")
    fail(f"{call}: Q[0] = {show(Q[0])}; expected {value:.6g} for every action: {explanation}")


def train_on(learner, name, rng, n_episodes, alpha, epsilon, gamma=0.99):
    """Train a fresh agent on the named kit environment; returns (returns, Q, the call as text, the suite's env)."""
    env = make(name)
    agent, call = new_agent(learner, env.n_states, env.n_actions, alpha, gamma, epsilon)
    call = f"{call}.train(make({name!r}), n_episodes={n_episodes}, rng)"
    returns = expect_returns(agent.train(environment(name, rng.integers(2**31)), n_episodes,
                                         learner_generator(rng.integers(2**31))), call, n_episodes)
    Q = read_table(agent, call, (env.n_states, env.n_actions))
    lowest = -100.0 / (1 - gamma)
    outside = np.maximum(Q - 1e-9, lowest - 1e-6 - Q)
    if outside.max() > 0:
        state, action = np.unravel_index(int(np.argmax(outside)), Q.shape)
        fail(f"{call}: Q[{state}, {action}] = {Q[state, action]:.4g}; every value must lie between {lowest:g} and 0. "
             "Every reward is negative (-1 a move, -20 a hole, -100 the cliff) and Q starts at 0, so each target "
             "reward + gamma * max(Q[next_state]) is in that range, and so is every step part of the way towards it: "
             "the updates move AWAY from their targets (is the sign of the TD error flipped?) or overshoot them")
    return returns, Q, call, env


def expect_returns_in_range(returns, call, worst, best):
    if np.any(returns > best + 1e-9) or np.any(returns < worst - 1e-9):
        i = int(np.argmax((returns > best + 1e-9) | (returns < worst - 1e-9)))
        extra = (" — the returns keep adding up across episodes: start each episode's sum at 0"
                 if np.all(np.diff(returns) <= 0) and returns[-1] < worst else "")
        fail(f"{call}: episode {i} has the return {returns[i]:.6g}; every return lies between {worst:g} (the worst "
             f"episode) and {best:g} (the shortest path){extra}")


@pytest.mark.points(2)
@pytest.mark.time_limit(TRAIN_TIME_LIMIT)
def test_gridworld_greedy_path_is_shortest(learner, rng):
    """on the grid world, the greedy policy of the learned Q walks a shortest path to the goal"""
    returns, Q, call, env = train_on(learner, "gridworld", rng, n_episodes=150, alpha=0.5, epsilon=0.1)
    _, Q_star = solve(env, 0.99)
    best, best_path, _ = run_greedy(env, Q_star)
    expect_returns_in_range(returns, call, worst=-env.max_steps - 19, best=best)
    got, path, reached = run_greedy(env, Q)
    if reached and got == best:
        return
    pictures = side_by_side(("your greedy policy", policy_picture(env, Q)), ("its path", env.render_path(path)),
                      ("a shortest path", env.render_path(best_path)))
    outcome = ("reaches the goal in " if reached else "falls into the hole after " if env.grid.flat[path[-1]] == "H"
               else "does not reach the goal in ")
    fail(f"{call}: the greedy policy of the learned Q {outcome}{len(path) - 1} moves (return {got:g}); expected a "
         f"shortest path, {len(best_path) - 1} moves (return {best:g}) ('?' marks states whose Q row is still all 0):"
         f"{pictures}\nIs the target reward + gamma * max(Q[next_state]), and does train move on to next_state after "
         "each step?")


@pytest.mark.points(2)
@pytest.mark.time_limit(TRAIN_TIME_LIMIT)
def test_cliff_walk_takes_the_edge(learner, rng):
    """on the cliff walk, Q-learning's greedy path runs along the edge of the cliff (return -13), unlike SARSA's"""
    returns, Q, call, env = train_on(learner, "cliff_walk", rng, n_episodes=200, alpha=0.5, epsilon=0.1)
    expect_returns_in_range(returns, call, worst=-100.0 * env.max_steps, best=-13.0)
    got, path, reached = run_greedy(env, Q)
    if reached and got == -13.0:
        return
    pictures = side_by_side(("your greedy policy", policy_picture(env, Q)), ("its path", env.render_path(path)))
    rows = {divmod(state, env.shape[1])[0] for state in path[1:-1]}
    if reached and min(rows) < 2:
        mistake = (" — that is the SAFE path, further from the cliff: SARSA learns it, because its target uses the "
                   "action the agent really takes next (sometimes a random step into the cliff). Q-learning's target "
                   "uses max(Q[next_state]), the best action, whatever the next action will be")
    else:
        mistake = " — is the target reward + gamma * max(Q[next_state]), and does train move on to next_state after each step?"
    fail(f"{call}: the greedy policy of the learned Q {'reaches the goal with' if reached else 'does not reach the goal; it gets'} "
         f"the return {got:g}; expected -13, the shortest path right along the edge of the cliff (up, 11 times right, "
         f"down), as in Sutton and Barto's Example 6.6:{pictures}{mistake}")


def main_states(env, Q_star, threshold=0.5):
    """The states an optimal policy visits with probability >= ``threshold`` in an episode from the start."""
    P = env.P[np.arange(env.n_states), Q_star.argmax(axis=1)]
    visited = np.zeros(env.n_states)
    for state in range(env.n_states):  # make the state absorbing: the mass that ends there has visited it
        P_stop = P.copy()
        P_stop[state] = 0.0
        P_stop[state, state] = 1.0
        where = np.zeros(env.n_states)
        where[env.start_state] = 1.0
        for _ in range(env.max_steps):
            where = where @ P_stop
        visited[state] = where[state]
    return np.flatnonzero((visited >= threshold) & ~env.terminal)


@pytest.mark.points(2)
@pytest.mark.time_limit(TRAIN_TIME_LIMIT)
def test_slippery_gridworld_near_optimal(learner, rng):
    """on the slippery grid world, the agent learns to reach the goal and its values are near the optimal ones"""
    gamma, epsilon = 0.95, 0.2
    returns, Q, call, env = train_on(learner, "slippery_gridworld", rng, n_episodes=200, alpha=0.3, epsilon=epsilon,
                                     gamma=gamma)
    expect_returns_in_range(returns, call, worst=-env.max_steps - 19, best=-9.0)
    V_star, Q_star = solve(env, gamma)
    pictures = side_by_side(("max Q, learned", env.render_values(Q.max(axis=1))), ("V*, optimal", env.render_values(V_star)))
    pictures += side_by_side(("your greedy policy", policy_picture(env, Q)), ("an optimal policy", env.render_policy(Q_star)))
    advice = ("\nIs the target reward + gamma * max(Q[next_state]) (the reward alone only when terminated), moved by "
              "alpha * TD error, and does train move on to next_state after each step?")
    recent = float(returns[-50:].mean())
    if recent < -40.0:
        soft = (1 - epsilon) * np.eye(env.n_actions)[Q_star.argmax(axis=1)] + epsilon / env.n_actions
        expected = policy_values(env, soft, 0.99999)[env.start_state]  # nearly undiscounted: the mean return
        fail(f"{call}: the last 50 episodes have a mean return of {recent:.4g}; expected better than -40 (an agent "
             f"that acts epsilon-greedily on optimal values gets {expected:.3g} on average; one that never reaches "
             f"the goal gets {-env.max_steps} or less):{pictures}{advice}")
    main = main_states(env, Q_star)
    errors = Q.max(axis=1)[main] - V_star[main]
    if np.max(np.abs(errors)) > 2.5:
        worst = int(main[np.argmax(np.abs(errors))])
        fail(f"{call}: max Q[{worst}] = {Q[worst].max():.4g}; expected about V*[{worst}] = {V_star[worst]:.4g}, the "
             f"optimal value (within 2.5, in each of the states {main.tolist()} that an optimal policy visits at least "
             f"every other episode):{pictures}{advice}")


@pytest.mark.points(1)
@pytest.mark.time_limit(TRAIN_TIME_LIMIT)
def test_training_is_reproducible(learner, rng):
    """the same environment seed and rng seed give the same returns and Q; another rng seed another run"""
    env_seed, seed = int(rng.integers(2**31)), int(rng.integers(2**31))
    runs = []
    for rng_seed in (seed, seed, seed + 1):
        agent, _ = new_agent(learner, 30, 4, 0.5, 0.99, 0.2)
        returns = expect_returns(agent.train(environment("gridworld", env_seed), 20, learner_generator(rng_seed)),
                                 "train(make('gridworld'), n_episodes=20, rng)", 20)
        runs.append((returns, read_table(agent, "train(make('gridworld'), n_episodes=20, rng)", (30, 4))))
    (first, Q_first), (again, Q_again), (other, Q_other) = runs
    call = "QLearningAgent(30, 4, alpha=0.5, gamma=0.99, epsilon=0.2).train(make('gridworld', seed=s), n_episodes=20, rng)"
    if not (np.array_equal(first, again) and np.array_equal(Q_first, Q_again)):
        fail(f"{call} twice, with generators of the same seed, returned {show(first)} and then {show(again)}"
             f"{' (and different Q tables)' if not np.array_equal(Q_first, Q_again) else ''}; expected the same run — "
             "draw every random number from rng (passed on to act), not from np.random or the random module")
    if np.array_equal(first, other) and np.array_equal(Q_first, Q_other):
        fail(f"{call} with generators of two different seeds gave exactly the same run; expected other random "
             "choices — draw the exploration from the rng passed to train, not from a generator of your own")
