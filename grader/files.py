"""Writing result files so that a reader (or a crash) never sees half of one."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}-"


def _is_temporary_of(path: Path, name: str) -> bool:
    # mkstemp's random part is letters, digits and "_" only, so ``.a.json-x1y2.tmp`` (a temporary of ``a.json``)
    # is never confused with a temporary of a sibling such as ``a.json-old``.
    return re.fullmatch(re.escape(_temporary_prefix(path)) + r"[a-z0-9_]+\.tmp", name) is not None


def remove_stale_temporaries(path: Path, older_than: float) -> list[Path]:
    """Delete the temporaries of ``path`` (``.<name>-XXXX.tmp``) that a killed writer left behind.

    Only those last modified more than ``older_than`` seconds ago; ``older_than <= 0`` removes them all,
    which is right only when the caller knows no other writer of ``path`` is between mkstemp and rename.
    Returns what was removed.
    """
    cutoff = time.time() - older_than
    removed = []
    try:
        entries = list(os.scandir(path.parent))
    except FileNotFoundError:
        return removed
    for entry in entries:
        if not _is_temporary_of(path, entry.name):
            continue
        with contextlib.suppress(OSError):  # gone already, or not ours to delete: harmless either way
            if older_than <= 0 or entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file in ``path``'s folder, flush it to disk, then rename it over ``path``.

    A writer killed between the two leaves its temporary (``.<name>-XXXX.tmp``) behind; whoever knows
    when that is safe clears those with ``remove_stale_temporaries``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
