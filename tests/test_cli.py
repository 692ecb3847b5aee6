"""ml-grade end to end: click's test runner for the commands, real subprocesses for exit codes."""

import json

from click.testing import CliRunner

from grader.cli import main
from grader.progress import load_progress
from grader.roadmap import load_roadmap
from tests.conftest import SOLUTIONS, plant, run_cli, solution_source


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def progress_of(workspace):
    return load_progress(workspace / ".ml-grade" / "progress.json")


def test_pristine_stub_says_not_started(workspace):
    result = run_cli("linear_regression", home=workspace)
    assert result.returncode == 1
    first_line = result.stdout.splitlines()[0]
    assert first_line.startswith("linear_regression: not started — 0/")
    assert "exercises/02_supervised/linear_regression.py" in result.stdout
    assert "ml-grade hint linear_regression" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert progress_of(workspace).entry("linear_regression")["score"] == 0


def test_correct_file_passes_and_is_recorded(workspace):
    plant(workspace / "exercises", "gradient_descent", solution_source("gradient_descent"))
    result = run_cli("gradient_descent", home=workspace)
    assert result.returncode == 0, result.stdout
    assert "passes every test" in result.stdout
    assert progress_of(workspace).is_done("gradient_descent")
    listing = run_cli("progress", home=workspace)
    assert listing.returncode == 0
    assert "[x] Gradient descent" in listing.stdout
    assert "Next: ml-grade metrics" in listing.stdout  # the next exercise in roadmap order
    total = len(load_roadmap().names())
    assert f"Overall: 1/{total} exercises done ({100 / total:.0f}%)" in listing.stdout


def test_partly_working_file_shows_each_test(workspace):
    broken = solution_source("linear_regression").replace(
        "X_mean, y_mean = X.mean(axis=0), y.mean()", "X_mean, y_mean = np.zeros(X.shape[1]), 0.0"
    )
    plant(workspace / "exercises", "linear_regression", broken)
    result = invoke("linear_regression", "--seed", "4")
    assert result.exit_code == 1
    assert "✔" in result.output and "✘" in result.output
    assert "did you forget" in result.output or "intercept_ is 0.0" in result.output
    assert "--seed 4" in result.output
    entry = progress_of(workspace).entry("linear_regression")
    assert 0 < entry["score"] < entry["max_score"] and not entry["passed"]


def test_error_names_the_learners_line(workspace):
    source = solution_source("linear_regression").replace(
        "        return X @ self.coef_ + self.intercept_\n",
        "        return X @ self.coef_ + self.intercept_ + undefined_name\n",
    )
    path = plant(workspace / "exercises", "linear_regression", source)
    line = source.splitlines().index("        return X @ self.coef_ + self.intercept_ + undefined_name") + 1
    result = invoke("linear_regression", "-v")
    assert result.exit_code == 1
    assert "NameError: name 'undefined_name' is not defined" in result.output
    assert f"linear_regression.py:{line} in predict" in result.output
    assert str(path) in result.output  # the verbose traceback shows the learner's frames
    assert "site-packages" not in result.output and "grader/worker.py" not in result.output


def test_syntax_error(workspace):
    source = solution_source("logistic_regression").replace("def sigmoid(z):", "def sigmoid(z)")
    plant(workspace / "exercises", "logistic_regression", source)
    result = run_cli("logistic_regression", home=workspace)
    assert result.returncode == 1
    assert "could not be imported" in result.stdout and "SyntaxError" in result.stdout
    line = source.splitlines().index("def sigmoid(z)") + 1
    assert f"logistic_regression.py:{line}" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_json_output(workspace):
    result = run_cli("gradient_descent", "--dir", str(SOLUTIONS), "--json", "--seed", "9", home=workspace)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["exercise"] == "gradient_descent" and data["seed"] == 9 and data["passed"] is True
    assert data["score"] == data["max_score"] > 0
    assert {test["status"] for test in data["tests"]} == {"passed"}
    assert set(data["tests"][0]) >= {"name", "score", "max_score", "status", "message"}
    stubs = json.loads(run_cli("gradient_descent", "--json", home=workspace).stdout)
    assert stubs["passed"] is False and {test["status"] for test in stubs["tests"]} == {"not_started"}


def test_dir_solutions_is_not_recorded(workspace):
    result = invoke("linear_regression", "--dir", str(SOLUTIONS))
    assert result.exit_code == 0
    assert progress_of(workspace).entry("linear_regression") == {}


def test_seed_reproduces_a_run(workspace):
    broken = solution_source("linear_regression").replace("(2.0 / n_samples) *", "2.0 *")
    plant(workspace / "exercises", "linear_regression", broken)
    first = json.loads(invoke("linear_regression", "--json", "--seed", "77").output)
    second = json.loads(invoke("linear_regression", "--json", "--seed", "77").output)
    assert first == second
    assert first["score"] < first["max_score"]


def test_unknown_exercise_is_a_usage_error(workspace):
    result = run_cli("linear_regresion", home=workspace)
    assert result.returncode == 2
    assert "Did you mean: linear_regression" in result.stderr


def test_missing_dir_is_a_usage_error(workspace):
    result = run_cli("linear_regression", "--dir", "no/such/folder", home=workspace)
    assert result.returncode == 2
    assert "no such folder" in result.stderr


def test_bare_command_shows_progress(workspace):
    result = invoke()
    assert result.exit_code == 0
    assert "[ ] Gradient descent" in result.output
    assert "Next: ml-grade gradient_descent" in result.output


def test_list(workspace):
    result = invoke("list")
    assert result.exit_code == 0
    assert "exercises/02_supervised/logistic_regression.py" in result.output


def test_hints_one_more_each_time(workspace):
    first = invoke("hint", "linear_regression").output
    second = invoke("hint", "linear_regression").output
    assert "(1 of " in first and "2." not in first
    assert "(2 of " in second and "2. " in second
    everything = invoke("hint", "linear_regression", "--all").output
    assert "That is every hint" in everything


def test_corrupt_progress_is_set_aside(workspace):
    state = workspace / ".ml-grade"
    state.mkdir()
    (state / "progress.json").write_text("{ this is not json", encoding="utf-8")
    result = run_cli("progress", home=workspace)
    assert result.returncode == 0
    assert "could not be read" in result.stderr
    assert list(state.glob("progress.json.corrupt-*"))
    plant(workspace / "exercises", "gradient_descent", solution_source("gradient_descent"))
    assert run_cli("gradient_descent", home=workspace).returncode == 0
    assert progress_of(workspace).is_done("gradient_descent")


def test_workspace_found_from_a_subfolder(workspace, monkeypatch, tmp_path):
    monkeypatch.delenv("ML_GRADE_HOME")
    plant(workspace / "exercises", "gradient_descent", solution_source("gradient_descent"))
    from tests.conftest import subprocess, sys, os

    env = {key: value for key, value in os.environ.items() if key != "ML_GRADE_HOME"}
    result = subprocess.run([sys.executable, "-m", "grader.cli", "gradient_descent"], cwd=workspace / "exercises" / "01_foundations",
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout
    assert progress_of(workspace).is_done("gradient_descent")


def test_a_stub_in_an_earlier_exercise_is_named(workspace):
    """A finished forest on a tree that is still a stub: the report says which exercise to finish first."""
    plant(workspace / "exercises", "random_forest", solution_source("random_forest"))
    result = run_cli("random_forest", home=workspace)
    assert result.returncode == 1
    assert "not started" in result.stdout
    assert "calls fit() in decision_tree.py, which is not implemented yet" in result.stdout
    assert "finish that exercise first (ml-grade decision_tree)" in result.stdout


def test_junit_report_and_min_score(workspace, tmp_path):
    """--junit writes one testcase per suite test with its outcome; --min-score sets the exit status."""
    import xml.etree.ElementTree as ElementTree

    broken = solution_source("linear_regression").replace(
        "        return X @ self.coef_ + self.intercept_", "        return X @ self.coef_", 1
    )
    plant(workspace / "exercises", "linear_regression", broken)
    junit = tmp_path / "results.xml"
    result = run_cli("linear_regression", "--seed", "4", "--junit", str(junit), "--json", home=workspace)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == [test["name"] for test in report["tests"]]
    failed = [test for test in report["tests"] if test["status"] == "failed"]
    assert failed and suite.get("failures") == str(len(failed)) and suite.get("tests") == str(len(cases))
    for test in failed:
        assert test["message"] in cases[test["name"]].find("failure").text
    passed = [test for test in report["tests"] if test["status"] == "passed"]
    assert passed and all(not list(cases[test["name"]].iter("failure")) for test in passed)
    properties = {prop.get("name"): prop.get("value") for prop in suite.find("properties")}
    assert properties["seed"] == "4" and float(properties["score"]) == report["score"]

    share = 100 * report["score"] / report["max_score"]
    assert run_cli("linear_regression", "--seed", "4", "--min-score", f"{share - 1:.0f}%", home=workspace).returncode == 0
    assert run_cli("linear_regression", "--seed", "4", "--min-score", f"{report['score'] + 1:g}", home=workspace).returncode == 1
    bad = run_cli("linear_regression", "--min-score", "lots", home=workspace)
    assert bad.returncode == 2 and "--min-score" in bad.stderr


def test_junit_marks_a_stub_as_skipped(workspace, tmp_path):
    import xml.etree.ElementTree as ElementTree

    junit = tmp_path / "results.xml"
    assert run_cli("pca", "--junit", str(junit), home=workspace).returncode == 1
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    cases = list(suite.iter("testcase"))
    assert cases and all(case.find("skipped") is not None for case in cases)
    assert suite.get("skipped") == str(len(cases)) and suite.get("failures") == "0"


def test_gradescope_build_command(workspace, tmp_path):
    result = run_cli("gradescope", "build", str(tmp_path / "bundle"), "--exercises", "gradient_descent", home=workspace)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bundle" / "autograder.zip").is_file() and "autograder.zip" in result.stdout
    unknown = run_cli("gradescope", "build", str(tmp_path / "other"), "--exercises", "gradient_decent", home=workspace)
    assert unknown.returncode == 2 and "gradient_descent" in unknown.stderr
