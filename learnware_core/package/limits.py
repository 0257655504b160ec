"""Resource limits applied to a learnware zip before anything is read or extracted."""

from __future__ import annotations

from dataclasses import dataclass, fields

from learnware_core.errors import PackageError

__all__ = ["NESTED_ARCHIVE_SUFFIXES", "PackageLimits"]

_MiB = 1 << 20

#: Entry name endings treated as archives inside the package, which are refused
#: (their content would escape every limit below). ``.npz`` and ``.pt`` are zip
#: files too but are ordinary model weight formats, so they are allowed.
NESTED_ARCHIVE_SUFFIXES: tuple[str, ...] = (
    ".zip",
    ".tar",
    ".gz",
    ".tgz",
    ".bz2",
    ".tbz",
    ".tbz2",
    ".xz",
    ".txz",
    ".lz",
    ".lzma",
    ".zst",
    ".z",
    ".7z",
    ".rar",
    ".whl",
    ".egg",
    ".jar",
)


@dataclass(frozen=True)
class PackageLimits:
    """Upper bounds checked from the zip central directory.

    Parameters
    ----------
    max_files : int, default=1000
        Maximum number of entries (files and directories).
    max_total_bytes : int, default=1 GiB
        Maximum sum of the declared uncompressed sizes; extraction also counts the
        bytes actually written, so a lying header cannot exceed it.
    max_compression_ratio : float, default=200.0
        Maximum uncompressed/compressed size of one entry (zip-bomb guard) ...
    ratio_check_min_bytes : int, default=1 MiB
        ... applied to entries at least this large (tiny files compress well).
    max_yaml_bytes : int, default=1 MiB
        Maximum size of ``learnware.yaml``, ``environment.yaml`` and
        ``requirements.txt``.
    max_stat_spec_bytes : int, default=64 MiB
        Maximum size of one statistical or semantic specification JSON file.
    max_path_length : int, default=255
        Maximum length of an entry name.

    Raises
    ------
    PackageError
        If a limit is not positive.
    """

    max_files: int = 1000
    max_total_bytes: int = 1024 * _MiB
    max_compression_ratio: float = 200.0
    ratio_check_min_bytes: int = _MiB
    max_yaml_bytes: int = _MiB
    max_stat_spec_bytes: int = 64 * _MiB
    max_path_length: int = 255

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise PackageError(f"PackageLimits.{field.name} must be a number")
            if value <= 0:
                raise PackageError(
                    f"PackageLimits.{field.name} must be > 0, got {value!r}"
                )
