"""The learner's progress record: a small JSON file in the workspace, written atomically.

Holds each exercise's last and best score and how many hints were shown. A record that cannot be read
is set aside next to it (``progress.json.corrupt-<time>``) with a warning, never a crash.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from grader.files import write_atomically

FORMAT_VERSION = 1


@dataclass
class Progress:
    path: Path
    exercises: dict[str, dict] = field(default_factory=dict)
    hints_shown: dict[str, int] = field(default_factory=dict)
    warning: str = ""  # set when a corrupt record was set aside

    def entry(self, name: str) -> dict:
        return self.exercises.get(name, {})

    def is_done(self, name: str) -> bool:
        return bool(self.entry(name).get("passed"))

    def record(self, name: str, score: float, max_score: float, passed: bool, seed: int) -> None:
        previous = self.entry(name)
        self.exercises[name] = {
            "score": score,
            "max_score": max_score,
            "passed": passed or bool(previous.get("passed")),  # done stays done
            "best_score": max(score, previous.get("best_score", 0)),
            "last_seed": seed,
            "last_run": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }

    def to_json(self) -> dict:
        return {"version": FORMAT_VERSION, "exercises": self.exercises, "hints_shown": self.hints_shown}


def _valid(data: object) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("exercises", {}), dict)
        and all(isinstance(v, dict) for v in data.get("exercises", {}).values())
        and isinstance(data.get("hints_shown", {}), dict)
    )


def load_progress(path: Path) -> Progress:
    if not path.exists():
        return Progress(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not _valid(data):
            raise ValueError("unexpected structure")
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        with contextlib.suppress(OSError):
            os.replace(path, aside)
        return Progress(path, warning=f"the progress record {path} could not be read ({exc}); it was moved to {aside.name} and a new one started")
    hints = {k: int(v) for k, v in data.get("hints_shown", {}).items() if isinstance(v, int)}
    return Progress(path, dict(data.get("exercises", {})), hints)


def save_progress(progress: Progress) -> None:
    """Write to a temporary file in the same folder, then rename: a reader never sees half a record."""
    write_atomically(progress.path, json.dumps(progress.to_json(), indent=2, sort_keys=True) + "\n")


@contextlib.contextmanager
def updating_progress(path: Path) -> Iterator[Progress]:
    """Load, let the caller change, save; under a lock so two ``ml-grade`` runs lose nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        try:
            import fcntl

            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        except ImportError:  # Windows: no advisory lock, the rename is still atomic
            pass
        progress = load_progress(path)
        yield progress
        save_progress(progress)
