"""Export the bundled teaching datasets to ``datasets/`` (maintainer-only).

This script is run once by a maintainer, never by students or the grader.
It needs scikit-learn, which is a maintainer tool and not a dependency of
the kit: install it in a scratch virtualenv outside the repository, e.g.::

    python3 -m venv /tmp/dsvenv
    /tmp/dsvenv/bin/pip install scikit-learn numpy
    /tmp/dsvenv/bin/python scripts/export_datasets.py

It writes

* ``datasets/diabetes.csv`` from ``sklearn.datasets.load_diabetes(scaled=False)``
  (442 rows, 10 features, then ``target``);
* ``datasets/breast_cancer.csv`` from ``sklearn.datasets.load_breast_cancer()``
  (569 rows, 30 features with spaces replaced by underscores, then ``target``,
  0 = malignant, 1 = benign);
* ``datasets/iris.csv`` from ``sklearn.datasets.load_iris()`` (150 rows,
  4 features renamed ``sepal_length_cm`` etc., then ``target``, 0 = setosa,
  1 = versicolor, 2 = virginica);
* ``datasets/wine.csv`` from ``sklearn.datasets.load_wine()`` (178 rows,
  13 features, ``/`` in a name replaced by ``_``, then ``target`` 0/1/2,
  one class per cultivar);
* ``datasets/digits.csv`` from ``sklearn.datasets.load_digits()`` (1797 rows,
  64 pixel counts 0..16 written as integers, named ``pixel_r_c``, then
  ``target`` 0..9);
* ``datasets/checksums.json`` with the SHA-256 of each CSV file, which
  ``grader/support/datasets.py`` verifies on load.

Floats are written with ``repr`` (shortest round-trip form), so parsing the
CSV gives back exactly the arrays scikit-learn returns. Lines end in ``\\n``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine

DATASETS_DIR = Path(__file__).resolve().parents[1] / "datasets"
CSV_FILES = ("breast_cancer.csv", "diabetes.csv", "digits.csv", "iris.csv", "wine.csv")


def _format_value(value: object) -> str:
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return repr(float(value))


def _write_csv(path: Path, feature_names: list[str], data: np.ndarray, target: np.ndarray) -> None:
    if data.shape[0] != target.shape[0]:
        raise ValueError(f"{path.name}: data and target lengths differ")
    lines = [",".join([*feature_names, "target"])]
    for row, y in zip(data.tolist(), target.tolist()):
        lines.append(",".join([*(_format_value(v) for v in row), _format_value(y)]))
    with path.open("w", encoding="ascii", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


def _clean_name(name: str) -> str:
    """'sepal length (cm)' -> 'sepal_length_cm'; 'od280/od315_x' -> 'od280_od315_x'."""
    for old, new in ((" (", "_"), (")", ""), (" ", "_"), ("/", "_")):
        name = name.replace(old, new)
    return name


def _as_int_matrix(values: np.ndarray) -> np.ndarray:
    as_int = np.asarray(values).astype(np.int64)
    if not np.array_equal(as_int, values):
        raise ValueError("expected integer-valued data")
    return as_int


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    DATASETS_DIR.mkdir(parents=True, exist_ok=True)

    diabetes = load_diabetes(scaled=False)
    _write_csv(
        DATASETS_DIR / "diabetes.csv",
        [str(n) for n in diabetes.feature_names],
        np.asarray(diabetes.data, dtype=np.float64),
        np.asarray(diabetes.target, dtype=np.float64),
    )

    cancer = load_breast_cancer()
    _write_csv(
        DATASETS_DIR / "breast_cancer.csv",
        [str(n).replace(" ", "_") for n in cancer.feature_names],
        np.asarray(cancer.data, dtype=np.float64),
        np.asarray(cancer.target, dtype=np.int64),
    )

    iris = load_iris()
    _write_csv(
        DATASETS_DIR / "iris.csv",
        [_clean_name(str(n)) for n in iris.feature_names],
        np.asarray(iris.data, dtype=np.float64),
        np.asarray(iris.target, dtype=np.int64),
    )

    wine = load_wine()
    _write_csv(
        DATASETS_DIR / "wine.csv",
        [_clean_name(str(n)) for n in wine.feature_names],
        np.asarray(wine.data, dtype=np.float64),
        np.asarray(wine.target, dtype=np.int64),
    )

    digits = load_digits()
    _write_csv(
        DATASETS_DIR / "digits.csv",
        [str(n) for n in digits.feature_names],
        _as_int_matrix(digits.data),
        np.asarray(digits.target, dtype=np.int64),
    )

    checksums_file = DATASETS_DIR / "checksums.json"
    checksums = json.loads(checksums_file.read_text(encoding="ascii")) if checksums_file.exists() else {}
    checksums.update({name: _sha256(DATASETS_DIR / name) for name in CSV_FILES})  # other entries (listings) stay
    with (DATASETS_DIR / "checksums.json").open("w", encoding="ascii", newline="\n") as fh:
        fh.write(json.dumps(checksums, sort_keys=True, indent=2) + "\n")
    for name, digest in sorted(checksums.items()):
        print(f"{digest}  {name}")


if __name__ == "__main__":
    main()
