"""``bmw search`` output: "No good match", confidences, reasons (issue 21, part 4),
and the answers of docks without island search. The dock is faked: ``run_search``
gets a stand-in client whose ``search`` returns the API's JSON as a dict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from learnware_core.cli import main, remote
from learnware_core.cli.remote import print_search_result
from learnware_core.client import ClientError


def _learnware(i: int, name: str, task: str = "Regression") -> dict[str, Any]:
    return {"id": i, "name": name, "data_type": "Table", "task_type": task}


def _hit(i: int, name: str, **extra: Any) -> dict[str, Any]:
    hit = {"learnware": _learnware(i, name), "score": 0.9, "mmd2": 0.0123}
    hit["text_score"] = None
    return hit | extra


NO_MATCH: dict[str, Any] = {
    "count": 0,
    "results": [],
    "multiple": None,
    "heterogeneous": False,
    "engine_version": None,
    "no_match": True,
    "reason": "no good match: no learnware takes columns like yours",
}

CONFIDENT: dict[str, Any] = {
    "count": 2,
    "results": [
        _hit(7, "delays at PEK", confidence=0.874, reason=None, missing_columns=[]),
        _hit(
            9,
            "delays at SHA",
            confidence=0.31,
            reason="its columns are assumed to be in your order (undescribed)",
            missing_columns=[2, 5],
        ),
    ],
    "multiple": {
        "learnwares": [_learnware(7, "delays at PEK"), _learnware(9, "delays at SHA")],
        "weights": [0.7, 0.3],
        "mmd2": 0.01,
        "score": 0.93,
        "reason": "fits better together",
        "confidence": 0.705,
    },
    "heterogeneous": False,
    "engine_version": None,
    "no_match": False,
    "reason": None,
}


def test_no_match_prints_the_reason_instead_of_an_empty_table(capsys: Any) -> None:
    print_search_result(NO_MATCH)

    out = capsys.readouterr().out
    assert out == "No good match: no learnware takes columns like yours\n"


def test_confidences_reasons_and_the_combination_confidence_are_shown(
    capsys: Any,
) -> None:
    print_search_result(CONFIDENT)

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "CONFIDENCE", "SCORE", "MMD^2", "KIND", "NAME"]
    assert lines[1].split()[:2] == ["7", "87%"]
    assert lines[2].split()[:2] == ["9", "31%"]
    assert lines[3] == (
        "    its columns are assumed to be in your order (undescribed); "
        "your data cannot feed its column(s) 2, 5"
    )
    assert lines[-1] == (
        "Combination (weights): 7 (0.70), 9 (0.30); score 0.930; confidence 70%"
    )


def test_an_old_docks_answer_has_no_confidence_column(capsys: Any) -> None:
    old = {k: v for k, v in CONFIDENT.items() if k not in ("no_match", "reason")}
    old["results"] = [
        {k: v for k, v in hit.items() if k in ("learnware", "score", "mmd2")}
        for hit in CONFIDENT["results"]
    ]
    old["multiple"] = None

    print_search_result(old)

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "SCORE", "MMD^2", "KIND", "NAME"]
    assert len(lines) == 3  # no reason lines


class FakeClient:
    """Answers ``search`` from a list of replies (an exception is raised)."""

    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.sent: list[dict[str, Any]] = []

    def search(self, **kwargs: Any) -> dict[str, Any]:
        self.sent.append(kwargs)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        out: dict[str, Any] = reply
        return out


@pytest.fixture
def table(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    X = np.column_stack([np.linspace(0, 15_000, 300), rng.normal(size=300)])
    path = tmp_path / "mine.npy"
    np.save(path, X)
    return path


def _search(
    monkeypatch: Any, capsys: Any, client: FakeClient, *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(remote, "_client", lambda args: client)
    code = main(["-q", "search", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_search_no_match_exits_0(
    table: Path, monkeypatch: Any, capsys: Any
) -> None:
    client = FakeClient(NO_MATCH)

    code, out, err = _search(monkeypatch, capsys, client, "--table", str(table))

    assert code == 0, err
    assert out.startswith("No good match: no learnware takes columns like yours")
    sent = client.sent[0]["stat_spec"]
    assert sent.gamma_ != 0.1  # fitted on standardised columns by default
    assert sent.z_[:, 0].max() > 1000  # and sent in the data's units


def test_cli_search_sends_the_output_description(
    table: Path, monkeypatch: Any, capsys: Any
) -> None:
    client = FakeClient(CONFIDENT)

    code, out, _ = _search(
        monkeypatch, capsys, client, "--table", str(table),
        "--output-description", "departure delay in minutes",
    )  # fmt: skip

    assert code == 0
    assert client.sent[0]["output_descriptions"] == {"0": "departure delay in minutes"}
    assert "87%" in out


def test_cli_search_refits_the_old_way_when_an_old_dock_refuses_the_gamma(
    table: Path, monkeypatch: Any, capsys: Any
) -> None:
    refused = ClientError(400, "no learnware in the query's feature space (...)")
    old_answer = {"count": 0, "results": [], "multiple": None}
    client = FakeClient(refused, old_answer)

    code, out, err = _search(monkeypatch, capsys, client, "--table", str(table))

    assert code == 0
    assert "an old dock" in err
    assert "gamma 0.1" in err
    assert [s["stat_spec"].gamma_ == 0.1 for s in client.sent] == [False, True]
    assert out == "No learnware matches.\n"


def test_cli_search_with_a_given_gamma_does_not_retry(
    table: Path, monkeypatch: Any, capsys: Any
) -> None:
    refused = ClientError(400, "no learnware in the query's feature space (...)")
    client = FakeClient(refused)

    code, _, err = _search(
        monkeypatch, capsys, client, "--table", str(table), "--gamma", "0.3"
    )

    assert code == 2
    assert "feature space" in err
    assert len(client.sent) == 1


def test_cli_search_sends_a_csv_header_as_column_descriptions_by_default(
    tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    csv = tmp_path / "flights.csv"
    rows = "\n".join(f"{i % 60},{i * 3.5},{i % 7}" for i in range(200))
    csv.write_text("dep_delay,distance,weekday\n" + rows + "\n")

    default = FakeClient(CONFIDENT)
    _search(monkeypatch, capsys, default, "--table", str(csv))
    opted_out = FakeClient(CONFIDENT)
    _search(monkeypatch, capsys, opted_out, "--table", str(csv), "--describe", "none")

    assert default.sent[0]["input_descriptions"] == {
        "0": "dep_delay",
        "1": "distance",
        "2": "weekday",
    }
    assert opted_out.sent[0]["input_descriptions"] is None
