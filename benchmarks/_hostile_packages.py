"""Hostile learnware packages for the host-side work the dock does before the sandbox.

Each builder returns the bytes of a learnware zip that is valid except for one
hostile part (issue 22, parts 1 and 6): YAML alias bombs and deep nesting, deep JSON,
oversized statistical specifications, an expensive image kernel, zip bombs made of
many medium entries, and a pickle that starts a shell. :data:`HOSTILE_PACKAGES` lists
them by name with the words the refusal must contain. Importable without pytest
(``benchmarks.hostile`` reuses it); nothing here is ever unpickled or run.
"""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from benchmarks._hostile_sandbox import spawnv_passfds_pickle

__all__ = [
    "HOSTILE_PACKAGES",
    "HostilePackage",
    "build_zip",
    "deep_json_stat",
    "deep_yaml_manifest",
    "environment_alias_bomb",
    "good_files",
    "good_package",
    "image_kernel_bomb",
    "manifest_alias_bomb",
    "many_points_stat",
    "medium_entries_zip_bomb",
    "oversized_semantic_spec",
    "spawn_shell_pickle",
    "wide_points_stat",
]

MANIFEST = """\
model:
  class_name: Model
  kwargs:
    input_shape: !!python/tuple
    - 4
stat_specifications:
- module_path: learnware.specification
  class_name: {spec_class}
  file_name: stat.json
  kwargs: {{}}
"""


def _stat(k: int = 3, d: int = 4) -> dict[str, Any]:
    z = [[float((i * d + j) % 7) for j in range(d)] for i in range(k)]
    return {"z": z, "beta": [1.0 / k] * k, "gamma": 0.1, "num_points": 10,
            "type": "RKMETableSpecification"}  # fmt: skip


def good_files(spec_class: str = "RKMETableSpecification") -> dict[str, bytes]:
    """The files of a small valid table learnware (4 features, K = 3)."""
    return {
        "learnware.yaml": MANIFEST.format(spec_class=spec_class).encode(),
        "__init__.py": b"class Model:\n    pass\n",
        "stat.json": json.dumps(_stat()).encode(),
        "requirements.txt": b"scikit-learn\n",
    }


def build_zip(files: Mapping[str, bytes], *, stored: tuple[str, ...] = ()) -> bytes:
    """A deflated zip of ``files``; the ``stored`` ones uncompressed (so a regular
    hostile file reaches the reader instead of failing the compression ratio)."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def good_package() -> bytes:
    """A valid package (the control case: every check passes)."""
    return build_zip(good_files())


def _with(**files: bytes) -> bytes:
    """The good package with ``files`` (``stat__json`` is ``stat.json``) stored."""
    named = {key.replace("__", "."): data for key, data in files.items()}
    return build_zip(good_files() | named, stored=tuple(named))


# ------------------------------------------------------------------------- YAML


def _laughs(levels: int, width: int, indent: str = "") -> list[str]:
    lines = [f'{indent}l0: &l0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"{indent}l{level}: &l{level} [{refs}]")
    return lines


def manifest_alias_bomb(levels: int = 9, width: int = 9) -> bytes:
    """``learnware.yaml`` whose ``model.kwargs`` expand to ``width ** levels``
    leaves (9 ** 9 = 387 million from about 550 bytes)."""
    manifest = MANIFEST.format(spec_class="RKMETableSpecification")
    bomb = "\n".join(_laughs(levels, width, indent="    "))
    manifest = manifest.replace("    input_shape:", f"{bomb}\n    input_shape:", 1)
    return _with(learnware__yaml=manifest.encode())


def environment_alias_bomb(aliases: int = 2000) -> bytes:
    """``environment.yaml`` with ``aliases`` references to a few anchored lists."""
    lines = ["name: env", "dependencies:", "- pip:", "  - &p [numpy, scipy, pandas]"]
    lines += ["  - *p" for _ in range(aliases)]
    return _with(environment__yaml="\n".join(lines).encode())


def deep_yaml_manifest(depth: int = 5000) -> bytes:
    """``learnware.yaml`` with collections nested ``depth`` deep."""
    manifest = MANIFEST.format(spec_class="RKMETableSpecification")
    deep = "[" * depth + "]" * depth
    manifest = manifest.replace("  kwargs:\n", f"  kwargs:\n    deep: {deep}\n", 1)
    return _with(learnware__yaml=manifest.encode())


# ------------------------------------------------------------------------- JSON


def deep_json_stat(depth: int = 100_000) -> bytes:
    """``stat.json`` whose ``z`` nests ``depth`` arrays (Python's decoder recurses)."""
    raw = b'{"type": "RKMETableSpecification", "z": ' + b"[" * depth
    raw += b"]" * depth + b', "beta": [1.0], "gamma": 0.1}'
    return _with(stat__json=raw)


def many_points_stat(k: int = 20_000) -> bytes:
    """A 240 KB ``stat.json`` of ``k`` one-value points: O(k^2) kernel work."""
    spec = {"z": [[0.0]] * k, "beta": [0.0] * (k - 1) + [1.0], "gamma": 0.1,
            "num_points": k, "type": "RKMETableSpecification"}  # fmt: skip
    files = good_files()
    files["stat.json"] = json.dumps(spec, separators=(",", ":")).encode()
    files["learnware.yaml"] = files["learnware.yaml"].replace(b"- 4", b"- 1")
    return build_zip(files, stored=("stat.json",))


def wide_points_stat(d: int = 2_000_000) -> bytes:
    """A ``stat.json`` with one point of ``d`` values (over the dimension limit)."""
    spec = {"z": [[0] * d], "beta": [1.0], "gamma": 0.1,
            "type": "RKMETableSpecification"}  # fmt: skip
    return _with(stat__json=json.dumps(spec, separators=(",", ":")).encode())


def image_kernel_bomb(n_models: int = 100_000) -> bytes:
    """An image spec whose random-network kernel has ``n_models`` networks."""
    z = [[[[0.0] * 32 for _ in range(32)]]]  # K = 1, C = 1
    spec = {"z": z, "beta": [1.0], "n_models": n_models, "RKME_IMAGE_VERSION": 1,
            "type": "RKMEImageSpecification"}  # fmt: skip
    files = good_files("RKMEImageSpecification")
    files["stat.json"] = json.dumps(spec, separators=(",", ":")).encode()
    return build_zip(files, stored=("stat.json",))


def oversized_semantic_spec(n_bytes: int = 3 << 20) -> bytes:
    """An embedded semantic spec of ``n_bytes`` (over the 2 MiB the APIs accept)."""
    manifest = MANIFEST.format(spec_class="RKMETableSpecification")
    manifest += "semantic_specification:\n  file_name: semantic.json\n"
    semantic = {"Name": {"Type": "String", "Values": "x" * n_bytes}}
    return _with(
        learnware__yaml=manifest.encode(),
        semantic__json=json.dumps(semantic).encode(),
    )


# -------------------------------------------------------------------------- zip


def medium_entries_zip_bomb(entries: int = 990, size: int = (1 << 20) - 1) -> bytes:
    """``entries`` files of ``size`` zeros each (990 x (1 MiB - 1) unpack 1 GB from
    about 1 MB). Written from one deflated stream, so building takes milliseconds."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = compressor.compress(bytes(size)) + compressor.flush()
    crc = zlib.crc32(bytes(size))
    files = [(name, data, zipfile.ZIP_DEFLATED) for name, data in good_files().items()]
    out = BytesIO()
    central = []
    for name, data, _ in files:
        raw = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = raw.compress(data) + raw.flush()
        central.append(_local(out, name, packed, zlib.crc32(data), len(data)))
    for index in range(entries):
        central.append(_local(out, f"data/{index:04d}.bin", payload, crc, size))
    start = out.tell()
    for record in central:
        out.write(record)
    end = out.tell()
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central),
                          len(central), end - start, start, 0))  # fmt: skip
    return out.getvalue()


def _local(out: BytesIO, name: str, packed: bytes, crc: int, size: int) -> bytes:
    """Write a local header and data; return the matching central-directory record."""
    offset, encoded = out.tell(), name.encode()
    out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc,
                          len(packed), size, len(encoded), 0))  # fmt: skip
    out.write(encoded + packed)
    header = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc,
                         len(packed), size, len(encoded), 0, 0, 0, 0, 0o644 << 16,
                         offset)  # fmt: skip
    return header + encoded


# ----------------------------------------------------------------------- pickle


def spawn_shell_pickle() -> bytes:
    """``model.pkl`` calling ``multiprocessing.util.spawnv_passfds('/bin/sh', ...)``."""
    return _with(model__pkl=spawnv_passfds_pickle())


# -------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class HostilePackage:
    """One catalogue case: how to build it and what its refusal says.

    Attributes
    ----------
    name : str
    build : callable returning the zip bytes
    check : str
        The ``bmw check`` row that must fail.
    words : tuple of str
        Substrings the failure message must contain.
    """

    name: str
    build: Callable[[], bytes]
    check: str
    words: tuple[str, ...]


HOSTILE_PACKAGES: tuple[HostilePackage, ...] = (
    HostilePackage("yaml_alias_bomb_manifest", manifest_alias_bomb, "manifest",
                   ("learnware.yaml", "too many YAML aliases/nodes")),
    HostilePackage("yaml_alias_bomb_environment", environment_alias_bomb,
                   "environment", ("environment.yaml", "too many YAML aliases")),
    HostilePackage("yaml_deep_nesting", deep_yaml_manifest, "manifest",
                   ("learnware.yaml", "nested too deeply")),
    HostilePackage("json_deep_nesting", deep_json_stat, "stat",
                   ("stat.json", "nested more than")),
    HostilePackage("stat_spec_20000_points", many_points_stat, "stat",
                   ("stat.json", "20000 points", "limit is 2048")),
    HostilePackage("stat_spec_wide_point", wide_points_stat, "stat",
                   ("stat.json", "values per point")),
    HostilePackage("semantic_spec_3_mib", oversized_semantic_spec, "semantic",
                   ("semantic.json", "exceed the limit of 2097152")),
    HostilePackage("image_kernel_bomb", image_kernel_bomb, "stat",
                   ("stat.json", "random-network kernel")),
    HostilePackage("zip_990_medium_zero_entries", medium_entries_zip_bomb, "archive",
                   ("compression ratio", "zip bomb")),
    HostilePackage("pickle_spawnv_passfds", spawn_shell_pickle, "pickle",
                   ("model.pkl", "spawnv_passfds")),
)  # fmt: skip
