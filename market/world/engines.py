"""The specification world on the dock's side: eligibility, configuration, engines.

Which table learnwares belong in the world (the original's ``is_hetero``), the
engine configuration from settings, loading stored engines (cached per process,
keyed by version) and the "islands" (feature spaces) learnwares come from. The
engine itself is :mod:`learnware_core.specworld`; torch is imported only when an
engine is trained or loaded, never by the web process for a plain request.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings

from bmw.storage import STORAGE_ERRORS
from learnware_core.errors import LearnwareError
from learnware_core.specification.base import load_spec
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.semantic import input_descriptions

if TYPE_CHECKING:
    from learnware_core.specworld import NetConfig, TrainConfig, WorldEngine
    from market.models import LearnwareVersion, WorldEngineVersion

TABLE_SPEC_TYPE = "RKMETableSpecification"
ELIGIBLE_DATA = ("Table",)
ELIGIBLE_TASKS = ("Classification", "Regression")
_CACHED_ENGINES = 2  # the active version and one being rolled to
_engines: OrderedDict[str, WorldEngine] = OrderedDict()
_engines_lock = threading.Lock()


class WorldUnavailable(LearnwareError):
    """An engine or a learnware's table input could not be read."""


def _values(semantic_spec: Mapping[str, Any], key: str) -> list[str]:
    entry = semantic_spec.get(key)
    values = entry.get("Values") if isinstance(entry, Mapping) else None
    if isinstance(values, str):
        return [values] if values else []
    return [str(v) for v in values or () if v]


def semantic_eligible(semantic_spec: Mapping[str, Any]) -> bool:
    """The semantic part of ``is_hetero``: Data empty or Table, Task empty,
    Classification or Regression, an Input with a Dimension and >= 1 description."""
    data, task = _values(semantic_spec, "Data"), _values(semantic_spec, "Task")
    raw_input = semantic_spec.get("Input")
    return (
        all(d in ELIGIBLE_DATA for d in data)
        and all(t in ELIGIBLE_TASKS for t in task)
        and isinstance(raw_input, Mapping)
        and isinstance(raw_input.get("Dimension"), int)
        and input_descriptions(raw_input) is not None
    )


def version_may_be_eligible(version: LearnwareVersion) -> bool:
    """``is_hetero`` from the version's columns and semantic spec (no file read)."""
    return (
        version.stat_spec_type == TABLE_SPEC_TYPE
        and version.input_dimension is not None
        and semantic_eligible(version.semantic_spec)
    )


def table_input(
    version: LearnwareVersion,
) -> tuple[RKMETableSpecification, dict[str, str]] | None:
    """The version's table RKME and column descriptions if it is eligible
    (``is_hetero``: also ``Input.Dimension`` == the RKME's dimension), else None.

    Raises ``WorldUnavailable`` if its stat spec cannot be read.
    """
    if not version_may_be_eligible(version) or not version.stat_spec_file:
        return None
    try:
        with version.stat_spec_file.open("rb") as fh:
            spec = load_spec(json.loads(fh.read()))
    except STORAGE_ERRORS as exc:
        raise WorldUnavailable(f"version {version.pk}: stat spec: {exc}") from exc
    except ValueError as exc:  # bad JSON, or a LearnwareError
        raise WorldUnavailable(f"version {version.pk}: stat spec: {exc}") from exc
    if type(spec) is not RKMETableSpecification:
        return None
    dimension = version.semantic_spec["Input"]["Dimension"]
    if int(spec.z_.shape[1]) != dimension:
        return None
    descriptions = input_descriptions(version.semantic_spec["Input"])
    return (spec, descriptions) if descriptions else None


# ------------------------------------------------------------------ configuration
def engine_configs() -> tuple[NetConfig, TrainConfig]:
    """The NetConfig and TrainConfig for a new version, from settings."""
    from learnware_core.specworld import NetConfig, TrainConfig

    return (
        _dataclass(NetConfig, settings.BMW_WORLD_NET_CONFIG, "NET"),
        _dataclass(TrainConfig, settings.BMW_WORLD_TRAIN_CONFIG, "TRAIN"),
    )


def _dataclass(cls: Any, values: Mapping[str, Any], name: str) -> Any:
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise WorldUnavailable(
            f"BMW_WORLD_{name}_CONFIG: unknown field(s) {', '.join(unknown)} "
            f"(known: {', '.join(sorted(known))})"
        )
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise WorldUnavailable(f"BMW_WORLD_{name}_CONFIG: {exc}") from exc


# ------------------------------------------------------------------ engines
def engine_remember(engine: WorldEngine) -> None:
    """Put a just-trained engine in this process's cache."""
    with _engines_lock:
        _engines[engine.version] = engine
        _engines.move_to_end(engine.version)
        while len(_engines) > _CACHED_ENGINES:
            _engines.popitem(last=False)


def engine_of(row: WorldEngineVersion) -> WorldEngine:
    """The engine of a stored version, loaded once per process (keyed by version)."""
    from learnware_core.specworld import WorldEngine

    if not row.version or not row.engine_file:
        raise WorldUnavailable(f"engine version #{row.pk} has no stored engine")
    with _engines_lock:
        engine = _engines.get(row.version)
        if engine is not None:
            _engines.move_to_end(row.version)
            return engine
    try:
        with row.engine_file.open("rb") as fh:
            data = fh.read()
    except STORAGE_ERRORS as exc:
        raise WorldUnavailable(f"engine {row.version}: {exc}") from exc
    engine = WorldEngine.from_bytes(data)
    if engine.version != row.version:
        raise WorldUnavailable(
            f"engine file of {row.version} holds {engine.version} (corrupted?)"
        )
    engine_remember(engine)
    return engine


# ------------------------------------------------------------------ islands
def island_of(semantic_spec: Mapping[str, Any], dimension: int) -> tuple[str, str]:
    """The feature space a table learnware comes from: ``(key, label)``.

    The key is the dimension and a short hash of the set of column descriptions
    (``"6d-1a2b3c"``); the label names the dimension and the first columns.
    """
    described = input_descriptions(semantic_spec.get("Input")) or {}
    # As learnware_core.specworld.column_texts (not imported: it loads torch).
    texts = [
        described.get(str(i)) or f"unnamed feature {i + 1} of {dimension}"
        for i in range(dimension)
    ]
    digest = hashlib.sha256("\n".join(sorted(set(texts))).encode()).hexdigest()[:6]
    shown = ", ".join(texts[:3]) + (", …" if len(texts) > 3 else "")
    noun = "column" if dimension == 1 else "columns"
    return f"{dimension}d-{digest}", f"{dimension} {noun}: {shown}"
