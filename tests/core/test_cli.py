"""The ``bmw`` command line, end to end on real files in ``tmp_path``.

Most tests call :func:`learnware_core.cli.main` in-process; one runs
``python -m learnware_core.cli`` in a subprocess. Text specifications use a fake
deterministic encoder (monkeypatched in as the default), so no model is loaded here.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from learnware_core import encoders
from learnware_core.cli import main
from learnware_core.errors import SpecificationError
from learnware_core.specification.base import load_spec
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.text import RKMETextSpecification
from tests.conftest import OFFICIAL
from tests.core.test_rkme_text import ENGLISH, HashingEncoder

REPO = Path(__file__).resolve().parents[2]
pd = pytest.importorskip("pandas")  # a dependency; untyped, so imported as Any


def _semantic(data: str = "Table", dim: int | None = 4) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "Data": {"Type": "Class", "Values": [data]},
        "Task": {
            "Type": "Class",
            "Values": ["Classification" if data == "Table" else "Feature Extraction"],
        },
        "Library": {"Type": "Class", "Values": ["Scikit-learn"]},
        "Scenario": {"Type": "Tag", "Values": ["Business"]},
        "License": {"Type": "Class", "Values": ["MIT"]},
        "Name": {"Type": "String", "Values": "cli test model"},
        "Description": {"Type": "String", "Values": "Made by the CLI tests."},
    }
    if dim is not None:
        spec["Input"] = {"Dimension": dim, "Description": {"0": "first"}}
    if data == "Table":
        spec["Output"] = {"Dimension": 2, "Description": {"0": "no", "1": "yes"}}
    return spec


@pytest.fixture
def table_files(tmp_path: Path) -> dict[str, Path]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4))
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame.loc[3, "b"] = np.nan  # missing values are imputed, not an error
    frame["city"] = ["Nanjing", "Beijing"] * 60
    files = {
        "csv": tmp_path / "data.csv",
        "parquet": tmp_path / "data.parquet",
        "npy": tmp_path / "data.npy",
    }
    frame.to_csv(files["csv"], index=False)
    frame.to_parquet(files["parquet"])
    np.save(files["npy"], X)
    model = LogisticRegression().fit(X, (X[:, 0] > 0).astype(int))
    files["model"] = tmp_path / "model.pkl"
    files["model"].write_bytes(pickle.dumps(model))
    files["semantic"] = tmp_path / "semantic.json"
    files["semantic"].write_text(json.dumps(_semantic()), encoding="utf-8")
    return files


@pytest.fixture
def fake_encoder(monkeypatch: pytest.MonkeyPatch) -> HashingEncoder:
    encoder = HashingEncoder(name="test/hashing-bow")
    monkeypatch.setattr(encoders, "default_text_encoder", lambda: encoder)
    return encoder


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--quiet", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _assert_one_line_error(err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("bmw: error: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


# ------------------------------------------------------------------ spec table


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_cli_spec_table_reads_csv_and_parquet(
    fmt: str, table_files: dict[str, Path], tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / f"stat_{fmt}.json"

    code, _, err = _run(
        capsys, "spec", "table", str(table_files[fmt]), "-o", str(out), "--drop", "city"
    )

    assert code == 0, err
    spec = load_spec(json.loads(out.read_text()))
    assert isinstance(spec, RKMETableSpecification)
    assert spec.n_features_in_ == 4
    assert spec.num_points_ == 120


def test_cli_spec_table_reads_npy_with_options(
    table_files: dict[str, Path], tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "stat.json"
    argv = ["spec", "table", str(table_files["npy"]), "-o", str(out)]

    code, _, err = _run(capsys, *argv, "--k", "7", "--gamma", "0.5", "--seed", "3")
    first = out.read_text()
    assert _run(capsys, *argv, "--k", "7", "--gamma", "0.5", "--seed", "3")[0] == 0

    assert code == 0, err
    data = json.loads(first)
    assert np.shape(data["z"]) == (7, 4)
    assert data["gamma"] == 0.5
    assert out.read_text() == first  # same data and seed, same file
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_spec_table_columns_selects_in_order(
    table_files: dict[str, Path], tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "stat.json"

    code, _, err = _run(
        capsys, "spec", "table", str(table_files["csv"]), "-o", str(out),
        "--columns", "c,a",
    )  # fmt: skip

    assert code == 0, err
    assert np.shape(json.loads(out.read_text())["z"])[1] == 2


def test_cli_spec_table_non_numeric_column_is_a_clear_error(
    table_files: dict[str, Path], tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "stat.json"
    out.write_text("keep me")

    code, out_text, err = _run(
        capsys, "spec", "table", str(table_files["csv"]), "-o", str(out)
    )

    assert code == 2
    _assert_one_line_error(err, "'city'", "--drop city")
    assert out.read_text() == "keep me"  # an existing output is left as it was
    assert out_text == ""


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["spec", "table", "{tmp}/missing.csv"], ["missing.csv", "not found"]),
        (["spec", "table", "{csv}", "--columns", "nope"], ["no column(s) 'nope'"]),
        (["spec", "table", "{tmp}/semantic.json"], ["unsupported data format"]),
        (["spec", "text", "{tmp}/missing.txt"], ["missing.txt", "not found"]),
        (["check", "{tmp}/missing.zip"], ["missing.zip", "package not found"]),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(
    argv: list[str],
    fragments: list[str],
    table_files: dict[str, Path],
    tmp_path: Path,
    capsys: Any,
) -> None:
    filled = [a.format(tmp=tmp_path, csv=table_files["csv"]) for a in argv]
    if filled[0] == "spec":
        filled += ["-o", str(tmp_path / "out.json")]

    code, _, err = _run(capsys, *filled)

    assert code == 2
    _assert_one_line_error(err, *fragments)
    assert not (tmp_path / "out.json").exists()


def test_cli_usage_error_exits_2(capsys: Any) -> None:
    code = main(["spec", "table", "data.csv"])  # -o missing

    assert code == 2
    assert "required: -o/--output" in capsys.readouterr().err


def test_cli_help_explains_commands(capsys: Any) -> None:
    assert main(["--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    for command in ("spec", "pack", "check"):
        assert command in text
    assert "never leaves this machine" in text
    assert main(["pack", "--help"]) == 0
    assert "pickled scikit-learn model" in " ".join(capsys.readouterr().out.split())


def test_cli_image_spec_unavailable_is_a_clear_error(
    table_files: dict[str, Path], tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    from learnware_core.cli import spec as spec_cmd

    def unknown(name: str) -> Any:
        raise SpecificationError(f"unknown specification type {name!r}")

    monkeypatch.setattr(spec_cmd, "_IMAGE_MODULE", "learnware_core._no_such_module")
    monkeypatch.setattr(spec_cmd, "get_spec_class", unknown)

    code, _, err = _run(
        capsys, "spec", "image", str(table_files["npy"]), "-o", str(tmp_path / "s.json")
    )

    assert code == 2
    _assert_one_line_error(err, "RKMEImageSpecification is not registered")


def test_cli_spec_image_from_npy_writes_an_image_rkme(
    tmp_path: Path, capsys: Any
) -> None:
    data = tmp_path / "images.npy"
    np.save(data, np.random.default_rng(2).uniform(size=(12, 3, 8, 8)))
    out = tmp_path / "stat.json"

    code, _, err = _run(capsys, "spec", "image", str(data), "-o", str(out), "--k", "3")

    assert code == 0, err
    stored = json.loads(out.read_text())
    assert stored["type"] == "RKMEImageSpecification"
    assert np.shape(stored["z"]) == (3, 3, 32, 32)  # resized to the RKME's 32x32
    assert "kernel" not in stored  # the original's random-CNN kernel

    gaussian = tmp_path / "gaussian.json"
    code, _, err = _run(
        capsys, "spec", "image", str(data), "-o", str(gaussian), "--k", "3",
        "--kernel", "gaussian",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(gaussian.read_text())["kernel"]["type"] == "gaussian"


def test_cli_spec_image_from_a_folder_of_pngs(tmp_path: Path, capsys: Any) -> None:
    from PIL import Image

    folder = tmp_path / "images"
    folder.mkdir()
    rng = np.random.default_rng(3)
    for i in range(10):
        pixels = rng.integers(0, 256, size=(28, 28), dtype=np.uint8)
        Image.fromarray(pixels, mode="L").save(folder / f"{i}.png")
    (folder / "notes.txt").write_text("not an image: ignored")
    out = tmp_path / "stat.json"

    code, _, err = _run(
        capsys, "spec", "image", str(folder), "-o", str(out), "--k", "2"
    )

    assert code == 0, err
    assert np.shape(json.loads(out.read_text())["z"]) == (2, 3, 32, 32)  # read as RGB


def test_cli_debug_shows_the_exception(tmp_path: Path) -> None:
    from learnware_core.cli._io import CLIError

    with pytest.raises(CLIError, match="not found"):
        main(["--debug", "spec", "table", str(tmp_path / "x.csv"), "-o", "o.json"])


# ------------------------------------------------------------------- spec text


def test_cli_spec_text_from_txt(
    fake_encoder: HashingEncoder, tmp_path: Path, capsys: Any
) -> None:
    data = tmp_path / "texts.txt"
    data.write_text("\n".join(ENGLISH * 3) + "\n\n", encoding="utf-8")
    out = tmp_path / "stat.json"

    code, _, err = _run(capsys, "spec", "text", str(data), "-o", str(out), "--k", "4")

    assert code == 0, err
    spec = load_spec(json.loads(out.read_text(encoding="utf-8")))
    assert isinstance(spec, RKMETextSpecification)
    assert spec.encoder_name_ == "test/hashing-bow"
    assert spec.language_ == ["en"]
    assert spec.num_points_ == 12  # blank lines skipped
    assert fake_encoder.calls == 1


def test_cli_spec_text_from_csv_column(
    fake_encoder: HashingEncoder, tmp_path: Path, capsys: Any
) -> None:
    data = tmp_path / "reviews.csv"
    pd.DataFrame({"stars": [1, 2, 3, 4] * 3, "review": ENGLISH * 3}).to_csv(
        data, index=False
    )
    out = tmp_path / "stat.json"

    code, _, err = _run(
        capsys, "spec", "text", str(data), "-o", str(out), "--column", "review"
    )

    assert code == 0, err
    assert json.loads(out.read_text())["num_points"] == 12


# ------------------------------------------------------------------ pack/check


def _pack(table_files: dict[str, Path], out: Path, *extra: str) -> list[str]:
    return [
        "pack",
        "-o",
        str(out),
        "--model",
        str(table_files["model"]),
        "--semantic",
        str(table_files["semantic"]),
        "--data",
        str(table_files["csv"]),
        "--drop",
        "city",
        "--k",
        "10",
        *extra,
    ]


def test_cli_pack_pickled_model_then_check_passes(
    table_files: dict[str, Path], tmp_path: Path, capsys: Any
) -> None:
    package = tmp_path / "learnware.zip"

    code, _, err = _run(capsys, *_pack(table_files, package))
    assert code == 0, err
    check_code, report, _ = _run(capsys, "check", str(package))

    assert check_code == 0, report
    assert "PASS" in report
    assert "✗" not in report
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        manifest = zf.read("learnware.yaml").decode()
        requirements = zf.read("requirements.txt").decode()
    assert {"__init__.py", "model.pkl", "stat.json", "requirements.txt"} <= names
    assert "PickleLoadedModel" in manifest
    assert "scikit-learn==" in requirements


def test_cli_pack_with_existing_stat_and_requirements(
    table_files: dict[str, Path], tmp_path: Path, capsys: Any
) -> None:
    stat = tmp_path / "stat.json"
    assert (
        _run(capsys, "spec", "table", str(table_files["npy"]), "-o", str(stat))[0] == 0
    )
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "__init__.py").write_text("class Model:\n    pass\n")
    package = tmp_path / "lw.zip"

    code, _, err = _run(
        capsys, "pack", "-o", str(package), "--model", str(model_dir),
        "--semantic", str(table_files["semantic"]), "--stat", str(stat),
        "--requirement", "numpy", "--requirement", "torch==2.13.0",
    )  # fmt: skip

    assert code == 0, err
    with zipfile.ZipFile(package) as zf:
        assert zf.read("requirements.txt").decode() == "numpy\ntorch==2.13.0\n"
    assert _run(capsys, "check", str(package))[0] == 0


def test_cli_pack_refuses_dimension_mismatch(
    table_files: dict[str, Path], tmp_path: Path, capsys: Any
) -> None:
    package = tmp_path / "lw.zip"

    code, _, err = _run(capsys, *_pack(table_files, package), "--columns", "a,b")

    assert code == 2
    _assert_one_line_error(err, "Input.Dimension")
    assert not package.exists()


def test_cli_pack_text_learnware_warns_about_foreign_encoder(
    fake_encoder: HashingEncoder, tmp_path: Path, capsys: Any
) -> None:
    texts = tmp_path / "texts.txt"
    texts.write_text("\n".join(ENGLISH * 2), encoding="utf-8")
    semantic = tmp_path / "semantic.json"
    semantic.write_text(json.dumps(_semantic("Text", dim=None)))
    model = tmp_path / "model.py"
    model.write_text("class Model:\n    pass\n")
    package = tmp_path / "text.zip"

    code, _, err = _run(
        capsys, "pack", "-o", str(package), "--model", str(model),
        "--semantic", str(semantic), "--data", str(texts), "--k", "3",
        "--requirement", "numpy",
    )  # fmt: skip
    assert code == 0, err
    check_code, report, _ = _run(capsys, "check", str(package), "--json")

    result = json.loads(report)
    assert check_code == 0
    assert result["ok"] is True
    encoder_check = next(c for c in result["checks"] if c["key"] == "encoder")
    assert encoder_check["status"] == "warn"
    assert "test/hashing-bow" in encoder_check["detail"]


def _zip(path: Path, files: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return path


def _valid_files(stat: dict[str, Any]) -> dict[str, str | bytes]:
    return {
        "learnware.yaml": (
            "model:\n  class_name: Model\n  kwargs: {}\n"
            "stat_specifications:\n- module_path: learnware.specification\n"
            "  class_name: RKMETableSpecification\n  file_name: stat.json\n"
            "  kwargs: {}\n"
        ),
        "__init__.py": "class Model:\n    pass\n",
        "stat.json": json.dumps(stat),
        "requirements.txt": "numpy\n",
    }


@pytest.fixture
def stat_dict() -> dict[str, Any]:
    X = np.random.default_rng(1).normal(size=(60, 4))
    return RKMETableSpecification(n_points=5, random_state=0).fit(X).to_dict()


def test_cli_check_rejects_path_traversal(
    stat_dict: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    files = _valid_files(stat_dict)
    files["../../evil.py"] = "import os\n"
    package = _zip(tmp_path / "hostile.zip", files)

    code, report, _ = _run(capsys, "check", str(package))

    assert code == 1
    assert "✗ zip archive is safe" in report
    assert "evil.py" in report
    assert "FAIL" in report


def test_cli_check_reports_missing_requirements(
    stat_dict: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    files = _valid_files(stat_dict)
    del files["requirements.txt"]
    package = _zip(tmp_path / "broken.zip", files)

    code, report, _ = _run(capsys, "check", str(package))

    assert code == 1
    assert "✓ zip archive is safe" in report
    assert "✓ learnware.yaml is valid" in report
    assert "✗ requirements.txt / environment.yaml" in report
    assert "missing" in report


def test_cli_check_reports_dimension_mismatch_with_semantic(
    stat_dict: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    package = _zip(tmp_path / "lw.zip", _valid_files(stat_dict))
    semantic = tmp_path / "semantic.json"
    semantic.write_text(json.dumps(_semantic(dim=6)))

    code, report, _ = _run(capsys, "check", str(package), "--semantic", str(semantic))

    assert code == 1
    assert "✗ statistical spec matches the semantic spec" in report
    assert "Input.Dimension is 6" in report


def test_cli_check_reports_non_zip(tmp_path: Path, capsys: Any) -> None:
    package = tmp_path / "not.zip"
    package.write_bytes(b"definitely not a zip file")

    code, report, _ = _run(capsys, "check", str(package), "--json")

    result = json.loads(report)
    assert code == 1
    assert result["ok"] is False
    assert result["checks"][0]["status"] == "fail"
    assert result["checks"][1]["status"] == "skip"


def test_cli_check_passes_official_fixture(capsys: Any) -> None:
    package = OFFICIAL / "learnware" / "official_format.zip"
    semantic = OFFICIAL / "semantic" / "table_classification.json"
    if not package.is_file():
        pytest.fail(f"shared fixture missing: {package} (set BMW_SHARED_DIR)")

    code, report, _ = _run(capsys, "check", str(package), "--semantic", str(semantic))
    plain_code = _run(capsys, "check", str(package))[0]

    assert code == 0, report
    assert plain_code == 0
    assert "✓ statistical spec matches the semantic spec" in report


# ------------------------------------------------------------------ subprocess


def test_cli_runs_as_a_module_in_a_subprocess(
    table_files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "stat.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "learnware_core.cli"]

    ok = subprocess.run(
        [*command, "spec", "table", str(table_files["npy"]), "-o", str(out)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    bad = subprocess.run(
        [*command, "spec", "table", str(table_files["csv"]), "-o", str(out)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip

    assert ok.returncode == 0, ok.stderr
    assert "wrote" in ok.stdout
    assert json.loads(out.read_text())["type"] == "RKMETableSpecification"
    assert bad.returncode == 2
    _assert_one_line_error(bad.stderr, "non-numeric column(s) 'city'")
