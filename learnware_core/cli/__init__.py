"""``bmw``: build specifications, pack and check learnwares on your own machine, and
upload them to a dock.

``spec``, ``pack`` and ``check`` run locally: data files are read, summarised and
written next to you; nothing is uploaded or downloaded (the text encoder ships inside
a Python package). ``login``, ``upload``, ``ls``, ``rm``, ``download`` and ``status``
talk to a dock's API with your API token (:mod:`learnware_core.cli.remote`); ``deploy``
downloads learnwares and runs them here in a sandbox; ``finetune`` adapts one to your
labelled rows there and saves it as a new package (:mod:`learnware_core.cli.finetune`).

Exit status: 0 success; 1 ``bmw check`` found a problem in the package (or, with
``--wait``, the dock's checks failed); 2 bad input (missing file, unusable data,
invalid options) or a request the dock refused; 3 unexpected internal error. Errors
are one line on stderr; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Sequence

from learnware_core.cli._io import CLIError
from learnware_core.cli._ui import error_line
from learnware_core.client import ClientError
from learnware_core.errors import LearnwareError

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

_PRIVACY = (
    "All work is local: your data never leaves this machine; only the summary "
    "(the specification) is written."
)


def _common(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a value given before the sub-command is not reset by the default.
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS,
        help="no progress bars or summary lines",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the full traceback on errors",
    )


def _rkme_options(parser: argparse.ArgumentParser, *, kind: str) -> None:
    from learnware_core.cli.spec import add_table_kernel_options, parse_gamma

    group = parser.add_argument_group(f"{kind} specification options")
    group.add_argument(
        "--k",
        type=int,
        default=None if kind == "image" else 100,
        metavar="K",
        help="size of the reduced set (number of weighted points) "
        + ("(default: the image specification's own)" if kind == "image" else "")
        + ("(default: 100)" if kind != "image" else ""),
    )
    if kind == "table":  # --gamma and --standardize/--no-standardize
        add_table_kernel_options(group)
    elif kind != "image":
        group.add_argument(
            "--gamma",
            type=parse_gamma,
            default=0.1,
            metavar="G",
            help="RBF kernel parameter exp(-G ||a-b||^2), a number > 0 or 'median' "
            "(default: 0.1, the market's shared value)",
        )
    group.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="random seed; the same data and seed give the same file (default: 0)",
    )


def _table_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("table columns (CSV/Parquet)")
    group.add_argument(
        "--columns",
        action="append",
        metavar="A,B,...",
        help="use only these columns, in this order (repeatable)",
    )
    group.add_argument(
        "--drop",
        action="append",
        metavar="A,B,...",
        help="leave out these columns, e.g. ids, labels or text (repeatable)",
    )


def _text_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--column",
        metavar="C",
        help="text column of a CSV/Parquet file (optional if it has only one)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``bmw`` argument parser (local: ``spec``, ``pack``, ``check``; remote:
    ``login``, ``upload``, ``ls``, ``rm``, ``download``, ``status``)."""
    from learnware_core.cli import finetune, remote
    from learnware_core.cli.check import run_check
    from learnware_core.cli.pack import run_pack
    from learnware_core.cli.spec import run_spec

    parser = argparse.ArgumentParser(
        prog="bmw",
        description="Beimingwu learnware tools. spec, pack and check are local: "
        "your data never leaves this machine. login, upload, ls, rm, download and "
        "status talk to a dock with your API token; deploy runs learnwares here "
        "and finetune adapts one to your labelled data.",
        epilog="Exit status: 0 ok, 1 check failed, 2 bad input or refused by the "
        "dock, 3 internal error. "
        "Run 'bmw COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=_version())
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bars or summaries"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    # -- spec
    spec = commands.add_parser(
        "spec",
        help="build a statistical specification (stat.json) from local data",
        description="Summarise a data set as a reduced kernel mean embedding "
        "(RKME) and write it as stat.json, the file a learnware package carries. "
        + _PRIVACY,
    )
    kinds = spec.add_subparsers(dest="kind", metavar="KIND", required=True)
    table = kinds.add_parser(
        "table",
        help="numeric table: CSV, TSV, Parquet or NPY",
        description="RKMETableSpecification of a numeric table. CSV/Parquet: all "
        "columns must be numeric unless dropped (--drop) or chosen (--columns); "
        "missing values are allowed. NPY: an array of shape (n_samples, "
        "n_features). " + _PRIVACY,
    )
    table.add_argument("data", metavar="DATA", help="the .csv/.tsv/.parquet/.npy file")
    table.add_argument("-o", "--output", required=True, help="stat.json to write")
    _table_options(table)
    _rkme_options(table, kind="table")
    text = kinds.add_parser(
        "text",
        help="texts: a .txt file (one per line) or a CSV/Parquet column",
        description="RKMETextSpecification: embeds the texts with the offline "
        "all-MiniLM-L6-v2 sentence encoder (loaded from a Python package, never "
        "downloaded) and summarises the embeddings; records the detected "
        "languages and the encoder. " + _PRIVACY,
    )
    text.add_argument("data", metavar="DATA", help="the .txt/.csv/.parquet file")
    text.add_argument("-o", "--output", required=True, help="stat.json to write")
    _text_options(text)
    _rkme_options(text, kind="text")
    image = kinds.add_parser(
        "image",
        help="images: an NPY array (N, C, H, W) or a folder of image files",
        description="RKMEImageSpecification of images. A folder is read with Pillow "
        "(pip install pillow) and resized to 32x32 RGB. " + _PRIVACY,
    )
    image.add_argument("data", metavar="DATA", help="the .npy file or image folder")
    image.add_argument("-o", "--output", required=True, help="stat.json to write")
    _rkme_options(image, kind="image")
    image.add_argument(
        "--kernel",
        choices=("random_conv", "gaussian"),
        default="random_conv",
        help="random_conv: random CNNs, the original's family (default); gaussian: a "
        "Gaussian kernel on the pixels, which tells class mixtures apart far better "
        "(use --k 200); only specs of one kernel are compared",
    )
    for sub in (table, text, image):
        _common(sub)
        sub.set_defaults(func=run_spec)

    # -- pack
    pack = commands.add_parser(
        "pack",
        help="build a learnware zip (model + stat.json + semantic spec)",
        description="Assemble a learnware package in the original layout "
        "(learnware.yaml, __init__.py, stat.json, requirements.txt, the semantic "
        "spec) and check it before writing. --model is a folder with __init__.py, "
        "a .py file (becomes __init__.py), or a pickled scikit-learn model "
        "(.pkl/.pickle/.joblib): then an __init__.py template is generated that "
        "unpickles it and calls --predict-method, and requirements.txt pins the "
        "scikit-learn and numpy installed here. The specification comes from a "
        "data sample (--data, same options as 'bmw spec') or an existing "
        "stat.json (--stat). " + _PRIVACY,
    )
    pack.add_argument("-o", "--output", required=True, help="the .zip to write")
    pack.add_argument(
        "--model", required=True, help="model folder, .py file or pickled model"
    )
    pack.add_argument(
        "--semantic", required=True, help="semantic specification JSON file"
    )
    source = pack.add_argument_group("statistical specification (one of)")
    source.add_argument("--data", help="data sample to build the specification from")
    source.add_argument("--stat", help="an existing stat.json to include")
    pack.add_argument(
        "--kind",
        choices=("table", "text", "image"),
        help="kind of --data (default: from the semantic spec's Data)",
    )
    pack.add_argument(
        "--class-name",
        default="Model",
        help="model class defined in __init__.py (default: Model)",
    )
    pack.add_argument(
        "--predict-method",
        default="predict",
        help="method of a pickled model that predicts (default: predict; "
        "use predict_proba for class scores)",
    )
    pack.add_argument("--name", help="name recorded in learnware.yaml")
    env = pack.add_argument_group("environment")
    env.add_argument("--requirements", metavar="FILE", help="a requirements.txt")
    env.add_argument(
        "--requirement",
        action="append",
        metavar="PKG",
        help="one requirement, e.g. lightgbm==4.7.0 (repeatable)",
    )
    _table_options(pack)
    _text_options(pack)
    _rkme_options(pack, kind="table")
    _common(pack)
    pack.set_defaults(func=run_pack)

    # -- check
    check = commands.add_parser(
        "check",
        help="check a learnware zip as the dock would (exit 0 only if valid)",
        description="Run every local check on a learnware zip: archive safety "
        "(paths, links, sizes, zip bombs), learnware.yaml, model module, "
        "requirements, statistical specifications, the semantic spec (given or "
        "embedded) and that they match (data type, dimension). The model itself "
        "is not run. Prints one line per check; exit status 0 only for a valid "
        "package, 1 otherwise.",
    )
    check.add_argument("package", metavar="PACKAGE.zip", help="the learnware zip")
    check.add_argument("--semantic", help="semantic specification JSON to check with")
    check.add_argument(
        "--json", action="store_true", help="machine-readable JSON report"
    )
    _common(check)
    check.set_defaults(func=run_check)

    remote.add_commands(commands, _common)
    finetune.add_command(commands, _common)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"bmw {version('beimingwu')}"
    except PackageNotFoundError:
        return "bmw (development)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``bmw`` with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional

    Returns
    -------
    status : int
        0 ok, 1 check failed, 2 bad input, 3 internal error.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(None if argv is None else list(argv))
    except SystemExit as exc:  # --help, --version or a usage error (already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="bmw: %(levelname)s: %(message)s",
    )
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except KeyboardInterrupt:
        error_line("interrupted")
        return 130
    except (CLIError, LearnwareError, ClientError) as exc:
        if args.debug:
            raise
        error_line(str(exc))
        return EXIT_BAD_INPUT
    except OSError as exc:
        if args.debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        error_line(f"{where}{exc.strerror or exc}")
        return EXIT_BAD_INPUT
    except Exception as exc:
        if args.debug:
            raise
        error_line(
            f"internal error ({type(exc).__name__}: {exc}); "
            "rerun with --debug for the traceback"
        )
        return EXIT_INTERNAL
