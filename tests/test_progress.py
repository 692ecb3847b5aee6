"""The progress record: atomic, locked, and never a crash on a bad file."""

import json
import multiprocessing

from grader.progress import load_progress, save_progress, updating_progress


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


def _record_many(path, name, count):
    for index in range(count):
        with updating_progress(path) as progress:
            progress.record(f"{name}-{index}", index, count, False, seed=index)


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "progress.json"
    save_progress(load_progress(path))
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_record_many, args=(path, name, 25)) for name in ("watch", "manual")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
    assert len(load_progress(path).exercises) == 50
