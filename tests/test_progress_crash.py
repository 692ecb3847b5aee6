"""The progress record survives a killed writer and a damaged file.

Real subprocesses killed with SIGKILL: once at a chosen moment (in the middle of a write, made to hang
there), and many times at random moments; then truncated and garbage records, directly and through
the CLI.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.progress import backup_path, load_progress, updating_progress
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

# Runs ``ml-grade metrics``, but the fsync of the progress record's temporary never returns: it drops a
# marker so the test knows the process is in the middle of writing the record, then waits to be killed.
HANG_IN_RECORD_WRITE = r"""
import os, sys, tempfile, time
import grader.files

marker = sys.argv[1]
record_temporaries = set()
real_mkstemp, real_fsync = tempfile.mkstemp, os.fsync

def mkstemp(*args, **kwargs):
    fd, name = real_mkstemp(*args, **kwargs)
    if os.path.basename(name).startswith(".progress.json-"):
        record_temporaries.add(fd)
    return fd, name

def fsync(fd):
    if fd in record_temporaries:
        open(marker, "w").close()
        while True:
            time.sleep(60)
    real_fsync(fd)

grader.files.tempfile.mkstemp = mkstemp
grader.files.os.fsync = fsync
from grader.cli import main
main(["metrics"])
"""

# Records NAME-0, NAME-1, ... one save each, and prints each index once its save has returned.
RECORD_FOREVER = r"""
import sys
from pathlib import Path
from grader.progress import updating_progress

path, name = Path(sys.argv[1]), sys.argv[2]
print("ready", flush=True)
index = 0
while True:
    with updating_progress(path) as progress:
        progress.record(f"{name}-{index}", index, 1, False, seed=index)
    print(index, flush=True)
    index += 1
"""


def _start(script: str, *args: str, home: Path, **popen) -> subprocess.Popen:
    env = {**os.environ, "ML_GRADE_HOME": str(home), "NO_COLOR": "1"}
    # Its own session, so that killing it also kills anything it started (grading workers).
    return subprocess.Popen([sys.executable, "-c", script, *args], env=env, start_new_session=True, **popen)


def _kill(process: subprocess.Popen) -> None:
    """SIGKILL the process and everything it started (its session's group has its pid as id)."""
    with contextlib.suppress(ProcessLookupError):  # the whole group has exited already
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.tmp"))


def test_killed_in_the_middle_of_writing_the_record_loses_nothing(workspace, tmp_path):
    record = workspace / ".ml-grade" / "progress.json"
    with updating_progress(record) as progress:
        progress.record("linear_regression", 7, 17, False, seed=3)
        progress.record("gradient_descent", 11, 11, True, seed=4)
        progress.hints_shown["kmeans"] = 2
    before = record.read_bytes()

    marker = tmp_path / "writing-the-record"
    log = tmp_path / "stderr.txt"
    with open(log, "wb") as stderr:
        writer = _start(HANG_IN_RECORD_WRITE, str(marker), home=workspace, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert writer.poll() is None, f"ml-grade ended before writing the record:\n{log.read_text()}"
            assert time.monotonic() < deadline, "ml-grade never started writing the record"
            time.sleep(0.02)
    finally:
        _kill(writer)

    assert record.read_bytes() == before
    assert _temporaries(record.parent), "the kill should have left the record's temporary behind"
    assert backup_path(record).read_bytes() == before

    # The lock died with the process: a new run gets it (within run_cli's timeout) and records its result.
    result = run_cli("metrics", home=workspace, timeout=60)
    assert result.returncode == 1 and "metrics" in result.stdout, result.stderr  # a stub: not started
    after = load_progress(record)
    assert after.warning == ""
    assert after.entry("metrics")["max_score"] > 0 and after.entry("metrics")["score"] == 0
    assert after.entry("linear_regression")["score"] == 7 and after.is_done("gradient_descent")
    assert after.hints_shown == {"kmeans": 2}
    assert _temporaries(record.parent) == []


def test_writers_killed_at_random_moments_lose_nothing(workspace):
    record = workspace / ".ml-grade" / "progress.json"
    chance = random.Random(20240601)  # fixed: the same kill times on every run
    recorded: set[str] = set()  # every entry whose save returned, over all rounds
    for round_number in range(15):
        # Two writers at once, so a kill also lands while one holds the lock and the other waits for it.
        writers = [_start(RECORD_FOREVER, str(record), f"r{round_number}w{w}", home=workspace,
                          stdout=subprocess.PIPE, text=True) for w in range(2)]
        for writer in writers:
            assert writer.stdout.readline() == "ready\n"
        for writer in writers:
            time.sleep(chance.uniform(0, 0.2))
            _kill(writer)
        for writer, name in zip(writers, (f"r{round_number}w0", f"r{round_number}w1")):
            recorded |= {f"{name}-{line.strip()}" for line in writer.stdout.read().splitlines() if line.strip()}
            writer.stdout.close()

        progress = load_progress(record)
        assert progress.warning == ""
        assert recorded <= set(progress.exercises), f"round {round_number} lost {sorted(recorded - set(progress.exercises))}"
        recorded = set(progress.exercises)  # entries only ever get added: next round must keep all of these
    assert not list(record.parent.glob("progress.json.corrupt-*"))

    with updating_progress(record) as progress:
        progress.record("last", 1, 1, True, seed=0)
    assert _temporaries(record.parent) == []


def _truncated(text: str) -> bytes:
    return text.encode()[: len(text) // 2]


def _garbage(text: str) -> bytes:
    return b"\x00\xff\xfe" + os.urandom(64)


def _two_saves(record: Path) -> str:
    """Save twice; returns the first record's text, which the backup now holds."""
    with updating_progress(record) as progress:
        progress.record("linear_regression", 7, 17, False, seed=3)
        progress.hints_shown["linear_regression"] = 1
    first = record.read_text()
    with updating_progress(record) as progress:
        progress.record("kmeans", 5, 9, False, seed=4)
    return first


@pytest.mark.parametrize("damage", [_truncated, _garbage])
def test_a_damaged_record_is_set_aside_and_restored_from_the_backup(tmp_path, damage):
    record = tmp_path / "progress.json"
    first = _two_saves(record)
    damaged = damage(record.read_text())
    record.write_bytes(damaged)

    progress = load_progress(record)
    assert re.search(r"could not be read .*moved to progress\.json\.corrupt-\S+ and restored from the backup of "
                     r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", progress.warning), progress.warning
    assert set(progress.exercises) == {"linear_regression"} and progress.hints_shown == {"linear_regression": 1}
    [aside] = tmp_path.glob("progress.json.corrupt-*")
    assert aside.read_bytes() == damaged  # kept as it was, for a human to look at
    assert record.read_text() == first  # written back: the next run starts from it
    assert load_progress(record).warning == ""


@pytest.mark.parametrize("damage", [_truncated, _garbage])
def test_a_damaged_record_without_a_backup_starts_anew(tmp_path, damage):
    record = tmp_path / "progress.json"
    with updating_progress(record) as progress:
        progress.record("linear_regression", 7, 17, False, seed=3)
    record.write_bytes(damage(record.read_text()))

    progress = load_progress(record)
    assert "could not be read" in progress.warning and progress.warning.endswith("and a new one started")
    assert progress.exercises == {} and not record.exists()
    assert list(tmp_path.glob("progress.json.corrupt-*"))


def test_a_damaged_backup_is_not_restored(tmp_path):
    record = tmp_path / "progress.json"
    _two_saves(record)
    record.write_bytes(_truncated(record.read_text()))
    backup_path(record).write_bytes(b"\x00")
    progress = load_progress(record)
    assert progress.exercises == {} and progress.warning.endswith("and a new one started")


def test_the_cli_warns_and_restores(workspace):
    record = workspace / ".ml-grade" / "progress.json"
    _two_saves(record)
    record.write_bytes(_truncated(record.read_text()))

    result = run_cli("progress", home=workspace, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "restored from the backup of" in result.stderr
    assert load_progress(record).entry("linear_regression")["score"] == 7

    again = run_cli("progress", home=workspace, timeout=60)  # restored for good: no second warning
    assert again.returncode == 0 and "warning" not in again.stderr


def test_the_cli_warns_and_starts_anew_without_a_backup(workspace):
    state = workspace / ".ml-grade"
    state.mkdir()
    (state / "progress.json").write_bytes(b"\x00\xff garbage")
    result = run_cli("progress", home=workspace, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "a new one started" in result.stderr
