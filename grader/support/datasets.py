"""Loader for the small real datasets shipped in ``datasets/``.

Five datasets are available:

* ``"diabetes"``: regression, 442 x 10, float target;
* ``"breast_cancer"``: binary classification, 569 x 30, target 0/1;
* ``"iris"``: 3 classes, 150 x 4, target 0/1/2 (setosa, versicolor, virginica);
* ``"wine"``: 3 classes, 178 x 13, target 0/1/2 (three cultivars);
* ``"digits"``: 10 classes, 1797 x 64 (8 x 8 images, pixel values 0..16,
  row-major: column ``pixel_r_c`` is row r, column c), target 0..9.

Features are always float64, classification targets int64. Each CSV file is
checked against the SHA-256 recorded in ``datasets/checksums.json`` before
it is parsed, so a modified file is reported instead of silently used.
Provenance, citations and licenses are in ``datasets/README.md``.

One dataset is raw records rather than a matrix, for the feature-engineering
exercise; load it with :func:`load_records`:

* ``"listings"``: 400 made-up rental listings (``listings.jsonl``, one JSON
  object per line), messy like scraped data: fields may be absent, ``null``,
  ``""`` or numbers written as strings; ``price`` (the target) is always there.

It is checksummed like the CSV files.

Only the standard library and numpy are used.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["DATASETS_DIR", "Dataset", "available_datasets", "available_record_datasets", "load_dataset", "load_records"]

DATASETS_DIR = Path(__file__).resolve().parents[2] / "datasets"

_CHECKSUMS_FILE = "checksums.json"
# name -> (CSV file name, dtype of the target column)
_REGISTRY: dict[str, tuple[str, type]] = {
    "diabetes": ("diabetes.csv", np.float64),
    "breast_cancer": ("breast_cancer.csv", np.int64),
    "iris": ("iris.csv", np.int64),
    "wine": ("wine.csv", np.int64),
    "digits": ("digits.csv", np.int64),
}
# name -> JSON-lines file name (records: one JSON object per line)
_RECORDS_REGISTRY: dict[str, str] = {
    "listings": "listings.jsonl",
}


@dataclass(frozen=True)
class Dataset:
    """A loaded dataset.

    Attributes
    ----------
    name : str
        Dataset name, as passed to :func:`load_dataset`.
    data : numpy.ndarray
        Feature matrix, float64, shape ``(n_samples, n_features)``. For
        ``"digits"`` the values are whole numbers 0..16 and
        ``data[i].reshape(8, 8)`` is the image of sample ``i``.
    target : numpy.ndarray
        Target vector, shape ``(n_samples,)``; float64 for ``"diabetes"``,
        int64 for the classification datasets: ``"breast_cancer"``
        (0 = malignant, 1 = benign), ``"iris"`` (0 = setosa,
        1 = versicolor, 2 = virginica), ``"wine"`` (0/1/2 = cultivar) and
        ``"digits"`` (the digit 0..9).
    feature_names : tuple of str
        Column names of ``data``, in order.
    """

    name: str
    data: np.ndarray
    target: np.ndarray
    feature_names: tuple[str, ...]


def available_datasets() -> list[str]:
    """Return the names accepted by :func:`load_dataset`.

    Returns
    -------
    list of str
        Dataset names, sorted.
    """
    return sorted(_REGISTRY)


def _expected_checksum(filename: str) -> str:
    checksums_path = DATASETS_DIR / _CHECKSUMS_FILE
    with checksums_path.open("r", encoding="utf-8") as fh:
        checksums = json.load(fh)
    try:
        return str(checksums[filename])
    except KeyError:
        raise RuntimeError(f"{checksums_path} has no checksum for {filename!r}") from None


def _verified_bytes(filename: str) -> bytes:
    """The bytes of ``datasets/<filename>``, after checking them against the recorded SHA-256."""
    path = DATASETS_DIR / filename
    raw = path.read_bytes()
    actual = hashlib.sha256(raw).hexdigest()
    expected = _expected_checksum(filename)
    if actual != expected:
        raise RuntimeError(
            f"checksum mismatch for {path}: expected sha256 {expected}, got {actual}; "
            "the file was modified. Restore it (e.g. `git checkout -- datasets/`)."
        )
    return raw


@lru_cache(maxsize=None)
def _load_cached(name: str) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    filename, target_dtype = _REGISTRY[name]
    path = DATASETS_DIR / filename

    _verified_bytes(filename)  # checked before it is parsed

    with path.open("r", encoding="utf-8", newline="") as fh:
        header = fh.readline().strip().split(",")
    if not header or header[-1] != "target":
        raise RuntimeError(f"{path}: last header column must be 'target', got {header[-1:]}")

    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    if table.shape[1] != len(header):
        raise RuntimeError(f"{path}: {table.shape[1]} columns but {len(header)} header names")

    data = np.ascontiguousarray(table[:, :-1])
    target_col = table[:, -1]
    if target_dtype is np.int64:
        target = target_col.astype(np.int64)
        if not np.array_equal(target, target_col):
            raise RuntimeError(f"{path}: non-integer values in the target column")
    else:
        target = target_col.copy()
    data.setflags(write=False)
    target.setflags(write=False)
    return data, target, tuple(header[:-1])


def load_dataset(name: str) -> Dataset:
    """Load one of the bundled datasets.

    The CSV file is verified against ``datasets/checksums.json`` on first
    load; parsed arrays are cached, and each call returns fresh copies that
    the caller may modify freely.

    Parameters
    ----------
    name : str
        One of :func:`available_datasets`: ``"breast_cancer"``,
        ``"diabetes"``, ``"digits"``, ``"iris"`` or ``"wine"``.

    Returns
    -------
    Dataset
        The features, target and feature names.

    Examples
    --------
    >>> iris = load_dataset("iris")
    >>> iris.data.shape, iris.target.dtype
    ((150, 4), dtype('int64'))

    Raises
    ------
    ValueError
        If `name` is not an available dataset.
    RuntimeError
        If the CSV file does not match its recorded SHA-256 (it was modified)
        or is malformed.
    """
    if name not in _REGISTRY:
        raise ValueError(
            f"unknown dataset {name!r}; available datasets: {', '.join(available_datasets())}"
        )
    data, target, feature_names = _load_cached(name)
    return Dataset(name=name, data=data.copy(), target=target.copy(), feature_names=feature_names)


def available_record_datasets() -> list[str]:
    """Return the names accepted by :func:`load_records`.

    Returns
    -------
    list of str
        Names of the datasets shipped as records (JSON lines), sorted.
    """
    return sorted(_RECORDS_REGISTRY)


@lru_cache(maxsize=None)
def _load_records_cached(name: str) -> tuple[dict, ...]:
    filename = _RECORDS_REGISTRY[name]
    path = DATASETS_DIR / filename

    raw = _verified_bytes(filename)

    records = []
    for number, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        if not isinstance(record, dict):
            raise RuntimeError(f"{path}:{number}: expected a JSON object, got {type(record).__name__}")
        records.append(record)
    return tuple(records)


def load_records(name: str) -> list[dict]:
    """Load one of the bundled record datasets: a list of dicts, one per line of its JSON-lines file.

    The file is verified against ``datasets/checksums.json`` on first load;
    each call returns fresh copies of the records that the caller may modify
    freely. Fields keep their JSON types (str, int, float, bool, ``None``),
    and a field may be absent from some records.

    Parameters
    ----------
    name : str
        One of :func:`available_record_datasets`: ``"listings"``.

    Returns
    -------
    list of dict
        The records, in file order.

    Examples
    --------
    >>> listings = load_records("listings")
    >>> len(listings), sorted(listings[0])
    (400, ['area_m2', 'city', 'description', 'floor', 'has_balcony', 'id', 'price', 'rooms'])

    Raises
    ------
    ValueError
        If `name` is not an available record dataset.
    RuntimeError
        If the file does not match its recorded SHA-256 (it was modified)
        or a line is not a JSON object.
    """
    if name not in _RECORDS_REGISTRY:
        raise ValueError(
            f"unknown record dataset {name!r}; available record datasets: {', '.join(available_record_datasets())}"
        )
    return copy.deepcopy(list(_load_records_cached(name)))
