"""``bmw check``: run every local check on a learnware zip and report each one.

The checks are every one the dock runs that does not need the sandbox: the package
reader (:func:`learnware_core.package.inspect_package`, bounded by
:mod:`learnware_core.package.limits`), the requirements as the dock installs them,
the statistical values and self-distance, and the pickle scan
(:mod:`learnware_core.pickle_scan`) on the unpacked files. Only building the
environment and running the model (and the dock's sensitive-word list) are left.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from learnware_core.cli._io import CLIError, existing_file, read_json
from learnware_core.cli._ui import echo, progress_enabled, symbols
from learnware_core.errors import LearnwareError, PackageError

__all__ = ["CheckResult", "run_check", "run_checks"]

_CHECKS = (
    ("archive", "zip archive is safe (names, links, sizes, compression)"),
    ("manifest", "learnware.yaml is valid"),
    ("model", "model module is in the package"),
    ("environment", "requirements.txt / environment.yaml"),
    ("stat", "statistical specification(s) load"),
    ("pickle", "pickle files name only known-safe globals"),
    ("stat_values", "statistical values are finite, distance to itself 0"),
    ("semantic", "semantic specification is valid"),
    ("match", "statistical spec matches the semantic spec"),
    ("encoder", "text specification uses the dock's encoder"),
)
_TITLES = dict(_CHECKS)


@dataclass
class CheckResult:
    """One line of the report.

    Attributes
    ----------
    key : str
        Stable identifier (``archive``, ``manifest`` ...).
    title : str
    status : str
        ``pass``, ``fail``, ``warn`` or ``skip``.
    detail : str
    """

    key: str
    title: str
    status: str = "skip"
    detail: str = ""


def _classify(message: str, semantic_file: str | None) -> str:
    """Which check a :class:`PackageError` from ``inspect_package`` belongs to.

    Reader messages are ``"<file>: <problem>"``; the file names the check.
    """
    head = message.split(":", 1)[0].strip()
    if head == "archive":
        return "archive"
    if head == "learnware.yaml":
        if "module_path" in message:
            return "model"
        return "stat" if "stat_specifications[" in message else "manifest"
    if head == "__init__.py" or head.endswith(".py"):
        return "model"
    if "requirements.txt" in head or "environment.yaml" in head:
        return "environment"
    if semantic_file is not None and head == semantic_file:
        return "semantic"
    return "stat"


def _archive_summary(path: Path) -> tuple[int, int, str | None]:
    """(files, unpacked bytes, the embedded semantic spec's file name or None)."""
    from learnware_core.package.archive import (
        MANIFEST_NAME,
        check_archive,
        check_directory_size,
    )
    from learnware_core.package.reader import DEFAULT_LIMITS

    with path.open("rb") as fh:
        check_directory_size(fh, DEFAULT_LIMITS)
        try:
            with zipfile.ZipFile(fh) as zf:
                listing = check_archive(zf, DEFAULT_LIMITS)
                semantic_file = _semantic_file(zf, listing.root + MANIFEST_NAME)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
            raise PackageError(f"archive: not a readable zip file ({exc})") from exc
    return len(listing.members), listing.total_bytes, semantic_file


def _semantic_file(zf: zipfile.ZipFile, manifest: str) -> str | None:
    """``semantic_specification.file_name`` of the manifest, if it reads (bounded);
    the reader reports any problem with it."""
    from learnware_core.package import LearnwareManifest, load_yaml
    from learnware_core.package.archive import read_member
    from learnware_core.package.reader import DEFAULT_LIMITS

    try:
        raw = read_member(
            zf, zf.getinfo(manifest), max_bytes=DEFAULT_LIMITS.max_yaml_bytes,
            label=manifest,
        )  # fmt: skip
        parsed = LearnwareManifest.from_dict(load_yaml(raw, file_name=manifest))
    except (LearnwareError, KeyError, TypeError, ValueError):
        return None
    return parsed.semantic_file


def _load_semantic(path: str) -> tuple[Any, str | None]:
    """(SemanticSpec or None, error message or None) from a ``--semantic`` file."""
    from learnware_core.specification.semantic import SemanticSpec

    raw = read_json(path, what="semantic spec file")
    try:
        return SemanticSpec.from_dict(raw), None
    except LearnwareError as exc:
        return None, f"{path}: {exc}"


def run_checks(package: Path, semantic_path: str | None) -> list[CheckResult]:
    """Run the checks in order; after a failure the dependent checks are skipped.

    The package is unpacked (bounded, like the dock does) into a temporary folder
    that is removed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="bmw-check-") as tmp:
        return _run_checks(package, semantic_path, Path(tmp) / "package")


def _run_checks(
    package: Path, semantic_path: str | None, folder: Path
) -> list[CheckResult]:
    from learnware_core.encoders import MINILM_NAME
    from learnware_core.package import extract_package, inspect_package

    results = {key: CheckResult(key, title) for key, title in _CHECKS}
    ordered = [results[key] for key, _ in _CHECKS]

    def fail(key: str, detail: str) -> list[CheckResult]:
        results[key].status, results[key].detail = "fail", detail
        for item in ordered:
            if item.status == "skip" and not item.detail:
                item.detail = "not run (an earlier check failed)"
        return ordered

    external = None
    if semantic_path is not None:
        external, problem = _load_semantic(semantic_path)
        if problem is not None:
            return fail("semantic", problem)

    try:
        n_files, n_bytes, semantic_file = _archive_summary(package)
    except PackageError as exc:
        return fail("archive", str(exc))
    except OSError as exc:
        return fail("archive", f"archive: cannot be read ({exc})")
    results["archive"].status = "pass"
    results["archive"].detail = f"{n_files} files, {n_bytes:,} bytes uncompressed"

    # Structure and specification files, with only an embedded semantic spec; the
    # reader validates everything before it unpacks.
    try:
        info = extract_package(package, folder)
    except PackageError as exc:
        key = _classify(str(exc), semantic_file)
        # inspect_package reads: manifest, model, environment, embedded semantic
        # spec, statistical specs; everything before the failing step passed.
        order = ("manifest", "model", "environment", "semantic", "stat")
        for earlier in order[: order.index(key)] if key in order else ():
            if earlier != "semantic":
                results[earlier].status = "pass"
        return fail(key, str(exc))
    manifest = info.manifest
    results["manifest"].status = "pass"
    results["manifest"].detail = (
        f"model class {manifest.model.class_name}, "
        f"{len(manifest.stat_specifications)} statistical spec(s)"
    )
    results["model"].status = "pass"
    results["model"].detail = manifest.model.module_file
    results["stat"].status = "pass"
    results["stat"].detail = "; ".join(_describe_stat(item) for item in info.stat_specs)
    failure = _unpacked_checks(folder, info, results)
    if failure is not None:
        return fail(*failure)

    semantic = external or info.semantic_spec
    if semantic is None:
        results["semantic"].detail = "not given (pass --semantic spec.json)"
        results["match"].detail = "needs a semantic spec"
    else:
        source = semantic_path or f"embedded {manifest.semantic_file}"
        results["semantic"].status = "pass"
        results["semantic"].detail = f"{source}: Data {semantic.data}, {semantic.task}"
        try:
            info = inspect_package(package, semantic_spec=semantic)
        except PackageError as exc:
            return fail("match", str(exc))
        results["match"].status = "pass"
        dim = semantic.input_dimension
        results["match"].detail = f"Data {semantic.data}" + (
            f", Input.Dimension {dim}" if dim is not None else ""
        )

    text = info.stat_spec("RKMETextSpecification")
    if text is None:
        results["encoder"].detail = "no text specification"
    else:
        encoder = str(text.to_dict().get("encoder"))
        if encoder == MINILM_NAME:
            results["encoder"].status = "pass"
            results["encoder"].detail = encoder
        else:
            results["encoder"].status = "warn"
            results["encoder"].detail = (
                f"made with {encoder}; the dock searches {MINILM_NAME} specs, so "
                "statistical search will not rank this learnware"
            )
    return ordered


def _unpacked_checks(
    folder: Path, info: Any, results: dict[str, CheckResult]
) -> tuple[str, str] | None:
    """Requirements, pickle scan and statistical values of the unpacked package.

    Fills the passing rows; returns ``(key, message)`` of the first failure.
    """
    from learnware_core.checks import (
        CheckFailed,
        check_stat_values,
        scan_package_pickles,
    )
    from learnware_core.runtime.requirements import read_requirements

    try:
        requirements = read_requirements(folder)
    except LearnwareError as exc:
        return "environment", str(exc)
    results["environment"].status = "pass"
    count = len(requirements.lines)
    results["environment"].detail = f"{info.environment_file}: {count} requirement(s)"
    try:
        outcome = scan_package_pickles(folder)
    except CheckFailed as exc:
        return "pickle", exc.message
    results["pickle"].status = "pass"
    results["pickle"].detail = outcome.message
    try:
        results["stat_values"].detail = check_stat_values(info)
    except LearnwareError as exc:
        return "stat_values", str(exc)
    results["stat_values"].status = "pass"
    return None


def _describe_stat(item: Any) -> str:
    data = item.spec.to_dict()
    z = data.get("z")
    shape = ""
    if isinstance(z, list) and z and isinstance(z[0], list):
        shape = f" (K={len(z)}, d={len(z[0])})"
    return f"{item.entry.file_name}: {item.type_name}{shape}"


def run_check(args: argparse.Namespace) -> int:
    """Entry point of ``bmw check``: 0 for a good package, 1 otherwise."""
    package = existing_file(args.package, what="package")
    if args.semantic is not None:
        existing_file(args.semantic, what="semantic spec file")
    if progress_enabled(args.quiet) and not args.json:
        echo(f"checking {package} ...")
    try:
        results = run_checks(package, args.semantic)
    except CLIError:
        raise
    ok = all(r.status != "fail" for r in results)
    if args.json:
        echo(
            json.dumps(
                {
                    "package": str(package),
                    "ok": ok,
                    "checks": [asdict(r) for r in results],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0 if ok else 1
    marks = symbols()
    echo(f"{package}")
    for r in results:
        line = f"  {marks[r.status]} {r.title}"
        echo(f"{line}: {r.detail}" if r.detail else line)
    failed = [r for r in results if r.status == "fail"]
    if ok:
        echo("PASS: the package is valid")
    else:
        echo(f"FAIL: {failed[0].detail}")
    return 0 if ok else 1
