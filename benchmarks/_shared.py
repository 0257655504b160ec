"""Where the benchmarks find the repository and the shared fixtures and data."""

import os
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the repo (CI lays it there), or $BMW_SHARED_DIR.
SHARED = Path(os.environ.get("BMW_SHARED_DIR", REPO.parent / "shared"))
OFFICIAL = SHARED / "fixtures" / "official"  # files made by the original package


def fit_logistic(X: Any, y: Any) -> tuple[float, ...]:
    """Weights then intercept of a logistic regression (C=1) of ``y`` on ``X``: the
    confidence calibrations' fit (benchmarks.wild, benchmarks.spec_world)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, max_iter=1000).fit(X, y)
    return (*(float(c) for c in model.coef_[0]), float(model.intercept_[0]))
