"""JSON the dock parses itself, bounded in size and nesting before it is used.

``json.loads`` of 10 MB of ``[`` raises ``RecursionError`` (a 500) and a large body is
read whole; :func:`json_loads_bounded` refuses both with a message naming the field,
and :class:`BoundedJSONParser` does the same for request bodies (the default parser
of every API view, and of views that name their parsers).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from bmw.errors import ApplicationError, TooLargeError


def json_depth(value: Any) -> int:
    """How deeply ``value``'s lists and objects nest (0 for a scalar), iteratively."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth + 1)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONSyntaxError(ApplicationError):
    """The text is not JSON (``problem`` says where)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}", extra={"fields": {field: [problem]}})
        self.problem = problem


def _refused(field: str, problem: str, *, too_large: bool = False) -> ApplicationError:
    kind = TooLargeError if too_large else ApplicationError
    return kind(f"{field}: {problem}", extra={"fields": {field: [problem]}})


def json_loads_bounded(
    raw: str | bytes,
    *,
    field: str,
    max_bytes: int | None = None,
    max_depth: int | None = None,
) -> Any:
    """``json.loads(raw)``, refused (``ApplicationError`` naming ``field``) when over
    ``max_bytes`` (``TooLargeError``), nested deeper than ``max_depth`` or not JSON.

    The limits default to ``BMW_JSON_MAX_BYTES`` and ``BMW_JSON_MAX_DEPTH``.
    """
    max_bytes = settings.BMW_JSON_MAX_BYTES if max_bytes is None else max_bytes
    max_depth = settings.BMW_JSON_MAX_DEPTH if max_depth is None else max_depth
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > max_bytes:
        raise _refused(
            field, f"{size} bytes is over the limit of {max_bytes}", too_large=True
        )
    try:
        value = json.loads(raw)
    except RecursionError:
        raise _refused(field, f"nested deeper than {max_depth} levels") from None
    except ValueError as exc:  # JSONDecodeError, bad UTF-8
        raise JSONSyntaxError(field, f"not valid JSON: {exc}") from exc
    if json_depth(value) > max_depth:
        raise _refused(field, f"nested deeper than {max_depth} levels")
    return value


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with the body's size and depth bounded (field ``body``)."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.BMW_JSON_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        try:
            return json_loads_bounded(raw, field="body", max_bytes=limit)
        except JSONSyntaxError as exc:  # as DRF's own parser says it
            raise ParseError(f"JSON parse error - {exc.problem}") from exc
