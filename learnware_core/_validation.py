"""Input checking shared by the numeric code (private: validate at the public edge).

Every helper here returns a *new* array when it has to change anything, so callers
never see their own data modified.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core.errors import SpecificationError

FloatArray = NDArray[np.float64]


def as_2d_float(
    X: ArrayLike,
    *,
    name: str = "X",
    allow_nan: bool = False,
    n_features: int | None = None,
    min_samples: int = 1,
) -> FloatArray:
    """Return ``X`` as a C-contiguous float64 array of shape (n_samples, n_features).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    name : str, default="X"
        Used in error messages.
    allow_nan : bool, default=False
        If False, NaN or ±inf raise; if True they are passed through (±inf as is).
    n_features : int, optional
        If given, the required number of columns.
    min_samples : int, default=1
        Minimum number of rows.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
        A copy whenever the input is not already float64 C-contiguous; the caller's
        array is never written to by this package either way.

    Raises
    ------
    SpecificationError
        Wrong number of dimensions, too few rows, wrong width, non-numeric values,
        or non-finite values when ``allow_nan`` is False.
    """
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SpecificationError(f"{name} must be numeric: {exc}") from exc
    if arr.ndim != 2:
        raise SpecificationError(
            f"{name} must be 2-D (n_samples, n_features), got shape {arr.shape}"
        )
    if arr.shape[0] < min_samples:
        raise SpecificationError(
            f"{name} needs at least {min_samples} row(s), got {arr.shape[0]}"
        )
    if arr.shape[1] < 1:
        raise SpecificationError(f"{name} has no features (shape {arr.shape})")
    if n_features is not None and arr.shape[1] != n_features:
        raise SpecificationError(
            f"{name} has {arr.shape[1]} features, expected {n_features}"
        )
    if not allow_nan and not np.isfinite(arr).all():
        raise SpecificationError(f"{name} contains NaN or infinite values")
    return np.ascontiguousarray(arr)


def as_samples(X: ArrayLike, *, name: str = "X") -> tuple[FloatArray, tuple[int, ...]]:
    """Flatten a batch of samples of any shape to (n_samples, n_features), float64.

    Parameters
    ----------
    X : array-like of shape (n_samples,) or (n_samples, d1, d2, ...)
        A 1-D input is one feature per sample.

    Returns
    -------
    X2 : ndarray of shape (n_samples, d1 * d2 * ...), float64
        May contain NaN/inf (see :func:`impute_column_means`).
    sample_shape : tuple of int
        The trailing shape ``(d1, d2, ...)`` (``(1,)`` for 1-D input).
    """
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SpecificationError(f"{name} must be numeric: {exc}") from exc
    if arr.ndim == 0:
        raise SpecificationError(f"{name} must have at least one dimension")
    if arr.ndim == 1:
        arr = arr[:, None]
    sample_shape = tuple(int(s) for s in arr.shape[1:])
    flat = arr.reshape(arr.shape[0], -1)
    return as_2d_float(flat, name=name, allow_nan=True), sample_shape


def impute_column_means(X: FloatArray) -> FloatArray:
    """Replace NaN and ±inf by the mean of the finite values of their column.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float64

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
        ``X`` itself if every value is finite, else a new array.

    Raises
    ------
    SpecificationError
        If a column has no finite value; the message names the column index.
    """
    finite = np.isfinite(X)
    if finite.all():
        return X
    n_finite = finite.sum(axis=0)
    empty = np.flatnonzero(n_finite == 0)
    if empty.size:
        cols = ", ".join(str(int(c)) for c in empty[:10])
        raise SpecificationError(
            f"column(s) {cols} have no finite value; cannot impute the column mean"
        )
    means = np.where(finite, X, 0.0).sum(axis=0) / n_finite
    return np.where(finite, X, means[None, :])


def check_gamma(gamma: object) -> float:
    """Return ``gamma`` as a float after checking it is a finite number > 0."""
    if isinstance(gamma, bool) or not isinstance(gamma, numbers.Real):
        raise SpecificationError(f"gamma must be a real number, got {gamma!r}")
    value = float(gamma)
    if not np.isfinite(value) or value <= 0.0:
        raise SpecificationError(f"gamma must be finite and > 0, got {gamma!r}")
    return value


def check_weights(beta: ArrayLike, *, n_points: int, name: str = "beta") -> FloatArray:
    """Return weights as a float64 vector of length ``n_points`` with finite values."""
    try:
        arr = np.asarray(beta, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SpecificationError(f"{name} must be numeric: {exc}") from exc
    if arr.ndim != 1 or arr.shape[0] != n_points:
        raise SpecificationError(
            f"{name} must have shape ({n_points},), got {arr.shape}"
        )
    if not np.isfinite(arr).all():
        raise SpecificationError(f"{name} contains NaN or infinite values")
    return np.ascontiguousarray(arr)


def check_fitted(obj: object, attribute: str) -> None:
    """Raise :class:`SpecificationError` if ``obj`` has no fitted ``attribute``."""
    if getattr(obj, attribute, None) is None:
        raise SpecificationError(
            f"this {type(obj).__name__} is not fitted yet; call fit() or from_dict()"
        )


# ------------------------------------------------------- specification size limits

#: Most reduced points ``K`` a statistical specification may hold. Comparing two
#: specifications costs ``O(K^2)`` kernel entries (about 0.3 s of CPU at 2,048 points,
#: 2 s at 4,096, 8 s at 20,000); the original package writes K = 100 (tables, text)
#: and K = 50 (images).
MAX_SPEC_POINTS = 2048
#: Most values per reduced point ``d`` (the product of ``z``'s trailing shape): 64
#: channels of 32 x 32 images.
MAX_SPEC_DIMENSION = 65_536
#: Most values ``K * d`` in ``z``: the original's ``max_reduced_set_size``, which caps
#: every specification it fits.
MAX_SPEC_VALUES = 1_310_720
#: Most array dimensions of ``z`` (``K x C x 32 x 32`` for images is 4).
_MAX_SPEC_NDIM = 8


def spec_shape(z: object, *, name: str = "z") -> tuple[int, ...]:
    """Shape of a nested-list ``z`` read from its first elements, bounded before use.

    Only ``len`` of the first element at each level is read (no array is built), so a
    hostile specification is refused before anything proportional to ``K * d``, let
    alone ``K^2``, runs. Ragged lists are left for the numeric conversion to refuse.

    Returns
    -------
    shape : tuple of int
        ``(K, d1, d2, ...)``.

    Raises
    ------
    SpecificationError
        If ``K``, ``d`` (the product of the trailing sizes) or ``K * d`` exceed
        :data:`MAX_SPEC_POINTS`, :data:`MAX_SPEC_DIMENSION`, :data:`MAX_SPEC_VALUES`,
        or ``z`` nests deeper than 8 levels.
    """
    shape: list[int] = []
    level = z
    while isinstance(level, list | tuple | np.ndarray):
        if len(shape) >= _MAX_SPEC_NDIM:
            raise SpecificationError(
                f"'{name}' nests deeper than {_MAX_SPEC_NDIM} levels"
            )
        shape.append(len(level))
        if len(level) == 0:
            break
        level = level[0]
    if not shape:
        return ()
    k = shape[0]
    d = int(np.prod(shape[1:], dtype=np.int64)) if len(shape) > 1 else 1
    if k > MAX_SPEC_POINTS:
        raise SpecificationError(
            f"'{name}' has {k} points; the limit is {MAX_SPEC_POINTS} (the original "
            "package writes 100; comparing specifications costs O(K^2))"
        )
    if d > MAX_SPEC_DIMENSION:
        raise SpecificationError(
            f"'{name}' has {d} values per point; the limit is {MAX_SPEC_DIMENSION}"
        )
    if k * d > MAX_SPEC_VALUES:
        raise SpecificationError(
            f"'{name}' has {k} x {d} = {k * d} values; the limit is {MAX_SPEC_VALUES} "
            "(the original's max_reduced_set_size)"
        )
    return tuple(shape)
