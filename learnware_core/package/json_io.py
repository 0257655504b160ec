"""Bounded JSON reading for specification files from a package.

The size is bounded by the caller (:func:`learnware_core.package.archive.read_member`);
the nesting depth is measured by a vectorised scan *before* :func:`json.loads`, whose
recursive decoder would otherwise build (or overflow the stack on) any depth.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from learnware_core.errors import PackageError
from learnware_core.package.limits import MAX_JSON_DEPTH
from learnware_core.package.yaml_io import decode_utf8

__all__ = ["json_depth", "load_json"]

# A JSON string (escapes included), written as an unrolled loop: linear time.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_CHUNK = 1 << 22
# ``c | 0x20`` maps "[" to "{" and "]" to "}" (and nothing else onto them).
_OPEN, _CLOSE = ord("{"), ord("}")


def json_depth(raw: bytes, *, stop_above: int | None = None) -> int:
    """The deepest nesting of arrays and objects in ``raw`` (strings ignored).

    Exact for valid JSON; for invalid JSON a number the parser then refuses anyway.
    With ``stop_above``, returns as soon as the depth is known to exceed it.
    """
    if b"[" not in raw and b"{" not in raw:
        return 0
    skeleton = np.frombuffer(_STRING.sub(b"", raw), dtype=np.uint8)
    depth = deepest = 0
    for start in range(0, skeleton.size, _CHUNK):
        folded = skeleton[start : start + _CHUNK] | 0x20
        steps = (folded == _OPEN).view(np.int8) - (folded == _CLOSE).view(np.int8)
        running = np.cumsum(steps, dtype=np.int64)
        running += depth
        deepest, depth = max(deepest, int(running.max())), int(running[-1])
        if stop_above is not None and deepest > stop_above:
            break
    return deepest


def load_json(raw: bytes, *, file_name: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse UTF-8 JSON after checking its nesting depth.

    Raises
    ------
    PackageError
        ``"<file_name>: <problem>"`` if the text is not UTF-8, nests deeper than
        ``max_depth`` or is not valid JSON.
    """
    depth = json_depth(raw, stop_above=max_depth)
    if depth > max_depth:
        raise PackageError(
            f"{file_name}: JSON nested more than {max_depth} levels deep "
            f"(limit {max_depth})"
        )
    text = decode_utf8(raw, file_name=file_name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageError(f"{file_name}: unreadable JSON ({exc})") from exc
    except RecursionError as exc:  # a backstop: the depth scan comes first
        raise PackageError(f"{file_name}: JSON nested too deeply") from exc
