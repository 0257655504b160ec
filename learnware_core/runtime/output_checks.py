"""Host-side checks of a model's declared shapes and outputs (the original's rules).

Compared with the original ``EasyStatChecker``: the same shape rules, plus a check
that outputs are finite and that labels are integers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnware_core.specification.semantic import SemanticSpec

__all__ = ["check_outputs"]

#: Tasks whose outputs are checked even without a declared ``output_shape``.
SHAPED_TASKS = frozenset({"Classification", "Regression", "Feature Extraction"})

Finding = tuple[str, bool, str]


def check_outputs(
    X: NDArray[Any],
    y: NDArray[Any],
    report: Mapping[str, Any],
    sample_shape: tuple[int, ...] | None,
    semantic: SemanticSpec | None,
) -> list[Finding]:
    """Check the declared shapes and the outputs of a ``predict`` call.

    Parameters
    ----------
    X : ndarray of shape (n_samples, *sample_shape)
        The inputs sent.
    y : ndarray
        What ``predict`` returned.
    report : mapping
        The worker's report with ``input_shape`` and ``output_shape`` (lists or
        None).
    sample_shape : tuple of int or None
        One sample's shape according to a table RKME; None for image and text
        inputs, whose shape the model's ``input_shape`` decides.
    semantic : SemanticSpec or None

    Returns
    -------
    findings : list of (name, ok, message)
        Stops after the first failure.
    """
    findings: list[Finding] = []
    for check in (_input_shape, _output_count, _output_shape, _finite, _labels):
        finding = check(X, y, report, sample_shape, semantic)
        if finding is not None:
            findings.append(finding)
            if not finding[1]:
                break
    return findings


def _declared(report: Mapping[str, Any], key: str) -> tuple[int, ...] | None:
    value = report.get(key)
    if isinstance(value, list) and all(isinstance(v, int) for v in value):
        return tuple(value)
    return None


def _input_shape(
    X: NDArray[Any],
    y: NDArray[Any],
    report: Mapping[str, Any],
    sample_shape: tuple[int, ...] | None,
    semantic: SemanticSpec | None,
) -> Finding | None:
    name = "input shape"
    if sample_shape is None:  # images are fitted to input_shape; texts have none
        return None
    declared = _declared(report, "input_shape")
    if declared is None:
        got = report.get("input_shape")
        return name, False, f"model.input_shape must be a tuple of ints, got {got!r}"
    if declared != sample_shape:
        return (
            name,
            False,
            f"model.input_shape is {declared} but the RKME's samples have shape "
            f"{sample_shape}",
        )
    dimension = _table_input_dimension(semantic)
    if dimension is not None and declared != (dimension,):
        return (
            name,
            False,
            f"model.input_shape is {declared} but the semantic Input.Dimension is "
            f"{dimension}",
        )
    return name, True, f"{declared}"


def _table_input_dimension(semantic: SemanticSpec | None) -> int | None:
    if semantic is None or semantic.data != "Table" or semantic.input is None:
        return None
    return semantic.input.dimension


def _output_count(
    X: NDArray[Any],
    y: NDArray[Any],
    report: Mapping[str, Any],
    sample_shape: tuple[int, ...] | None,
    semantic: SemanticSpec | None,
) -> Finding:
    if y.ndim == 0 or y.shape[0] != X.shape[0]:
        return (
            "output count",
            False,
            f"{X.shape[0]} inputs gave outputs of shape {y.shape}",
        )
    return "output count", True, f"{y.shape[0]}"


def _output_shape(
    X: NDArray[Any],
    y: NDArray[Any],
    report: Mapping[str, Any],
    sample_shape: tuple[int, ...] | None,
    semantic: SemanticSpec | None,
) -> Finding | None:
    name = "output shape"
    declared = _declared(report, "output_shape")
    task = semantic.task if semantic is not None else None
    if declared is None and task not in SHAPED_TASKS:
        return None
    per_sample = tuple(y.shape[1:]) or (1,)
    if declared is None:
        return name, False, f"model.output_shape must be declared for {task}"
    if per_sample != declared:
        return (
            name,
            False,
            f"each output has shape {per_sample} but model.output_shape is {declared}",
        )
    classes = semantic.output.dimension if semantic and semantic.output else None
    if task == "Regression" and classes is not None and declared[0] != classes:
        return (
            name,
            False,
            f"model.output_shape {declared} does not match Output.Dimension {classes}",
        )
    labels = declared == (1,)
    if task == "Classification" and classes and not labels and declared[0] != classes:
        return (
            name,
            False,
            f"model.output_shape {declared} does not match the {classes} classes "
            "of the semantic Output",
        )
    return name, True, f"{declared}"


def _finite(
    X: NDArray[Any],
    y: NDArray[Any],
    report: Mapping[str, Any],
    sample_shape: tuple[int, ...] | None,
    semantic: SemanticSpec | None,
) -> Finding | None:
    if not np.issubdtype(y.dtype, np.number):
        return None
    bad = int(np.size(y) - np.count_nonzero(np.isfinite(y)))
    if bad:
        return "outputs finite", False, f"{bad} of {np.size(y)} outputs are NaN or inf"
    return "outputs finite", True, ""


def _labels(
    X: NDArray[Any],
    y: NDArray[Any],
    report: Mapping[str, Any],
    sample_shape: tuple[int, ...] | None,
    semantic: SemanticSpec | None,
) -> Finding | None:
    if semantic is None or semantic.task != "Classification" or not semantic.output:
        return None
    if _declared(report, "output_shape") != (1,):
        return None
    classes = semantic.output.dimension
    values = np.asarray(y).reshape(-1)
    if not np.issubdtype(values.dtype, np.number):
        return "labels", False, f"labels must be numbers, got dtype {values.dtype}"
    integral = np.all(values == np.round(values))
    if not integral or values.min() < 0 or values.max() >= classes:
        shown = np.unique(values)[:10].tolist()
        return (
            "labels",
            False,
            f"labels must be integers in [0, {classes}) (semantic Output), got {shown}",
        )
    return "labels", True, f"within [0, {classes})"
