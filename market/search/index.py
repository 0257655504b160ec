"""The search worker's in-memory index of the approved market (one per process).

A search worker (Celery queue ``search``) builds the index once from the database
and the stored stat-spec files, then, before each query, replays the
:class:`~market.models.SearchIndexEvent` rows written since: approvals, edits and
deletions reach every worker without a full reload, and several workers agree.
After the replay, the number of live learnwares in the database is compared with
the number the index knows (one ``COUNT``); if they differ -- a database restored
from a backup, a flushed test database, an event lost to a crash -- the index is
reconciled with the database's ids. So the web side can let unfiltered searches
run over the whole index without shipping every candidate id.
The maths is :mod:`learnware_core.search`; this module only moves data in and out.

The index also holds the *specification world* of the active engine version
(:class:`WorldIndex`): every listed table learnware's system spec under that
version. A user's table RKME that no learnware shares the feature space of (or a
request for heterogeneous search) is mapped by the same engine, with the user's
column descriptions, and searched there. A change of the active version swaps in a
whole new world (built before the swap), so one query uses one version throughout.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

import numpy as np
from django.db.models import Count, Max

from bmw.storage import STORAGE_ERRORS
from learnware_core.errors import LearnwareError, SpecificationError
from learnware_core.search.index import StatIndex, feature_space_key
from learnware_core.search.island_search import (
    IslandMixture,
    IslandSearcher,
    IslandSearchResult,
)
from learnware_core.search.mixture import MixtureResult, search_mixture
from learnware_core.search.semantic import (
    TEXT_NO_MATCH_SCORE,
    embed_learnware_text,
    rank_text,
)
from learnware_core.search.world_confidence import world_confidence
from learnware_core.specification.base import StatSpecification, load_spec
from learnware_core.specification.hetero import HeteroMapTableSpecification
from learnware_core.specification.rkme import RKMETableSpecification
from market import world
from market.models import Learnware, SearchIndexEvent, SystemSpec, WorldEngineVersion
from market.search.protocol import (
    MixtureReply,
    SearchProblem,
    SearchQuery,
    SearchReply,
    StatHit,
    TextHit,
)

logger = logging.getLogger(__name__)

TEXT_CACHE_SIZE = 256  # text rankings kept (per query and candidate set)
TextKey = tuple[str, tuple[int, ...] | None, int]  # query, candidates, generation
OutputKey = tuple[str, object, tuple[str, ...]]  # task, output dimension, labels
_WORLD_LOAD_CHUNK = 500


@dataclass
class WorldIndex:
    """The system specs of one engine version, keyed by learnware id."""

    row_id: int
    version: str
    engine: Any  # learnware_core.specworld.WorldEngine (torch: imported on load)
    stat: StatIndex = field(default_factory=StatIndex)
    specs: dict[int, int] = field(default_factory=dict)  # learnware -> SystemSpec id
    fingerprint: tuple[int, int | None] = (0, None)  # (count, max id) last loaded


@dataclass
class MarketIndex:
    """Specs, names and text vectors of the approved learnwares, kept in sync."""

    stat: StatIndex = field(default_factory=StatIndex)
    # Table learnwares on their specification islands (docs/search-trust.md).
    islands: IslandSearcher = field(default_factory=IslandSearcher)
    outputs: dict[int, OutputKey] = field(default_factory=dict)  # never mixed across
    names: dict[int, str] = field(default_factory=dict)
    vectors: dict[int, np.ndarray] = field(default_factory=dict)
    known: set[int] = field(default_factory=set)  # live ids seen (incl. unindexable)
    last_event: int = -1  # -1: not built yet
    world: WorldIndex | None = None  # the active engine version's, if any
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Text ranking caches, valid for one ``generation`` of names and vectors.
    generation: int = 0
    text_cache: OrderedDict[TextKey, list[tuple[int, float]]] = field(
        default_factory=OrderedDict
    )
    everything: tuple[int, list[int], list[str], np.ndarray] | None = None
    cache_lock: threading.Lock = field(default_factory=threading.Lock)

    # ------------------------------------------------------------ keeping in sync
    def sync(self) -> None:
        """Build on first use, then apply the change log written since; follow the
        active engine version and its system specs."""
        with self.lock:
            self._sync_market()
            self._sync_world()

    def _sync_market(self) -> None:
        if self.last_event < 0:
            self._build()
            return
        events = list(
            SearchIndexEvent.objects.filter(id__gt=self.last_event).order_by("id")
        )
        if events:
            self._replay(events)
        elif _latest_event() < self.last_event:  # the log was restored / reset
            self.last_event = _latest_event()
            self._reconcile()
            return
        if _live_queryset().count() != len(self.known):
            self._reconcile()

    def _sync_world(self) -> None:
        """Swap in the active version's world when it changes; else load the
        system specs added or dropped since (one aggregate query when none)."""
        active = (
            WorldEngineVersion.objects.filter(state=WorldEngineVersion.State.ACTIVE)
            .exclude(version=None)
            .first()
        )
        if active is None:
            self.world = None
            return
        current = self.world
        if current is None or (current.row_id, current.version) != (
            active.pk,
            active.version,
        ):
            try:
                engine = world.engine_of(active)
            except LearnwareError as exc:  # unreadable or corrupt engine file
                logger.error("engine %s cannot be loaded: %s", active.version, exc)
                self.world = None
                return
            assert active.version is not None
            current = WorldIndex(active.pk, active.version, engine)
            self._world_reconcile(current)  # built before it is swapped in
            self.world = current
            logger.info(
                "specification world %s: %d learnwares",
                current.version,
                len(current.specs),
            )
            return
        self._world_reconcile(current)

    def _world_reconcile(self, current: WorldIndex) -> None:
        specs = _world_specs(current.row_id)
        found = specs.aggregate(n=Count("id"), last=Max("id"))
        fingerprint = (int(found["n"]), found["last"])
        if fingerprint == current.fingerprint:
            return
        wanted = dict(specs.values_list("learnware_version__learnware_id", "id"))
        for learnware_id, spec_id in list(current.specs.items()):
            if wanted.get(learnware_id) != spec_id:
                current.stat.discard(learnware_id)
                del current.specs[learnware_id]
        missing = [i for lw, i in wanted.items() if lw not in current.specs]
        rows = (
            SystemSpec.objects.filter(id__in=missing)
            .select_related("learnware_version")
            .only("id", "spec", "learnware_version__learnware_id")
        )
        for row in rows.iterator(chunk_size=_WORLD_LOAD_CHUNK):
            learnware_id = row.learnware_version.learnware_id
            try:
                spec = load_spec(row.spec)
            except LearnwareError as exc:
                logger.error("system spec %s cannot be loaded: %s", row.id, exc)
                continue
            if (
                not isinstance(spec, HeteroMapTableSpecification)
                or spec.engine_version_ != current.version
            ):
                logger.error("system spec %s is not of %s", row.id, current.version)
                continue
            current.stat.add(learnware_id, spec)
            current.specs[learnware_id] = row.id
        current.fingerprint = fingerprint

    def _replay(self, events: Sequence[SearchIndexEvent]) -> None:
        removed = {e.learnware_id for e in events if e.action == "remove"}
        changed = {e.learnware_id for e in events} - removed
        for learnware_id in removed:
            self._drop(learnware_id)
        live = _live(changed)
        for learnware_id in changed - {lw.id for lw in live}:
            self._drop(learnware_id)  # e.g. deleted after its approval
        self._put(live, refresh_text=True)
        self.last_event = events[-1].id

    def _reconcile(self) -> None:
        """Make the index hold exactly the database's live learnwares."""
        live_ids = set(_live_queryset().values_list("id", flat=True))
        stale, missing = self.known - live_ids, live_ids - self.known
        logger.warning(
            "search index out of step with the database (restored? flushed?): "
            "dropping %d, loading %d learnwares",
            len(stale),
            len(missing),
        )
        for learnware_id in stale:
            self._drop(learnware_id)
        self._put(_live(missing), refresh_text=False)

    def _build(self) -> None:
        last = _latest_event()  # read first: later events are replayed anyway
        self._put(_live(), refresh_text=False)
        self.last_event = last
        logger.info("search index built: %d learnwares", len(self.names))

    def _drop(self, learnware_id: int) -> None:
        self.generation += 1
        self.known.discard(learnware_id)
        self.stat.discard(learnware_id)
        self.islands.remove(learnware_id)
        self.outputs.pop(learnware_id, None)
        self.names.pop(learnware_id, None)
        self.vectors.pop(learnware_id, None)

    def _put(self, learnwares: Sequence[Learnware], *, refresh_text: bool) -> None:
        self.generation += 1
        missing: list[Learnware] = []
        for lw in learnwares:
            self.known.add(lw.id)
            spec = _stat_spec(lw)
            if spec is None:
                continue
            if lw.id in self.stat:
                self.stat.update(lw.id, spec)
            else:
                self.stat.add(lw.id, spec)
            self._put_on_island(lw, spec)
            self.outputs[lw.id] = output_key(lw.semantic_spec)
            self.names[lw.id] = lw.name
            stored = None if refresh_text else lw.text_embedding
            if stored:
                self.vectors[lw.id] = np.frombuffer(bytes(stored), dtype=np.float32)
            else:
                missing.append(lw)
        if missing:
            vectors = embed_learnware_text(
                [lw.name for lw in missing],
                [_description(lw) for lw in missing],
            )
            for lw, vector in zip(missing, vectors, strict=True):
                self.vectors[lw.id] = vector
                Learnware.objects.filter(id=lw.id).update(
                    text_embedding=vector.tobytes()
                )

    def _put_on_island(self, lw: Learnware, spec: StatSpecification) -> None:
        """A table learnware joins its island (its columns' meaning decides which)."""
        if type(spec) is not RKMETableSpecification:
            return
        try:
            self.islands.add(lw.id, lw.semantic_spec, spec)
        except LearnwareError as exc:  # a malformed Input or Output
            self.islands.remove(lw.id)
            logger.error("learnware %s: not on an island: %s", lw.id, exc)

    # ------------------------------------------------------------ queries
    def rank_text(
        self, query: str, candidates: Iterable[int] | None
    ) -> list[tuple[int, float]]:
        """``(learnware, score)`` best first for a text query over ``candidates``
        (None: every indexed learnware). Answers are cached per query and
        candidate set until the names or vectors change: popular queries (and
        the same query's pages) cost nothing after the first time; ranking
        10,000 names costs ~0.1-0.3 s of CPU."""
        key = (query, None if candidates is None else tuple(candidates))
        generation = self.generation
        with self.cache_lock:
            hit = self.text_cache.get((*key, generation))
            if hit is not None:
                self.text_cache.move_to_end((*key, generation))
                return hit
        if candidates is None:
            ids, names, vectors = self._everything(generation)
        else:
            ids = [i for i in candidates if i in self.names]
            names = [self.names[i] for i in ids]
            vectors = np.stack([self.vectors[i] for i in ids]) if ids else None
        ranked: list[tuple[int, float]] = []
        if ids:
            # below TEXT_NO_MATCH_SCORE: not an answer (docs/text-search.md)
            order, scores = rank_text(
                query, names, vectors, min_score=TEXT_NO_MATCH_SCORE
            )
            ranked = [(ids[i], float(s)) for i, s in zip(order, scores, strict=True)]
        with self.cache_lock:
            self.text_cache[(*key, generation)] = ranked
            while len(self.text_cache) > TEXT_CACHE_SIZE:
                self.text_cache.popitem(last=False)
        return ranked

    def _everything(
        self, generation: int
    ) -> tuple[list[int], list[str], np.ndarray | None]:
        """Every indexed learnware's id, name and text vector (stacked once per
        generation, not per query: 15 MB at 10,000 learnwares)."""
        with self.cache_lock:
            if self.everything is not None and self.everything[0] == generation:
                return self.everything[1], self.everything[2], self.everything[3]
            ids = list(self.names)
            names = [self.names[i] for i in ids]
            if not ids:
                return [], [], None
            vectors = np.stack([self.vectors[i] for i in ids])
            self.everything = (generation, ids, names, vectors)
            return ids, names, vectors

    def search(self, query: SearchQuery) -> SearchReply:
        """Run one query. ``query.input_description`` holds the user's column
        descriptions (``{"0": "age"}``): with them a table RKME of a feature space no
        candidate shares is searched in the specification world; ``query.hetero``
        searches there in any case.
        """
        one_torch_thread()
        self.sync()
        world_now = self.world  # one version for the whole query
        # None: every indexed learnware
        candidates = None if query.candidate_ids is None else list(query.candidate_ids)
        text: tuple[TextHit, ...] = ()
        if query.text.strip():
            ranked = self.rank_text(query.text, candidates)
            text = tuple(TextHit(i, s) for i, s in ranked)
            candidates = [i for i, _ in ranked]
        if candidates == []:
            return SearchReply(text=text, no_match=True, reason=_NONE_LEFT)
        if query.stat_spec is None:
            if text:
                return SearchReply(text=text)
            return SearchReply(no_match=True, reason=_NO_TEXT_MATCH)
        descriptions = (
            None if query.input_description is None else dict(query.input_description)
        )
        try:
            spec = load_spec(dict(query.stat_spec))
            if type(spec) is RKMETableSpecification and not query.hetero:
                found = self._search_islands(spec, query, candidates)
                if found.candidates:  # an island of the user's was ranked
                    return replace(_island_reply(found, query.top_k), text=text)
                if descriptions and world_now is None:
                    reason = found.reason or _NO_ISLAND
                    return SearchReply(text=text, no_match=True, reason=reason)
                if not descriptions and not self._has_space(spec, candidates):
                    return SearchReply(text=text, no_match=True, reason=_UNDESCRIBED)
                # Described: the world bridges feature spaces. Undescribed: the
                # learnwares of the same space, compared by position.
            index, spec = self._space_for(
                spec, candidates, descriptions, query.hetero, world_now
            )
            in_world = index is not self.stat
            # one more in the world: the last shown result's lead is a feature
            singles = index.search_single(
                spec,
                top_k=query.top_k + (1 if in_world else 0),
                candidate_keys=candidates,
            )
            confidences = (
                world_confidence([r.mmd2 for r in singles]) if in_world else None
            )
            singles = singles[: query.top_k]
            mixture = (
                search_mixture(
                    index,
                    spec,
                    candidate_keys=self._same_output(singles[0].key, candidates),
                )
                if query.multiple and singles
                else None
            )
        except _InputProblem as exc:
            return SearchReply(text=text, problem=SearchProblem(str(exc), "input"))
        except LearnwareError as exc:
            return SearchReply(text=text, problem=SearchProblem(str(exc)))
        hetero = index is not self.stat
        why = (
            f"from other feature spaces, ranked in the specification world "
            f"(engine {world_now.version}); its confidence is estimated from how far "
            "ahead of the next learnware it is there (docs/search-trust.md)"
            if hetero and world_now
            else None
        )
        if confidences is None:
            hits = tuple(
                StatHit(cast(int, r.key), r.mmd2, r.score, reason=why) for r in singles
            )
        else:
            hits = tuple(
                StatHit(
                    cast(int, r.key), r.mmd2, float(c), confidence=float(c), reason=why
                )
                for r, c in zip(singles, confidences, strict=False)
            )
        return SearchReply(
            text=text,
            single=hits,
            multiple=None
            if mixture is None or not mixture.accepted
            else _world_mixture_reply(mixture, hits)
            if confidences is not None
            else _mixture_reply(mixture, score=float(mixture.score)),
            heterogeneous=hetero,
            engine_version=world_now.version if hetero and world_now else None,
            reason=why,
        )

    def _search_islands(
        self,
        spec: RKMETableSpecification,
        query: SearchQuery,
        candidates: list[int] | None,
    ) -> IslandSearchResult:
        """Search the user's island(s), narrowed to ``candidates``; nothing ranked
        (``candidates`` empty) when no island fits the user's columns."""
        n_columns = int(np.asarray(spec.z_).shape[1])
        semantic: dict[str, Any] = {
            "Input": {
                "Dimension": n_columns,
                "Description": dict(query.input_description or {}),
            }
        }
        if query.output is not None:
            semantic["Output"] = dict(query.output)
        found = self.islands.search(
            semantic,
            spec,
            top_k=max(query.top_k, len(self.islands)) if candidates else query.top_k,
            task=query.task,
        )
        if candidates is not None and found.candidates:
            found = _keep_only(found, set(candidates))
        return found

    def _same_output(
        self, best: object, candidates: list[int] | None
    ) -> list[int] | None:
        """The candidates that predict what ``best`` predicts (one task, one output
        dimension, one label set): a combination never mixes outputs."""
        key = self.outputs.get(cast(int, best))
        pool = list(self.outputs) if candidates is None else candidates
        return [k for k in pool if self.outputs.get(k) == key]

    def _space_for(
        self,
        query: StatSpecification,
        candidates: list[int] | None,
        descriptions: dict[str, str] | None,
        hetero: bool,
        world_now: WorldIndex | None,
    ) -> tuple[StatIndex, StatSpecification]:
        """The index to search and the query in its space: the market's, or the
        specification world's with the query mapped by its engine."""
        if isinstance(query, HeteroMapTableSpecification):  # mapped elsewhere
            if world_now is None or query.engine_version_ != world_now.version:
                active = world_now.version if world_now else "none"
                raise SpecificationError(
                    f"the system specification is of engine version "
                    f"{query.engine_version_!r}; the active version is {active}"
                )
            return world_now.stat, query
        table = type(query) is RKMETableSpecification
        if not hetero and not (
            table and descriptions and not self._has_space(query, candidates)
        ):
            return self.stat, query
        if not table:
            raise SpecificationError("heterogeneous search needs a table RKME")
        if world_now is None:
            if hetero:
                raise SpecificationError(
                    "heterogeneous search is unavailable: no specification-world "
                    "engine is active yet"
                )
            return self.stat, query  # the market's own "no learnware" error
        if not descriptions:
            raise _InputProblem(
                "heterogeneous search needs your columns' descriptions (the "
                'semantic spec\'s Input: {"Dimension": d, "Description": '
                '{"0": ...}})'
            )
        assert isinstance(query, RKMETableSpecification)
        try:
            return world_now.stat, world_now.engine.system_spec(query, descriptions)
        except (RuntimeError, ValueError) as exc:  # torch / numpy: a bad RKME
            raise SpecificationError(
                f"your RKME cannot be mapped into the world: {exc}"
            ) from exc

    def _has_space(
        self, query: StatSpecification, candidates: list[int] | None
    ) -> bool:
        """Whether a (candidate) learnware shares the query's feature space."""
        space = feature_space_key(query)
        if not self.stat.spaces().get(space):
            return False
        if candidates is None:
            return True
        return any(
            k in self.stat and self.stat.space_of(k) == space for k in candidates
        )


class _InputProblem(SpecificationError):
    """The user's column descriptions are missing or unusable."""


_NO_ISLAND = (
    "no good match: no learnware takes columns like yours (by their descriptions), "
    "and no specification-world engine is active yet to bridge feature spaces"
)
_NONE_LEFT = "no good match: no learnware passes your filters and matches your text"
_NO_TEXT_MATCH = (
    "no good match: no learnware's name or description is close to your words"
)
_UNDESCRIBED = (
    "no good match: no learnware takes a table of your column count with "
    "undescribed columns; describe your columns (the semantic spec's Input, or "
    "your CSV header) so they can be matched by meaning"
)


def output_key(semantic_spec: Any) -> OutputKey:
    """What a learnware predicts: task, output dimension and its label
    descriptions (normalised), from its stored semantic spec."""
    spec = semantic_spec if isinstance(semantic_spec, dict) else {}
    task = spec.get("Task", {})
    values = task.get("Values") if isinstance(task, dict) else None
    name = values[0] if isinstance(values, list) and values else str(values or "")
    output = spec.get("Output") if isinstance(spec.get("Output"), dict) else {}
    assert isinstance(output, dict)
    labels = output.get("Description")
    texts = labels.values() if isinstance(labels, dict) else ()
    return (
        str(name),
        output.get("Dimension"),
        tuple(sorted(" ".join(str(t).lower().split()) for t in texts)),
    )


def _keep_only(found: IslandSearchResult, allowed: set[int]) -> IslandSearchResult:
    """``found`` narrowed to the tag filters' candidates."""
    results = tuple(r for r in found.results if r.key in allowed)
    mixture = found.mixture
    if mixture is not None and not set(mixture.keys) <= allowed:
        mixture = None
    if found.results and not results:
        return replace(
            found,
            results=(),
            mixture=None,
            no_match=True,
            reason="no good match among the learnwares that pass your filters",
        )
    return replace(found, results=results, mixture=mixture)


def _island_reply(found: IslandSearchResult, top_k: int) -> SearchReply:
    """The worker's reply for an island search (scores are the confidences)."""
    if found.no_match:
        return SearchReply(no_match=True, reason=found.reason)
    mixture = found.mixture
    return SearchReply(
        single=tuple(
            StatHit(
                cast(int, r.key),
                r.mmd2,
                r.confidence,
                confidence=r.confidence,
                reason=r.reason,
                missing_columns=r.missing_columns,
                column_map=r.column_map,
            )
            for r in found.results[:top_k]
        ),
        multiple=None
        if mixture is None
        else _mixture_reply(
            mixture,
            score=float(mixture.confidence),
            confidence=float(mixture.confidence),
        ),
        reason=found.reason,
    )


def _world_mixture_reply(
    mixture: MixtureResult, hits: tuple[StatHit, ...]
) -> MixtureReply:
    """A combination ranked in the world: its confidence is its members' weighted
    by their weights (0 for a member beyond the results), as on islands."""
    known = {h.learnware_id: h.confidence or 0.0 for h in hits}
    confidence = float(
        sum(
            w * known.get(cast(int, k), 0.0)
            for k, w in zip(mixture.keys, mixture.weights, strict=True)
        )
    )
    return _mixture_reply(mixture, score=confidence, confidence=confidence)


def _mixture_reply(
    mixture: MixtureResult | IslandMixture,
    *,
    score: float,
    confidence: float | None = None,
) -> MixtureReply:
    return MixtureReply(
        learnware_ids=tuple(cast(int, k) for k in mixture.keys),
        weights=tuple(float(w) for w in mixture.weights),
        mmd2=float(mixture.mmd2),
        score=score,
        reason=mixture.reason,
        confidence=confidence,
    )


def _world_specs(row_id: int) -> Any:
    """The system specs of a version for the listed learnwares' live versions."""
    live = Learnware.objects.filter(
        live_version__isnull=False, deleted_at__isnull=True
    ).values("live_version_id")
    return SystemSpec.objects.filter(engine_id=row_id, learnware_version_id__in=live)


def _latest_event() -> int:
    latest = SearchIndexEvent.objects.order_by("-id").values_list("id", flat=True)
    return latest.first() or 0


def _live_queryset() -> Any:
    return Learnware.objects.filter(live_version__isnull=False, deleted_at__isnull=True)


def _live(ids: Any = None) -> list[Learnware]:
    """The live learnwares (of ``ids`` if given) with what the index needs, oldest
    first: islands are founded in id order, the same on every worker."""
    queryset = _live_queryset() if ids is None else _live_queryset().filter(id__in=ids)
    return list(
        queryset.order_by("id")
        .select_related("live_version")
        .only(
            "id",
            "name",
            "semantic_spec",
            "text_embedding",
            "live_version__stat_spec_file",
        )
    )


def _description(lw: Learnware) -> str:
    value = lw.semantic_spec.get("Description", {}).get("Values", "")
    return value if isinstance(value, str) else ""


def _stat_spec(lw: Learnware) -> StatSpecification | None:
    version = lw.live_version
    if version is None or not version.stat_spec_file:
        logger.warning("learnware %s has no stored stat spec; not searchable", lw.id)
        return None
    try:
        with version.stat_spec_file.open("rb") as fh:
            raw = fh.read()
    except STORAGE_ERRORS as exc:
        logger.error("learnware %s: cannot read its stat spec: %s", lw.id, exc)
        return None
    try:
        return load_spec(json.loads(raw))
    except ValueError as exc:  # bad JSON, or a LearnwareError
        logger.error("learnware %s: cannot load its stat spec: %s", lw.id, exc)
        return None


INDEX = MarketIndex()
"""The process's index (a search worker's threads share it)."""

_THREAD = threading.local()


def one_torch_thread() -> None:
    """Run torch single-threaded in this thread (set once per thread).

    A search worker answers several queries at once on its pool's threads; torch's
    intra-op threads on top of them (one per core by default) oversubscribe the
    cores. On 2 busy cores with 4 queries in flight, embedding a text query took
    0.3-1.3 s instead of 0.08 s, and a statistical search ~1.4x longer. OpenMP
    keeps the setting per thread, so every pool thread sets it for itself.
    """
    if getattr(_THREAD, "one_torch_thread", False):
        return
    import torch

    torch.set_num_threads(1)
    _THREAD.one_torch_thread = True


def warm_up_in_background() -> threading.Thread:
    """Build the index, load the text encoder and torch without blocking the worker.

    Called when a worker that consumes the ``search`` queue becomes ready, so the
    first query does not pay for the build; queries wait on the index lock.
    """

    def run() -> None:
        from django.db import connection

        try:
            INDEX.sync()
            from learnware_core.encoders import default_text_encoder
            from learnware_core.kernels import preload

            # Import torch and load MiniLM now (once per process; ~10-20 s on a busy
            # machine), not inside the first query's time limit.
            default_text_encoder().encode(["warm-up"])
            preload(single_blas_thread=True)
            one_torch_thread()
        except Exception:
            logger.exception("search index warm-up failed")
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="search-index-warm-up", daemon=True)
    thread.start()
    return thread
