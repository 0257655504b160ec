"""``benchmarks.hostile`` (issue 22): the catalogue's wiring and its figures, without a
dock. The live run is ``python -m benchmarks.hostile [--quick] --check``."""

from __future__ import annotations

import io
import pickletools
import zipfile

import pytest

from benchmarks._hostile_packages import HOSTILE_PACKAGES
from benchmarks._hostile_sandbox import ESCAPE_CALLS, HOSTILE_GLOBALS
from benchmarks.hostile import (
    CLASSES,
    QUICK_PICKLE_GLOBALS,
    REQUEST_CASES,
    SEARCH_TIMEOUT_S,
    Outcome,
    PackageCase,
    Timed,
    _flood_outcomes,
    _probe_outcomes,
    check_outcome,
    checks,
    cpu_used,
    figures,
    package_catalogue,
    run_bmw_check,
    summarise_search,
)


def test_the_catalogue_has_a_case_of_every_class_of_the_issue() -> None:
    classes = {case.klass for case in package_catalogue(quick=False)}
    classes |= set(REQUEST_CASES.values())
    classes.add(CLASSES["5"])  # benchmarks.hostile.sandbox_cases, run on the host

    assert classes == set(CLASSES.values())


def test_every_hostile_package_and_pickle_global_is_in_the_catalogue() -> None:
    full = {case.name: case for case in package_catalogue(quick=False)}
    quick = package_catalogue(quick=True)

    assert {p.name for p in HOSTILE_PACKAGES} <= set(full)
    for module, name in HOSTILE_GLOBALS:
        if module != "multiprocessing.util":  # HOSTILE_PACKAGES' own pickle case
            assert f"pickle_global {module}.{name}" in full
    pickles = [c for c in quick if c.name.startswith("pickle_global")]
    assert len(pickles) == QUICK_PICKLE_GLOBALS - 1  # spawnv_passfds is the first
    assert sum(c.dock for c in pickles) < len(pickles)  # only a few uploaded
    assert all(case.dock for case in full.values())


def test_a_pickle_case_is_a_good_package_whose_pickle_names_the_global() -> None:
    case = next(
        c
        for c in package_catalogue(quick=False)
        if c.name == "pickle_global builtins.eval"
    )
    with zipfile.ZipFile(io.BytesIO(case.build())) as zf:
        names = set(zf.namelist())
        ops = [
            (op.name, arg) for op, arg, _ in pickletools.genops(zf.read("model.pkl"))
        ]

    assert {"learnware.yaml", "__init__.py", "stat.json", "model.pkl"} <= names
    assert ("GLOBAL", "builtins eval") in ops
    assert case.row == "pickle"
    assert case.words == ("builtins.eval",)


def _rows(failing: str = "", detail: str = "") -> list[dict[str, str]]:
    keys = ("archive", "manifest", "stat", "pickle")
    return [
        {"key": k, "status": "fail" if k == failing else "pass", "detail": detail}
        for k in keys
    ]


def test_check_outcome_counts_a_refusal_and_flags_a_pass() -> None:
    case = PackageCase(CLASSES["3"], "p", bytes, "pickle", ("builtins.eval",))

    refused = check_outcome(case, _rows("pickle", "dangerous builtins.eval"), 0.01)
    elsewhere = check_outcome(case, _rows("stat", "bad z"), 0.01)
    passed = check_outcome(case, _rows(), 0.5)

    assert refused.contained
    assert refused.refused
    assert refused.outcome == "pickle: dangerous builtins.eval"
    assert elsewhere.contained
    assert elsewhere.outcome.startswith("refused on an unexpected row or wording")
    assert not passed.contained
    assert not passed.refused
    assert passed.outcome.startswith("PASSED")


def test_figures_count_containment_and_only_refused_packages_cpu() -> None:
    outcomes = [
        Outcome("1", "a", "bmw check", True, "refused", 0.3, refused=True),
        Outcome("1", "a", "dock", True, "400", 1.2, refused=True),
        Outcome("7", "report", "dock", True, "steps are the dock's", 9.0),
        Outcome("2", "search", "dock", False, "NO ANSWER"),
    ]

    result = figures(outcomes)

    assert result["total"] == 4
    assert result["contained"] == 3
    assert result["host_cpu_s_max"] == 1.2  # not the contained, unrefused 9.0
    assert result["by_class"]["1"] == {"total": 2, "contained": 2}
    assert result["not_contained"] == ["dock: search: NO ANSWER"]


def test_checks_name_every_missed_target() -> None:
    good: dict[str, float | None] = {
        "total": 3,
        "contained": 3,
        "host_cpu_s_max": 0.4,
        "search_p95_ms_under_abuse": 120.0,
        "search_5xx": 0,
        "fuzz_5xx": 0,
    }
    bad = good | {"contained": 2, "host_cpu_s_max": 2.5, "search_5xx": 1}
    bad["search_p95_ms_under_abuse"] = None

    assert checks(good) == []
    assert checks(bad) == [
        "contained 2 of 3 cases",
        "host_cpu_s_max = 2.5 (target < 2)",
        "search_p95_ms_under_abuse not measured",
        "search_5xx = 1 (target == 0)",
    ]


def test_search_summary_counts_failures_as_the_timeout() -> None:
    normal = [Timed(0.1, 200)] * 18 + [Timed(0.2, 200), Timed(2.0, 503)]
    abuse = [Timed(0.05, 200, 21)] * 3 + [Timed(0.01, 429)]

    result = summarise_search([Timed(0.05, 200)], normal, abuse, 5.0)

    assert result["search_5xx"] == 1
    assert result["search_p95_ms_under_abuse"] == pytest.approx(
        1000 * (0.2 + 0.05 * (SEARCH_TIMEOUT_S - 0.2)), rel=1e-6
    )  # the 19th of 20 sorted values and a twentieth of the way to the 20th
    assert result["search"]["normal_ok"] == 19
    assert result["search"]["abusive_answers"] == {"200 code 21": 3, "429": 1}
    assert result["search"]["abusive_5xx"] == 0


def test_cpu_used_ignores_processes_that_ended() -> None:
    assert cpu_used({1: 5.0, 2: 1.0}, {1: 5.5, 3: 0.25}) == pytest.approx(0.75)


def test_bmw_check_runs_in_a_child_and_refuses_hostile_packages() -> None:
    cases = [
        c
        for c in package_catalogue(quick=True)
        if c.name
        in ("pickle_spawnv_passfds", "yaml_alias_bomb_manifest", "zip_symlink")
    ]

    outcomes = run_bmw_check(cases, quick=True)

    assert [o.case for o in outcomes] == [c.name for c in cases]
    for outcome in outcomes:
        assert outcome.contained, outcome
        assert outcome.refused, outcome
        assert not outcome.outcome.startswith("refused on an unexpected"), outcome
        assert outcome.cpu_s is not None
        assert outcome.cpu_s < 2.0


def test_sandbox_probe_and_flood_lines_are_read_as_held_or_not() -> None:
    probe = "\n".join(
        [
            "unshare 1  unshare: unshare failed: Operation not permitted",
            *(f"{label} -1 Operation not permitted" for label, _ in ESCAPE_CALLS[:-1]),
            f"{ESCAPE_CALLS[-1][0]} 0 Success",  # the call went through
            "thread ok",
        ]
    )
    flood = "big.bin 256 EFBIG\n/tmp/big.bin 64 ENOSPC\n"  # /dev/shm took it all

    probed = {o.case: o.contained for o in _probe_outcomes(probe)}
    flooded = {o.case: o.contained for o in _flood_outcomes(flood, left=4096)}

    assert len(probed) == 1 + len(ESCAPE_CALLS)
    assert probed["sandbox unshare -Urm"]
    assert probed[f"sandbox {ESCAPE_CALLS[0][0]}"]
    assert not probed[f"sandbox {ESCAPE_CALLS[-1][0]}"]
    assert not _probe_outcomes("unshare 0 0 \nthread ok")[0].contained
    assert flooded == {
        "sandbox write 600 MiB to scratch": True,
        "sandbox write 600 MiB to /tmp/big.bin": True,
        "sandbox write 600 MiB to /dev/shm/big.bin": False,
        "sandbox scratch on the host disk": False,
    }


def test_packages_are_uploaded_with_a_semantic_spec_of_their_width() -> None:
    cases = {case.name: case for case in package_catalogue(quick=True)}

    assert cases["stat_spec_20000_points"].semantic()["Input"]["Dimension"] == 1
    assert cases["stat_spec_wide_point"].semantic()["Input"]["Dimension"] == 2_000_000
    assert cases["yaml_deep_nesting"].semantic()["Input"]["Dimension"] == 4
