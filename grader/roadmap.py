"""The roadmap: the one place an exercise is declared (``grader/roadmap.toml``).

Each ``[[exercise]]`` entry names the exercise (what the learner types), its stage, title, file (relative
to ``exercises/`` and ``solutions/``), order, prerequisites, hints and the datasets it uses. The suite is
``grader/suites/test_<name>.py``. Adding an exercise means a stub, a solution, a suite and one entry.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

GRADER_DIR = Path(__file__).resolve().parent
KIT_ROOT = GRADER_DIR.parent
ROADMAP_FILE = GRADER_DIR / "roadmap.toml"
SUITES_DIR = GRADER_DIR / "suites"


class UnknownExercise(LookupError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"there is no exercise named {name!r}.{hint}")


@dataclass(frozen=True)
class Exercise:
    name: str
    stage: str
    title: str
    file: str
    order: int
    prerequisites: tuple[str, ...]
    hints: tuple[str, ...]
    datasets: tuple[str, ...]

    @property
    def suite(self) -> Path:
        return SUITES_DIR / f"test_{self.name}.py"


@dataclass(frozen=True)
class Roadmap:
    stages: dict[str, str]  # stage folder -> stage title, in order
    exercises: tuple[Exercise, ...]  # in roadmap order

    def get(self, name: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.name == name:
                return exercise
        names = [exercise.name for exercise in self.exercises]
        suggestions = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        suggestions += [n for n in names if name and name in n and n not in suggestions]
        raise UnknownExercise(name, suggestions[:3])

    def names(self) -> list[str]:
        return [exercise.name for exercise in self.exercises]

    def stage_dirs(self) -> list[str]:
        return list(self.stages)

    def by_stage(self) -> dict[str, list[Exercise]]:
        grouped: dict[str, list[Exercise]] = {stage: [] for stage in self.stages}
        for exercise in self.exercises:
            grouped[exercise.stage].append(exercise)
        return {stage: exercises for stage, exercises in grouped.items() if exercises}


def parse_roadmap(text: str) -> Roadmap:
    data = tomllib.loads(text)
    stages = {entry["folder"]: entry["title"] for entry in data["stage"]}
    exercises = []
    for entry in data["exercise"]:
        if entry["stage"] not in stages:
            raise ValueError(f"exercise {entry['name']!r} is in unknown stage {entry['stage']!r}")
        exercises.append(
            Exercise(
                name=entry["name"],
                stage=entry["stage"],
                title=entry["title"],
                file=f"{entry['stage']}/{entry['name']}.py",
                order=int(entry["order"]),
                prerequisites=tuple(entry.get("prerequisites", ())),
                hints=tuple(entry["hints"]),
                datasets=tuple(entry.get("datasets", ())),
            )
        )
    exercises.sort(key=lambda exercise: exercise.order)
    return Roadmap(stages, tuple(exercises))


@lru_cache(maxsize=1)
def load_roadmap() -> Roadmap:
    return parse_roadmap(ROADMAP_FILE.read_text(encoding="utf-8"))
