"""Fashion-MNIST (Debian ``dataset-fashion-mnist``): 28x28 grey images, 10 classes."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnware_core.scenarios import ScenarioDataMissing

DIR = Path("/usr/share/datasets/fashion-mnist")
CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def load(split: str = "train") -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    """``(images (n, 28, 28) uint8, labels (n,))`` of ``train`` (60,000) or ``t10k``."""
    images, labels = (
        DIR / f"{split}-images-idx3-ubyte.gz",
        DIR / f"{split}-labels-idx1-ubyte.gz",
    )
    if not images.is_file() or not labels.is_file():
        raise ScenarioDataMissing(
            f"Fashion-MNIST not found in {DIR}: apt-get install dataset-fashion-mnist"
        )
    with gzip.open(images, "rb") as fh:
        X = np.frombuffer(fh.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(labels, "rb") as fh:
        y = np.frombuffer(fh.read(), dtype=np.uint8, offset=8)
    return X, y


def sample(
    y: NDArray[np.uint8],
    classes: tuple[int, ...],
    shares: tuple[float, ...],
    n: int,
    rng: np.random.Generator,
) -> NDArray[np.int64]:
    """Row indices: ``n`` images of ``classes`` in the proportions ``shares``."""
    rows = [
        rng.choice(np.flatnonzero(y == c), size=round(n * s), replace=False)
        for c, s in zip(classes, shares, strict=True)
    ]
    return rng.permutation(np.concatenate(rows))


def model(*, max_iter: int = 200) -> Any:
    """Logistic regression on the 784 pixels; the input is (n, 1, 28, 28) in [0, 1]."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    flatten = FunctionTransformer(np.reshape, kw_args={"shape": (-1, 28 * 28)})
    return make_pipeline(flatten, LogisticRegression(max_iter=max_iter))
