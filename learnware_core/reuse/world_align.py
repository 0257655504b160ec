"""Reuse a learnware from another feature space through the specification world.

A user row ``x`` is mapped by the engine to world coordinates ``e(x)``; the
learnware's RKME points ``z_j`` have world coordinates ``e(z_j)`` (its system
specification). The row is carried into the learnware's feature space as the
kernel-weighted mean of those points (Nadaraya-Watson in the world),

    x -> sum_j w_j z_j,   w_j ∝ beta_j exp(-s gamma ||e(x) - e(z_j)||^2),

so no map between the two feature spaces has to be fitted from distributions alone,
and the mapping is nonlinear (clock encodings, logs...) where the engine learned the
correspondence. The mean never leaves the hull of the learnware's points; with
``mapping="linear"`` an affine map is fitted to it instead and refined by the MMD
of :class:`~learnware_core.reuse.feature_align.FeatureAlignReuser`. With a few
labelled rows that class's output correction (a ridge or logistic regression on the
learnware's outputs) is fitted on top. Columns that the user and the learnware
describe identically are copied, not mapped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike

from learnware_core._validation import as_2d_float, impute_column_means
from learnware_core.reuse.base import (
    FloatArray,
    LearnwareLike,
    ReuseError,
    check_fitted,
    check_task,
)
from learnware_core.reuse.feature_align import FeatureAlignReuser, _fit_maps
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specworld.columns import UNNAMED, column_texts

if TYPE_CHECKING:
    from learnware_core.specworld import WorldEngine

__all__ = ["WorldAlignReuser"]
Columns = Mapping[str, str] | Sequence[str] | None


class WorldAlignReuser(FeatureAlignReuser):
    """Map user rows into a learnware's feature space through a world engine.

    Parameters
    ----------
    learnware : LearnwareLike
        With a fitted :class:`RKMETableSpecification` ``spec``.
    engine : WorldEngine
    learnware_columns, user_columns : descriptions
        ``Input.Description`` of the learnware and of the user's table.
    task : {"classification", "regression"}, default="classification"
    correction : bool, default=True
        Fit the output correction when ``fit`` gets labels.
    sharpness : float, default=10.0
        ``s`` above, in units of the engine's ``gamma``: larger maps each row to
        fewer, nearer points.
    learnware_world : array-like of shape (K, engine.dim), optional
        World coordinates of the learnware's RKME points, i.e. its system
        specification's ``z_`` (computed by ``fit`` when not given).
    mapping : {"kernel", "linear"}, default="kernel"
        ``"kernel"``: the kernel-weighted mean above (stays on the learnware's
        points; good for classes). ``"linear"``: an affine map fitted to it on the
        user's RKME points and refined by MMD (extrapolates; good for regression,
        where the mean shrinks extreme rows towards the bulk).
    max_iter, n_points, random_state :
        Of the ``"linear"`` refinement (L-BFGS iterations per stage, size of the
        user RKME built from ``X``, seed).
    """

    def __init__(
        self,
        learnware: LearnwareLike,
        engine: WorldEngine,
        *,
        learnware_columns: Columns = None,
        user_columns: Columns = None,
        task: Literal["classification", "regression"] = "classification",
        correction: bool = True,
        sharpness: float = 10.0,
        learnware_world: ArrayLike | None = None,
        mapping: Literal["kernel", "linear"] = "kernel",
        max_iter: int = 100,
        n_points: int = 100,
        random_state: int | np.random.Generator | None = None,
    ) -> None:
        super().__init__(
            learnware,
            task=task,
            correction=correction,
            max_iter=max_iter,
            n_points=n_points,
            random_state=random_state,
        )
        self.mapping = mapping
        self.engine = engine
        self.learnware_columns = learnware_columns
        self.user_columns = user_columns
        self.sharpness = sharpness
        self.learnware_world = learnware_world

    def fit(
        self,
        X: ArrayLike | None = None,
        y: ArrayLike | None = None,
        *,
        user_spec: RKMETableSpecification | None = None,
    ) -> WorldAlignReuser:
        """Embed the learnware's points (``"linear"``: fit the map); fit the output
        correction if ``y`` is given.

        ``user_spec`` (the user's RKME, built from ``X`` if not given) is only used
        by ``mapping="linear"``.
        """
        task = check_task(self.task)
        if self.mapping not in ("kernel", "linear"):
            raise ReuseError(
                f"mapping must be 'kernel' or 'linear', got {self.mapping!r}"
            )
        if not (self.sharpness > 0 and np.isfinite(self.sharpness)):
            raise ReuseError(f"sharpness must be > 0, got {self.sharpness!r}")
        target = getattr(self.learnware, "spec", None)
        if (
            not isinstance(target, RKMETableSpecification)
            or getattr(target, "z_", None) is None
        ):
            raise ReuseError("the learnware needs a fitted RKMETableSpecification")
        self._points = np.asarray(target.z_, dtype=np.float64)
        self._log_beta = np.log(np.maximum(target.beta_, 1e-300))
        if self.learnware_world is not None:
            self._world = as_2d_float(
                self.learnware_world, n_features=self.engine.dim, name="learnware_world"
            )
            if self._world.shape[0] != self._points.shape[0]:
                raise ReuseError("learnware_world needs one row per RKME point")
        else:
            self._world = self.engine.embed(self._points, self.learnware_columns)
        self.n_features_in_ = -1  # any width: the engine reads the user's columns
        self.corrector_ = None
        self.classes_ = None
        self.coef_ = np.zeros((0, 0))  # fitted; the kernel mapping is not linear
        Xa = None if X is None else as_2d_float(X, allow_nan=True)
        if self.mapping == "linear":
            self._fit_linear(target, Xa, user_spec)
        if y is None or not self.correction:
            return self
        if Xa is None:
            raise ReuseError("labels y need the rows X they belong to")
        self.corrector_, _ = self._fit_corrector(Xa, np.asarray(y), task)
        return self

    def _fit_linear(
        self,
        target: RKMETableSpecification,
        Xa: FloatArray | None,
        user_spec: RKMETableSpecification | None,
    ) -> None:
        """The affine map closest (least squares) to the kernel mapping on the
        user's RKME points, refined by MMD to the learnware's RKME: the world gives
        which columns correspond, the MMD fits their scales."""
        if user_spec is None:
            if Xa is None:
                raise ReuseError("mapping='linear' needs X or user_spec")
            user_spec = RKMETableSpecification(
                gamma=target.gamma_, n_points=self.n_points, random_state=0
            ).fit(impute_column_means(Xa))
        Z = user_spec.z_
        images = self.transform_world(self.engine.embed(Z, self.user_columns))
        design = np.hstack([Z, np.ones((Z.shape[0], 1))])
        sol = np.asarray(np.linalg.lstsq(design, images, rcond=None)[0], np.float64)
        user_idx, lw_idx = self._shared_columns(Z.shape[1])
        sol[:, lw_idx] = 0.0  # identically described columns start as copies
        sol[user_idx, lw_idx] = 1.0
        (A, b, mmd2), *_ = _fit_maps(
            Z,
            user_spec.beta_,
            target.z_,
            target.beta_,
            gamma=target.gamma_,
            n_restarts=1,
            max_iter=self.max_iter,
            random_state=self.random_state,
            init=(sol[:-1].T, sol[-1]),
        )
        self.coef_, self.intercept_, self.mmd2_ = A, b, mmd2
        self.n_features_in_ = Z.shape[1]

    def transform(self, X: ArrayLike) -> FloatArray:
        """User rows ``(n, d_user)`` -> rows ``(n, d_learnware)`` of the learnware.

        Columns the user and the learnware describe identically are copied.
        """
        Xa = as_2d_float(X, allow_nan=True)
        if self.mapping == "linear":
            out = super().transform(Xa)
        else:
            out = self.transform_world(self.engine.embed(Xa, self.user_columns))
        user_idx, lw_idx = self._shared_columns(Xa.shape[1])
        out[:, lw_idx] = impute_column_means(Xa)[:, user_idx]
        return out

    def _shared_columns(self, d_user: int) -> tuple[list[int], list[int]]:
        """``(user indices, learnware indices)`` of identically described columns
        (generated names of undescribed columns never match)."""
        d_lw = self._points.shape[1]
        theirs = column_texts(self.learnware_columns, d_lw)
        where = {t: j for j, t in enumerate(theirs) if not t.startswith(UNNAMED)}
        pairs = [
            (i, where[t])
            for i, t in enumerate(column_texts(self.user_columns, d_user))
            if t in where
        ]
        return [i for i, _ in pairs], [j for _, j in pairs]

    def transform_world(self, world: ArrayLike) -> FloatArray:
        """Like :meth:`transform`, from world coordinates (``engine.embed``)."""
        check_fitted(self, "coef_")
        world = as_2d_float(world, n_features=self._world.shape[1], name="world")
        d2 = (
            (world**2).sum(1)[:, None]
            - 2.0 * world @ self._world.T
            + (self._world**2).sum(1)[None, :]
        )
        logits = self._log_beta[None, :] - self.sharpness * self.engine.gamma * d2
        logits -= logits.max(axis=1, keepdims=True)
        w = np.exp(logits)
        w /= w.sum(axis=1, keepdims=True)
        out: FloatArray = w @ self._points
        return out
