"""Gaussian (RBF) kernel and maximum mean discrepancy (MMD) between weighted point sets.

Convention (the same as the original ``learnware`` package): ``k(x, y) =
exp(-gamma * ||x - y||^2)``. A weighted point set ``(Z, b)`` stands for the kernel
mean embedding ``sum_i b_i k(z_i, .)``; the squared MMD between two of them is

    MMD^2 = b1' K(Z1, Z1) b1 - 2 b1' K(Z1, Z2) b2 + b2' K(Z2, Z2) b2,

always evaluated with **one** kernel (one ``gamma``) for all three terms.

Public functions validate their inputs and never write into them; the ``_``-prefixed
helpers assume validated float64 arrays. Large products are computed in row blocks of
at most ``_BLOCK_ELEMENTS`` kernel entries, so memory stays bounded (≈32 MiB) even for
100,000 points.

References
----------
Gretton, Borgwardt, Rasch, Schölkopf & Smola, "A kernel two-sample test", JMLR 13, 2012.
Wu, Xu, Liu & Zhou, "Model reuse with reduced kernel mean embedding
specification", IEEE TKDE, 2023 (arXiv:2001.07135).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core._validation import (
    as_2d_float,
    check_gamma,
    check_weights,
)
from learnware_core.errors import SpecificationError

__all__ = [
    "mmd_squared",
    "mmd_squared_to_data",
    "packed_mmd_squared",
    "packed_self_terms",
    "rbf_kernel",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_BLOCK_ELEMENTS = 1 << 22  # kernel entries per block: 4 Mi float64 = 32 MiB
_EXPANSION_SAFE = 1e3  # gamma * |x|^2 above this: rounding of the expansion > 1e-13
_FACTOR_SAFE = 300.0  # factorised kernel: exponents within exp's float64 range


# ------------------------------------------------------------------ public API


def rbf_kernel(X: ArrayLike, Y: ArrayLike | None = None, *, gamma: float) -> FloatArray:
    """Gaussian kernel matrix ``exp(-gamma * ||x - y||^2)``.

    Parameters
    ----------
    X : array-like of shape (n_x, n_features)
    Y : array-like of shape (n_y, n_features), default=None
        If None, ``Y = X`` and the diagonal is exactly 1.
    gamma : float
        Kernel width parameter, > 0.

    Returns
    -------
    K : ndarray of shape (n_x, n_y), float64

    Raises
    ------
    SpecificationError
        Non-finite values, mismatched widths or ``gamma <= 0``.

    Examples
    --------
    >>> K = rbf_kernel([[0.0, 0.0], [1.0, 0.0]], gamma=0.5)
    >>> K.round(4).tolist()
    [[1.0, 0.6065], [0.6065, 1.0]]
    """
    g = check_gamma(gamma)
    Xa = as_2d_float(X, name="X")
    if Y is None:
        return _rbf_kernel(Xa, Xa, g)
    Ya = as_2d_float(Y, name="Y", n_features=Xa.shape[1])
    return _rbf_kernel(Xa, Ya, g)


def mmd_squared(
    Z1: ArrayLike,
    b1: ArrayLike,
    Z2: ArrayLike,
    b2: ArrayLike,
    *,
    gamma: float,
) -> float:
    """Squared MMD between two weighted point sets under one RBF kernel.

    Parameters
    ----------
    Z1 : array-like of shape (n1, n_features)
    b1 : array-like of shape (n1,)
        Weights of ``Z1`` (any real values; RKME weights are on the simplex).
    Z2 : array-like of shape (n2, n_features)
    b2 : array-like of shape (n2,)
    gamma : float
        Kernel parameter shared by all three terms, > 0.

    Returns
    -------
    mmd2 : float
        ``>= 0``; rounding residues below zero are clipped to 0.

    Raises
    ------
    SpecificationError
        Mismatched shapes, non-finite values or ``gamma <= 0``.

    Examples
    --------
    >>> mmd_squared([[0.0]], [1.0], [[0.0]], [1.0], gamma=1.0)
    0.0
    """
    g = check_gamma(gamma)
    A = as_2d_float(Z1, name="Z1")
    B = as_2d_float(Z2, name="Z2", n_features=A.shape[1])
    wa = check_weights(b1, n_points=A.shape[0], name="b1")
    wb = check_weights(b2, n_points=B.shape[0], name="b2")
    return _mmd_squared(A, wa, B, wb, g)


def mmd_squared_to_data(
    Z: ArrayLike,
    beta: ArrayLike,
    X: ArrayLike,
    *,
    gamma: float,
) -> float:
    """Squared MMD between a weighted set and the empirical embedding of a sample.

    The sample gets uniform weights ``1/n``. The ``n x n`` data term is accumulated in
    row blocks, so memory is bounded, but time is ``O(n^2 d)`` (≈ a minute for
    ``n = 100,000``); use it for evaluation, not inside loops.

    Parameters
    ----------
    Z : array-like of shape (n_points, n_features)
    beta : array-like of shape (n_points,)
    X : array-like of shape (n_samples, n_features)
        Must be finite (impute first).
    gamma : float
        Kernel parameter, > 0.

    Returns
    -------
    mmd2 : float
        ``>= 0``.
    """
    g = check_gamma(gamma)
    A = as_2d_float(Z, name="Z")
    w = check_weights(beta, n_points=A.shape[0])
    D = as_2d_float(X, name="X", n_features=A.shape[1])
    u = np.full(D.shape[0], 1.0 / D.shape[0])
    return _mmd_squared(A, w, D, u, g)


def packed_self_terms(
    Z_all: ArrayLike,
    B_all: ArrayLike,
    *,
    gamma: float,
    offsets: ArrayLike | None = None,
) -> FloatArray:
    """``b_i' K(Z_i, Z_i) b_i`` for many point sets at once (the RKHS norms squared).

    Search can compute these once per stored specification and pass them to
    :func:`packed_mmd_squared` as ``self_terms``.

    Parameters
    ----------
    Z_all : array-like of shape (N, K, d), or (M, d) with ``offsets``
        Either equally sized sets stacked, or ragged sets concatenated row-wise.
    B_all : array-like of shape (N, K), or (M,) with ``offsets``
    gamma : float
    offsets : array-like of int of shape (N + 1,), optional
        Set ``i`` is rows ``offsets[i]:offsets[i + 1]`` (non-decreasing, starts at 0,
        ends at ``M``). Required iff ``Z_all`` is 2-D.

    Returns
    -------
    self_terms : ndarray of shape (N,)
    """
    g = check_gamma(gamma)
    Z3, B2 = _as_padded(Z_all, B_all, offsets, n_features=None)
    return _packed_self_terms(Z3, B2, g)


def packed_mmd_squared(
    query_z: ArrayLike,
    query_beta: ArrayLike,
    Z_all: ArrayLike,
    B_all: ArrayLike,
    *,
    gamma: float,
    offsets: ArrayLike | None = None,
    self_terms: ArrayLike | None = None,
) -> FloatArray:
    """Squared MMD from one weighted set to each of many, in one vectorised pass.

    Parameters
    ----------
    query_z : array-like of shape (K_q, d)
    query_beta : array-like of shape (K_q,)
    Z_all : array-like of shape (N, K, d), or (M, d) with ``offsets``
        The candidate sets, equally sized and stacked, or ragged and concatenated.
    B_all : array-like of shape (N, K), or (M,) with ``offsets``
    gamma : float
        The one kernel parameter shared by the query and all candidates.
    offsets : array-like of int of shape (N + 1,), optional
        Ragged layout: set ``i`` is rows ``offsets[i]:offsets[i + 1]``.
    self_terms : array-like of shape (N,), optional
        Precomputed :func:`packed_self_terms` of the candidates (saves ``O(N K^2 d)``).

    Returns
    -------
    mmd2 : ndarray of shape (N,)
        Entry ``i`` equals ``mmd_squared(query_z, query_beta, Z_i, B_i, gamma=gamma)``
        up to rounding; clipped at 0.

    Examples
    --------
    >>> Z = np.zeros((2, 1, 1)); Z[1] = 1.0
    >>> packed_mmd_squared([[0.0]], [1.0], Z, np.ones((2, 1)), gamma=1.0).round(4)
    array([0.    , 1.2642])
    """
    g = check_gamma(gamma)
    Q = as_2d_float(query_z, name="query_z")
    q = check_weights(query_beta, n_points=Q.shape[0], name="query_beta")
    Zflat, Bflat, seg, n_sets = _as_flat(Z_all, B_all, offsets, n_features=Q.shape[1])

    cross: FloatArray = np.zeros(n_sets)
    shift = Q.mean(axis=0)  # translation invariance: better rounding far from 0
    Qc = Q - shift
    if Zflat.shape[0]:
        # q' K(Q, Z_flat) -> one weight per stored point, then sum per set.
        w = _weighted_kernel_rows(Zflat - shift, Qc, q, g)
        cross = np.bincount(seg, weights=w * Bflat, minlength=n_sets).astype(np.float64)

    if self_terms is None:
        Z3, B2 = _as_padded(Z_all, B_all, offsets, n_features=Q.shape[1])
        selfs = _packed_self_terms(Z3, B2, g)
    else:
        selfs = check_weights(self_terms, n_points=n_sets, name="self_terms")
    qq = _kernel_sum(Qc, q, Qc, q, g)
    out = qq - 2.0 * cross + selfs
    np.maximum(out, 0.0, out=out)
    return out


# ------------------------------------------------------------------ private helpers


def _sq_dists(
    X: FloatArray,
    Y: FloatArray,
    x_sq: FloatArray | None = None,
    y_sq: FloatArray | None = None,
) -> FloatArray:
    """Squared Euclidean distances (n_x, n_y), clamped at 0 (rounding can go below)."""
    if x_sq is None:
        x_sq = np.einsum("ij,ij->i", X, X)
    if y_sq is None:
        y_sq = np.einsum("ij,ij->i", Y, Y)
    sq = X @ Y.T
    sq *= -2.0
    sq += x_sq[:, None]
    sq += y_sq[None, :]
    np.maximum(sq, 0.0, out=sq)
    return sq


def _rbf_kernel(
    X: FloatArray,
    Y: FloatArray,
    gamma: float,
    x_sq: FloatArray | None = None,
    y_sq: FloatArray | None = None,
) -> FloatArray:
    """Kernel matrix of validated inputs; the diagonal is exactly 1 if ``Y is X``.

    ``|x|^2 - 2 x.y + |y|^2`` has absolute rounding error ~ ``eps * |x|^2``; when that
    matters (``gamma * |x|^2`` large) and the block is small, the differences are
    formed explicitly instead.
    """
    if x_sq is None:
        x_sq = np.einsum("ij,ij->i", X, X)
    if y_sq is None:
        y_sq = np.einsum("ij,ij->i", Y, Y)
    sq: FloatArray
    far = (
        X.size > 0
        and Y.size > 0
        and gamma * max(x_sq.max(), y_sq.max()) > _EXPANSION_SAFE
    )
    if far and X.shape[0] * Y.shape[0] * X.shape[1] <= _BLOCK_ELEMENTS:
        diff = X[:, None, :] - Y[None, :, :]
        sq = np.einsum("ijk,ijk->ij", diff, diff)
    else:
        sq = _sq_dists(X, Y, x_sq, y_sq)
    if Y is X:
        np.fill_diagonal(sq, 0.0)
    sq *= -gamma
    np.exp(sq, out=sq)
    return sq


_TORCH_EXP_MIN = 1 << 16  # elements: below this numpy's exp is as fast


@functools.cache
def _torch() -> Any:
    """The ``torch`` module if it imports, else None (imported on first use)."""
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency
        return None
    return torch


def preload(*, single_blas_thread: bool = False) -> None:
    """Import torch now (seconds on a busy machine), not in the first large kernel.

    ``single_blas_thread``: also pin numpy's and scipy's BLAS to one thread, for
    processes that mostly evaluate kernels (a search worker). Kernel blocks
    alternate small BLAS products with torch's multi-threaded exponentials; two
    thread pools spinning on the same cores made mixture searches ~2x slower.
    """
    _torch()
    if single_blas_thread:
        import scipy.linalg  # noqa: F401  (load its BLAS so the limit covers it)
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")


def _exp_inplace(a: NDArray[Any]) -> None:
    """``np.exp(a, out=a)`` for a float32/float64 array, faster when large.

    Large C-contiguous arrays go through torch's in-place exponential:
    SLEEF-vectorised and multi-threaded, ~3x numpy's float64 ``exp`` per core on
    AVX2 machines (numpy vectorises float64 ``exp`` only with AVX-512), same
    accuracy class (<= 1 ulp). The exponential dominates every kernel evaluation.
    """
    torch = _torch() if a.size >= _TORCH_EXP_MIN and a.flags.c_contiguous else None
    if torch is None:
        np.exp(a, out=a)
    else:
        torch.from_numpy(a).exp_()


def _weighted_kernel_rows(
    Y: FloatArray, X: FloatArray, w: FloatArray, gamma: float
) -> FloatArray:
    """``K(Y, X) @ w`` of shape (n_y,), blocked over the rows of ``Y``.

    Factorised when exponents stay in range (``gamma |.|^2 <= _FACTOR_SAFE``):
    ``k(y, x) = exp(-gamma |y|^2) exp(2 gamma y.x - gamma |x|^2)``, so a block costs
    one matrix product, one exponential and one matrix-vector product (half the
    memory passes of forming squared distances); same rounding order,
    ``eps * gamma (|x| + |y|)^2``.
    """
    out = np.empty(Y.shape[0])
    x_sq = np.einsum("ij,ij->i", X, X)
    step = max(1, _BLOCK_ELEMENTS // max(1, X.shape[0]))
    y_sq = np.einsum("ij,ij->i", Y, Y)
    if Y.size and X.size and gamma * max(x_sq.max(), y_sq.max()) <= _FACTOR_SAFE:
        XT = np.ascontiguousarray((2.0 * gamma) * X.T)
        bias = -gamma * x_sq
        torch = _torch() if Y.shape[0] * X.shape[0] >= _TORCH_EXP_MIN else None
        if torch is not None:
            # The whole block in torch: one thread pool for the product and the
            # exponential (numpy's BLAS threads and torch's OpenMP threads spin
            # against each other: 2x slower on 2 cores when mixed).
            XT_t, bias_t = torch.from_numpy(XT), torch.from_numpy(bias)
            w_t = torch.from_numpy(np.ascontiguousarray(w, dtype=np.float64))
            for start in range(0, Y.shape[0], step):
                Yb = torch.from_numpy(np.ascontiguousarray(Y[start : start + step]))
                block_t = torch.addmm(bias_t, Yb, XT_t)
                block_t.exp_()
                out[start : start + step] = torch.mv(block_t, w_t).numpy()
            out *= np.exp(-gamma * y_sq)
            return out
        for start in range(0, Y.shape[0], step):
            block = Y[start : start + step] @ XT
            block += bias
            _exp_inplace(block)
            out[start : start + step] = block @ w
        out *= np.exp(-gamma * y_sq)
        return out
    for start in range(0, Y.shape[0], step):
        stop = min(start + step, Y.shape[0])
        out[start:stop] = _rbf_kernel(Y[start:stop], X, gamma, y_sq=x_sq) @ w
    return out


def _kernel_sum(
    A: FloatArray, wa: FloatArray, B: FloatArray, wb: FloatArray, gamma: float
) -> float:
    """``wa' K(A, B) wb`` as given (no shift), blocked over the rows of ``A``."""
    if A is B and A.shape[0] * B.shape[0] <= _BLOCK_ELEMENTS:
        return float(wa @ _rbf_kernel(A, A, gamma) @ wb)
    return float(wa @ _weighted_kernel_rows(A, B, wb, gamma))


def _weighted_kernel_sum(
    A: FloatArray, wa: FloatArray, B: FloatArray, wb: FloatArray, gamma: float
) -> float:
    """``wa' K(A, B) wb``.

    Both sets are first shifted by the mean of ``A``: the kernel is translation
    invariant, and ``|a|^2 - 2 a.b + |b|^2`` loses precision far from the origin.
    """
    shift = A.mean(axis=0)
    Ac = A - shift
    Bc = Ac if B is A else B - shift
    return _kernel_sum(Ac, wa, Bc, wb, gamma)


def _mmd_squared(
    A: FloatArray, wa: FloatArray, B: FloatArray, wb: FloatArray, gamma: float
) -> float:
    """Squared MMD of validated sets; each term is computed in shifted coordinates."""
    shift = A.mean(axis=0)
    Ac = A - shift
    Bc = Ac if B is A else B - B.mean(axis=0)
    Bx = Ac if B is A else B - shift
    aa = _kernel_sum(Ac, wa, Ac, wa, gamma)
    bb = _kernel_sum(Bc, wb, Bc, wb, gamma)
    ab = _kernel_sum(Ac, wa, Bx, wb, gamma)
    return max(aa - 2.0 * ab + bb, 0.0)


def _check_offsets(offsets: ArrayLike, n_rows: int) -> IntArray:
    try:
        off = np.asarray(offsets, dtype=np.int64)
    except (TypeError, ValueError) as exc:
        raise SpecificationError(f"offsets must be integers: {exc}") from exc
    if (
        off.ndim != 1
        or off.shape[0] < 1
        or off[0] != 0
        or off[-1] != n_rows
        or np.any(np.diff(off) < 0)
    ):
        raise SpecificationError(
            f"offsets must be non-decreasing, start at 0 and end at {n_rows}"
        )
    return off


def _as_flat(
    Z_all: ArrayLike,
    B_all: ArrayLike,
    offsets: ArrayLike | None,
    *,
    n_features: int | None,
) -> tuple[FloatArray, FloatArray, IntArray, int]:
    """Concatenated points (M, d), weights (M,), set id of each point (M,), N."""
    Z = np.asarray(Z_all, dtype=np.float64)
    if offsets is None:
        if Z.ndim != 3:
            raise SpecificationError(
                f"Z_all must be (N, K, d) without offsets, got shape {Z.shape}"
            )
        n_sets, k, d = Z.shape
        Zflat = as_2d_float(Z.reshape(n_sets * k, d), name="Z_all", n_features=None)
        B = np.asarray(B_all, dtype=np.float64)
        if B.shape != (n_sets, k):
            raise SpecificationError(
                f"B_all must have shape {(n_sets, k)}, got {B.shape}"
            )
        Bflat = check_weights(B.reshape(-1), n_points=n_sets * k, name="B_all")
        seg = np.repeat(np.arange(n_sets, dtype=np.int64), k)
    else:
        if Z.ndim != 2:
            raise SpecificationError(
                f"Z_all must be (M, d) with offsets, got shape {Z.shape}"
            )
        Zflat = as_2d_float(Z, name="Z_all", min_samples=0)
        Bflat = check_weights(B_all, n_points=Zflat.shape[0], name="B_all")
        off = _check_offsets(offsets, Zflat.shape[0])
        n_sets = off.shape[0] - 1
        seg = np.repeat(np.arange(n_sets, dtype=np.int64), np.diff(off))
    if n_features is not None and Zflat.shape[1] != n_features:
        raise SpecificationError(
            f"Z_all has {Zflat.shape[1]} features, the query has {n_features}"
        )
    return Zflat, Bflat, seg, int(n_sets)


def _as_padded(
    Z_all: ArrayLike,
    B_all: ArrayLike,
    offsets: ArrayLike | None,
    *,
    n_features: int | None,
) -> tuple[NDArray[np.float64], FloatArray]:
    """Stacked points (N, K_max, d) and weights (N, K_max); padding has weight 0."""
    Zflat, Bflat, seg, n_sets = _as_flat(Z_all, B_all, offsets, n_features=n_features)
    d = Zflat.shape[1]
    counts = np.bincount(seg, minlength=n_sets)
    k_max = int(counts.max()) if n_sets else 0
    if offsets is None or n_sets == 0:
        return Zflat.reshape(n_sets, k_max, d), Bflat.reshape(n_sets, k_max)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    pos = np.arange(Zflat.shape[0]) - starts[seg]
    Z3 = np.zeros((n_sets, k_max, d))
    B2 = np.zeros((n_sets, k_max))
    Z3[seg, pos] = Zflat
    B2[seg, pos] = Bflat
    return Z3, B2


def _packed_self_terms(
    Z3: NDArray[np.float64], B2: FloatArray, gamma: float
) -> FloatArray:
    """``b_i' K(Z_i, Z_i) b_i`` for stacked sets, blocked over the set axis."""
    n_sets, k = B2.shape
    out = np.empty(n_sets)
    step = max(1, _BLOCK_ELEMENTS // max(1, k * k))
    for start in range(0, n_sets, step):
        Zb = Z3[start : start + step]
        Zb = Zb - Zb[:, :1, :]  # shift each set to its first point (see above)
        Bb = B2[start : start + step]
        nrm = np.einsum("nkd,nkd->nk", Zb, Zb)
        sq = Zb @ Zb.transpose(0, 2, 1)
        sq *= -2.0
        sq += nrm[:, :, None]
        sq += nrm[:, None, :]
        np.maximum(sq, 0.0, out=sq)
        idx = np.arange(k)
        sq[:, idx, idx] = 0.0
        sq *= -gamma
        _exp_inplace(sq)
        out[start : start + Zb.shape[0]] = np.einsum("nk,nkl,nl->n", Bb, sq, Bb)
    return out
