"""Inspect (validate without extracting) and safely extract learnware packages."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from learnware_core.errors import LearnwareError, PackageError, SpecificationError
from learnware_core.package.archive import (
    MANIFEST_NAME,
    ArchiveListing,
    canonical_name,
    check_archive,
    check_directory_size,
    extract_members,
    read_member,
)
from learnware_core.package.json_io import load_json
from learnware_core.package.limits import PackageLimits
from learnware_core.package.manifest import LearnwareManifest, StatSpecEntry
from learnware_core.package.yaml_io import decode_utf8, load_yaml
from learnware_core.specification.base import StatSpecification, get_spec_class
from learnware_core.specification.semantic import SemanticSpec

__all__ = [
    "DEFAULT_LIMITS",
    "ENVIRONMENT_FILES",
    "SPEC_CLASS_ALIASES",
    "STAT_SPEC_TYPES_BY_DATA",
    "PackageInfo",
    "PackageSource",
    "StatSpecFile",
    "extract_package",
    "inspect_package",
]

PackageSource = str | os.PathLike[str] | bytes | IO[bytes]
DEFAULT_LIMITS = PackageLimits()
#: Environment files in the original's order of priority; at least one is required.
ENVIRONMENT_FILES: tuple[str, ...] = ("environment.yaml", "requirements.txt")
#: Legacy class names and the ``type`` string they write.
SPEC_CLASS_ALIASES: Mapping[str, str] = {
    "RKMEStatSpecification": "RKMETableSpecification"
}
#: Statistical specification types accepted for each semantic ``Data`` value.
STAT_SPEC_TYPES_BY_DATA: Mapping[str, tuple[str, ...]] = {
    "Table": ("RKMETableSpecification",),
    "Image": ("RKMEImageSpecification",),
    "Text": ("RKMETextSpecification",),
}
#: Types whose ``z`` is (K, n_features) and must match ``Input.Dimension``.
_TABLE_SPEC_TYPES = ("RKMETableSpecification",)
_INIT_FILE = "__init__.py"


@dataclass(frozen=True)
class StatSpecFile:
    """A statistical specification file listed in ``learnware.yaml``, loaded.

    Attributes
    ----------
    entry : StatSpecEntry
        The ``stat_specifications`` item.
    type_name : str
        The registered type (the JSON ``type`` key).
    spec : StatSpecification
    """

    entry: StatSpecEntry
    type_name: str
    spec: StatSpecification


@dataclass(frozen=True)
class PackageInfo:
    """What a validated learnware package contains.

    Attributes
    ----------
    root : str
        ``""`` or the single top-level folder (with ``/``) the files sit in.
    files : Mapping[str, int]
        Uncompressed size of every file, by path relative to ``root``.
    total_bytes : int
        Sum of the uncompressed sizes.
    manifest : LearnwareManifest
        The parsed ``learnware.yaml``.
    stat_specs : tuple of StatSpecFile
        Every listed statistical specification, loaded through the registry.
    environment_file : str
        ``"environment.yaml"`` if present (it has priority), else
        ``"requirements.txt"``.
    semantic_spec : SemanticSpec or None
        The semantic spec checked against (given, or embedded in the package).
    """

    root: str
    files: Mapping[str, int]
    total_bytes: int
    manifest: LearnwareManifest
    stat_specs: tuple[StatSpecFile, ...]
    environment_file: str
    semantic_spec: SemanticSpec | None

    def stat_spec(self, type_name: str) -> StatSpecification | None:
        """Return the loaded specification of ``type_name``, or None."""
        for item in self.stat_specs:
            if item.type_name == type_name:
                return item.spec
        return None


def inspect_package(
    source: PackageSource,
    *,
    semantic_spec: SemanticSpec | None = None,
    limits: PackageLimits = DEFAULT_LIMITS,
) -> PackageInfo:
    """Validate a learnware zip without extracting anything.

    The archive is first checked from its central directory (see
    :class:`PackageLimits`); then ``learnware.yaml``, the model module, the
    environment file and every statistical specification are read (bounded) and
    validated. With a semantic spec (given, or referenced by ``learnware.yaml``) the
    specification types must suit ``Data`` and a table specification's ``z`` must
    have ``Input.Dimension`` columns.

    Parameters
    ----------
    source : path, bytes or binary file object
        The zip.
    semantic_spec : SemanticSpec, optional
        The spec the package is uploaded with; overrides an embedded one.
    limits : PackageLimits, default=PackageLimits()

    Returns
    -------
    info : PackageInfo

    Raises
    ------
    PackageError
        ``"<file>: <problem>"`` for the first problem found.
    """
    with _open_zip(source, limits) as zf:
        info, _ = _inspect_open(zf, semantic_spec, limits)
    return info


def extract_package(
    source: PackageSource,
    dest: str | os.PathLike[str],
    *,
    semantic_spec: SemanticSpec | None = None,
    limits: PackageLimits = DEFAULT_LIMITS,
) -> PackageInfo:
    """Validate like :func:`inspect_package`, then extract the package into ``dest``.

    A single top-level folder is flattened, so ``dest/learnware.yaml`` always exists
    afterwards. ``__MACOSX`` metadata is skipped. Permission bits from the archive are
    ignored.

    Parameters
    ----------
    source : path, bytes or binary file object
    dest : path
        A folder that does not exist or is empty. On failure it is left as found.
    semantic_spec : SemanticSpec, optional
    limits : PackageLimits, default=PackageLimits()

    Returns
    -------
    info : PackageInfo

    Raises
    ------
    PackageError
        If the package is invalid or unsafe, or ``dest`` is not empty.
    """
    target = Path(dest)
    existed = target.exists()
    if existed and (not target.is_dir() or any(target.iterdir())):
        raise PackageError(f"{target}: extraction folder must be empty")
    with _open_zip(source, limits) as zf:
        info, listing = _inspect_open(zf, semantic_spec, limits)
        target.mkdir(parents=True, exist_ok=True)
        try:
            extract_members(zf, listing, target, limits)
        except BaseException:
            _clear(target, remove_dir=not existed)
            raise
    return info


@contextmanager
def _open_zip(
    source: PackageSource, limits: PackageLimits
) -> Iterator[zipfile.ZipFile]:
    with ExitStack() as stack:
        fh: IO[bytes]
        if isinstance(source, bytes):
            fh = io.BytesIO(source)
        elif isinstance(source, str | os.PathLike):
            try:
                fh = stack.enter_context(open(source, "rb"))
            except OSError as exc:
                raise PackageError(f"archive: cannot be opened ({exc})") from exc
        else:
            fh = source
        try:
            # Bound the central directory before zipfile loads it into memory.
            check_directory_size(fh, limits)
            zf = stack.enter_context(zipfile.ZipFile(fh))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
            raise PackageError(f"archive: not a readable zip file ({exc})") from exc
        except OSError as exc:
            raise PackageError(f"archive: cannot be read ({exc})") from exc
        yield zf


def _clear(target: Path, *, remove_dir: bool) -> None:
    if remove_dir:
        shutil.rmtree(target, ignore_errors=True)
        return
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _inspect_open(
    zf: zipfile.ZipFile, semantic_spec: SemanticSpec | None, limits: PackageLimits
) -> tuple[PackageInfo, ArchiveListing]:
    listing = check_archive(zf, limits)
    members = listing.members
    raw = read_member(
        zf, members[MANIFEST_NAME], max_bytes=limits.max_yaml_bytes, label=MANIFEST_NAME
    )
    manifest = LearnwareManifest.from_dict(load_yaml(raw, file_name=MANIFEST_NAME))
    _check_model_files(manifest, members)
    environment_file = _check_environment(zf, members, limits)
    if manifest.semantic_file is not None:
        embedded = _read_semantic(zf, manifest.semantic_file, members, limits)
        semantic_spec = semantic_spec or embedded
    stat_specs = tuple(
        _load_stat_spec(zf, index, entry, members, semantic_spec, limits)
        for index, entry in enumerate(manifest.stat_specifications)
    )
    types = [s.type_name for s in stat_specs]
    if len(set(types)) != len(types):
        raise PackageError(
            f"{MANIFEST_NAME}: 'stat_specifications' lists a type more than once "
            f"({', '.join(types)})"
        )
    if semantic_spec is not None:
        _check_against_semantic(manifest, types, semantic_spec)
    info = PackageInfo(
        root=listing.root,
        files={name: member.file_size for name, member in members.items()},
        total_bytes=listing.total_bytes,
        manifest=manifest,
        stat_specs=stat_specs,
        environment_file=environment_file,
        semantic_spec=semantic_spec,
    )
    return info, listing


def _package_path(name: str, key: str, members: Mapping[str, Any]) -> str:
    """Resolve a file name given in ``learnware.yaml``; it must be in the package."""
    path = canonical_name(name, label=f"{MANIFEST_NAME}: {key} {name!r}")
    if path not in members:
        raise PackageError(f"{MANIFEST_NAME}: {key} {name!r} is not in the package")
    return path


def _check_model_files(
    manifest: LearnwareManifest, members: Mapping[str, zipfile.ZipInfo]
) -> None:
    if _INIT_FILE not in members:
        raise PackageError(f"{_INIT_FILE}: missing (the model class is defined there)")
    module = manifest.model.module_file
    if not module.endswith(".py"):
        raise PackageError(
            f"{MANIFEST_NAME}: 'model.module_path' {module!r} must be a .py file "
            "inside the package"
        )
    _package_path(module, "'model.module_path'", members)


def _check_environment(
    zf: zipfile.ZipFile, members: Mapping[str, zipfile.ZipInfo], limits: PackageLimits
) -> str:
    present = [name for name in ENVIRONMENT_FILES if name in members]
    if not present:
        raise PackageError(
            f"{' / '.join(ENVIRONMENT_FILES)}: missing (one of them is required)"
        )
    for name in present:
        data = read_member(
            zf, members[name], max_bytes=limits.max_yaml_bytes, label=name
        )
        if name.endswith(".yaml"):
            document = load_yaml(data, file_name=name)
            if not isinstance(document, Mapping):
                raise PackageError(f"{name}: must be a conda environment mapping")
        else:
            decode_utf8(data, file_name=name)
    return present[0]


def _read_json(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, max_bytes: int
) -> dict[str, Any]:
    raw = read_member(zf, info, max_bytes=max_bytes, label=path)
    data = load_json(raw, file_name=path)
    if not isinstance(data, dict):
        raise PackageError(f"{path}: must hold a JSON object")
    return data


def _read_semantic(
    zf: zipfile.ZipFile,
    name: str,
    members: Mapping[str, zipfile.ZipInfo],
    limits: PackageLimits,
) -> SemanticSpec:
    path = _package_path(name, "'semantic_specification.file_name'", members)
    try:
        data = _read_json(zf, members[path], path, limits.max_semantic_bytes)
        return SemanticSpec.from_dict(data)
    except SpecificationError as exc:
        raise PackageError(f"{path}: {exc}") from exc


def _load_stat_spec(
    zf: zipfile.ZipFile,
    index: int,
    entry: StatSpecEntry,
    members: Mapping[str, zipfile.ZipInfo],
    semantic_spec: SemanticSpec | None,
    limits: PackageLimits,
) -> StatSpecFile:
    key = f"'stat_specifications[{index}]'"
    type_name = SPEC_CLASS_ALIASES.get(entry.class_name, entry.class_name)
    try:
        cls = get_spec_class(type_name)
    except LearnwareError as exc:
        raise PackageError(f"{MANIFEST_NAME}: {key}: {exc}") from exc
    path = _package_path(entry.file_name, f"{key} file", members)
    data = _read_json(zf, members[path], path, limits.max_stat_spec_bytes)
    if data.get("type") != type_name:
        raise PackageError(
            f"{path}: 'type' is {data.get('type')!r} but {MANIFEST_NAME} lists it "
            f"as {type_name!r}"
        )
    if semantic_spec is not None and type_name in _TABLE_SPEC_TYPES:
        _check_table_dimension(path, data, semantic_spec)
    try:
        spec = cls.from_dict(data)
    except (LearnwareError, KeyError, TypeError, ValueError) as exc:
        raise PackageError(f"{path}: invalid {type_name} ({exc})") from exc
    return StatSpecFile(entry=entry, type_name=type_name, spec=spec)


def _check_table_dimension(
    path: str, data: Mapping[str, Any], semantic_spec: SemanticSpec
) -> None:
    expected = semantic_spec.input_dimension
    if expected is None:
        return
    z = data.get("z")
    if not (isinstance(z, list) and z and isinstance(z[0], list)):
        raise PackageError(f"{path}: 'z' must be a non-empty list of points")
    found = len(z[0])
    if found != expected:
        raise PackageError(
            f"{path}: 'z' has {found} columns but the semantic spec's "
            f"Input.Dimension is {expected}"
        )


def _check_against_semantic(
    manifest: LearnwareManifest, types: list[str], semantic_spec: SemanticSpec
) -> None:
    accepted = STAT_SPEC_TYPES_BY_DATA.get(semantic_spec.data, ())
    if accepted and not set(types) & set(accepted):
        raise PackageError(
            f"{MANIFEST_NAME}: Data {semantic_spec.data!r} needs a "
            f"{' or '.join(accepted)} in 'stat_specifications' "
            f"(found: {', '.join(types)})"
        )
    shape = manifest.model.kwargs.get("input_shape")
    expected = semantic_spec.input_dimension
    if (
        expected is not None
        and semantic_spec.data == "Table"
        and isinstance(shape, tuple | list)
        and tuple(shape) != (expected,)
    ):
        raise PackageError(
            f"{MANIFEST_NAME}: 'model.kwargs.input_shape' is {tuple(shape)} but the "
            f"semantic spec's Input.Dimension is {expected}"
        )
