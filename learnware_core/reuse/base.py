"""What a reuser needs from a learnware, a local wrapper, and the shared reuser base.

A *learnware* here is anything with ``predict(X)`` and a ``spec`` attribute (its
statistical specification); ``predict_proba(X)`` is optional. Local models are
wrapped in :class:`LocalLearnware`; the sandboxed deploy path implements the same
:class:`LearnwareLike` protocol, so every reuser works with both.

Output conventions shared by all reusers (the original package's):

* regression learnwares return ``(n,)`` or ``(n, n_outputs)`` values;
* classification learnwares return labels ``(n,)`` from ``predict``, and class
  probabilities ``(n, n_classes)`` from ``predict_proba`` if they have it (or from
  ``predict`` itself, as the original's ``predict_method="predict_proba"`` models
  do). Probability columns are the integer class labels ``0 .. n_classes - 1``, in
  the same order for every learnware of one reuser.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any, Protocol, Self, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core.errors import LearnwareError
from learnware_core.specification.base import StatSpecification

__all__ = ["BaseReuser", "LearnwareLike", "LocalLearnware", "ReuseError"]

FloatArray = NDArray[np.float64]


class ReuseError(LearnwareError):
    """A reuser got bad parameters or data, or was used before ``fit``."""


@runtime_checkable
class LearnwareLike(Protocol):
    """A model plus its statistical specification, as the reusers see it.

    Attributes
    ----------
    spec : StatSpecification or None
        The learnware's statistical specification (an
        :class:`~learnware_core.specification.rkme.RKMETableSpecification` for the
        reusers that route or align by RKME); may be None for the others.

    Notes
    -----
    ``predict_proba(X) -> (n, n_classes)`` is optional and looked up with
    ``getattr``; a structural protocol cannot declare optional methods.
    """

    @property
    def spec(self) -> StatSpecification | None:
        """The statistical specification, or None."""
        ...

    def predict(self, X: Any) -> Any:
        """Predict ``n`` rows: an array of shape ``(n,)`` or ``(n, k)``."""
        ...


class LocalLearnware:
    """An in-process learnware: a fitted model and its specification.

    Parameters
    ----------
    model : object
        Anything with ``predict(X)``; ``predict_proba(X)`` is used if present.
    spec : StatSpecification or None, default=None
        Its statistical specification.

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> lw = LocalLearnware(LinearRegression().fit([[0.0], [1.0]], [0.0, 2.0]))
    >>> lw.predict(np.array([[0.5]])).round(6).tolist()
    [1.0]
    >>> hasattr(lw, "predict_proba")
    False
    """

    def __init__(self, model: Any, spec: StatSpecification | None = None) -> None:
        if not callable(getattr(model, "predict", None)):
            raise ReuseError(f"{type(model).__name__} has no predict method")
        self.model = model
        self._spec = spec

    @property
    def spec(self) -> StatSpecification | None:
        """The statistical specification given at construction."""
        return self._spec

    def __getattr__(self, name: str) -> Any:
        # Expose predict_proba only when the model has it, so that
        # ``hasattr(lw, "predict_proba")`` tells the truth.
        if name == "predict_proba" and "model" in self.__dict__:
            method = getattr(self.model, "predict_proba", None)
            if callable(method):
                return method
        raise AttributeError(name)

    def predict(self, X: Any) -> Any:
        """Return ``model.predict(X)``."""
        return self.model.predict(X)

    def __repr__(self) -> str:
        return f"LocalLearnware({type(self.model).__name__})"


class BaseReuser:
    """Parameter handling shared by the reusers (scikit-learn's protocol).

    Subclasses take keyword parameters in ``__init__`` and store them unchanged under
    the same names; :meth:`get_params` / :meth:`set_params` then work like
    scikit-learn's, so :func:`sklearn.base.clone` can copy an unfitted reuser.
    """

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(
            p.name
            for p in signature.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
        )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters of this reuser (nested ``name__param`` ones if ``deep``)."""
        out: dict[str, Any] = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                for key, sub in value.get_params(deep=True).items():
                    out[f"{name}__{key}"] = sub
            out[name] = value
        return out

    def set_params(self, **params: Any) -> Self:
        """Set parameters (``name`` or nested ``name__param``); returns self."""
        valid = set(self._param_names())
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if name not in valid:
                raise ReuseError(
                    f"invalid parameter {name!r} for {type(self).__name__}; "
                    f"valid parameters: {sorted(valid)}"
                )
            if sep:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        args = ", ".join(
            f"{k}={v!r}"
            for k, v in self.get_params(deep=False).items()
            if k != "learnwares"
        )
        return f"{type(self).__name__}({args})"


# ----------------------------------------------------------------- shared helpers


def check_learnwares(
    learnwares: Sequence[LearnwareLike], *, min_count: int = 1
) -> list[LearnwareLike]:
    """Return the learnwares as a list after checking each has ``predict``."""
    if callable(getattr(learnwares, "predict", None)) or isinstance(learnwares, str):
        raise ReuseError("learnwares must be a sequence of learnwares")
    result = list(learnwares)
    if len(result) < min_count:
        raise ReuseError(f"need at least {min_count} learnware(s), got {len(result)}")
    for i, lw in enumerate(result):
        if not callable(getattr(lw, "predict", None)):
            raise ReuseError(f"learnware {i} ({type(lw).__name__}) has no predict")
    return result


def check_fitted(reuser: object, attribute: str) -> None:
    """Raise :class:`ReuseError` unless ``reuser`` has the fitted ``attribute``."""
    if getattr(reuser, attribute, None) is None:
        raise ReuseError(f"this {type(reuser).__name__} is not fitted yet; call fit()")


def n_rows(X: Any) -> int:
    """Number of rows of a batch (array, list of rows or list of strings)."""
    try:
        return len(X)
    except TypeError as exc:
        raise ReuseError(f"X must be a batch of rows, got {type(X).__name__}") from exc


def as_output(raw: Any, n: int, *, who: str) -> NDArray[Any]:
    """A learnware's output as a numpy array with ``n`` rows (torch is converted)."""
    if hasattr(raw, "detach") and hasattr(raw, "cpu"):  # torch.Tensor
        raw = raw.detach().cpu().numpy()
    try:
        out = np.asarray(raw)
    except (TypeError, ValueError) as exc:
        raise ReuseError(f"{who} returned a non-array output: {exc}") from exc
    if out.ndim == 0 or out.shape[0] != n:
        raise ReuseError(f"{who} returned shape {out.shape} for {n} rows")
    if out.ndim > 2:
        out = out.reshape(n, -1)
    return out


def predict_values(lw: LearnwareLike, X: Any, n: int, *, who: str) -> NDArray[Any]:
    """``lw.predict(X)`` as an array of shape ``(n,)`` or ``(n, k)``."""
    return as_output(lw.predict(X), n, who=who)


def class_scores(lw: LearnwareLike, X: Any, n: int, *, who: str) -> FloatArray:
    """Class probabilities ``(n, n_classes)``: ``predict_proba`` or 2-D ``predict``.

    Raises
    ------
    ReuseError
        If the learnware has no ``predict_proba`` and ``predict`` returns labels.
    """
    method = getattr(lw, "predict_proba", None)
    raw = method(X) if callable(method) else lw.predict(X)
    out = as_output(raw, n, who=who)
    if out.ndim != 2 or out.shape[1] < 2:
        raise ReuseError(
            f"{who} gives no class probabilities (no predict_proba, and predict "
            f"returned shape {out.shape})"
        )
    return np.asarray(out, dtype=np.float64)


def scores_or_values(lw: LearnwareLike, X: Any, n: int, *, who: str) -> NDArray[Any]:
    """Probabilities if the learnware gives them, else its ``predict`` output."""
    method = getattr(lw, "predict_proba", None)
    raw = method(X) if callable(method) else lw.predict(X)
    return as_output(raw, n, who=who)


def labels_from_output(out: NDArray[Any]) -> NDArray[Any]:
    """Labels from a classifier's output: argmax of 2-D scores, else the values."""
    if out.ndim == 2 and out.shape[1] > 1:
        return np.asarray(np.argmax(out, axis=1))
    return out.reshape(out.shape[0])


def check_weights_vector(
    weights: ArrayLike | None, m: int, *, name: str = "weights"
) -> FloatArray:
    """Non-negative weights of length ``m`` normalised to sum 1 (uniform if None)."""
    if weights is None:
        return np.full(m, 1.0 / m)
    try:
        w = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ReuseError(f"{name} must be numeric: {exc}") from exc
    if w.shape != (m,):
        raise ReuseError(f"{name} must have shape ({m},), got {w.shape}")
    if not np.isfinite(w).all() or w.min() < 0 or w.sum() <= 0:
        raise ReuseError(f"{name} must be finite, >= 0 and not all 0")
    out: FloatArray = w / w.sum()
    return out


def check_task(task: object) -> str:
    """``"classification"`` or ``"regression"``, else :class:`ReuseError`."""
    if task not in ("classification", "regression"):
        raise ReuseError(f"task must be 'classification' or 'regression', got {task!r}")
    return str(task)


def output_features(
    lws: Sequence[LearnwareLike],
    X: Any,
    n: int,
    *,
    task: str,
    classes: NDArray[Any] | None = None,
) -> FloatArray:
    """The learnwares' outputs side by side, as features for a model on top.

    Regression: ``predict`` values (1-D outputs become one column). Classification:
    class probabilities (``predict_proba`` or 2-D ``predict``) if available, else
    labels one-hot encoded over ``classes`` (labels outside it give all-zero rows).

    Returns
    -------
    F : ndarray of shape (n, n_output_columns), float64
    """
    blocks: list[FloatArray] = []
    for i, lw in enumerate(lws):
        who = f"learnware {i}"
        if task == "regression":
            out = predict_values(lw, X, n, who=who)
            blocks.append(np.asarray(out, dtype=np.float64).reshape(n, -1))
            continue
        out = scores_or_values(lw, X, n, who=who)
        if out.ndim == 2 and out.shape[1] > 1:
            blocks.append(np.asarray(out, dtype=np.float64))
        else:
            if classes is None:
                raise ReuseError(f"{who} returns labels; the classes are unknown")
            labels = out.reshape(n)
            blocks.append((labels[:, None] == classes[None, :]).astype(np.float64))
    return np.hstack(blocks)
