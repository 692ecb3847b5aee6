"""``ml-grade serve``: a model saved with the learner's ``save_model`` answers over real HTTP through the
learner's ``make_app``; an unfinished ``deploy.py`` or a file that is not a model gives a clear error."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import numpy as np

from grader.support.estimators import RidgeRegressor
from tests.conftest import SOLUTIONS, plant, run_cli, solution_source


def saved_model(path: Path) -> RidgeRegressor:
    """A fitted kit model saved with the reference ``save_model``."""
    spec = importlib.util.spec_from_file_location("reference_deploy", SOLUTIONS / "07_lifecycle" / "deploy.py")
    deploy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(deploy)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    model = RidgeRegressor(alpha=0.5).fit(X, X @ [1.0, -2.0, 0.5] + 3.0)
    deploy.save_model(model, str(path))
    return model


def test_serve_answers_health_and_predict_over_http(workspace):
    plant(workspace / "exercises", "deploy", solution_source("deploy"))
    model = saved_model(workspace / "model.npz")
    env = {**os.environ, "ML_GRADE_HOME": str(workspace), "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "grader.cli", "serve", "model.npz", "--port", "0"],
        cwd=workspace, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        first_line = server.stdout.readline()
        assert "http://127.0.0.1:" in first_line, first_line + server.stderr.read()
        url = first_line.split("http://", 1)[1].split()[0].rstrip(")")
        with urllib.request.urlopen(f"http://{url}/health", timeout=5) as response:
            assert response.status == 200
            assert json.loads(response.read()) == {"status": "ok"}
        instances = [[0.0, 1.0, 2.0], [1.5, -1.0, 0.25]]
        request = urllib.request.Request(
            f"http://{url}/predict", data=json.dumps({"instances": instances}).encode(),
            headers={"Content-Type": "application/json"}, method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            predictions = json.loads(response.read())["predictions"]
        np.testing.assert_allclose(predictions, model.predict(np.array(instances)), rtol=1e-12)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_with_an_unfinished_deploy_says_so(workspace):
    (workspace / "model.npz").write_bytes(b"not yet")
    result = run_cli("serve", "model.npz", home=workspace, timeout=60)
    assert result.returncode == 1
    assert "deploy.py is not finished yet" in result.stderr and "ml-grade hint deploy" in result.stderr


def test_serve_reports_a_file_that_is_not_a_model(workspace):
    plant(workspace / "exercises", "deploy", solution_source("deploy"))
    np.savez(workspace / "numbers.npz", x=np.arange(3))
    result = run_cli("serve", "numbers.npz", home=workspace, timeout=60)
    assert result.returncode == 1
    assert "loading" in result.stderr and "ValueError" in result.stderr
