"""One check-step type from the sandboxed worker to the dock: shape and round trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from learnware_core import checks
from learnware_core.checks import CheckStatus, CheckStepResult
from learnware_core.runtime import IndexOptions, check_model
from learnware_core.runtime.guest import worker
from learnware_core.runtime.guest_report import (
    MalformedReport,
    expected_steps,
    worker_steps,
)


def test_check_status_holds_the_dock_step_statuses() -> None:
    # market.models.CheckStep.Status has these plus "pending" (a row not yet started).
    assert {s.value for s in CheckStatus} == {"running", "passed", "failed", "skipped"}
    assert CheckStatus.PASSED == "passed"


def test_step_result_is_the_check_step_result_the_dock_imports() -> None:
    assert checks.StepResult is CheckStepResult


def test_check_step_result_round_trips_through_json() -> None:
    step = CheckStepResult(
        "pickle_scan",
        CheckStatus.FAILED,
        "model.pkl: dangerous global os.system",
        "picklescan\nmodel.pkl (pickle)",
        0.25,
        {"pickle_scan": {"files": [{"file": "model.pkl"}]}},
    )

    again = CheckStepResult.from_dict(json.loads(json.dumps(step.to_dict())))

    assert again == step
    assert type(again.status) is CheckStatus
    assert step.to_dict()["status"] == "failed"
    assert not again.ok


def test_check_step_result_defaults_and_accepts_a_status_string() -> None:
    step = CheckStepResult.from_dict({"name": "format", "status": "passed"})

    assert step == CheckStepResult("format", CheckStatus.PASSED)
    assert step.status is CheckStatus.PASSED
    assert step.ok
    assert (step.message, step.log, step.duration_s, dict(step.details)) == (
        "",
        "",
        None,
        {},
    )
    # A plain string given to the constructor becomes the enum member.
    assert CheckStepResult("format", "skipped").status is CheckStatus.SKIPPED  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"name": "format", "status": "ok"}, "not a valid CheckStatus"),
        ({"status": "passed"}, "needs a 'name'"),
        ({"name": "format"}, "needs a 'name' and a 'status'"),
        ({"name": "format", "status": "passed", "ok": True}, "unknown .* ok"),
        ({"name": 3, "status": "passed"}, "'name' must be a string"),
        ({"name": "f", "status": "passed", "log": None}, "'log' must be a string"),
        ({"name": "f", "status": "passed", "duration_s": "1"}, "duration_s"),
        ({"name": "f", "status": "passed", "duration_s": True}, "duration_s"),
        ({"name": "f", "status": "passed", "duration_s": -1.0}, "duration_s"),
        ({"name": "f", "status": "passed", "duration_s": float("nan")}, "duration_s"),
        ({"name": "f", "status": "passed", "details": []}, "'details' must be"),
    ],
)
def test_check_step_result_from_dict_rejects_malformed_steps(
    data: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        CheckStepResult.from_dict(data)


def test_worker_writes_steps_the_host_reads_as_check_steps() -> None:
    steps = worker._Steps()
    steps.run("import numpy", lambda: None, "numpy 2")
    with pytest.raises(worker._Failed):
        steps.run("load model", lambda: 1 / 0)

    report = json.loads(json.dumps({"steps": steps.items}))
    read = worker_steps(report, expected_steps("check"))

    # a passed step carries no text of the worker's; a traceback is labelled
    assert [(s.name, s.status, s.message) for s in read[:1]] == [
        ("import numpy", CheckStatus.PASSED, "")
    ]
    assert read[1].name == "load model"
    assert read[1].status is CheckStatus.FAILED
    assert read[1].message.startswith("[model output: traceback, not verified")
    assert "ZeroDivisionError" in read[1].message
    assert all(s.duration_s is not None and s.duration_s >= 0 for s in read)


@pytest.mark.parametrize(
    "steps",
    [
        [{"name": "x" * 500, "status": "passed", "duration_s": 0.0}],
        [{"name": "import numpy", "status": "passed", "duration_s": 1, "ok": 1}],
        [{"name": 7, "status": "passed", "duration_s": 0.0}],
        [{"name": "import numpy", "status": "skipped", "duration_s": 0.5}],
        [{"name": "import numpy", "status": "passed", "duration_s": float("nan")}],
        [{"name": "load model", "status": "passed", "duration_s": 0.5}],
        [
            {"name": "import numpy", "status": "failed", "duration_s": 0.1},
            {"name": "load model", "status": "passed", "duration_s": 0.1},
        ],
        ["not a step"],
        "no list",
    ],
)
def test_malformed_worker_reports_are_refused_whole(steps: Any) -> None:
    with pytest.raises(MalformedReport):
        worker_steps({"steps": steps}, expected_steps("check"))


def test_check_model_reports_later_phases_skipped_after_environment_fails(
    tmp_path: Path,
) -> None:
    (tmp_path / "requirements.txt").write_text("-e .\n")

    report = check_model(tmp_path, index=IndexOptions(), cache_dir=tmp_path / "envs")

    assert not report.ok
    env, loads, predicts = report.phases
    assert env.status is CheckStatus.FAILED
    assert "editable installs (-e) are not allowed" in env.message
    assert env.duration_s is not None
    assert env.duration_s >= 0
    for phase in (loads, predicts):
        assert phase.status is CheckStatus.SKIPPED
        assert not phase.ok
        assert phase.message == "skipped: an earlier step failed"
    assert report.step("model_loads") is loads
