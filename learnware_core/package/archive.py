"""Zip central-directory checks and bounded reads/extraction (no learnware semantics).

Everything here is decided from the central directory before any member is
decompressed: entry count, names (traversal, absolute paths, duplicates), types
(symlinks, devices), encryption, compression method, declared sizes and per-entry
compression ratio, and nested archives. Reads and extraction additionally count the
bytes really produced.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from learnware_core.errors import PackageError
from learnware_core.package.limits import NESTED_ARCHIVE_SUFFIXES, PackageLimits

__all__ = [
    "MANIFEST_NAME",
    "ArchiveListing",
    "canonical_name",
    "check_archive",
    "check_directory_size",
    "extract_members",
    "read_member",
]

MANIFEST_NAME = "learnware.yaml"
#: Folder macOS Finder adds to zips; ignored for layout and never extracted.
_MACOS_METADATA = "__MACOSX"
_SUPPORTED_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
_DRIVE = re.compile(r"[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CHUNK = 1 << 16
# End-of-central-directory record: signature, 4 x u16 (disk numbers, entry counts),
# u32 directory size, u32 directory offset, u16 comment length.
_EOCD = struct.Struct("<4s4H2LH")
_EOCD_SIG = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
# Fixed part of a central directory header; names are counted at 4 UTF-8 bytes per
# character and extra fields/comments get 1 KiB per entry.
_HEADER_BYTES = 46
_EXTRA_ALLOWANCE = 1024


@dataclass(frozen=True)
class ArchiveListing:
    """The checked content of a learnware zip.

    Attributes
    ----------
    root : str
        ``""`` when ``learnware.yaml`` is at the zip root, else the single top-level
        folder with a trailing slash (e.g. ``"my_learnware/"``).
    members : Mapping[str, zipfile.ZipInfo]
        Regular files by their path relative to ``root``, in archive order.
    directories : tuple of str
        Explicit directory entries relative to ``root`` (may be empty).
    total_bytes : int
        Sum of the declared uncompressed sizes of all entries.
    """

    root: str
    members: Mapping[str, zipfile.ZipInfo]
    directories: tuple[str, ...]
    total_bytes: int


def canonical_name(name: str, *, label: str) -> str:
    """Return ``name`` with ``.`` and empty parts removed; refuse unsafe paths.

    Raises
    ------
    PackageError
        For absolute or drive paths, backslashes, ``..`` parts, control characters
        or an empty name. ``label`` is used in the message.
    """
    if _CONTROL.search(name):
        raise PackageError(f"{label}: control characters in the path are not allowed")
    if "\\" in name:
        raise PackageError(f"{label}: backslashes in the path are not allowed")
    if name.startswith("/") or _DRIVE.match(name):
        raise PackageError(f"{label}: absolute paths are not allowed")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise PackageError(f"{label}: path traversal ('..') is not allowed")
    if not parts:
        raise PackageError(f"{label}: empty path")
    return "/".join(parts)


def check_directory_size(fh: IO[bytes], limits: PackageLimits) -> None:
    """Refuse archives whose declared entry count or central directory is too large.

    Reads only the end-of-central-directory records (zip64 aware), so a crafted
    directory with millions of entries is refused before :mod:`zipfile` loads it.
    Archives without a readable end record are left for :mod:`zipfile` to reject.

    Raises
    ------
    PackageError
        If the declared entry count exceeds ``limits.max_files`` or the directory
        exceeds what that many entries can need.
    """
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    tail_start = max(0, size - _EOCD.size - 0xFFFF)
    fh.seek(tail_start)
    tail = fh.read()
    pos = tail.rfind(_EOCD_SIG)
    if pos < 0 or pos + _EOCD.size > len(tail):
        return
    *_, entries, dir_size, _offset, _comment = _EOCD.unpack_from(tail, pos)
    eocd_at = tail_start + pos
    if (entries == 0xFFFF or dir_size == 0xFFFFFFFF) and eocd_at >= _ZIP64_LOCATOR.size:
        fh.seek(eocd_at - _ZIP64_LOCATOR.size)
        sig, _disk, record_at, _disks = _ZIP64_LOCATOR.unpack(
            fh.read(_ZIP64_LOCATOR.size)
        )
        if sig == b"PK\x06\x07" and record_at + _ZIP64_EOCD.size <= size:
            fh.seek(record_at)
            record = _ZIP64_EOCD.unpack(fh.read(_ZIP64_EOCD.size))
            if record[0] == b"PK\x06\x06":
                entries, dir_size = record[7], record[8]
    fh.seek(0)
    if entries > limits.max_files:
        raise PackageError(
            f"archive: {entries} entries exceed the limit of {limits.max_files}"
        )
    per_entry = _HEADER_BYTES + 4 * limits.max_path_length + _EXTRA_ALLOWANCE
    if dir_size > limits.max_files * per_entry:
        raise PackageError(
            f"archive: central directory of {dir_size} bytes is larger than "
            f"{limits.max_files} entries need"
        )


def check_archive(zf: zipfile.ZipFile, limits: PackageLimits) -> ArchiveListing:
    """Check every entry of ``zf`` against ``limits`` and locate the package root.

    Parameters
    ----------
    zf : zipfile.ZipFile
        An archive opened for reading; only its central directory is used.
    limits : PackageLimits

    Returns
    -------
    listing : ArchiveListing

    Raises
    ------
    PackageError
        Naming the entry and the problem.
    """
    infos = zf.infolist()
    if len(infos) > limits.max_files:
        raise PackageError(
            f"archive: {len(infos)} entries exceed the limit of {limits.max_files}"
        )
    files: dict[str, zipfile.ZipInfo] = {}
    dirs: set[str] = set()
    folded: dict[str, str] = {}
    total = 0
    for info in infos:
        raw = info.orig_filename
        label = repr(raw)
        if len(raw) > limits.max_path_length:
            raise PackageError(
                f"{label[:80]}...: path longer than {limits.max_path_length} characters"
            )
        name = canonical_name(raw, label=label)
        _check_entry_type(info, label)
        is_dir = info.is_dir()
        if not is_dir:
            _check_entry_content(info, label, limits)
        key = name.casefold()
        if key in folded:
            same = folded[key] == name
            raise PackageError(
                f"{label}: duplicate entry"
                + ("" if same else f" (differs only in case from {folded[key]!r})")
            )
        folded[key] = name
        if is_dir:
            dirs.add(name)
        else:
            files[name] = info
        total += info.file_size
        if total > limits.max_total_bytes:
            raise PackageError(
                f"archive: total uncompressed size exceeds the limit of "
                f"{limits.max_total_bytes} bytes"
            )
    _check_file_dir_conflicts(files)
    return _locate_root(files, dirs, total)


def _check_entry_type(info: zipfile.ZipInfo, label: str) -> None:
    if info.flag_bits & 0x1:
        raise PackageError(f"{label}: encrypted entries are not allowed")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise PackageError(f"{label}: symbolic links are not allowed")
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise PackageError(f"{label}: special files (devices, pipes) are not allowed")


def _check_entry_content(
    info: zipfile.ZipInfo, label: str, limits: PackageLimits
) -> None:
    if info.compress_type not in _SUPPORTED_METHODS:
        raise PackageError(
            f"{label}: unsupported compression method {info.compress_type}"
        )
    if info.filename.casefold().endswith(NESTED_ARCHIVE_SUFFIXES):
        raise PackageError(
            f"{label}: nested archives are not allowed (unpack it into the package)"
        )
    size = info.file_size
    if size > limits.max_entry_bytes:
        raise PackageError(
            f"{label}: {size} bytes uncompressed exceed the limit of "
            f"{limits.max_entry_bytes} bytes for one file"
        )
    # Every entry: the ratio may be exceeded only by a small slack (tiny files
    # compress well), so many medium entries cannot add up to a bomb either.
    allowed = limits.max_compression_ratio * info.compress_size
    if size > allowed + limits.ratio_check_min_bytes:
        ratio = size / max(info.compress_size, 1)
        raise PackageError(
            f"{label}: compression ratio {ratio:.0f} exceeds the limit of "
            f"{limits.max_compression_ratio:g} (possible zip bomb)"
        )


def _check_file_dir_conflicts(files: Mapping[str, zipfile.ZipInfo]) -> None:
    for name in files:
        parts = name.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent in files:
                raise PackageError(
                    f"{name!r}: its folder {parent!r} is also a file in the archive"
                )


def _locate_root(
    files: Mapping[str, zipfile.ZipInfo], dirs: set[str], total: int
) -> ArchiveListing:
    def visible(name: str) -> bool:
        return name.split("/", 1)[0] != _MACOS_METADATA

    names = [n for n in files if visible(n)]
    root = ""
    if MANIFEST_NAME not in files:
        tops = {n.split("/", 1)[0] for n in names} | {
            d.split("/", 1)[0] for d in dirs if visible(d)
        }
        top = next(iter(tops)) if len(tops) == 1 else None
        if top is None or f"{top}/{MANIFEST_NAME}" not in files:
            raise PackageError(
                f"{MANIFEST_NAME}: not found at the archive root or inside a single "
                "top-level folder"
            )
        root = f"{top}/"
    members = {n[len(root) :]: files[n] for n in names}
    directories = tuple(
        sorted(d[len(root) :] for d in dirs if visible(d) and d.startswith(root))
    )
    return ArchiveListing(
        root=root, members=members, directories=directories, total_bytes=total
    )


def read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, max_bytes: int, label: str
) -> bytes:
    """Read one member fully, refusing more than ``max_bytes`` or corrupt data.

    Raises
    ------
    PackageError
        If the entry is too large or cannot be decompressed (bad CRC, bad stream).
    """
    if info.file_size > max_bytes:
        raise PackageError(
            f"{label}: {info.file_size} bytes exceed the limit of {max_bytes}"
        )
    try:
        with zf.open(info) as fh:
            data = fh.read(max_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise PackageError(f"{label}: corrupt zip entry ({exc})") from exc
    if len(data) > max_bytes:
        raise PackageError(f"{label}: more than {max_bytes} bytes when decompressed")
    return data


def extract_members(
    zf: zipfile.ZipFile, listing: ArchiveListing, dest: Path, limits: PackageLimits
) -> None:
    """Write the listed members below ``dest`` (the package root becomes ``dest``).

    Files are created exclusively (never through an existing path), without the
    archive's permission bits, and their decompressed size is counted against the
    declared size and ``limits.max_total_bytes``.

    Raises
    ------
    PackageError
        If a member is corrupt, larger than declared, or would land outside ``dest``.
    """
    base = dest.resolve()
    for directory in listing.directories:
        _inside(base, directory).mkdir(parents=True, exist_ok=True)
    written = 0
    for name, info in listing.members.items():
        target = _inside(base, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        produced = 0
        try:
            with zf.open(info) as src, target.open("xb") as out:
                while chunk := src.read(_CHUNK):
                    produced += len(chunk)
                    written += len(chunk)
                    if (
                        produced > info.file_size
                        or produced > limits.max_entry_bytes
                        or written > limits.max_total_bytes
                    ):
                        raise PackageError(
                            f"{name!r}: expands beyond its declared size "
                            f"({info.file_size} bytes)"
                        )
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise PackageError(f"{name!r}: corrupt zip entry ({exc})") from exc


def _inside(base: Path, relative: str) -> Path:
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        raise PackageError(f"{relative!r}: resolves outside the extraction folder")
    return target
