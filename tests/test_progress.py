"""The progress record: atomic, locked, and never a crash on a bad file."""

import json
import multiprocessing
import os
import time

from grader.progress import STALE_TEMPORARY_AGE, Progress, backup_path, load_progress, save_progress, updating_progress


def test_round_trip(tmp_path):
    path = tmp_path / "progress.json"
    with updating_progress(path) as progress:
        progress.record("linear_regression", 7, 17, False, seed=3)
        progress.hints_shown["linear_regression"] = 2
    loaded = load_progress(path)
    assert loaded.entry("linear_regression")["score"] == 7
    assert loaded.hints_shown == {"linear_regression": 2}
    assert not loaded.is_done("linear_regression")


def test_done_stays_done_and_best_score_is_kept(tmp_path):
    path = tmp_path / "progress.json"
    with updating_progress(path) as progress:
        progress.record("gradient_descent", 11, 11, True, seed=1)
    with updating_progress(path) as progress:
        progress.record("gradient_descent", 4, 11, False, seed=2)
    entry = load_progress(path).entry("gradient_descent")
    assert entry["passed"] and entry["best_score"] == 11 and entry["score"] == 4


def test_garbage_is_set_aside(tmp_path):
    path = tmp_path / "progress.json"
    for garbage in ("", "[1, 2]", '{"exercises": 3}', "\x00\xff"):
        path.write_text(garbage, encoding="latin-1")
        progress = load_progress(path)
        assert progress.exercises == {} and "could not be read" in progress.warning
        assert not path.exists()
    assert len(list(tmp_path.glob("progress.json.corrupt-*"))) >= 1


def test_no_temporary_files_left(tmp_path):
    path = tmp_path / "progress.json"
    with updating_progress(path) as progress:
        progress.record("a", 1, 1, True, seed=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json", "progress.json.lock"]
    assert json.loads(path.read_text())["version"] == 1


def _record_many(path, name, count, start=None):
    if start is not None:
        start.wait(30)  # both writers go at once, so their saves really interleave
    for index in range(count):
        with updating_progress(path) as progress:
            progress.record(f"{name}-{index}", index, count, False, seed=index)


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "progress.json"
    save_progress(load_progress(path))
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    writers = [context.Process(target=_record_many, args=(path, name, 25, start)) for name in ("watch", "manual")]
    for writer in writers:
        writer.start()
    start.set()
    for writer in writers:
        writer.join(60)
    assert len(load_progress(path).exercises) == 50


def test_backup_holds_the_record_before_the_last_save(tmp_path):
    path = tmp_path / "progress.json"
    with updating_progress(path) as progress:
        progress.record("first", 1, 1, True, seed=0)
    assert not backup_path(path).exists()  # nothing good to keep yet
    first_text = path.read_text()
    with updating_progress(path) as progress:
        progress.record("second", 1, 1, True, seed=0)
    assert backup_path(path).read_text() == first_text


def test_a_damaged_record_never_replaces_the_backup(tmp_path):
    path = tmp_path / "progress.json"
    for name in ("first", "second"):
        with updating_progress(path) as progress:
            progress.record(name, 1, 1, True, seed=0)
    good_backup = backup_path(path).read_text()
    path.write_text('{"exercises": {"second": ', encoding="utf-8")
    save_progress(Progress(path, {"third": {}}))
    assert backup_path(path).read_text() == good_backup


def _leave_temporary(path, suffix, age):
    temporary = path.with_name(f".{path.name}-{suffix}.tmp")
    temporary.write_text("{half a rec", encoding="utf-8")
    os.utime(temporary, (time.time() - age, time.time() - age))
    return temporary


def test_save_without_the_lock_removes_only_old_temporaries(tmp_path):
    path = tmp_path / "progress.json"
    old = _leave_temporary(path, "old1_abc", age=2 * STALE_TEMPORARY_AGE)
    old_backup = _leave_temporary(backup_path(path), "old2_abc", age=2 * STALE_TEMPORARY_AGE)
    fresh = _leave_temporary(path, "fresh_ab", age=1)  # may be a concurrent writer's, mid-write
    sibling = tmp_path / ".progress.json-old-abcd1234.tmp"  # a temporary of "progress.json-old", not ours
    sibling.write_text("x")
    os.utime(sibling, (0, 0))
    save_progress(load_progress(path))
    assert not old.exists() and not old_backup.exists()
    assert fresh.exists() and sibling.exists()


def test_save_under_the_lock_removes_every_temporary(tmp_path):
    path = tmp_path / "progress.json"
    fresh = _leave_temporary(path, "fresh_ab", age=0)  # no writer can be mid-write while we hold the lock
    with updating_progress(path) as progress:
        progress.record("a", 1, 1, True, seed=0)
    assert not fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json", "progress.json.lock"]
