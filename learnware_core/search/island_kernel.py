"""The dock's kernel for a specification island: per-column scales and one bandwidth.

An RKME is a weighted point set ``(z, beta)``. The squared MMD between two of them,

    MMD^2 = b1' K(z1, z1) b1 - 2 b1' K(z1, z2) b2 + b2' K(z2, z2) b2,

is defined for **any** positive-definite kernel ``K``, not only the Gaussian a
specification was fitted with. So the dock, not the developer, chooses the kernel
that compares the specifications of one island (one feature space):

    k(x, y) = exp(-gamma * ||D (x - y)||^2),   D = diag(1 / s_1, ..., 1 / s_d),

with per-column scales ``s_j`` estimated from the island's **pooled reduced sets**
(no raw data: only the RKME points and weights) and a bandwidth ``gamma`` from a rule
chosen on validation markets. A specification's own ``gamma`` is ignored for
comparisons: a spec fitted with ``gamma=0.1``, ``"median"`` (say ``2.7e-7`` on raw
units) or ``10`` is compared like any other, and a ``gamma`` mismatch is never an
error. Because ``k(x, y) = exp(-gamma ||Dx - Dy||^2)``, scaling every point by ``D``
once (at index time) reduces the island kernel to an ordinary RBF kernel on the
scaled points, so the packed MMD code of :mod:`learnware_core.kernels` is reused as
is.

Column scales
-------------
Each learnware's reduced set gets the same total weight (its ``beta``, normalised to
sum to 1, divided by the number of specifications), so a learnware with many points
does not dominate. Per column: the weighted median is the centre and the weighted
inter-quartile range / 1.349 the scale (equal to the standard deviation for a normal
column, robust to the heavy tails of raw units). Where the IQR is zero (a binary or
mostly constant column) the weighted standard deviation is used; where that is zero
too (a constant column), the column's largest absolute value (1 for an all-zero
column), so a constant column is still compared in units of its own magnitude. All
three are equivariant: rescaling a column of every specification leaves the island
kernel's comparisons unchanged.

Bandwidth rules (``rule=``)
---------------------------
On the pooled, scaled points (weighted by the pooled ``beta``):

``"median"``
    ``gamma = 1 / (2 median ||D(x - x')||^2)`` over up to 1,000 points drawn by weight
    (the median heuristic, Garreau et al. 2017).
``"dim"``
    ``gamma = 1 / d``: the RBF of unit-variance columns (scikit-learn's ``"scale"``).
``"separation"`` (the default)
    The ``gamma`` of a grid (the median ``gamma`` times ``2^-3 ... 2^3``) that
    maximises the island's own signal-to-noise ratio: the median over pairs of
    learnwares of ``MMD^2_ab / (res_a + res_b)``, where ``res`` is a reduced set's
    resolution (the expected MMD^2 between a distribution and ``K_eff`` draws from
    it, as in ``search.index.spec_resolution``). Among grid values within 2 % of the
    best ratio the largest ``gamma`` is taken: for small ``gamma`` the MMD reduces
    to mean differences and the ratio plateaus. Needs >= 3 specifications, else it
    falls back to ``"median"``. Cost: one pooled distance matrix of at most 2,048
    points (whole reduced sets drawn at random) and 7 kernel evaluations of it.

Choice (``python -m benchmarks.island_kernel``; every number and the markets in
``docs/island-kernel.md``). 30 validation markets in raw units (4 task shapes: blob
mixtures, sub-population shifts, same-mean different-covariance, mixed column kinds
with and without a row-number column; d = 4, 8, 16; 6 tasks x 3 and 10 tasks x 2
learnwares fitted with gamma 0.1, "median", 0.01, 1; 480 users), mean
identification / worst market / mean pairwise AUC:

==================  ======  =====  ======
rule                ident.  worst  AUC
==================  ======  =====  ======
separation          0.984   0.85   0.9889
dim (1/d)           0.967   0.65   0.9798
median              0.956   0.75   0.9768
best fixed multiple 0.964   0.75   0.9837  (2 x median)
median, no scales   0.748   0.08   0.8901
==================  ======  =====  ======

No fixed bandwidth suits every market: mean-shift tasks are best served by a wide
kernel (1/8 of the median ``gamma``), covariance-only tasks by a narrow one (2-4x);
``"separation"`` picks each from the specifications alone.

Diagnostics
-----------
:func:`kernel_flatness` tells whether a specification's *own* kernel can discriminate
anything: the ``beta``-weighted mean off-diagonal kernel value of its reduced set
near 1 (flat: every point looks alike, every MMD^2 in a market agrees to a few
digits) or near 0 (narrow: every point is unrelated), columns whose range is
``>= 1e3`` times (or ``<= 1e-3`` times) the median column range, and columns the
kernel barely sees (``2 gamma Var(z_j) < 1e-3``: what the median ``gamma`` of a table
with a raw row-number column does to every other column), each with a message naming
the column. The island kernel does not depend on it; the CLI and the dock use it to
warn.

References
----------
Gretton, Borgwardt, Rasch, Schölkopf & Smola, "A kernel two-sample test", JMLR 13, 2012.
Garreau, Jitkrittum & Kanagawa, "Large sample analysis of the median heuristic",
arXiv:1707.07269, 2017.
Wu, Xu, Liu & Zhou, "Model reuse with reduced kernel mean embedding specification",
IEEE TKDE, 2023.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeGuard, cast, get_args

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core._validation import (
    as_2d_float,
    check_fitted,
    check_gamma,
    check_weights,
)
from learnware_core.errors import SpecificationError
from learnware_core.kernels import (
    _as_flat,
    _exp_inplace,
    _rbf_kernel,
    _sq_dists,
    packed_mmd_squared,
    packed_self_terms,
)
from learnware_core.specification.rkme import (
    RKMETableSpecification,
    median_heuristic_gamma,
)

__all__ = [
    "DEFAULT_RULE",
    "BandwidthRule",
    "IslandKernel",
    "KernelDiagnostics",
    "fit_island_kernel",
    "island_mmd_squared",
    "island_self_terms",
    "kernel_flatness",
    "spec_kernel_flatness",
    "stack_reduced_sets",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

BandwidthRule = Literal["median", "dim", "separation"]
"""How :func:`fit_island_kernel` chooses ``gamma`` (see the module docstring)."""

DEFAULT_RULE: BandwidthRule = "separation"
"""The rule chosen on the validation markets (docs/island-kernel.md)."""

SCHEMA_VERSION = 1

_IQR_TO_SIGMA = 1.3489795003921634  # IQR of the standard normal
_CONST_REL = 1e-9  # a scale below this times the column's max |value| counts as 0
_MEDIAN_POINTS = 1000  # pooled points the median heuristic looks at
_SEPARATION_GRID = tuple(2.0**k for k in range(-3, 4))
_SEPARATION_MAX_POINTS = 2048  # pooled points of the specs the grid search compares
_SEPARATION_MIN_SPECS = 3
_SEPARATION_TIE = 0.02  # relative SNR difference treated as a tie (see _bandwidth)


# ------------------------------------------------------------------ the kernel


@dataclass(frozen=True, eq=False)
class IslandKernel:
    """The kernel ``k(x, y) = exp(-gamma ||(x - y) / column_scales||^2)`` of an island.

    Build it with :func:`fit_island_kernel`; store it with :meth:`to_dict`.

    Attributes
    ----------
    column_scales : ndarray of shape (n_features,)
        ``s_j > 0`` in the columns' own units; ``D = diag(1 / s)``. Read-only.
    center : ndarray of shape (n_features,)
        Subtracted before scaling (the pooled weighted median). The kernel is
        translation invariant, so it changes no value; it only keeps scaled points
        near the origin, where the kernel expansions round best. Read-only.
    gamma : float
        Bandwidth on the scaled points, ``> 0``.
    rule : str
        The bandwidth rule that chose ``gamma`` (provenance only).
    n_specs : int
        Number of specifications the kernel was estimated from (provenance only).
    schema_version : int
        Version of the :meth:`to_dict` layout.

    Examples
    --------
    >>> kernel = IslandKernel(column_scales=np.array([1.0, 1e4]),
    ...                       center=np.zeros(2), gamma=0.5)
    >>> kernel.transform([[1.0, 2e4]]).tolist()
    [[1.0, 2.0]]
    """

    column_scales: FloatArray
    center: FloatArray
    gamma: float
    rule: str = DEFAULT_RULE
    n_specs: int = 0
    schema_version: int = field(default=SCHEMA_VERSION)

    def __post_init__(self) -> None:
        scales = _as_vector(self.column_scales, name="column_scales")
        if not (scales > 0).all():
            raise SpecificationError("column_scales must all be > 0")
        center = _as_vector(self.center, name="center", n=scales.shape[0])
        scales.setflags(write=False)
        center.setflags(write=False)
        n_specs = self.n_specs
        if isinstance(n_specs, bool) or not isinstance(n_specs, numbers.Integral):
            raise SpecificationError(f"n_specs must be an int, got {n_specs!r}")
        # Frozen dataclass: validated, owned, read-only copies replace the inputs.
        object.__setattr__(self, "column_scales", scales)
        object.__setattr__(self, "center", center)
        object.__setattr__(self, "gamma", check_gamma(self.gamma))
        object.__setattr__(self, "rule", str(self.rule))
        object.__setattr__(self, "n_specs", int(n_specs))
        if self.schema_version != SCHEMA_VERSION:
            raise SpecificationError(
                f"unsupported island kernel schema_version {self.schema_version!r}"
            )

    @property
    def n_features(self) -> int:
        """Number of columns ``d``."""
        return int(self.column_scales.shape[0])

    @property
    def diagonal(self) -> FloatArray:
        """The diagonal of ``D``, ``1 / column_scales``, shape (n_features,)."""
        out: FloatArray = 1.0 / self.column_scales
        return out

    def transform(self, Z: ArrayLike) -> FloatArray:
        """Scaled points ``(Z - center) / column_scales`` (a new array).

        Parameters
        ----------
        Z : array-like of shape (..., n_features)
            One set ``(K, d)``, stacked sets ``(N, K, d)`` or concatenated ``(M, d)``.

        Returns
        -------
        Zs : ndarray of the same shape, float64
        """
        try:
            arr = np.asarray(Z, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise SpecificationError(f"points must be numeric: {exc}") from exc
        if arr.ndim < 1 or arr.shape[-1] != self.n_features:
            raise SpecificationError(
                f"points have shape {arr.shape}; the island kernel has "
                f"{self.n_features} columns"
            )
        out: FloatArray = (arr - self.center) / self.column_scales
        return out

    def kernel_matrix(self, X: ArrayLike, Y: ArrayLike | None = None) -> FloatArray:
        """Kernel matrix ``exp(-gamma ||D(x - y)||^2)``.

        Parameters
        ----------
        X : array-like of shape (n_x, n_features)
        Y : array-like of shape (n_y, n_features), optional (default ``X``)

        Returns
        -------
        K : ndarray of shape (n_x, n_y)
        """
        Xs = as_2d_float(self.transform(X), name="X")
        if Y is None:
            return _rbf_kernel(Xs, Xs, self.gamma)
        Ys = as_2d_float(self.transform(Y), name="Y")
        return _rbf_kernel(Xs, Ys, self.gamma)

    def restrict(self, columns: Sequence[int]) -> IslandKernel:
        """The kernel on a subset of the columns (for members that lack some).

        ``gamma`` is multiplied by ``d / len(columns)`` so that the typical exponent
        ``gamma ||D(x - y)||^2`` (a sum over columns) keeps its size.

        Parameters
        ----------
        columns : sequence of int
            Distinct island column indices, at least one.

        Returns
        -------
        kernel : IslandKernel
        """
        idx = np.asarray(columns, dtype=np.int64)
        if (
            idx.ndim != 1
            or idx.shape[0] < 1
            or np.unique(idx).shape[0] != idx.shape[0]
            or idx.min() < 0
            or idx.max() >= self.n_features
        ):
            raise SpecificationError(
                f"columns must be distinct indices in [0, {self.n_features}), "
                f"got {list(columns)!r}"
            )
        return IslandKernel(
            column_scales=self.column_scales[idx],
            center=self.center[idx],
            gamma=self.gamma * self.n_features / idx.shape[0],
            rule=self.rule,
            n_specs=self.n_specs,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready layout: plain floats and lists, ``type``, ``schema_version``."""
        return {
            "type": "IslandKernel",
            "schema_version": self.schema_version,
            "gamma": float(self.gamma),
            "column_scales": self.column_scales.tolist(),
            "center": self.center.tolist(),
            "rule": self.rule,
            "n_specs": self.n_specs,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IslandKernel:
        """Inverse of :meth:`to_dict`.

        Raises
        ------
        SpecificationError
            Not a dict, wrong ``type``, missing keys, bad values or an unknown
            ``schema_version``.
        """
        if not isinstance(data, dict):
            raise SpecificationError("an island kernel must be a JSON object")
        if data.get("type", "IslandKernel") != "IslandKernel":
            raise SpecificationError(
                f"expected type 'IslandKernel', got {data.get('type')!r}"
            )
        missing = [k for k in ("gamma", "column_scales", "center") if k not in data]
        if missing:
            raise SpecificationError(f"island kernel lacks key(s) {missing}")
        return cls(
            column_scales=np.asarray(data["column_scales"], dtype=np.float64),
            center=np.asarray(data["center"], dtype=np.float64),
            gamma=data["gamma"],
            rule=str(data.get("rule", DEFAULT_RULE)),
            n_specs=data.get("n_specs", 0),
            schema_version=data.get("schema_version", SCHEMA_VERSION),
        )


# ------------------------------------------------------------------ fitting


def stack_reduced_sets(
    specs: Sequence[RKMETableSpecification],
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Concatenate fitted table RKMEs of one dimension, whatever their ``gamma``.

    Parameters
    ----------
    specs : sequence of RKMETableSpecification, length N >= 1

    Returns
    -------
    z : ndarray of shape (M, d)
        All reduced sets row-wise, ``M = sum_i K_i`` (a new array).
    beta : ndarray of shape (M,)
    offsets : ndarray of int64, shape (N + 1,)
        Specification ``i`` is rows ``offsets[i]:offsets[i + 1]``.

    Raises
    ------
    SpecificationError
        Empty input, unfitted specifications or different dimensions.
    """
    if len(specs) == 0:
        raise SpecificationError("at least one specification is needed")
    for spec in specs:
        if not isinstance(spec, RKMETableSpecification):
            raise SpecificationError(
                f"expected RKMETableSpecification, got {type(spec).__name__}"
            )
        check_fitted(spec, "z_")
    dims = {int(s.z_.shape[1]) for s in specs}
    if len(dims) != 1:
        raise SpecificationError(
            f"specifications of one island share their columns; got dimensions "
            f"{sorted(dims)}"
        )
    counts = np.array([s.z_.shape[0] for s in specs], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    z = np.concatenate([s.z_ for s in specs], axis=0).astype(np.float64, copy=False)
    beta = np.concatenate([s.beta_ for s in specs]).astype(np.float64, copy=False)
    return z, beta, offsets


def fit_island_kernel(
    Z_all: ArrayLike | Sequence[RKMETableSpecification],
    B_all: ArrayLike | None = None,
    *,
    offsets: ArrayLike | None = None,
    rule: BandwidthRule = DEFAULT_RULE,
    random_state: int | np.random.Generator | None = 0,
) -> IslandKernel:
    """Estimate an island's kernel from its specifications' reduced sets.

    Parameters
    ----------
    Z_all : sequence of RKMETableSpecification, or array-like
        The island's specifications (``B_all`` must then be None), or their points
        in the layout of :func:`~learnware_core.kernels.packed_mmd_squared`:
        stacked ``(N, K, d)``, or concatenated ``(M, d)`` with ``offsets``.
    B_all : array-like of shape (N, K), or (M,) with ``offsets``
        Weights; each set is normalised to total weight ``1 / N`` (negative
        weights count as 0), so every specification counts equally.
    offsets : array-like of int of shape (N + 1,), optional
        Ragged layout: set ``i`` is rows ``offsets[i]:offsets[i + 1]``.
    rule : {"median", "dim", "separation"}, default=DEFAULT_RULE
        Bandwidth rule on the scaled points (module docstring).
    random_state : int, numpy Generator or None, default=0
        Seeds the subsamples of the ``"median"`` and ``"separation"`` rules.

    Returns
    -------
    kernel : IslandKernel

    Raises
    ------
    SpecificationError
        Malformed points or weights, an unknown rule, or no positive weight.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> Z = rng.normal(size=(3, 20, 2)) * [1.0, 1e4]   # second column in raw units
    >>> kernel = fit_island_kernel(Z, np.full((3, 20), 0.05))
    >>> bool(kernel.column_scales[1] / kernel.column_scales[0] > 1e3)
    True
    """
    if rule not in get_args(BandwidthRule):
        raise SpecificationError(
            f"unknown bandwidth rule {rule!r}; use one of {get_args(BandwidthRule)}"
        )
    if _is_spec_sequence(Z_all):
        if B_all is not None or offsets is not None:
            raise SpecificationError(
                "pass either specifications or points and weights, not both"
            )
        z, beta, off = stack_reduced_sets(Z_all)
        Zflat, Bflat, seg, n_sets = _as_flat(z, beta, off, n_features=None)
    else:
        if B_all is None:
            raise SpecificationError("B_all (the weights) is required with points")
        points = cast(ArrayLike, Z_all)
        Zflat, Bflat, seg, n_sets = _as_flat(points, B_all, offsets, n_features=None)
    if n_sets == 0 or Zflat.shape[0] == 0:
        raise SpecificationError("an island kernel needs at least one point")

    w = _pooled_weights(Bflat, seg, n_sets)
    center, scales = _column_scales(Zflat, w)
    Zs = (Zflat - center) / scales
    rng = np.random.default_rng(random_state)
    gamma = _bandwidth(Zs, w, Bflat, seg, n_sets, rule, rng)
    return IslandKernel(
        column_scales=scales, center=center, gamma=gamma, rule=rule, n_specs=n_sets
    )


# ------------------------------------------------------------------ comparisons


def island_self_terms(
    Z_all: ArrayLike,
    B_all: ArrayLike,
    kernel: IslandKernel,
    *,
    offsets: ArrayLike | None = None,
    prescaled: bool = False,
) -> FloatArray:
    """``beta_i' K(z_i, z_i) beta_i`` under the island kernel, for many sets at once.

    Parameters
    ----------
    Z_all : array-like of shape (N, K, d), or (M, d) with ``offsets``
    B_all : array-like of shape (N, K), or (M,) with ``offsets``
    kernel : IslandKernel
    offsets : array-like of int of shape (N + 1,), optional
    prescaled : bool, default=False
        True if ``Z_all`` is already ``kernel.transform(points)`` (what an index
        stores), so no copy is scaled here.

    Returns
    -------
    self_terms : ndarray of shape (N,)
    """
    Zs = Z_all if prescaled else kernel.transform(Z_all)
    return packed_self_terms(Zs, B_all, gamma=kernel.gamma, offsets=offsets)


def island_mmd_squared(
    query_z: ArrayLike,
    query_beta: ArrayLike,
    Z_all: ArrayLike,
    B_all: ArrayLike,
    kernel: IslandKernel,
    *,
    offsets: ArrayLike | None = None,
    self_terms: ArrayLike | None = None,
    prescaled: bool = False,
) -> FloatArray:
    """Squared MMD from one RKME to each of many under the island kernel.

    The query's own ``gamma`` and the candidates' are irrelevant: every term uses
    ``k(x, y) = exp(-kernel.gamma ||D(x - y)||^2)``.

    Parameters
    ----------
    query_z : array-like of shape (K_q, d)
        The query's reduced set in the columns' own units (never prescaled).
    query_beta : array-like of shape (K_q,)
    Z_all : array-like of shape (N, K, d), or (M, d) with ``offsets``
        The candidates' reduced sets (raw units, or scaled if ``prescaled``).
    B_all : array-like of shape (N, K), or (M,) with ``offsets``
    kernel : IslandKernel
    offsets : array-like of int of shape (N + 1,), optional
    self_terms : array-like of shape (N,), optional
        Precomputed :func:`island_self_terms` of the candidates.
    prescaled : bool, default=False
        True if ``Z_all`` is already ``kernel.transform(points)``.

    Returns
    -------
    mmd2 : ndarray of shape (N,)
        Clipped at 0. Entry ``i`` equals the explicit three-term formula under the
        island kernel up to rounding.

    Examples
    --------
    >>> kernel = IslandKernel(column_scales=np.array([1e4]), center=np.zeros(1),
    ...                       gamma=0.5)
    >>> Z = np.array([[[0.0]], [[1e4]]])
    >>> island_mmd_squared([[0.0]], [1.0], Z, np.ones((2, 1)), kernel).round(4)
    array([0.    , 0.7869])
    """
    Q = kernel.transform(query_z)
    Zs = Z_all if prescaled else kernel.transform(Z_all)
    return packed_mmd_squared(
        Q,
        query_beta,
        Zs,
        B_all,
        gamma=kernel.gamma,
        offsets=offsets,
        self_terms=self_terms,
    )


# ------------------------------------------------------------------ diagnostics


@dataclass(frozen=True)
class KernelDiagnostics:
    """Whether a specification's own kernel can tell distributions apart.

    Attributes
    ----------
    gamma : float
        The kernel parameter examined.
    mean_kernel : float
        ``beta``-weighted mean of ``k(z_i, z_j)`` over distinct points ``i != j``
        (NaN for a single point).
    status : {"ok", "flat", "narrow"}
        ``"flat"`` if ``mean_kernel > flat_above`` (all points look alike),
        ``"narrow"`` if ``mean_kernel < narrow_below`` (all points are unrelated).
    column_ranges : tuple of float, length n_features
        ``max - min`` of each column of the reduced set.
    range_ratios : tuple of float, length n_features
        Each range divided by the median range of the non-constant columns (NaN for
        constant columns).
    column_visibility : tuple of float, length n_features
        ``2 gamma Var_beta(z_j)``: the column's expected share of the exponent
        ``gamma ||x - y||^2`` between two points of the distribution.
    wide_columns : tuple of int
        Columns with ``range_ratio >= range_warn``: they dominate every distance.
    tiny_columns : tuple of int
        Non-constant columns with ``range_ratio <= 1 / range_warn``.
    invisible_columns : tuple of int
        Non-constant columns with ``column_visibility < invisible_below``: the
        kernel barely changes along them, so the specification's own comparisons
        ignore them (what a row number in raw units does to every other column).
    warnings : tuple of str
        Ready-to-print messages, one per problem (empty if none).
    """

    gamma: float
    mean_kernel: float
    status: Literal["ok", "flat", "narrow"]
    column_ranges: tuple[float, ...]
    range_ratios: tuple[float, ...]
    column_visibility: tuple[float, ...]
    wide_columns: tuple[int, ...]
    tiny_columns: tuple[int, ...]
    invisible_columns: tuple[int, ...]
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True iff there is nothing to warn about."""
        return not self.warnings


def kernel_flatness(
    z: ArrayLike,
    beta: ArrayLike,
    gamma: float,
    *,
    column_names: Sequence[str] | None = None,
    flat_above: float = 0.99,
    narrow_below: float = 1e-3,
    range_warn: float = 1e3,
    invisible_below: float = 1e-3,
) -> KernelDiagnostics:
    """Diagnose a reduced set under its own Gaussian kernel ``exp(-gamma ||.||^2)``.

    Parameters
    ----------
    z : array-like of shape (K, n_features)
        Reduced set, in the units the specification was fitted in.
    beta : array-like of shape (K,)
        Weights (their absolute values weigh the pairs).
    gamma : float
        The specification's own kernel parameter, > 0.
    column_names : sequence of str, length n_features, optional
        Used in the messages (default: ``"column 3"`` style names).
    flat_above, narrow_below : float, default=0.99, 1e-3
        Thresholds on the mean off-diagonal kernel value.
    range_warn : float, default=1e3
        Column range ratio (to the median column range) that triggers a warning.
    invisible_below : float, default=1e-3
        Column visibility below which a varying column counts as invisible
        (the kernel changes by less than 0.1 % along a typical difference).

    Returns
    -------
    diagnostics : KernelDiagnostics

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> z = rng.normal(size=(30, 3)) * [1.0, 1.0, 1e4]
    >>> diag = kernel_flatness(z, np.full(30, 1 / 30), 2.7e-7,
    ...                        column_names=["dep_delay", "distance", "row_id"])
    >>> diag.status, diag.wide_columns, diag.invisible_columns
    ('ok', (2,), (0, 1))
    >>> print(diag.warnings[0][:50])
    column 'row_id' has a range 10^4 times the others:
    """
    g = check_gamma(gamma)
    Z = as_2d_float(z, name="z")
    w = np.abs(check_weights(beta, n_points=Z.shape[0]))
    d = Z.shape[1]
    names = _column_names(column_names, d)

    Zc = Z - Z.mean(axis=0)
    K = _rbf_kernel(Zc, Zc, g)
    pair_mass = float(w.sum() ** 2 - w @ w)
    mean_kernel = float("nan")
    if pair_mass > 0.0:
        mean_kernel = float((w @ K @ w - w @ w) / pair_mass)
    status: Literal["ok", "flat", "narrow"] = "ok"
    if mean_kernel > flat_above:
        status = "flat"
    elif mean_kernel < narrow_below:
        status = "narrow"

    ranges = Z.max(axis=0) - Z.min(axis=0)
    varying = ranges > _CONST_REL * np.abs(Z).max(axis=0)
    ratios = np.full(d, np.nan)
    if varying.any():
        ratios[varying] = ranges[varying] / float(np.median(ranges[varying]))
    wide = tuple(int(j) for j in np.flatnonzero(varying & (ratios >= range_warn)))
    tiny = tuple(int(j) for j in np.flatnonzero(varying & (ratios <= 1.0 / range_warn)))
    p = w / w.sum() if w.sum() > 0 else np.full(Z.shape[0], 1.0 / Z.shape[0])
    variance = p @ (Zc - p @ Zc) ** 2
    visibility = 2.0 * g * variance
    invisible = tuple(
        int(j) for j in np.flatnonzero(varying & (visibility < invisible_below))
    )

    messages: list[str] = []
    if status == "flat":
        messages.append(
            f"the kernel (gamma={g:.3g}) is flat on this data: the mean kernel value "
            f"between its points is {mean_kernel:.6f}, so every comparison under it "
            "looks alike; standardise the columns or let the dock choose the kernel"
        )
    elif status == "narrow":
        messages.append(
            f"the kernel (gamma={g:.3g}) is too narrow for this data: the mean kernel "
            f"value between its points is {mean_kernel:.2e}, so every pair of points "
            "looks unrelated; standardise the columns or let the dock choose the kernel"
        )
    for j in wide:
        power = round(math.log10(ratios[j]))
        messages.append(
            f"column {names[j]!r} has a range 10^{power} times the others: "
            "standardise it or let the dock scale it"
        )
    for j in tiny:
        power = round(math.log10(ratios[j]))
        messages.append(
            f"column {names[j]!r} has a range 10^{power} times the others: "
            "standardise it or let the dock scale it"
        )
    if invisible and status != "flat":
        listed = ", ".join(repr(names[j]) for j in invisible[:5])
        more = f" and {len(invisible) - 5} more" if len(invisible) > 5 else ""
        messages.append(
            f"the kernel (gamma={g:.3g}) barely sees column(s) {listed}{more}: "
            "comparisons under it ignore their differences; standardise the columns "
            "or let the dock choose the kernel"
        )
    return KernelDiagnostics(
        gamma=g,
        mean_kernel=mean_kernel,
        status=status,
        column_ranges=tuple(float(r) for r in ranges),
        range_ratios=tuple(float(r) for r in ratios),
        column_visibility=tuple(float(v) for v in visibility),
        wide_columns=wide,
        tiny_columns=tiny,
        invisible_columns=invisible,
        warnings=tuple(messages),
    )


def spec_kernel_flatness(
    spec: RKMETableSpecification,
    *,
    column_names: Sequence[str] | None = None,
) -> KernelDiagnostics:
    """:func:`kernel_flatness` of a fitted table RKME under its own ``gamma_``."""
    check_fitted(spec, "z_")
    return kernel_flatness(spec.z_, spec.beta_, spec.gamma_, column_names=column_names)


# ------------------------------------------------------------------ private compute


def _as_vector(values: object, *, name: str, n: int | None = None) -> FloatArray:
    try:
        arr = np.array(values, dtype=np.float64)  # a copy: the kernel owns it
    except (TypeError, ValueError) as exc:
        raise SpecificationError(f"{name} must be numeric: {exc}") from exc
    if arr.ndim != 1 or arr.shape[0] < 1 or (n is not None and arr.shape[0] != n):
        want = f"({n},)" if n is not None else "(n_features,) with n_features >= 1"
        raise SpecificationError(f"{name} must have shape {want}, got {arr.shape}")
    if not np.isfinite(arr).all():
        raise SpecificationError(f"{name} contains NaN or infinite values")
    return arr


def _is_spec_sequence(obj: object) -> TypeGuard[Sequence[RKMETableSpecification]]:
    return (
        isinstance(obj, Sequence)
        and len(obj) > 0
        and all(isinstance(s, RKMETableSpecification) for s in obj)
    )


def _column_names(names: Sequence[str] | None, d: int) -> list[str]:
    if names is None:
        return [f"column {j}" for j in range(d)]
    out = [str(n) for n in names]
    if len(out) != d:
        raise SpecificationError(f"column_names has {len(out)} names for {d} columns")
    return out


def _pooled_weights(B: FloatArray, seg: IntArray, n_sets: int) -> FloatArray:
    """Non-negative pooled weights: every set sums to ``1 / n_sets`` (M,)."""
    pos = np.maximum(B, 0.0)
    totals = np.bincount(seg, weights=pos, minlength=n_sets)
    counts = np.bincount(seg, minlength=n_sets).astype(np.float64)
    # A set without positive weight (not an RKME) counts with uniform weights.
    empty = totals[seg] <= 0.0
    pos = np.where(empty, 1.0, pos)
    totals = np.where(totals > 0.0, totals, counts)
    w = pos / totals[seg]
    out: FloatArray = w / w.sum()
    return out


def _weighted_quantiles(
    X: FloatArray, w: FloatArray, qs: Sequence[float]
) -> FloatArray:
    """Per-column weighted quantiles (midpoint CDF, linear interpolation): (len(qs), d).

    ``w >= 0`` with a positive sum; rows of zero weight are ignored.
    """
    keep = w > 0.0
    Xk, wk = X[keep], w[keep]
    order = np.argsort(Xk, axis=0, kind="stable")
    Xs = np.take_along_axis(Xk, order, axis=0)
    ws = wk[order]
    cdf = (np.cumsum(ws, axis=0) - 0.5 * ws) / wk.sum()
    q = np.asarray(qs, dtype=np.float64)
    out = np.empty((q.shape[0], X.shape[1]))
    for j in range(X.shape[1]):  # columns, not learnwares; np.interp is 1-D only
        out[:, j] = np.interp(q, cdf[:, j], Xs[:, j])
    return out


def _column_scales(Z: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Weighted median and robust scale of each column, both (d,)."""
    q25, q50, q75 = _weighted_quantiles(Z, w, (0.25, 0.5, 0.75))
    scale = (q75 - q25) / _IQR_TO_SIGMA
    mean = w @ Z
    std = np.sqrt(np.maximum(w @ (Z - mean) ** 2, 0.0))
    magnitude = np.abs(Z).max(axis=0)
    tiny = _CONST_REL * magnitude
    scale = np.where(scale > tiny, scale, std)
    scale = np.where(scale > tiny, scale, np.where(magnitude > 0.0, magnitude, 1.0))
    return q50, scale


def _bandwidth(
    Zs: FloatArray,
    w: FloatArray,
    B: FloatArray,
    seg: IntArray,
    n_sets: int,
    rule: BandwidthRule,
    rng: np.random.Generator,
) -> float:
    if rule == "dim":
        return 1.0 / int(Zs.shape[1])
    gamma_median = _median_gamma(Zs, w, rng)
    if rule == "median" or n_sets < _SEPARATION_MIN_SPECS:
        return gamma_median
    grid = np.array(_SEPARATION_GRID) * gamma_median
    scores = _separation_scores(Zs, B, seg, n_sets, grid, rng)
    # The SNR plateaus where MMD reduces to mean differences (small gamma): among
    # near-ties take the largest gamma, which still sees higher moments.
    near_best = np.flatnonzero(scores >= (1.0 - _SEPARATION_TIE) * scores.max())
    return float(grid[int(near_best.max())])


def _median_gamma(Zs: FloatArray, w: FloatArray, rng: np.random.Generator) -> float:
    """Median heuristic on up to ``_MEDIAN_POINTS`` pooled points drawn by weight."""
    n_pos = int(np.count_nonzero(w))
    size = min(_MEDIAN_POINTS, n_pos)
    rows = rng.choice(Zs.shape[0], size=size, replace=False, p=w)
    return median_heuristic_gamma(Zs[rows], max_samples=_MEDIAN_POINTS, rng=rng)


def _gram_of_sets(SQ: FloatArray, S: FloatArray, gamma: float) -> FloatArray:
    """``G_ab = beta_a' K(z_a, z_b) beta_b`` from pooled squared distances (N, N)."""
    K = SQ * -gamma
    _exp_inplace(K)
    G: FloatArray = S @ K @ S.T
    return G


def _separation_scores(
    Zs: FloatArray,
    B: FloatArray,
    seg: IntArray,
    n_sets: int,
    gammas: FloatArray,
    rng: np.random.Generator,
) -> FloatArray:
    """Median signal-to-noise ratio of the between-set MMDs, one per ``gamma``.

    ``snr_ab = MMD^2_ab / (res_a + res_b)``, where ``res`` is a set's resolution
    (``(sum_j beta_j - ||phi||^2) sum_j beta_j^2``, the expected MMD^2 between a
    distribution and ``K_eff`` draws from it; see ``search.index.spec_resolution``).
    At most ``_SEPARATION_MAX_POINTS`` pooled points (whole sets, drawn at random).
    """
    sets = rng.permutation(n_sets)
    counts = np.bincount(seg, minlength=n_sets)
    chosen = sets[np.cumsum(counts[sets]) <= _SEPARATION_MAX_POINTS]
    if chosen.shape[0] < _SEPARATION_MIN_SPECS:
        chosen = sets[:_SEPARATION_MIN_SPECS]
    chosen = np.sort(chosen)
    rows = np.flatnonzero(np.isin(seg, chosen))
    local = np.searchsorted(chosen, seg[rows])
    n = chosen.shape[0]
    S = np.zeros((n, rows.shape[0]))
    S[local, np.arange(rows.shape[0])] = B[rows]
    mass = S.sum(axis=1)
    concentration = np.einsum("ij,ij->i", S, S)
    P = Zs[rows]
    SQ = _sq_dists(P, P)
    np.fill_diagonal(SQ, 0.0)
    off = ~np.eye(n, dtype=bool)
    scores = np.empty(gammas.shape[0])
    for t, g in enumerate(gammas):  # a short grid
        G = _gram_of_sets(SQ, S, float(g))
        diag = np.diag(G)
        mmd2 = np.maximum(diag[:, None] + diag[None, :] - 2.0 * G, 0.0)
        res = np.maximum((mass - diag) * concentration, 1e-300)
        snr = mmd2 / (res[:, None] + res[None, :])
        scores[t] = float(np.median(snr[off]))
    return scores
