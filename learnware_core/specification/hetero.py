"""The system specification of a table learnware in the specification world.

A :class:`HeteroMapTableSpecification` is a table RKME whose reduced points have been
mapped by a specification-world engine (:mod:`learnware_core.specworld`) from the
learnware's own feature space into the engine's shared space; the weights are kept.
Learnwares and users with different columns become comparable by MMD there, but only
under one engine version: the version is part of the specification and of its
search space.

The JSON keeps the original's layout (``z``, ``beta``, ``embedding``, ``weight``,
``gamma``, ``type``; learnware reference §1.4) plus ``engine_version`` and
``num_points``. The dock generates these; they are never part of a package.
"""

from __future__ import annotations

from typing import Any, ClassVar

from learnware_core._validation import check_fitted
from learnware_core.errors import SpecificationError
from learnware_core.specification.base import (
    StatSpecification,
    gamma_key,
    register_spec_type,
)
from learnware_core.specification.rkme import RKMETableSpecification

__all__ = ["HeteroMapTableSpecification"]


@register_spec_type
class HeteroMapTableSpecification(RKMETableSpecification):
    """A table RKME in an engine's specification world (``z``: K x world dim).

    Attributes
    ----------
    engine_version_ : str
        Identifier of the engine that mapped the points; specifications of different
        versions are never compared.
    """

    type_name: ClassVar[str] = "HeteroMapTableSpecification"

    engine_version_: str

    def to_dict(self) -> dict[str, Any]:
        """The original layout plus ``engine_version`` and ``num_points``."""
        data = super().to_dict()
        data.update(embedding=None, weight=None, engine_version=self.engine_version_)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HeteroMapTableSpecification:
        """Load from :meth:`to_dict` output (``engine_version`` may be absent in the
        original's files: it then reads ``"unknown"`` and compares with no dock spec).
        """
        spec = super().from_dict(data)
        assert isinstance(spec, HeteroMapTableSpecification)
        version = data.get("engine_version", "unknown")
        if not isinstance(version, str) or not version:
            raise SpecificationError(
                f"'engine_version' must be a string, got {version!r}"
            )
        spec.engine_version_ = version
        return spec

    def space_key(self) -> tuple[Any, ...]:
        """``("HeteroMapTableSpecification", engine version, d, gamma)``."""
        check_fitted(self, "z_")
        return (
            self.type_name,
            self.engine_version_,
            int(self.n_features_in_),
            gamma_key(self.gamma_),
        )

    def is_compatible(self, other: StatSpecification) -> bool:
        """Same engine version, dimension and kernel."""
        return (
            isinstance(other, HeteroMapTableSpecification)
            and super().is_compatible(other)
            and self.engine_version_ == other.engine_version_
        )

    def _check_comparable(self, other: StatSpecification) -> RKMETableSpecification:
        if not isinstance(other, HeteroMapTableSpecification):
            raise SpecificationError(
                f"cannot compare {self.type_name} with {type(other).__name__}"
            )
        if self.engine_version_ != other.engine_version_:
            raise SpecificationError(
                "cannot compare system specifications of different engine versions "
                f"({self.engine_version_!r} vs {other.engine_version_!r})"
            )
        return super()._check_comparable(other)
