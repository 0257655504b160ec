"""Write learnware zips in the original layout, validated before they are kept."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from learnware_core._files import default_file_mode
from learnware_core.errors import PackageError
from learnware_core.package.archive import MANIFEST_NAME, canonical_name
from learnware_core.package.limits import PackageLimits
from learnware_core.package.manifest import (
    DEFAULT_SPEC_MODULE,
    LearnwareManifest,
)
from learnware_core.package.reader import DEFAULT_LIMITS, PackageInfo, inspect_package
from learnware_core.package.yaml_io import dump_yaml
from learnware_core.specification.base import StatSpecification
from learnware_core.specification.semantic import SemanticSpec

__all__ = ["SEMANTIC_FILE_NAME", "write_package"]

#: File name the original back end uses for the embedded semantic spec.
SEMANTIC_FILE_NAME = "semantic_specification.json"
#: Fixed timestamp so the same content always gives the same bytes (and MD5).
_EPOCH = (1980, 1, 1, 0, 0, 0)
_SKIPPED_DIRS = frozenset({"__pycache__", ".git", ".ipynb_checkpoints"})
_Content = bytes | str | Path


def write_package(
    dest: str | os.PathLike[str],
    *,
    model_files: str | os.PathLike[str] | Mapping[str, bytes | str | Path],
    learnware_yaml: LearnwareManifest | Mapping[str, Any],
    stat_specs: Mapping[str, StatSpecification | Mapping[str, Any]],
    requirements: str | Sequence[str] | None = None,
    environment: str | Mapping[str, Any] | None = None,
    semantic_spec: SemanticSpec | None = None,
    limits: PackageLimits = DEFAULT_LIMITS,
) -> PackageInfo:
    """Write a learnware zip, check it with :func:`inspect_package`, then keep it.

    Parameters
    ----------
    dest : path
        The zip to create (replaced atomically; untouched if validation fails).
    model_files : path or Mapping[str, bytes | str | Path]
        A folder whose files are all packed (``__pycache__``, ``*.pyc`` and
        symlinks skipped), or ``{relative name: content}`` where a Path's file
        is copied. Must provide ``__init__.py``.
    learnware_yaml : LearnwareManifest or Mapping
        The ``learnware.yaml`` content. If a mapping has no ``stat_specifications``,
        one entry per ``stat_specs`` file is generated.
    stat_specs : Mapping[str, StatSpecification | Mapping]
        ``{file name: specification or its dict}``, written as compact JSON.
    requirements : str or sequence of str, optional
        ``requirements.txt`` content (text or one requirement per item).
    environment : str or Mapping, optional
        ``environment.yaml`` content. One of ``requirements``/``environment`` is
        required unless ``model_files`` already holds the file.
    semantic_spec : SemanticSpec, optional
        Embedded as ``semantic_specification.json`` and referenced from
        ``learnware.yaml``, like the original back end's repacked packages.
    limits : PackageLimits, default=PackageLimits()

    Returns
    -------
    info : PackageInfo
        The inspection of the written package.

    Raises
    ------
    PackageError
        If a generated file collides with a model file or the result is invalid.
    """
    files: dict[str, _Content] = dict(_model_entries(model_files))
    generated: dict[str, _Content] = {}
    for name, spec in stat_specs.items():
        data = spec.to_dict() if isinstance(spec, StatSpecification) else dict(spec)
        generated[canonical_name(name, label=repr(name))] = json.dumps(
            data, separators=(",", ":")
        )
    manifest = _manifest(learnware_yaml, stat_specs, semantic_spec)
    generated[MANIFEST_NAME] = dump_yaml(manifest.to_dict())
    if semantic_spec is not None:
        generated[SEMANTIC_FILE_NAME] = json.dumps(
            semantic_spec.to_dict(), ensure_ascii=False, indent=1
        )
    if requirements is not None:
        text = (
            requirements if isinstance(requirements, str) else "\n".join(requirements)
        )
        generated["requirements.txt"] = text if text.endswith("\n") else text + "\n"
    if environment is not None:
        generated["environment.yaml"] = (
            environment
            if isinstance(environment, str)
            else dump_yaml(dict(environment))
        )
    for name in generated:
        if name in files:
            raise PackageError(f"{name!r}: given both as a model file and generated")
    files.update(generated)
    return _write_checked(Path(dest), files, semantic_spec, limits)


def _manifest(
    learnware_yaml: LearnwareManifest | Mapping[str, Any],
    stat_specs: Mapping[str, StatSpecification | Mapping[str, Any]],
    semantic_spec: SemanticSpec | None,
) -> LearnwareManifest:
    if isinstance(learnware_yaml, LearnwareManifest):
        document = learnware_yaml.to_dict()
    else:
        document = dict(learnware_yaml)
    if not document.get("stat_specifications"):
        document["stat_specifications"] = [
            {
                "module_path": DEFAULT_SPEC_MODULE,
                "class_name": _type_name(spec),
                "file_name": name,
                "kwargs": {},
            }
            for name, spec in stat_specs.items()
        ]
    if semantic_spec is not None:
        document["semantic_specification"] = {"file_name": SEMANTIC_FILE_NAME}
    return LearnwareManifest.from_dict(document)


def _type_name(spec: StatSpecification | Mapping[str, Any]) -> str:
    name = spec.type_name if isinstance(spec, StatSpecification) else spec.get("type")
    if not isinstance(name, str):
        raise PackageError("stat_specs: a specification dict has no string 'type'")
    return name


def _model_entries(
    model_files: str | os.PathLike[str] | Mapping[str, bytes | str | Path],
) -> Iterator[tuple[str, _Content]]:
    if isinstance(model_files, Mapping):
        for name, content in model_files.items():
            yield canonical_name(name, label=repr(name)), content
        return
    folder = Path(model_files)
    if not folder.is_dir():
        raise PackageError(f"{folder}: model folder does not exist")
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_symlink() or any(p in _SKIPPED_DIRS for p in relative.parts):
            continue
        if path.is_file() and path.suffix != ".pyc":
            yield relative.as_posix(), path


def _write_checked(
    dest: Path,
    files: Mapping[str, _Content],
    semantic_spec: SemanticSpec | None,
    limits: PackageLimits,
) -> PackageInfo:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w") as zf:
            for name in sorted(files):
                _add(zf, name, files[name])
        info = inspect_package(tmp, semantic_spec=semantic_spec, limits=limits)
        tmp.chmod(default_file_mode())  # mkstemp creates 0600
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return info


def _add(zf: zipfile.ZipFile, name: str, content: _Content) -> None:
    entry = zipfile.ZipInfo(name, date_time=_EPOCH)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o100644 << 16
    if isinstance(content, Path):
        big = content.stat().st_size >= zipfile.ZIP64_LIMIT  # zip64 header needed
        with content.open("rb") as src, zf.open(entry, "w", force_zip64=big) as out:
            shutil.copyfileobj(src, out)
    else:
        zf.writestr(entry, content.encode() if isinstance(content, str) else content)
