"""The search use case on the web side: tag filters in SQL, ranking on a search worker.

``learnware_search`` narrows the candidates with the database, sends a
:class:`~market.search.protocol.SearchQuery` to a search worker (queue ``search``;
the worker side is :mod:`market.search.index`), waits for its
:class:`~market.search.protocol.SearchReply` and loads the learnwares it names.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings

from accounts.models import User
from bmw import jobs
from bmw.api.parsers import json_loads_bounded
from bmw.errors import ApplicationError, UnavailableError
from bmw.inflight import in_flight
from bmw.outages import BROKER_ERRORS
from learnware_core.errors import LearnwareError
from learnware_core.specification.base import load_spec
from market import services, world
from market.models import Learnware, UsageDay
from market.search.protocol import SEARCH_TASK, SearchQuery, SearchReply
from market.selectors import learnware_list

logger = logging.getLogger(__name__)

# No search worker answered in time, or the broker went away.
_NO_ANSWER: tuple[type[Exception], ...] = (CeleryTimeoutError, *BROKER_ERRORS)
DESCRIPTION_MAX_CHARS = 500  # per column (the encoder reads ~256 tokens anyway)


@dataclass(frozen=True)
class SearchFilters:
    """Tag filters (database; several values of one tag mean any of them) and text."""

    data_types: tuple[str, ...] = ()
    task_types: tuple[str, ...] = ()
    library_types: tuple[str, ...] = ()
    licenses: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class SearchHit:
    learnware: Learnware
    score: float | None = None
    mmd2: float | None = None
    text_score: float | None = None
    confidence: float | None = None  # island search: docs/search-trust.md
    reason: str | None = None  # why this result may be weak
    missing_columns: tuple[int, ...] = ()  # its columns your data cannot feed


@dataclass(frozen=True)
class SearchMultiple:
    learnwares: list[Learnware]
    weights: list[float]
    mmd2: float
    score: float
    reason: str
    confidence: float | None = None


@dataclass(frozen=True)
class SearchOutcome:
    hits: list[SearchHit]
    multiple: SearchMultiple | None
    count: int
    heterogeneous: bool = False  # ranked in the specification world
    engine_version: str | None = None  # the world's engine version, if so
    no_match: bool = False  # nothing found is trustworthy: ``reason`` says why
    reason: str | None = None  # or why the results may be weak


def stat_spec_parse(raw: bytes) -> dict[str, Any]:
    """A user's uploaded ``stat.json``, validated (``ApplicationError`` if bad)."""

    def bad(problem: str) -> ApplicationError:
        return ApplicationError(
            f"stat_spec: {problem}", extra={"fields": {"stat_spec": [problem]}}
        )

    if len(raw) > settings.BMW_MAX_STAT_SPEC_BYTES:
        raise bad(f"larger than {settings.BMW_MAX_STAT_SPEC_BYTES} bytes")
    data = json_loads_bounded(
        raw, field="stat_spec", max_bytes=settings.BMW_MAX_STAT_SPEC_BYTES
    )
    try:
        spec = load_spec(data)
    except (ValueError, LearnwareError) as exc:
        raise bad(str(exc)) from exc
    stored = spec.to_dict()
    for key in ("z", "beta"):
        if key in stored and not np.all(np.isfinite(np.asarray(stored[key], float))):
            raise bad(f"'{key}' has NaN or infinite values")
    return stored


def input_description_parse(
    raw: Any, stat_spec: dict[str, Any] | None, *, strict: bool = True
) -> dict[str, str] | None:
    """The user's column descriptions from a semantic spec's ``Input``
    (``{"Dimension": d, "Description": {"0": "age", ...}}``), checked against the
    RKME's columns. Unusable input: ``ApplicationError`` if ``strict``, else None.
    """

    def bad(problem: str) -> ApplicationError:
        return ApplicationError(
            f"input: {problem}", extra={"fields": {"input": [problem]}}
        )

    if raw is None:
        return None
    descriptions = world.input_descriptions(raw)
    problem = ""
    if descriptions is None:
        problem = (
            "needs 'Description' with at least one column described, "
            'e.g. {"Dimension": 2, "Description": {"0": "age", "1": "income"}}'
        )
    z = (stat_spec or {}).get("z")
    if descriptions is not None and isinstance(z, list) and z:
        columns = len(z[0])
        dimension = raw.get("Dimension")
        if dimension is not None and dimension != columns:
            problem = f"'Dimension' is {dimension} but your RKME has {columns} columns"
        elif any(int(k) >= columns for k in descriptions):
            problem = f"a 'Description' key is out of range for {columns} columns"
    if descriptions and max(map(len, descriptions.values())) > DESCRIPTION_MAX_CHARS:
        problem = f"a column description is over {DESCRIPTION_MAX_CHARS} characters"
    if problem and strict:
        raise bad(problem)
    return None if problem else descriptions


def output_description_parse(raw: Any) -> dict[str, Any] | None:
    """The user's output, as a semantic spec's ``Output``
    (``{"Dimension": 1, "Description": {"0": "price"}}``), checked
    (``ApplicationError`` naming ``output`` if unusable)."""
    if raw is None:
        return None
    problem = ""
    description = raw.get("Description", {}) if isinstance(raw, dict) else None
    dimension = raw.get("Dimension") if isinstance(raw, dict) else None
    if not isinstance(description, dict) or not all(
        isinstance(k, str) and k.isdigit() and isinstance(v, str)
        for k, v in description.items()
    ):
        problem = (
            "must be an object with 'Description' mapping output indices to text, "
            'e.g. {"Dimension": 1, "Description": {"0": "price"}}'
        )
    elif dimension is not None and (
        not isinstance(dimension, int) or isinstance(dimension, bool) or dimension < 1
    ):
        problem = "'Dimension' must be a positive integer"
    elif dimension is not None and any(int(k) >= dimension for k in description):
        problem = f"a 'Description' key is out of range for {dimension} outputs"
    elif description and max(map(len, description.values())) > DESCRIPTION_MAX_CHARS:
        problem = f"a description is over {DESCRIPTION_MAX_CHARS} characters"
    if problem:
        raise ApplicationError(
            f"output: {problem}", extra={"fields": {"output": [problem]}}
        )
    assert isinstance(description, dict)
    if dimension is None:
        dimension = len(description) or None
    return {"Dimension": dimension, "Description": dict(description)}


def _candidate_ids(viewer: User | None, filters: SearchFilters) -> list[int]:
    qs = learnware_list(viewer=viewer)
    for column, values in (
        ("data_type", filters.data_types),
        ("task_type", filters.task_types),
        ("library_type", filters.library_types),
        ("license", filters.licenses),
    ):
        if values:
            qs = qs.filter(**{f"{column}__in": values})
    rows = qs.order_by("-id").values_list("id", "scenarios")
    wanted = set(filters.scenarios)
    # JSON containment is not portable to SQLite: scenarios are matched here.
    return [i for i, sc in rows if not wanted or wanted & set(sc or ())]


def learnware_search(
    *,
    viewer: User | None,
    filters: SearchFilters,
    stat_spec: dict[str, Any] | None = None,
    top_k: int = 10,
    multiple: bool = True,
    input_description: dict[str, str] | None = None,
    hetero: bool = False,
    output: dict[str, Any] | None = None,
    caller: str = "",
) -> SearchOutcome:
    """Semantic and statistical search: tags in SQL, ranking on a search worker.

    With the user's column descriptions (``input_description``) a table RKME that
    no learnware shares the feature space of is searched in the specification
    world (heterogeneous search); ``hetero`` asks for that in any case. A table
    RKME is first searched on the islands its columns' meaning locates
    (``input_description``, ``output`` and one chosen task type), with a
    confidence per result, or ``no_match`` when nothing is trustworthy.
    Raises ``SearchUnavailable`` when no search worker answers in time, and
    ``RateLimitedError`` when ``caller`` (``user:<id>`` or ``addr:<ip>``) already
    waits for ``BMW_JOBS_IN_FLIGHT_MAX`` searches.
    """
    services.usage_count(kind=UsageDay.Kind.SEARCH)
    tagged = any(
        (
            filters.data_types,
            filters.task_types,
            filters.library_types,
            filters.licenses,
            filters.scenarios,
        )
    )
    if not filters.text.strip() and stat_spec is None:
        ids = _candidate_ids(viewer, filters)
        hits = [SearchHit(lw) for lw in _hydrate(viewer, ids[:top_k])]
        return SearchOutcome(hits=hits, multiple=None, count=len(ids))
    query = SearchQuery(
        # Tag filters: the database's answer. Without them every live learnware is
        # a candidate, which is what the worker's index holds (kept in step by
        # SearchIndexEvent); results are hydrated through the viewer's visibility,
        # so an entry the database no longer has is dropped, never shown. Saves
        # reading and shipping every id per query (~50 ms at 10,000 learnwares).
        candidate_ids=tuple(_candidate_ids(viewer, filters)) if tagged else None,
        text=filters.text,
        stat_spec=stat_spec,
        top_k=top_k,
        multiple=multiple,
        input_description=input_description,
        hetero=hetero,
        task=filters.task_types[0] if len(filters.task_types) == 1 else None,
        output=output,
    )
    timeout = settings.BMW_SEARCH_TIMEOUT_S
    with in_flight(
        caller,
        kind="search",
        limit=settings.BMW_JOBS_IN_FLIGHT_MAX,
        ttl_s=timeout + 30,
        retry_after_s=2,
    ):
        reply = _ask_worker(query)
    if reply.problem is not None:
        field, message = reply.problem.field, reply.problem.message
        raise ApplicationError(
            f"{field}: {message}", extra={"fields": {field: [message]}}
        )
    text_scores = {h.learnware_id: h.score for h in reply.text}
    if stat_spec is not None:
        objects = _hydrate_map(viewer, [h.learnware_id for h in reply.single])
        hits = [
            SearchHit(
                objects[h.learnware_id],
                score=h.score,
                mmd2=h.mmd2,
                text_score=text_scores.get(h.learnware_id),
                confidence=h.confidence,
                reason=h.reason,
                missing_columns=h.missing_columns,
            )
            for h in reply.single
            if h.learnware_id in objects
        ]
    else:
        best = list(text_scores)[:top_k]  # ranked best first
        objects = _hydrate_map(viewer, best)
        hits = [
            SearchHit(objects[i], score=text_scores[i], text_score=text_scores[i])
            for i in best
            if i in objects
        ]
    mixture = None
    if reply.multiple is not None:
        m = reply.multiple
        members = _hydrate_map(viewer, list(m.learnware_ids))
        if len(members) == len(m.learnware_ids):
            mixture = SearchMultiple(
                learnwares=[members[i] for i in m.learnware_ids],
                weights=list(m.weights),
                mmd2=m.mmd2,
                score=m.score,
                reason=m.reason,
                confidence=m.confidence,
            )
    count = len(hits) if stat_spec is not None else len(text_scores)
    return SearchOutcome(
        hits=hits,
        multiple=mixture,
        count=count,
        heterogeneous=reply.heterogeneous,
        engine_version=reply.engine_version,
        no_match=reply.no_match,
        reason=reply.reason,
    )


def _ask_worker(query: SearchQuery) -> SearchReply:
    """Send ``query`` to a search worker and wait for its reply; ``SearchUnavailable``
    if none answers in time (or the broker is away).

    The job is tied to this request: it expires when the request stops waiting (a
    worker drops it unstarted, Celery's ``expires``) and is revoked on a timeout, so
    abandoned searches do not keep a search worker busy."""
    timeout = settings.BMW_SEARCH_TIMEOUT_S
    pending = None
    try:
        pending = jobs.send_task(SEARCH_TASK, (query.to_dict(),), expires=timeout)
        result = pending.get(timeout=timeout, interval=0.02)
    except _NO_ANSWER as exc:
        if pending is not None:
            _revoke(pending)
        raise SearchUnavailable(
            "Search is unavailable: no search worker answered; try again soon",
            extra={"detail": str(exc) or type(exc).__name__},
        ) from exc
    return SearchReply.from_dict(result)


def _revoke(pending: Any) -> None:
    """Withdraw a job nobody waits for any more (best effort: the broker may be
    away, and its expiry drops it anyway)."""
    try:
        pending.revoke()
    except BROKER_ERRORS as exc:
        logger.warning("search job %s not revoked: %s", pending.id, exc)


def _hydrate_map(viewer: User | None, ids: list[int]) -> dict[int, Learnware]:
    return {lw.id: lw for lw in _hydrate(viewer, ids)}


def _hydrate(viewer: User | None, ids: list[int]) -> list[Learnware]:
    """The live learnwares of ``ids`` ``viewer`` may see (in that order), owner and
    live version joined."""
    found = learnware_list(viewer=viewer).in_bulk(ids)
    return [found[i] for i in ids if i in found]


class SearchUnavailable(UnavailableError):
    """No search worker answered in time (503 with ``Retry-After``)."""
