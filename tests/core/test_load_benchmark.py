"""``benchmarks.load``: the locust mix parses, the CSV and summary logic, the market.

The load test itself (a dock under 50 users for minutes) is not run here.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from email import message_from_bytes
from email.policy import HTTP
from pathlib import Path

import pytest

from benchmarks import load
from benchmarks.load_market import SPACES, MarketPlan
from learnware_core.specification.base import load_spec
from learnware_core.specification.semantic import NAME_LENGTH, SemanticSpec

REPO = Path(__file__).resolve().parents[2]
LOCUSTFILE = REPO / "benchmarks" / "load_locustfile.py"

# What locust 2.x writes to PREFIX_stats.csv (header and rows abridged to real ones).
STATS_CSV = """\
Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,\
Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,\
75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,browse,340,0,110,123.4,40,900,5300.0,11.3,0.0,110,130,140,150,190,240,300,390,900,\
900,900
GET,detail,200,0,51,60.1,20,400,2100.0,6.7,0.0,51,60,70,80,120,290,290,290,400,400,400
POST,stat search,70,2,920,980.5,300,2500,3000.0,2.3,0.07,920,1000,1100,1200,1500,1900,\
2100,2100,2500,2500,2500
GET,download,7,0,74,80.0,60,270,480000.0,0.2,0.0,74,80,90,90,270,270,270,270,270,270,270
GET,detail versions,0,0,0,0.0,0,0,0.0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,\
N/A,N/A
,Aggregated,617,2,100,200.0,20,2500,9000.0,20.57,0.07,100,120,140,160,400,920,1900,2300,\
2500,2500,2500
"""
FAILURES_CSV = """\
Method,Name,Error,Occurrences
POST,stat search,LocustBadStatusCode(code=503),2
"""


def test_stats_csv_parses_into_operations_and_total() -> None:
    ops, total = load.parse_stats_csv(STATS_CSV)
    by_name = {op.name: op for op in ops}
    assert set(by_name) == {
        "browse",
        "detail",
        "stat search",
        "download",
        "detail versions",
    }
    assert by_name["browse"].requests == 340
    assert by_name["browse"].p95_ms == 240
    assert by_name["stat search"].failures == 2
    assert by_name["stat search"].p99_ms == 2100
    assert by_name["detail versions"].p95_ms is None  # N/A: no request
    assert (total.requests, total.failures, total.rps) == (617, 2, 20.57)
    with pytest.raises(ValueError, match="Aggregated"):
        load.parse_stats_csv(STATS_CSV.rsplit(",Aggregated", 1)[0])
    assert load.parse_failures_csv(FAILURES_CSV) == [
        {"name": "stat search", "error": "LocustBadStatusCode(code=503)", "count": 2}
    ]


def test_summary_is_the_json_line_and_check_names_every_miss() -> None:
    ops, total = load.parse_stats_csv(STATS_CSV)
    summary = load.summarize(
        ops, total, fuzz={"cases": 120, "five_xx": 0}, environment={"cores": 2}
    )
    line = json.loads(json.dumps(summary))
    assert {"rps", "p95_ms", "errors", "fuzz_cases", "fuzz_5xx"} <= set(line)
    assert line["rps"] == 20.57
    assert line["p95_ms"]["stat search"] == 1900
    assert (line["errors"], line["fuzz_cases"], line["fuzz_5xx"]) == (2, 120, 0)
    assert line["environment"] == {"cores": 2}
    problems = load.check(summary)
    assert "2 errors (goal: 0)" in problems
    assert "stat search: p95 1900 ms >= 1000 ms" in problems
    assert "detail versions: no request was made" in problems
    assert not any(p.startswith(("browse", "detail:")) for p in problems)
    no_fuzz = load.summarize(ops, total)
    assert no_fuzz["fuzz_cases"] is None
    assert no_fuzz["fuzz_5xx"] is None

    table = load.format_table(ops, total).splitlines()
    assert table[0].split()[:3] == ["operation", "requests", "rps"]
    names = [row.split("  ")[0].strip() for row in table[2:-2]]
    assert names == ["browse", "detail", "detail versions", "stat search", "download"]
    assert table[-1].split() == ["all", "617", "20.57", "100", "920", "2300", "2"]


def test_multipart_body_is_what_a_form_parser_reads() -> None:
    body, content_type = load.multipart(
        [("query", "flight delay"), ("data_type", "Table")],
        [("stat_spec", "stat.json", b'{"z": [[1.0]]}', "application/json")],
    )
    message = message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=HTTP
    )
    parts = {
        p.get_param("name", header="content-disposition"): p
        for p in message.iter_parts()
    }
    assert parts["query"].get_content() == "flight delay"
    assert parts["data_type"].get_content() == "Table"
    assert parts["stat_spec"].get_filename() == "stat.json"
    assert parts["stat_spec"].get_content() == b'{"z": [[1.0]]}'


def test_mix_operations_and_targets_agree() -> None:
    assert set(load.MIX) <= set(load.OPERATIONS)
    assert set(load.TARGETS_MS) <= set(load.OPERATIONS)
    assert load.TARGETS_MS["stat search"] == 1000
    assert load.TARGETS_MS["browse"] == load.TARGETS_MS["detail"] == 300
    # Each locust task is weighted by its MIX entry (read without importing locust,
    # which monkey-patches this process with gevent).
    tree = ast.parse(LOCUSTFILE.read_text())
    weights = {
        decorator.args[0].slice.value
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        for decorator in node.decorator_list
        if isinstance(decorator, ast.Call)
        and getattr(decorator.func, "id", "") == "task"
        and isinstance(decorator.args[0], ast.Subscript)
        and isinstance(decorator.args[0].slice, ast.Constant)
    }
    assert weights == set(load.MIX)


def test_locust_loads_the_locustfile_with_a_plan(tmp_path: Path) -> None:
    spec = tmp_path / "user.json"
    spec.write_text("{}")
    plan = {
        "tokens": ["bmw_x"],
        "ids": [1, 2, 3],
        "pages": 1,
        "queries": ["flight delay"],
        "specs": [{"space": "retail", "path": str(spec)}],
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    done = subprocess.run(
        [str(Path(sys.executable).parent / "locust"), "-f", str(LOCUSTFILE), "--list"],
        cwd=REPO,
        env={"BMW_LOAD_PLAN": str(tmp_path / "plan.json"), "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "DockUser" in done.stdout


def test_market_plan_is_valid_and_distinct() -> None:
    plan = MarketPlan(200)
    specs = [SemanticSpec.from_dict(plan.semantic(i)) for i in range(200)]
    assert all(NAME_LENGTH[0] <= len(s.name) <= NAME_LENGTH[1] - 4 for s in specs)
    assert len({s.description for s in specs}) == 200
    assert {s.task for s in specs} == {"Classification", "Regression"}
    for i in (0, 7, 199):
        rkme = load_spec(plan.learnware_spec(i))
        space = SPACES[plan.space_of(i)]
        assert rkme.to_dict()["gamma"] == 0.1
        assert len(rkme.to_dict()["z"]) == 100
        assert len(rkme.to_dict()["z"][0]) == space.d == specs[i].input_dimension
    assert plan.semantic(3) == MarketPlan(10).semantic(3)  # deterministic


def test_regenerating_the_benchmarks_page_keeps_the_load_section(
    tmp_path: Path,
) -> None:
    from benchmarks.report import KEPT_HEADINGS, _kept_sections

    page = tmp_path / "benchmarks.md"
    assert _kept_sections(page) == ""
    load_section = f"{KEPT_HEADINGS[0]}\n\nfigures\n"
    page.write_text(f"# Benchmarks\n\n## Targets\n\nrows\n\n{load_section}")
    assert _kept_sections(page) == load_section
    page.write_text("# Benchmarks\n\n## Targets\n")
    assert _kept_sections(page) == ""
