"""The bundled datasets load with the documented shapes, dtypes and classes; the loader verifies
checksums (on a temporary copy, never the real files) and hands out copies."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import shutil

import numpy as np
import pytest

from grader.roadmap import KIT_ROOT, load_roadmap
from grader.support import datasets as ds

# record datasets (JSON lines) -> number of records
RECORDS = {"listings": 400}
LISTINGS_FIELDS = {"id", "city", "rooms", "area_m2", "floor", "has_balcony", "description", "price"}

# name -> (rows, features, classes or None for a regression target)
EXPECTED = {
    "diabetes": (442, 10, None),
    "breast_cancer": (569, 30, [0, 1]),
    "iris": (150, 4, [0, 1, 2]),
    "wine": (178, 13, [0, 1, 2]),
    "digits": (1797, 64, list(range(10))),
}


@pytest.fixture
def datasets_copy(tmp_path, monkeypatch):
    """A temporary copy of datasets/ that the loader reads instead of the real one."""
    copy = tmp_path / "datasets"
    shutil.copytree(ds.DATASETS_DIR, copy)
    monkeypatch.setattr(ds, "DATASETS_DIR", copy)
    ds._load_cached.cache_clear()
    ds._load_records_cached.cache_clear()
    yield copy
    ds._load_cached.cache_clear()
    ds._load_records_cached.cache_clear()


def test_every_registered_dataset_is_documented_here():
    assert ds.available_datasets() == sorted(EXPECTED)


def test_every_dataset_named_in_the_roadmap_is_available():
    named = {name for exercise in load_roadmap().exercises for name in exercise.datasets}
    available = set(ds.available_datasets()) | set(ds.available_record_datasets())
    assert named <= available, named - available


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_dataset_has_documented_shape_dtypes_and_classes(name):
    rows, features, classes = EXPECTED[name]
    d = ds.load_dataset(name)
    assert d.name == name
    assert d.data.shape == (rows, features) and d.data.dtype == np.float64
    assert d.target.shape == (rows,)
    assert np.isfinite(d.data).all()
    assert len(d.feature_names) == features == len(set(d.feature_names))
    assert all(n.replace("_", "").isalnum() for n in d.feature_names), d.feature_names
    if classes is None:
        assert d.target.dtype == np.float64 and np.isfinite(d.target).all()
    else:
        assert d.target.dtype == np.int64
        assert np.unique(d.target).tolist() == classes


def test_iris_classes_are_balanced_and_first_row_matches_fishers_table():
    d = ds.load_dataset("iris")
    assert np.bincount(d.target).tolist() == [50, 50, 50]
    assert d.feature_names == ("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm")
    assert d.data[0].tolist() == [5.1, 3.5, 1.4, 0.2] and d.target[0] == 0


def test_wine_class_counts_and_names():
    d = ds.load_dataset("wine")
    assert np.bincount(d.target).tolist() == [59, 71, 48]
    assert d.feature_names[0] == "alcohol" and d.feature_names[-1] == "proline"
    assert "od280_od315_of_diluted_wines" in d.feature_names


def test_digits_are_8x8_images_of_block_counts():
    d = ds.load_dataset("digits")
    assert np.array_equal(d.data, np.round(d.data))
    assert d.data.min() == 0 and d.data.max() == 16
    assert d.feature_names[:2] == ("pixel_0_0", "pixel_0_1") and d.feature_names[-1] == "pixel_7_7"
    assert np.bincount(d.target, minlength=10).min() >= 170
    # sample 0 is a zero: its centre block column is empty, its outline is not
    image = d.data[0].reshape(8, 8)
    assert d.target[0] == 0 and image[3:5, 3:5].sum() < image[3:5, 1:3].sum()


def test_checksums_cover_exactly_the_data_files_and_match():
    recorded = json.loads((ds.DATASETS_DIR / "checksums.json").read_text(encoding="utf-8"))
    csv_files = sorted(p.name for p in ds.DATASETS_DIR.glob("*.csv"))
    jsonl_files = sorted(p.name for p in ds.DATASETS_DIR.glob("*.jsonl"))
    assert csv_files == sorted(f"{n}.csv" for n in EXPECTED)
    assert jsonl_files == sorted(f"{n}.jsonl" for n in RECORDS)
    assert sorted(recorded) == sorted(csv_files + jsonl_files)
    for name in csv_files + jsonl_files:
        raw = (ds.DATASETS_DIR / name).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == recorded[name], name
        assert raw.endswith(b"\n") and b"\r" not in raw and raw.isascii(), name


@pytest.mark.parametrize("name", ["iris", "digits"])
def test_modified_file_is_reported_by_its_checksum(datasets_copy, name):
    path = datasets_copy / f"{name}.csv"
    raw = bytearray(path.read_bytes())
    last_digit = max(i for i, b in enumerate(raw) if chr(b).isdigit())
    raw[last_digit] = ord("1") if raw[last_digit] != ord("1") else ord("2")  # still a valid CSV
    path.write_bytes(bytes(raw))
    with pytest.raises(RuntimeError, match="checksum mismatch") as info:
        ds.load_dataset(name)
    assert f"{name}.csv" in str(info.value)


def test_unmodified_copy_loads_and_missing_checksum_is_an_error(datasets_copy):
    assert ds.load_dataset("wine").data.shape == (178, 13)
    checksums = json.loads((datasets_copy / "checksums.json").read_text(encoding="utf-8"))
    del checksums["wine.csv"]
    (datasets_copy / "checksums.json").write_text(json.dumps(checksums), encoding="utf-8")
    ds._load_cached.cache_clear()
    with pytest.raises(RuntimeError, match="wine.csv"):
        ds.load_dataset("wine")


def test_unknown_name_lists_the_available_datasets():
    with pytest.raises(ValueError, match="iris") as info:
        ds.load_dataset("mnist")
    assert "mnist" in str(info.value)


@pytest.mark.parametrize("name", ["iris", "diabetes"])
def test_loader_returns_fresh_writable_copies(name):
    first = ds.load_dataset(name)
    expected_data, expected_target = first.data.copy(), first.target.copy()
    first.data[:] = -1
    first.target[:] = 7
    second = ds.load_dataset(name)
    assert np.array_equal(second.data, expected_data) and np.array_equal(second.target, expected_target)
    assert not np.shares_memory(first.data, second.data)
    assert not np.shares_memory(first.target, second.target)
    assert second.data.flags.writeable and second.target.flags.writeable


# --- record datasets (JSON lines) -------------------------------------------------------------------------
def test_every_record_dataset_is_documented_here():
    assert ds.available_record_datasets() == sorted(RECORDS)


def test_listings_have_the_documented_fields_and_mess():
    records = ds.load_records("listings")
    assert len(records) == RECORDS["listings"]
    assert all(isinstance(r, dict) and set(r) <= LISTINGS_FIELDS for r in records)
    assert [r["id"] for r in records] == [f"L{k:04d}" for k in range(1, 401)]
    assert all(type(r["price"]) is int and r["price"] > 0 and r["price"] % 5 == 0 for r in records)
    cities = {r.get("city") for r in records} - {None}
    assert len(cities) == 6 and all(isinstance(c, str) and c == c.strip() for c in cities)
    assert all(type(r["rooms"]) is int and 1 <= r["rooms"] <= 5 for r in records if r.get("rooms") is not None)
    assert all(type(r["floor"]) is int and 0 <= r["floor"] <= 8 for r in records if r.get("floor") is not None)
    assert all(type(r["has_balcony"]) is bool for r in records if r.get("has_balcony") is not None)
    assert all(isinstance(r["description"], str) for r in records if "description" in r)
    # every kind of mess the exercise must handle is there: absent, null, "", numeric strings, unparseable
    area = [r.get("area_m2", "<absent>") for r in records]
    assert {"<absent>", None, "", "n/a"} <= set(area)
    numeric_strings = [a for a in area if isinstance(a, str) and a not in ("<absent>", "", "n/a")]
    assert len(numeric_strings) > 20 and all(math.isfinite(float(a)) for a in numeric_strings)
    assert all(15.0 <= a <= 200.0 for a in area if type(a) is float)
    for field in ("city", "rooms", "floor", "has_balcony", "description"):
        assert any(field not in r for r in records), field
    assert any(r.get("description") == "" for r in records)
    assert any(r.get("description", "").isupper() for r in records)  # shouted: tokens must be lower-cased


def test_listings_file_is_exactly_what_the_script_writes():
    spec = importlib.util.spec_from_file_location("make_listings", KIT_ROOT / "scripts" / "make_listings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    raw = (ds.DATASETS_DIR / "listings.jsonl").read_bytes()
    assert module.listings_text().encode("ascii") == raw
    assert raw.endswith(b"\n") and b"\r" not in raw and raw.isascii()
    assert all(json.dumps(json.loads(line), sort_keys=True) == line for line in raw.decode("ascii").splitlines())


def test_modified_records_file_is_reported_by_its_checksum(datasets_copy):
    path = datasets_copy / "listings.jsonl"
    raw = path.read_bytes()
    digit = raw.index(b'"price": ') + len(b'"price": ')  # change one price, still valid JSON
    path.write_bytes(raw[:digit] + (b"9" if raw[digit:digit + 1] != b"9" else b"8") + raw[digit + 1:])
    with pytest.raises(RuntimeError, match="checksum mismatch") as info:
        ds.load_records("listings")
    assert "listings.jsonl" in str(info.value)


def test_records_loader_returns_fresh_copies(datasets_copy):
    first = ds.load_records("listings")
    expected = json.loads(json.dumps(first))
    first[0]["price"] = -1
    first[1].clear()
    del first[2:]
    assert ds.load_records("listings") == expected


def test_unknown_record_dataset_lists_the_available_ones():
    with pytest.raises(ValueError, match="listings") as info:
        ds.load_records("iris")
    assert "iris" in str(info.value)
