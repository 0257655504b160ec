"""``learnware.yaml``: the model entry point and the statistical specification files.

Parsed into frozen dataclasses; keys this module does not interpret (``name``, the
0.4 ``weights_file_path`` ...) are kept in ``extra`` so
:meth:`LearnwareManifest.to_dict` writes back what was read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from learnware_core.errors import PackageError
from learnware_core.package.archive import MANIFEST_NAME

__all__ = [
    "DEFAULT_MODULE_PATH",
    "DEFAULT_SPEC_MODULE",
    "LearnwareManifest",
    "ModelEntry",
    "StatSpecEntry",
]

#: Where the original looks for the model class when ``model.module_path`` is absent.
DEFAULT_MODULE_PATH = "__init__.py"
#: ``module_path`` the original writes for its specification classes.
DEFAULT_SPEC_MODULE = "learnware.specification"


@dataclass(frozen=True)
class ModelEntry:
    """The ``model`` section.

    Parameters
    ----------
    class_name : str
        Class to instantiate from the module.
    module_path : str or None, default=None
        A ``.py`` file relative to the package root; None (absent) means
        ``__init__.py``.
    kwargs : Mapping, default={}
        Constructor keyword arguments (shapes may be tuples).
    extra : Mapping, default={}
        Other keys of the section, kept verbatim.
    """

    class_name: str
    module_path: str | None = None
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def module_file(self) -> str:
        """The model's module file relative to the package root."""
        return self.module_path or DEFAULT_MODULE_PATH

    def to_dict(self) -> dict[str, Any]:
        """Return the ``model`` section as stored."""
        out: dict[str, Any] = {"class_name": self.class_name}
        if self.module_path is not None:
            out["module_path"] = self.module_path
        out["kwargs"] = dict(self.kwargs)
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class StatSpecEntry:
    """One item of ``stat_specifications``.

    Parameters
    ----------
    class_name : str
        Specification type, e.g. ``"RKMETableSpecification"``.
    file_name : str
        The JSON file inside the package.
    module_path : str, default="learnware.specification"
        Kept for compatibility; never imported.
    kwargs : Mapping, default={}
        Constructor keyword arguments in the original; kept verbatim.
    """

    class_name: str
    file_name: str
    module_path: str = DEFAULT_SPEC_MODULE
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as stored."""
        return {
            "module_path": self.module_path,
            "class_name": self.class_name,
            "file_name": self.file_name,
            "kwargs": dict(self.kwargs),
        }


@dataclass(frozen=True)
class LearnwareManifest:
    """A parsed ``learnware.yaml``.

    Parameters
    ----------
    model : ModelEntry
    stat_specifications : tuple of StatSpecEntry
        At least one entry.
    semantic_file : str or None, default=None
        ``semantic_specification.file_name`` (written into repacked packages).
    extra : Mapping, default={}
        Other top-level keys (``name``, ``id`` ...), kept verbatim.
    """

    model: ModelEntry
    stat_specifications: tuple[StatSpecEntry, ...]
    semantic_file: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> LearnwareManifest:
        """Validate and parse the loaded YAML document.

        Raises
        ------
        PackageError
            ``"learnware.yaml: ..."`` naming the missing or malformed key.
        """
        if not isinstance(data, Mapping):
            raise _error(f"must be a mapping, got {type(data).__name__}")
        model = _parse_model(_required(data, "model", Mapping))
        raw_specs = _required(data, "stat_specifications", list)
        if not raw_specs:
            raise _error("'stat_specifications' must list at least one file")
        specs = tuple(_parse_stat_entry(i, item) for i, item in enumerate(raw_specs))
        semantic_file = None
        if data.get("semantic_specification") is not None:
            section = _required(data, "semantic_specification", Mapping)
            semantic_file = _string(section, "file_name", "semantic_specification")
        extra = {
            k: v
            for k, v in data.items()
            if k not in ("model", "stat_specifications", "semantic_specification")
        }
        return cls(model, specs, semantic_file, extra)

    def to_dict(self) -> dict[str, Any]:
        """Return the document to write as ``learnware.yaml``."""
        out: dict[str, Any] = {"model": self.model.to_dict()}
        out["stat_specifications"] = [s.to_dict() for s in self.stat_specifications]
        if self.semantic_file is not None:
            out["semantic_specification"] = {"file_name": self.semantic_file}
        out.update(self.extra)
        return out


def _error(problem: str) -> PackageError:
    return PackageError(f"{MANIFEST_NAME}: {problem}")


def _required(data: Mapping[str, Any], key: str, kind: type, where: str = "") -> Any:
    path = f"{where}.{key}" if where else key
    if key not in data or data[key] is None:
        raise _error(f"missing key '{path}'")
    value = data[key]
    if not isinstance(value, kind):
        expected = "a mapping" if kind is Mapping else f"a {kind.__name__}"
        raise _error(f"'{path}' must be {expected}, got {type(value).__name__}")
    return value


def _string(data: Mapping[str, Any], key: str, where: str) -> str:
    value: str = _required(data, key, str, where)
    if not value.strip():
        raise _error(f"'{where}.{key}' must not be empty")
    return value


def _kwargs(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    value = data.get("kwargs")
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _error(f"'{where}.kwargs' must be a mapping, got {type(value).__name__}")
    return dict(value)


def _parse_model(section: Mapping[str, Any]) -> ModelEntry:
    class_name = _string(section, "class_name", "model")
    module_path = None
    if section.get("module_path") is not None:
        module_path = _string(section, "module_path", "model")
    extra = {
        k: v
        for k, v in section.items()
        if k not in ("class_name", "module_path", "kwargs")
    }
    return ModelEntry(class_name, module_path, _kwargs(section, "model"), extra)


def _parse_stat_entry(index: int, item: Any) -> StatSpecEntry:
    where = f"stat_specifications[{index}]"
    if not isinstance(item, Mapping):
        raise _error(f"'{where}' must be a mapping, got {type(item).__name__}")
    return StatSpecEntry(
        class_name=_string(item, "class_name", where),
        file_name=_string(item, "file_name", where),
        module_path=_string(item, "module_path", where),
        kwargs=_kwargs(item, where),
    )
