"""``bmw finetune``: adapt one learnware to your labelled rows and save a new package.

The learnware (a dock id, downloaded like ``bmw deploy``, or a local zip) runs in
its own environment in the sandbox; its own ``finetune(X, y)`` (else ``fit``) adapts
it there, and the adapted model is written as a new learnware zip you may check
(``bmw check``) and upload. Your rows stay on this machine.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnware_core.cli._io import CLIError, read_json, read_table, split_names
from learnware_core.cli._ui import echo, progress_enabled, steps
from learnware_core.errors import LearnwareError

__all__ = ["add_command", "run_finetune"]

_STAT_NOTE = (
    "Its statistical specification still describes the original training data; "
    "to describe yours, build one with 'bmw spec table DATA --drop COLUMN "
    "-o stat.json' and pass --stat stat.json."
)


def _labelled_data(
    args: argparse.Namespace,
) -> tuple[NDArray[np.float64], NDArray[Any]]:
    """``X`` (all columns but the target, or --columns) and ``y`` from --data."""
    if Path(args.data).suffix.lower() == ".npy":
        raise CLIError("--data must be a CSV/TSV/Parquet file with a --target column")
    drop = split_names(args.drop)
    columns = [c for c in split_names(args.columns) if c != args.target]
    X, _ = read_table(args.data, columns=columns, drop=[*drop, args.target])
    try:
        target, _ = read_table(args.data, columns=[args.target])
    except CLIError as exc:
        raise CLIError(
            f"--target {args.target!r}: must be a numeric column of {args.data} ({exc})"
        ) from exc
    y = target[:, 0]
    missing = int(np.isnan(y).sum())
    if missing:
        raise CLIError(f"--target {args.target!r}: {missing} rows have no value")
    if np.all(y == np.round(y)):
        return X, y.astype(np.int64)  # class labels
    return X, y


def _source(value: str) -> int | Path:
    """A learnware id, or the path of a local package zip."""
    if value.isdigit():
        return int(value)
    path = Path(value)
    if not path.is_file():
        raise CLIError(f"{value}: neither a learnware id nor a package zip")
    return path


@contextlib.contextmanager
def _learnware(args: argparse.Namespace, source: int | Path) -> Iterator[Any]:
    """The started :class:`DeployedLearnware` of ``source``; closed afterwards."""
    from learnware_core.cli.remote import _client, sandbox_hint
    from learnware_core.package import extract_package
    from learnware_core.runtime import DeployedLearnware

    allow = args.unsandboxed
    if isinstance(source, int):
        with sandbox_hint():
            [lw] = _client(args).load(
                source, allow_unsandboxed=allow, progress=progress_enabled(args.quiet)
            )
            with lw:
                yield lw
        return
    with tempfile.TemporaryDirectory(prefix="bmw-finetune-") as tmp:
        folder = Path(tmp) / "package"
        extract_package(source, folder)
        with (
            sandbox_hint(),
            DeployedLearnware(folder, allow_unsandboxed=allow, name=source.name) as lw,
        ):
            yield lw


def _stat_spec(path: str | None) -> Any:
    if path is None:
        return None
    from learnware_core.specification.base import load_spec

    data = read_json(path, what="statistical specification")
    if not isinstance(data, dict):
        raise CLIError(f"{path}: must hold a JSON object")
    try:
        return load_spec(data)
    except LearnwareError as exc:
        raise CLIError(f"{path}: {exc}") from exc


def _semantic_spec(path: str | None) -> Any:
    if path is None:
        return None
    from learnware_core.specification.semantic import SemanticSpec

    try:
        return SemanticSpec.from_dict(read_json(path, what="semantic spec file"))
    except LearnwareError as exc:
        raise CLIError(f"{path}: {exc}") from exc


def run_finetune(args: argparse.Namespace) -> int:
    """Entry point of ``bmw finetune``."""
    source = _source(args.learnware)
    X, y = _labelled_data(args)
    stat_spec = _stat_spec(args.stat)
    semantic_spec = _semantic_spec(args.semantic)
    quiet = bool(args.quiet)

    def say(message: str) -> None:
        if not quiet:
            echo(message, stream=sys.stderr)

    with steps(3, "finetune", enabled=progress_enabled(quiet)) as bar:
        bar.set_postfix_str("loading the learnware")
        with _learnware(args, source) as lw:
            bar.update(1)
            if not lw.sandboxed:
                say(f"{lw.name}: running NOT sandboxed (no bubblewrap)")
            bar.set_postfix_str(f"fine-tuning on {len(X)} rows")
            lw.finetune(X, y, method=args.method, timeout=args.timeout)
            bar.update(1)
            bar.set_postfix_str("writing and checking the package")
            info = lw.save_finetuned(
                args.output, semantic_spec=semantic_spec, stat_spec=stat_spec
            )
            bar.update(1)
            name, method = lw.name, lw.finetune_method
    say(
        f"Fine-tuned {name} with its {method}(X, y) on {len(X)} rows; wrote "
        f"{args.output}: {len(info.files)} files, {info.total_bytes:,} bytes."
    )
    if stat_spec is None:
        say(_STAT_NOTE)
    return 0


def add_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``finetune`` on ``bmw``'s sub-command parser."""
    parser = commands.add_parser(
        "finetune",
        help="adapt a learnware to your labelled data; save it as a new zip",
        description="Run a learnware (a dock id, downloaded and cached like "
        "'bmw deploy', or a local package zip) in its own environment in a "
        "bubblewrap sandbox without network, adapt it to the rows of --data with "
        "its own finetune(X, y) (or fit(X, y) if it has no finetune), and write "
        "the adapted model as a new learnware zip: the original's files plus the "
        "model state, pickled by the model's own code inside the sandbox (never "
        "unpickled here). The zip passes 'bmw check' and may be uploaded. "
        + _STAT_NOTE,
    )
    parser.add_argument(
        "learnware", metavar="ID|PACKAGE.zip", help="learnware id or package zip"
    )
    parser.add_argument(
        "--data", required=True, metavar="DATA", help="labelled CSV/TSV/Parquet rows"
    )
    parser.add_argument(
        "--target", required=True, metavar="COLUMN", help="the label/target column"
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="NEW.zip", help="the zip to write"
    )
    parser.add_argument(
        "--columns", action="append", metavar="A,B,...", help="use only these columns"
    )
    parser.add_argument(
        "--drop", action="append", metavar="A,B,...", help="leave out these columns"
    )
    parser.add_argument(
        "--method",
        choices=("auto", "finetune", "fit"),
        default="auto",
        help="the model's method to call (default: auto, its finetune if it has "
        "one, else fit)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="S",
        help="give up fine-tuning after S seconds (default: 3600)",
    )
    parser.add_argument(
        "--stat", metavar="stat.json", help="replace the statistical specification"
    )
    parser.add_argument(
        "--semantic", metavar="FILE", help="semantic specification JSON to embed"
    )
    from learnware_core.cli.remote import _sandbox_options

    _sandbox_options(parser)
    parser.add_argument(
        "--url",
        help="with an ID: the dock (default: BMW_URL, else the one saved by "
        "'bmw login')",
    )
    common(parser)
    parser.set_defaults(func=run_finetune)
