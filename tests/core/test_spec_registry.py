"""The statistical-specification registry: plug in a type without editing others."""

from typing import Any

import pytest

from learnware_core.errors import SpecificationError
from learnware_core.specification.base import (
    StatSpecification,
    get_spec_class,
    load_spec,
    register_spec_type,
    spec_types,
)


@register_spec_type
class _PointSpec(StatSpecification):
    """A toy spec: a single point; distance is the absolute difference."""

    type_name = "TestPointSpecification"

    def __init__(self, x: float) -> None:
        self.x = x

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type_name, "x": self.x}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "_PointSpec":
        return cls(float(data["x"]))

    def dist(self, other: StatSpecification) -> float:
        assert isinstance(other, _PointSpec)
        return abs(self.x - other.x)


def test_registered_type_loads_from_its_stored_dict() -> None:
    spec = load_spec({"type": "TestPointSpecification", "x": 2.5})

    assert isinstance(spec, _PointSpec)
    assert spec.dist(_PointSpec(1.0)) == pytest.approx(1.5)
    assert "TestPointSpecification" in spec_types()
    assert get_spec_class("TestPointSpecification") is _PointSpec


def test_unknown_type_error_names_it_and_the_known_types() -> None:
    with pytest.raises(SpecificationError, match=r"unknown specification type 'Nope'"):
        load_spec({"type": "Nope"})
    with pytest.raises(SpecificationError, match="TestPointSpecification"):
        get_spec_class("Nope")


def test_stored_dict_without_type_is_refused() -> None:
    with pytest.raises(SpecificationError, match="no string 'type' key"):
        load_spec({"x": 1})


def test_a_second_class_cannot_take_a_registered_name() -> None:
    class Clash(_PointSpec):
        type_name = "TestPointSpecification"

    with pytest.raises(SpecificationError, match="already registered"):
        register_spec_type(Clash)
