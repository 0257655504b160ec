"""Learnware packages: the official zip, hostile archives, error messages, writing."""

from __future__ import annotations

import io
import json
import os
import stat
import struct
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from learnware_core.errors import PackageError
from learnware_core.package import (
    LearnwareManifest,
    PackageLimits,
    dump_yaml,
    extract_package,
    inspect_package,
    load_yaml,
    write_package,
)
from learnware_core.specification import base
from learnware_core.specification.semantic import SemanticSpec
from tests.conftest import OFFICIAL

# ----------------------------------------------------------------- helpers


OFFICIAL_ZIP = OFFICIAL / "learnware" / "official_format.zip"
TABLE = "RKMETableSpecification"

MANIFEST = """\
model:
  class_name: Model
  kwargs:
    input_shape: !!python/tuple
    - 4
stat_specifications:
- module_path: learnware.specification
  class_name: RKMETableSpecification
  file_name: stat.json
  kwargs: {}
"""


class _DummyTableSpec(base.StatSpecification):
    """Stand-in used only when no real RKMETableSpecification is registered."""

    type_name = TABLE

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def to_dict(self) -> dict[str, Any]:
        return dict(self.data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> _DummyTableSpec:
        if "z" not in data:
            raise KeyError("z")
        return cls(data)

    def dist(self, other: base.StatSpecification) -> float:
        return 0.0


class _TinySpec(base.StatSpecification):
    """A tiny registered type, to show the package reader goes through the registry."""

    type_name = "TinySpecification"

    def __init__(self, value: float) -> None:
        self.value = value

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type_name, "value": self.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> _TinySpec:
        return cls(float(data["value"]))

    def dist(self, other: base.StatSpecification) -> float:
        assert isinstance(other, _TinySpec)
        return abs(self.value - other.value)


@pytest.fixture(autouse=True)
def table_spec_type(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure RKMETableSpecification resolves (the real class when it imports)."""
    try:
        base.get_spec_class(TABLE)
    except Exception:  # pragma: no cover - the real class is optional for these tests
        # The registry has no unregister; monkeypatch restores it after the test.
        monkeypatch.setitem(base._REGISTRY, TABLE, _DummyTableSpec)


@pytest.fixture
def tiny_spec_type(monkeypatch: pytest.MonkeyPatch) -> type[_TinySpec]:
    monkeypatch.setitem(base._REGISTRY, _TinySpec.type_name, _TinySpec)
    return _TinySpec


def _stat(dim: int = 4, k: int = 3, type_name: str = TABLE) -> dict[str, Any]:
    z = [[float(i + j) for j in range(dim)] for i in range(k)]
    return {
        "z": z,
        "beta": [1.0 / k] * k,
        "gamma": 0.1,
        "num_points": 10,
        "type": type_name,
    }


def _semantic(dim: int = 4, data: str = "Table") -> SemanticSpec:
    spec: dict[str, Any] = {
        "Data": {"Type": "Class", "Values": [data]},
        "Task": {"Type": "Class", "Values": ["Classification"]},
        "Library": {"Type": "Class", "Values": ["Scikit-learn"]},
        "License": {"Type": "Class", "Values": ["MIT"]},
        "Scenario": {"Type": "Tag", "Values": ["Business"]},
        "Name": {"Type": "String", "Values": "tiny learnware"},
        "Description": {"Type": "String", "Values": "A learnware used in tests."},
        "Output": {"Dimension": 2, "Description": {"0": "no", "1": "yes"}},
    }
    if data == "Table":
        spec["Input"] = {"Dimension": dim, "Description": {"0": "age"}}
    return SemanticSpec.from_dict(spec)


def _good_files(**overrides: bytes | str | None) -> dict[str, bytes | str]:
    """A valid package's files; a None override removes the file."""
    files: dict[str, bytes | str | None] = {
        "learnware.yaml": MANIFEST,
        "__init__.py": "class Model:\n    pass\n",
        "stat.json": json.dumps(_stat()),
        "requirements.txt": "scikit-learn\n",
        "model.pkl": b"\x80\x05N.",
    }
    files.update(overrides)
    return {name: data for name, data in files.items() if data is not None}


def _zip(path: Path, files: Mapping[str, bytes | str], *, prefix: str = "") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(prefix + name, data)
    return path


def _package_error(source: Any, **kwargs: Any) -> str:
    with pytest.raises(PackageError) as info:
        inspect_package(source, **kwargs)
    return str(info.value)


# ----------------------------------------------------------------- official zip


def test_inspect_package_accepts_official_zip() -> None:
    semantic = SemanticSpec.from_dict(
        json.loads((OFFICIAL / "semantic" / "table_classification.json").read_text())
    )

    info = inspect_package(OFFICIAL_ZIP, semantic_spec=semantic)

    assert info.root == ""
    assert set(info.files) == {
        "__init__.py",
        "learnware.yaml",
        "model.pkl",
        "stat.json",
        "requirements.txt",
    }
    assert info.environment_file == "requirements.txt"
    assert info.manifest.model.class_name == "Model"
    assert info.manifest.model.module_file == "__init__.py"
    assert info.manifest.model.extra["input_shape"] == (6,)  # !!python/tuple
    assert [s.type_name for s in info.stat_specs] == [TABLE]
    assert info.stat_spec(TABLE) is not None
    assert info.semantic_spec == semantic


def test_extract_package_writes_official_files(tmp_path: Path) -> None:
    dest = tmp_path / "out"

    info = extract_package(OFFICIAL_ZIP, dest)

    assert sorted(p.name for p in dest.iterdir()) == sorted(info.files)
    with zipfile.ZipFile(OFFICIAL_ZIP) as zf:
        assert (dest / "stat.json").read_bytes() == zf.read("stat.json")


def test_inspect_package_accepts_bytes_and_file_objects() -> None:
    data = OFFICIAL_ZIP.read_bytes()

    assert inspect_package(data).files == inspect_package(io.BytesIO(data)).files


# ----------------------------------------------------------------- layouts


def test_inspect_package_accepts_single_top_level_folder(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", _good_files(), prefix="my_learnware/")

    info = inspect_package(path, semantic_spec=_semantic())

    assert info.root == "my_learnware/"
    assert "learnware.yaml" in info.files


def test_extract_package_flattens_top_level_folder_and_skips_macos_metadata(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("lw/", b"")
        for name, data in _good_files(**{"weights/w.bin": b"123"}).items():
            zf.writestr(f"lw/{name}", data)
        zf.writestr("__MACOSX/lw/._learnware.yaml", b"junk")
    dest = tmp_path / "out"

    extract_package(path, dest)

    assert (dest / "learnware.yaml").read_text() == MANIFEST
    assert (dest / "weights" / "w.bin").read_bytes() == b"123"
    assert not (dest / "__MACOSX").exists()
    assert not (dest / "lw").exists()


def test_inspect_package_rejects_two_top_level_folders(tmp_path: Path) -> None:
    files = {f"a/{n}": d for n, d in _good_files().items()} | {"b/x.txt": "x"}
    path = _zip(tmp_path / "p.zip", files)

    message = _package_error(path)

    assert "learnware.yaml: not found at the archive root or inside a single" in (
        message
    )


# ----------------------------------------------------------------- missing files


@pytest.mark.parametrize(
    ("missing", "problem"),
    [
        ("learnware.yaml", "learnware.yaml: not found"),
        ("__init__.py", "__init__.py: missing"),
        ("requirements.txt", "environment.yaml / requirements.txt: missing"),
        ("stat.json", "learnware.yaml: 'stat_specifications[0]' file 'stat.json' is "),
    ],
)
def test_inspect_package_rejects_missing_file(
    tmp_path: Path, missing: str, problem: str
) -> None:
    path = _zip(tmp_path / "p.zip", _good_files(**{missing: None}))

    assert problem in _package_error(path)


def test_inspect_package_accepts_environment_yaml_instead_of_requirements(
    tmp_path: Path,
) -> None:
    env = "name: lw\ndependencies:\n- python=3.11\n- pip:\n  - scikit-learn\n"
    files = _good_files(**{"requirements.txt": None, "environment.yaml": env})

    info = inspect_package(_zip(tmp_path / "p.zip", files))

    assert info.environment_file == "environment.yaml"


def test_inspect_package_rejects_utf16_environment_file(tmp_path: Path) -> None:
    env = "name: lw\n".encode("utf-16")
    files = _good_files(**{"requirements.txt": None, "environment.yaml": env})

    assert "environment.yaml: is UTF-16" in _package_error(
        _zip(tmp_path / "p.zip", files)
    )


def test_inspect_package_rejects_model_module_outside_package(
    tmp_path: Path,
) -> None:
    yaml_text = MANIFEST.replace(
        "  class_name: Model\n", "  class_name: Model\n  module_path: ../model.py\n", 1
    )
    path = _zip(tmp_path / "p.zip", _good_files(**{"learnware.yaml": yaml_text}))

    assert "'model.module_path' '../model.py': path traversal" in _package_error(path)


# ----------------------------------------------------------------- learnware.yaml


@pytest.mark.parametrize(
    ("yaml_text", "problem"),
    [
        ("model: [unclosed\n", "learnware.yaml: unreadable YAML"),
        ("- just a list\n", "learnware.yaml: must be a mapping, got list"),
        ("stat_specifications: []\n", "learnware.yaml: missing key 'model'"),
        (
            "model: {kwargs: {}}\nstat_specifications: []\n",
            "learnware.yaml: missing key 'model.class_name'",
        ),
        (
            "model: {class_name: Model}\n",
            "learnware.yaml: missing key 'stat_specifications'",
        ),
        (
            "model: {class_name: Model}\nstat_specifications: []\n",
            "'stat_specifications' must list at least one file",
        ),
        (
            "model: {class_name: Model}\nstat_specifications:\n- {class_name: X}\n",
            "missing key 'stat_specifications[0].file_name'",
        ),
        (
            "model: {class_name: Model, kwargs: [1]}\n"
            "stat_specifications: [{module_path: m, class_name: X, file_name: s}]\n",
            "'model.kwargs' must be a mapping, got list",
        ),
        (
            "model: !!python/object/apply:os.system [echo hi]\n",
            "learnware.yaml: line 1: the tag !!python/object/apply:os.system is not "
            "allowed (only !!python/tuple is)",
        ),
    ],
)
def test_inspect_package_rejects_bad_learnware_yaml(
    tmp_path: Path, yaml_text: str, problem: str
) -> None:
    path = _zip(tmp_path / "p.zip", _good_files(**{"learnware.yaml": yaml_text}))

    assert problem in _package_error(path)


def test_load_yaml_reads_python_tuple_without_executing() -> None:
    value = load_yaml(
        "shape: !!python/tuple [3, !!python/tuple [1, 2]]\nplain: [1]\n",
        file_name="x.yaml",
    )

    assert value == {"shape": (3, (1, 2)), "plain": [1]}
    assert isinstance(value["shape"], tuple)


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/name:os.system",
        "!!python/object:os.PathLike {}",
        "!!python/object/new:os.system [ls]",
        "!!python/module:os",
        "!!python/list [1]",
    ],
)
def test_load_yaml_refuses_other_python_tags(tag: str) -> None:
    with pytest.raises(PackageError, match=r"x.yaml: line 1: the tag !!python/"):
        load_yaml(f"a: {tag}\n", file_name="x.yaml")


def test_dump_yaml_writes_tuples_as_python_tuple() -> None:
    text = dump_yaml({"input_shape": (20,), "kwargs": {}})

    assert "!!python/tuple" in text
    assert load_yaml(text, file_name="x") == {"input_shape": (20,), "kwargs": {}}


# ----------------------------------------------------------------- stat specs


def test_inspect_package_rejects_unknown_stat_spec_type(tmp_path: Path) -> None:
    yaml_text = MANIFEST.replace(TABLE, "MadeUpSpecification")
    path = _zip(tmp_path / "p.zip", _good_files(**{"learnware.yaml": yaml_text}))

    message = _package_error(path)

    assert "learnware.yaml: 'stat_specifications[0]': unknown specification type " in (
        message
    )
    assert "'MadeUpSpecification'" in message
    assert TABLE in message  # the known types are listed


def test_inspect_package_loads_registered_spec_type(
    tmp_path: Path, tiny_spec_type: type[_TinySpec]
) -> None:
    yaml_text = MANIFEST.replace(TABLE, "TinySpecification").replace(
        "stat.json", "tiny.json"
    )
    files = _good_files(
        **{
            "learnware.yaml": yaml_text,
            "stat.json": None,
            "tiny.json": json.dumps({"type": "TinySpecification", "value": 2.5}),
        }
    )

    info = inspect_package(_zip(tmp_path / "p.zip", files))

    spec = info.stat_spec("TinySpecification")
    assert isinstance(spec, tiny_spec_type)
    assert spec.value == 2.5


@pytest.mark.parametrize(
    ("stat_json", "problem"),
    [
        ("{not json", "stat.json: unreadable JSON"),
        ("[1, 2]", "stat.json: must hold a JSON object"),
        (
            json.dumps(_stat(type_name="Other")),
            "stat.json: 'type' is 'Other' but learnware.yaml lists it as "
            "'RKMETableSpecification'",
        ),
        (
            json.dumps({"type": TABLE, "beta": [1.0]}),
            "stat.json: invalid RKMETableSpecification",
        ),
        (b"\xff\xfe{\x00}\x00", "stat.json: is UTF-16"),
    ],
)
def test_inspect_package_rejects_bad_stat_json(
    tmp_path: Path, stat_json: str | bytes, problem: str
) -> None:
    path = _zip(tmp_path / "p.zip", _good_files(**{"stat.json": stat_json}))

    assert problem in _package_error(path)


def test_inspect_package_rejects_stat_dimension_mismatch(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", _good_files(**{"stat.json": json.dumps(_stat(5))}))

    message = _package_error(path, semantic_spec=_semantic(4))

    assert message == (
        "stat.json: 'z' has 5 columns but the semantic spec's Input.Dimension is 4"
    )


def test_inspect_package_rejects_input_shape_mismatch(tmp_path: Path) -> None:
    files = _good_files(**{"stat.json": json.dumps(_stat(3))})

    message = _package_error(
        _zip(tmp_path / "p.zip", files), semantic_spec=_semantic(3)
    )

    assert "'model.kwargs.input_shape' is (4,) but the semantic spec's " in message


def test_inspect_package_rejects_stat_type_unsuited_to_data(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", _good_files())

    message = _package_error(path, semantic_spec=_semantic(data="Image"))

    assert "Data 'Image' needs a RKMEImageSpecification" in message


def test_inspect_package_uses_embedded_semantic_spec(tmp_path: Path) -> None:
    yaml_text = MANIFEST + "semantic_specification:\n  file_name: semantic.json\n"
    files = _good_files(
        **{
            "learnware.yaml": yaml_text,
            "semantic.json": json.dumps(_semantic(5).to_dict()),
        }
    )
    path = _zip(tmp_path / "p.zip", files)

    message = _package_error(path)

    assert "Input.Dimension is 5" in message
    assert inspect_package(path, semantic_spec=_semantic(4)).semantic_spec == (
        _semantic(4)
    )


def test_inspect_package_rejects_invalid_embedded_semantic_spec(
    tmp_path: Path,
) -> None:
    bad = _semantic().to_dict()
    bad["Data"]["Values"] = ["Audio"]
    yaml_text = MANIFEST + "semantic_specification:\n  file_name: semantic.json\n"
    files = _good_files(
        **{"learnware.yaml": yaml_text, "semantic.json": json.dumps(bad)}
    )

    message = _package_error(_zip(tmp_path / "p.zip", files))

    assert message.startswith("semantic.json: semantic spec 'Data': 'Audio'")


# ----------------------------------------------------------------- hostile archives


def _hostile(tmp_path: Path, name: str, data: bytes = b"x") -> Path:
    return _zip(tmp_path / "p.zip", _good_files() | {name: data})


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../evil.py", "'../evil.py': path traversal ('..') is not allowed"),
        ("lib/../../evil.py", "path traversal ('..') is not allowed"),
        ("/etc/cron.d/evil", "'/etc/cron.d/evil': absolute paths are not allowed"),
        ("C:/evil.py", "'C:/evil.py': absolute paths are not allowed"),
        ("lib\\evil.py", "backslashes in the path are not allowed"),
        ("weights.zip", "'weights.zip': nested archives are not allowed"),
        ("data/x.tar.gz", "'data/x.tar.gz': nested archives are not allowed"),
        ("DATA.7Z", "nested archives are not allowed"),
        ("model.pkl/inner", "its folder 'model.pkl' is also a file"),
    ],
)
def test_inspect_package_rejects_unsafe_entry_names(
    tmp_path: Path, name: str, problem: str
) -> None:
    assert problem in _package_error(_hostile(tmp_path, name))


def test_inspect_package_rejects_symlink_entry(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", _good_files())
    with zipfile.ZipFile(path, "a") as zf:
        link = zipfile.ZipInfo("secrets.txt")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")

    assert "'secrets.txt': symbolic links are not allowed" in _package_error(path)


def test_inspect_package_rejects_device_entry(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", _good_files())
    with zipfile.ZipFile(path, "a") as zf:
        dev = zipfile.ZipInfo("null")
        dev.create_system = 3
        dev.external_attr = (stat.S_IFCHR | 0o666) << 16
        zf.writestr(dev, b"")

    assert "'null': special files" in _package_error(path)


def test_inspect_package_rejects_encrypted_entry(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", _good_files() | {"secret.bin": b"ciphertext"})
    # zipfile cannot write encrypted entries: set the flag in the central directory.
    data = bytearray(path.read_bytes())
    header = data.index(b"PK\x01\x02")  # first central header
    while data[header + 46 : header + 46 + len(b"secret.bin")] != b"secret.bin":
        header = data.index(b"PK\x01\x02", header + 4)
    data[header + 8] |= 0x1  # general purpose flag, bit 0 = encrypted
    path.write_bytes(bytes(data))

    assert "'secret.bin': encrypted entries are not allowed" in _package_error(path)


def test_inspect_package_rejects_duplicate_names(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", _good_files())
    with zipfile.ZipFile(path, "a") as zf, pytest.warns(UserWarning, match="Duplicate"):
        zf.writestr("model.pkl", b"second copy")

    assert "'model.pkl': duplicate entry" in _package_error(path)


def test_inspect_package_rejects_names_differing_only_in_case(tmp_path: Path) -> None:
    message = _package_error(_hostile(tmp_path, "Model.pkl"))

    assert "'Model.pkl': duplicate entry (differs only in case from 'model.pkl')" in (
        message
    )


def test_inspect_package_rejects_too_many_files(tmp_path: Path) -> None:
    files = _good_files() | {f"data/{i}.txt": "x" for i in range(10)}
    path = _zip(tmp_path / "p.zip", files)

    message = _package_error(path, limits=PackageLimits(max_files=10))

    assert message == "archive: 15 entries exceed the limit of 10"


def test_inspect_package_rejects_oversized_central_directory(tmp_path: Path) -> None:
    path = tmp_path / "p.zip"
    padding = struct.pack("<HH", 0xCAFE, 4000) + bytes(4000)  # one big extra field
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in _good_files().items():
            entry = zipfile.ZipInfo(name)
            entry.extra = padding
            zf.writestr(entry, data)

    message = _package_error(path, limits=PackageLimits(max_files=5))

    assert "archive: central directory of" in message
    assert "is larger than 5 entries need" in message


def test_inspect_package_rejects_total_size_over_limit(tmp_path: Path) -> None:
    path = _hostile(tmp_path, "weights.bin", os.urandom(5000))

    message = _package_error(path, limits=PackageLimits(max_total_bytes=4000))

    assert "archive: total uncompressed size exceeds the limit of 4000 bytes" in (
        message
    )


def test_inspect_package_rejects_zip_bomb_by_compression_ratio(
    tmp_path: Path,
) -> None:
    path = _hostile(tmp_path, "weights.bin", bytes(4 << 20))  # 4 MiB of zeros

    message = _package_error(path)  # the default limits catch it

    assert "'weights.bin': compression ratio" in message
    assert "(possible zip bomb)" in message


def test_inspect_package_ratio_limit_is_configurable(tmp_path: Path) -> None:
    path = _hostile(tmp_path, "weights.bin", bytes(2 << 10))
    low = PackageLimits(max_compression_ratio=5, ratio_check_min_bytes=1024)

    inspect_package(path)  # within the default 4 KiB slack for tiny files
    assert "compression ratio" in _package_error(path, limits=low)


def test_inspect_package_rejects_non_zip(tmp_path: Path) -> None:
    path = tmp_path / "p.zip"
    path.write_bytes(b"not a zip at all")

    assert _package_error(path).startswith("archive: not a readable zip file")


def test_inspect_package_rejects_yaml_over_size_limit(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", _good_files(**{"learnware.yaml": MANIFEST * 50}))

    message = _package_error(path, limits=PackageLimits(max_yaml_bytes=1000))

    assert message.startswith("learnware.yaml: ")
    assert "exceed the limit of 1000" in message


def test_extract_package_writes_nothing_for_hostile_zip(tmp_path: Path) -> None:
    dest = tmp_path / "out"

    with pytest.raises(PackageError, match="path traversal"):
        extract_package(_hostile(tmp_path, "../evil.py"), dest)

    assert not dest.exists()
    assert not (tmp_path / "evil.py").exists()


def test_extract_package_refuses_non_empty_destination(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")

    with pytest.raises(PackageError, match="extraction folder must be empty"):
        extract_package(OFFICIAL_ZIP, dest)

    assert (dest / "keep.txt").read_text() == "mine"


def test_package_limits_reject_non_positive_values() -> None:
    with pytest.raises(PackageError, match=r"PackageLimits.max_files must be > 0"):
        PackageLimits(max_files=0)


# ----------------------------------------------------------------- writing


def _write(tmp_path: Path, **overrides: Any) -> tuple[Path, Any]:
    dest = tmp_path / "built.zip"
    kwargs: dict[str, Any] = {
        "model_files": {
            "__init__.py": "class Model:\n    pass\n",
            "model.pkl": b"\x00",
        },
        "learnware_yaml": {
            "model": {"class_name": "Model", "kwargs": {"input_shape": (4,)}}
        },
        "stat_specs": {"stat.json": _stat(4)},
        "requirements": ["scikit-learn", "numpy"],
        "semantic_spec": _semantic(4),
    }
    kwargs.update(overrides)
    return dest, write_package(dest, **kwargs)


def test_write_package_then_inspect_round_trips(tmp_path: Path) -> None:
    dest, written = _write(tmp_path)

    info = inspect_package(dest)  # the embedded semantic spec is found

    assert (info.files, info.manifest) == (written.files, written.manifest)
    assert info.semantic_spec == written.semantic_spec == _semantic(4)
    assert info.manifest.model.kwargs["input_shape"] == (4,)
    assert info.manifest.stat_specifications[0].class_name == TABLE
    assert info.environment_file == "requirements.txt"
    with zipfile.ZipFile(dest) as zf:
        assert "!!python/tuple" in zf.read("learnware.yaml").decode()
        assert zf.read("requirements.txt") == b"scikit-learn\nnumpy\n"
        stored = json.loads(zf.read("stat.json"))
    assert stored == _stat(4)
    spec = info.stat_spec(TABLE)
    assert spec is not None
    assert spec.to_dict()["z"] == _stat(4)["z"]


def test_write_package_is_deterministic(tmp_path: Path) -> None:
    first, _ = _write(tmp_path / "a")
    second, _ = _write(tmp_path / "b")

    assert first.read_bytes() == second.read_bytes()


def test_write_package_from_folder_skips_caches(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    (folder / "__pycache__").mkdir(parents=True)
    (folder / "__init__.py").write_text("from .net import Model\n")
    (folder / "net.py").write_text("class Model:\n    pass\n")
    (folder / "__pycache__" / "net.cpython-311.pyc").write_bytes(b"\x00")
    (folder / "weights").mkdir()
    (folder / "weights" / "w.npy").write_bytes(b"\x93NUMPY")

    _, info = _write(tmp_path, model_files=folder)

    assert {"__init__.py", "net.py", "weights/w.npy"} <= set(info.files)
    assert not any("__pycache__" in name for name in info.files)


def test_write_package_accepts_manifest_object_and_extracts(tmp_path: Path) -> None:
    manifest = LearnwareManifest.from_dict(load_yaml(MANIFEST, file_name="x"))
    dest, _ = _write(tmp_path, learnware_yaml=manifest, semantic_spec=None)

    info = extract_package(dest, tmp_path / "out")

    assert info.manifest == manifest
    assert (tmp_path / "out" / "model.pkl").read_bytes() == b"\x00"


def test_write_package_leaves_nothing_when_invalid(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match=r"Input.Dimension is 3"):
        _write(tmp_path, semantic_spec=_semantic(3))

    assert list(tmp_path.iterdir()) == []


def test_write_package_requires_environment_file(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match=r"requirements\.txt: missing"):
        _write(tmp_path, requirements=None)


def test_write_package_rejects_colliding_names(tmp_path: Path) -> None:
    files = {"__init__.py": "", "requirements.txt": "numpy\n"}

    with pytest.raises(PackageError, match=r"'requirements\.txt': given both"):
        _write(tmp_path, model_files=files)


def test_manifest_round_trips_through_dict() -> None:
    document = load_yaml(_official_yaml(), file_name="learnware.yaml")

    manifest = LearnwareManifest.from_dict(document)

    assert manifest.to_dict() == document


def _official_yaml() -> bytes:
    with zipfile.ZipFile(OFFICIAL_ZIP) as zf:
        return zf.read("learnware.yaml")
