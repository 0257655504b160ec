"""Host-side work on an uploaded package is bounded before it is done (issue 22).

Every hostile package of :data:`benchmarks._hostile_packages.HOSTILE_PACKAGES` is
refused by ``bmw check`` (the failing row names the file and the limit) and by the
package reader the dock's upload uses, each within a fraction of the 2 s CPU budget;
the limits themselves are exercised on the parsers directly.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from benchmarks._hostile_packages import (
    HOSTILE_PACKAGES,
    HostilePackage,
    build_zip,
    good_files,
    good_package,
    medium_entries_zip_bomb,
)
from learnware_core.checks import run_checks as dock_checks
from learnware_core.cli.check import run_checks
from learnware_core.errors import PackageError, SpecificationError
from learnware_core.package import PackageLimits, extract_package, inspect_package
from learnware_core.package.json_io import json_depth, load_json
from learnware_core.package.limits import (
    MAX_SPEC_POINTS,
    MAX_YAML_ALIASES,
    MAX_YAML_BYTES,
    MAX_YAML_NODES,
)
from learnware_core.package.yaml_io import load_yaml
from learnware_core.runtime.errors import RequirementsError
from learnware_core.runtime.requirements import (
    parse_conda_environment,
    parse_requirements,
)
from learnware_core.specification.image import (
    ORIGINAL_MODEL_CONFIG,
    RKMEImageSpecification,
)
from learnware_core.specification.rkme import RKMETableSpecification

HOST_CPU_BUDGET_S = 2.0


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / f"{name}.zip"
    path.write_bytes(data)
    return path


# --------------------------------------------------------------- the catalogue


@pytest.mark.parametrize("case", HOSTILE_PACKAGES, ids=lambda c: c.name)
def test_bmw_check_refuses_every_hostile_package_quickly(
    case: HostilePackage, tmp_path: Path
) -> None:
    package = _write(tmp_path, case.name, case.build())

    start = time.process_time()
    rows = run_checks(package, None)
    cpu = time.process_time() - start

    failed = [row for row in rows if row.status == "fail"]
    assert [row.key for row in failed] == [case.check], rows
    for word in case.words:
        assert word in failed[0].detail
    assert cpu < HOST_CPU_BUDGET_S


@pytest.mark.parametrize(
    "case",
    [case for case in HOSTILE_PACKAGES if case.check != "pickle"],
    ids=lambda c: c.name,
)
def test_package_reader_refuses_hostile_packages_before_the_work(
    case: HostilePackage, tmp_path: Path
) -> None:
    """The reader is what the dock's upload calls synchronously."""
    package = _write(tmp_path, case.name, case.build())
    limits = PackageLimits(max_total_bytes=2 << 30)  # the dock's default setting

    start = time.process_time()
    with pytest.raises(PackageError) as info:
        inspect_package(package, limits=limits)
    cpu = time.process_time() - start

    for word in case.words:
        assert word in str(info.value)
    assert cpu < HOST_CPU_BUDGET_S


def test_bmw_check_passes_the_good_package_with_every_row(tmp_path: Path) -> None:
    rows = {
        row.key: row for row in run_checks(_write(tmp_path, "ok", good_package()), None)
    }

    assert rows["pickle"].status == "pass"
    assert rows["stat_values"].status == "pass"
    assert rows["environment"].status == "pass"
    assert "requirement" in rows["environment"].detail
    assert not [row for row in rows.values() if row.status == "fail"]


def test_bmw_check_runs_the_dock_requirements_rules(tmp_path: Path) -> None:
    files = good_files() | {"requirements.txt": b"-e git+https://evil.example/x\n"}
    package = _write(tmp_path, "editable", build_zip(files))

    rows = {row.key: row for row in run_checks(package, None)}

    assert rows["environment"].status == "fail"
    assert "editable installs (-e) are not allowed" in rows["environment"].detail


def test_bmw_check_fails_a_non_finite_statistical_value(tmp_path: Path) -> None:
    stat = json.loads(good_files()["stat.json"])
    stat["beta"] = [1.0, 0.0, 1e308 * 10]  # inf survives as 1e309 in JSON
    files = good_files() | {"stat.json": json.dumps(stat).encode()}

    rows = run_checks(_write(tmp_path, "inf", build_zip(files)), None)

    assert [row.key for row in rows if row.status == "fail"] in (
        ["stat"],
        ["stat_values"],
    )


# ------------------------------------------------------------------------ YAML


def _laughs(levels: int, width: int = 9) -> str:
    lines = ['l0: &l0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines)


def test_yaml_alias_bomb_is_refused_while_composing() -> None:
    start = time.process_time()
    with pytest.raises(PackageError) as info:
        load_yaml(_laughs(9).encode(), file_name="learnware.yaml")

    assert str(info.value) == (
        f"learnware.yaml: too many YAML aliases/nodes: over {MAX_YAML_NODES} nodes "
        f"with aliases expanded (limit {MAX_YAML_NODES})"
    )
    assert time.process_time() - start < 0.5


def test_yaml_few_aliases_with_small_expansion_still_load() -> None:
    value = load_yaml(_laughs(3).encode(), file_name="learnware.yaml")  # 9**3 leaves

    assert len(value["l3"]) == 9
    assert value["l3"][0][0][0] == ["lol"]


def test_yaml_alias_count_recursion_depth_and_size_are_limited() -> None:
    many = "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_YAML_ALIASES + 1)) + "]\n"

    with pytest.raises(PackageError, match=r"env\.yaml: too many YAML aliases"):
        load_yaml(many, file_name="env.yaml")
    with pytest.raises(PackageError, match="recursive alias"):
        load_yaml("&a [*a]", file_name="x.yaml")
    with pytest.raises(PackageError, match=r"x\.yaml: YAML nested too deeply"):
        load_yaml("[" * 100 + "]" * 100, file_name="x.yaml")
    with pytest.raises(PackageError, match=f"exceed the limit of {MAX_YAML_BYTES}"):
        load_yaml(b"# " + b"x" * MAX_YAML_BYTES, file_name="x.yaml")


def test_environment_with_2000_aliases_is_refused_at_once() -> None:
    text = "dependencies:\n- pip:\n  - &p [numpy]\n" + "  - *p\n" * 2000

    start = time.process_time()
    with pytest.raises(RequirementsError, match=r"environment\.yaml: too many YAML"):
        parse_conda_environment(text)
    assert time.process_time() - start < 0.5


def test_environment_line_limit_is_reached_without_expansion_cost() -> None:
    pip = "\n".join(f"  - pkg{i}" for i in range(501))
    text = f"dependencies:\n- pip:\n{pip}\n"

    start = time.process_time()
    with pytest.raises(RequirementsError, match="more than 500 lines"):
        parse_conda_environment(text)
    assert time.process_time() - start < 0.5


# ------------------------------------------------------------------------ JSON


def test_json_depth_ignores_brackets_inside_strings() -> None:
    raw = json.dumps({"a": '[[[[\\"{{{{', "b": [[1, [2]]], "c": {"d": []}}).encode()

    assert json_depth(raw) == 4
    assert load_json(raw, file_name="s.json")["b"] == [[1, [2]]]


def test_deep_json_is_refused_before_decoding() -> None:
    raw = b"[" * 200_000 + b"]" * 200_000

    with pytest.raises(PackageError, match=r"s\.json: JSON nested more than 32"):
        load_json(raw, file_name="s.json")


# ------------------------------------------------------------- specifications


def _table(k: int, d: int) -> dict[str, object]:
    return {"z": np.zeros((k, d)).tolist(), "beta": [1.0 / k] * k, "gamma": 0.1}


def test_table_spec_point_limit_is_checked_before_arrays() -> None:
    RKMETableSpecification.from_dict(_table(MAX_SPEC_POINTS, 1))  # at the limit

    with pytest.raises(SpecificationError, match="has 2049 points; the limit is 2048"):
        RKMETableSpecification.from_dict(_table(MAX_SPEC_POINTS + 1, 1))
    with pytest.raises(SpecificationError, match="values; the limit is 1310720"):
        RKMETableSpecification.from_dict(_table(1000, 1400))


def test_image_spec_accepts_the_original_defaults_and_refuses_more_work() -> None:
    def spec(n_models: int) -> dict[str, object]:
        z = np.zeros((50, 3, 32, 32), dtype=np.float32).tolist()
        return {"z": z, "beta": [0.02] * 50, "n_models": n_models,
                "model_config": dict(ORIGINAL_MODEL_CONFIG),
                "type": "RKMEImageSpecification"}  # fmt: skip

    assert RKMEImageSpecification.from_dict(spec(16)).n_models_ == 16
    with pytest.raises(SpecificationError, match="random-network kernel"):
        RKMEImageSpecification.from_dict(spec(17))


def test_dock_check_steps_refuse_an_oversized_spec_quickly(tmp_path: Path) -> None:
    case = next(c for c in HOSTILE_PACKAGES if c.name == "stat_spec_20000_points")
    package = _write(tmp_path, case.name, case.build())

    start = time.process_time()
    results = dock_checks(package, semantic_spec={}, steps=("format", "statistical"))

    assert results[0].status == "failed"
    assert "20000 points" in results[0].message
    assert time.process_time() - start < HOST_CPU_BUDGET_S


# ------------------------------------------------------------------- archives


def test_medium_zero_entries_are_refused_for_upload_and_hosted_unpacking(
    tmp_path: Path,
) -> None:
    """990 x (1 MiB - 1) zeros: 1 GB from 1.1 MB, each entry under the old 1 MiB
    threshold. Hosted inference unpacks with ``extract_package`` (the same check)."""
    package = _write(tmp_path, "bomb", medium_entries_zip_bomb())
    limits = PackageLimits(max_total_bytes=2 << 30)

    with pytest.raises(PackageError, match=r"ratio \d+ .*\(possible zip bomb\)"):
        inspect_package(package, limits=limits)
    with pytest.raises(PackageError, match="compression ratio"):
        extract_package(package, tmp_path / "out", limits=limits)
    assert not (tmp_path / "out").exists()


def test_every_entry_is_ratio_checked_but_tiny_files_keep_a_slack(
    tmp_path: Path,
) -> None:
    small = good_files() | {"pad.txt": b" " * 4000}  # ratio ~ 200+, under 4 KiB
    medium = good_files() | {"pad.txt": b" " * 64_000}  # ratio ~ 700

    inspect_package(_write(tmp_path, "small", build_zip(small)))
    with pytest.raises(PackageError, match=r"'pad\.txt': compression ratio"):
        inspect_package(_write(tmp_path, "medium", build_zip(medium)))


def test_per_entry_unpacked_budget(tmp_path: Path) -> None:
    files = good_files() | {"weights.bin": np.random.default_rng(0).bytes(5000)}
    package = _write(tmp_path, "big", build_zip(files))

    with pytest.raises(PackageError, match=r"'weights\.bin': 5000 bytes uncompressed"):
        inspect_package(package, limits=PackageLimits(max_entry_bytes=4096))


def test_fitting_more_points_than_a_market_loads_is_refused_up_front() -> None:
    X = np.random.default_rng(0).normal(size=(10, 2))

    with pytest.raises(SpecificationError, match=r"n_points must be in \[1, 2048\]"):
        RKMETableSpecification(n_points=MAX_SPEC_POINTS + 1).fit(X)


def test_long_conda_dependency_is_refused_before_the_pattern_backtracks() -> None:
    """The conda pattern takes O(n^2) on a long non-matching line (16 KB: 9 s)."""
    text = "dependencies:\n- " + "a" * 200_000 + " x y\n"

    start = time.process_time()
    with pytest.raises(RequirementsError, match="longer than 500 characters"):
        parse_conda_environment(text)
    assert time.process_time() - start < 0.5


def test_requirements_text_and_dependency_count_are_capped() -> None:
    with pytest.raises(RequirementsError, match=r"requirements\.txt: larger than"):
        parse_requirements("# x\n" * 100_000)
    deps = "".join(f"- pkg{i}\n" for i in range(501))
    with pytest.raises(RequirementsError, match="more than 500 dependencies"):
        parse_conda_environment(f"dependencies:\n{deps}")
