"""The Gradescope bundle: what `build_bundle` writes, and grading a submission in a stand-in for /autograder."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader import engine, gradescope
from grader.engine import GradingError, grade
from grader.engine import suite_tests
from grader.gradescope import BundleError, build_bundle, locate_files, run
from grader.roadmap import UnknownExercise, load_roadmap
from grader.stubs import stub_for
from tests.conftest import SOLUTIONS, plant, plant_stubs, solution_source

VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


def unpack(archive: Path, root: Path) -> Path:
    """A stand-in for /autograder: the bundle unzipped into root/source, an empty root/submission."""
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(root / "source")
        for info in zipped.infolist():  # extractall drops the modes; Gradescope's harness keeps them
            mode = info.external_attr >> 16
            if mode:
                (root / "source" / info.filename).chmod(stat.S_IMODE(mode))
    (root / "submission").mkdir(parents=True)
    return root


def graded_tests(results: dict, exercise: str) -> list[dict]:
    return [test for test in results["tests"] if test.get("extra_data", {}).get("exercise") == exercise]


def check_schema(results: dict) -> None:
    """The fields Gradescope's specification documents, with the types it expects."""
    assert set(results) <= {"score", "execution_time", "output", "output_format", "visibility", "stdout_visibility",
                            "extra_data", "tests"}
    assert isinstance(results["output"], str) and isinstance(results["tests"], list)
    assert isinstance(results["execution_time"], int) and results["execution_time"] >= 0
    if "score" not in results:  # then every scored test carries its score
        assert any("score" in test for test in results["tests"])
    numbers = [test["number"] for test in results["tests"]]
    assert len(numbers) == len(set(numbers))
    for test in results["tests"]:
        assert isinstance(test["name"], str) and test["name"]
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] in VISIBILITIES
        assert isinstance(test["output"], str)
        if "score" in test:
            assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
            assert 0 <= test["score"] <= test["max_score"]


# --- the bundle ------------------------------------------------------------------------------------------
def test_bundle_holds_the_scripts_at_its_root_and_only_what_grading_needs(tmp_path):
    archive = build_bundle(tmp_path, ["linear_regression", "gradient_descent"], visibility="after_due_date", seed=3)
    assert archive == tmp_path.resolve() / "autograder.zip"
    with zipfile.ZipFile(archive) as zipped:
        infos = {info.filename: info for info in zipped.infolist()}
        config = json.loads(zipped.read("config.json"))
    names = set(infos)
    for script in ("setup.sh", "run_autograder"):
        assert script in names  # at the root of the zip, as Gradescope requires
        assert (infos[script].external_attr >> 16) & 0o111 == 0o111, f"{script} is not executable in the zip"
    assert {"kit/pyproject.toml", "kit/README.md", "kit/grader/roadmap.toml", "kit/grader/suites/pytest.ini",
            "kit/grader/suites/test_linear_regression.py", "kit/grader/gradescope.py",
            "kit/datasets/checksums.json", "kit/datasets/diabetes.csv"} <= names
    # datasets/ stays next to grader/, where grader/support/datasets.py (parents[2] / "datasets") looks
    assert "kit/grader/support/datasets.py" in names
    for name in names:
        parts = name.split("/")
        assert parts[0] in ("setup.sh", "run_autograder", "config.json", "kit"), name
        if parts[0] == "kit":
            assert parts[1] not in ("solutions", "tests", "exercises", "bench", "scripts", ".git", ".ml-grade"), name
        assert "__pycache__" not in parts and not name.endswith(".pyc"), name
    assert config["exercises"] == ["gradient_descent", "linear_regression"]  # roadmap order
    assert (config["visibility"], config["seed"], config["kit"]) == ("after_due_date", 3, "ml-from-scratch")

    folder = tmp_path / "autograder"  # the same files, unzipped
    assert {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()} == names
    assert os.access(folder / "run_autograder", os.X_OK) and os.access(folder / "setup.sh", os.X_OK)
    setup = (folder / "setup.sh").read_text(encoding="utf-8")
    assert "python3-venv" in setup and "pip install -e /autograder/source/kit" in setup
    assert "ML_GRADE_PYTHON" in (folder / "run_autograder").read_text(encoding="utf-8")
    if shutil.which("bash"):
        for script in ("setup.sh", "run_autograder"):
            subprocess.run(["bash", "-n", str(folder / script)], check=True)


def test_build_checks_its_arguments_and_replaces_only_its_own_bundle(tmp_path):
    with pytest.raises(UnknownExercise) as caught:
        build_bundle(tmp_path, ["linear_regresion"])
    assert "linear_regression" in caught.value.suggestions
    with pytest.raises(BundleError, match="after_published"):
        build_bundle(tmp_path, ["linear_regression"], visibility="public")
    with pytest.raises(BundleError):
        build_bundle(tmp_path, [])
    assert not (tmp_path / "autograder").exists()

    build_bundle(tmp_path, ["knn"])
    build_bundle(tmp_path)  # a second build replaces the first; every exercise by default
    assert json.loads((tmp_path / "autograder" / "config.json").read_text())["exercises"] == load_roadmap().names()
    assert gradescope.parse_exercise_list(" knn, pca ,") == ["knn", "pca"]
    assert gradescope.parse_exercise_list(None) is None

    other = tmp_path / "other"
    (other / "autograder").mkdir(parents=True)
    (other / "autograder" / "notes.txt").write_text("mine")
    with pytest.raises(BundleError, match="not an ml-from-scratch autograder bundle"):
        build_bundle(other, ["knn"])
    assert (other / "autograder" / "notes.txt").read_text() == "mine"


def test_files_are_found_by_name_anywhere_in_the_submission(tmp_path):
    submission = tmp_path / "submission"
    for relative in (
        "exercises/02_supervised/linear_regression.py",
        "linear_regression.py",  # a second copy: the one laid out like exercises/ wins
        "02_supervised/knn.py",
        "gradient_descent.py",
        "deep/down/pca.py",
        "__MACOSX/kmeans.py",  # archive debris and hidden folders are skipped
        ".hidden/svm.py",
        "notes.txt",
    ):
        (submission / relative).parent.mkdir(parents=True, exist_ok=True)
        (submission / relative).write_text("# code\n")
    located = locate_files(submission)
    assert {name: path.as_posix() for name, path in located.files.items()} == {
        "linear_regression": "exercises/02_supervised/linear_regression.py",
        "knn": "02_supervised/knn.py",
        "gradient_descent": "gradient_descent.py",
        "pca": "deep/down/pca.py",
    }
    assert [path.as_posix() for path in located.ignored["linear_regression"]] == ["linear_regression.py"]
    assert locate_files(tmp_path / "nothing-here").files == {}


def test_collected_tests_match_what_grading_reports():
    report = grade("linear_regression", SOLUTIONS, seed=1)
    assert suite_tests("linear_regression") == [
        (test.name, test.description, test.max_score) for test in report.tests
    ]


# --- grading a submission --------------------------------------------------------------------------------
SEED = 11


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A bundle for three exercises, and a submission with a correct linear_regression (in an exercises/
    tree), a pristine gradient_descent stub (loose) and no knn at all, graded by run()."""
    base = tmp_path_factory.mktemp("gradescope")
    archive = build_bundle(base / "build", ["linear_regression", "gradient_descent", "knn"], seed=SEED)
    root = unpack(archive, base / "autograder")
    plant(root / "submission" / "exercises", "linear_regression", solution_source("linear_regression"))
    stub = stub_for(SOLUTIONS / load_roadmap().get("gradient_descent").file)
    (root / "submission" / "gradient_descent.py").write_text(stub, encoding="utf-8")
    results = run(root)
    return root, results


def test_results_json_follows_gradescopes_format(graded):
    root, results = graded
    assert json.loads((root / "results" / "results.json").read_text(encoding="utf-8")) == results
    check_schema(results)
    assert "score" not in results  # the sum of the tests' scores, as documented
    numbers = [test["number"] for test in results["tests"]]
    assert numbers[0] == "0" and numbers[1:4] == ["1.1", "1.2", "1.3"]
    assert results["tests"][1]["name"].startswith("gradient_descent: ")  # roadmap order: gradient_descent first


def test_scores_are_the_engines(graded, tmp_path):
    _, results = graded
    correct = grade("linear_regression", SOLUTIONS, seed=SEED)
    stub = grade("gradient_descent", plant_stubs(tmp_path), seed=SEED)
    for report in (correct, stub):
        tests = graded_tests(results, report.exercise)
        assert [test["name"] for test in tests] == [f"{report.exercise}: {test.description}" for test in report.tests]
        assert sum(test["score"] for test in tests) == report.score
        assert sum(test["max_score"] for test in tests) == report.max_score
    assert correct.score == correct.max_score > 0
    assert all(test["status"] == "passed" and test["output"] == "" for test in graded_tests(results, "linear_regression"))
    gd = graded_tests(results, "gradient_descent")
    assert all(test["status"] == "failed" and "not implemented yet" in test["output"] for test in gd)
    extra = results["extra_data"]["exercises"]
    assert extra["linear_regression"] == {"status": "passed", "file": "exercises/02_supervised/linear_regression.py",
                                          "score": 17.0, "max_score": 17.0}
    assert extra["gradient_descent"]["status"] == "not_started"


def test_a_missing_file_scores_zero_on_every_test_and_says_which_file(graded):
    _, results = graded
    missing = graded_tests(results, "knn")
    assert len(missing) == len(suite_tests("knn")) > 0
    assert all(test["score"] == 0 and test["max_score"] > 0 and test["status"] == "failed" for test in missing)
    assert all("No file named knn.py" in test["output"] and "exercises/02_supervised/knn.py" in test["output"]
               for test in missing)
    check = results["tests"][0]
    assert check["status"] == "failed" and "1 missing" in check["name"]
    assert "knn: MISSING" in check["output"] and "linear_regression: graded exercises/02_supervised/linear_regression.py" in check["output"]
    assert "knn.py" in results["output"]


def test_visibility_and_seed_are_recorded(graded):
    _, results = graded
    assert results["visibility"] == "after_published"
    assert {test["visibility"] for test in results["tests"][1:]} == {"after_published"}
    assert results["tests"][0]["visibility"] == "visible"  # the file check, worth no points, is always shown
    assert "score" not in results["tests"][0]
    assert f"data seed {SEED}" in results["output"] and f"ml-grade NAME --seed {SEED}" in results["output"]
    assert results["extra_data"]["seed"] == SEED
    assert "17/" not in results["output"]  # scores stay out of the top-level output until tests are shown


def test_run_autograder_script_grades_an_exercise_that_imports_another(tmp_path):
    """The real script, with the current Python standing in for /autograder/venv; random_forest imports
    the learner's decision_tree by its bare name; a random seed is drawn and recorded."""
    archive = build_bundle(tmp_path / "build", ["decision_tree", "random_forest"], visibility="visible")
    root = unpack(archive, tmp_path / "autograder")
    for name in ("decision_tree", "random_forest"):  # loose files
        (root / "submission" / f"{name}.py").write_text(solution_source(name), encoding="utf-8")
    env = {**os.environ, "ML_GRADE_AUTOGRADER_ROOT": str(root), "ML_GRADE_PYTHON": sys.executable}
    finished = subprocess.run([str(root / "source" / "run_autograder")], cwd=root, env=env,
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    check_schema(results)
    forest = graded_tests(results, "random_forest")
    # The seed is random here, so judge the import, not every test's luck with the data.
    assert forest and not any("ImportError" in t["output"] or "ModuleNotFoundError" in t["output"] for t in forest)
    assert sum(test["score"] for test in forest) >= 0.9 * sum(test["max_score"] for test in forest), [t["output"] for t in forest]
    assert {test["visibility"] for test in results["tests"]} == {"visible"}
    seed = results["extra_data"]["seed"]
    assert isinstance(seed, int) and f"--seed {seed}" in results["output"]
    total = sum(test["score"] for test in results["tests"] if "score" in test)
    max_total = sum(test["max_score"] for test in results["tests"] if "max_score" in test)
    assert f"Total: {total:g}/{max_total:g}" in results["output"]  # visible tests: the output shows the scores
    assert "random_forest" in finished.stdout  # the full reports go to the instructors' log


def test_failures_point_into_the_learners_file_not_the_graders_folder(tmp_path):
    archive = build_bundle(tmp_path / "build", ["gradient_descent"], visibility="hidden", seed=5)
    root = unpack(archive, tmp_path / "autograder")
    broken = solution_source("gradient_descent") + (
        "\n\ndef numerical_gradient(f, x, eps=1e-6):\n"
        "    print('hello from the learner')\n"
        "    raise ValueError('boom')\n"
    )
    (root / "submission" / "gradient_descent.py").write_text(broken, encoding="utf-8")
    results = run(root)
    check_schema(results)
    failing = [test for test in graded_tests(results, "gradient_descent") if test["status"] == "failed"]
    assert failing and any(test["score"] > 0 for test in graded_tests(results, "gradient_descent"))
    line = broken.splitlines().index("    raise ValueError('boom')") + 1
    output = failing[0]["output"]
    assert "ValueError: boom" in output and f"at gradient_descent.py:{line} in numerical_gradient" in output
    assert "hello from the learner" in output
    assert "ml-grade-gradescope" not in json.dumps(results)  # no temporary paths anywhere
    assert {test["visibility"] for test in results["tests"][1:]} == {"hidden"}
    assert "to your instructor only" in results["output"]


def test_a_broken_suite_still_gives_valid_results(graded, tmp_path, monkeypatch):
    root, _ = graded
    copy = tmp_path / "autograder"
    shutil.copytree(root / "source", copy / "source")
    shutil.copytree(root / "submission", copy / "submission")

    def broken(name, *args, **kwargs):
        raise GradingError(f"the suite for {name} could not run (a bug in the kit, please report it):\nboom")

    monkeypatch.setattr(engine, "grade", broken)
    results = run(copy)
    check_schema(results)
    for name in ("linear_regression", "gradient_descent"):
        tests = graded_tests(results, name)
        assert tests and all(test["score"] == 0 and test["status"] == "failed" for test in tests)
        assert all("could not be graded" in test["output"] and "boom" in test["output"] for test in tests)
        assert results["extra_data"]["exercises"][name]["status"] == "error"
    assert "please tell your instructor" in results["output"]


def test_without_a_bundle_the_results_still_explain(tmp_path, capsys):
    (tmp_path / "submission").mkdir()
    assert gradescope.main(["run", "--root", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    check_schema(results)
    assert results["score"] == 0 and results["tests"] == []
    assert "config.json" in results["output"] and "not with your files" in results["output"]
