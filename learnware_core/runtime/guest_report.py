"""The dock's reading of what the sandboxed worker reports: strict, bounded, labelled.

The worker runs in the same process as the learnware's code, so anything it sends
may have been written by the model. The host therefore decides what a report can
say: the step names and their order come from the dock (:func:`expected_steps`),
a status is ``passed`` or ``failed`` and only the last step may fail, shapes are
short lists of ints, and the only free text, a failed step's traceback or the
sandbox's stderr, reaches the report through :func:`model_output`: at most
:data:`MODEL_OUTPUT_CHARS` characters, control characters escaped, between lines
that label it as the model's output. Anything else (an unknown field or step, a
second failure, an oversized header) refuses the whole report
(:class:`MalformedReport`), so a model cannot add steps, statuses or text of its
own to what reviewers read as the dock's report.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from learnware_core.checks import CheckStatus, CheckStepResult

__all__ = [
    "MODEL_OUTPUT_CHARS",
    "MODEL_OUTPUT_END",
    "MODEL_OUTPUT_HEAD",
    "MalformedReport",
    "declared_shapes",
    "expected_steps",
    "model_output",
    "read_result",
    "worker_steps",
]

#: Characters of the model's own output (traceback, stderr) a report may quote.
MODEL_OUTPUT_CHARS = 2000
#: The lines around quoted model output.
MODEL_OUTPUT_HEAD = "[model output:"
MODEL_OUTPUT_END = "[end of model output]"
#: Bytes of the JSON header line of a worker's result.
MAX_HEADER_BYTES = 64 * 1024
_HEADER_KEYS = frozenset(
    {"steps", "input_shape", "output_shape", "nbytes", "ok", "has_proba"}
)
_STEP_KEYS = frozenset({"name", "status", "message", "duration_s"})
_MAX_DIMS = 8
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")


class MalformedReport(ValueError):
    """The worker's report does not have the form the dock accepts."""


def expected_steps(action: str, input_kind: str = "table") -> tuple[str, ...]:
    """The worker's steps, in order, for ``check``, ``predict`` or ``serve``."""
    steps = ["import numpy", "load model"]
    if action in ("check", "predict"):
        if input_kind == "image":
            steps.append("fit images to input_shape")
        steps.append("predict")
    return tuple(steps)


def model_output(text: str, source: str, limit: int = MODEL_OUTPUT_CHARS) -> str:
    """``text`` (the model's own output) bounded, escaped and labelled as such.

    Keeps the last ``limit`` characters (a traceback ends with the error), escapes
    control and bidi characters as ``\\xNN`` / ``\\uNNNN``, and frames the text
    with lines naming its ``source`` (e.g. ``"traceback"``, ``"stderr"``).
    """
    text = _CONTROL.sub(lambda m: _escape(m.group()), text.strip())
    if not text:
        return ""
    omitted = max(0, len(text) - limit)
    body = text[-limit:] if omitted else text
    head = f"{MODEL_OUTPUT_HEAD} {source}, not verified by the dock"
    head += f"; first {omitted:,} characters omitted]" if omitted else "]"
    return f"{head}\n{body}\n{MODEL_OUTPUT_END}"


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def read_result(raw: bytes) -> tuple[dict[str, Any], bytes]:
    """Split a worker's result (a JSON header line, then ``nbytes`` bytes).

    Raises
    ------
    MalformedReport
    """
    line, newline, payload = raw.partition(b"\n")
    if not newline:
        raise MalformedReport("no complete header line")
    if len(line) > MAX_HEADER_BYTES:
        raise MalformedReport(f"header of more than {MAX_HEADER_BYTES:,} bytes")
    try:
        header = json.loads(line)
    except ValueError:
        raise MalformedReport("header is not JSON") from None
    if not isinstance(header, dict):
        raise MalformedReport("header is not an object")
    size = header.get("nbytes")
    if not isinstance(size, int) or isinstance(size, bool) or size != len(payload):
        raise MalformedReport(
            f"nbytes {size!r} does not match the {len(payload):,} bytes sent"
        )
    return header, payload


def worker_steps(
    report: Mapping[str, Any], expected: Sequence[str]
) -> list[CheckStepResult]:
    """The dock's steps from a worker's report, validated against ``expected``.

    Passed steps carry no text of the worker's; a failed step's message is its
    traceback as :func:`model_output`. Also checks ``input_shape`` and
    ``output_shape``.

    Raises
    ------
    MalformedReport
    """
    unknown = set(report) - _HEADER_KEYS
    if unknown:
        raise MalformedReport(f"unknown field {sorted(unknown)[0][:40]!r}")
    for key in ("input_shape", "output_shape"):
        _check_shape(report.get(key), key)
    for key in ("ok", "has_proba"):
        if not isinstance(report.get(key, False), bool):
            raise MalformedReport(f"{key} is not a boolean")
    items = report.get("steps")
    if not isinstance(items, list) or len(items) > len(expected):
        raise MalformedReport("steps is not a list of the dock's steps")
    steps = []
    for position, item in enumerate(items):
        if not isinstance(item, dict) or set(item) - _STEP_KEYS:
            raise MalformedReport(f"step {position + 1} is not a step")
        name, status = item.get("name"), item.get("status")
        if name != expected[position]:
            raise MalformedReport(f"step {position + 1} is not {expected[position]!r}")
        if status not in ("passed", "failed"):
            raise MalformedReport(f"step {name!r} has an unknown status")
        if status == "failed" and position != len(items) - 1:
            raise MalformedReport(f"step {name!r} failed but later steps ran")
        duration = item.get("duration_s")
        if (
            not isinstance(duration, int | float)
            or isinstance(duration, bool)
            or not math.isfinite(duration)
            or not 0 <= duration <= 1e7
        ):
            raise MalformedReport(f"step {name!r} has an invalid duration")
        message = item.get("message", "")
        if not isinstance(message, str):
            raise MalformedReport(f"step {name!r} has an invalid message")
        failed = status == "failed"
        steps.append(
            CheckStepResult(
                str(name),
                CheckStatus.FAILED if failed else CheckStatus.PASSED,
                model_output(message, "traceback") if failed else "",
                duration_s=round(float(duration), 6),
            )
        )
    return steps


def declared_shapes(report: Mapping[str, Any]) -> dict[str, Any]:
    """``input_shape`` and ``output_shape`` of a report :func:`worker_steps` accepted:
    a list of ints, None, or a fixed note for one that is not ints (no model text)."""
    return {
        key: "(not a tuple of ints)" if isinstance(value, str) else value
        for key in ("input_shape", "output_shape")
        for value in [report.get(key)]
    }


def _check_shape(value: Any, key: str) -> None:
    if value is None:
        return
    if isinstance(value, str):
        if len(value) > 200:
            raise MalformedReport(f"{key} is too long")
        return  # the worker's repr of a shape that is not ints: checked later
    if (
        not isinstance(value, list)
        or len(value) > _MAX_DIMS
        or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**31
            for v in value
        )
    ):
        raise MalformedReport(f"{key} is not a short list of sizes")
