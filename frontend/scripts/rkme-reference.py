"""Write the fixtures that compare the browser's table RKME with the Python one.

Run from the repository root or from ``frontend`` with the project's venv:

    .venv/bin/python frontend/scripts/rkme-reference.py

It writes to ``frontend/src/features/learnwares/rkme/__fixtures__/``:

* ``mixture.csv`` — 600 rows x 5 columns from a seeded 3-cluster Gaussian mixture, with a
  header row and a few empty cells (values rounded to 5 decimals);
* ``mixture.stat.json`` — ``RKMETableSpecification(random_state=0).fit(X).to_dict()`` with ``X``
  read back from that CSV the way ``bmw spec table mixture.csv`` reads it;
* ``mixture.meta.json`` — reference numbers: the Python spec's squared MMD to the data and,
  as a noise floor, the squared MMD between the Python specs of seeds 0 and 1.

The output is deterministic. The JSON files are formatted with the frontend's Prettier (if
installed), so ``npm run format:check`` passes on them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

from learnware_core.cli._io import read_table
from learnware_core.specification.rkme import RKMETableSpecification

FRONTEND = Path(__file__).resolve().parent.parent
OUT = FRONTEND / "src" / "features" / "learnwares" / "rkme" / "__fixtures__"

N_ROWS = 600
MEANS = np.array(
    [
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [4.0, -2.0, 1.0, 3.0, 0.5],
        [-3.0, 3.0, -1.5, 0.0, 2.0],
    ]
)
SCALES = np.array([1.0, 0.6, 1.4])
WEIGHTS = np.array([0.5, 0.3, 0.2])
N_MISSING = 6


def make_data(seed: int = 20261127) -> np.ndarray:
    """The mixture (rounded as written), with ``N_MISSING`` NaN cells."""
    rng = np.random.default_rng(seed)
    labels = rng.choice(len(WEIGHTS), size=N_ROWS, p=WEIGHTS)
    X = MEANS[labels] + SCALES[labels, None] * rng.normal(size=(N_ROWS, MEANS.shape[1]))
    X = np.round(X, 5)
    rows = rng.choice(N_ROWS, size=N_MISSING, replace=False)
    cols = rng.integers(0, MEANS.shape[1], size=N_MISSING)
    X[rows, cols] = np.nan
    return X


def write_csv(X: np.ndarray, path: Path) -> None:
    lines = [",".join(f"f{j + 1}" for j in range(X.shape[1]))]
    for row in X:
        lines.append(",".join("" if np.isnan(v) else f"{v:.5f}" for v in row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def prettier(*paths: Path) -> None:
    exe = FRONTEND / "node_modules" / ".bin" / "prettier"
    if not exe.exists() and shutil.which("npx") is None:
        print("prettier not found: format the JSON files by hand", file=sys.stderr)
        return
    cmd = [str(exe)] if exe.exists() else ["npx", "prettier"]
    subprocess.run([*cmd, "--write", *map(str, paths)], cwd=FRONTEND, check=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    csv_path = OUT / "mixture.csv"
    write_csv(make_data(), csv_path)

    X, _names = read_table(csv_path)  # as `bmw spec table` reads it (NaN for empty cells)
    spec = RKMETableSpecification(random_state=0).fit(X)
    other = RKMETableSpecification(random_state=1).fit(X)
    meta = {
        "rows": int(X.shape[0]),
        "columns": int(X.shape[1]),
        "missing": int(np.isnan(X).sum()),
        "python_mmd2_to_data": spec.mmd_squared_to_data(X),
        "python_seed1_mmd2_to_data": other.mmd_squared_to_data(X),
        "python_mmd2_seed0_seed1": spec.dist(other),
        "python_n_iter": int(spec.n_iter_),
    }

    stat_path = OUT / "mixture.stat.json"
    meta_path = OUT / "mixture.meta.json"
    stat_path.write_text(json.dumps(spec.to_dict()) + "\n", encoding="utf-8")
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    prettier(stat_path, meta_path)
    for path in (csv_path, stat_path, meta_path):
        print(f"{path.relative_to(FRONTEND)}: {path.stat().st_size} bytes")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
