"""The suites the kit shipped with: a SHA-256 of each file the grading run executes, checked before grading.

A suite edited on disk (by a learner hoping for an easier test, or by code that escaped the worker) is
refused, naming the file, instead of silently grading against it. The manifest is
``grader/suites/SHA256SUMS``; a contributor who changes a suite or a support module on purpose runs
``python scripts/hash_suites.py`` to write it again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from grader.roadmap import GRADER_DIR

MANIFEST_NAME = "suites/SHA256SUMS"


def guarded_files(grader_dir: Path = GRADER_DIR) -> list[Path]:
    """The suites, their pytest settings and the support code they run, relative to ``grader_dir``."""
    files = [*grader_dir.glob("suites/*.py"), grader_dir / "suites" / "pytest.ini", *grader_dir.glob("support/*.py")]
    return sorted(path.relative_to(grader_dir) for path in files if path.is_file())


def _digest(path: Path) -> str:
    # Line endings normalised: a checkout with CRLF (Windows) is the same suite.
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def manifest_text(grader_dir: Path = GRADER_DIR) -> str:
    return "".join(f"{_digest(grader_dir / path)}  {path.as_posix()}\n" for path in guarded_files(grader_dir))


def changed_files(grader_dir: Path = GRADER_DIR) -> list[str]:
    """``"suites/test_x.py (changed)"``-style notes for each file that differs from the manifest; [] if none."""
    manifest = grader_dir / MANIFEST_NAME
    try:
        lines = manifest.read_text(encoding="utf-8").splitlines()
    except OSError:
        return [f"{MANIFEST_NAME} (missing)"]
    shipped = {}
    for line in lines:
        digest, _, name = line.partition("  ")
        if name:
            shipped[name] = digest
    present = {path.as_posix() for path in guarded_files(grader_dir)}
    notes = [f"{name} (missing)" for name in sorted(set(shipped) - present)]
    notes += [f"{name} (added)" for name in sorted(present - set(shipped))]
    notes += [f"{name} (changed)" for name in sorted(present & set(shipped)) if _digest(grader_dir / name) != shipped[name]]
    return notes
