"""Image RKME benchmark: ``run(quick) -> dict`` (wired into ``benchmarks.specs``).

Headline: fitting :class:`RKMEImageSpecification` on 5,000 images with K=50 on **two**
torch threads (the target is < 60 s; the original needs hours on a CPU, learnware
reference §3.2), and the time to compare two specifications (the original's exact
NNGP distance takes 0.15-0.33 s per pair).

Data: Fashion-MNIST from ``/usr/share/datasets/fashion-mnist/`` when the Debian
package ``dataset-fashion-mnist`` is installed, else synthetic class-conditional
colour images (gratings + blobs) from a seeded ``numpy`` Generator.

Run alone with ``python -m benchmarks.image_specs [--quick]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._timing import time_call
from learnware_core.specification.image import RKMEImageSpecification

FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")
ORIGINAL_PAIR_DIST_S = (0.15, 0.33)  # exact NNGP dist, K=50 (reference §3.2)
THREADS = 2


def synthetic_images(
    n: int, *, classes: tuple[int, ...] = tuple(range(10)), seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Class-conditional uint8 colour images, shape (n, 32, 32, 3) (channels last).

    Class ``c`` is an oriented sinusoidal grating (orientation and frequency set by
    ``c``, random phase) tinted with a class colour, plus a bright blob at a
    class-specific position with jitter, plus pixel noise.

    Returns
    -------
    images : ndarray of shape (n, 32, 32, 3), uint8
    labels : ndarray of shape (n,), int64
    """
    rng = np.random.default_rng(seed)
    labels = rng.choice(np.asarray(classes), size=n)
    yy, xx = np.mgrid[0:32, 0:32].astype(np.float64) / 32.0
    theta = np.pi * labels / 10.0
    freq = 2.0 + (labels % 5)
    phase = rng.uniform(0, 2 * np.pi, size=n)
    proj = np.cos(theta)[:, None, None] * xx + np.sin(theta)[:, None, None] * yy
    grating = 0.5 + 0.4 * np.sin(
        2 * np.pi * freq[:, None, None] * proj + phase[:, None, None]
    )
    palette = np.random.default_rng(1234).uniform(0.3, 1.0, size=(10, 3))
    img = grating[..., None] * palette[labels][:, None, None, :]
    centre = 0.2 + 0.6 * np.random.default_rng(99).uniform(size=(10, 2))
    cy = centre[labels, 0] + rng.normal(0, 0.05, size=n)
    cx = centre[labels, 1] + rng.normal(0, 0.05, size=n)
    blob = np.exp(
        -((yy - cy[:, None, None]) ** 2 + (xx - cx[:, None, None]) ** 2) / 0.01
    )
    img = img + 0.5 * blob[..., None]
    img = img + rng.normal(0, 0.05, size=img.shape)
    return (np.clip(img, 0, 1) * 255).astype(np.uint8), labels


def _fashion_mnist(n: int, seed: int = 0) -> np.ndarray | None:
    """First ``n`` training images (uint8, (n, 28, 28)) if the dataset is installed."""
    path = FASHION_MNIST_DIR / "train-images-idx3-ubyte.gz"
    if not path.is_file():
        return None
    with gzip.open(path, "rb") as fh:
        data = np.frombuffer(fh.read(), dtype=np.uint8, offset=16)
    images = data.reshape(-1, 28, 28)
    rng = np.random.default_rng(seed)
    return images[rng.choice(len(images), size=min(n, len(images)), replace=False)]


def run(quick: bool) -> dict[str, Any]:
    """Time the image RKME fit and the pairwise distance on ``THREADS`` threads.

    Returns
    -------
    results : dict
        ``image_rkme_s`` (median fit time, N images, K=50; 3 runs, 1 if quick),
        ``image_rkme_n``,
        ``image_pair_dist_s`` (cached embeddings), ``image_pair_dist_cold_s``
        (including both specs' embeddings), ``image_rkme_mmd2`` and the MMD^2 of
        two baselines, ``image_dist_same_vs_other`` (dist between two samples of
        one distribution / dist to other classes), ``image_data``, ``image_threads``.
    """
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(THREADS)
    try:
        return _run(quick)
    finally:
        torch.set_num_threads(previous)


def _run(quick: bool) -> dict[str, Any]:
    n = 1000 if quick else 5000
    fm = _fashion_mnist(n)
    if fm is not None:
        X: np.ndarray = fm
        source = "fashion-mnist"
    else:
        X, _ = synthetic_images(n, classes=(0, 1, 2, 3, 4), seed=0)
        source = "synthetic"

    fit_times = []
    for _ in range(1 if quick else 3):
        start = time.perf_counter()
        spec = RKMEImageSpecification(n_points=50, random_state=0).fit(X)
        fit_times.append(time.perf_counter() - start)
    fit_s = float(np.median(fit_times))

    herd = RKMEImageSpecification(n_points=50, max_iter=0, random_state=0).fit(X)
    results: dict[str, Any] = {
        "image_rkme_s": round(fit_s, 3),
        "image_rkme_n": n,
        "image_data": source,
        "image_threads": THREADS,
        "image_rkme_mmd2": spec.mmd2_,
        "image_rkme_mmd2_herding_only": herd.mmd2_,
    }
    rng = np.random.default_rng(1)
    random_pick = X[rng.choice(len(X), size=50, replace=False)]
    uniform = RKMEImageSpecification.from_dict(
        {
            **spec.to_dict(),
            "z": _standardized_like(spec, random_pick).tolist(),
            "beta": [1 / 50] * 50,
        }
    )
    results["image_rkme_mmd2_random_uniform"] = uniform.mmd_squared_to_data(X)

    # Pair distance: other specs from a second sample and from other classes.
    if source == "synthetic":
        X_same, _ = synthetic_images(n // 2, classes=(0, 1, 2, 3, 4), seed=1)
        X_other, _ = synthetic_images(n // 2, classes=(5, 6, 7, 8, 9), seed=2)
    else:
        X_same, X_other = X[: n // 2], 255 - X[: n // 2]
    kwargs: dict[str, Any] = {"n_points": 50, "max_iter": 30, "random_state": 0}
    same = RKMEImageSpecification(**kwargs).fit(X_same)
    other = RKMEImageSpecification(**kwargs).fit(X_other)
    warm = time_call(lambda: spec.dist(other), repeat=200)

    def cold() -> float:
        a = RKMEImageSpecification.from_dict(spec.to_dict())
        b = RKMEImageSpecification.from_dict(other.to_dict())
        start = time.perf_counter()
        a.dist(b)
        return time.perf_counter() - start

    cold_s = float(np.median([cold() for _ in range(5)]))
    results["image_pair_dist_s"] = warm.median
    results["image_pair_dist_cold_s"] = round(cold_s, 5)
    results["image_dist_same"] = spec.dist(same)
    results["image_dist_other"] = spec.dist(other)
    results["image_dist_same_vs_other"] = round(spec.dist(same) / spec.dist(other), 4)
    return results


def _standardized_like(spec: RKMEImageSpecification, X: np.ndarray) -> np.ndarray:
    from learnware_core.specification.image import prepare_images

    assert spec.normalization_ is not None
    images = prepare_images(X, n_channels=spec.n_channels_)
    mean = np.asarray(spec.normalization_["mean"], dtype=np.float32)[
        None, :, None, None
    ]
    std = np.asarray(spec.normalization_["std"], dtype=np.float32)[None, :, None, None]
    out: np.ndarray = (images - mean) / std
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 images")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.quick), sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
