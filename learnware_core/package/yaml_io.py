"""Safe YAML reading and writing for ``learnware.yaml`` and ``environment.yaml``.

The original template writes shapes as ``!!python/tuple``, which ``yaml.safe_load``
refuses and ``yaml.FullLoader`` accepts along with far more.
:class:`LearnwareYamlLoader` is a :class:`yaml.SafeLoader` that builds exactly that
tag as a tuple of plain values and refuses every other ``python/*`` tag with a clear
message; nothing is ever imported or called.
"""

from __future__ import annotations

from typing import Any

import yaml

from learnware_core.errors import PackageError

__all__ = [
    "ForbiddenTagError",
    "LearnwareYamlDumper",
    "LearnwareYamlLoader",
    "decode_utf8",
    "dump_yaml",
    "load_yaml",
]

_TUPLE_TAG = "tag:yaml.org,2002:python/tuple"
_PYTHON_TAG_PREFIX = "tag:yaml.org,2002:python/"


class ForbiddenTagError(yaml.constructor.ConstructorError):
    """A ``!!python/*`` tag other than ``!!python/tuple`` was found."""


class LearnwareYamlLoader(yaml.SafeLoader):
    """SafeLoader + ``!!python/tuple`` (as a tuple); other ``python/*`` tags refused."""

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
        If the text is not UTF-8 or not valid (safe) YAML.
    """
    text = decode_utf8(data, file_name=file_name) if isinstance(data, bytes) else data
    try:
        return yaml.load(text, Loader=LearnwareYamlLoader)
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
