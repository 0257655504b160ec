"""Deploy bundles: learnware packages plus what runs them offline, as one zip.

A bundle holds ``learnwares/<id>.zip`` (each package as stored), ``learnware_core/``
(this repository's framework-free library), ``requirements.txt`` (what that library
needs to load and run learnwares), ``run.py`` (:mod:`market.bundles.files.run`),
``bundle.json`` (ids, weights, reuser) and a ``README.md``. It is written to an
anonymous temporary file, streamed to the client and deleted when closed.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import learnware_core
from accounts.models import User
from bmw.errors import ApplicationError, NotFoundError, UnavailableError
from bmw.storage import CHUNK, STORAGE_ERRORS
from market import services
from market.models import Learnware, LearnwareVersion
from market.selectors import learnware_list

MAX_LEARNWARES = 10
#: Third-party packages ``learnware_core.runtime`` / ``.reuse`` / ``.package`` import
#: (bounds as in pyproject.toml); ``uv`` builds the learnwares' environments fast.
REQUIREMENTS = (
    "numpy>=2.0",
    "scipy>=1.13",
    "scikit-learn>=1.5",
    "pyyaml>=6.0",
    "packaging>=24",
    "uv>=0.5",
)
_LIBRARY = Path(learnware_core.__file__).resolve().parent
_RUN_SCRIPT = Path(__file__).resolve().parent / "files" / "run.py"
_SKIP = ("__pycache__",)


@dataclass(frozen=True)
class Bundle:
    """A finished bundle: an open temporary file (deleted on close) and its name."""

    file: IO[bytes]
    size: int
    filename: str


def default_reuser(
    learnwares: Sequence[Learnware], weights: Sequence[float] | None
) -> tuple[str | None, str | None]:
    """``(reuser, mode)`` for several learnwares: routing by RKME when the search gave
    mixture weights over table learnwares, else averaging (vote for classifiers)."""
    if len(learnwares) < 2:
        return None, None
    tasks = {lw.task_type for lw in learnwares}
    mode = "vote_by_label" if tasks == {"Classification"} else "mean"
    if weights is not None and all(lw.data_type == "Table" for lw in learnwares):
        return "job_selector", mode
    return "averaging", mode


def bundle_learnware(*, learnware: Learnware) -> Bundle:
    """One learnware's bundle: its live version (owners and staff: the newest one if
    none is approved yet, as the download). Counts a download."""
    version = learnware.live_version or learnware.versions.order_by("-number").first()
    if version is None:
        raise NotFoundError("no package to bundle")
    bundle = _build([(learnware, version)], weights=None)
    services.learnware_downloaded(learnware=learnware)
    return bundle


def bundle_learnwares(
    *,
    learnware_ids: Sequence[int],
    weights: Sequence[float] | None,
    viewer: User | None,
) -> Bundle:
    """A bundle of approved learnwares the viewer may see (e.g. a multiple search
    result) with their weights. Counts a download of each."""
    learnwares = _approved(learnware_ids, viewer)
    pairs = []
    for learnware in learnwares:
        assert learnware.live_version is not None
        pairs.append((learnware, learnware.live_version))
    bundle = _build(pairs, weights=weights)
    for learnware in learnwares:
        services.learnware_downloaded(learnware=learnware)
    return bundle


def _approved(learnware_ids: Sequence[int], viewer: User | None) -> list[Learnware]:
    """The learnwares in the order given; 404 if one is not visible, 400 if one is
    visible (its owner's, staff) but not approved."""
    ids = list(dict.fromkeys(learnware_ids))
    found = {lw.id: lw for lw in learnware_list(viewer=viewer).filter(id__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        unapproved = set(
            learnware_list(viewer=viewer, approved_only=False)
            .filter(id__in=missing)
            .values_list("id", flat=True)
        )
        if unapproved:
            names = ", ".join(str(i) for i in sorted(unapproved))
            problem = f"not approved: {names}"
            raise ApplicationError(
                f"learnware_ids: {problem}",
                extra={"fields": {"learnware_ids": [problem]}},
            )
        names = ", ".join(str(i) for i in missing)
        raise NotFoundError(
            f"learnware(s) {names} not found", extra={"learnware_ids": missing}
        )
    return [found[i] for i in ids]


def _build(
    pairs: Sequence[tuple[Learnware, LearnwareVersion]],
    *,
    weights: Sequence[float] | None,
) -> Bundle:
    learnwares = [lw for lw, _ in pairs]
    reuser, mode = default_reuser(learnwares, weights)
    config = {
        "learnwares": [
            {
                "id": lw.id,
                "name": lw.name,
                "version": version.number,
                "package_sha256": version.package_sha256,
                "data_type": lw.data_type,
                "task_type": lw.task_type,
                "file": f"learnwares/{lw.id}.zip",
            }
            for lw, version in pairs
        ],
        "weights": list(weights) if weights is not None else None,
        "reuser": reuser,
        "mode": mode,
    }
    file = tempfile.TemporaryFile(prefix="bmw-bundle-")  # noqa: SIM115 - returned
    try:
        with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as zf:
            for lw, version in pairs:
                _add_package(zf, f"learnwares/{lw.id}.zip", version)
            _add_library(zf)
            zf.writestr("requirements.txt", "\n".join(REQUIREMENTS) + "\n")
            zf.write(_RUN_SCRIPT, "run.py")
            zf.writestr("bundle.json", json.dumps(config, indent=2) + "\n")
            zf.writestr("README.md", _readme(config))
        size = file.tell()
        file.seek(0)
    except BaseException:
        file.close()
        raise
    ids = "-".join(str(lw.id) for lw in learnwares)
    return Bundle(file=file, size=size, filename=f"learnware-bundle-{ids}.zip")


def _add_package(zf: zipfile.ZipFile, name: str, version: LearnwareVersion) -> None:
    """Copy the stored package in chunks (a zip already: stored, not deflated)."""
    try:
        with (
            version.package.open("rb") as src,
            zf.open(
                zipfile.ZipInfo(name, date_time=version.created_at.timetuple()[:6]),
                "w",
                force_zip64=True,
            ) as dst,
        ):
            shutil.copyfileobj(src, dst, CHUNK)
    except STORAGE_ERRORS as exc:
        raise UnavailableError(
            "the package store is unavailable; try again soon",
            extra={"detail": str(exc)},
        ) from exc


def _add_library(zf: zipfile.ZipFile) -> None:
    for path in sorted(_LIBRARY.rglob("*")):
        relative = path.relative_to(_LIBRARY)
        skipped = any(p in _SKIP for p in relative.parts) or path.suffix == ".pyc"
        if path.is_file() and not skipped:
            zf.write(path, f"learnware_core/{relative.as_posix()}")


def _readme(config: dict[str, Any]) -> str:
    entries = config["learnwares"]
    lines = [
        "# Learnware bundle",
        "",
        "Learnware(s): "
        + ", ".join(f"{e['id']} ({e['name']}, version {e['version']})" for e in entries)
        + ".",
        "",
        "Run on your own machine, offline (Python 3.11 or 3.12):",
        "",
        "```sh",
        "pip install -r requirements.txt",
        "python run.py input.csv",
        "```",
        "",
        "`input.csv` holds one row per sample (a header row is allowed; `.npy` works "
        "too). Predictions go to `predictions.csv` (`-o` to change), one row per "
        "input row. The first run builds each learnware's environment from its "
        "`requirements.txt` (cached in `~/.cache/bmw`). The models run in the "
        "bubblewrap sandbox (Linux; `apt-get install bubblewrap libseccomp2`), "
        "without network or access to your files; without bubblewrap `run.py` "
        "stops. `python run.py --unsandboxed input.csv` runs them without "
        "isolation instead: only for code you trust.",
    ]
    if config["reuser"]:
        weights = config["weights"]
        how = (
            "`JobSelectorReuser` (each row goes to one learnware)"
            if config["reuser"] == "job_selector"
            else f"`AveragingReuser` (mode `{config['mode']}`)"
        )
        lines += [
            "",
            f"The learnwares are combined with {how}"
            + (f", weights {weights}" if weights else "")
            + "; `python run.py --help` lists the options.",
        ]
    lines += [
        "",
        "Files: `learnwares/<id>.zip` (the packages), `learnware_core/` (the library "
        "that runs them), `bundle.json` (ids, weights, reuser), `run.py`.",
        "",
    ]
    return "\n".join(lines)
