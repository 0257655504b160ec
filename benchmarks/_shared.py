"""Where the benchmarks find the repository and the shared fixtures and data."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the repo (CI lays it there), or $BMW_SHARED_DIR.
SHARED = Path(os.environ.get("BMW_SHARED_DIR", REPO.parent / "shared"))
OFFICIAL = SHARED / "fixtures" / "official"  # files made by the original package
