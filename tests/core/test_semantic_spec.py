"""Semantic specification: fixture round trips, vocabularies and validation messages."""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

import pytest

from learnware_core.errors import SpecificationError
from learnware_core.specification.semantic import (
    DATA_TYPES,
    LIBRARY_TYPES,
    LICENSES,
    MODEL_TYPES,
    SCENARIOS,
    SEMANTIC_KEY_TYPES,
    SEMANTIC_KEYS,
    SEMANTIC_VOCABULARIES,
    TASK_TYPES,
    IODescription,
    SemanticSpec,
    semantic_config,
)
from tests.conftest import OFFICIAL

SEMANTIC_FIXTURES = OFFICIAL / "semantic"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SEMANTIC_FIXTURES / name).read_text("utf-8"))
    return data


@pytest.fixture
def table_spec() -> dict[str, Any]:
    return _load("table_classification.json")


def _error(data: dict[str, Any]) -> str:
    with pytest.raises(SpecificationError) as info:
        SemanticSpec.from_dict(data)
    return str(info.value)


@pytest.mark.parametrize("name", ["table_classification.json", "text_regression.json"])
def test_semantic_spec_fixture_round_trips_key_for_key(name: str) -> None:
    original = _load(name)

    again = SemanticSpec.from_dict(original).to_dict()

    assert again == original
    assert json.dumps(again) == json.dumps(original)  # same key order, nested too


def test_semantic_spec_fixture_parses_into_typed_fields(
    table_spec: dict[str, Any],
) -> None:
    spec = SemanticSpec.from_dict(table_spec)

    assert (spec.data, spec.task, spec.library, spec.license) == (
        "Table",
        "Classification",
        "Scikit-learn",
        "MIT",
    )
    assert spec.scenarios == ("Education",)
    assert spec.model == "Others"
    assert spec.input_dimension == 6
    assert spec.input is not None
    assert spec.input.description_of(5) == "feature 5"
    assert spec.output == IODescription(
        3, ((0, "class a"), (1, "class b"), (2, "class c"))
    )


def test_semantic_spec_text_regression_has_no_input() -> None:
    spec = SemanticSpec.from_dict(_load("text_regression.json"))

    assert spec.input is None
    assert spec.input_dimension is None
    assert spec.scenarios == ("Business", "Financial")
    assert spec.output is not None
    assert spec.output.dimension == 1


def test_semantic_spec_without_model_round_trips_without_model(
    table_spec: dict[str, Any],
) -> None:
    del table_spec["Model"]  # a 0.3-style spec

    spec = SemanticSpec.from_dict(table_spec)

    assert spec.model is None
    assert spec.to_dict() == table_spec


def test_semantic_spec_is_frozen_and_hashable(table_spec: dict[str, Any]) -> None:
    spec = SemanticSpec.from_dict(table_spec)

    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.data = "Image"  # type: ignore[misc]
    assert hash(spec) == hash(SemanticSpec.from_dict(table_spec))


def test_semantic_spec_from_dict_does_not_mutate_input(
    table_spec: dict[str, Any],
) -> None:
    before = copy.deepcopy(table_spec)

    SemanticSpec.from_dict(table_spec)

    assert table_spec == before


def test_semantic_spec_vocabularies_are_tuples_matching_the_reference() -> None:
    for vocabulary in (
        DATA_TYPES,
        TASK_TYPES,
        LIBRARY_TYPES,
        SCENARIOS,
        LICENSES,
        MODEL_TYPES,
    ):
        assert isinstance(vocabulary, tuple)
        assert len(set(vocabulary)) == len(vocabulary)
    assert DATA_TYPES == ("Table", "Image", "Text")
    assert "Text Generation" in TASK_TYPES
    assert len(SCENARIOS) == 15
    assert len(LICENSES) == 14
    assert SEMANTIC_KEYS[-2:] == ("Input", "Output")


def test_semantic_config_has_engine_layout() -> None:
    config = semantic_config()

    assert set(config) == set(SEMANTIC_KEY_TYPES)
    assert config["Data"] == {"Type": "Class", "Values": list(DATA_TYPES)}
    assert config["Scenario"]["Type"] == "Tag"
    assert config["Name"] == {"Type": "String", "Values": ""}
    assert config["Model"]["Type"] == "Optional"


@pytest.mark.parametrize("key", sorted(SEMANTIC_VOCABULARIES))
def test_semantic_spec_rejects_unknown_value_listing_allowed_values(
    table_spec: dict[str, Any], key: str
) -> None:
    table_spec[key]["Values"] = ["Bogus"]

    message = _error(table_spec)

    assert repr(key) in message
    assert "'Bogus'" in message
    assert ", ".join(SEMANTIC_VOCABULARIES[key]) in message


@pytest.mark.parametrize(
    "key", ["Data", "Task", "Library", "License", "Scenario", "Name", "Description"]
)
def test_semantic_spec_rejects_missing_required_key(
    table_spec: dict[str, Any], key: str
) -> None:
    del table_spec[key]

    message = _error(table_spec)

    assert f"missing required key {key!r}" in message
    if key in SEMANTIC_VOCABULARIES:
        assert ", ".join(SEMANTIC_VOCABULARIES[key]) in message


@pytest.mark.parametrize(("key", "expected"), sorted(SEMANTIC_KEY_TYPES.items()))
def test_semantic_spec_rejects_wrong_type_naming_expected_type(
    table_spec: dict[str, Any], key: str, expected: str
) -> None:
    table_spec[key]["Type"] = "Wrong"

    message = _error(table_spec)

    assert f"{key!r}: 'Type' must be {expected!r}" in message


@pytest.mark.parametrize("key", ["Data", "Task", "Library", "License", "Model"])
@pytest.mark.parametrize("count", [0, 2])
def test_semantic_spec_class_key_needs_exactly_one_value(
    table_spec: dict[str, Any], key: str, count: int
) -> None:
    table_spec[key]["Values"] = list(SEMANTIC_VOCABULARIES[key][:count])

    message = _error(table_spec)

    assert f"{key!r}: exactly one value is required, got {count}" in message
    assert ", ".join(SEMANTIC_VOCABULARIES[key]) in message


def test_semantic_spec_class_values_must_be_a_list(
    table_spec: dict[str, Any],
) -> None:
    table_spec["Data"]["Values"] = "Table"

    assert "'Data': 'Values' must be a list of strings" in _error(table_spec)


def test_semantic_spec_scenario_needs_one_or_more_values(
    table_spec: dict[str, Any],
) -> None:
    table_spec["Scenario"]["Values"] = []

    message = _error(table_spec)

    assert "'Scenario': one or more values are required" in message
    assert ", ".join(SCENARIOS) in message


def test_semantic_spec_scenario_accepts_several_values(
    table_spec: dict[str, Any],
) -> None:
    table_spec["Scenario"]["Values"] = ["Health", "Nature", "Others"]

    assert SemanticSpec.from_dict(table_spec).scenarios == (
        "Health",
        "Nature",
        "Others",
    )


def test_semantic_spec_scenario_rejects_repeats(table_spec: dict[str, Any]) -> None:
    table_spec["Scenario"]["Values"] = ["Health", "Health"]

    assert "'Scenario': values are repeated" in _error(table_spec)


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("Name", "", "a non-empty string is required"),
        ("Name", "    ", "a non-empty string is required"),
        ("Name", "abcd", "must be 5 to 50 characters long, got 4"),
        ("Name", "x" * 51, "must be 5 to 50 characters long, got 51"),
        ("Description", "too short", "must be 10 to 10000 characters long, got 9"),
    ],
)
def test_semantic_spec_string_keys_are_checked(
    table_spec: dict[str, Any], key: str, value: str, problem: str
) -> None:
    table_spec[key]["Values"] = value

    assert f"{key!r}: {problem}" in _error(table_spec)


def test_semantic_spec_string_values_must_be_strings(
    table_spec: dict[str, Any],
) -> None:
    table_spec["Name"]["Values"] = ["demo table classifier"]

    assert "'Name': 'Values' must be a string, got list" in _error(table_spec)


def test_semantic_spec_rejects_unknown_top_level_key(
    table_spec: dict[str, Any],
) -> None:
    table_spec["learnware_id"] = {"Values": "00000001"}

    message = _error(table_spec)

    assert "unknown key 'learnware_id'" in message
    assert ", ".join(SEMANTIC_KEYS) in message


def test_semantic_spec_rejects_unknown_entry_key(table_spec: dict[str, Any]) -> None:
    table_spec["Data"]["Extra"] = 1

    assert "'Data': unexpected key 'Extra' (allowed keys: Type, Values)" in _error(
        table_spec
    )


def test_semantic_spec_rejects_non_object() -> None:
    with pytest.raises(SpecificationError, match="must be an object, got list"):
        SemanticSpec.from_dict([])


def test_semantic_spec_input_required_for_table(table_spec: dict[str, Any]) -> None:
    del table_spec["Input"]

    assert "'Input': required when Data is 'Table'" in _error(table_spec)


@pytest.mark.parametrize("task", ["Classification", "Regression"])
def test_semantic_spec_output_required_for_classification_and_regression(
    table_spec: dict[str, Any], task: str
) -> None:
    table_spec["Task"]["Values"] = [task]
    del table_spec["Output"]

    assert f"'Output': required when Task is {task!r}" in _error(table_spec)


def test_semantic_spec_output_optional_for_feature_extraction(
    table_spec: dict[str, Any],
) -> None:
    table_spec["Task"]["Values"] = ["Feature Extraction"]
    del table_spec["Output"]

    assert SemanticSpec.from_dict(table_spec).output is None


def test_semantic_spec_classification_needs_two_classes(
    table_spec: dict[str, Any],
) -> None:
    table_spec["Output"] = {"Dimension": 1, "Description": {"0": "only"}}

    assert "'Output': 'Dimension' is the number of classes and must be > 1" in (
        _error(table_spec)
    )


def test_semantic_spec_empty_input_object_reads_as_absent() -> None:
    data = _load("text_regression.json")
    data["Input"] = {}  # what the original back end stores for non-table data

    assert SemanticSpec.from_dict(data).input is None


@pytest.mark.parametrize(
    ("io", "problem"),
    [
        ({"Dimension": 0, "Description": {}}, "'Dimension' must be a positive integer"),
        ({"Dimension": True, "Description": {}}, "'Dimension' must be a positive"),
        ({"Dimension": "6", "Description": {}}, "'Dimension' must be a positive"),
        ({"Dimension": 6}, "missing key 'Description'"),
        ({"Description": {}}, "missing key 'Dimension'"),
        ({"Dimension": 6, "Description": {}, "Extra": 1}, "unexpected key 'Extra'"),
        ({"Dimension": 6, "Description": {"6": "x"}}, "key '6' is out of range"),
        ({"Dimension": 6, "Description": {"-1": "x"}}, "key '-1' must be a decimal"),
        ({"Dimension": 6, "Description": {"01": "x"}}, "key '01' must be a decimal"),
        ({"Dimension": 6, "Description": {"a": "x"}}, "key 'a' must be a decimal"),
        ({"Dimension": 6, "Description": {"0": 3}}, "value of key '0' must be a str"),
        ({"Dimension": 6, "Description": []}, "'Description' must be an object"),
        ([6], "must be an object with 'Dimension' and 'Description'"),
    ],
)
def test_semantic_spec_input_is_validated_naming_the_key(
    table_spec: dict[str, Any], io: Any, problem: str
) -> None:
    table_spec["Input"] = io

    message = _error(table_spec)

    assert message.startswith("semantic spec 'Input': ")
    assert problem in message


def test_semantic_spec_descriptions_may_cover_some_dimensions(
    table_spec: dict[str, Any],
) -> None:
    table_spec["Input"] = {"Dimension": 6, "Description": {"4": "claw length"}}

    spec = SemanticSpec.from_dict(table_spec)

    assert spec.input is not None
    assert spec.input.description_of(0) is None
    assert spec.to_dict()["Input"] == table_spec["Input"]


def test_semantic_spec_task_must_suit_data(table_spec: dict[str, Any]) -> None:
    table_spec["Task"]["Values"] = ["Segmentation"]

    message = _error(table_spec)

    assert "'Task': 'Segmentation' is not allowed for Data 'Table'" in message
    assert "Classification, Regression, Feature Extraction, Others" in message


def test_semantic_spec_model_must_be_others_for_table(
    table_spec: dict[str, Any],
) -> None:
    table_spec["Model"]["Values"] = ["Base Model"]

    assert "'Model': 'Base Model' is not allowed for Data 'Table'" in _error(table_spec)


def test_semantic_spec_text_generation_accepts_llm_model_types() -> None:
    data = _load("text_regression.json")
    data["Task"]["Values"] = ["Text Generation"]
    data["Model"]["Values"] = ["PEFT Model"]
    del data["Output"]

    spec = SemanticSpec.from_dict(data)

    assert (spec.task, spec.model) == ("Text Generation", "PEFT Model")


def test_semantic_spec_constructor_validates_and_normalises() -> None:
    spec = SemanticSpec(
        data="Image",
        task="Object Detection",
        library="PyTorch",
        scenarios=["Traffic"],  # type: ignore[arg-type]
        license="Apache-2.0",
        name="car detector",
        description="Finds cars in street images.",
    )

    assert spec.scenarios == ("Traffic",)
    assert SemanticSpec.from_dict(spec.to_dict()) == spec
    with pytest.raises(SpecificationError, match="'Library': 'Keras'"):
        dataclasses.replace(spec, library="Keras")


def test_io_description_rejects_repeated_index() -> None:
    with pytest.raises(SpecificationError, match="key '1' is repeated"):
        IODescription(3, ((1, "a"), (1, "b")))
