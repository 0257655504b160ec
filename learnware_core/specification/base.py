"""The small interface every statistical specification implements, and its registry.

A new specification type plugs in by subclassing :class:`StatSpecification` and
decorating the class with :func:`register_spec_type`; nothing else is edited. The
registry maps the ``type`` string stored in ``stat.json`` (the original ``learnware``
package's class name, e.g. ``"RKMETableSpecification"``) to the class.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from learnware_core.specification.rkme import RKMETableSpecification

from learnware_core.errors import SpecificationError


class StatSpecification(ABC):
    """A statistical specification: fitted locally, stored as JSON, compared by dist.

    Subclasses set ``type_name`` (the ``type`` key of the stored JSON) and implement
    the abstract methods.
    """

    type_name: ClassVar[str]

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-serialisable form, in the original package's layout."""

    @classmethod
    @abstractmethod
    def from_dict(cls, data: dict[str, Any]) -> StatSpecification:
        """Build a specification from :meth:`to_dict` output or the original's JSON."""

    @abstractmethod
    def dist(self, other: StatSpecification) -> float:
        """Return the distance (e.g. squared MMD) to a compatible specification."""

    def is_compatible(self, other: StatSpecification) -> bool:
        """Whether :meth:`dist` is defined between ``self`` and ``other``."""
        return type(self) is type(other)

    def space_key(self) -> tuple[Any, ...]:
        """The feature space this fitted spec lives in: specs with equal keys are
        comparable, and search groups them together (``StatIndex``).

        Raises ``SpecificationError`` when the spec is not searchable (the default).
        """
        raise SpecificationError(
            f"cannot index specifications of type {type(self).__name__}"
        )

    def routing_view(self) -> RoutingView | None:
        """This spec as a table RKME in a vector space, with the map of raw inputs
        into that space (for routing rows, e.g. by JobSelector); None if it has none.
        """
        return None


def gamma_key(gamma: float) -> float:
    """``gamma`` as part of a space key: specs compare gamma with rel_tol=1e-12, so
    12 significant digits group them."""
    return float(f"{float(gamma):.12g}")


@dataclass(frozen=True)
class RoutingView:
    """A specification seen as points in a vector space where rows can be routed.

    ``rkme`` is a table RKME in that space; ``features`` maps a batch of raw inputs
    (the learnware's input: table rows, texts, images) to its rows there, and
    ``space`` names the space: views are comparable iff their spaces are equal.
    ``features_are_inputs``: the mapped rows are what the learnware takes (tables).
    """

    rkme: RKMETableSpecification
    features: Callable[[Any], NDArray[np.float64]]
    space: str
    features_are_inputs: bool = False  # True if the rows are the learnware's input


_S = TypeVar("_S", bound=type[StatSpecification])
_REGISTRY: dict[str, type[StatSpecification]] = {}

# Built-in types register themselves when their module is imported; this map lets
# get_spec_class/load_spec find them without the caller importing the module first
# (and without importing heavy optional dependencies up front).
_BUILTIN_MODULES: dict[str, str] = {
    "RKMETableSpecification": "learnware_core.specification.rkme",
    "RKMETextSpecification": "learnware_core.specification.text",
    "RKMEImageSpecification": "learnware_core.specification.image",
    "HeteroMapTableSpecification": "learnware_core.specification.hetero",
}


def register_spec_type(cls: _S) -> _S:
    """Class decorator: register ``cls`` under ``cls.type_name``."""
    name = cls.type_name
    if name in _REGISTRY and _REGISTRY[name] is not cls:
        raise SpecificationError(f"specification type {name!r} is already registered")
    _REGISTRY[name] = cls
    return cls


def spec_types() -> tuple[str, ...]:
    """Names of every registered or built-in specification type, sorted."""
    return tuple(sorted(set(_REGISTRY) | set(_BUILTIN_MODULES)))


def get_spec_class(name: str) -> type[StatSpecification]:
    """Return the class registered as ``name``; raise naming the known types if unknown.

    Built-in types are imported on first use.
    """
    if name not in _REGISTRY and name in _BUILTIN_MODULES:
        importlib.import_module(_BUILTIN_MODULES[name])
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(spec_types()) or "none"
        raise SpecificationError(
            f"unknown specification type {name!r} (known: {known})"
        ) from None


def load_spec(data: dict[str, Any]) -> StatSpecification:
    """Build the right specification class from a stored dict (by its ``type`` key)."""
    type_name = data.get("type")
    if not isinstance(type_name, str):
        raise SpecificationError("statistical specification has no string 'type' key")
    return get_spec_class(type_name).from_dict(data)


SpecFactory = Callable[[dict[str, Any]], StatSpecification]
