"""The grader runs only the suites it shipped with (grader/suites/SHA256SUMS)."""

import os
import shutil
import subprocess
import sys

from grader.integrity import changed_files, manifest_text
from grader.roadmap import GRADER_DIR, KIT_ROOT


def test_the_manifest_matches_the_suites():
    assert changed_files() == [], "a suite or support module changed: run `python scripts/hash_suites.py`"


def _copy_of_grader(tmp_path):
    copy = tmp_path / "kit" / "grader"
    shutil.copytree(GRADER_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_changed_added_and_missing_files_are_named(tmp_path):
    copy = _copy_of_grader(tmp_path)
    assert changed_files(copy) == []
    with open(copy / "suites" / "test_metrics.py", "a") as suite:
        suite.write("\ndef test_free_points():\n    pass\n")
    (copy / "support" / "helpers_for_cheating.py").write_text("")
    (copy / "suites" / "test_pca.py").unlink()
    assert changed_files(copy) == [
        "suites/test_pca.py (missing)", "support/helpers_for_cheating.py (added)", "suites/test_metrics.py (changed)",
    ]
    (copy / "suites" / "SHA256SUMS").write_text(manifest_text(copy))
    assert changed_files(copy) == []


def test_line_endings_do_not_count(tmp_path):
    copy = _copy_of_grader(tmp_path)
    suite = copy / "suites" / "test_knn.py"
    suite.write_bytes(suite.read_bytes().replace(b"\n", b"\r\n"))
    assert changed_files(copy) == []


def test_ml_grade_refuses_a_changed_suite(tmp_path):
    """End to end: a copy of the kit whose suite was edited grades nothing and says which file changed."""
    copy = _copy_of_grader(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(copy.parent), "ML_GRADE_HOME": str(tmp_path), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "grader.cli", "metrics", "--dir", str(KIT_ROOT / "solutions"), "--seed", "3"]
    honest = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert honest.returncode == 0, honest.stdout + honest.stderr
    suite = copy / "suites" / "test_metrics.py"
    suite.write_text(suite.read_text().replace("def test_", "def skipped_", 3))
    edited = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert edited.returncode == 1
    assert "suites/test_metrics.py (changed)" in edited.stderr and "nothing was graded" in edited.stderr
