"""In-memory statistical search index: exact MMD^2 ranking over many specifications.

:class:`StatIndex` keeps every specification in the *feature space* it belongs to
(:func:`feature_space_key`): table RKMEs by dimension and ``gamma``, text RKMEs by
encoder and dimension, image RKMEs by kernel (``model_config``, ``n_models``,
channels; the Gaussian pixel kernel by channels). Specifications of different spaces
are never compared; a query only sees its own space. Text and Gaussian image specs
are compared under their space's kernel (``search_gamma_``), whatever gamma each was
fitted with, so a gamma never makes them unsearchable.

Storage (per space)
-------------------
* RKME (table, text): reduced sets padded to ``(capacity, K_max, d)`` with zero
  weights in the padding, and their self-terms ``beta' K beta``.
* Image, random-CNN kernel: the explicit embedding ``e_i = sum_j beta_j phi(z_j)``
  (``D`` floats), so ``MMD^2 = ||e_q - e_i||^2`` exactly. Image, Gaussian pixel
  kernel: an RKME space of the flattened pixels, like a table.

Arrays grow by doubling (amortised O(1) appends). Removal marks a tombstone; a space
is compacted once a quarter of its rows are dead. Readers take a snapshot (array
references, the row count and a copy of the alive mask) under a short lock; rows
below the count are never rewritten in place (growth and compaction allocate new
arrays), so a search runs without the lock while a writer appends or removes.

Exact search with a provable pruning bound (RKME spaces)
--------------------------------------------------------
Once a space holds ``sketch_min_size`` specifications, ``P`` *pivot* specifications
are chosen farthest-first in a random-Fourier-feature sketch: at least ``2 sqrt(n)``,
and more (up to ``8 sqrt(n)``) until the covering radius has halved, so that every
dense region gets one. Every row ``i`` stores its pivot ``p(i)`` and, from
one exact inner product, its coordinates in the plane of the origin and ``phi_p``:
``a_i = <phi_i, phi_p> / |phi_p|`` along ``phi_p`` and ``r_i = sqrt(|phi_i|^2 -
a_i^2)`` orthogonal to it. The RKHS is a Hilbert space, so projecting onto that
direction and its complement gives (Connor et al. 2016, "Hilbert exclusion")

    MMD^2(q, i) >= (a_q - a_i)^2 + (r_q - r_i)^2,

which is never weaker than the triangle inequality ``|MMD(q, p) - MMD(i, p)|``
and far tighter for queries between clusters (a user drawn from several tasks:
~20x fewer exact evaluations on the benchmark's mixed users). A query costs ``P``
exact inner products with the pivots, then one vectorised pass for the bounds of
all rows; rows are evaluated exactly (float64, the same formula as
``query.dist(spec)``) in increasing order of their bound, in chunks, until the
next bound exceeds the ``top_k``-th exact value found. The ranking and the values
are exact; the bound only decides how much work is needed (rounding margins are
derived from the weights' l1 norms, see :func:`_hilbert_bounds`). Random Fourier
features (Rahimi & Recht 2007) are used only to pick pivots and to propose
mixture components -- never to rank. Pivots are re-drawn when a space has doubled
since the last draw (amortised O(1) per insert).

Scores
------
Each result carries the raw ``mmd2`` and a ``score = exp(-mmd2 / (SCORE_SCALE *
res_q))`` in (0, 1], where ``res_q`` (:func:`spec_resolution`) is the query's own
*resolution*: ``(sum_j beta_j k(z_j, z_j) - ||phi_q||^2) / K_eff`` with ``K_eff = 1 /
sum_j beta_j^2`` -- the expected squared MMD between a distribution and the mean
embedding of ``K_eff`` independent draws from it. Two summaries of one distribution
are therefore ~``2 res_q`` apart, which scores ``exp(-2 / SCORE_SCALE)`` = 0.82. The
score depends only on the query and the one candidate (never on the other candidates,
unlike the original's min-max scores), is monotone in ``mmd2`` for a query, invariant
to rescaling the kernel, and comparable across queries and market sizes.

References
----------
Rahimi & Recht, "Random features for large-scale kernel machines", NIPS 2007.
Zezula, Amato, Dohnal & Batko, *Similarity Search: The Metric Space Approach*,
Springer 2006 (pivot-based pruning).
Connor, Cardillo, Vadicamo & Rabitti, "Hilbert exclusion: improved metric search
through finite isometric embeddings", ACM TOIS 35(3), 2016.
Gretton et al., "A kernel two-sample test", JMLR 13, 2012.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnware_core._validation import check_fitted
from learnware_core.errors import SpecificationError
from learnware_core.kernels import (
    _packed_self_terms,
    _rbf_kernel,
    _weighted_kernel_rows,
)
from learnware_core.specification.base import StatSpecification
from learnware_core.specification.image import RKMEImageSpecification
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.text import RKMETextSpecification

__all__ = [
    "SCORE_SCALE",
    "SearchResult",
    "SpaceKey",
    "StatIndex",
    "feature_space_key",
    "score_from_mmd2",
    "spec_resolution",
]

FloatArray = NDArray[np.float64]
Float32Array = NDArray[np.float32]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

SpaceKey = tuple[Any, ...]
"""Hashable description of a feature space (spec type, dimension, kernel, ...)."""

SCORE_SCALE = 10.0
"""``score = exp(-mmd2 / (SCORE_SCALE * resolution))``; see the module docstring."""

_EPS32 = float(np.finfo(np.float32).eps)
_EXACT_CHUNK = 32  # rows evaluated exactly in the first step of the pruned search
_EXACT_CHUNK_MAX = 2048
_BRUTE_MAX = 64  # spaces (or candidate sets) this small are searched exhaustively
_PIVOT_SAMPLE = 20_000  # rows the farthest-first pivot selection looks at
_PIVOT_COVER = 0.25  # squared covering radius / first one at which pivots suffice
_INNER_REL_ERR = 1e-10  # |error| of an RKHS inner product / (l1(w_a) * l1(w_b)): see
# _hilbert_bounds (float64 kernel values err <= ~1e-13, sums of K^2 of them ~1e-12)
_COMPACT_DEAD_SHARE = 0.25
_GROW = 2


@dataclass(frozen=True)
class SearchResult:
    """One ranked learnware of a statistical search.

    Attributes
    ----------
    key : hashable
        The key the specification was added under.
    mmd2 : float
        Exact squared MMD to the query (as ``query.dist(spec)``).
    score : float
        Calibrated similarity in (0, 1], see :func:`score_from_mmd2`.
    """

    key: Hashable
    mmd2: float
    score: float


# ------------------------------------------------------------------ public helpers


def feature_space_key(spec: StatSpecification) -> SpaceKey:
    """The feature space of a fitted specification; equal keys mean comparable.

    Parameters
    ----------
    spec : StatSpecification
        Any searchable type: each says its space (:meth:`StatSpecification.space_key`),
        so a new type plugs in without editing search.

    Returns
    -------
    key : tuple
        E.g. ``("RKMETableSpecification", d, gamma)``, ``("RKMETextSpecification",
        encoder, d, gamma)`` or ``("RKMEImageSpecification", *kernel_key)``.

    Raises
    ------
    SpecificationError
        Unfitted or of an unsupported type.
    """
    return spec.space_key()


def spec_resolution(spec: StatSpecification) -> float:
    """The resolution ``res`` of a specification (the unit of its scores).

    ``res = (sum_j beta_j k(z_j, z_j) - ||phi||^2) / K_eff`` with ``K_eff = 1 /
    sum_j beta_j^2``: the expected squared MMD between the distribution the
    specification describes and the mean embedding of ``K_eff`` independent draws
    from it (Gretton et al. 2012, the variance of the mean embedding estimator).

    Returns
    -------
    res : float
        ``> 0`` (floored at ``1e-12`` times the kernel scale).
    """
    z, beta, gamma, image = _points_of(spec)
    k_eff = 1.0 / float(beta @ beta)
    if image is not None:
        features = image.feature_map().transform(image.z_).astype(np.float64)
        diag = float(beta @ np.einsum("ij,ij->i", features, features))
        emb = image.embedding()
        self_term = float(emb @ emb)
    else:
        diag = 1.0
        centred = z - z.mean(axis=0)
        self_term = float(beta @ _rbf_kernel(centred, centred, gamma) @ beta)
    return max((diag - self_term) / k_eff, 1e-12 * max(diag, 1e-300))


def score_from_mmd2(mmd2: Any, resolution: float) -> FloatArray:
    """``exp(-mmd2 / (SCORE_SCALE * resolution))``, elementwise, in (0, 1].

    Parameters
    ----------
    mmd2 : array-like of float
    resolution : float
        The query's :func:`spec_resolution`.
    """
    m = np.maximum(np.asarray(mmd2, dtype=np.float64), 0.0)
    out: FloatArray = np.exp(-m / (SCORE_SCALE * resolution))
    return out


def _points_of(
    spec: StatSpecification,
) -> tuple[FloatArray, FloatArray, float, RKMEImageSpecification | None]:
    # text and Gaussian image specs: the space's kernel (search_gamma_), not the
    # gamma each was fitted with (not part of their feature space)
    if isinstance(spec, RKMETextSpecification):
        return spec.z_, spec.beta_, spec.search_gamma_, None
    if isinstance(spec, RKMETableSpecification):
        return spec.z_, spec.beta_, float(spec.gamma_), None
    if isinstance(spec, RKMEImageSpecification):
        check_fitted(spec, "z_")
        if spec.is_gaussian:  # a table RKME on the flattened pixels
            pixels = spec.pixel_rkme()
            return pixels.z_, pixels.beta_, spec.search_gamma_, None
        return np.zeros((0, 0)), spec.beta_, 0.0, spec
    raise SpecificationError(
        f"cannot index specifications of type {type(spec).__name__}"
    )


# ------------------------------------------------------------------ spaces


@dataclass(frozen=True)
class _Snapshot:
    """What a reader needs; rows ``< n`` of these arrays are never rewritten."""

    space: _Space
    arrays: dict[str, Any]
    keys: list[Hashable]
    n: int
    alive: BoolArray
    sketch: _Sketch | None


@dataclass(frozen=True)
class _Sketch:
    """Pivot specifications (exact) and random Fourier features (approximate).

    ``rff(x) = sqrt(2 / D) cos(x @ omega + phase)`` with ``omega ~ N(0, 2 gamma I)``
    approximates the Gaussian kernel (Rahimi & Recht 2007); it is only used to pick
    pivots and assignments (speed), never to decide a ranking.
    """

    Z: FloatArray  # (P, K, d) pivot reduced sets (copies: pivots may be removed)
    B: FloatArray  # (P, K)
    selfs: FloatArray  # (P,) |phi_p|^2
    l1: FloatArray  # (P,) sum_j |beta_j|
    rff: Float32Array  # (P, D)
    omega: FloatArray  # (d, D)
    phase: FloatArray  # (D,)

    def features(self, Z3: FloatArray, B2: FloatArray) -> Float32Array:
        """Random Fourier embeddings of stacked sets ``(n, K, d)`` -> ``(n, D)``."""
        n, k, d = Z3.shape
        D = self.omega.shape[1]
        out = np.empty((n, D), dtype=np.float32)
        scale = math.sqrt(2.0 / D)
        step = max(1, (1 << 21) // max(1, k * D))
        omega = self.omega.astype(np.float32)
        phase = self.phase.astype(np.float32)
        for s in range(0, n, step):
            # float32: numpy's float32 cos is vectorised (~15x faster than float64),
            # and these features only steer the search, they never rank.
            proj = Z3[s : s + step].reshape(-1, d).astype(np.float32) @ omega
            proj += phase
            np.cos(proj, out=proj)
            proj *= B2[s : s + step].reshape(-1, 1).astype(np.float32)
            out[s : s + step] = proj.reshape(-1, k, D).sum(axis=1) * np.float32(scale)
        return out


def _cross_rows(
    query: _Query, Z: FloatArray, B: FloatArray, rows: IntArray, gamma: float
) -> FloatArray:
    """Exact ``<phi_q, phi_i>`` from a prepared RKME query to rows of padded sets."""
    assert query.Qc is not None
    assert query.q is not None
    assert query.shift is not None
    out = np.empty(rows.shape[0])
    k, d = Z.shape[1], Z.shape[2]
    step = max(1, (1 << 22) // max(1, k * query.Qc.shape[0]))
    for s in range(0, rows.shape[0], step):
        r = rows[s : s + step]
        flat = Z[r].reshape(-1, d) - query.shift
        w = _weighted_kernel_rows(flat, query.Qc, query.q, gamma)
        out[s : s + step] = (w.reshape(r.shape[0], k) * B[r]).sum(axis=1)
    return out


def _mmd2_rows(
    query: _Query,
    Z: FloatArray,
    B: FloatArray,
    selfs: FloatArray,
    rows: IntArray,
    gamma: float,
) -> FloatArray:
    """Exact squared MMD from a prepared RKME query to rows of padded sets."""
    out = query.qq - 2.0 * _cross_rows(query, Z, B, rows, gamma) + selfs[rows]
    np.maximum(out, 0.0, out=out)
    return out


def _hilbert_bounds(
    c_qp: FloatArray,
    qq: float,
    l1_q: float,
    norm_p: FloatArray,
    l1_p: FloatArray,
    a_i: FloatArray,
    r_i: FloatArray,
    l1_i: FloatArray,
) -> FloatArray:
    """Provable lower bounds on ``MMD^2(q, i)`` from the plane of 0 and ``phi_p``.

    ``a = <phi, phi_p> / |phi_p|`` and ``r = sqrt(|phi|^2 - a^2)`` are the
    coordinates of ``phi`` in that plane; ``(a_q - a_i)^2 + (r_q - r_i)^2`` is the
    squared distance of the projections, a lower bound in a Hilbert space. Every
    inner product among ``q, i, p`` is taken to err by at most ``E = 1e-10 (l1_q +
    l1_i + l1_p)^2``; the coordinates' errors follow (``|sqrt(u) - sqrt(v)| <=
    sqrt(|u - v|)``), and the gaps are shrunk by them before squaring.
    """
    E = _INNER_REL_ERR * (l1_q + l1_i + l1_p) ** 2
    a_q = c_qp / norm_p
    e_norm = E / (2.0 * norm_p)  # error of |phi_p| = sqrt(<phi_p, phi_p>)
    e_aq = (E + np.abs(a_q) * e_norm) / norm_p
    e_ai = (E + np.abs(a_i) * e_norm) / norm_p
    r_q = np.sqrt(np.maximum(qq - a_q * a_q, 0.0))
    e_rq = np.sqrt(E + 2.0 * np.abs(a_q) * e_aq + e_aq * e_aq)
    e_ri = np.sqrt(E + 2.0 * np.abs(a_i) * e_ai + e_ai * e_ai)
    x = np.maximum(np.abs(a_q - a_i) - e_aq - e_ai, 0.0)
    y = np.maximum(np.abs(r_q - r_i) - e_rq - e_ri, 0.0)
    out: FloatArray = x * x + y * y
    return out


def _prepare_points(Q: FloatArray, q: FloatArray, gamma: float) -> _Query:
    shift = Q.mean(axis=0)
    Qc = Q - shift
    qq = float(q @ _rbf_kernel(Qc, Qc, gamma) @ q)
    res = max((1.0 - qq) * float(q @ q), 1e-12)
    return _Query((), qq, res, Qc=Qc, q=q, shift=shift, Q=Q)


@dataclass(frozen=True)
class _Query:
    """A query prepared for one space."""

    space_key: SpaceKey
    qq: float
    resolution: float
    Qc: FloatArray | None = None  # centred points (RKME)
    q: FloatArray | None = None
    shift: FloatArray | None = None
    Q: FloatArray | None = None
    e: FloatArray | None = None  # embedding (image)


class _Space:
    """Rows of one feature space; subclasses define storage and exact distances."""

    def __init__(self, key: SpaceKey) -> None:
        self.key = key
        self.n = 0
        self.n_dead = 0
        self.keys: list[Hashable] = []
        self.alive: BoolArray = np.zeros(0, dtype=bool)
        self.arrays: dict[str, Any] = {}
        self.sketch: _Sketch | None = None

    # -- storage ------------------------------------------------------------
    def _capacity(self) -> int:
        return int(self.alive.shape[0])

    def _reserve(self, n_new: int) -> None:
        need = self.n + n_new
        if need <= self._capacity():
            return
        cap = max(need, _GROW * self._capacity(), 16)
        alive = np.zeros(cap, dtype=bool)
        alive[: self.n] = self.alive[: self.n]
        self.alive = alive
        self.arrays = {
            name: _grown(arr, cap, self.n) for name, arr in self.arrays.items()
        }

    def snapshot(self) -> _Snapshot:
        return _Snapshot(
            space=self,
            arrays=dict(self.arrays),
            keys=self.keys,
            n=self.n,
            alive=self.alive[: self.n].copy(),
            sketch=self.sketch,
        )

    def live_count(self) -> int:
        return self.n - self.n_dead

    def append(self, keys: Sequence[Hashable], specs: Sequence[Any]) -> list[int]:
        raise NotImplementedError

    def compact(self) -> dict[Hashable, int]:
        """Drop dead rows (new arrays); return the new row of every live key."""
        live = np.flatnonzero(self.alive[: self.n])
        self.arrays = {
            name: np.ascontiguousarray(arr[live]) for name, arr in self.arrays.items()
        }
        self.keys = [self.keys[i] for i in live]
        self.n = int(live.shape[0])
        self.n_dead = 0
        self.alive = np.ones(self.n, dtype=bool)
        return {k: i for i, k in enumerate(self.keys)}

    # -- queries ------------------------------------------------------------
    def prepare(self, spec: StatSpecification) -> _Query:
        raise NotImplementedError

    def exact(self, snap: _Snapshot, query: _Query, rows: IntArray) -> FloatArray:
        raise NotImplementedError

    def lower_bounds(
        self, snap: _Snapshot, query: _Query, rows: IntArray
    ) -> FloatArray | None:
        """Provable lower bounds on the squared MMD of ``rows``, or None."""
        return None

    def gram(
        self, snap: _Snapshot, query: _Query, rows: IntArray
    ) -> tuple[FloatArray, FloatArray]:
        """``(c, G)``: ``c_i = <phi_q, phi_i>``, ``G_ij = <phi_i, phi_j>`` (exact)."""
        raise NotImplementedError

    def gram_block(
        self, snap: _Snapshot, rows_a: IntArray, rows_b: IntArray
    ) -> FloatArray:
        """``<phi_i, phi_j>`` for ``i`` in ``rows_a`` and ``j`` in ``rows_b``."""
        raise NotImplementedError

    def residual_gain(
        self, snap: _Snapshot, query: _Query, support: IntArray, weights: FloatArray
    ) -> FloatArray | None:
        """Approximate ``<phi_q - m, phi_j - m>`` for every row (``m`` the mixture)."""
        return None

    def gain_exact(
        self,
        snap: _Snapshot,
        query: _Query,
        support: IntArray,
        weights: FloatArray,
        rows: IntArray,
    ) -> FloatArray:
        """Exact ``<phi_q - m, phi_j - m>`` for ``rows`` (``m = sum w_i phi_i``)."""
        raise NotImplementedError

    def maybe_refresh_sketch(self, rng: np.random.Generator) -> None:
        return None


def _grown(arr: NDArray[Any], cap: int, n: int) -> NDArray[Any]:
    out = np.zeros((cap, *arr.shape[1:]), dtype=arr.dtype)
    out[:n] = arr[:n]
    return out


class _RKMESpace(_Space):
    """Table / text RKMEs of one dimension and gamma."""

    def __init__(
        self,
        key: SpaceKey,
        d: int,
        gamma: float,
        n_features: int,
        sketch_min: int,
    ) -> None:
        super().__init__(key)
        self.d = d
        self.gamma = gamma
        self.k_max = 1
        self.n_features = n_features
        self.sketch_min = sketch_min
        self.sketch_n = 0  # live rows when the pivots were drawn
        self.arrays = {
            "Z": np.zeros((0, 1, d)),
            "B": np.zeros((0, 1)),
            "self": np.zeros(0),
            "l1": np.zeros(0),
        }

    def _widen(self, k: int) -> None:
        if k <= self.k_max:
            return
        cap = self._capacity()
        Z = np.zeros((cap, k, self.d))
        B = np.zeros((cap, k))
        Z[:, : self.k_max] = self.arrays["Z"]
        B[:, : self.k_max] = self.arrays["B"]
        self.arrays = {**self.arrays, "Z": Z, "B": B}
        self.k_max = k

    def append(self, keys: Sequence[Hashable], specs: Sequence[Any]) -> list[int]:
        m = len(specs)
        points = [_points_of(s)[:2] for s in specs]
        k_new = max(int(z.shape[0]) for z, _ in points)
        Z3 = np.zeros((m, max(k_new, self.k_max), self.d))
        B2 = np.zeros((m, Z3.shape[1]))
        for i, (z, beta) in enumerate(points):  # one copy per spec, not per point
            Z3[i, : z.shape[0]] = z
            B2[i, : z.shape[0]] = beta
        selfs = _packed_self_terms(Z3, B2, self.gamma)
        self._reserve(m)
        self._widen(k_new)
        lo, hi = self.n, self.n + m
        # A reader's snapshot may share these arrays, but only reads rows < its n.
        self.arrays["Z"][lo:hi, : Z3.shape[1]] = Z3[:, : self.k_max]
        self.arrays["B"][lo:hi, : Z3.shape[1]] = B2[:, : self.k_max]
        self.arrays["self"][lo:hi] = selfs
        self.arrays["l1"][lo:hi] = np.abs(B2).sum(axis=1)
        if self.sketch is not None:
            self._assign(lo, hi, Z3, B2, selfs, self.sketch)
        self.keys.extend(keys)
        self.alive[lo:hi] = True
        self.n = hi
        return list(range(lo, hi))

    def _assign(
        self,
        lo: int,
        hi: int,
        Z3: FloatArray,
        B2: FloatArray,
        selfs: FloatArray,
        sketch: _Sketch,
    ) -> None:
        """Features, pivot and plane coordinates of rows ``lo:hi``.

        The pivot is the RFF-closest one (any choice is correct; a close one makes
        the bound tight); ``alpha, rho`` are the row's coordinates along ``phi_p``
        and orthogonal to it (:func:`_hilbert_bounds`), from one exact inner product.
        """
        F = sketch.features(Z3, B2)
        approx = (
            np.einsum("ij,ij->i", sketch.rff, sketch.rff)[None, :]
            - 2.0 * F @ sketch.rff.T
        )
        best = np.argmin(approx, axis=1)
        cross = np.empty(hi - lo)
        for p in np.unique(best):
            rows = np.flatnonzero(best == p)
            prepared = _prepare_points(sketch.Z[p], sketch.B[p], self.gamma)
            cross[rows] = _cross_rows(prepared, Z3, B2, rows, self.gamma)
        alpha = cross / np.sqrt(sketch.selfs[best])
        self.arrays["rff"][lo:hi] = F
        self.arrays["piv"][lo:hi] = best
        self.arrays["alpha"][lo:hi] = alpha
        self.arrays["rho"][lo:hi] = np.sqrt(np.maximum(selfs - alpha * alpha, 0.0))

    def maybe_refresh_sketch(self, rng: np.random.Generator) -> None:
        live = self.live_count()
        if live < self.sketch_min or (
            self.sketch is not None and live < _GROW * self.sketch_n
        ):
            return
        rows = np.flatnonzero(self.alive[: self.n])
        Z, B = self.arrays["Z"], self.arrays["B"]
        D = self.n_features
        omega = rng.normal(scale=math.sqrt(2.0 * self.gamma), size=(self.d, D))
        phase = rng.uniform(0.0, 2.0 * math.pi, size=D)
        probe = _Sketch(
            np.zeros((0, 1, self.d)),
            np.zeros((0, 1)),
            np.zeros(0),
            np.zeros(0),
            np.zeros((0, D), dtype=np.float32),
            omega,
            phase,
        )
        # Pivots: greedy k-centre (farthest first) in RFF space over a sample,
        # ~2 sqrt(n) of them, so that every dense region gets one.
        sample = rows[rng.permutation(rows.shape[0])[:_PIVOT_SAMPLE]]
        F = probe.features(Z[sample], B[sample]).astype(np.float64)
        # At least ~2 sqrt(n); more while the covering radius stays near the
        # diameter (clusters without a pivot get no useful bound), up to 8 sqrt(n)
        # and n / 4 (each pivot costs every query one exact inner product).
        n_min = min(sample.shape[0], max(8, int(2.0 * math.sqrt(live))))
        n_max = max(n_min, min(sample.shape[0], live // 4, int(8.0 * math.sqrt(live))))
        chosen = [int(rng.integers(sample.shape[0]))]
        far = np.full(sample.shape[0], np.inf)
        first = 0.0
        while len(chosen) < n_max:
            diff = F - F[chosen[-1]]
            np.minimum(far, np.einsum("ij,ij->i", diff, diff), out=far)
            j = int(np.argmax(far))
            first = first or float(far[j])
            if len(chosen) >= n_min and far[j] <= _PIVOT_COVER * first:
                break
            chosen.append(j)
        piv_rows = sample[np.asarray(chosen)]
        sketch = _Sketch(
            Z=Z[piv_rows].copy(),
            B=B[piv_rows].copy(),
            selfs=self.arrays["self"][piv_rows].copy(),
            l1=self.arrays["l1"][piv_rows].copy(),
            rff=F[np.asarray(chosen)].astype(np.float32),
            omega=omega,
            phase=phase,
        )
        cap = self._capacity()
        self.arrays = {
            **self.arrays,
            "rff": np.zeros((cap, D), dtype=np.float32),
            "piv": np.zeros(cap, dtype=np.int64),
            "alpha": np.zeros(cap),
            "rho": np.zeros(cap),
        }
        step = 4096
        for lo in range(0, self.n, step):
            hi = min(lo + step, self.n)
            self._assign(lo, hi, Z[lo:hi], B[lo:hi], self.arrays["self"][lo:hi], sketch)
        self.sketch = sketch
        self.sketch_n = live

    def prepare(self, spec: StatSpecification) -> _Query:
        Q, q, _, _ = _points_of(spec)
        prepared = _prepare_points(
            np.asarray(Q, dtype=np.float64), np.asarray(q, dtype=np.float64), self.gamma
        )
        return _Query(
            self.key,
            prepared.qq,
            prepared.resolution,
            Qc=prepared.Qc,
            q=prepared.q,
            shift=prepared.shift,
            Q=prepared.Q,
        )

    def exact(self, snap: _Snapshot, query: _Query, rows: IntArray) -> FloatArray:
        return _mmd2_rows(
            query,
            snap.arrays["Z"],
            snap.arrays["B"],
            snap.arrays["self"],
            rows,
            self.gamma,
        )

    def lower_bounds(
        self, snap: _Snapshot, query: _Query, rows: IntArray
    ) -> FloatArray | None:
        sketch = snap.sketch
        if sketch is None:
            return None
        assert query.q is not None
        all_p = np.arange(sketch.selfs.shape[0])
        c_qp = _cross_rows(query, sketch.Z, sketch.B, all_p, self.gamma)
        piv = snap.arrays["piv"][rows]
        return _hilbert_bounds(
            c_qp[piv],
            query.qq,
            float(np.abs(query.q).sum()),
            np.sqrt(sketch.selfs[piv]),
            sketch.l1[piv],
            snap.arrays["alpha"][rows],
            snap.arrays["rho"][rows],
            snap.arrays["l1"][rows],
        )

    def gram(
        self, snap: _Snapshot, query: _Query, rows: IntArray
    ) -> tuple[FloatArray, FloatArray]:
        assert query.Qc is not None
        assert query.q is not None
        assert query.shift is not None
        Z, B = snap.arrays["Z"], snap.arrays["B"]
        m, k = rows.shape[0], Z.shape[1]
        flat = Z[rows].reshape(-1, self.d) - query.shift
        bflat = B[rows].reshape(-1)
        w = _weighted_kernel_rows(flat, query.Qc, query.q, self.gamma)
        c = (w * bflat).reshape(m, k).sum(axis=1)
        Kzz = _rbf_kernel(flat, flat, self.gamma)
        Kzz *= bflat[:, None]
        Kzz *= bflat[None, :]
        G = Kzz.reshape(m, k, m, k).sum(axis=(1, 3))
        G = 0.5 * (G + G.T)
        return c, G

    def gram_block(
        self, snap: _Snapshot, rows_a: IntArray, rows_b: IntArray
    ) -> FloatArray:
        Z, B = snap.arrays["Z"], snap.arrays["B"]
        k = Z.shape[1]
        A = Z[rows_a].reshape(-1, self.d)
        shift = A.mean(axis=0) if A.shape[0] else np.zeros(self.d)
        Kab = _rbf_kernel(A - shift, Z[rows_b].reshape(-1, self.d) - shift, self.gamma)
        Kab *= B[rows_a].reshape(-1, 1)
        Kab *= B[rows_b].reshape(1, -1)
        out: FloatArray = Kab.reshape(rows_a.shape[0], k, rows_b.shape[0], k).sum(
            axis=(1, 3)
        )
        return out

    def residual_gain(
        self, snap: _Snapshot, query: _Query, support: IntArray, weights: FloatArray
    ) -> FloatArray | None:
        sketch = snap.sketch
        if sketch is None:
            return None
        assert query.Q is not None
        assert query.q is not None
        f_q = sketch.features(query.Q[None], query.q[None])[0].astype(np.float64)
        F = snap.arrays["rff"][: snap.n]
        f_m = weights @ F[support].astype(np.float64)
        v = f_q - f_m
        gain: FloatArray = (F @ v.astype(np.float32)).astype(np.float64) - float(
            f_m @ v
        )
        return gain

    def gain_exact(
        self,
        snap: _Snapshot,
        query: _Query,
        support: IntArray,
        weights: FloatArray,
        rows: IntArray,
    ) -> FloatArray:
        Z, B = snap.arrays["Z"], snap.arrays["B"]
        # The mixture as one weighted point set, prepared like a query.
        points = Z[support].reshape(-1, self.d)
        mass = (weights[:, None] * B[support]).reshape(-1)
        nonzero = mass != 0.0
        points, mass = points[nonzero], mass[nonzero]
        shift = points.mean(axis=0)
        m = _Query(self.key, 0.0, 0.0, Qc=points - shift, q=mass, shift=shift)
        both = np.concatenate([support, rows])
        q_all = _cross_rows(query, Z, B, both, self.gamma)
        m_all = _cross_rows(m, Z, B, both, self.gamma)
        s = support.shape[0]
        # <phi_q - m, phi_j - m> = <q, j> - <m, j> - (<q, m> - <m, m>)
        offset = float(weights @ q_all[:s]) - float(weights @ m_all[:s])
        out: FloatArray = q_all[s:] - m_all[s:] - offset
        return out


class _EmbeddingSpace(_Space):
    """Specifications with an explicit finite embedding (image RKMEs)."""

    def __init__(self, key: SpaceKey, dim: int) -> None:
        super().__init__(key)
        self.dim = dim
        self.arrays = {"E": np.zeros((0, dim))}

    def append(self, keys: Sequence[Hashable], specs: Sequence[Any]) -> list[int]:
        E = np.stack([s.embedding() for s in specs])
        m = len(specs)
        self._reserve(m)
        lo, hi = self.n, self.n + m
        self.arrays["E"][lo:hi] = E
        self.keys.extend(keys)
        self.alive[lo:hi] = True
        self.n = hi
        return list(range(lo, hi))

    def prepare(self, spec: StatSpecification) -> _Query:
        assert isinstance(spec, RKMEImageSpecification)
        e = spec.embedding()
        return _Query(self.key, float(e @ e), spec_resolution(spec), e=e)

    def exact(self, snap: _Snapshot, query: _Query, rows: IntArray) -> FloatArray:
        assert query.e is not None
        E = snap.arrays["E"]
        out = np.empty(rows.shape[0])
        step = max(1, (1 << 22) // max(1, self.dim))
        for s in range(0, rows.shape[0], step):
            diff = E[rows[s : s + step]] - query.e[None, :]
            out[s : s + step] = np.einsum("ij,ij->i", diff, diff)
        return out

    def gram(
        self, snap: _Snapshot, query: _Query, rows: IntArray
    ) -> tuple[FloatArray, FloatArray]:
        assert query.e is not None
        E = snap.arrays["E"][rows]
        G = E @ E.T
        return E @ query.e, 0.5 * (G + G.T)

    def gram_block(
        self, snap: _Snapshot, rows_a: IntArray, rows_b: IntArray
    ) -> FloatArray:
        E = snap.arrays["E"]
        out: FloatArray = E[rows_a] @ E[rows_b].T
        return out

    def residual_gain(
        self, snap: _Snapshot, query: _Query, support: IntArray, weights: FloatArray
    ) -> FloatArray | None:
        # Explicit embeddings: the "estimate" is exact.
        return self.gain_exact(snap, query, support, weights, np.arange(snap.n))

    def gain_exact(
        self,
        snap: _Snapshot,
        query: _Query,
        support: IntArray,
        weights: FloatArray,
        rows: IntArray,
    ) -> FloatArray:
        assert query.e is not None
        E = snap.arrays["E"]
        m = weights @ E[support]
        v = query.e - m
        out: FloatArray = E[rows] @ v - float(m @ v)
        return out


# ------------------------------------------------------------------ the index


class StatIndex:
    """Statistical specifications grouped by feature space, searchable by MMD^2.

    Thread-safe: any number of concurrent searches, and writers (``add``,
    ``remove``, ``update``) serialised by one lock that readers hold only to take a
    snapshot.

    Parameters
    ----------
    n_features : int, default=256
        Random Fourier features per RKME specification (used to choose pivots and
        to propose mixture components; never to rank).
    sketch_min_size : int, default=256
        RKME spaces with fewer live specifications are searched exhaustively;
        larger ones get ``~2 sqrt(n)`` pivots (re-drawn when the space doubles).
    random_state : int or None, default=0
        Seed of the landmark sampling (affects speed only, never results).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> specs = {
    ...     f"lw{i}": RKMETableSpecification(n_points=5, random_state=0).fit(
    ...         rng.normal(loc=3 * i * i, size=(50, 2)))
    ...     for i in range(3)
    ... }
    >>> index = StatIndex()
    >>> for key, spec in specs.items():
    ...     index.add(key, spec)
    >>> [r.key for r in index.search_single(specs["lw1"], top_k=2)]
    ['lw1', 'lw0']
    """

    def __init__(
        self,
        *,
        n_features: int = 256,
        sketch_min_size: int = 256,
        random_state: int | None = 0,
    ) -> None:
        if n_features < 1 or sketch_min_size < 1:
            raise ValueError("n_features and sketch_min_size must be >= 1")
        self.n_features = n_features
        self.sketch_min_size = sketch_min_size
        self.random_state = random_state
        self._rng = np.random.default_rng(random_state)
        self._lock = threading.RLock()
        self._spaces: dict[SpaceKey, _Space] = {}
        self._where: dict[Hashable, tuple[SpaceKey, int]] = {}

    # ------------------------------------------------------------ inspection

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def space_of(self, key: Hashable) -> SpaceKey:
        """Feature space of the specification under ``key`` (KeyError if none)."""
        return self._where[key][0]

    def spaces(self) -> dict[SpaceKey, int]:
        """Live specifications per feature space."""
        with self._lock:
            return {k: s.live_count() for k, s in self._spaces.items()}

    # ------------------------------------------------------------ writes

    def add(self, key: Hashable, spec: StatSpecification) -> None:
        """Add (or replace) the specification stored under ``key``.

        Raises
        ------
        SpecificationError
            Unfitted or unsupported specification.
        """
        self.add_many([(key, spec)])

    def update(self, key: Hashable, spec: StatSpecification) -> None:
        """Replace the specification of ``key`` (same as :meth:`add`)."""
        self.add_many([(key, spec)])

    def add_many(self, items: Iterable[tuple[Hashable, StatSpecification]]) -> None:
        """Add many ``(key, spec)`` pairs; faster than repeated :meth:`add`.

        A key given twice keeps its last specification; an existing key is replaced.
        """
        latest: dict[Hashable, StatSpecification] = {}
        for key, spec in items:
            latest[key] = spec
        groups: dict[SpaceKey, list[tuple[Hashable, StatSpecification]]] = {}
        for key, spec in latest.items():
            groups.setdefault(feature_space_key(spec), []).append((key, spec))
        with self._lock:
            for key in latest:
                self._remove_locked(key, compact=False)
            for space_key, pairs in groups.items():
                space = self._spaces.get(space_key)
                if space is None:
                    space = self._new_space(space_key, pairs[0][1])
                    self._spaces[space_key] = space
                rows = space.append([k for k, _ in pairs], [s for _, s in pairs])
                for (key, _), row in zip(pairs, rows, strict=True):
                    self._where[key] = (space_key, row)
                space.maybe_refresh_sketch(self._rng)
            for space in list(self._spaces.values()):
                self._maybe_compact(space)

    def remove(self, key: Hashable) -> None:
        """Remove ``key`` (KeyError if absent); O(1) amortised (tombstone)."""
        with self._lock:
            if key not in self._where:
                raise KeyError(key)
            self._remove_locked(key, compact=True)

    def discard(self, key: Hashable) -> None:
        """Remove ``key`` if present."""
        with self._lock:
            self._remove_locked(key, compact=True)

    def compact(self) -> None:
        """Drop every tombstone now (also done automatically)."""
        with self._lock:
            for space in self._spaces.values():
                self._compact_space(space)

    def _new_space(self, key: SpaceKey, spec: StatSpecification) -> _Space:
        if isinstance(spec, RKMEImageSpecification) and not spec.is_gaussian:
            return _EmbeddingSpace(key, int(spec.embedding().shape[0]))
        z, _, gamma, _ = _points_of(spec)
        return _RKMESpace(
            key, int(z.shape[1]), gamma, self.n_features, self.sketch_min_size
        )

    def _remove_locked(self, key: Hashable, *, compact: bool) -> None:
        where = self._where.pop(key, None)
        if where is None:
            return
        space = self._spaces[where[0]]
        space.alive[where[1]] = False  # readers copied the mask: they are unaffected
        space.n_dead += 1
        if compact:
            self._maybe_compact(space)

    def _maybe_compact(self, space: _Space) -> None:
        if space.n_dead > _COMPACT_DEAD_SHARE * max(space.n, 1):
            self._compact_space(space)

    def _compact_space(self, space: _Space) -> None:
        if space.n_dead == 0:
            return
        rows = space.compact()
        for key, row in rows.items():
            self._where[key] = (space.key, row)
        if space.n == 0:
            del self._spaces[space.key]

    # ------------------------------------------------------------ reads

    def _snapshot_for(
        self,
        query: StatSpecification,
        candidate_keys: Iterable[Hashable] | None = None,
        *,
        strict: bool = False,
    ) -> tuple[_Snapshot, _Query, IntArray]:
        """Snapshot of the query's space, the prepared query and the rows to search.

        ``candidate_keys`` None means every live row; otherwise keys in other
        spaces or absent are skipped, or raise KeyError if ``strict`` (then the
        rows keep the order of the keys).
        """
        space_key = feature_space_key(query)
        keys = None if candidate_keys is None else list(candidate_keys)
        with self._lock:
            space = self._spaces.get(space_key)
            if space is None:
                known = ", ".join(repr(k) for k in self._spaces) or "none"
                raise SpecificationError(
                    f"no learnware in the query's feature space {space_key!r} "
                    f"(indexed spaces: {known})"
                )
            snap = space.snapshot()
            if keys is None:
                rows = np.flatnonzero(snap.alive).astype(np.int64)
            else:
                found: list[int] = []
                for key in keys:
                    where = self._where.get(key)
                    if where is not None and where[0] == space_key:
                        found.append(where[1])
                    elif strict:
                        raise KeyError(
                            f"{key!r} is not indexed in the query's feature space"
                        )
                rows = np.asarray(
                    found if strict else sorted(set(found)), dtype=np.int64
                )
        return snap, space.prepare(query), rows

    def search_single(
        self,
        query: StatSpecification,
        *,
        top_k: int = 10,
        candidate_keys: Iterable[Hashable] | None = None,
    ) -> list[SearchResult]:
        """The ``top_k`` specifications closest to ``query`` in exact squared MMD.

        Parameters
        ----------
        query : StatSpecification
            A fitted table, text or image specification.
        top_k : int, default=10
        candidate_keys : iterable of keys, optional
            Restrict the search to these keys (e.g. after a semantic filter); keys
            that are absent or in another feature space are ignored.

        Returns
        -------
        results : list of SearchResult
            Ascending ``mmd2`` (ties by insertion order); ``mmd2`` equals
            ``query.dist(spec)`` up to float64 rounding.

        Raises
        ------
        SpecificationError
            Unsupported query, or no stored specification shares its feature space
            (the message names the query's space and the indexed ones).
        """
        if top_k < 1:
            raise ValueError(f"top_k must be >= 1, got {top_k}")
        snap, q, rows = self._snapshot_for(query, candidate_keys)
        found, values, _ = _exact_top_k(snap, q, rows, top_k)
        scores = score_from_mmd2(values, q.resolution)
        return [
            SearchResult(snap.keys[r], float(v), float(s))
            for r, v, s in zip(found, values, scores, strict=True)
        ]

    def mmd_squared(
        self, query: StatSpecification, keys: Sequence[Hashable]
    ) -> FloatArray:
        """Exact squared MMD from ``query`` to each of ``keys``, shape (len(keys),).

        Raises
        ------
        KeyError
            A key is absent or in another feature space.
        """
        snap, q, rows = self._snapshot_for(query, keys, strict=True)
        return snap.space.exact(snap, q, rows)

    def resolution(self, query: StatSpecification) -> float:
        """The query's :func:`spec_resolution` (the unit of its scores)."""
        _, q, _ = self._snapshot_for(query, ())
        return q.resolution

    def inner_products(
        self,
        query: StatSpecification,
        keys: Sequence[Hashable],
        *,
        known: tuple[Sequence[Hashable], FloatArray, FloatArray] | None = None,
    ) -> tuple[float, FloatArray, FloatArray]:
        """Exact RKHS inner products for a mixture QP over ``keys``.

        Parameters
        ----------
        query : StatSpecification
        keys : sequence of keys, length m
        known : (keys0, c0, G0), optional
            A previous result whose ``keys0`` are a prefix of ``keys``; only the
            new rows and columns are computed.

        Returns
        -------
        qq : float
            ``<phi_q, phi_q>``.
        c : ndarray of shape (m,)
            ``<phi_q, phi_i>``.
        G : ndarray of shape (m, m)
            ``<phi_i, phi_j>`` (symmetric positive semi-definite).

        Raises
        ------
        KeyError
            A key is absent or in another feature space.
        """
        snap, q, rows = self._snapshot_for(query, keys, strict=True)
        n0 = 0
        if known is not None and list(known[0]) == list(keys[: len(known[0])]):
            n0 = len(known[0])
        if n0 == 0:
            c, G = snap.space.gram(snap, q, rows)
            return q.qq, c, G
        assert known is not None
        m = rows.shape[0]
        c = np.empty(m)
        G = np.empty((m, m))
        c[:n0], G[:n0, :n0] = known[1], known[2]
        new = rows[n0:]
        c_new, G_new = snap.space.gram(snap, q, new)
        c[n0:] = c_new
        G[n0:, n0:] = G_new
        cross = snap.space.gram_block(snap, rows[:n0], new)
        G[:n0, n0:] = cross
        G[n0:, :n0] = cross.T
        return q.qq, c, G

    def propose_components(
        self,
        query: StatSpecification,
        keys: Sequence[Hashable],
        weights: FloatArray,
        *,
        n: int = 8,
        candidate_keys: Iterable[Hashable] | None = None,
    ) -> list[Hashable]:
        """Keys whose addition would most reduce the mixture's MMD.

        Ranks specifications by ``<phi_q - m, phi_j - m>`` (the Frank-Wolfe
        direction of the simplex QP, ``m = sum_i w_i phi_i``), computed exactly for
        a pool of rows: in a space with a sketch, the ``max(n, 16)`` best by the
        random-feature estimate (whose error, ~1/sqrt(features), can exceed the
        differences between similar tasks); in a smaller space, every row. Only a
        proposal: the caller re-solves the QP.
        """
        snap, q, rows = self._snapshot_for(query, candidate_keys)
        support = self._snapshot_rows(snap, keys)
        w = np.asarray(weights, dtype=np.float64)
        rows = rows[~np.isin(rows, support)]
        if rows.shape[0] == 0 or support.shape[0] != w.shape[0]:
            return []
        approx = snap.space.residual_gain(snap, q, support, w)
        if approx is not None:  # shortlist by the sketch, decide exactly
            pool = max(_PROPOSAL_POOL, n)
            rows = rows[np.argsort(-approx[rows], kind="stable")[:pool]]
        elif rows.shape[0] > _NO_SKETCH_POOL:  # no sketch yet: the nearest rows
            rows, _, _ = _exact_top_k(snap, q, rows, _NO_SKETCH_POOL)
        g = snap.space.gain_exact(snap, q, support, w, rows)
        top = np.argsort(-g, kind="stable")[:n]
        return [snap.keys[rows[i]] for i in top if g[i] > 0]

    def _snapshot_rows(self, snap: _Snapshot, keys: Sequence[Hashable]) -> IntArray:
        with self._lock:
            rows = [self._where[k][1] for k in keys if k in self._where]
        out = np.asarray(rows, dtype=np.int64)
        return out[out < snap.n]


# Rows whose Frank-Wolfe gain is computed exactly per round: the best by the sketch,
# or, in a space too small for a sketch, all of them (up to the second constant).
_PROPOSAL_POOL = 16
_NO_SKETCH_POOL = 256


def _exact_top_k(
    snap: _Snapshot, query: _Query, rows: IntArray, top_k: int
) -> tuple[IntArray, FloatArray, int]:
    """Rows and exact values of the ``top_k`` smallest MMD^2, and #exact evaluations."""
    space = snap.space
    k = min(top_k, rows.shape[0])
    if k == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0), 0
    lower = (
        None if rows.shape[0] <= _BRUTE_MAX else space.lower_bounds(snap, query, rows)
    )
    if lower is None:
        values = space.exact(snap, query, rows)
        order = np.lexsort((rows, values))[:k]
        return rows[order], values[order], int(rows.shape[0])
    order = np.argsort(lower, kind="stable")
    cand, cand_lower = rows[order], lower[order]
    best_rows = np.zeros(0, dtype=np.int64)
    best_vals = np.zeros(0)
    n_exact, start = 0, 0
    step = max(_EXACT_CHUNK, 4 * k)  # then doubling: few rounds when bounds are loose
    while start < cand.shape[0]:
        if best_vals.shape[0] >= k and cand_lower[start] > best_vals[k - 1]:
            break  # every remaining row is provably farther than the k-th found
        r = cand[start : start + step]
        start += step
        step = min(2 * step, _EXACT_CHUNK_MAX)
        v = space.exact(snap, query, r)
        n_exact += r.shape[0]
        all_rows = np.concatenate((best_rows, r))
        all_vals = np.concatenate((best_vals, v))
        order = np.lexsort((all_rows, all_vals))[:k]
        best_rows, best_vals = all_rows[order], all_vals[order]
    return best_rows, best_vals, n_exact
