"""Every bound on the work the dock does on an uploaded package outside the sandbox.

All of these are checked *before* the work they bound, so a hostile package costs at
most a fraction of a second of host CPU before it is refused:

================================  =====================  ===========================
what                              limit                  checked
================================  =====================  ===========================
zip entries                       1,000                  end-of-directory record
unpacked size, total              1 GiB (dock: setting)  central directory, extraction
unpacked size, one entry          1 GiB                  central directory, extraction
compression ratio, every entry    200 (+ 4 KiB slack)    central directory
YAML file size                    256 KiB                before parsing
YAML nodes, aliases expanded      10,000                 while composing (no copies)
YAML aliases / nesting depth      64 / 32                while composing
JSON stat spec file size          32 MiB                 before parsing
JSON semantic spec file size      2 MiB                  before parsing
JSON nesting depth                32                     scan before parsing
spec points ``K``                 2,048                  shape read before arrays
spec values per point ``d``       65,536                 shape read before arrays
spec values ``K * d``             1,310,720              shape read before arrays
image kernel work                 the original defaults  before networks are built
================================  =====================  ===========================

The specification limits live next to the code that reads a ``z``
(:mod:`learnware_core._validation`, :data:`MAX_EMBEDDING_WORK
<learnware_core.specification.image.MAX_EMBEDDING_WORK>`) and are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from learnware_core._validation import (
    MAX_SPEC_DIMENSION,
    MAX_SPEC_POINTS,
    MAX_SPEC_VALUES,
)
from learnware_core.errors import PackageError

__all__ = [
    "MAX_JSON_DEPTH",
    "MAX_SPEC_DIMENSION",
    "MAX_SPEC_POINTS",
    "MAX_SPEC_VALUES",
    "MAX_YAML_ALIASES",
    "MAX_YAML_BYTES",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "NESTED_ARCHIVE_SUFFIXES",
    "PackageLimits",
]

_KiB = 1 << 10
_MiB = 1 << 20

#: Largest YAML document parsed (PyYAML's pure-Python parser reads ~1 MB/s; real
#: ``learnware.yaml`` files are ~1 KB and conda ``environment.yaml`` exports ~10 KB).
MAX_YAML_BYTES = 256 * _KiB
#: Most nodes a YAML document may hold, counting each alias as the size of what it
#: refers to (a few anchors nested six deep expand to a million leaves otherwise).
MAX_YAML_NODES = 10_000
#: Most alias references (``*name``) in one YAML document; the original template and
#: conda exports use none.
MAX_YAML_ALIASES = 64
#: Deepest nesting of YAML collections (``learnware.yaml`` nests 4 levels).
MAX_YAML_DEPTH = 32
#: Deepest nesting of JSON arrays and objects (an image ``z`` nests 4 levels).
MAX_JSON_DEPTH = 32

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
    max_entry_bytes : int, default=1 GiB
        Maximum declared (and extracted) uncompressed size of one entry.
    max_compression_ratio : float, default=200.0
        Maximum uncompressed/compressed size of every entry (zip-bomb guard); an
        entry may exceed it by ``ratio_check_min_bytes`` ...
    ratio_check_min_bytes : int, default=4 KiB
        ... since tiny files compress well (1,000 entries then unpack at most 4 MiB
        beyond the ratio).
    max_yaml_bytes : int, default=256 KiB
        Maximum size of ``learnware.yaml``, ``environment.yaml`` and
        ``requirements.txt``.
    max_stat_spec_bytes : int, default=32 MiB
        Maximum size of one statistical or semantic specification JSON file (the
        largest ``z`` allowed, 1,310,720 values, needs about 26 MB).
    max_semantic_bytes : int, default=2 MiB
        Maximum size of the semantic specification file a package may embed (the
        dock's APIs take JSON bodies of at most 2 MiB too).
    max_path_length : int, default=255
        Maximum length of an entry name.

    Raises
    ------
    PackageError
        If a limit is not positive.
    """

    max_files: int = 1000
    max_total_bytes: int = 1024 * _MiB
    max_entry_bytes: int = 1024 * _MiB
    max_compression_ratio: float = 200.0
    ratio_check_min_bytes: int = 4 * _KiB
    max_yaml_bytes: int = MAX_YAML_BYTES
    max_stat_spec_bytes: int = 32 * _MiB
    max_semantic_bytes: int = 2 * _MiB
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
