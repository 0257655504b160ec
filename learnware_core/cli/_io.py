"""File input/output shared by the ``bmw`` commands (all local; nothing is sent)."""

from __future__ import annotations

import importlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnware_core._files import default_file_mode

__all__ = [
    "TABLE_SUFFIXES",
    "TEXT_SUFFIXES",
    "CLIError",
    "atomic_write_bytes",
    "atomic_write_json",
    "default_file_mode",
    "read_json",
    "read_table",
    "read_texts",
    "split_names",
]

TABLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq", ".npy")
TEXT_SUFFIXES = (".txt", ".csv", ".tsv", ".parquet", ".pq")


class CLIError(Exception):
    """Bad input from the command line: printed as one line, exit status 2."""


def existing_file(path: str | os.PathLike[str], *, what: str = "file") -> Path:
    """Return ``path`` as a Path; raise :class:`CLIError` if it is not a file."""
    p = Path(path)
    if not p.exists():
        raise CLIError(f"{p}: {what} not found")
    if not p.is_file():
        raise CLIError(f"{p}: not a file")
    return p


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to a temporary file next to ``path``, then rename it over.

    A reader never sees a half-written file, and a failure leaves ``path`` as it
    was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, default_file_mode())  # mkstemp creates 0600
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


def atomic_write_json(path: str | os.PathLike[str], data: Any) -> Path:
    """Write compact UTF-8 JSON (the original's ``stat.json`` style) atomically."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return atomic_write_bytes(path, text.encode("utf-8"))


def read_json(path: str | os.PathLike[str], *, what: str = "JSON file") -> Any:
    """Parse a UTF-8 JSON file; raise :class:`CLIError` naming the file on failure."""
    p = existing_file(path, what=what)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise CLIError(f"{p}: not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise CLIError(f"{p}: invalid JSON ({exc})") from exc


def split_names(values: Sequence[str] | None) -> list[str]:
    """Flatten repeated and comma-separated option values: ``["a,b", "c"]``."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


def _read_frame(path: Path) -> Any:
    """Read CSV/TSV/Parquet into a pandas DataFrame."""
    try:
        pd = importlib.import_module("pandas")  # untyped; imported only when needed
    except ImportError as exc:  # pragma: no cover - pandas is a dependency
        raise CLIError("reading CSV/Parquet needs pandas: pip install pandas") from exc
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(path)
        return pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",")
    except ImportError as exc:
        raise CLIError(f"{path}: reading Parquet needs pyarrow ({exc})") from exc
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CLIError(f"{path}: cannot be read ({first})") from exc


def read_table(
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str] = (),
    drop: Sequence[str] = (),
) -> tuple[NDArray[np.float64], list[str]]:
    """Load a numeric table from CSV, TSV, Parquet or NPY.

    Parameters
    ----------
    path : path
    columns : sequence of str
        Use only these columns (CSV/Parquet), in this order.
    drop : sequence of str
        Leave out these columns (CSV/Parquet).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features) or (n_samples, ...), float64
        Missing values are NaN (the RKME imputes them).
    names : list of str
        Column names (``"0"``, ``"1"`` ... for NPY).

    Raises
    ------
    CLIError
        Missing or unreadable file, unknown columns, non-numeric columns (named,
        with the option to drop them), or an empty table.
    """
    p = existing_file(path, what="data file")
    suffix = p.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise CLIError(
            f"{p}: unsupported data format {suffix or '(none)'!r}; "
            f"use one of {', '.join(TABLE_SUFFIXES)}"
        )
    if suffix == ".npy":
        if columns or drop:
            raise CLIError("--columns/--drop apply to CSV and Parquet files only")
        try:
            arr = np.load(p, allow_pickle=False)
        except (ValueError, OSError) as exc:
            raise CLIError(f"{p}: not a readable .npy array ({exc})") from exc
        if arr.dtype.kind not in "biuf":
            raise CLIError(f"{p}: array dtype {arr.dtype} is not numeric")
        if arr.ndim < 2 or arr.shape[0] == 0:
            raise CLIError(
                f"{p}: expected an array of shape (n_samples, n_features), "
                f"got {arr.shape}"
            )
        names = [str(i) for i in range(int(np.prod(arr.shape[1:])))]
        return np.asarray(arr, dtype=np.float64), names

    frame = _read_frame(p)
    frame.columns = [str(c) for c in frame.columns]
    unknown = [c for c in [*columns, *drop] if c not in frame.columns]
    if unknown:
        raise CLIError(
            f"{p}: no column(s) {', '.join(map(repr, unknown))} "
            f"(columns: {', '.join(frame.columns)})"
        )
    dropped = set(drop)
    frame = frame[[c for c in (columns or frame.columns) if c not in dropped]]
    if frame.shape[1] == 0:
        raise CLIError(f"{p}: no columns left to use")
    if frame.shape[0] == 0:
        raise CLIError(f"{p}: no rows")
    bad = [
        str(c)
        for c in frame.columns
        if not (
            frame[c].dtype.kind in "biuf"
            or (frame[c].dtype.kind == "O" and frame[c].isna().all())
        )
    ]
    if bad:
        listed = ",".join(bad)
        raise CLIError(
            f"{p}: non-numeric column(s) {', '.join(map(repr, bad))}; "
            f"leave them out with --drop {listed} or choose columns with --columns"
        )
    X = frame.to_numpy(dtype=np.float64, na_value=np.nan)
    return X, list(frame.columns)


def read_texts(path: str | os.PathLike[str], *, column: str | None = None) -> list[str]:
    """Load texts: a ``.txt`` file (one text per non-empty line) or a table column.

    Parameters
    ----------
    path : path
    column : str, optional
        Column of a CSV/TSV/Parquet file; may be omitted if the file has exactly
        one text column.

    Returns
    -------
    texts : list of str
        Missing cells are skipped.

    Raises
    ------
    CLIError
        Missing or unreadable file, unknown or ambiguous column, no texts.
    """
    p = existing_file(path, what="data file")
    suffix = p.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise CLIError(
            f"{p}: unsupported text format {suffix or '(none)'!r}; "
            f"use one of {', '.join(TEXT_SUFFIXES)}"
        )
    if suffix == ".txt":
        if column is not None:
            raise CLIError("--column applies to CSV and Parquet files only")
        try:
            lines = p.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as exc:
            raise CLIError(f"{p}: not UTF-8 text ({exc.reason})") from exc
        texts = [line.strip() for line in lines if line.strip()]
    else:
        frame = _read_frame(p)
        frame.columns = [str(c) for c in frame.columns]
        if column is None:
            candidates = [c for c in frame.columns if frame[c].dtype.kind in "OSUT"]
            if len(candidates) != 1:
                raise CLIError(
                    f"{p}: choose the text column with --column "
                    f"(columns: {', '.join(frame.columns)})"
                )
            column = candidates[0]
        if column not in frame.columns:
            raise CLIError(
                f"{p}: no column {column!r} (columns: {', '.join(frame.columns)})"
            )
        texts = [str(v) for v in frame[column].dropna().tolist() if str(v).strip()]
    if not texts:
        raise CLIError(f"{p}: no texts found")
    return texts
