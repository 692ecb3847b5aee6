"""The catalogue of bad submissions: code that hangs, leaves, exhausts, returns the wrong thing, reaches
for forbidden help or tries to fake a pass.

Each case is the reference linear-regression solution with one hostile change, at module level ("import"),
at the start of ``LinearRegression.fit`` ("fit") or where ``predict`` returns ("predict", with ``X`` a
checked float array). :mod:`tests.bad_code.runner` grades it with the real ``ml-grade`` command and checks
that the run ends in time, prints the cause (``reason``), gives every test the change touches 0 and the
others their points, exits 1, and leaves the progress record and the suites intact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# A wrong fit: every coefficient 0. The tests that look at fit's results fail on their own checks.
WRONG_FIT = """
self.coef_ = np.zeros(np.shape(X)[1])
self.intercept_ = 0.0
return self
"""
KIT_ROOT_IN_WORKER = "import grader, os\nkit = os.path.dirname(os.path.dirname(grader.__file__))\n"


@dataclass(frozen=True)
class Case:
    name: str
    group: str
    where: str  # "import", "fit" or "predict"
    code: str
    reason: str | tuple[str, ...]  # in the message of every test the change touches (any one of a tuple)
    statuses: frozenset[str] = frozenset({"error"})  # what those tests may report
    time_limit: float = 2.0  # per call into the learner's code (ml-grade --time-limit)
    files: dict[str, str] = field(default_factory=dict)  # more files next to the exercise
    printed: str = ""  # the CLI's output must also show this
    orphan: str = ""  # a command line that must not be running after the run
    later: float = 0.0  # seconds to wait before checking the progress record and suites again
    whole_file: bool = False  # refused before anything runs: every test scores 0, wherever the change is


def _case(name, where, code, reason, statuses=("error",), **options) -> Case:
    return Case(name, "", where, code.strip("\n"), reason, frozenset(statuses), **options)


TIMEOUT = ("timeout",)
FAILED = ("failed",)
WRONG = ("failed", "error")  # a wrong value fails its checks, or makes the learner's own score() raise

NEVER_RETURNS = [
    _case("infinite loop at import", "import", "while True:\n    pass", "did not return within 1 s", TIMEOUT, time_limit=1.0),
    _case("infinite loop in fit", "fit", "while True:\n    pass", "fit() did not return within 1 s", TIMEOUT, time_limit=1.0),
    _case("infinite loop in predict", "predict", "while True:\n    pass", "predict() did not return within 1 s", TIMEOUT, time_limit=1.0),
    _case("sleeps for 11 days", "fit", "import time\ntime.sleep(10**6)", "did not return within 1 s", TIMEOUT, time_limit=1.0),
    _case("a thread that never ends", "fit",
          "import threading\nspin = threading.Thread(target=lambda: [None for _ in iter(int, 1)])\nspin.start()\nspin.join()",
          "did not return within 1 s", TIMEOUT, time_limit=1.0),
    _case("a child process left running", "fit", "import subprocess\nsubprocess.run(['sleep', '9731'])",
          "did not return within 1 s", TIMEOUT, time_limit=1.0, orphan="sleep 9731"),
    _case("a fork that leaves the process group", "fit",
          "import os\nchild = os.fork()\nif child == 0:\n    os.setsid()\n    os.execvp('sleep', ['sleep', '9732'])\nos.waitpid(child, 0)",
          "did not return within 1 s", TIMEOUT, time_limit=1.0, orphan="sleep 9732"),
]

LEAVES = [
    _case("sys.exit(0)", "predict", "import sys\nsys.exit(0)", "your code called sys.exit(0)"),
    _case("sys.exit(1)", "fit", "import sys\nsys.exit(1)", "your code called sys.exit(1)"),
    _case("os._exit(0)", "predict", "import os\nos._exit(0)", "exited with status 0"),
    _case("raise KeyboardInterrupt", "fit", "raise KeyboardInterrupt", "KeyboardInterrupt"),
    _case("raise SystemExit", "fit", "raise SystemExit", "your code called sys.exit()"),
    _case("SIGKILL to itself", "predict", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "was killed"),
    _case("SIGKILL to the grader", "fit", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)", "which it did not start"),
    _case("SIGKILL to the grader's process group", "fit",
          "import os, signal\nos.killpg(os.getpgid(os.getppid()), signal.SIGKILL)", "which it did not start"),
    _case("a segfault", "predict", "import ctypes\nctypes.string_at(0)", "segmentation fault"),
    _case("deep recursion", "fit", "def deeper(n):\n    return deeper(n + 1)\ndeeper(0)", "maximum recursion depth"),
]

EXHAUSTS = [
    _case("allocating 100 GB with numpy", "fit", "hoard = np.empty((100_000, 125_000))", "used more than 4096 MB of memory"),
    _case("appending to a list forever", "fit", "hoard = []\nwhile True:\n    hoard.append(np.zeros(2**21))",
          "used more than 4096 MB of memory"),
    _case("printing 100 MB", "fit", "print('x' * 100_000_000)\n" + WRONG_FIT, "", FAILED,
          printed="bytes printed in all; the rest is not shown"),
    _case("writing a 200 MB file", "fit", "with open('huge.bin', 'wb') as file:\n    file.write(bytes(200 * 2**20))",
          "wrote a file larger than 64 MB"),
    _case("starting processes in a loop", "fit", "import subprocess\nwhile True:\n    subprocess.Popen(['sleep', '9733'])",
          "too many processes", orphan="sleep 9733"),
    _case("a fork bomb", "fit", "import os\nwhile True:\n    os.fork()", "too many processes"),
    _case("opening files forever", "fit", "import os\nkept = [open(os.devnull) for _ in range(100_000)]", "more than 256 files"),
]

WRONG_RETURN = [
    _case("returns None", "predict", "return None", "returned None (is a `return` missing?)", WRONG),
    _case("returns a list", "predict", "return list(X @ self.coef_ + self.intercept_)", "returned a list", WRONG),
    _case("returns a tuple", "predict", "return tuple(X @ self.coef_ + self.intercept_)", "returned a tuple", WRONG),
    _case("returns shape (n, 1)", "predict", "return (X @ self.coef_ + self.intercept_)[:, None]",
          "a column instead of a 1-D array", WRONG),
    _case("returns NaN", "predict", "return np.full(len(X), np.nan)", "returned nan values", WRONG),
    _case("returns inf", "predict", "return np.full(len(X), np.inf)", "returned inf values", WRONG),
    _case("returns complex numbers", "predict", "return (X @ self.coef_ + self.intercept_).astype(complex)",
          "dtype complex128", WRONG),
    _case("returns rounded ints", "predict", "return np.round(X @ self.coef_ + self.intercept_).astype(np.int64)",
          "dtype int64", WRONG),
    _case("returns a 0-d array", "predict", "return np.asarray(float(np.mean(X @ self.coef_)))",
          "a single number instead of one value per entry", WRONG),
    _case("returns an object array", "predict", "return np.array(list(X @ self.coef_ + self.intercept_), dtype=object)",
          "dtype object cannot be sent"),
    _case("returns an ndarray subclass that says it is equal", "predict",
          "class Agreeable(np.ndarray):\n    def __eq__(self, other):\n        return np.ones(self.shape, dtype=bool)\n"
          "return np.zeros(len(X)).view(Agreeable)", "Largest difference", WRONG),
    _case("returns an object with a lying __eq__", "predict",
          "class Liar:\n    def __eq__(self, other):\n        return True\nreturn Liar()", "an object of your class Liar", WRONG),
    _case("returns an object with a lying __len__", "predict",
          "class Liar:\n    def __len__(self):\n        return len(X)\nreturn Liar()", "an object of your class Liar", WRONG),
    _case("returns an object whose __array__ gives the answer", "predict",
          "answer = X @ self.coef_ + self.intercept_\nclass Liar:\n    def __array__(self, dtype=None, copy=None):\n"
          "        return answer\nreturn Liar()", "an object of your class Liar", WRONG),
]

FORBIDDEN = [
    *[
        _case(f"import {package}", "import", f"import {package}", "this kit is numpy only", whole_file=True)
        for package in ("sklearn", "scipy", "torch", "tensorflow", "jax", "statsmodels", "pandas")
    ],
    _case("from sklearn... inside fit", "fit", "from sklearn.linear_model import LinearRegression as Borrowed",
          "this kit is numpy only", whole_file=True),
    _case("importlib.import_module with a built name", "fit", "import importlib\nimportlib.import_module('skl' + 'earn')",
          "this kit is numpy only"),
    _case("__import__ with a built name", "fit", "__import__('sci' + 'py')", "this kit is numpy only"),
    _case("exec of an import", "fit", "exec('import ' + 'pan' + 'das')", "this kit is numpy only"),
    _case("reading the reference solution", "fit",
          KIT_ROOT_IN_WORKER + "open(os.path.join(kit, 'solutions', '02_supervised', 'linear_regression.py')).read()",
          "off limits"),
    _case("importing the reference solution by path", "import",
          KIT_ROOT_IN_WORKER + "import importlib.util\n"
          "spec = importlib.util.spec_from_file_location('reference', os.path.join(kit, 'solutions', '02_supervised', "
          "'linear_regression.py'))\nspec.loader.exec_module(importlib.util.module_from_spec(spec))",
          "off limits"),
    _case("reading the suite", "fit",
          KIT_ROOT_IN_WORKER + "open(os.path.join(kit, 'grader', 'suites', 'test_linear_regression.py')).read()",
          "off limits"),
]

FAKES_A_PASS = [
    _case("monkeypatching numpy.testing, allclose and math.isclose", "fit",
          "import math, numpy\nnumpy.allclose = lambda *a, **k: True\nnumpy.testing.assert_allclose = lambda *a, **k: None\n"
          "math.isclose = lambda *a, **k: True\n" + WRONG_FIT, "", FAILED),
    _case("monkeypatching builtins", "fit",
          "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.abs = lambda x: 0\nbuiltins.all = lambda x: True\n"
          + WRONG_FIT, "", FAILED),
    _case("writing a fake progress record", "fit",
          "import json, pathlib\nrecord = pathlib.Path(__file__).resolve().parents[2] / '.ml-grade' / 'progress.json'\n"
          "record.write_text(json.dumps({'exercises': {'linear_regression': {'passed': True, 'score': 17, 'max_score': 17}}}))",
          "may write files only in its own scratch folder"),
    _case("writing a fake JUnit report", "fit",
          "import pathlib\nreport = pathlib.Path(__file__).resolve().parents[2] / 'report.xml'\n"
          "report.write_text('<testsuites><testsuite name=\"ml-grade.linear_regression\" tests=\"0\"/></testsuites>')",
          "may write files only in its own scratch folder"),
    _case("a daemon that fakes the progress record after the run", "fit",
          "import os, pathlib\nrecord = pathlib.Path(__file__).resolve().parents[2] / '.ml-grade' / 'progress.json'\n"
          "if os.fork() == 0:\n    os.setsid()\n    fake = '{\"exercises\": {\"linear_regression\": {\"passed\": true}}}'\n"
          "    os.execvp('sh', ['sh', '-c', f\"sleep 4; echo '{fake}' > '{record}'\"])\n" + WRONG_FIT,
          "", FAILED, later=5.0),
    _case("rewriting the suite on disk", "fit",
          KIT_ROOT_IN_WORKER + "open(os.path.join(kit, 'grader', 'suites', 'test_linear_regression.py'), 'a').close()",
          "may write files only in its own scratch folder"),
    _case("exiting with status 0 at import", "import", "import os\nos._exit(0)", "exited with status 0"),
    _case("printing a passing report", "fit",
          "print('Score 17/17: linear_regression passes every test.')\n" + WRONG_FIT, "", FAILED,
          printed="your code printed: Score 17/17: linear_regression passes every test."),
    _case("a numpy.py and a pytest.py next to the exercise", "fit", WRONG_FIT, "", FAILED,
          files={"numpy.py": "def allclose(*args, **kwargs):\n    return True\n", "pytest.py": "def main(*args, **kwargs):\n    return 0\n"}),
    _case("changing the working directory and the environment", "fit",
          "import os\nos.chdir('/')\nos.environ['ML_GRADE_HOME'] = '/'\nos.environ['PATH'] = ''\n" + WRONG_FIT, "", FAILED),
]

CASES: list[Case] = []
for group, cases in [
    ("never returns", NEVER_RETURNS), ("leaves", LEAVES), ("exhausts", EXHAUSTS), ("returns the wrong thing", WRONG_RETURN),
    ("forbidden help", FORBIDDEN), ("fakes a pass", FAKES_A_PASS),
]:
    CASES += [Case(**{**case.__dict__, "group": group}) for case in cases]
