"""The learner's progress record: a small JSON file in the workspace, written atomically under a lock.

Holds each exercise's last and best score and how many hints were shown. Before a save replaces the
record, the record it replaces (if it reads fine) is copied to ``progress.json.bak``. A record that
cannot be read is set aside next to it (``progress.json.corrupt-<time>``) and rebuilt from that backup,
with a warning, never a crash; without a usable backup a new, empty record is started.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from grader.files import remove_stale_temporaries, write_atomically

FORMAT_VERSION = 1

# No save takes anywhere near this long, so a temporary this old belongs to a writer that was killed.
STALE_TEMPORARY_AGE = 60.0  # seconds


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


def backup_path(path: Path) -> Path:
    """Where the last good record before the current one is kept."""
    return path.with_name(path.name + ".bak")


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


class _Unreadable(Exception):
    """The record exists but is not valid JSON of the expected shape."""


def _valid(data: object) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("exercises", {}), dict)
        and all(isinstance(v, dict) for v in data.get("exercises", {}).values())
        and isinstance(data.get("hints_shown", {}), dict)
    )


def _parse(text: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _Unreadable(str(exc)) from exc
    if not _valid(data):
        raise _Unreadable("unexpected structure")
    return data


def _read(path: Path) -> dict:
    """The record's data; FileNotFoundError when there is none, _Unreadable when it is damaged."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except (ValueError, OSError) as exc:  # ValueError: not UTF-8
        raise _Unreadable(str(exc)) from exc
    return _parse(text)


def _from_json(path: Path, data: dict, warning: str = "") -> Progress:
    hints = {k: int(v) for k, v in data.get("hints_shown", {}).items() if isinstance(v, int)}
    return Progress(path, dict(data.get("exercises", {})), hints, warning)


@contextlib.contextmanager
def _holding_lock(path: Path, required: bool = True) -> Iterator[bool]:
    """Hold the record's advisory lock; yields whether there is one (none on Windows).

    With ``required=False`` a lock file that cannot be created (a read-only folder) means no lock
    rather than an error: nobody can write the record there, so there is nothing to race with.
    """
    try:
        lock_file = open(_lock_path(path), "a")
    except OSError:
        if required:
            raise
        yield False
        return
    with lock_file as lock:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory lock, the rename is still atomic
            yield False
            return
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # released when the file is closed, or the process dies
        yield True


def _set_aside(path: Path) -> Path | None:
    """Move the unreadable record out of the way, keeping it for a human to look at."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    attempt = 1
    while aside.exists():  # two in the same second: keep both
        attempt += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{attempt}")
    try:
        os.replace(path, aside)
    except OSError:
        return None
    return aside


def _load_or_recover(path: Path) -> Progress:
    """``load_progress`` for a caller that holds the lock."""
    try:
        return _from_json(path, _read(path))
    except FileNotFoundError:
        return Progress(path)
    except _Unreadable as exc:
        problem = exc
    aside = _set_aside(path)
    moved = f"it was moved to {aside.name}" if aside else "it could not be moved aside"
    backup = backup_path(path)
    try:
        restored = _from_json(path, _read(backup))
        backup_time = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(backup.stat().st_mtime))
    except (OSError, _Unreadable):
        return Progress(path, warning=f"the progress record {path} could not be read ({problem}); {moved} and a new one started")
    if aside is not None:
        # Write the restored record back now: a read-only command (`ml-grade progress`) would otherwise leave
        # no record at all, and the next run would start empty although it was told the record was restored.
        with contextlib.suppress(OSError):
            write_atomically(path, _serialize(restored))
    restored.warning = f"the progress record {path} could not be read ({problem}); {moved} and restored from the backup of {backup_time}"
    return restored


def load_progress(path: Path) -> Progress:
    """Read the record at ``path``, an empty one if there is none.

    A damaged record is set aside and rebuilt from the backup (or started anew) with ``warning`` saying
    which; that recovery runs under the lock, so it cannot race a concurrent ``updating_progress``.
    """
    try:
        return _from_json(path, _read(path))
    except FileNotFoundError:
        return Progress(path)
    except _Unreadable:
        pass
    with _holding_lock(path, required=False):
        return _load_or_recover(path)  # reads again: another process may have recovered it meanwhile


def _serialize(progress: Progress) -> str:
    return json.dumps(progress.to_json(), indent=2, sort_keys=True) + "\n"


def _back_up_current(path: Path) -> None:
    """Copy the record about to be replaced to the backup, if it reads fine; a damaged one never replaces a good backup."""
    try:
        status = path.stat()
        text = path.read_text(encoding="utf-8")
        _parse(text)
    except (OSError, ValueError, _Unreadable):
        return
    write_atomically(backup_path(path), text)
    with contextlib.suppress(OSError):  # the backup's time is the record's: "restored from the backup of <then>"
        os.utime(backup_path(path), ns=(status.st_atime_ns, status.st_mtime_ns))


def _save(progress: Progress, stale_after: float) -> None:
    """Save, first removing the record's and the backup's temporaries older than ``stale_after`` seconds."""
    for target in (progress.path, backup_path(progress.path)):
        remove_stale_temporaries(target, stale_after)
    _back_up_current(progress.path)
    write_atomically(progress.path, _serialize(progress))


def save_progress(progress: Progress) -> None:
    """Write to a temporary file in the same folder, then rename: a reader never sees half a record.

    The record being replaced is kept as the backup first. Use ``updating_progress`` when another
    process may write at the same time; this does not take the lock, so it removes only temporaries old
    enough that their writer must be dead, never one that a concurrent writer may be filling right now.
    """
    _save(progress, stale_after=STALE_TEMPORARY_AGE)


@contextlib.contextmanager
def updating_progress(path: Path) -> Iterator[Progress]:
    """Load, let the caller change, save; under a lock so two ``ml-grade`` runs lose nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _holding_lock(path) as locked:
        progress = _load_or_recover(path)
        yield progress
        # Every writer of the record saves under this lock, so while we hold it nobody else is between
        # mkstemp and rename: any temporary present was left by a killed writer, however young. Without a
        # lock (Windows) a young one may be a live writer's, so only old ones go.
        _save(progress, stale_after=0 if locked else STALE_TEMPORARY_AGE)
