"""The messages between the web and an inference worker: one job, one outcome.

Both cross Celery as JSON (``to_dict`` / ``from_dict``). A failure says whose it is
(:class:`FailureKind`), so the web answers with the right error: the dock's (503,
try again) or the learnware's (422), never the user's input for either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

PREDICT_TASK = "market.learnware_predict"  # market.inference.tasks


@dataclass(frozen=True)
class PredictJob:
    """Run ``version_ids`` (of ``learnware_ids``) on the stored ``input`` (.npy)."""

    learnware_ids: tuple[int, ...]
    version_ids: tuple[int, ...]
    input: str
    kind: str  # table, text or image (inputs.ParsedInput.kind)
    task_type: str
    time_limit_s: float
    caller: str = ""  # whose request: warm processes are never shared between callers
    reuser: str | None = None
    weights: tuple[float, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["learnware_ids"] = list(self.learnware_ids)
        data["version_ids"] = list(self.version_ids)
        data["weights"] = None if self.weights is None else list(self.weights)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PredictJob:
        weights = data.get("weights")
        return cls(
            learnware_ids=tuple(int(i) for i in data["learnware_ids"]),
            version_ids=tuple(int(i) for i in data["version_ids"]),
            input=str(data["input"]),
            kind=str(data["kind"]),
            task_type=str(data["task_type"]),
            time_limit_s=float(data["time_limit_s"]),
            caller=str(data.get("caller", "")),
            reuser=data.get("reuser"),
            weights=None if weights is None else tuple(float(w) for w in weights),
        )


class FailureKind(StrEnum):
    LEARNWARE = "learnware"  # the model, its package or its environment failed
    UNAVAILABLE = "unavailable"  # the dock could not run it (sandbox, file store)


@dataclass(frozen=True)
class PredictFailure:
    kind: FailureKind
    message: str
    detail: str = ""


@dataclass(frozen=True)
class PredictOutcome:
    """Predictions (and class probabilities) with timings, or a failure."""

    learnware_ids: tuple[int, ...] = ()
    reuser: str | None = None
    n_rows: int = 0
    predictions: list[Any] = field(default_factory=list)
    probabilities: list[Any] | None = None
    timing: Mapping[str, float] = field(default_factory=dict)
    failure: PredictFailure | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["learnware_ids"] = list(self.learnware_ids)
        data["timing"] = dict(self.timing)
        if self.failure is not None:
            data["failure"] = {**asdict(self.failure), "kind": str(self.failure.kind)}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PredictOutcome:
        failure = data.get("failure")
        return cls(
            learnware_ids=tuple(int(i) for i in data.get("learnware_ids", ())),
            reuser=data.get("reuser"),
            n_rows=int(data.get("n_rows", 0)),
            predictions=list(data.get("predictions", [])),
            probabilities=data.get("probabilities"),
            timing={k: float(v) for k, v in dict(data.get("timing", {})).items()},
            failure=None
            if failure is None
            else PredictFailure(
                FailureKind(failure["kind"]),
                str(failure["message"]),
                str(failure.get("detail", "")),
            ),
        )
