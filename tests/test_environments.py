"""The grid worlds of the reinforcement-learning stage: the model matches the simulator, the API is Gymnasium's."""

import numpy as np
import pytest

from grader.support.environments import (
    CLIFF_REWARD, DOWN, HOLE_REWARD, LEFT, RIGHT, STEP_REWARD, UP, GridWorld, make, policy_values, run_greedy,
    side_by_side, solve,
)

NAMES = ["gridworld", "slippery_gridworld", "cliff_walk"]


@pytest.mark.parametrize("name", NAMES)
def test_model_is_a_distribution_and_ends_absorb(name):
    env = make(name)
    assert env.P.shape == (env.n_states, env.n_actions, env.n_states)
    assert env.R.shape == (env.n_states, env.n_actions)
    np.testing.assert_allclose(env.P.sum(axis=2), 1.0)
    assert np.all(env.P >= 0)
    for state in np.flatnonzero(env.terminal | env.unreachable):
        assert np.all(env.P[state, :, state] == 1.0) and np.all(env.R[state] == 0.0)


@pytest.mark.parametrize("name", NAMES)
def test_simulated_transitions_follow_the_model(name):
    """Empirical next-state frequencies and mean rewards from step() agree with P and R."""
    env = make(name, seed=3)
    rng = np.random.default_rng(0)
    reachable = np.flatnonzero(~(env.terminal | env.unreachable))
    for state in rng.choice(reachable, size=6, replace=False):
        for action in range(env.n_actions):
            counts, rewards, n = np.zeros(env.n_states), 0.0, 400
            for _ in range(n):
                env.reset()
                env.state = int(state)
                next_state, reward, *_ = env.step(action)
                counts[next_state] += 1
                rewards += reward
            # 5 standard errors of a proportion of 400 draws is at most 0.125
            np.testing.assert_allclose(counts / n, env.P[state, action], atol=0.125)
            if env.slip == 0.0:
                np.testing.assert_array_equal(counts / n, env.P[state, action])
                assert rewards / n == env.R[state, action]


def test_moves_walls_edges_hole_and_cliff():
    env = GridWorld(["S.#", ".HG"], seed=0)
    env.reset()
    assert env.step(UP) == (0, STEP_REWARD, False, False, {})  # the edge: stay, pay a step
    assert env.step(RIGHT)[:3] == (1, STEP_REWARD, False)
    assert env.step(RIGHT)[:3] == (1, STEP_REWARD, False)  # a wall
    assert env.step(DOWN)[:3] == (4, HOLE_REWARD, True)
    cliff = make("cliff_walk")
    cliff.reset()
    assert cliff.step(RIGHT)[:3] == (cliff.start_state, CLIFF_REWARD, False)
    assert cliff.step(LEFT)[:3] == (cliff.start_state, STEP_REWARD, False)


def test_terminated_truncated_and_reset():
    env = GridWorld(["S..G"], max_steps=3)
    assert env.reset(seed=1) == (0, {})
    assert env.step(LEFT)[2:4] == (False, False)
    assert env.step(RIGHT)[2:4] == (False, False)
    assert env.step(RIGHT)[2:4] == (False, True)  # time is up, the state (2) is not an end
    with pytest.raises(RuntimeError, match="reset"):
        env.step(RIGHT)
    env.reset()
    for _ in range(2):
        env.step(RIGHT)
    assert env.step(RIGHT)[:4] == (3, STEP_REWARD, True, False)  # the goal on the last allowed step
    env.reset()
    with pytest.raises(ValueError, match="action"):
        env.step(4)
    with pytest.raises(RuntimeError, match="reset"):
        GridWorld(["SG"]).step(RIGHT)


def test_seeding_makes_slips_reproducible():
    def path(seed):
        env = make("slippery_gridworld", slip=0.5)
        env.reset(seed=seed)
        return [env.step(RIGHT)[0] for _ in range(3)] + [env.action_space.sample() for _ in range(5)]

    assert path(7) == path(7)
    assert any(path(7) != path(seed) for seed in range(8, 12))


@pytest.mark.parametrize("name", NAMES)
def test_solve_is_optimal_and_policy_values_is_exact(name):
    env = make(name)
    gamma = 0.95
    V, Q = solve(env, gamma)
    np.testing.assert_allclose(V, Q.max(axis=1), atol=1e-10)
    np.testing.assert_allclose(policy_values(env, Q.argmax(axis=1), gamma), V, atol=1e-9)
    uniform = np.full((env.n_states, env.n_actions), 1 / env.n_actions)
    assert np.all(policy_values(env, uniform, gamma) <= V + 1e-9)


def test_known_optimal_returns():
    """The best path is 9 moves in the grid world and 13 along the cliff edge (Sutton & Barto, Example 6.6)."""
    for name, best in [("gridworld", -9.0), ("cliff_walk", -13.0)]:
        env = make(name)
        _, Q = solve(env, 0.99)
        total, visited, reached = run_greedy(env, Q)
        assert reached and total == best
    cliff = make("cliff_walk")
    _, Q = solve(cliff, 0.99)
    _, visited, _ = run_greedy(cliff, Q)
    edge_row = {cliff.shape[1] * 2 + column for column in range(cliff.shape[1])}
    assert len(edge_row & set(visited)) == cliff.shape[1]


def test_pictures():
    env = make("gridworld")
    env.reset()
    assert env.render().splitlines()[0] == "A...#."
    _, Q = solve(env, 0.9)
    arrows = env.render_policy(Q).splitlines()
    assert arrows[0][4] == "#" and arrows[2][4] == "H" and arrows[4][5] == "G"
    assert set("".join(arrows)) <= set("^>v<#HG")
    assert env.render_policy(Q.argmax(axis=1)) == env.render_policy(Q)
    assert "#" in env.render_values(np.zeros(env.n_states)).splitlines()[0]


def test_bad_layouts_and_names():
    with pytest.raises(ValueError, match="length"):
        GridWorld(["S.", "G"])
    with pytest.raises(ValueError, match="start"):
        GridWorld(["..G"])
    with pytest.raises(ValueError, match="slip"):
        GridWorld(["SG"], slip=1.0)
    with pytest.raises(ValueError, match="unknown environment"):
        make("frozen_lake")


def test_side_by_side_and_paths():
    env = make("gridworld")
    _, Q = solve(env, 0.9)
    _, visited, _ = run_greedy(env, Q)
    path = env.render_path(visited)
    assert path.count("*") == len(visited) - 2 and path.splitlines()[0][0] == "S"
    both = side_by_side(("policy", env.render_policy(Q)), ("path", path)).splitlines()
    assert both[0] == "" and both[1].split() == ["policy", "path"]
    assert both[2] == env.render_policy(Q).splitlines()[0] + "    " + path.splitlines()[0]
    wide = side_by_side(("a", "x" * 60), ("b", "y" * 60)).splitlines()
    assert wide == ["", "a", "x" * 60, "b", "y" * 60]
