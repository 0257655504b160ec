"""The messages between the web and a search worker: one query, one reply.

Both cross Celery as JSON (``to_dict`` / ``from_dict``); everything else in the
search slice works with these frozen dataclasses, never with positional lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SEARCH_TASK = "market.learnware_search"  # market.search.tasks, on a search worker


@dataclass(frozen=True)
class SearchQuery:
    """What the web asks: candidates (None: every listed learnware), text, the
    user's validated RKME (as stored JSON) and column descriptions."""

    candidate_ids: tuple[int, ...] | None = None
    text: str = ""
    stat_spec: Mapping[str, Any] | None = None
    top_k: int = 10
    multiple: bool = True
    input_description: Mapping[str, str] | None = None
    hetero: bool = False
    task: str | None = None  # the user's task type, when one was chosen
    output: Mapping[str, Any] | None = None  # the semantic spec's Output

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidate_ids": None
            if self.candidate_ids is None
            else list(self.candidate_ids),
            "text": self.text,
            "stat_spec": None if self.stat_spec is None else dict(self.stat_spec),
            "top_k": self.top_k,
            "multiple": self.multiple,
            "input_description": None
            if self.input_description is None
            else dict(self.input_description),
            "hetero": self.hetero,
            "task": self.task,
            "output": None if self.output is None else dict(self.output),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SearchQuery:
        ids = data.get("candidate_ids")
        return cls(
            candidate_ids=None if ids is None else tuple(int(i) for i in ids),
            text=str(data.get("text") or ""),
            stat_spec=data.get("stat_spec"),
            top_k=int(data.get("top_k") or 10),
            multiple=bool(data.get("multiple", True)),
            input_description=data.get("input_description"),
            hetero=bool(data.get("hetero", False)),
            task=data.get("task") or None,
            output=data.get("output"),
        )


@dataclass(frozen=True)
class TextHit:
    learnware_id: int
    score: float


@dataclass(frozen=True)
class StatHit:
    """A statistical match. ``confidence`` (island and world search): the estimated
    chance that the learnware was built on data like the user's
    (docs/search-trust.md); ``missing_columns``: its columns the user's data
    cannot feed; ``column_map``: for each of its columns, the user's column that
    feeds it (-1: none), None when the columns are compared by position."""

    learnware_id: int
    mmd2: float
    score: float
    confidence: float | None = None
    reason: str | None = None
    missing_columns: tuple[int, ...] = ()
    column_map: tuple[int, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "learnware_id": self.learnware_id,
            "mmd2": self.mmd2,
            "score": self.score,
            "confidence": self.confidence,
            "reason": self.reason,
            "missing_columns": list(self.missing_columns),
            "column_map": None if self.column_map is None else list(self.column_map),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StatHit:
        confidence, columns = data.get("confidence"), data.get("column_map")
        return cls(
            learnware_id=int(data["learnware_id"]),
            mmd2=float(data["mmd2"]),
            score=float(data["score"]),
            confidence=None if confidence is None else float(confidence),
            reason=data.get("reason"),
            missing_columns=tuple(int(c) for c in data.get("missing_columns", ())),
            column_map=None if columns is None else tuple(int(c) for c in columns),
        )


@dataclass(frozen=True)
class MixtureReply:
    """A weighted combination of learnwares (weights sum to 1, none zero)."""

    learnware_ids: tuple[int, ...]
    weights: tuple[float, ...]
    mmd2: float
    score: float
    reason: str
    confidence: float | None = None  # island search: weight-averaged confidence


@dataclass(frozen=True)
class SearchProblem:
    """The user's input cannot be searched: ``message`` names the ``field``."""

    message: str
    field: str = "stat_spec"


@dataclass(frozen=True)
class SearchReply:
    """What the worker answers: text matches (best first), statistical matches
    (best first), a mixture, the world's version if ranked there, or a problem.
    ``no_match``: nothing found is trustworthy (``reason`` says why; ``single``
    and ``multiple`` are then empty); otherwise ``reason`` may say why the
    results may be weak."""

    text: tuple[TextHit, ...] = ()
    single: tuple[StatHit, ...] = ()
    multiple: MixtureReply | None = None
    heterogeneous: bool = False
    engine_version: str | None = None
    problem: SearchProblem | None = None
    no_match: bool = False
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": [[h.learnware_id, h.score] for h in self.text],
            "single": [h.to_dict() for h in self.single],
            "multiple": None
            if self.multiple is None
            else {
                "learnware_ids": list(self.multiple.learnware_ids),
                "weights": list(self.multiple.weights),
                "mmd2": self.multiple.mmd2,
                "score": self.multiple.score,
                "reason": self.multiple.reason,
                "confidence": self.multiple.confidence,
            },
            "heterogeneous": self.heterogeneous,
            "engine_version": self.engine_version,
            "problem": None
            if self.problem is None
            else {"message": self.problem.message, "field": self.problem.field},
            "no_match": self.no_match,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SearchReply:
        m = data.get("multiple")
        p = data.get("problem")
        return cls(
            text=tuple(TextHit(int(i), float(s)) for i, s in data.get("text", ())),
            single=tuple(StatHit.from_dict(h) for h in data.get("single", ())),
            multiple=None
            if m is None
            else MixtureReply(
                learnware_ids=tuple(int(i) for i in m["learnware_ids"]),
                weights=tuple(float(w) for w in m["weights"]),
                mmd2=float(m["mmd2"]),
                score=float(m["score"]),
                reason=str(m["reason"]),
                confidence=None
                if m.get("confidence") is None
                else float(m["confidence"]),
            ),
            heterogeneous=bool(data.get("heterogeneous", False)),
            engine_version=data.get("engine_version"),
            problem=None
            if p is None
            else SearchProblem(str(p["message"]), str(p.get("field") or "stat_spec")),
            no_match=bool(data.get("no_match", False)),
            reason=data.get("reason"),
        )
