"""Specification benchmarks: ``python -m benchmarks.specs [--quick]``.

Prints readable tables, then as its **last line** one JSON object with the headline
numbers (CI and the docs parse that line). Everything runs on one thread so numbers are
comparable with the original package's measurements (learnware-reference §9.2:
``generate_rkme_table_spec`` n=5,000, d=20, K=100 took 0.11-0.17 s on one thread).

Sections
--------
* table: RKME for tables (``table_rkme_s``, ``table_rkme_s_by_n``,
  ``mmd2_ratio_vs_original``, plus a few extras).
* text: RKME for text, 1,000 short texts including MiniLM encoding
  (``text_rkme_s``, plus ``text_encode_s``, ``text_rkme_fit_only_s``,
  ``text_encoder_load_s``); see ``benchmarks/text_specs.py``.
* image: to be added by its owner — write a ``bench_<kind>(quick) -> dict``
  function and append it to ``SECTIONS``; its keys go into the JSON line.
"""

from __future__ import annotations

import os

# One thread for BLAS/OpenMP: must be set before numpy is imported (threadpoolctl,
# if installed, additionally enforces it at run time; see _timing.single_thread).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from functools import partial  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from benchmarks import image_specs  # noqa: E402
from benchmarks._shared import OFFICIAL  # noqa: E402
from benchmarks._timing import single_thread, time_call  # noqa: E402
from benchmarks.text_specs import bench_text  # noqa: E402
from learnware_core.kernels import rbf_kernel  # noqa: E402
from learnware_core.specification.rkme import (  # noqa: E402
    RKMETableSpecification,
    pack_specs,
    solve_simplex_qp,
)

ORIGINAL_TABLE_RKME_S = (
    0.114,
    0.173,
)  # learnware 0.4.0.post1, 1 thread, reference §9.2


def _table_data(n: int, d: int = 20, seed: int = 0) -> np.ndarray:
    """Five Gaussian blobs with an offset, like the reference's synthetic tasks."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=3.0, size=(5, d)) + 4.0
    X: np.ndarray = centers[rng.integers(5, size=n)] + rng.normal(size=(n, d))
    return X


def _table(rows: Sequence[tuple[str, ...]], header: tuple[str, ...]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header), line, *(fmt.format(*r) for r in rows)])


def _kmeans_qp_baseline(X: np.ndarray, k: int, gamma: float) -> float | None:
    """MMD^2 of the original's effective algorithm (k-means centroids + simplex QP).

    Its three z-steps move points by ~1e-5 relative (reference §3.1), so k-means +
    QP is what it produces. Needs scikit-learn; returns None without it.
    """
    try:
        from sklearn.cluster import KMeans
    except ImportError:  # pragma: no cover
        return None
    km = KMeans(
        n_clusters=k, init="random", n_init=1, max_iter=100, tol=1e-4, random_state=0
    )
    z = km.fit(X).cluster_centers_
    c = rbf_kernel(z, X, gamma=gamma).mean(axis=1)
    beta = solve_simplex_qp(rbf_kernel(z, gamma=gamma), c)
    spec = RKMETableSpecification.from_dict(
        {"z": z.tolist(), "beta": beta.tolist(), "gamma": gamma}
    )
    return spec.mmd_squared_to_data(X)


def _real_tables() -> list[tuple[str, np.ndarray]]:
    """Real tables bundled with scikit-learn, standardised per column."""
    from sklearn import datasets

    out = []
    for name in ("breast_cancer", "wine", "diabetes"):
        X = getattr(datasets, f"load_{name}")().data.astype(np.float64)
        out.append((name, (X - X.mean(axis=0)) / X.std(axis=0)))
    return out


def _fixture_ratios() -> list[tuple[int, float, float]]:
    """(fixture, ours, original) squared MMD to own data on the official fixtures."""
    folder = OFFICIAL / "rkme_table"
    expected_file = folder / "expected.json"
    if not expected_file.is_file():
        return []
    expected = json.loads(expected_file.read_text())
    out = []
    for row in expected["self_to_data"]:
        i = int(row["spec"])
        original = json.loads((folder / f"stat_{i}.json").read_text())
        X = np.load(folder / f"data_{i}.npy")
        ours = RKMETableSpecification(
            gamma=float(original["gamma"]),
            n_points=len(original["z"]),
            random_state=0,
        ).fit(X)
        out.append((i, ours.mmd_squared_to_data(X), float(row["mmd2_to_own_data"])))
    return out


def bench_table(quick: bool) -> dict[str, Any]:
    """RKME for tables: speed at the reference size, scaling in n, quality."""
    results: dict[str, Any] = {}
    repeat = 5 if quick else 11

    # -- headline: n=5,000, d=20, K=100, gamma=0.1
    X = _table_data(5000)
    timing = time_call(
        lambda: RKMETableSpecification(random_state=0).fit(X), repeat=repeat
    )
    spec = RKMETableSpecification(random_state=0).fit(X)
    herd = RKMETableSpecification(max_iter=0, random_state=0).fit(X)
    rng = np.random.default_rng(0)
    random_pts = RKMETableSpecification.from_dict(
        {
            "z": X[rng.choice(len(X), 100, replace=False)].tolist(),
            "beta": [0.01] * 100,
            "gamma": 0.1,
        }
    )
    quality = [
        ("ours (herding + 10 z-steps + exact beta)", spec.mmd_squared_to_data(X)),
        ("ours, herding + exact beta only", herd.mmd_squared_to_data(X)),
        ("100 random rows, uniform beta", random_pts.mmd_squared_to_data(X)),
    ]
    kmeans = None if quick else _kmeans_qp_baseline(X, 100, 0.1)
    if kmeans is not None:
        quality.append(("original's algorithm (k-means + QP)", kmeans))

    lo, hi = ORIGINAL_TABLE_RKME_S
    print("\n== RKME table, n=5,000, d=20, K=100, gamma=0.1, one thread ==")
    print(
        _table(
            [
                ("ours", f"{timing.best:.4f}", f"{timing.median:.4f}"),
                ("original (reference §9.2)", f"{lo:.3f}", f"{hi:.3f} (max)"),
                (
                    "speed-up (original / ours median)",
                    "",
                    f"{lo / timing.median:.1f}x+",
                ),
            ],
            ("fit", "best s", "median s"),
        )
    )
    print()
    print(_table([(name, f"{v:.6f}") for name, v in quality], ("method", "MMD^2")))
    results["table_rkme_s"] = round(timing.median, 5)
    results["table_rkme_best_s"] = round(timing.best, 5)
    results["table_rkme_mmd2"] = quality[0][1]
    if kmeans is not None:
        results["table_rkme_mmd2_original_algorithm"] = kmeans

    # -- scaling in n
    sizes = [1000, 5000, 20000] if quick else [1000, 2000, 5000, 10000, 20000, 50000]
    sizes.append(100_000)
    by_n: dict[str, float] = {}
    rows = []
    for n in sizes:
        Xn = _table_data(n, seed=1)
        t = time_call(
            partial(RKMETableSpecification(random_state=0).fit, Xn),
            repeat=3 if n >= 50_000 else 5,
        )
        by_n[str(n)] = round(t.median, 5)
        rows.append((f"{n:,}", f"{t.median:.4f}", f"{1e6 * t.median / n:.2f}"))
    print("\n== RKME table fit time vs n (d=20, K=100) ==")
    print(_table(rows, ("n", "median s", "us per row")))
    results["table_rkme_s_by_n"] = by_n

    # -- quality on the official fixtures
    ratios = _fixture_ratios()
    if ratios:
        print("\n== Squared MMD to own data, official fixtures (same K, gamma) ==")
        print(
            _table(
                [
                    (str(i), f"{o:.6f}", f"{t:.6f}", f"{o / t:.3f}")
                    for i, o, t in ratios
                ],
                ("fixture", "ours", "original", "ours/original"),
            )
        )
        results["mmd2_ratio_vs_original"] = round(max(o / t for _, o, t in ratios), 4)
    else:
        print("\n(official fixtures not found; set BMW_SHARED_DIR)")
        results["mmd2_ratio_vs_original"] = None

    # -- quality on real tables (scikit-learn's bundled data sets, standardised)
    real_rows: list[tuple[str, ...]] = []
    worst = 0.0
    for name, X in _real_tables():
        ours = RKMETableSpecification(n_points=30, random_state=0).fit(X)
        theirs = _kmeans_qp_baseline(X, 30, 0.1)
        if theirs is None:
            continue
        ratio = ours.mmd_squared_to_data(X) / theirs
        worst = max(worst, ratio)
        real_rows.append(
            (
                name,
                f"{X.shape[0]}x{X.shape[1]}",
                f"{ours.mmd_squared_to_data(X):.6f}",
                f"{theirs:.6f}",
                f"{ratio:.3f}",
            )
        )
    if real_rows:
        print("\n== Squared MMD to own data, real tables (K=30, gamma=0.1) ==")
        header = ("data set", "n x d", "ours", "original's alg.", "ratio")
        print(_table(real_rows, header))
        results["real_table_mmd2_ratio_vs_original"] = round(worst, 4)

    # -- comparison costs (search)
    a = RKMETableSpecification(random_state=0).fit(_table_data(2000, seed=2))
    t_dist = time_call(lambda: a.dist(spec), repeat=20)
    many = [
        RKMETableSpecification(max_iter=0, random_state=s).fit(
            _table_data(400, seed=10 + s)
        )
        for s in range(50 if quick else 200)
    ]
    packed = pack_specs(many)
    t_packed = time_call(lambda: packed.mmd_squared(a), repeat=10)
    print("\n== Comparison (K=100, d=20) ==")
    print(
        _table(
            [
                ("dist, one pair", f"{1e3 * t_dist.median:.3f}"),
                (
                    f"packed MMD^2, 1 query vs {len(many)} specs",
                    f"{1e3 * t_packed.median:.3f}",
                ),
            ],
            ("operation", "median ms"),
        )
    )
    results["table_dist_ms"] = round(1e3 * t_dist.median, 4)
    results["table_packed_mmd_ms_per_spec"] = round(
        1e3 * t_packed.median / len(many), 5
    )
    return results


# Image / text owners: add bench_image / bench_text here (each returns its JSON keys).
SECTIONS: list[tuple[str, Callable[[bool], dict[str, Any]]]] = [
    ("table", bench_table),
    ("text", bench_text),
    ("image", image_specs.run),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="smaller sizes, fewer repeats"
    )
    args = parser.parse_args(argv)

    summary: dict[str, Any] = {}
    with single_thread() as how:
        print(
            f"threads: {how}; numpy {np.__version__}; python {sys.version.split()[0]}"
        )
        for _name, bench in SECTIONS:
            summary.update(bench(args.quick))
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
