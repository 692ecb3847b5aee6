"""Shared helpers for the kit's own tests: they grade solutions, stubs and planted files, never the
learner's working copy in exercises/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.roadmap import KIT_ROOT, load_roadmap
from grader.stubs import stub_for

SOLUTIONS = KIT_ROOT / "solutions"


def solution_source(name: str) -> str:
    return (SOLUTIONS / load_roadmap().get(name).file).read_text(encoding="utf-8")


def plant(root: Path, name: str, source: str) -> Path:
    """Write ``source`` as exercise ``name`` in a tree laid out like exercises/."""
    path = root / load_roadmap().get(name).file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return path


def plant_stubs(root: Path) -> Path:
    for exercise in load_roadmap().exercises:
        plant(root, exercise.name, stub_for(SOLUTIONS / exercise.file))
    return root


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    """A fresh learner workspace (pristine stubs) that ML_GRADE_HOME points to."""
    root = tmp_path / "workspace"
    plant_stubs(root / "exercises")
    monkeypatch.setenv("ML_GRADE_HOME", str(root))
    return root


def run_cli(*args: str, home: Path, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``ml-grade ARGS`` as a real subprocess."""
    env = {**os.environ, "ML_GRADE_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "grader.cli", *args],
        cwd=cwd or home, env=env, capture_output=True, text=True, timeout=timeout,
    )
