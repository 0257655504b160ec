"""``bmw login/upload/ls/rm/download/status/search/deploy``: talk to a dock with an
API token. ``deploy`` downloads learnwares and runs them here, sandboxed.

The URL and token come from the options, else ``BMW_URL``/``BMW_TOKEN``, else the
credentials file ``bmw login`` writes (``~/.config/bmw/credentials``, mode 0600).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import io
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnware_core.cli._io import (
    CLIError,
    atomic_write_bytes,
    existing_file,
    read_json,
    read_table,
    split_names,
)
from learnware_core.cli._ui import echo, progress_enabled, symbols, warn
from learnware_core.cli.spec import (
    add_table_kernel_options,
    fit_table,
)
from learnware_core.client import (
    Client,
    ClientError,
    Credentials,
    credentials_path,
    load_credentials,
    save_credentials,
)

__all__ = [
    "add_commands",
    "print_search_result",
    "run_deploy",
    "run_download",
    "run_login",
    "run_ls",
    "run_rm",
    "run_search",
    "run_status",
    "run_upload",
]

EXIT_OK, EXIT_CHECK_FAILED = 0, 1
_PASSED = ("awaiting_review", "approved")
_MARK = {"passed": "pass", "failed": "fail", "skipped": "skip"}


def _client(args: argparse.Namespace) -> Client:
    try:
        client = Client(getattr(args, "url", None))
    except ValueError as exc:
        raise CLIError(str(exc)) from exc
    if not client.token:
        raise CLIError(
            f"not logged in to {client.base_url}: run 'bmw login' or set BMW_TOKEN"
        )
    return client


def _quiet(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "quiet", False))


def _step_line(step: dict[str, Any]) -> str:
    mark = symbols()[_MARK.get(step["status"], "warn")]
    took = f" ({step['duration_s']:.1f}s)" if step.get("duration_s") else ""
    message = f"  {step['message']}" if step.get("message") else ""
    return f"  {mark} {step['name']}{took}{message}"


def _verdict(version: dict[str, Any]) -> int:
    status = version["status"]
    if status in _PASSED:
        echo(f"Checks passed: version {version['id']} is {status}.")
        return EXIT_OK
    reason = version.get("failure_reason") or version.get("review_reason") or ""
    echo(f"Version {version['id']} is {status}" + (f": {reason}" if reason else "."))
    return EXIT_CHECK_FAILED


# ------------------------------------------------------------------ commands
def run_login(args: argparse.Namespace) -> int:
    """Check the token against the dock and save URL + token (mode 0600)."""
    saved = load_credentials()
    url = args.url or os.environ.get("BMW_URL") or (saved.url if saved else None)
    if not url:
        raise CLIError("give the dock's address: bmw login --url https://host")
    token = args.token
    if not token:
        if not sys.stdin.isatty():
            raise CLIError("no token: pass --token (stdin is not a terminal)")
        token = getpass.getpass("API token (create one in the web app): ").strip()
    if not token:
        raise CLIError("no token given")
    client = Client(url, token)
    user = client.login(token)
    path = save_credentials(Credentials(url=client.base_url, token=token))
    echo(f"Logged in to {client.base_url} as {user['email']} (saved to {path}).")
    return EXIT_OK


def run_upload(args: argparse.Namespace) -> int:
    package = existing_file(args.package, what="package")
    spec = read_json(args.semantic, what="semantic specification")
    if not isinstance(spec, dict):
        raise CLIError(f"{args.semantic}: must be a JSON object")
    client = _client(args)
    progress = progress_enabled(_quiet(args))

    def step_done(step: dict[str, Any]) -> None:
        echo(_step_line(step))

    result = client.upload(package, spec, progress=progress)
    echo(
        f"Uploaded learnware {result.learnware_id} "
        f"(version {result.version_id}, {result.status})."
    )
    if not args.wait:
        echo(f"Follow its checks with: bmw status {result.version_id} --wait")
        return EXIT_OK
    try:
        version = client.wait_for_checks(
            result.version_id,
            timeout=args.timeout,
            progress=progress,
            on_step=step_done,
        )
    except TimeoutError as exc:
        echo(f"bmw: {exc}", stream=sys.stderr)
        return EXIT_CHECK_FAILED
    return _verdict(version)


def run_status(args: argparse.Namespace) -> int:
    client = _client(args)
    if args.wait:
        try:
            version = client.wait_for_checks(
                args.version_id,
                timeout=args.timeout,
                progress=progress_enabled(_quiet(args)),
            )
        except TimeoutError as exc:
            echo(f"bmw: {exc}", stream=sys.stderr)
            return EXIT_CHECK_FAILED
    else:
        version = client.status(args.version_id)
    if args.json:
        echo(json.dumps(version, indent=2))
        return EXIT_OK
    echo(
        f"Learnware {version['learnware_id']} version {version['number']} "
        f"(id {version['id']}): {version['status']}"
    )
    for step in version.get("check_steps", []):
        if step["status"] in _MARK:
            echo(_step_line(step))
        else:
            echo(f"  … {step['name']} ({step['status']})")
    if version.get("failure_reason"):
        echo(f"Failure: {version['failure_reason']}")
    if version.get("review_reason"):
        echo(f"Review: {version['review_reason']}")
    return _verdict(version) if args.wait else EXIT_OK


def run_ls(args: argparse.Namespace) -> int:
    client = _client(args)
    rows = []
    for learnware in client.list(mine=not args.all):
        newest = client.versions(learnware["id"])[:1] if not args.all else []
        live = learnware.get("live_version")
        rows.append(
            {
                "id": learnware["id"],
                "name": learnware["name"],
                "status": newest[0]["status"] if newest else "approved",
                "version_id": newest[0]["id"] if newest else (live or {}).get("id"),
                "live": f"v{live['number']}" if live else "-",
                "task": f"{learnware['data_type']}/{learnware['task_type']}",
            }
        )
    if args.json:
        echo(json.dumps(rows, indent=2))
        return EXIT_OK
    if not rows:
        echo("No learnwares." if args.all else "You have no learnwares yet.")
        return EXIT_OK
    header = ("ID", "VERSION", "STATUS", "LIVE", "KIND", "NAME")
    table = [header] + [
        (
            str(r["id"]),
            str(r["version_id"] or "-"),
            r["status"],
            r["live"],
            r["task"],
            r["name"],
        )
        for r in rows
    ]
    _print_table(table)
    return EXIT_OK


def _print_table(table: Sequence[tuple[str, ...]]) -> None:
    """Columns padded to their widest cell; the last column is not padded."""
    for line in _table_lines(table):
        echo(line)


def _table_lines(table: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + row[-1]
        for row in table
    ]


def run_rm(args: argparse.Namespace) -> int:
    client = _client(args)
    if not args.yes and sys.stdin.isatty():
        name = client.get(args.learnware_id)["name"]
        answer = input(f"Delete learnware {args.learnware_id} ({name})? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            echo("Not deleted.")
            return EXIT_OK
    client.delete(args.learnware_id)
    echo(f"Deleted learnware {args.learnware_id}.")
    return EXIT_OK


def run_download(args: argparse.Namespace) -> int:
    client = _client(args)
    path = client.download(
        args.learnware_id, args.output or ".", progress=progress_enabled(_quiet(args))
    )
    echo(f"Saved {path} ({path.stat().st_size} bytes).")
    return EXIT_OK


def run_deploy(args: argparse.Namespace) -> int:
    from learnware_core.reuse import AveragingReuser

    X, _names = read_table(
        args.predict, columns=split_names(args.columns), drop=split_names(args.drop)
    )
    client = _client(args)
    quiet = _quiet(args)
    ids = list(dict.fromkeys(args.learnware_ids))

    def say(message: str) -> None:  # progress on stderr: stdout may be the CSV
        if not quiet:
            echo(message, stream=sys.stderr)

    say(f"Loading {len(ids)} learnware(s): {', '.join(map(str, ids))} ...")
    with sandbox_hint():
        learnwares = client.load(
            ids,
            allow_unsandboxed=args.unsandboxed,
            progress=progress_enabled(quiet),
        )
    try:
        for lw in learnwares:
            where = "sandboxed" if lw.sandboxed else "NOT sandboxed (no bubblewrap)"
            say(f"  {lw.name}: running, {where}")
        say(f"Predicting {X.shape[0]} rows ...")
        if len(learnwares) == 1:
            y = learnwares[0].predict(X)
        else:
            reuser = AveragingReuser(learnwares, mode=args.mode).fit()
            y = reuser.predict(X)
    finally:
        for lw in learnwares:
            lw.close()
    text = _predictions_csv(np.asarray(y))
    if args.output:
        path = atomic_write_bytes(args.output, text.encode())
        say(f"Wrote {path} ({len(y)} rows).")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _predictions_csv(y: NDArray[Any]) -> str:
    """``prediction`` (1-D) or ``y0, y1, ...`` (one column per output)."""
    table = y.reshape(len(y), -1)
    names = ["prediction"] if y.ndim == 1 else [f"y{i}" for i in range(table.shape[1])]
    out = io.StringIO()
    fmt = "%d" if table.dtype.kind in "biu" else "%.10g"
    np.savetxt(out, table, delimiter=",", header=",".join(names), comments="", fmt=fmt)
    return out.getvalue()


# ------------------------------------------------------------------ parsers
def run_search(args: argparse.Namespace) -> int:
    spec: Any = None
    names: list[str] = []
    X: NDArray[np.float64] | None = None
    auto = args.gamma is None and args.standardize is None  # the default fit
    if args.table:  # made here; only the spec is sent
        X, names = read_table(
            args.table, columns=split_names(args.columns), drop=split_names(args.drop)
        )
        fit = fit_table(
            X,
            gamma=args.gamma,
            standardize=args.standardize,
            n_points=args.k,
            random_state=args.seed,
            column_names=names,
        )
        for message in fit.warnings:
            warn(message)
        spec = fit.spec
    elif args.stat:
        spec = read_json(args.stat, what="statistical specification")
    if spec is None and not (args.query or args.data_type or args.task_type):
        raise CLIError("give --table DATA, --stat stat.json, --query or a tag filter")
    client = _client(args)

    def search(stat_spec: Any) -> dict[str, Any]:
        return client.search(
            stat_spec=stat_spec,
            query=args.query or "",
            data_type=args.data_type or "",
            task_type=args.task_type or "",
            library_type=args.library_type or "",
            top_k=args.top_k,
            input_descriptions=_descriptions(args.describe, names),
            output_descriptions=_output_descriptions(args.output_description),
            hetero=args.hetero,
        )

    result: dict[str, Any] | None = None
    try:
        result = search(spec)
    except ClientError as exc:  # an old dock refuses a gamma none of its specs has
        if not (X is not None and auto and "feature space" in exc.message):
            raise
    if X is not None and auto and _old_dock_missed(result, hetero=args.hetero):
        warn(
            "this dock compares only specifications of one gamma (an old dock): "
            "searching again with a spec fitted on the raw columns with gamma 0.1"
        )
        legacy = fit_table(X, gamma=0.1, n_points=args.k, random_state=args.seed)
        result = search(legacy.spec)
    assert result is not None
    if args.json:
        echo(json.dumps(result, indent=2))
        return EXIT_OK
    print_search_result(result)
    return EXIT_OK


def _old_dock_missed(result: dict[str, Any] | None, *, hetero: bool) -> bool:
    """Whether a dock without island search failed a standardised spec: it refused
    it (``None``) or sent it to the specification world although not asked to."""
    if result is None:
        return True
    return "no_match" not in result and bool(result.get("heterogeneous")) and not hetero


_NO_GOOD_MATCH = "no good match"


def print_search_result(result: dict[str, Any]) -> None:
    """Print a search answer: "No good match: ...", or the table of results (with a
    confidence column when the dock sends confidences, each result's reason under
    it) and the proposed combination. Fields a dock without island search does not
    send (``no_match``, ``reason``, ``confidence``, ``missing_columns``) are
    optional."""
    results: list[dict[str, Any]] = list(result.get("results") or [])
    reason = result.get("reason")
    if result.get("no_match"):
        why = str(reason or "no learnware fits your data well enough")
        if why.lower().startswith(_NO_GOOD_MATCH):
            why = why[len(_NO_GOOD_MATCH) :].lstrip(" :")
        echo(f"No good match: {why}")
        if results:
            echo("\nThe closest learnwares (weak, not recommended):")
            _print_hits(results)
        return
    if not results:
        echo("No learnware matches." + (f" {reason}" if reason else ""))
        return
    if result.get("heterogeneous"):
        echo(f"Ranked in the specification world (engine {result['engine_version']}).")
    if reason:
        echo(f"Note: {reason}")
    _print_hits(results)
    multiple = result.get("multiple")
    if multiple:
        parts = ", ".join(
            f"{lw['id']} ({w:.2f})"
            for lw, w in zip(multiple["learnwares"], multiple["weights"], strict=True)
        )
        line = f"\nCombination (weights): {parts}; score {multiple['score']:.3f}"
        if multiple.get("confidence") is not None:
            line += f"; confidence {_percent(multiple['confidence'])}"
        echo(line)


def _percent(value: float) -> str:
    return f"{100.0 * float(value):.0f}%"


def _print_hits(results: list[dict[str, Any]]) -> None:
    """The results table; a result's reason and unfed columns on a line under it."""
    confident = any(hit.get("confidence") is not None for hit in results)
    middle = ("CONFIDENCE",) if confident else ()
    table = [("ID", *middle, "SCORE", "MMD^2", "KIND", "NAME")]
    notes: list[str] = []
    for hit in results:
        lw = hit["learnware"]
        row: tuple[str, ...] = (str(lw["id"]),)
        if confident:
            conf = hit.get("confidence")
            row += ("-" if conf is None else _percent(conf),)
        score, mmd2 = hit.get("score"), hit.get("mmd2")
        row += (
            "-" if score is None else f"{score:.3f}",
            "-" if mmd2 is None else f"{mmd2:.5f}",
            f"{lw['data_type']}/{lw['task_type']}",
            lw["name"],
        )
        table.append(row)
        parts = [str(hit["reason"])] if hit.get("reason") else []
        missing = hit.get("missing_columns") or []
        if missing:
            listed = ", ".join(str(int(c)) for c in missing)
            parts.append(f"your data cannot feed its column(s) {listed}")
        notes.append("; ".join(parts))
    lines = _table_lines(table)
    echo(lines[0])
    for line, note in zip(lines[1:], notes, strict=True):
        echo(line)
        if note:
            echo(f"    {note}")


def _descriptions(source: str | None, names: list[str]) -> dict[str, str] | None:
    """``--describe``: ``header`` (the table's column names; the default with a
    named table), ``none``, or a JSON file, either ``{"0": "age in years", ...}`` or
    a semantic spec with ``Input.Description``."""
    if source is None:
        source = "header" if names else "none"
    if source == "none":
        return None
    if source == "header":
        if not names:
            raise CLIError("--describe header needs --table with named columns")
        return {str(i): name for i, name in enumerate(names)}
    return _descriptions_file(source, "Input")


def _output_descriptions(source: str | None) -> dict[str, str] | None:
    """``--output-description``: a JSON file (``{"0": ...}`` or a semantic spec
    with ``Output.Description``) if it names one, else the text itself."""
    if source is None:
        return None
    if not source.lower().endswith(".json") or not os.path.isfile(source):
        return {"0": source}
    return _descriptions_file(source, "Output")


def _descriptions_file(source: str, key: str) -> dict[str, str]:
    """A JSON file of descriptions: ``{"0": ...}`` or a semantic spec's
    ``<key>.Description`` (``key``: ``Input`` or ``Output``)."""
    data = read_json(source, what=f"{key.lower()} descriptions")
    if isinstance(data, dict) and isinstance(data.get(key), dict):
        data = data[key].get("Description")
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise CLIError(
            f'{source}: expected {{"0": "description", ...}} or a semantic spec '
            f"with {key}.Description"
        )
    return {str(k): v for k, v in data.items()}


def _sandbox_options(parser: argparse.ArgumentParser) -> None:
    """``--unsandboxed`` (explicit opt-out of the bubblewrap sandbox)."""
    parser.add_argument(
        "--unsandboxed",
        action="store_true",
        help="if bubblewrap is unavailable, run the learnware's code WITHOUT "
        "isolation (it can read and change everything you can)",
    )
    # sandboxed is the default now; kept so that older instructions still work
    parser.add_argument(
        "--require-sandbox", action="store_true", help=argparse.SUPPRESS
    )


@contextlib.contextmanager
def sandbox_hint() -> Iterator[None]:
    """A missing sandbox as a CLI error naming ``--unsandboxed``."""
    from learnware_core.runtime.errors import SandboxUnavailableError

    try:
        yield
    except SandboxUnavailableError as exc:
        text = str(exc).split(", or pass allow_unsandboxed=True", 1)[0]
        raise CLIError(
            f"{text}, or run with --unsandboxed to run the learnware's code on this "
            "machine without isolation"
        ) from None


def _url_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        help="the dock, e.g. https://dock.example.org (default: BMW_URL, else the "
        "one saved by 'bmw login')",
    )


def add_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register the remote commands on ``bmw``'s sub-command parser."""
    where = "Uses the URL and API token saved by 'bmw login' (or BMW_URL / BMW_TOKEN)."
    login = commands.add_parser(
        "login",
        help="save the dock's URL and your API token",
        description="Check an API token against the dock and save the URL and "
        f"token to {credentials_path()} (readable only by you). Create a token in "
        "the web app (Account → API tokens). Without --token you are asked for it "
        "(not echoed).",
    )
    _url_option(login)
    login.add_argument("--token", help="the API token (default: ask for it)")
    login.set_defaults(func=run_login)

    upload = commands.add_parser(
        "upload",
        help="upload a learnware zip as a new learnware",
        description="Upload a learnware package (see 'bmw pack' and 'bmw check') "
        "with its semantic specification. The dock checks it in the background "
        "(the model is run in a sandbox), then a reviewer approves it. With "
        "--wait, each check step is shown as it finishes and the exit status is "
        "1 if a check fails. " + where,
    )
    upload.add_argument("package", metavar="PACKAGE.zip", help="the learnware zip")
    upload.add_argument(
        "--semantic", required=True, help="semantic specification JSON file"
    )
    upload.add_argument(
        "--wait", action="store_true", help="wait for the checks; exit 1 if they fail"
    )
    upload.add_argument(
        "--timeout",
        type=float,
        default=3600.0,
        metavar="S",
        help="with --wait: give up after S seconds (default: 3600)",
    )
    _url_option(upload)
    upload.set_defaults(func=run_upload)

    ls = commands.add_parser(
        "ls",
        help="list your learnwares and their newest version's status",
        description="List your learnwares (every status), newest first, with the "
        "newest version's id and status and the live (approved) version. " + where,
    )
    ls.add_argument(
        "--all", action="store_true", help="list all approved learnwares instead"
    )
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    _url_option(ls)
    ls.set_defaults(func=run_ls)

    rm = commands.add_parser(
        "rm",
        help="delete one of your learnwares",
        description="Delete a learnware: it disappears from search, lists and "
        "downloads. Asks for confirmation on a terminal unless --yes. " + where,
    )
    rm.add_argument("learnware_id", metavar="ID", type=int, help="learnware id")
    rm.add_argument("-y", "--yes", action="store_true", help="do not ask")
    _url_option(rm)
    rm.set_defaults(func=run_rm)

    download = commands.add_parser(
        "download",
        help="download a learnware's package",
        description="Download the live version's zip (your own newest version if "
        "none is approved yet). The size is verified before the file is written. "
        + where,
    )
    download.add_argument("learnware_id", metavar="ID", type=int, help="learnware id")
    download.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="file (or folder) to write (default: the server's file name here)",
    )
    _url_option(download)
    download.set_defaults(func=run_download)

    status = commands.add_parser(
        "status",
        help="show a version's checks and review status",
        description="Show a version's status and each check step (upload prints "
        "the version id). With --wait, follow the checks until they finish; the "
        "exit status is then 1 if they failed. " + where,
    )
    status.add_argument("version_id", metavar="VERSION_ID", type=int)
    status.add_argument("--wait", action="store_true", help="follow until done")
    status.add_argument(
        "--timeout", type=float, default=3600.0, metavar="S", help="with --wait"
    )
    status.add_argument("--json", action="store_true", help="machine-readable output")
    _url_option(status)
    status.set_defaults(func=run_status)

    search = commands.add_parser(
        "search",
        help="search approved learnwares (your data stays here)",
        description="Search approved learnwares by tags and text and, with --table, "
        "by your data: its RKME is computed here and only that summary is sent "
        "(your rows never leave this machine; it is fitted on standardised "
        "columns unless --gamma is a number, see 'bmw spec table --help'). Prints "
        "the best learnwares with their confidence (when the dock estimates one: "
        "the chance a learnware was built on data like yours), score and squared "
        "MMD, and a weighted combination when several learnwares together fit your "
        "data better; or 'No good match' and why. " + where,
    )
    source = search.add_mutually_exclusive_group()
    source.add_argument(
        "--table", metavar="DATA", help="CSV/TSV/Parquet/NPY of your data"
    )
    source.add_argument("--stat", metavar="stat.json", help="a spec made by 'bmw spec'")
    search.add_argument("--query", help="text to match names and descriptions")
    search.add_argument("--data-type", help="Table, Image or Text")
    search.add_argument("--task-type", help="e.g. Classification")
    search.add_argument("--library-type", help="e.g. Scikit-learn")
    search.add_argument("--top-k", type=int, default=10, metavar="N")
    search.add_argument(
        "--columns",
        action="append",
        metavar="A,B,...",
        help="with --table: use only these columns, in this order (repeatable)",
    )
    search.add_argument(
        "--drop",
        action="append",
        metavar="A,B,...",
        help="with --table: ignore these columns (repeatable)",
    )
    search.add_argument("--k", type=int, default=100, help="with --table: RKME size")
    add_table_kernel_options(search)
    search.add_argument("--seed", type=int, default=0)
    search.add_argument(
        "--describe",
        metavar="header|none|FILE",
        help="your columns' descriptions, to find the learnwares whose columns mean "
        "the same (or, failing that, in the specification world): 'header' (the "
        "table's column names; the default with --table), 'none', or a JSON file "
        '({"0": "age in years", ...} or a semantic spec)',
    )
    search.add_argument(
        "--output-description",
        metavar="TEXT|FILE",
        help="what you predict, so learnwares predicting something else are not "
        'offered: a text (one output), or a JSON file ({"0": "class a", ...}, '
        "one per label, or a semantic spec with Output.Description)",
    )
    search.add_argument(
        "--hetero",
        action="store_true",
        help="search the specification world even if learnwares share your columns",
    )
    search.add_argument("--json", action="store_true", help="machine-readable output")
    _url_option(search)
    search.set_defaults(func=run_search)

    deploy = commands.add_parser(
        "deploy",
        help="download learnwares and predict with them on this machine",
        description="Download learnwares (cached per version under "
        "~/.cache/bmw), build their environments (cached too), start each model "
        "in a bubblewrap sandbox without network and predict the rows of --predict. "
        "Several learnwares are combined with AveragingReuser (--mode). Without "
        "bubblewrap it stops and says how to install it; --unsandboxed runs the "
        "models' code here without isolation. Predictions go to -o as CSV, else to "
        "stdout. " + where,
    )
    deploy.add_argument(
        "learnware_ids", metavar="ID", type=int, nargs="+", help="learnware id(s)"
    )
    deploy.add_argument(
        "--predict", required=True, metavar="DATA", help="CSV/TSV/Parquet/NPY rows"
    )
    deploy.add_argument("-o", "--output", metavar="FILE", help="predictions CSV")
    deploy.add_argument(
        "--mode",
        choices=("mean", "vote_by_label", "vote_by_prob"),
        default="mean",
        help="how several learnwares are combined (default: mean)",
    )
    deploy.add_argument(
        "--columns", action="append", metavar="A,B,...", help="use only these columns"
    )
    deploy.add_argument(
        "--drop", action="append", metavar="A,B,...", help="leave out these columns"
    )
    _sandbox_options(deploy)
    _url_option(deploy)
    deploy.set_defaults(func=run_deploy)

    for sub in (login, upload, ls, rm, download, status, search, deploy):
        common(sub)
