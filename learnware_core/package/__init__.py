"""Learnware packages: read, validate, safely extract and write the original zip layout.

A package is a zip holding ``learnware.yaml``, ``__init__.py`` (the model class), the
statistical specification files named in ``learnware.yaml`` and ``requirements.txt``
or ``environment.yaml``, either at the zip root or inside one top-level folder.
Archives are checked from their central directory before anything is decompressed.
"""

from learnware_core.package.limits import NESTED_ARCHIVE_SUFFIXES, PackageLimits
from learnware_core.package.manifest import (
    LearnwareManifest,
    ModelEntry,
    StatSpecEntry,
)
from learnware_core.package.reader import (
    ENVIRONMENT_FILES,
    STAT_SPEC_TYPES_BY_DATA,
    PackageInfo,
    PackageSource,
    StatSpecFile,
    extract_package,
    inspect_package,
)
from learnware_core.package.writer import SEMANTIC_FILE_NAME, write_package
from learnware_core.package.yaml_io import dump_yaml, load_yaml

__all__ = [
    "ENVIRONMENT_FILES",
    "NESTED_ARCHIVE_SUFFIXES",
    "SEMANTIC_FILE_NAME",
    "STAT_SPEC_TYPES_BY_DATA",
    "LearnwareManifest",
    "ModelEntry",
    "PackageInfo",
    "PackageLimits",
    "PackageSource",
    "StatSpecEntry",
    "StatSpecFile",
    "dump_yaml",
    "extract_package",
    "inspect_package",
    "load_yaml",
    "write_package",
]
