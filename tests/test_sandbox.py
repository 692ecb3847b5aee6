"""The fence around learner code (grader/sandbox.py): what the static check sees, and who the worker runs as."""

import os
import subprocess
import sys
import time

import pytest

from grader import sandbox
from grader.learner import ExerciseFiles, LearnerError, WorkerClient
from tests.conftest import plant


@pytest.mark.parametrize("source, expected", [
    ("import sklearn", [(1, "sklearn")]),
    ("import numpy as np\nfrom scipy.linalg import solve", [(2, "scipy.linalg")]),
    ("import os, torch.nn as nn", [(1, "torch.nn")]),
    ("def f():\n    import pandas\n", [(2, "pandas")]),
    ("import importlib\nm = importlib.import_module('jax.numpy')", [(2, "jax.numpy")]),
    ("m = __import__('statsmodels')", [(1, "statsmodels")]),
    ("exec('import tensorflow')", [(1, "tensorflow")]),
    ("from solutions import linear_regression", [(1, "solutions")]),
    ("import numpy\nimport math\nfrom . import helpers\nimport sklearnish", []),
    ("# import sklearn\ntext = 'import sklearn'", []),
    ("def broken(:\n    import sklearn", []),  # the worker reports the syntax error instead
])
def test_forbidden_imports_are_found_statically(source, expected):
    assert sandbox.forbidden_imports(source) == expected


def test_a_forbidden_import_is_refused_before_running(tmp_path):
    from grader.engine import grade

    plant(tmp_path, "linear_regression", "import numpy as np\nimport pandas as pd\nwhile True:\n    pass\n")
    started = time.monotonic()
    report = grade("linear_regression", tmp_path, seed=1)
    assert time.monotonic() - started < 10  # the infinite loop never ran
    assert {test.status for test in report.tests} == {"error"} and report.score == 0
    assert "line 2 imports pandas, and this kit is numpy only" in report.tests[0].message
    assert report.tests[0].where.endswith(":2: import pandas as pd")


def test_worker_runs_unprivileged_when_the_grader_is_root(tmp_path):
    plant(tmp_path, "gradient_descent", "import os\n\ndef ids():\n    return os.getuid(), os.geteuid(), os.getgroups()\n")
    client = WorkerClient(ExerciseFiles.of("gradient_descent", tmp_path))
    try:
        uid, euid, groups = client.load_module().ids()
    finally:
        client.stop()
    if os.geteuid() != 0:
        assert (uid, euid) == (os.getuid(), os.geteuid())
        assert "the grader is not root" in client.isolation
    elif client.isolation.startswith("runs as nobody"):
        assert uid == euid != 0 and groups == []
    else:
        pytest.skip(f"the worker cannot drop privileges here: {client.isolation}")


def test_orphans_that_left_the_process_group_are_killed(tmp_path):
    plant(tmp_path, "gradient_descent", (
        "import subprocess\n\n"
        "def escape():\n"
        "    return subprocess.Popen(['sleep', '9741'], start_new_session=True).pid\n"
    ))
    client = WorkerClient(ExerciseFiles.of("gradient_descent", tmp_path))
    try:
        pid = client.load_module().escape()
        assert os.path.exists(f"/proc/{pid}")
    finally:
        client.stop()
    deadline = time.monotonic() + 5
    while os.path.exists(f"/proc/{pid}") and _state(pid) != "Z" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists(f"/proc/{pid}") or _state(pid) == "Z"


def _state(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


@pytest.mark.parametrize("code, message", [
    ("open('/etc/hostname_copy', 'w')", "may write files only in its own scratch folder"),
    ("import os; os.remove(os.path.join(os.path.dirname(__file__), 'gradient_descent.py'))", "may write files only"),
    ("import socket; socket.create_connection(('192.0.2.1', 80), timeout=1)", "only this machine (127.0.0.1)"),
    ("import resource; resource.setrlimit(resource.RLIMIT_AS, (-1, -1))", "resource limits"),
])
def test_the_guard_refuses(tmp_path, code, message):
    plant(tmp_path, "gradient_descent", f"def attempt():\n    {code}\n")
    client = WorkerClient(ExerciseFiles.of("gradient_descent", tmp_path))
    try:
        with pytest.raises(LearnerError) as raised:
            client.load_module().attempt()
    finally:
        client.stop()
    assert message in raised.value.message
    assert (tmp_path / "01_foundations" / "gradient_descent.py").exists()


def test_the_scratch_folder_is_writable_and_private(tmp_path):
    plant(tmp_path, "gradient_descent", (
        "import os, tempfile\n\n"
        "def write(folder):\n"
        "    with open(os.path.join(folder, 'model.npz'), 'wb') as file:\n"
        "        file.write(b'ok')\n"
        "    with tempfile.NamedTemporaryFile(delete=False) as other:\n"
        "        return other.name\n"
    ))
    client = WorkerClient(ExerciseFiles.of("gradient_descent", tmp_path))
    try:
        folder = client.scratch_folder("models-")
        temporary = client.load_module().write(str(folder))
        assert (folder / "model.npz").read_bytes() == b"ok"
        assert temporary.startswith(str(folder.parent))  # TMPDIR is the scratch folder too
    finally:
        client.stop()
    assert not folder.exists()


def test_the_kit_imports_nothing_forbidden():
    """The grader itself never needs the libraries it forbids (they may not even be installed)."""
    code = ("import sys, grader.cli, grader.engine, grader.worker, grader.sandbox; "
            "print(sorted(m for m in sys.modules if m.partition('.')[0] in grader.sandbox.FORBIDDEN_PACKAGES))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
