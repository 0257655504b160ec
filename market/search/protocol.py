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
        )


@dataclass(frozen=True)
class TextHit:
    learnware_id: int
    score: float


@dataclass(frozen=True)
class StatHit:
    learnware_id: int
    mmd2: float
    score: float


@dataclass(frozen=True)
class MixtureReply:
    """A weighted combination of learnwares (weights sum to 1, none zero)."""

    learnware_ids: tuple[int, ...]
    weights: tuple[float, ...]
    mmd2: float
    score: float
    reason: str


@dataclass(frozen=True)
class SearchProblem:
    """The user's input cannot be searched: ``message`` names the ``field``."""

    message: str
    field: str = "stat_spec"


@dataclass(frozen=True)
class SearchReply:
    """What the worker answers: text matches (best first), statistical matches
    (best first), a mixture, the world's version if ranked there, or a problem."""

    text: tuple[TextHit, ...] = ()
    single: tuple[StatHit, ...] = ()
    multiple: MixtureReply | None = None
    heterogeneous: bool = False
    engine_version: str | None = None
    problem: SearchProblem | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": [[h.learnware_id, h.score] for h in self.text],
            "single": [[h.learnware_id, h.mmd2, h.score] for h in self.single],
            "multiple": None
            if self.multiple is None
            else {
                "learnware_ids": list(self.multiple.learnware_ids),
                "weights": list(self.multiple.weights),
                "mmd2": self.multiple.mmd2,
                "score": self.multiple.score,
                "reason": self.multiple.reason,
            },
            "heterogeneous": self.heterogeneous,
            "engine_version": self.engine_version,
            "problem": None
            if self.problem is None
            else {"message": self.problem.message, "field": self.problem.field},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SearchReply:
        m = data.get("multiple")
        p = data.get("problem")
        return cls(
            text=tuple(TextHit(int(i), float(s)) for i, s in data.get("text", ())),
            single=tuple(
                StatHit(int(i), float(d), float(s))
                for i, d, s in data.get("single", ())
            ),
            multiple=None
            if m is None
            else MixtureReply(
                learnware_ids=tuple(int(i) for i in m["learnware_ids"]),
                weights=tuple(float(w) for w in m["weights"]),
                mmd2=float(m["mmd2"]),
                score=float(m["score"]),
                reason=str(m["reason"]),
            ),
            heterogeneous=bool(data.get("heterogeneous", False)),
            engine_version=data.get("engine_version"),
            problem=None
            if p is None
            else SearchProblem(str(p["message"]), str(p.get("field") or "stat_spec")),
        )
