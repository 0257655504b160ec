"""Safe YAML reading and writing for ``learnware.yaml`` and ``environment.yaml``.

The original template writes shapes as ``!!python/tuple``, which ``yaml.safe_load``
refuses and ``yaml.FullLoader`` accepts along with far more.
:class:`LearnwareYamlLoader` is a :class:`yaml.SafeLoader` that builds exactly that
tag as a tuple of plain values and refuses every other ``python/*`` tag with a clear
message; nothing is ever imported or called.

Parsing is bounded before any work that could blow up: the document's size
(:data:`~learnware_core.package.limits.MAX_YAML_BYTES`) before parsing; while composing
(aliases are still shared references, never copies), the number of aliases, the
nesting depth and the number of nodes *with aliases expanded*, so a "billion laughs"
document is refused after reading its few hundred bytes, not after building (or
walking) millions of values.
"""

from __future__ import annotations

from typing import Any

import yaml

from learnware_core.errors import PackageError
from learnware_core.package.limits import (
    MAX_YAML_ALIASES,
    MAX_YAML_BYTES,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
)

__all__ = [
    "ForbiddenTagError",
    "LearnwareYamlDumper",
    "LearnwareYamlLoader",
    "YamlLimitError",
    "decode_utf8",
    "dump_yaml",
    "load_yaml",
]

_TUPLE_TAG = "tag:yaml.org,2002:python/tuple"
_PYTHON_TAG_PREFIX = "tag:yaml.org,2002:python/"


class ForbiddenTagError(yaml.constructor.ConstructorError):
    """A ``!!python/*`` tag other than ``!!python/tuple`` was found."""


class YamlLimitError(yaml.YAMLError):
    """The document exceeds a size, alias, depth or node limit."""


class LearnwareYamlLoader(yaml.SafeLoader):
    """SafeLoader + ``!!python/tuple`` (as a tuple); other ``python/*`` tags refused.

    Composition is bounded: at most :data:`MAX_YAML_ALIASES` aliases, collections
    nested at most :data:`MAX_YAML_DEPTH` deep and :data:`MAX_YAML_NODES` nodes
    counting every alias as the size of its target; recursive aliases are refused.
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0
        self._sizes: dict[int, int] = {}  # id(node) -> size with aliases expanded

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """Compose one node like PyYAML, counting it against the limits."""
        alias = bool(self.check_event(yaml.AliasEvent))
        if alias:
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise YamlLimitError(
                    f"too many YAML aliases (limit {MAX_YAML_ALIASES})"
                )
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise YamlLimitError(f"YAML nested too deeply (limit {MAX_YAML_DEPTH})")
        node = super().compose_node(parent, index)
        self._depth -= 1
        if node is None:
            return None
        size = self._sizes.get(id(node))
        if alias and size is None:
            raise YamlLimitError("a YAML alias refers to itself (recursive alias)")
        if size is None:
            size = 1
            for child in _children(node):
                size += self._sizes[id(child)]
            self._sizes[id(node)] = size
        if size > MAX_YAML_NODES:
            raise YamlLimitError(
                f"too many YAML aliases/nodes: over {MAX_YAML_NODES} nodes with "
                f"aliases expanded (limit {MAX_YAML_NODES})"
            )
        return node

    def construct_python_tuple(self, node: yaml.Node) -> tuple[Any, ...]:
        """Build a tuple from a sequence node tagged ``!!python/tuple``."""
        if not isinstance(node, yaml.SequenceNode):
            raise yaml.constructor.ConstructorError(
                None, None, "!!python/tuple must tag a sequence", node.start_mark
            )
        return tuple(self.construct_sequence(node, deep=True))

    def refuse_python_tag(self, suffix: str, node: yaml.Node) -> Any:
        """Refuse any other ``!!python/...`` tag (they can execute code)."""
        raise ForbiddenTagError(
            None,
            None,
            f"the tag !!python/{suffix} is not allowed (only !!python/tuple is)",
            node.start_mark,
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []


LearnwareYamlLoader.add_constructor(
    _TUPLE_TAG, LearnwareYamlLoader.construct_python_tuple
)
LearnwareYamlLoader.add_multi_constructor(
    _PYTHON_TAG_PREFIX, LearnwareYamlLoader.refuse_python_tag
)


class LearnwareYamlDumper(yaml.SafeDumper):
    """SafeDumper writing tuples as ``!!python/tuple``, like the original template."""

    def represent_tuple(self, data: tuple[Any, ...]) -> yaml.SequenceNode:
        """Represent a tuple as a ``!!python/tuple`` sequence."""
        return self.represent_sequence(_TUPLE_TAG, data)


LearnwareYamlDumper.add_representer(tuple, LearnwareYamlDumper.represent_tuple)


def load_yaml(data: bytes | str, *, file_name: str) -> Any:
    """Parse YAML with :class:`LearnwareYamlLoader`.

    Parameters
    ----------
    data : bytes or str
        The document; bytes must be UTF-8.
    file_name : str
        Used in error messages.

    Returns
    -------
    value : Any
        Plain YAML values; ``!!python/tuple`` sequences become tuples.

    Raises
    ------
    PackageError
        If the text is not UTF-8, not valid (safe) YAML, or over a limit of
        :class:`LearnwareYamlLoader` or :data:`MAX_YAML_BYTES`.
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        raise PackageError(
            f"{file_name}: {size} bytes exceed the limit of {MAX_YAML_BYTES} bytes "
            "for a YAML file"
        )
    text = decode_utf8(data, file_name=file_name) if isinstance(data, bytes) else data
    try:
        return yaml.load(text, Loader=LearnwareYamlLoader)
    except YamlLimitError as exc:
        raise PackageError(f"{file_name}: {exc}") from exc
    except RecursionError as exc:  # a backstop: the depth limit comes first
        raise PackageError(f"{file_name}: YAML nested too deeply") from exc
    except ForbiddenTagError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise PackageError(f"{file_name}: line {line}: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise PackageError(f"{file_name}: unreadable YAML ({_one_line(exc)})") from exc


def dump_yaml(value: Any) -> str:
    """Serialise ``value`` with :class:`LearnwareYamlDumper`, block style, keys kept."""
    return yaml.dump(
        value,
        Dumper=LearnwareYamlDumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
    )


def decode_utf8(data: bytes, *, file_name: str) -> str:
    """Decode UTF-8 (a BOM is tolerated); refuse UTF-16 and other encodings clearly.

    Raises
    ------
    PackageError
        Naming the file and the encoding problem.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PackageError(
            f"{file_name}: is UTF-16 (as conda on Windows writes it); save it as UTF-8"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackageError(f"{file_name}: is not valid UTF-8 ({exc})") from exc


def _one_line(exc: yaml.YAMLError) -> str:
    return " ".join(str(exc).split())
