"""Where the learner works: the folder holding ``exercises/`` and the progress record.

Found like git finds a repository: from the current directory upward, the first folder that has an
``exercises/`` folder with stage folders in it. ``ML_GRADE_HOME`` overrides the search. Outside any
workspace the kit's own checkout is used, so ``ml-grade`` works from anywhere after ``pip install -e .``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grader.roadmap import KIT_ROOT


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def exercises_dir(self) -> Path:
        return self.root / "exercises"

    @property
    def state_dir(self) -> Path:
        return self.root / ".ml-grade"

    @property
    def progress_file(self) -> Path:
        return self.state_dir / "progress.json"

    @property
    def results_dir(self) -> Path:
        """The last grading report of each exercise, ``<name>.json`` (what ``report --html`` shows)."""
        return self.state_dir / "results"


def save_last_result(workspace: Workspace, report) -> None:
    """Keep ``report`` (a :class:`grader.engine.GradeReport`) as the exercise's last result."""
    import json

    from grader.files import write_atomically

    write_atomically(workspace.results_dir / f"{report.exercise}.json", json.dumps(report.to_json(), indent=2) + "\n")


def load_last_result(workspace: Workspace, name: str) -> dict | None:
    """The last grading report of exercise ``name`` as saved by :func:`save_last_result`, or None."""
    import json

    try:
        return json.loads((workspace.results_dir / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _is_workspace(folder: Path) -> bool:
    exercises = folder / "exercises"
    return exercises.is_dir() and any(child.is_dir() and child.name[:2].isdigit() for child in exercises.iterdir())


def find_workspace(start: Path | None = None) -> Workspace:
    home = os.environ.get("ML_GRADE_HOME")
    if home:
        return Workspace(Path(home).expanduser().resolve())
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_workspace(folder):
            return Workspace(folder)
    return Workspace(KIT_ROOT)
