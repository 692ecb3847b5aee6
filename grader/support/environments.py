"""Grid worlds for the reinforcement-learning exercises: small, complete, numpy only.

Three environments, each built by :func:`make`:

- ``"gridworld"``: a 5 x 6 grid with walls, a goal and a hole; moves are deterministic;
- ``"slippery_gridworld"``: the same grid, but a move goes sideways with probability ``slip``
  (half of it to each side), as on Gymnasium's FrozenLake; the best path keeps away from the hole;
- ``"cliff_walk"``: Sutton and Barto's cliff (Example 6.6): a 4 x 12 grid whose bottom row between
  start and goal is a cliff; falling costs -100 and sends the agent back to the start.

They speak Gymnasium's language, so that a learner who moves on to Gymnasium feels at home::

    env = make("gridworld")
    state, info = env.reset(seed=0)              # an int in range(env.observation_space.n)
    state, reward, terminated, truncated, info = env.step(env.action_space.sample())

``terminated`` means the episode reached an end of the task (the goal or a hole); ``truncated`` means
time ran out (``max_steps`` moves) and the state is not an end: a learning update still bootstraps
from it.

For dynamic programming the same world is also a tabular model: ``env.P[s, a, s2]`` is the probability
that action ``a`` in state ``s`` leads to ``s2`` and ``env.R[s, a]`` the expected reward of that move.
States are cells, numbered row by row (``state = row * n_columns + column``), so a value table
``V`` of shape ``(n_states,)`` prints as a map with ``V.reshape(env.shape)``. Walls and cliff cells are
states the agent never occupies (absorbing, reward 0); ends (goal, hole) are absorbing states with
reward 0, so that the value of an end is 0.

Actions: 0 up, 1 right, 2 down, 3 left. Every move costs -1, also one into a wall or the edge (the agent
stays where it is); falling into a hole costs -20 in all and ends the episode. The return of the best
path in ``"gridworld"`` is therefore minus its length.

:meth:`GridWorld.render` draws the grid with the agent; :meth:`GridWorld.render_policy`,
:meth:`GridWorld.render_values` and :meth:`GridWorld.render_path` draw a policy as arrows, a value table
as numbers and a path as stars; :func:`side_by_side` puts such pictures next to each other.
"""

from __future__ import annotations

import numpy as np

UP, RIGHT, DOWN, LEFT = 0, 1, 2, 3
ACTION_NAMES = ("up", "right", "down", "left")
ARROWS = "^>v<"
MOVES = np.array([(-1, 0), (0, 1), (1, 0), (0, -1)])

STEP_REWARD = -1.0
HOLE_REWARD = -20.0
CLIFF_REWARD = -100.0

# S start, G goal, H hole (ends the episode), C cliff (back to the start), # wall, . floor
GRID_LAYOUT = (
    "S...#.",
    ".##...",
    "...#H.",
    ".#....",
    "...#.G",
)
CLIFF_LAYOUT = (
    "............",
    "............",
    "............",
    "SCCCCCCCCCCG",
)


class Discrete:
    """The integers ``0 .. n-1``, like ``gymnasium.spaces.Discrete``: ``n``, ``sample()``, ``contains``."""

    def __init__(self, n: int, seed: int | None = None) -> None:
        self.n = int(n)
        self._rng = np.random.default_rng(seed)

    def seed(self, seed: int | None = None) -> None:
        self._rng = np.random.default_rng(seed)

    def sample(self) -> int:
        return int(self._rng.integers(self.n))

    def contains(self, x) -> bool:
        return isinstance(x, (int, np.integer)) and 0 <= int(x) < self.n

    def __repr__(self) -> str:
        return f"Discrete({self.n})"


class GridWorld:
    """A grid world with Gymnasium's ``reset``/``step`` and the tabular model ``P``, ``R``.

    Parameters
    ----------
    layout : sequence of str
        One string per row: ``S`` start, ``G`` goal, ``H`` hole, ``C`` cliff, ``#`` wall, ``.`` floor.
    slip : float, default 0.0
        Probability that a move goes to one of the two perpendicular directions instead (half each).
    max_steps : int, default 100
        After this many moves ``step`` reports ``truncated=True``.
    seed : int or None
        Seeds the environment's own generator (slips) and its ``action_space``; ``reset(seed=...)`` reseeds.
    """

    def __init__(self, layout, slip: float = 0.0, max_steps: int = 100, seed: int | None = None) -> None:
        rows = [str(row) for row in layout]
        if len({len(row) for row in rows}) != 1:
            raise ValueError("every row of the layout must have the same length")
        if not 0.0 <= slip < 1.0:
            raise ValueError(f"slip must be in [0, 1), got {slip}")
        self.layout = tuple(rows)
        self.grid = np.array([list(row) for row in rows])
        self.shape = self.grid.shape
        self.slip = float(slip)
        self.max_steps = int(max_steps)
        cells = self.grid.ravel()
        starts = np.flatnonzero(cells == "S")
        if len(starts) != 1 or not np.any(cells == "G"):
            raise ValueError("a layout needs exactly one start 'S' and at least one goal 'G'")
        self.start_state = int(starts[0])
        self.n_states = cells.size
        self.n_actions = len(MOVES)
        self.observation_space = Discrete(self.n_states)
        self.action_space = Discrete(self.n_actions, seed)
        self.terminal = np.isin(cells, ["G", "H"])
        self.walls = cells == "#"
        self.unreachable = np.isin(cells, ["#", "C"])  # the agent never stands on a wall or the cliff
        self.P, self.R = self._model()
        self._rng = np.random.default_rng(seed)
        self.state: int | None = None
        self.steps = 0

    # The model -------------------------------------------------------------------------------------
    def _move(self, state: int, direction: int) -> tuple[int, float]:
        """Where a move in ``direction`` from ``state`` lands, and its reward."""
        row, column = divmod(state, self.shape[1])
        new_row, new_column = row + MOVES[direction][0], column + MOVES[direction][1]
        inside = 0 <= new_row < self.shape[0] and 0 <= new_column < self.shape[1]
        if not inside or self.grid[new_row, new_column] == "#":
            return state, STEP_REWARD
        cell = self.grid[new_row, new_column]
        if cell == "C":
            return self.start_state, CLIFF_REWARD
        if cell == "H":
            return int(new_row * self.shape[1] + new_column), HOLE_REWARD
        return int(new_row * self.shape[1] + new_column), STEP_REWARD

    def outcomes(self, state: int, action: int) -> list[tuple[float, int, float]]:
        """``(probability, next_state, reward)`` of every way ``action`` in ``state`` can go."""
        if self.slip == 0.0:
            directions = [(1.0, action)]
        else:
            sideways = self.slip / 2
            directions = [(1.0 - self.slip, action), (sideways, (action + 1) % 4), (sideways, (action + 3) % 4)]
        return [(p, *self._move(state, direction)) for p, direction in directions]

    def _model(self) -> tuple[np.ndarray, np.ndarray]:
        P = np.zeros((self.n_states, self.n_actions, self.n_states))
        R = np.zeros((self.n_states, self.n_actions))
        for state in range(self.n_states):
            if self.terminal[state] or self.unreachable[state]:
                P[state, :, state] = 1.0  # absorbing, reward 0
                continue
            for action in range(self.n_actions):
                for p, next_state, reward in self.outcomes(state, action):
                    P[state, action, next_state] += p
                    R[state, action] += p * reward
        return P, R

    # Gymnasium's interface -------------------------------------------------------------------------
    def reset(self, seed: int | None = None, options: dict | None = None) -> tuple[int, dict]:
        """Start an episode; ``seed`` reseeds the environment (and its action space). Returns ``(state, info)``."""
        if seed is not None:
            self._rng = np.random.default_rng(seed)
            self.action_space.seed(seed)
        self.state = self.start_state
        self.steps = 0
        return self.state, {}

    def step(self, action) -> tuple[int, float, bool, bool, dict]:
        """Take ``action``; returns ``(next_state, reward, terminated, truncated, info)``."""
        if self.state is None:
            raise RuntimeError("call reset() before step()")
        if self.terminal[self.state] or self.steps >= self.max_steps:
            raise RuntimeError("the episode is over: call reset() to start a new one")
        if not self.action_space.contains(action):
            raise ValueError(f"action must be an int in range({self.n_actions}), got {action!r}")
        outcomes = self.outcomes(self.state, int(action))
        if len(outcomes) == 1:
            _, next_state, reward = outcomes[0]
        else:
            pick = self._rng.choice(len(outcomes), p=[p for p, _, _ in outcomes])
            _, next_state, reward = outcomes[pick]
        self.state = next_state
        self.steps += 1
        terminated = bool(self.terminal[next_state])
        truncated = not terminated and self.steps >= self.max_steps
        return next_state, reward, terminated, truncated, {}

    # Pictures ------------------------------------------------------------------------------------
    def render(self) -> str:
        """The grid as text, the agent drawn as ``A``."""
        picture = self.grid.copy()
        if self.state is not None:
            picture.flat[self.state] = "A"
        return "\n".join("".join(row) for row in picture)

    def render_policy(self, policy) -> str:
        """A policy as arrows: ``policy`` is ``(n_states,)`` actions or ``(n_states, n_actions)`` probabilities."""
        policy = np.asarray(policy)
        actions = policy.argmax(axis=1) if policy.ndim == 2 else policy.astype(int)
        picture = self.grid.copy()
        for state in range(self.n_states):
            if not (self.terminal[state] or self.unreachable[state]) and 0 <= actions[state] < self.n_actions:
                picture.flat[state] = ARROWS[actions[state]]
        return "\n".join("".join(row) for row in picture)

    def render_path(self, visited) -> str:
        """The grid with the cells of a path (states, start and end excluded) marked ``*``."""
        picture = self.grid.copy()
        for state in list(visited)[1:-1]:
            if picture.flat[state] in ".S":
                picture.flat[state] = "*"
        return "\n".join("".join(row) for row in picture)

    def render_values(self, values, width: int = 7) -> str:
        """A value table ``(n_states,)`` as a map of numbers; walls and the cliff as their letters."""
        values = np.asarray(values, dtype=float).reshape(self.shape)
        lines = []
        for row in range(self.shape[0]):
            cells = [self.grid[row, column].rjust(width) if self.grid[row, column] in "#C"
                     else f"{values[row, column]:{width}.2f}"
                     for column in range(self.shape[1])]
            lines.append("".join(cells))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"GridWorld(shape={self.shape}, slip={self.slip})"


def make(name: str, *, seed: int | None = None, **kwargs) -> GridWorld:
    """One of the kit's environments by name: ``"gridworld"``, ``"slippery_gridworld"`` or ``"cliff_walk"``.

    Keyword arguments go to :class:`GridWorld` (``slip``, ``max_steps``), e.g.
    ``make("slippery_gridworld", slip=0.3, seed=0)``.
    """
    if name == "gridworld":
        return GridWorld(GRID_LAYOUT, seed=seed, **kwargs)
    if name == "slippery_gridworld":
        kwargs.setdefault("slip", 0.2)
        return GridWorld(GRID_LAYOUT, seed=seed, **kwargs)
    if name == "cliff_walk":
        kwargs.setdefault("max_steps", 200)
        return GridWorld(CLIFF_LAYOUT, seed=seed, **kwargs)
    raise ValueError(f"unknown environment {name!r}: choose 'gridworld', 'slippery_gridworld' or 'cliff_walk'")


def optimal_values(P, R, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    """The optimal values ``V*`` and action values ``Q*`` of the model ``P``, ``R``, for the suites' references.

    Value iteration to machine precision (``gamma < 1``): the largest change per sweep shrinks by ``gamma``.
    """
    if not 0.0 <= gamma < 1.0:
        raise ValueError("optimal_values needs gamma < 1")
    V = np.zeros(len(R))
    while True:
        V_new = (R + gamma * P @ V).max(axis=1)
        if np.max(np.abs(V_new - V)) < 1e-13 * (1 + np.max(np.abs(V_new))):
            return V_new, R + gamma * P @ V_new
        V = V_new


def values_of_policy(P, R, policy, gamma: float) -> np.ndarray:
    """The exact values of ``policy`` (``(n_states,)`` actions or ``(n_states, n_actions)`` probabilities).

    ``V = (I - gamma P_pi)^-1 R_pi`` with ``P_pi[s, s2] = sum_a pi[s, a] P[s, a, s2]``, ``R_pi[s] = sum_a pi[s, a] R[s, a]``.
    """
    policy = np.asarray(policy, dtype=float)
    if policy.ndim == 1:
        policy = np.eye(R.shape[1])[policy.astype(int)]
    P_pi = np.einsum("sa,sat->st", policy, P)
    R_pi = np.sum(policy * R, axis=1)
    return np.linalg.solve(np.eye(len(R)) - gamma * P_pi, R_pi)


def solve(env: GridWorld, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    """``(V*, Q*)`` of ``env``'s model: :func:`optimal_values` of ``env.P``, ``env.R``."""
    return optimal_values(env.P, env.R, gamma)


def policy_values(env: GridWorld, policy, gamma: float) -> np.ndarray:
    """The exact values of ``policy`` in ``env``: :func:`values_of_policy` of ``env.P``, ``env.R``."""
    return values_of_policy(env.P, env.R, policy, gamma)


def side_by_side(*pictures: tuple[str, str], max_width: int = 100) -> str:
    """Pictures ``(title, text)`` next to each other for a failure message, one above the other if too wide."""
    columns = [[title, *text.splitlines()] for title, text in pictures]
    widths = [max(len(line) for line in column) for column in columns]
    if sum(widths) + 4 * (len(widths) - 1) > max_width:
        return "\n" + "\n".join(line for column in columns for line in column)
    lines = ["    ".join((column[i] if i < len(column) else "").ljust(width) for column, width in zip(columns, widths))
             for i in range(max(len(column) for column in columns))]
    return "\n" + "\n".join(line.rstrip() for line in lines)


def run_greedy(env: GridWorld, Q, seed: int | None = None) -> tuple[float, list[int], bool]:
    """Follow the greedy policy of ``Q`` for one episode: ``(return, visited states, reached a goal)``.

    Ties go to the lowest action (``argmax``); the episode stops at an end or after ``max_steps`` moves.
    """
    Q = np.asarray(Q, dtype=float)
    state, _ = env.reset(seed=seed)
    total, visited = 0.0, [state]
    while True:
        state, reward, terminated, truncated, _ = env.step(int(np.argmax(Q[state])))
        total += reward
        visited.append(state)
        if terminated or truncated:
            return total, visited, bool(terminated and env.grid.flat[state] == "G")
