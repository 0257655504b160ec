"""Reuse a table learnware from another feature space, aligned by column meaning.

Three steps, none of which needs a learned identity of an exact description string:

1. **Match by meaning** (:func:`match_by_meaning`). The user's columns (their
   descriptions or bare CSV header) are matched one-to-one to the learnware's (its
   semantic spec's ``Input.Description``) on the pair similarity of
   :meth:`~learnware_core.islands.columns.ColumnSpace.similarity` (MiniLM sentence
   meaning, abbreviations spelt out in context), accepted at the calibrated
   :data:`~learnware_core.islands.columns.PAIR_THRESHOLD`. When the user's rows are
   at hand, the columns' values take part (:func:`marginal_agreement`): a pair whose
   value distributions cannot be the same quantity is pushed down, identical
   distributions break ties between similar meanings, and columns without a
   meaningful name (``"x"``, ``"col_3"``) can only be matched by values that agree
   almost exactly.
2. **Impute the rest from the RKME** (:func:`rkme_conditional_mean`). The
   learnware's RKME (points ``z_j``, weights ``beta_j``) is a weighted sample of its
   training distribution. A learnware column the user lacks is filled, row by row,
   with its conditional expectation given the matched columns ``M``, estimated on
   the reduced set (Nadaraya-Watson)::

       x_U = sum_j w_j z_jU
       w_j ∝ max(beta_j, 0) exp(-||(x_M - z_jM) / s_M||^2 / (2 h^2 |M|))

   with robust per-column scales ``s`` from the RKME points themselves (weighted
   inter-quartile range; columns stay in the learnware's raw units). The bandwidth
   ``h`` is chosen on the reduced set alone: each point's missing columns are
   imputed from the other points (leave-one-out) and the ``h`` that changes the
   learnware's own output least wins. A large ``h`` is the RKME mean, so mean-fill
   is a candidate and wins when the matched columns say nothing about the others.
3. **Correct the output** with the user's few labelled rows, if any: an affine
   recalibration of the learnware's output, a ridge / logistic regression and a
   small random forest on ``[learnware output, user's own columns]`` are compared
   with the raw output by K-fold cross-validation on those rows; the simplest one
   within one standard error (of the row-wise loss difference) of the best is
   kept, the raw output first.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core._validation import as_2d_float
from learnware_core.islands.columns import (
    ColumnMatch,
    ColumnSpace,
    MatchedPair,
    column_words,
    default_column_space,
    is_placeholder,
)
from learnware_core.reuse.base import (
    BaseReuser,
    FloatArray,
    LearnwareLike,
    ReuseError,
    check_fitted,
    check_task,
)
from learnware_core.specification.rkme import RKMETableSpecification

__all__ = [
    "MeaningAlignReuser",
    "column_text_list",
    "marginal_agreement",
    "match_by_meaning",
    "rkme_conditional_mean",
]

Columns = Mapping[str, str] | Sequence[str] | None
Correction = Literal["none", "affine", "linear", "forest", "blend"]

BANDWIDTH_GRID: tuple[float, ...] = tuple(float(v) for v in np.geomspace(0.05, 8.0, 24))
"""Candidate bandwidths ``h`` (in robust-scale units per matched column, times
``sqrt(n_matched)``) for the leave-one-out choice; the last one is practically the
RKME mean."""

_EPS = 1e-12


def column_text_list(columns: Columns, n: int) -> list[str]:
    """Column descriptions as a list of ``n`` texts (``""`` where undescribed).

    Parameters
    ----------
    columns : mapping of str to str, sequence of str, or None
        ``Input.Description`` (``{"0": "carat", ...}``) or texts in column order.
    n : int
        Number of columns.

    Returns
    -------
    texts : list of str
    """
    if columns is None:
        return [""] * n
    if isinstance(columns, Mapping):
        return [str(columns.get(str(i), "") or "") for i in range(n)]
    texts = [str(t) for t in columns]
    if len(texts) != n:
        raise ReuseError(f"{len(texts)} column descriptions for {n} columns")
    return texts


_QUANTILES = np.linspace(0.05, 0.95, 19)


def _weighted_quantiles(z: FloatArray, w: FloatArray, qs: FloatArray) -> FloatArray:
    """Quantiles ``(len(qs), d)`` of weighted points (step inverse of the CDF)."""
    out = np.empty((len(qs), z.shape[1]))
    for j in range(z.shape[1]):
        order = np.argsort(z[:, j])
        cw = np.cumsum(w[order])
        idx = np.minimum(np.searchsorted(cw, qs * cw[-1]), len(order) - 1)
        out[:, j] = z[order[idx], j]
    return out


def marginal_agreement(X_user: ArrayLike, z: ArrayLike, beta: ArrayLike) -> FloatArray:
    """How alike every user column's values are to every learnware column's.

    ``A[i, j] = exp(-mean_q |Q_i(q) - Q_j(q)| / s_ij)``: the mean gap between the
    5 %, 10 %, ..., 95 % quantiles of user column ``i`` (its rows) and learnware
    column ``j`` (its RKME points, weighted by ``max(beta, 0)``), in units of the two
    columns' mean robust scale. 1 for identical distributions, near 0 for columns in
    other units or ranges. Raw units are compared as they are.

    Parameters
    ----------
    X_user : array-like of shape (n, d_user)
        NaN allowed (ignored).
    z : array-like of shape (K, d_learnware)
    beta : array-like of shape (K,)

    Returns
    -------
    A : ndarray of shape (d_user, d_learnware), values in [0, 1]
    """
    Xu = as_2d_float(X_user, name="X_user", allow_nan=True)
    Z = as_2d_float(z, name="z")
    w = _positive_weights(beta, Z.shape[0])
    Qu = np.empty((len(_QUANTILES), Xu.shape[1]))
    for i in range(Xu.shape[1]):
        col = Xu[:, i][~np.isnan(Xu[:, i])]
        Qu[:, i] = np.quantile(col, _QUANTILES) if col.size else np.nan
    Ql = _weighted_quantiles(Z, w, _QUANTILES)
    lo, hi = np.searchsorted(_QUANTILES, [0.25, 0.75])

    def spread(Q: FloatArray) -> FloatArray:
        iqr = (Q[hi] - Q[lo]) / 1.349
        full = (Q[-1] - Q[0]) / 3.29
        return np.asarray(np.where(iqr > _EPS, iqr, full), dtype=np.float64)

    su, sl = spread(Qu), spread(Ql)
    gap = np.abs(Qu[:, :, None] - Ql[:, None, :]).mean(axis=0)
    scale = 0.5 * (su[:, None] + sl[None, :])
    level = 0.5 * (np.abs(Qu).mean(axis=0)[:, None] + np.abs(Ql).mean(axis=0)[None, :])
    scale = np.maximum(scale, 1e-6 * np.maximum(level, 1.0))
    out = np.exp(-gap / scale)
    return np.asarray(np.nan_to_num(out, nan=0.0), dtype=np.float64)


def match_by_meaning(
    user_texts: Sequence[str],
    learnware_texts: Sequence[str],
    *,
    space: ColumnSpace | None = None,
    threshold: float | None = None,
    agreement: FloatArray | None = None,
    agreement_weight: float = 0.8,
    agreement_only: float = 0.9,
) -> ColumnMatch:
    """One-to-one match of user columns to learnware columns by description meaning.

    The pair score is the meaning similarity ``S`` of
    :meth:`~learnware_core.islands.columns.ColumnSpace.similarity`, set to at least
    1 for identically worded texts (:func:`column_words` equal), plus, when the
    columns' values are known, ``agreement_weight * (A - 0.5)`` with ``A`` from
    :func:`marginal_agreement` (values that cannot be the same quantity push a pair
    down; identical distributions break ties between similar meanings). A pair
    whose values agree almost exactly (``A >= agreement_only``) may also be
    accepted on its values alone, just above the threshold (so any pair accepted
    by meaning wins over it): the only way for a placeholder or a bare letter
    (``"x"``, ``"y"``) to be matched. The assignment maximises the total margin
    ``sum(score - threshold)`` over the accepted pairs, so one sure pair is not
    traded for two doubtful ones.

    Parameters
    ----------
    user_texts, learnware_texts : sequence of str
    space : ColumnSpace, optional
        Default :func:`~learnware_core.islands.columns.default_column_space`.
    threshold : float, optional
        Acceptance score; default the space's (calibrated
        :data:`~learnware_core.islands.columns.PAIR_THRESHOLD`).
    agreement : ndarray of shape (len(user_texts), len(learnware_texts)), optional
    agreement_weight, agreement_only : float

    Returns
    -------
    match : ColumnMatch
        ``left`` = user columns, ``right`` = learnware columns; a pair's
        ``similarity`` is its score.
    """
    from scipy.optimize import linear_sum_assignment

    space = default_column_space() if space is None else space
    thr = space.threshold if threshold is None else float(threshold)
    S = np.array(space.similarity(list(user_texts), list(learnware_texts)), dtype=float)
    words_u = [column_words(t) for t in user_texts]
    words_l = [column_words(t) for t in learnware_texts]
    ph_u = np.array([is_placeholder(t) for t in user_texts], dtype=bool)
    ph_l = np.array([is_placeholder(t) for t in learnware_texts], dtype=bool)
    for i, a in enumerate(words_u):
        for j, b in enumerate(words_l):
            if a and a == b and not (ph_u[i] or ph_l[j]):
                S[i, j] = max(S[i, j], 1.0)
    no_meaning = ph_u[:, None] | ph_l[None, :]
    if agreement is not None:
        A = np.asarray(agreement, dtype=np.float64)
        if A.shape != S.shape:
            raise ReuseError(f"agreement has shape {A.shape}, expected {S.shape}")
        by_values = np.where(agreement_only <= A, thr + (A - agreement_only), -1.0)
        S = np.where(no_meaning, by_values, S + agreement_weight * (A - 0.5))
        S = np.maximum(S, by_values)
    else:
        S = np.where(no_meaning, -1.0, S)
    pairs: list[MatchedPair] = []
    if S.size:
        margin = np.where(thr <= S, S - thr + _EPS, 0.0)
        rows, cols = linear_sum_assignment(margin, maximize=True)
        pairs = sorted(
            MatchedPair(int(i), int(j), float(S[i, j]))
            for i, j in zip(rows, cols, strict=True)
            if margin[i, j] > 0.0
        )
    left = {p.left for p in pairs}
    right = {p.right for p in pairs}
    return ColumnMatch(
        pairs=tuple(pairs),
        unmatched_left=tuple(i for i in range(len(user_texts)) if i not in left),
        unmatched_right=tuple(j for j in range(len(learnware_texts)) if j not in right),
        n_left=len(user_texts),
        n_right=len(learnware_texts),
        described_left=int(np.count_nonzero(~ph_u)),
        described_right=int(np.count_nonzero(~ph_l)),
        threshold=thr,
    )


def _positive_weights(beta: ArrayLike, k: int) -> FloatArray:
    w = np.clip(np.asarray(beta, dtype=np.float64).reshape(-1), 0.0, None)
    if w.shape[0] != k:
        raise ReuseError(f"beta has {w.shape[0]} weights for {k} points")
    out: FloatArray = w / w.sum() if w.sum() > 0 else np.full(k, 1.0 / k)
    return out


def _robust_location_scale(
    z: FloatArray, w: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Weighted median and weighted IQR / 1.349 per column (then the weighted
    standard deviation, then 1 where a column is constant)."""
    q1, center, q3 = _weighted_quantiles(z, w, np.array([0.25, 0.5, 0.75]))
    scale = (q3 - q1) / 1.349
    std = np.sqrt(np.maximum(w @ (z - w @ z) ** 2, 0.0))
    scale = np.where(scale > _EPS, scale, std)
    return center, np.where(scale > _EPS, scale, 1.0)


def _kernel_weights(
    Xs: FloatArray, Zs: FloatArray, log_beta: FloatArray, h: float
) -> FloatArray:
    """Row-normalised weights over the points; NaN coordinates of ``Xs`` are ignored."""
    diff = Xs[:, None, :] - Zs[None, :, :]
    np.nan_to_num(diff, copy=False, nan=0.0)
    d2 = np.einsum("nkd,nkd->nk", diff, diff)
    logits = log_beta[None, :] - d2 / (2.0 * h * h)
    logits -= logits.max(axis=1, keepdims=True)
    W = np.exp(logits)
    out: FloatArray = W / W.sum(axis=1, keepdims=True)
    return out


def rkme_conditional_mean(
    z: ArrayLike,
    beta: ArrayLike,
    X_observed: ArrayLike,
    observed: Sequence[int],
    *,
    bandwidth: float | None = None,
) -> tuple[FloatArray, float]:
    """Rows completed with the RKME's conditional expectation of their other columns.

    Parameters
    ----------
    z : array-like of shape (K, d)
        The RKME's reduced set (raw units).
    beta : array-like of shape (K,)
        Its weights (negative weights count as 0).
    X_observed : array-like of shape (n, len(observed))
        The known columns of each row (NaN: unknown in that row).
    observed : sequence of int
        Which of the ``d`` columns ``X_observed`` holds, in its column order.
    bandwidth : float, optional
        ``h`` in robust-scale units; default chosen by leave-one-out on the reduced
        set (:data:`BANDWIDTH_GRID`).

    Returns
    -------
    X : ndarray of shape (n, d)
        Known values kept, every other entry imputed.
    bandwidth : float
        The ``h`` used (``inf``: no column was observed, the weighted mean).
    """
    Z = as_2d_float(z, name="z")
    w = _positive_weights(beta, Z.shape[0])
    obs = [int(i) for i in observed]
    Xo = as_2d_float(X_observed, name="X_observed", allow_nan=True)
    if Xo.shape[1] != len(obs):
        raise ReuseError(f"X_observed has {Xo.shape[1]} columns, observed {len(obs)}")
    n, d = Xo.shape[0], Z.shape[1]
    out = np.empty((n, d))
    if not obs:
        out[:] = w @ Z
        return out, float("inf")
    center, scale = _robust_location_scale(Z, w)
    Zs = (Z - center) / scale
    Xs = (Xo - center[obs]) / scale[obs]
    missing = [j for j in range(d) if j not in set(obs)]
    h = (
        float(bandwidth)
        if bandwidth is not None
        else _loo_bandwidth(Zs, w, obs, missing)
    )
    with np.errstate(under="ignore"):
        log_w = np.log(np.maximum(w, 1e-300))
        W = _kernel_weights(Xs, Zs[:, obs], log_w, h * np.sqrt(len(obs)))
    full = W @ Z
    out[:] = full
    out[:, obs] = np.where(np.isnan(Xo), full[:, obs], Xo)
    return out, h


def _loo_imputations(
    Zs: FloatArray, w: FloatArray, obs: list[int], grid: Sequence[float]
) -> list[FloatArray]:
    """For every ``h`` of ``grid``: each reduced-set point's columns predicted
    (Nadaraya-Watson, scaled units) from its ``obs`` columns by the *other* points."""
    Zo = Zs[:, obs]
    diff = Zo[:, None, :] - Zo[None, :, :]
    d2 = np.einsum("ikd,ikd->ik", diff, diff)
    log_w = np.log(np.maximum(w, 1e-300))
    root = np.sqrt(len(obs))
    out = []
    for h in grid:
        logits = log_w[None, :] - d2 / (2.0 * (h * root) ** 2)
        np.fill_diagonal(logits, -np.inf)
        logits -= logits.max(axis=1, keepdims=True)
        W = np.exp(logits)
        W /= W.sum(axis=1, keepdims=True)
        out.append(W @ Zs)
    return out


def _loo_bandwidth(
    Zs: FloatArray, w: FloatArray, obs: list[int], missing: list[int]
) -> float:
    """The grid bandwidth whose leave-one-out prediction of the missing columns
    (scaled units, ``beta``-weighted squared error) over the reduced set is best."""
    if not missing or Zs.shape[0] < 3:
        return 1.0
    best, best_h = np.inf, BANDWIDTH_GRID[-1]
    for h, Zhat in zip(
        BANDWIDTH_GRID, _loo_imputations(Zs, w, obs, BANDWIDTH_GRID), strict=True
    ):
        err = float(w @ ((Zhat[:, missing] - Zs[:, missing]) ** 2).sum(axis=1))
        if err < best - 1e-12:
            best, best_h = err, h
    return float(best_h)


class MeaningAlignReuser(BaseReuser):
    """Run a table learnware on a user's table of other columns, matched by meaning.

    Parameters
    ----------
    learnware : LearnwareLike
        With a fitted :class:`RKMETableSpecification` ``spec`` (its training
        distribution, raw units).
    learnware_columns : mapping or sequence of str
        The learnware's ``Input.Description`` (or texts in column order).
    user_columns : mapping or sequence of str
        The user's column descriptions or CSV header, in the user's column order.
    task : {"classification", "regression"}, default="classification"
        The user's task (what ``predict`` returns).
    learnware_task : {"classification", "regression"}, optional
        What the learnware outputs; default ``task``. When it differs (a regressor
        reused for a classification, or the reverse) its output is only a feature
        of the correction, which then needs labels.
    space : ColumnSpace, optional
        Meaning space of the match; default
        :func:`~learnware_core.islands.columns.default_column_space` (MiniLM).
    threshold : float, optional
        Pair acceptance similarity; default the space's (calibrated).
    bandwidth : float, optional
        Imputation bandwidth ``h``; default chosen by leave-one-out on the RKME
        points, scored by the learnware's own output (see :meth:`fit`).
    agreement_weight, agreement_only : float, default=0.8, 0.9
        How the columns' values enter the match when ``fit`` gets rows (see
        :func:`match_by_meaning`); ``agreement_weight=0``: meaning alone.
    correction : bool, default=True
        Fit an output correction when ``fit`` gets labels.
    cv : int, default=5
        Folds of the cross-validation that chooses the correction.
    n_se : float, default=1.0
        The simplest candidate within ``n_se`` standard errors of the best is kept
        (0: the best).
    min_labelled : int, default=10
        Fewer labelled rows than this: no correction.
    random_state : int, Generator or None, default=None
        Seed of the folds and the forest.

    Attributes
    ----------
    match_ : ColumnMatch
        User columns (left) matched to the learnware's (right).
    column_map_ : tuple of int
        For every learnware column, the user column feeding it, or -1 (imputed).
    bandwidth_ : float
        The imputation bandwidth chosen at ``fit``.
    correction_ : {"none", "affine", "linear", "forest", "blend"}
        The output correction kept (``"none"``: the learnware's own output).
    cv_errors_ : dict of str to float
        Cross-validated error of every candidate (MSE; 1 - accuracy).
    classes_ : ndarray or None
        Class labels of the learnware's probability columns (classification).

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> from learnware_core.reuse import LocalLearnware
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 2)); X[:, 1] += X[:, 0]
    >>> spec = RKMETableSpecification(random_state=0).fit(X)
    >>> lw = LocalLearnware(LinearRegression().fit(X, X.sum(axis=1)), spec)
    >>> r = MeaningAlignReuser(lw, learnware_columns=["speed", "distance"],
    ...     user_columns=["distance_km"], task="regression").fit()  # doctest: +SKIP
    """

    def __init__(
        self,
        learnware: LearnwareLike,
        *,
        learnware_columns: Columns,
        user_columns: Columns,
        task: str = "classification",
        learnware_task: str | None = None,
        space: ColumnSpace | None = None,
        threshold: float | None = None,
        bandwidth: float | None = None,
        agreement_weight: float = 0.8,
        agreement_only: float = 0.9,
        correction: bool = True,
        cv: int = 5,
        n_se: float = 1.0,
        min_labelled: int = 10,
        random_state: int | np.random.Generator | None = None,
    ) -> None:
        self.learnware = learnware
        self.learnware_columns = learnware_columns
        self.user_columns = user_columns
        self.task = task
        self.learnware_task = learnware_task
        self.space = space
        self.threshold = threshold
        self.bandwidth = bandwidth
        self.agreement_weight = agreement_weight
        self.agreement_only = agreement_only
        self.correction = correction
        self.cv = cv
        self.n_se = n_se
        self.min_labelled = min_labelled
        self.random_state = random_state

    # ---------------------------------------------------------------- fit

    def fit(self, X: ArrayLike | None = None, y: ArrayLike | None = None) -> Self:
        """Match the columns, choose the imputation bandwidth, fit the correction.

        Parameters
        ----------
        X : array-like of shape (n, d_user), optional
            User rows; labelled rows when ``y`` is given. Only their width is needed
            without ``y`` (else ``user_columns`` gives it).
        y : array-like of shape (n,), optional
            Labels of ``X``: fits the output correction.

        Returns
        -------
        self : MeaningAlignReuser
        """
        task = check_task(self.task)
        self.learnware_task_ = check_task(
            task if self.learnware_task is None else self.learnware_task
        )
        for name in ("cv", "min_labelled"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise ReuseError(f"{name} must be an int, got {value!r}")
        if self.cv < 2:
            raise ReuseError(f"cv must be >= 2, got {self.cv}")
        spec = getattr(self.learnware, "spec", None)
        if (
            not isinstance(spec, RKMETableSpecification)
            or getattr(spec, "z_", None) is None
        ):
            raise ReuseError("the learnware needs a fitted RKMETableSpecification")
        d_lw = int(spec.n_features_in_)
        Xa = None if X is None else as_2d_float(X, name="X", allow_nan=True)
        if Xa is not None:
            d_user = Xa.shape[1]
        elif isinstance(self.user_columns, Mapping) or self.user_columns is None:
            raise ReuseError("fit needs X (or user_columns as a list) for the width")
        else:
            d_user = len(self.user_columns)
        left = column_text_list(self.user_columns, d_user)
        right = column_text_list(self.learnware_columns, d_lw)
        self._z = np.asarray(spec.z_, dtype=np.float64)
        self._beta = np.asarray(spec.beta_, dtype=np.float64)
        agreement = None
        if Xa is not None and self.agreement_weight > 0:
            agreement = marginal_agreement(Xa, self._z, self._beta)
        self.match_: ColumnMatch = match_by_meaning(
            left,
            right,
            space=self.space,
            threshold=self.threshold,
            agreement=agreement,
            agreement_weight=self.agreement_weight,
            agreement_only=self.agreement_only,
        )
        self.column_map_ = self.match_.right_to_left()
        self.n_features_in_ = d_user
        observed = [j for j, i in enumerate(self.column_map_) if i >= 0]
        if self.bandwidth is not None:
            self.bandwidth_ = float(self.bandwidth)
        else:
            self.bandwidth_ = self._choose_bandwidth(observed)
        self.classes_: NDArray[Any] | None = None
        self.correction_: Correction = "none"
        self.cv_errors_: dict[str, float] = {}
        self._corrector: Any = None
        self._feature_center: FloatArray | None = None
        self._feature_scale: FloatArray | None = None
        self._output_center: FloatArray | None = None
        self._output_scale: FloatArray | None = None
        self._y_bounds: tuple[float, float] | None = None
        if task == "classification" and self.learnware_task_ == task:
            self.classes_ = np.arange(self._n_classes())
        if y is not None and self.correction:
            if Xa is None:
                raise ReuseError("labels need their rows X")
            ya = np.asarray(y).reshape(-1)
            if ya.shape[0] != Xa.shape[0]:
                raise ReuseError(f"X has {Xa.shape[0]} rows, y {ya.shape[0]}")
            if ya.shape[0] >= self.min_labelled:
                self._fit_correction(Xa, ya, task)
        return self

    def _choose_bandwidth(self, observed: list[int]) -> float:
        """The grid ``h`` whose leave-one-out imputation of the reduced set changes
        the learnware's output least (``beta``-weighted squared difference of its
        values or class probabilities); the mean-fill is the grid's last point."""
        d = self._z.shape[1]
        if not observed:
            return float("inf")
        if len(observed) == d or self._z.shape[0] < 3:
            return 1.0
        w = _positive_weights(self._beta, self._z.shape[0])
        center, scale = _robust_location_scale(self._z, w)
        Zs = (self._z - center) / scale
        missing = [j for j in range(d) if j not in set(observed)]
        target = self._raw_scores(self._z)
        spread = float(np.sum(w @ (target - w @ target) ** 2)) or 1.0
        best, best_h = np.inf, BANDWIDTH_GRID[-1]
        for h, Zhat in zip(
            BANDWIDTH_GRID,
            _loo_imputations(Zs, w, observed, BANDWIDTH_GRID),
            strict=True,
        ):
            Zfill = self._z.copy()
            Zfill[:, missing] = Zhat[:, missing] * scale[missing] + center[missing]
            gap = float(np.sum(w @ (self._raw_scores(Zfill) - target) ** 2))
            if gap < best - 1e-9 * spread:
                best, best_h = gap, h
        return float(best_h)

    def _n_classes(self) -> int:
        probe = self.transform_learnware_space(
            np.full((1, self.n_features_in_), np.nan)
        )
        return int(self._raw_scores(probe).shape[1])

    # ---------------------------------------------------------------- transform

    def transform(self, X: ArrayLike) -> FloatArray:
        """User rows in the learnware's feature space (raw units), missing columns
        imputed from the RKME.

        Parameters
        ----------
        X : array-like of shape (n, d_user)

        Returns
        -------
        X_learnware : ndarray of shape (n, d_learnware)
        """
        check_fitted(self, "match_")
        Xa = as_2d_float(X, name="X", allow_nan=True)
        if Xa.shape[1] != self.n_features_in_:
            raise ReuseError(
                f"X has {Xa.shape[1]} columns, fit saw {self.n_features_in_}"
            )
        return self.transform_learnware_space(Xa)

    def transform_learnware_space(self, Xa: FloatArray) -> FloatArray:
        """:meth:`transform` on validated rows (no width check)."""
        observed = [j for j, i in enumerate(self.column_map_) if i >= 0]
        Xo = Xa[:, [self.column_map_[j] for j in observed]]
        out, _ = rkme_conditional_mean(
            self._z, self._beta, Xo, observed, bandwidth=self.bandwidth_
        )
        return out

    # ---------------------------------------------------------------- outputs

    def _raw_scores(self, Xl: FloatArray) -> FloatArray:
        """Learnware output as features: values (regression) or class scores."""
        lw = self.learnware
        if self.learnware_task_ == "regression":
            out = np.asarray(lw.predict(Xl), dtype=np.float64)
            return out.reshape(Xl.shape[0], -1)
        method = getattr(lw, "predict_proba", None)
        if callable(method):
            return np.asarray(method(Xl), dtype=np.float64).reshape(Xl.shape[0], -1)
        labels = np.asarray(lw.predict(Xl)).reshape(-1).astype(np.int64)
        k = max(int(labels.max(initial=0)) + 1, 2)
        return np.asarray(np.eye(k)[labels], dtype=np.float64)

    def _own_features(self, Xa: FloatArray) -> FloatArray:
        assert self._feature_center is not None
        assert self._feature_scale is not None
        F = (Xa - self._feature_center) / self._feature_scale
        return np.nan_to_num(np.clip(F, -10.0, 10.0), nan=0.0)

    def _design(self, P: FloatArray, Xa: FloatArray, name: str) -> FloatArray:
        if self.learnware_task_ == "classification":
            P = np.log(np.clip(P, 1e-4, 1.0))
        else:
            assert self._output_center is not None
            assert self._output_scale is not None
            P = (P - self._output_center) / self._output_scale
        if name == "affine":
            return P
        return np.hstack([P, self._own_features(Xa)])

    def _candidate(self, name: str) -> Any:
        from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
        from sklearn.linear_model import LogisticRegression, Ridge, RidgeCV

        seed = _seed(self.random_state)
        if name == "blend":
            return _Blend(self._candidate("forest"), self._blend_raw)
        if self.task == "regression":
            if name == "affine":
                return Ridge(alpha=1e-6)
            if name == "linear":
                return RidgeCV(alphas=np.geomspace(1e-3, 1e3, 13))
            return RandomForestRegressor(
                n_estimators=100, min_samples_leaf=2, random_state=seed
            )
        if name == "affine":
            return LogisticRegression(C=1.0, max_iter=500)
        if name == "linear":
            return LogisticRegression(C=0.3, max_iter=500)
        return RandomForestClassifier(n_estimators=100, random_state=seed)

    def _losses(self, y: NDArray[Any], pred: NDArray[Any]) -> FloatArray:
        if self.task == "regression":
            return np.asarray((np.asarray(pred, dtype=np.float64) - y) ** 2)
        return np.asarray(np.asarray(pred) != y, dtype=np.float64)

    def _raw_predict(self, P: FloatArray) -> NDArray[Any]:
        if self.learnware_task_ != self.task:
            raise ReuseError(
                f"a {self.learnware_task_} learnware answers a {self.task} task only "
                "through an output correction: fit with labelled rows"
            )
        if self.task == "regression":
            return P[:, 0] if P.shape[1] == 1 else P
        return np.asarray(np.argmax(P, axis=1))

    def _fit_correction(self, Xa: FloatArray, y: NDArray[Any], task: str) -> None:
        from sklearn.model_selection import KFold

        Xl = self.transform_learnware_space(Xa)
        P = self._raw_scores(Xl)
        if self.learnware_task_ == "regression" and P.shape[1] != 1:
            return  # multi-output regression: keep the learnware's output
        yv = y.astype(np.float64) if task == "regression" else y.astype(np.int64)
        if task == "regression":
            # predictions stay within the labels' range widened by half of it (a
            # guard against a learnware or a linear map extrapolating wildly)
            low, high = float(yv.min()), float(yv.max())
            self._y_bounds = (low - 0.5 * (high - low), high + 0.5 * (high - low))
        med = np.nanmedian(Xa, axis=0)
        q1, q3 = np.nanpercentile(Xa, [25, 75], axis=0)
        std = np.nanstd(Xa, axis=0)
        scale = np.where(q3 - q1 > _EPS, (q3 - q1) / 1.349, std)
        self._feature_center = np.nan_to_num(med, nan=0.0)
        self._feature_scale = np.where(np.nan_to_num(scale) > _EPS, scale, 1.0)
        self._n_outputs = P.shape[1]
        self._output_center = P.mean(axis=0)
        p_std = P.std(axis=0)
        self._output_scale = np.where(p_std > _EPS, p_std, 1.0)
        names: list[Correction] = ["affine", "linear", "blend", "forest"]
        if self.learnware_task_ != task:
            names.remove("blend")  # no raw output to blend with
        raw_losses = (
            self._losses(yv, self._raw_predict(P))
            if self.learnware_task_ == task
            else np.full(len(yv), np.inf)
        )
        losses: dict[Correction, FloatArray] = {"none": raw_losses}
        self.cv_errors_ = {"none": float(raw_losses.mean())}
        if task == "classification" and np.unique(yv).size < 2:
            return
        n = len(yv)
        folds = KFold(
            n_splits=min(self.cv, n),
            shuffle=True,
            random_state=_seed(self.random_state),
        )
        for name in names:
            pred = np.empty(n, dtype=yv.dtype)
            for train, test in folds.split(Xa):
                if task == "classification" and np.unique(yv[train]).size < 2:
                    pred[test] = yv[train][0]
                    continue
                model = self._candidate(name)
                model.fit(self._design(P[train], Xa[train], name), yv[train])
                pred[test] = model.predict(self._design(P[test], Xa[test], name))
            losses[name] = self._losses(yv, pred)
            self.cv_errors_[name] = float(losses[name].mean())
        best = min(losses, key=lambda k: self.cv_errors_[k])
        # one-standard-error rule on paired differences: the simplest candidate
        # (none < affine < linear < blend < forest) not worse than the best by more than
        # one standard error of their row-wise loss difference
        chosen = best
        for k in losses:
            gap = losses[k] - losses[best]
            tolerance = self.n_se * gap.std() / np.sqrt(n)
            if np.all(np.isfinite(gap)) and gap.mean() <= tolerance:
                chosen = k
                break
        if chosen != "none":
            best = chosen
            self.correction_ = best
            self._corrector = self._candidate(best).fit(self._design(P, Xa, best), yv)
            if task == "classification" and self.classes_ is None:
                self.classes_ = np.asarray(self._corrector.classes_)

    def _blend_raw(self, D: FloatArray) -> FloatArray:
        """The learnware's own output back from the first columns of a design."""
        if self.learnware_task_ == "classification":
            k = self._n_outputs
            P = np.exp(D[:, :k])
            return np.asarray(P / P.sum(axis=1, keepdims=True), dtype=np.float64)
        assert self._output_center is not None
        assert self._output_scale is not None
        raw = D[:, :1] * self._output_scale + self._output_center
        return np.asarray(raw[:, 0], dtype=np.float64)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Predictions for user rows (corrected if a correction was kept).

        Parameters
        ----------
        X : array-like of shape (n, d_user)

        Returns
        -------
        y : ndarray of shape (n,) (or (n, k) for multi-output regression)
        """
        Xa = as_2d_float(X, name="X", allow_nan=True)
        Xl = self.transform(Xa)
        P = self._raw_scores(Xl)
        if self.correction_ == "none":
            out = self._raw_predict(P)
        else:
            design = self._design(P, Xa, self.correction_)
            out = np.asarray(self._corrector.predict(design))
        if self._y_bounds is not None:
            out = np.clip(out, *self._y_bounds)
        return out

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Class probabilities over the learnware's classes (classification only).

        Parameters
        ----------
        X : array-like of shape (n, d_user)

        Returns
        -------
        proba : ndarray of shape (n, n_classes)
        """
        if self.task != "classification":
            raise ReuseError("predict_proba is for classification")
        Xa = as_2d_float(X, name="X", allow_nan=True)
        P = self._raw_scores(self.transform(Xa))
        if self.correction_ == "none":
            self._raw_predict(P)  # raises if the learnware is not a classifier
            return P
        raw = self._corrector.predict_proba(self._design(P, Xa, self.correction_))
        if self.learnware_task_ != "classification":
            return np.asarray(raw, dtype=np.float64)
        out = np.zeros((Xa.shape[0], P.shape[1]))
        cols = np.asarray(self._corrector.classes_, dtype=np.int64)
        keep = cols < P.shape[1]
        out[:, cols[keep]] = raw[:, keep]
        total = out.sum(axis=1, keepdims=True)
        return np.asarray(out / np.where(total > 0, total, 1.0), dtype=np.float64)


class _Blend:
    """The mean of a forest on ``[learnware output, own columns]`` and the
    learnware's own output (values; class probabilities)."""

    def __init__(self, forest: Any, raw: Any) -> None:
        self.forest = forest
        self.raw = raw

    def fit(self, D: FloatArray, y: NDArray[Any]) -> _Blend:
        self.forest.fit(D, y)
        self.classes_ = getattr(self.forest, "classes_", None)
        return self

    def predict_proba(self, D: FloatArray) -> FloatArray:
        assert self.classes_ is not None
        cols = np.asarray(self.classes_, dtype=np.int64)
        P = self.raw(D)
        own = P[:, np.clip(cols, 0, P.shape[1] - 1)] * (cols < P.shape[1])
        total = own.sum(axis=1, keepdims=True)
        own = own / np.where(total > 0, total, 1.0)
        return np.asarray(0.5 * (own + self.forest.predict_proba(D)), dtype=np.float64)

    def predict(self, D: FloatArray) -> NDArray[Any]:
        if self.classes_ is None:
            return np.asarray(0.5 * (self.raw(D) + self.forest.predict(D)))
        proba = self.predict_proba(D)
        return np.asarray(np.asarray(self.classes_)[np.argmax(proba, axis=1)])


def _seed(random_state: int | np.random.Generator | None) -> int | None:
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(2**31 - 1))
    return random_state
