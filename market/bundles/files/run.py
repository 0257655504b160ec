"""Run this bundle's learnware(s) on your own machine, offline.

    pip install -r requirements.txt
    python run.py input.csv            # predictions -> predictions.csv

The input is a CSV (a non-numeric first row is taken as a header), a ``.npy`` array,
or for text learnwares a ``.txt`` file (one text per line) or a CSV whose first
column holds the texts. Each learnware is extracted from ``learnwares/<id>.zip`` and
runs in its own environment, built once from its ``requirements.txt`` and cached
(``~/.cache/bmw``, or ``$BMW_CACHE_DIR``, or ``--cache-dir``), in the bubblewrap
sandbox (no network, read-only system, resource limits). Without bubblewrap it
stops and says how to install it; ``--unsandboxed`` runs the learnwares' code
without isolation instead (with a warning). Several learnwares are combined by the
reuser named in ``bundle.json`` (``JobSelectorReuser`` with the search's mixture
weights, or ``AveragingReuser``). Nothing is sent anywhere.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
import tempfile
import warnings
from argparse import SUPPRESS
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnware_core.errors import LearnwareError
from learnware_core.package import extract_package
from learnware_core.reuse import AveragingReuser, JobSelectorReuser
from learnware_core.runtime import DeployedLearnware, SandboxUnavailableError
from learnware_core.specification.rkme import RKMETableSpecification

HERE = Path(__file__).resolve().parent
REUSERS = ("job_selector", "averaging")
MODES = ("mean", "vote_by_label", "vote_by_prob")


def _number(cell: str) -> float:
    cell = cell.strip()
    return math.nan if cell == "" else float(cell)


def read_table(path: Path) -> NDArray[np.float64]:
    """A numeric 2-D array from ``.npy`` or CSV (header row skipped if present)."""
    if path.suffix.lower() == ".npy":
        array = np.load(path, allow_pickle=False)
        return np.asarray(array, dtype=np.float64)
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = [row for row in csv.reader(fh) if row]
    if rows:
        try:
            [_number(cell) for cell in rows[0]]
        except ValueError:
            rows = rows[1:]  # a header
    values = []
    for line, row in enumerate(rows, start=1):
        try:
            values.append([_number(cell) for cell in row])
        except ValueError as exc:
            raise SystemExit(f"{path}: row {line} is not numeric ({exc})") from exc
    if not values or len({len(row) for row in values}) != 1:
        raise SystemExit(f"{path}: expected rows of numbers, all of one length")
    return np.asarray(values, dtype=np.float64)


def read_texts(path: Path) -> list[str]:
    """Texts from a ``.txt`` file (one per line) or a CSV's first column."""
    if path.suffix.lower() == ".txt":
        return [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = [row[0] for row in csv.reader(fh) if row]
    return rows[1:] if rows and rows[0].strip().lower() == "text" else rows


def predictions_csv(y: NDArray[Any]) -> str:
    """``prediction`` (1-D) or ``y0, y1, ...`` (one column per output), one row each."""
    table = y.reshape(len(y), -1)
    names = ["prediction"] if y.ndim == 1 else [f"y{i}" for i in range(table.shape[1])]
    out = io.StringIO()
    fmt = "%d" if table.dtype.kind in "biu" else "%.10g"
    if table.dtype.kind in "USO":
        fmt = "%s"
    np.savetxt(out, table, delimiter=",", header=",".join(names), comments="", fmt=fmt)
    return out.getvalue()


def _parser(config: dict[str, Any]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Predict with this bundle's learnware(s): "
        + ", ".join(str(lw["id"]) for lw in config["learnwares"])
    )
    parser.add_argument("input", type=Path, help="CSV, .npy (or .txt for texts)")
    parser.add_argument(
        "-o", "--output", type=Path, default=Path("predictions.csv"), metavar="CSV"
    )
    parser.add_argument(
        "--reuser",
        choices=REUSERS,
        default=config.get("reuser") or "averaging",
        help="how several learnwares are combined (default: %(default)s)",
    )
    parser.add_argument("--mode", choices=MODES, default=config.get("mode") or "mean")
    parser.add_argument("--cache-dir", type=Path, help="environment cache")
    parser.add_argument(
        "--unsandboxed",
        action="store_true",
        help="if bubblewrap is unavailable, run the learnwares' code WITHOUT "
        "isolation (it can read and change everything you can)",
    )
    # the default now; kept so that older instructions still work
    parser.add_argument("--require-sandbox", action="store_true", help=SUPPRESS)
    return parser


def _combine(
    learnwares: list[DeployedLearnware],
    X: Any,
    config: dict[str, Any],
    args: argparse.Namespace,
) -> NDArray[Any]:
    if len(learnwares) == 1:
        return learnwares[0].predict(X)
    weights = config.get("weights")
    if args.reuser == "job_selector":
        if all(isinstance(lw.spec, RKMETableSpecification) for lw in learnwares):
            selector = JobSelectorReuser(learnwares, weights=weights, random_state=0)
            return selector.fit().predict(X)
        print("JobSelectorReuser needs table RKMEs: averaging instead", file=sys.stderr)
    averaging = AveragingReuser(learnwares, mode=args.mode, weights=weights)
    return averaging.fit().predict(X)


def main(argv: list[str] | None = None) -> int:
    config = json.loads((HERE / "bundle.json").read_text("utf-8"))
    args = _parser(config).parse_args(argv)
    if not args.input.is_file():
        raise SystemExit(f"{args.input}: no such file")
    texts = all(lw.get("data_type") == "Text" for lw in config["learnwares"])
    X: Any = read_texts(args.input) if texts else read_table(args.input)
    learnwares: list[DeployedLearnware] = []
    if args.unsandboxed:
        warnings.simplefilter("always", RuntimeWarning)  # each unisolated start
    with tempfile.TemporaryDirectory(prefix="bmw-bundle-") as tmp:
        try:
            for entry in config["learnwares"]:
                folder = Path(tmp) / str(entry["id"])
                extract_package(HERE / entry["file"], folder)
                print(f"Starting learnware {entry['id']} ...", file=sys.stderr)
                learnwares.append(
                    DeployedLearnware(
                        folder,
                        cache_dir=args.cache_dir,
                        allow_unsandboxed=args.unsandboxed,
                        name=f"learnware {entry['id']}",
                    )
                )
            y = np.asarray(_combine(learnwares, X, config, args))
        except SandboxUnavailableError as exc:
            raise SystemExit(
                f"error: {exc}, or run with --unsandboxed to run the learnwares' "
                "code on this machine without isolation"
            ) from exc
        except LearnwareError as exc:
            raise SystemExit(f"error: {exc}") from exc
        finally:
            for lw in learnwares:
                lw.close()
    args.output.write_text(predictions_csv(y), encoding="utf-8")
    print(f"Wrote {args.output} ({len(y)} rows).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
