"""The kit's pytest plugin: fixtures for suites, points per test, and a plain result per test.

Loaded with ``-p grader.plugin`` (the suites' ``pytest.ini`` does it). The grading engine registers its
own :class:`GradingRun` and reads its ``results``; a bare ``pytest grader/suites/test_x.py --ml-dir D``
gets one from the command-line options.

Fixtures for suites:

``learner``  the learner's module, freshly imported in a worker, as a :class:`~grader.learner.RemoteObject`
``worker``   the :class:`~grader.learner.WorkerClient` behind it (``put``/``fetch``, warnings, time limits)
``seed``     this test's data seed, derived from the run's seed and the test's name
``rng``      ``np.random.default_rng(seed)``

Markers: ``@pytest.mark.points(n)`` (default 1) and ``@pytest.mark.time_limit(seconds)`` for each request.
"""

from __future__ import annotations

import contextlib
import secrets
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

from grader.learner import (
    DEFAULT_TIME_LIMIT,
    ExerciseFiles,
    LearnerError,
    LearnerNotStarted,
    LearnerTimeout,
    WorkerClient,
)

RUN_KEY = pytest.StashKey["GradingRun"]()
STATUSES = ("passed", "failed", "error", "not_started", "timeout")


@dataclass
class TestResult:
    """One test's outcome, as plain data for the CLI, JSON output and progress."""

    __test__ = False  # not a pytest test class

    name: str
    description: str
    score: float
    max_score: float
    status: str  # one of STATUSES
    message: str = ""
    where: str = ""  # "path:line in function: code" in the learner's file, when learner code raised
    traceback: str = ""  # the learner's frames only
    printed: str = ""  # what learner code printed during the test (capped)
    waits_for: str = ""  # not started because of a stub in another file: "fit() in decision_tree.py"

    def to_dict(self) -> dict:
        """The fields reported in ``--json`` (the traceback is for ``-v`` only)."""
        fields = asdict(self)
        del fields["traceback"]
        return fields


@dataclass
class GradingRun:
    """State of one grading run: where the learner's code is, the seed, workers, and results."""

    graded_root: Path
    seed: int
    time_limit: float = DEFAULT_TIME_LIMIT
    results: list[TestResult] = field(default_factory=list)
    workers: dict[str, WorkerClient] = field(default_factory=dict)
    collection_errors: list[str] = field(default_factory=list)

    def client_for(self, exercise_name: str) -> WorkerClient:
        client = self.workers.get(exercise_name)
        if client is None:
            client = WorkerClient(ExerciseFiles.of(exercise_name, self.graded_root), time_limit=self.time_limit)
            self.workers[exercise_name] = client
        return client

    def close(self) -> None:
        for client in self.workers.values():
            client.stop()

    # --- pytest hooks --------------------------------------------------------------------------------
    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[RUN_KEY] = self

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        self.close()

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append(str(report.longrepr))

    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> None:
        # Returns None so pytest still builds its own report; here we only record ours.
        if call.when == "teardown" or (call.when == "setup" and call.excinfo is None):
            return
        description, max_score = describe_test(item)
        result = TestResult(item.name, description, 0.0, max_score, "passed")
        if call.excinfo is None:
            result.score = max_score
        else:
            _describe_failure(result, call.excinfo.value)
        client = getattr(item, "funcargs", {}).get("worker")  # the `learner` fixture requests it too
        if client is not None:
            result.printed = client.take_printed()
        self.results.append(result)


def describe_test(item: pytest.Item) -> tuple[str, float]:
    """A suite test's description (its docstring's first line, else its name) and its points."""
    marker = item.get_closest_marker("points")
    doc = (getattr(item, "function", None) and item.function.__doc__) or ""
    return (doc.strip().splitlines()[0] if doc.strip() else item.name), (float(marker.args[0]) if marker else 1.0)


class TestCollector:
    """Plugin for a ``--collect-only`` run: ``(name, description, points)`` of each test, in order."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self.tests: list[tuple[str, str, float]] = []

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.tests.extend((item.name, *describe_test(item)) for item in items)


def _describe_failure(result: TestResult, exc: BaseException) -> None:
    if isinstance(exc, LearnerNotStarted):
        result.status, result.message, result.waits_for = "not_started", exc.summary(), exc.stub_elsewhere
    elif isinstance(exc, LearnerTimeout):
        result.status, result.message = "timeout", exc.summary()
    elif isinstance(exc, LearnerError):
        result.status, result.message = "error", exc.summary()
        if exc.where is not None:
            result.where = describe_frame(exc.where)
        result.traceback = exc.traceback
    elif isinstance(exc, AssertionError):
        result.status = "failed"
        result.message = str(exc) or "a check failed (the suite gave no message: please report this)"
    elif isinstance(exc, pytest.skip.Exception):
        result.status, result.message = "error", f"skipped: {exc}"
    else:
        # The suite itself tripped on what came back (e.g. arithmetic on None): still the learner's result.
        result.status = "error"
        result.message = f"checking your result raised {type(exc).__name__}: {exc}"


def describe_frame(frame) -> str:
    """``file:line in function: code`` for a learner frame, the path relative to here when below it."""
    path = Path(frame.file)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(Path.cwd().resolve())
    text = f"{path}:{frame.line}" + (f" in {frame.function}" if frame.function else "")
    return text + (f": {frame.code}" if frame.code else "")


def exercise_of(module) -> str:
    """The exercise a suite grades: its ``EXERCISE`` constant, else its file name minus ``test_``."""
    name = getattr(module, "EXERCISE", None)
    if name:
        return name
    return Path(module.__file__).stem.removeprefix("test_")


# --- options and fallback run for bare pytest ----------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ml-grade", "ml-from-scratch grading")
    group.addoption("--ml-dir", default=None, help="the graded tree (default: the workspace's exercises/)")
    group.addoption("--ml-seed", type=int, default=None, help="the run's data seed (default: random)")
    group.addoption("--ml-time-limit", type=float, default=DEFAULT_TIME_LIMIT, help="seconds per request")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): points the test is worth (default 1)")
    config.addinivalue_line("markers", "time_limit(seconds): time limit for each request to learner code")
    if RUN_KEY in config.stash:
        return
    from grader.workspace import find_workspace

    graded = config.getoption("--ml-dir")
    root = Path(graded).resolve() if graded else find_workspace().exercises_dir
    seed = config.getoption("--ml-seed")
    run = GradingRun(root, secrets.randbelow(2**31) if seed is None else seed, config.getoption("--ml-time-limit"))
    config.pluginmanager.register(run, "ml-grade-run")
    config.stash[RUN_KEY] = run


def pytest_report_header(config: pytest.Config) -> str:
    run = config.stash.get(RUN_KEY, None)
    return f"ml-grade: grading {run.graded_root} with seed {run.seed}" if run else ""


# --- fixtures for suites -------------------------------------------------------------------------------
@pytest.fixture
def worker(request: pytest.FixtureRequest) -> WorkerClient:
    run = request.config.stash[RUN_KEY]
    client = run.client_for(exercise_of(request.module))
    marker = request.node.get_closest_marker("time_limit")
    client.time_limit = float(marker.args[0]) if marker else run.time_limit
    return client


@pytest.fixture
def learner(worker: WorkerClient):
    return worker.load_module()


@pytest.fixture
def seed(request: pytest.FixtureRequest) -> int:
    run = request.config.stash[RUN_KEY]
    return test_seed(run.seed, request.node.name)


def test_seed(run_seed: int, test_name: str) -> int:
    """Each test's data comes from the run's seed and its own name, so ``--seed`` reproduces any test."""
    return (run_seed * 1_000_003 + zlib.crc32(test_name.encode())) % 2**32


test_seed.__test__ = False


@pytest.fixture
def rng(seed: int):
    import numpy as np

    return np.random.default_rng(seed)
