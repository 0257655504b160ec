"""The semantic specification: tags and descriptions a learnware is uploaded with.

The wire format is the original ``learnware`` package's dict of
``{"Type": ..., "Values": ...}`` entries (``Data``, ``Task``, ``Library``, ``Scenario``,
``License``, ``Name``, ``Description`` and the optional 0.4 ``Model``) plus ``Input`` /
``Output`` as ``{"Dimension": int, "Description": {"<i>": str}}``.
:class:`SemanticSpec` parses and validates it; :meth:`SemanticSpec.to_dict` writes it
back key for key. The vocabularies are module-level tuples so the web app and the CLI
offer exactly the values accepted here.

Examples
--------
>>> spec = SemanticSpec(
...     data="Text", task="Feature Extraction", library="PyTorch",
...     scenarios=("Internet",), license="MIT",
...     name="text encoder", description="Embeds short texts.",
... )
>>> SemanticSpec.from_dict(spec.to_dict()) == spec
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from learnware_core.errors import SpecificationError

__all__ = [
    "DATA_TYPES",
    "DESCRIPTION_LENGTH",
    "LIBRARY_TYPES",
    "LICENSES",
    "MODEL_TYPES",
    "NAME_LENGTH",
    "SCENARIOS",
    "SEMANTIC_KEYS",
    "SEMANTIC_KEY_TYPES",
    "SEMANTIC_VOCABULARIES",
    "TASKS_BY_DATA",
    "TASK_TYPES",
    "IODescription",
    "SemanticSpec",
    "column_index",
    "input_descriptions",
    "semantic_config",
]

DATA_TYPES: tuple[str, ...] = ("Table", "Image", "Text")
TASK_TYPES: tuple[str, ...] = (
    "Classification",
    "Regression",
    "Feature Extraction",
    "Segmentation",
    "Object Detection",
    "Text Generation",
    "Others",
)
LIBRARY_TYPES: tuple[str, ...] = ("Scikit-learn", "PyTorch", "TensorFlow", "Others")
SCENARIOS: tuple[str, ...] = (
    "Business",
    "Financial",
    "Health",
    "Politics",
    "Computer",
    "Internet",
    "Traffic",
    "Nature",
    "Fashion",
    "Industry",
    "Agriculture",
    "Education",
    "Entertainment",
    "Architecture",
    "Others",
)
LICENSES: tuple[str, ...] = (
    "MIT",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "GPL-2.0",
    "GPL-3.0",
    "LGPL-2.1",
    "LGPL-3.0",
    "AGPL-3.0",
    "ECL-2.0",
    "AFL-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "Others",
)
MODEL_TYPES: tuple[str, ...] = (
    "Base Model",
    "Fine-tuned Model",
    "PEFT Model",
    "Others",
)

#: ``Type`` of every tag key, in the order :meth:`SemanticSpec.to_dict` writes them.
#: ``Class``: exactly one value; ``Tag``: one or more; ``String``: non-empty text;
#: ``Optional``: may be absent, else exactly one value.
SEMANTIC_KEY_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "Data": "Class",
        "Task": "Class",
        "Model": "Optional",
        "Library": "Class",
        "License": "Class",
        "Scenario": "Tag",
        "Name": "String",
        "Description": "String",
    }
)
#: Allowed values of every key that has a vocabulary.
SEMANTIC_VOCABULARIES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "Data": DATA_TYPES,
        "Task": TASK_TYPES,
        "Model": MODEL_TYPES,
        "Library": LIBRARY_TYPES,
        "License": LICENSES,
        "Scenario": SCENARIOS,
    }
)
#: Every key a semantic specification may hold.
SEMANTIC_KEYS: tuple[str, ...] = (*SEMANTIC_KEY_TYPES, "Input", "Output")
#: Task types allowed for each data type (the 0.4 checker's rule).
TASKS_BY_DATA: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "Table": ("Classification", "Regression", "Feature Extraction", "Others"),
        "Image": (
            "Classification",
            "Regression",
            "Feature Extraction",
            "Segmentation",
            "Object Detection",
            "Others",
        ),
        "Text": (
            "Classification",
            "Regression",
            "Feature Extraction",
            "Text Generation",
            "Others",
        ),
    }
)
#: Inclusive (min, max) character counts Beimingwu enforces on upload.
NAME_LENGTH: tuple[int, int] = (5, 50)
DESCRIPTION_LENGTH: tuple[int, int] = (10, 10_000)

_INPUT_REQUIRED_FOR_DATA = ("Table",)
_OUTPUT_REQUIRED_FOR_TASKS = ("Classification", "Regression")
_MODEL_OTHERS_ONLY_FOR_DATA = ("Table", "Image")
_INDEX_KEY = re.compile(r"0|[1-9][0-9]*")


def column_index(key: object) -> int | None:
    """A ``Description`` key as a column number (``"3"`` -> 3), or None.

    ASCII digits only: ``str.isdigit`` also accepts ``"¹"`` or ``"٣"``, which
    ``int`` refuses.
    """
    text = str(key)
    return int(text) if text.isascii() and text.isdigit() else None


def input_descriptions(raw_input: object) -> dict[str, str] | None:
    """The column descriptions of a semantic spec's ``Input`` (``{"0": text}``).

    Parameters
    ----------
    raw_input : object
        The ``Input`` entry as stored (``{"Dimension": d, "Description": {...}}``).

    Returns
    -------
    descriptions : dict or None
        Non-empty descriptions under column-number keys below ``Dimension``; None
        when there is none, or ``Dimension`` is not an integer.
    """
    if not isinstance(raw_input, Mapping):
        return None
    dimension = raw_input.get("Dimension")
    raw = raw_input.get("Description")
    if not isinstance(raw, Mapping):
        return None
    found = {
        str(k): v.strip()
        for k, v in raw.items()
        if column_index(k) is not None and isinstance(v, str) and v.strip()
    }
    if dimension is not None:
        if not isinstance(dimension, int) or isinstance(dimension, bool):
            return None
        found = {k: v for k, v in found.items() if int(k) < dimension}
    return found or None


def semantic_config() -> dict[str, dict[str, Any]]:
    """Return the allowed-values template in the original engine's layout.

    Returns
    -------
    config : dict
        ``{key: {"Type": type, "Values": [allowed values] or ""}}`` for every tag key,
        the shape the original ``GET /engine/semantic_specification`` serves.
    """
    return {
        key: {"Type": type_, "Values": list(SEMANTIC_VOCABULARIES.get(key, ())) or ""}
        for key, type_ in SEMANTIC_KEY_TYPES.items()
    }


@dataclass(frozen=True)
class IODescription:
    """The ``Input`` or ``Output`` entry: a dimension and per-index descriptions.

    Parameters
    ----------
    dimension : int
        Number of features (``Input``) or of classes / targets (``Output``); >= 1.
    descriptions : tuple of (int, str) pairs, default=()
        Free text for some or all indices ``0 <= i < dimension``, in stored order.
        Not every index needs a description.

    Raises
    ------
    SpecificationError
        If the dimension is not a positive int, or an index is out of range,
        repeated or its text is not a string.
    """

    dimension: int
    descriptions: tuple[tuple[int, str], ...] = ()

    def __post_init__(self) -> None:
        dim = self.dimension
        if not isinstance(dim, int) or isinstance(dim, bool) or dim < 1:
            raise SpecificationError(
                f"'Dimension' must be a positive integer, got {dim!r}"
            )
        if not isinstance(self.descriptions, tuple):
            object.__setattr__(self, "descriptions", tuple(self.descriptions))
        seen: set[int] = set()
        for pair in self.descriptions:
            index, text = pair
            if not isinstance(index, int) or isinstance(index, bool):
                raise SpecificationError(
                    f"'Description' index {index!r} must be an integer"
                )
            if not 0 <= index < dim:
                raise SpecificationError(
                    f"'Description' key '{index}' is out of range: "
                    f"keys must be 0 <= key < Dimension ({dim})"
                )
            if index in seen:
                raise SpecificationError(f"'Description' key '{index}' is repeated")
            seen.add(index)
            if not isinstance(text, str):
                raise SpecificationError(
                    f"'Description' value of key '{index}' must be a string, "
                    f"got {type(text).__name__}"
                )

    def description_of(self, index: int) -> str | None:
        """Return the description of ``index``, or None if it has none."""
        return dict(self.descriptions).get(index)

    @classmethod
    def from_dict(cls, data: Any) -> IODescription:
        """Parse ``{"Dimension": int, "Description": {"<i>": str, ...}}``.

        Raises
        ------
        SpecificationError
            If keys are missing or unexpected, or a value is invalid.
        """
        if not isinstance(data, Mapping):
            raise SpecificationError(
                f"must be an object with 'Dimension' and 'Description', "
                f"got {type(data).__name__}"
            )
        _reject_unknown(data, ("Dimension", "Description"))
        for key in ("Dimension", "Description"):
            if key not in data:
                raise SpecificationError(f"missing key '{key}'")
        raw = data["Description"]
        if not isinstance(raw, Mapping):
            raise SpecificationError(
                f"'Description' must be an object mapping index strings to text, "
                f"got {type(raw).__name__}"
            )
        pairs: list[tuple[int, str]] = []
        for key, text in raw.items():
            if isinstance(key, str) and _INDEX_KEY.fullmatch(key):
                pairs.append((int(key), text))
            else:
                raise SpecificationError(
                    f"'Description' key {key!r} must be a decimal index string "
                    f"such as '0'"
                )
        return cls(dimension=data["Dimension"], descriptions=tuple(pairs))

    def to_dict(self) -> dict[str, Any]:
        """Return the stored layout (string index keys, original order)."""
        return {
            "Dimension": self.dimension,
            "Description": {str(i): text for i, text in self.descriptions},
        }


@dataclass(frozen=True)
class SemanticSpec:
    """A validated semantic specification.

    Parameters
    ----------
    data, task, library, license : str
        One value each from :data:`DATA_TYPES`, :data:`TASK_TYPES`,
        :data:`LIBRARY_TYPES` and :data:`LICENSES`.
    scenarios : tuple of str
        One or more distinct values from :data:`SCENARIOS`.
    name, description : str
        Free text of :data:`NAME_LENGTH` / :data:`DESCRIPTION_LENGTH` characters.
    model : str or None, default=None
        The optional 0.4 ``Model`` key (:data:`MODEL_TYPES`); for Table and Image
        data only ``"Others"`` is allowed.
    input : IODescription or None, default=None
        Required when ``data == "Table"``.
    output : IODescription or None, default=None
        Required for Classification (``dimension > 1``) and Regression.

    Raises
    ------
    SpecificationError
        Naming the offending key and, for vocabulary keys, the allowed values.
    """

    data: str
    task: str
    library: str
    scenarios: tuple[str, ...]
    license: str
    name: str
    description: str
    model: str | None = None
    input: IODescription | None = None
    output: IODescription | None = None

    def __post_init__(self) -> None:
        if isinstance(self.scenarios, list):
            object.__setattr__(self, "scenarios", tuple(self.scenarios))
        _check_choice("Data", self.data)
        _check_choice("Task", self.task)
        _check_choice("Library", self.library)
        _check_choice("License", self.license)
        if self.model is not None:
            _check_choice("Model", self.model)
        self._check_scenarios()
        _check_text("Name", self.name, NAME_LENGTH)
        _check_text("Description", self.description, DESCRIPTION_LENGTH)
        self._check_combinations()
        self._check_io()

    def _check_scenarios(self) -> None:
        allowed = SCENARIOS
        if not isinstance(self.scenarios, tuple) or not self.scenarios:
            raise SpecificationError(
                f"semantic spec 'Scenario': one or more values are required "
                f"(allowed: {_fmt(allowed)})"
            )
        for value in self.scenarios:
            if value not in allowed:
                raise SpecificationError(
                    f"semantic spec 'Scenario': {value!r} is not an allowed value "
                    f"(allowed: {_fmt(allowed)})"
                )
        if len(set(self.scenarios)) != len(self.scenarios):
            raise SpecificationError("semantic spec 'Scenario': values are repeated")

    def _check_combinations(self) -> None:
        tasks = TASKS_BY_DATA[self.data]
        if self.task not in tasks:
            raise SpecificationError(
                f"semantic spec 'Task': {self.task!r} is not allowed for Data "
                f"{self.data!r} (allowed: {_fmt(tasks)})"
            )
        if (
            self.model is not None
            and self.data in _MODEL_OTHERS_ONLY_FOR_DATA
            and self.model != "Others"
        ):
            raise SpecificationError(
                f"semantic spec 'Model': {self.model!r} is not allowed for Data "
                f"{self.data!r} (allowed: Others)"
            )

    def _check_io(self) -> None:
        for key, value in (("Input", self.input), ("Output", self.output)):
            if value is not None and not isinstance(value, IODescription):
                raise SpecificationError(
                    f"semantic spec {key!r}: must be an IODescription, "
                    f"got {type(value).__name__}"
                )
        if self.input is None and self.data in _INPUT_REQUIRED_FOR_DATA:
            raise SpecificationError(
                f"semantic spec 'Input': required when Data is {self.data!r} "
                "(give 'Dimension' and per-feature 'Description')"
            )
        if self.output is None and self.task in _OUTPUT_REQUIRED_FOR_TASKS:
            raise SpecificationError(
                f"semantic spec 'Output': required when Task is {self.task!r} "
                "(give 'Dimension' and per-index 'Description')"
            )
        if (
            self.output is not None
            and self.task == "Classification"
            and self.output.dimension < 2
        ):
            raise SpecificationError(
                "semantic spec 'Output': 'Dimension' is the number of classes and "
                f"must be > 1 for Classification, got {self.output.dimension}"
            )

    @property
    def input_dimension(self) -> int | None:
        """``Input.Dimension``, or None when there is no ``Input``."""
        return None if self.input is None else self.input.dimension

    @classmethod
    def from_dict(cls, data: Any) -> SemanticSpec:
        """Parse and validate the original JSON layout.

        An empty ``Input``/``Output`` object (the original back end writes ``{}``
        where the entry does not apply) is read as absent.

        Parameters
        ----------
        data : dict
            The semantic specification as stored or uploaded.

        Returns
        -------
        spec : SemanticSpec

        Raises
        ------
        SpecificationError
            Naming the key at fault and, where there is one, the allowed values.
        """
        if not isinstance(data, Mapping):
            raise SpecificationError(
                f"semantic spec must be an object, got {type(data).__name__}"
            )
        unknown = [k for k in data if k not in SEMANTIC_KEYS]
        if unknown:
            raise SpecificationError(
                f"semantic spec has unknown key {unknown[0]!r} "
                f"(allowed keys: {_fmt(SEMANTIC_KEYS)})"
            )
        values = {
            key: _parse_entry(data, key, type_)
            for key, type_ in SEMANTIC_KEY_TYPES.items()
        }
        scenarios = values["Scenario"]
        assert isinstance(scenarios, list)  # guaranteed by _parse_entry for Tag keys
        return cls(
            data=_str(values["Data"]),
            task=_str(values["Task"]),
            library=_str(values["Library"]),
            scenarios=tuple(scenarios),
            license=_str(values["License"]),
            name=_str(values["Name"]),
            description=_str(values["Description"]),
            model=None if values["Model"] is None else _str(values["Model"]),
            input=_parse_io(data, "Input"),
            output=_parse_io(data, "Output"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the original JSON layout (the inverse of :meth:`from_dict`)."""
        out: dict[str, Any] = {
            "Data": {"Type": "Class", "Values": [self.data]},
            "Task": {"Type": "Class", "Values": [self.task]},
        }
        if self.model is not None:
            out["Model"] = {"Type": "Optional", "Values": [self.model]}
        out["Library"] = {"Type": "Class", "Values": [self.library]}
        out["License"] = {"Type": "Class", "Values": [self.license]}
        out["Scenario"] = {"Type": "Tag", "Values": list(self.scenarios)}
        out["Name"] = {"Type": "String", "Values": self.name}
        out["Description"] = {"Type": "String", "Values": self.description}
        if self.input is not None:
            out["Input"] = self.input.to_dict()
        if self.output is not None:
            out["Output"] = self.output.to_dict()
        return out


def _fmt(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def _str(value: object) -> str:
    assert isinstance(value, str)  # guaranteed by _parse_entry
    return value


def _reject_unknown(data: Mapping[Any, Any], allowed: tuple[str, ...]) -> None:
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise SpecificationError(
            f"unexpected key {unknown[0]!r} (allowed keys: {_fmt(allowed)})"
        )


def _check_choice(key: str, value: object) -> None:
    allowed = SEMANTIC_VOCABULARIES[key]
    if value not in allowed:
        raise SpecificationError(
            f"semantic spec {key!r}: {value!r} is not an allowed value "
            f"(allowed: {_fmt(allowed)})"
        )


def _check_text(key: str, value: object, length: tuple[int, int]) -> None:
    low, high = length
    if not isinstance(value, str) or not value.strip():
        raise SpecificationError(
            f"semantic spec {key!r}: a non-empty string is required"
        )
    if not low <= len(value) <= high:
        raise SpecificationError(
            f"semantic spec {key!r}: must be {low} to {high} characters long, "
            f"got {len(value)}"
        )


def _parse_entry(data: Mapping[str, Any], key: str, type_: str) -> object:
    """Return the raw ``Values`` of a tag key; checks its shape, not its vocabulary."""
    vocabulary = SEMANTIC_VOCABULARIES.get(key)
    hint = f" (allowed: {_fmt(vocabulary)})" if vocabulary else ""
    if key not in data:
        if type_ == "Optional":
            return None
        raise SpecificationError(f"semantic spec is missing required key {key!r}{hint}")
    entry = data[key]
    if not isinstance(entry, Mapping):
        raise SpecificationError(
            f"semantic spec {key!r}: must be an object with 'Type' and 'Values', "
            f"got {type(entry).__name__}"
        )
    try:
        _reject_unknown(entry, ("Type", "Values"))
    except SpecificationError as exc:
        raise SpecificationError(f"semantic spec {key!r}: {exc}") from None
    if entry.get("Type") != type_:
        raise SpecificationError(
            f"semantic spec {key!r}: 'Type' must be {type_!r}, "
            f"got {entry.get('Type')!r}"
        )
    if "Values" not in entry:
        raise SpecificationError(f"semantic spec {key!r}: missing 'Values'{hint}")
    values = entry["Values"]
    if type_ == "String":
        if not isinstance(values, str):
            raise SpecificationError(
                f"semantic spec {key!r}: 'Values' must be a string, "
                f"got {type(values).__name__}"
            )
        return values
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SpecificationError(
            f"semantic spec {key!r}: 'Values' must be a list of strings{hint}"
        )
    if type_ == "Tag":
        return values
    if len(values) != 1:
        raise SpecificationError(
            f"semantic spec {key!r}: exactly one value is required, "
            f"got {len(values)}{hint}"
        )
    return values[0]


def _parse_io(data: Mapping[str, Any], key: str) -> IODescription | None:
    value = data.get(key)
    if value is None or (isinstance(value, Mapping) and not value):
        return None
    try:
        return IODescription.from_dict(value)
    except SpecificationError as exc:
        raise SpecificationError(f"semantic spec {key!r}: {exc}") from None
