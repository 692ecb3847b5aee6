"""ml-grade batch: every learner graded alike and apart, results in a CSV and per-learner JSON, re-runs
grade only what changed."""

import csv
import json
import shutil
import zipfile

import pytest

from grader.batch import BatchError, run_batch, summary_lines
from tests.conftest import SOLUTIONS, plant, plant_stubs, run_cli, solution_source

EXERCISES = ["gradient_descent", "linear_regression"]


@pytest.fixture
def classroom(tmp_path):
    """ada: every solution; bob: stubs and a linear regression without intercept; cy: code that exits at
    import and no linear_regression file; dana: a zip of an exercises/ folder with a finished gradient_descent."""
    submissions = tmp_path / "submissions"
    shutil.copytree(SOLUTIONS, submissions / "ada" / "exercises")
    plant_stubs(submissions / "bob")
    plant(submissions / "bob", "linear_regression",
          solution_source("linear_regression").replace("return X @ self.coef_ + self.intercept_", "return X @ self.coef_", 1))
    plant(submissions / "cy", "gradient_descent", "import sys\nsys.exit(3)\n")
    dana = tmp_path / "dana"
    plant_stubs(dana / "exercises")
    plant(dana / "exercises", "gradient_descent", solution_source("gradient_descent"))
    with zipfile.ZipFile(submissions / "dana.zip", "w") as archive:
        for path in (dana / "exercises").rglob("*.py"):
            archive.write(path, path.relative_to(dana))
    return submissions


def read_csv(path):
    with path.open(newline="", encoding="utf-8") as file:
        return {row["learner"]: row for row in csv.DictReader(file)}


def test_batch_grades_each_learner_apart(classroom, tmp_path):
    out = tmp_path / "results" / "scores.csv"
    results, seed = run_batch(classroom, out, EXERCISES, jobs=2, seed=7)
    assert seed == 7 and [result.learner for result in results] == ["ada", "bob", "cy", "dana"]
    rows = read_csv(out)
    assert rows["ada"]["gradient_descent"] == "11" and rows["ada"]["linear_regression"] == "17"
    assert rows["ada"]["total"] == rows["ada"]["max_total"] == "28"
    assert rows["bob"]["gradient_descent"] == "0" and 0 < float(rows["bob"]["linear_regression"]) < 17
    assert rows["cy"]["total"] == "0" and rows["cy"]["max_total"] == "28"  # a missing file still counts its points
    assert rows["dana"]["gradient_descent"] == "11" and rows["dana"]["linear_regression"] == "0"

    cy = json.loads((tmp_path / "results" / "scores-learners" / "cy.json").read_text())
    assert cy["exercises"]["linear_regression"]["status"] == "missing"
    assert all("sys.exit(3)" in test["message"] for test in cy["exercises"]["gradient_descent"]["tests"])
    bob = json.loads((tmp_path / "results" / "scores-learners" / "bob.json").read_text())
    assert bob["exercises"]["gradient_descent"]["status"] == "not_started"
    assert any(test["status"] == "failed" for test in bob["exercises"]["linear_regression"]["tests"])

    lines = summary_lines(results, EXERCISES)
    assert lines[0] == "gradient_descent: 2/4 pass (50%), mean 5.5/11"
    assert any(line.startswith("linear_regression: 1/4 pass") for line in lines)
    assert "    1 missing" in lines and any("fail: predict returns" in line for line in lines)


def test_rerun_grades_only_what_changed(classroom, tmp_path):
    out = tmp_path / "scores.csv"
    first, seed = run_batch(classroom, out, EXERCISES, jobs=2)
    reused = []
    path = classroom / "bob" / "02_supervised" / "linear_regression.py"
    path.write_text(solution_source("linear_regression"), encoding="utf-8")
    second, again = run_batch(classroom, out, EXERCISES, jobs=2, on_done=lambda result, was_reused, n: reused.append((result.learner, was_reused)))
    assert again == seed, "a re-run keeps the first run's seed"
    assert sorted(reused) == [("ada", True), ("bob", False), ("cy", True), ("dana", True)]
    assert read_csv(out)["bob"]["linear_regression"] == "17"


def test_a_zip_that_escapes_its_folder_is_refused(tmp_path):
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    with zipfile.ZipFile(submissions / "eve.zip", "w") as archive:
        archive.writestr("../../outside.py", "print('escaped')\n")
    with pytest.raises(BatchError, match="outside its folder"):
        run_batch(submissions, tmp_path / "scores.csv", ["gradient_descent"])
    assert not (tmp_path / "outside.py").exists()


def test_cli_batch(classroom, tmp_path):
    out = tmp_path / "scores.csv"
    result = run_cli("batch", str(classroom), "--exercises", "gradient_descent", "--out", str(out), "--seed", "3",
                     "--summary", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "4 learners (4 graded, 0 unchanged), seed 3" in result.stdout
    assert "gradient_descent: 2/4 pass (50%)" in result.stdout
    assert "[4/4]" in result.stderr
    assert read_csv(out)["ada"]["gradient_descent"] == "11"
    unknown = run_cli("batch", str(classroom), "--exercises", "gradient_decent", home=tmp_path)
    assert unknown.returncode == 2 and "gradient_descent" in unknown.stderr
