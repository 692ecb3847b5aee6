"""Compare the reference solutions with scikit-learn on the bundled datasets.

For every reference solution that has a scikit-learn counterpart, this script fits both on the same
data in the same run (same train/test split, the same hyper-parameters where they correspond), and
prints one Markdown table: the exercise, the metric, our value, scikit-learn's, the fit time of each
(median of ``--repeats`` fits after one warm-up fit) and the ratio ours / scikit-learn's. The last
two columns say whether the targets are met:

* quality: accuracy (and R²) at most 1 point below scikit-learn's; k-means inertia and PCA
  reconstruction error at most 1 % above; PCA explained variance ratio within 0.001;
* fit time: at most 2x scikit-learn's for linear_regression, logistic_regression, svm, knn, kmeans
  and pca; at most 10x for decision_tree and random_forest.

Rows marked "(info)" are not targets: they show how close gradient descent gets to the objective
that scikit-learn's solver minimises exactly, and our PCA against scikit-learn's with the same
algorithm (``svd_solver="full"``; its default for tall data is an eigendecomposition of the
covariance matrix, which is faster).

Correspondences worth knowing:

* logistic_regression: ours minimises ``mean(log-loss) + (l2 / 2) * ||w||^2``; scikit-learn's
  ``LogisticRegression(C)`` minimises ``C * sum(log-loss) + 0.5 * ||w||^2``, the same objective
  for ``C = 1 / (l2 * n_samples)``.
* svm: our ``C`` multiplies the MEAN hinge loss, scikit-learn's the SUM, so ``LinearSVM(C=c)``
  corresponds to ``SVC(kernel="linear", C=c / n_samples)`` (the same objective, unregularised
  intercept; ``LinearSVC`` would also penalise the intercept).
* knn: ``fit`` only stores the data, so the time is that of ``fit`` + ``predict`` on the test set.
* kmeans: both use ``tol=1e-4``, but ours stops when no centre moves more than ``tol`` while
  scikit-learn's tolerance is relative to the data's variance; both run ``n_init=10`` k-means++
  starts. The inertia is computed the same way for both, from the fitted centres.
* Threads: scikit-learn's k-means uses OpenMP threads and numpy a threaded BLAS. By default both
  are limited to ONE thread (with threadpoolctl, a scikit-learn dependency) so that the times
  compare the algorithms, not the thread pools; ``--threads 0`` leaves the libraries' defaults.
* Timing: one warm-up fit of each, then ``--repeats`` fits of each, interleaved (ours, scikit-learn,
  ours, ...), so that a change of load on the machine hits both alike; the medians are shown.

Solutions are imported by path from ``solutions/<stage>/<name>.py`` (the stage folders are put on
``sys.path``, because random_forest imports decision_tree); a missing one is reported as "solution
not written yet" and skipped. The repository root is put on ``sys.path`` too, so the script runs
without installing the kit, e.g. with a scratch virtualenv that has scikit-learn::

    python bench/vs_sklearn.py [--repeats N] [--threads N] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from grader.support.data import standardize, train_test_indices  # noqa: E402
from grader.support.datasets import load_dataset  # noqa: E402

STAGES = ("01_foundations", "02_supervised", "03_unsupervised")
SPLIT_SEED = 0
TEST_FRACTION = 0.25


@dataclass
class Row:
    exercise: str
    metric: str
    ours: float | None = None
    theirs: float | None = None
    seconds_ours: float | None = None
    seconds_theirs: float | None = None
    time_limit: float | None = None  # largest allowed ratio ours / scikit-learn's
    quality_ok: bool | None = None  # None: not a target
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.seconds_ours is None or not self.seconds_theirs:
            return None
        return self.seconds_ours / self.seconds_theirs


# ---------------------------------------------------------------------------------------------------
# helpers


def load_solution(name: str) -> ModuleType | None:
    """Import solutions/<stage>/<name>.py by path; None if no stage has that file yet."""
    for stage in STAGES:
        folder = ROOT / "solutions" / stage
        if str(folder) not in sys.path:
            sys.path.insert(1, str(folder))
    for stage in STAGES:
        path = ROOT / "solutions" / stage / f"{name}.py"
        if path.exists():
            if name in sys.modules and getattr(sys.modules[name], "__file__", None) == str(path):
                return sys.modules[name]
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module  # so `from decision_tree import ...` finds this very module
            spec.loader.exec_module(module)
            return module
    return None


def time_pair(run_ours: Callable[[], object], run_theirs: Callable[[], object], repeats: int):
    """Median wall time of `repeats` calls of each, interleaved (ours, theirs, ours, ...) after one
    warm-up call of each, so that a change of machine load hits both alike.

    Returns (seconds_ours, seconds_theirs, last result of ours, last result of theirs).
    """
    results = [run_ours(), run_theirs()]
    times: list[list[float]] = [[], []]
    for _ in range(repeats):
        for i, run in enumerate((run_ours, run_theirs)):
            start = time.perf_counter()
            results[i] = run()
            times[i].append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1]), results[0], results[1]


def split(name: str, scale: bool = False):
    """The bundled dataset `name`, split 75/25 with a fixed seed (the same split for both libraries)."""
    data = load_dataset(name)
    train, test = train_test_indices(np.random.default_rng(SPLIT_SEED), len(data.target), TEST_FRACTION)
    X_train, X_test = data.data[train], data.data[test]
    if scale:
        X_train, X_test = standardize(X_train, X_test)
    return X_train, X_test, data.target[train], data.target[test]


def accuracy(model, X, y) -> float:
    return float(np.mean(np.asarray(model.predict(X)) == y))


def objective_row(exercise: str, ours: float, theirs: float) -> Row:
    """An (info) row: both models' value of our training objective, and how far ours is above."""
    gap = (ours - theirs) / abs(theirs)
    return Row(exercise, "(info) training objective, lower is better", ours, theirs,
               note=f"ours {gap:+.1e} relative")


def not_worse_by(ours: float, theirs: float, points: float = 0.01) -> bool:
    return ours >= theirs - points


# ---------------------------------------------------------------------------------------------------
# one function per exercise: (our module, repeats) -> rows


def bench_linear_regression(mod, repeats):
    from sklearn.linear_model import LinearRegression

    X, X_test, y, y_test = split("diabetes")
    t_ours, t_sk, ours, sk = time_pair(
        lambda: mod.LinearRegression().fit(X, y),
        lambda: LinearRegression().fit(X, y),
        repeats,
    )
    r2_ours, r2_sk = float(ours.score(X_test, y_test)), float(sk.score(X_test, y_test))
    return [Row("linear_regression", "test R² (diabetes)", r2_ours, r2_sk, t_ours, t_sk, 2.0,
                not_worse_by(r2_ours, r2_sk))]


def bench_logistic_regression(mod, repeats):
    from sklearn.linear_model import LogisticRegression

    X, X_test, y, y_test = split("breast_cancer", scale=True)
    l2, n = 0.01, len(y)
    t_ours, t_sk, ours, sk = time_pair(
        lambda: mod.LogisticRegression(learning_rate=0.5, n_iters=500, l2=l2).fit(X, y),
        lambda: LogisticRegression(C=1.0 / (l2 * n)).fit(X, y),
        repeats,
    )

    def objective(w, b):  # mean log-loss + (l2 / 2) ||w||^2, with t = 1 for class 1
        z = X @ w + b
        return float(np.mean(np.logaddexp(0.0, z) - (y == 1) * z) + 0.5 * l2 * w @ w)

    acc_ours, acc_sk = accuracy(ours, X_test, y_test), accuracy(sk, X_test, y_test)
    return [
        Row("logistic_regression", "test accuracy (breast cancer, standardised)", acc_ours, acc_sk,
            t_ours, t_sk, 2.0, not_worse_by(acc_ours, acc_sk)),
        objective_row("logistic_regression", objective(ours.coef_, ours.intercept_),
                      objective(sk.coef_[0], sk.intercept_[0])),
    ]


def bench_decision_tree(mod, repeats):
    from sklearn.tree import DecisionTreeClassifier

    X, X_test, y, y_test = split("iris")
    params = dict(max_depth=None, min_samples_split=2, criterion="gini", max_features=None, random_state=0)
    t_ours, t_sk, ours, sk = time_pair(
        lambda: mod.DecisionTreeClassifier(**params).fit(X, y),
        lambda: DecisionTreeClassifier(**params).fit(X, y),
        repeats,
    )
    acc_ours, acc_sk = accuracy(ours, X_test, y_test), accuracy(sk, X_test, y_test)
    return [Row("decision_tree", "test accuracy (iris)", acc_ours, acc_sk, t_ours, t_sk, 10.0,
                not_worse_by(acc_ours, acc_sk))]


def bench_random_forest(mod, repeats):
    from sklearn.ensemble import RandomForestClassifier

    X, X_test, y, y_test = split("wine")
    params = dict(n_estimators=100, max_depth=None, min_samples_split=2, max_features="sqrt", random_state=0)
    t_ours, t_sk, ours, sk = time_pair(
        lambda: mod.RandomForestClassifier(**params).fit(X, y),
        lambda: RandomForestClassifier(**params, n_jobs=1).fit(X, y),
        repeats,
    )
    acc_ours, acc_sk = accuracy(ours, X_test, y_test), accuracy(sk, X_test, y_test)
    return [Row("random_forest", "test accuracy (wine, 100 trees)", acc_ours, acc_sk, t_ours, t_sk, 10.0,
                not_worse_by(acc_ours, acc_sk))]


def bench_svm(mod, repeats):
    from sklearn.svm import SVC

    X, X_test, y, y_test = split("breast_cancer", scale=True)
    C, n = 10.0, len(y)
    t_ours, t_sk, ours, sk = time_pair(
        lambda: mod.LinearSVM(C=C, learning_rate=0.01, n_iters=500).fit(X, y),
        lambda: SVC(kernel="linear", C=C / n).fit(X, y),
        repeats,
    )

    def objective(w, b):  # 0.5 ||w||^2 + C * mean hinge loss, with t = +1 for class 1
        t = np.where(y == 1, 1.0, -1.0)
        return float(0.5 * w @ w + C * np.mean(np.maximum(0.0, 1.0 - t * (X @ w + b))))

    acc_ours, acc_sk = accuracy(ours, X_test, y_test), accuracy(sk, X_test, y_test)
    return [
        Row("svm", "test accuracy (breast cancer, standardised)", acc_ours, acc_sk, t_ours, t_sk, 2.0,
            not_worse_by(acc_ours, acc_sk), note="vs SVC(kernel='linear', C=10/n)"),
        objective_row("svm", objective(ours.coef_, ours.intercept_), objective(sk.coef_[0], sk.intercept_[0])),
    ]


def bench_knn(mod, repeats):
    from sklearn.neighbors import KNeighborsClassifier

    X, X_test, y, y_test = split("iris")
    t_ours, t_sk, pred_ours, pred_sk = time_pair(
        lambda: mod.KNeighborsClassifier(n_neighbors=5).fit(X, y).predict(X_test),
        lambda: KNeighborsClassifier(n_neighbors=5).fit(X, y).predict(X_test),
        repeats,
    )
    acc_ours, acc_sk = float(np.mean(pred_ours == y_test)), float(np.mean(pred_sk == y_test))
    return [Row("knn", "test accuracy (iris, k=5)", acc_ours, acc_sk, t_ours, t_sk, 2.0,
                not_worse_by(acc_ours, acc_sk), note="time: fit + predict")]


def bench_kmeans(mod, repeats):
    from sklearn.cluster import KMeans

    X = load_dataset("digits").data
    params = dict(n_clusters=10, tol=1e-4, n_init=10, random_state=0)
    t_ours, t_sk, ours, sk = time_pair(
        lambda: mod.KMeans(max_iters=300, **params).fit(X),
        lambda: KMeans(max_iter=300, **params).fit(X),
        repeats,
    )

    def inertia(centers):  # sum of squared distances to the nearest centre
        d2 = ((X[:, None, :] - np.asarray(centers)[None, :, :]) ** 2).sum(axis=2)
        return float(d2.min(axis=1).sum())

    in_ours, in_sk = inertia(ours.cluster_centers_), inertia(sk.cluster_centers_)
    return [Row("kmeans", "inertia (digits, k=10), lower is better", in_ours, in_sk, t_ours, t_sk, 2.0,
                in_ours <= 1.01 * in_sk)]


def bench_pca(mod, repeats):
    from sklearn.decomposition import PCA

    X, X_test, _, _ = split("digits")
    k = 10
    t_ours, t_sk, ours, sk = time_pair(
        lambda: mod.PCA(n_components=k).fit(X),
        lambda: PCA(n_components=k).fit(X),
        repeats,
    )

    def reconstruction_error(model):  # mean squared error on the test set
        return float(np.mean((model.inverse_transform(model.transform(X_test)) - X_test) ** 2))

    evr_ours, evr_sk = float(ours.explained_variance_ratio_.sum()), float(sk.explained_variance_ratio_.sum())
    err_ours, err_sk = reconstruction_error(ours), reconstruction_error(sk)
    # scikit-learn's default solver for a tall X is an eigendecomposition of the covariance matrix;
    # ours is an SVD of the centred data, like its svd_solver="full": time that too, for information.
    t_ours_full, t_full, _, full = time_pair(
        lambda: mod.PCA(n_components=k).fit(X),
        lambda: PCA(n_components=k, svd_solver="full").fit(X),
        repeats,
    )
    return [
        Row("pca", f"explained variance ratio, {k} components (digits)", evr_ours, evr_sk, t_ours, t_sk, 2.0,
            abs(evr_ours - evr_sk) <= 1e-3),
        Row("pca", "test reconstruction MSE, lower is better", err_ours, err_sk,
            quality_ok=err_ours <= 1.01 * err_sk),
        Row("pca", "(info) explained variance ratio vs PCA(svd_solver='full'), the same algorithm",
            evr_ours, float(full.explained_variance_ratio_.sum()), t_ours_full, t_full),
    ]


BENCHMARKS = {
    "linear_regression": bench_linear_regression,
    "logistic_regression": bench_logistic_regression,
    "decision_tree": bench_decision_tree,
    "random_forest": bench_random_forest,
    "svm": bench_svm,
    "knn": bench_knn,
    "kmeans": bench_kmeans,
    "pca": bench_pca,
}


# ---------------------------------------------------------------------------------------------------
# report


def machine_description() -> list[str]:
    import sklearn

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [
        f"CPU: {cpu}; {os.cpu_count()} logical cores",
        f"Python {platform.python_version()}, numpy {np.__version__}, scikit-learn {sklearn.__version__}",
    ]


def _value(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:.4f}" if abs(x) < 1000 else f"{x:.1f}"


def _ms(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1000:.2f} ms"


def _check(ok: bool | None) -> str:
    return "" if ok is None else ("yes" if ok else "NO")


def format_table(rows: list[Row]) -> str:
    header = ["exercise", "metric", "ours", "scikit-learn", "fit time ours", "fit time sklearn", "ratio",
              "quality target met", "time target met"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        ratio = row.ratio
        time_ok = None if ratio is None or row.time_limit is None else ratio <= row.time_limit
        time_cell = _check(time_ok) + (f" (≤ {row.time_limit:g}x)" if time_ok is not None else "")
        metric = row.metric + (f" — {row.note}" if row.note else "")
        cells = [row.exercise, metric, _value(row.ours), _value(row.theirs), _ms(row.seconds_ours),
                 _ms(row.seconds_theirs), "" if ratio is None else f"{ratio:.2f}x", _check(row.quality_ok), time_cell]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed fits per model, after one warm-up (default 5)")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS/OpenMP threads for both libraries (default 1; 0: the libraries' defaults)")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), metavar="NAME",
                        help=f"run only these exercises (of {', '.join(BENCHMARKS)})")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if importlib.util.find_spec("sklearn") is None:
        parser.exit(2, "scikit-learn is needed: pip install -e \".[bench]\"\n")

    from contextlib import nullcontext

    from threadpoolctl import threadpool_limits

    # Load every native library (BLAS, OpenMP) BEFORE limiting threads: threadpoolctl only limits the
    # libraries already loaded, and scikit-learn's OpenMP runtime comes with its first estimator.
    for module in ("cluster", "decomposition", "ensemble", "linear_model", "neighbors", "svm", "tree"):
        importlib.import_module(f"sklearn.{module}")

    rows: list[Row] = []
    with threadpool_limits(limits=args.threads) if args.threads > 0 else nullcontext():
        for name in [name for name in BENCHMARKS if not args.only or name in args.only]:
            module = load_solution(name)
            if module is None:
                rows.append(Row(name, "solution not written yet"))
                continue
            print(f"running {name} ...", file=sys.stderr, flush=True)
            rows.extend(BENCHMARKS[name](module, args.repeats))

    print(f"Split: {int((1 - TEST_FRACTION) * 100)}/{int(TEST_FRACTION * 100)} train/test, seed {SPLIT_SEED}; "
          f"fit times: median of {args.repeats} interleaved fits after one warm-up; "
          f"threads per library: {args.threads if args.threads > 0 else 'library default'}.")
    for line in machine_description():
        print(line)
    print()
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
