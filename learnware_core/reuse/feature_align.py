"""Reuse a learnware from another feature space through a fitted linear map.

The map ``x_user -> A x_user + b`` into the learnware's feature space is chosen to
minimise the squared MMD between the user's RKME pushed through it,
``sum_i beta_i k(A z_i + b, .)``, and the learnware's RKME, under the learnware's
kernel. It is fitted by L-BFGS on the exact gradient from several moment-matching
starts (principal axes of both RKMEs, with sign flips and random rotations), with a
coarse-to-fine schedule on the kernel width so that far-apart starts still see a
gradient. With a few labelled rows an optional output-space correction (a ridge or
logistic regression on the aligned learnware's outputs) is fitted on top.

How this differs from the original (``FeatureAlignLearnware``, learnware reference
§6): a linear map with an exact gradient and restarts instead of a 1,024-unit MLP
trained by 50 Adam epochs (an MLP can fold the user distribution onto the target in
ways that match the embeddings but scramble the rows); no CUDA or torch needed.
"""

from __future__ import annotations

import numbers
from typing import Any, Literal

import numpy as np
import scipy.optimize
from numpy.typing import ArrayLike, NDArray
from threadpoolctl import threadpool_limits

from learnware_core._validation import as_2d_float, impute_column_means
from learnware_core.kernels import _rbf_kernel
from learnware_core.reuse.base import (
    BaseReuser,
    FloatArray,
    LearnwareLike,
    ReuseError,
    check_fitted,
    check_task,
    output_features,
    predict_values,
    scores_or_values,
)
from learnware_core.specification.rkme import RKMETableSpecification

__all__ = ["FeatureAlignReuser", "mmd_linear_map"]

_SCHEDULE = (1.0 / 16.0, 1.0 / 4.0, 1.0)  # gamma multipliers, coarse to fine


class FeatureAlignReuser(BaseReuser):
    """Map user features into a learnware's feature space by RKME matching.

    Works when the dimensions differ (and when they are equal, e.g. for shifted or
    rescaled features), for classification and regression.

    Parameters
    ----------
    learnware : LearnwareLike
        With a fitted :class:`RKMETableSpecification` ``spec``.
    task : {"classification", "regression"}, default="classification"
        Only used by the output correction and ``predict_proba``.
    correction : bool, default=True
        If ``fit`` gets labels ``y``: fit a model on the aligned learnware's outputs
        (``RidgeCV`` for regression; ``LogisticRegression`` on probabilities or
        one-hot labels for classification), predict with it, and pick among the
        restarts' maps the one whose corrected predictions fit ``y`` best (the MMD
        alone cannot tell maps apart that differ by a symmetry of the data).
    n_restarts : int, default=8
        Starting maps tried (the best final MMD wins).
    max_iter : int, default=200
        L-BFGS iterations per stage of the kernel-width schedule.
    n_points : int, default=100
        Size of the user's RKME when ``fit`` builds it from ``X``.
    random_state : int, numpy Generator or None, default=None
        Seeds the user RKME and the random starts.

    Attributes
    ----------
    coef_ : ndarray of shape (n_learnware_features, n_user_features)
        ``A`` of the map ``x -> A x + b``.
    intercept_ : ndarray of shape (n_learnware_features,)
        ``b``.
    mmd2_ : float
        Squared MMD between the mapped user RKME and the learnware's RKME.
    user_spec_ : RKMETableSpecification
        The user's RKME (given, or built from ``X``).
    corrector_ : fitted estimator or None
    classes_ : ndarray or None
        Labels of ``y`` when a classification corrector was fitted.
    n_features_in_ : int

    Notes
    -----
    The MMD determines the map only up to the symmetries of the data distribution
    (a symmetric blob can be reflected) and up to the sampling noise of the two
    RKMEs: on nearly symmetric data several maps fit equally well, and only labels
    (``correction=True``) can choose between them. Build the user RKME from all
    unlabelled rows and pass it as ``user_spec`` when only a few rows are labelled.

    References
    ----------
    Gretton et al., "A kernel two-sample test", JMLR 13, 2012.

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> from learnware_core.reuse import LocalLearnware
    >>> rng = np.random.default_rng(0)
    >>> X = rng.gamma(2.0, size=(400, 2))
    >>> spec = RKMETableSpecification(n_points=30, random_state=0).fit(X)
    >>> lw = LocalLearnware(LinearRegression().fit(X, X.sum(axis=1)), spec)
    >>> reuser = FeatureAlignReuser(lw, random_state=0).fit(X + 3.0)
    >>> bool(np.abs(reuser.intercept_ + 3.0).max() < 0.5)
    True
    """

    coef_: FloatArray
    intercept_: FloatArray
    mmd2_: float
    user_spec_: RKMETableSpecification
    corrector_: Any
    classes_: NDArray[Any] | None
    n_features_in_: int

    def __init__(
        self,
        learnware: LearnwareLike,
        *,
        task: Literal["classification", "regression"] = "classification",
        correction: bool = True,
        n_restarts: int = 8,
        max_iter: int = 200,
        n_points: int = 100,
        random_state: int | np.random.Generator | None = None,
    ) -> None:
        self.learnware = learnware
        self.task = task
        self.correction = correction
        self.n_restarts = n_restarts
        self.max_iter = max_iter
        self.n_points = n_points
        self.random_state = random_state

    def fit(
        self,
        X: ArrayLike | None = None,
        y: ArrayLike | None = None,
        *,
        user_spec: RKMETableSpecification | None = None,
    ) -> FeatureAlignReuser:
        """Fit the map (and the output correction if ``y`` is given).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_user_features), optional
            User rows; needed unless ``user_spec`` is given. Never modified.
        y : array-like of shape (n_samples,), optional
            Labels for the output correction (rows of ``X``).
        user_spec : RKMETableSpecification, optional
            The user's RKME; built from ``X`` if not given.

        Returns
        -------
        self : FeatureAlignReuser
        """
        task = check_task(self.task)
        for name in ("n_restarts", "max_iter", "n_points"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, numbers.Integral)
                or value < 1
            ):
                raise ReuseError(f"{name} must be an int >= 1, got {value!r}")
        target = getattr(self.learnware, "spec", None)
        if (
            not isinstance(target, RKMETableSpecification)
            or getattr(target, "z_", None) is None
        ):
            raise ReuseError("the learnware needs a fitted RKMETableSpecification")
        rng = np.random.default_rng(self.random_state)
        Xa: FloatArray | None = None
        if X is not None:
            Xa = impute_column_means(as_2d_float(X, allow_nan=True))
        if user_spec is None:
            if Xa is None:
                raise ReuseError("fit needs X or user_spec")
            user_spec = RKMETableSpecification(
                gamma=target.gamma_, n_points=self.n_points, random_state=rng
            ).fit(Xa)
        elif getattr(user_spec, "z_", None) is None:
            raise ReuseError("user_spec is not fitted")
        if Xa is not None and Xa.shape[1] != user_spec.n_features_in_:
            raise ReuseError(
                f"X has {Xa.shape[1]} features, user_spec {user_spec.n_features_in_}"
            )

        maps = _fit_maps(
            user_spec.z_,
            user_spec.beta_,
            target.z_,
            target.beta_,
            gamma=target.gamma_,
            n_restarts=self.n_restarts,
            max_iter=self.max_iter,
            random_state=rng,
        )
        self.n_features_in_ = user_spec.n_features_in_
        self.user_spec_ = user_spec
        self.corrector_ = None
        self.classes_ = None
        self.coef_, self.intercept_, self.mmd2_ = maps[0]
        if y is None or not self.correction:
            return self
        if Xa is None:
            raise ReuseError("labels y need the rows X they belong to")
        # The MMD fixes the map only up to the symmetries of the data (and sampling
        # noise); the labels pick among the restarts: best in-sample score of the
        # corrected learnware, ties to the lower MMD.
        y_arr = np.asarray(y)
        best_score: float | None = None
        chosen = maps[0]
        corrector = None
        for candidate in maps:
            self.coef_, self.intercept_, self.mmd2_ = candidate
            model, score = self._fit_corrector(Xa, y_arr, task)
            if best_score is None or score > best_score + 1e-12:
                best_score, chosen, corrector = score, candidate, model
        self.coef_, self.intercept_, self.mmd2_ = chosen
        self.corrector_ = corrector
        return self

    def _fit_corrector(
        self, Xa: FloatArray, y: NDArray[Any], task: str
    ) -> tuple[Any, float]:
        from sklearn.linear_model import LogisticRegression, RidgeCV
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        if y.shape[0] != Xa.shape[0]:
            raise ReuseError(f"y has {y.shape[0]} rows, X has {Xa.shape[0]}")
        n = Xa.shape[0]
        model: Any
        if task == "classification":
            self.classes_ = np.unique(y)
            if self.classes_.shape[0] < 2:
                raise ReuseError("the correction needs at least two classes in y")
            model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        else:
            model = make_pipeline(
                StandardScaler(), RidgeCV(alphas=(0.01, 0.1, 1.0, 10.0))
            )
        feats = output_features(
            [self.learnware], self.transform(Xa), n, task=task, classes=self.classes_
        )
        model.fit(feats, y)
        return model, float(model.score(feats, y))

    def transform(self, X: ArrayLike) -> FloatArray:
        """Map user rows into the learnware's feature space.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_user_features)

        Returns
        -------
        X_mapped : ndarray of shape (n_samples, n_learnware_features)
        """
        check_fitted(self, "coef_")
        Xa = impute_column_means(
            as_2d_float(X, allow_nan=True, n_features=self.n_features_in_)
        )
        out: FloatArray = Xa @ self.coef_.T + self.intercept_
        return out

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The learnware's prediction on mapped rows (corrected if fitted with y)."""
        Xm = self.transform(X)
        n = Xm.shape[0]
        if self.corrector_ is None:
            return predict_values(self.learnware, Xm, n, who="the learnware")
        feats = output_features(
            [self.learnware], Xm, n, task=str(self.task), classes=self.classes_
        )
        return np.asarray(self.corrector_.predict(feats))

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Class probabilities (classification): corrected, or the learnware's own."""
        if self.task != "classification":
            raise ReuseError("predict_proba is only defined for task='classification'")
        Xm = self.transform(X)
        n = Xm.shape[0]
        if self.corrector_ is None:
            out = scores_or_values(self.learnware, Xm, n, who="the learnware")
            if out.ndim != 2 or out.shape[1] < 2:
                raise ReuseError("the learnware gives no class probabilities")
            return np.asarray(out, dtype=np.float64)
        feats = output_features(
            [self.learnware], Xm, n, task="classification", classes=self.classes_
        )
        return np.asarray(self.corrector_.predict_proba(feats), dtype=np.float64)


# -------------------------------------------------------------------- the map


def mmd_linear_map(
    Zu: ArrayLike,
    beta_u: ArrayLike,
    Zt: ArrayLike,
    beta_t: ArrayLike,
    *,
    gamma: float,
    n_restarts: int = 8,
    max_iter: int = 200,
    random_state: int | np.random.Generator | None = None,
) -> tuple[FloatArray, FloatArray, float]:
    """Affine map minimising the MMD between a mapped and a target weighted set.

    Minimises ``MMD^2({(A z_i + b, beta_u_i)}, {(t_j, beta_t_j)})`` under
    ``k(a, b) = exp(-gamma ||a - b||^2)``.

    Parameters
    ----------
    Zu : array-like of shape (K_u, d_u)
    beta_u : array-like of shape (K_u,)
    Zt : array-like of shape (K_t, d_t)
    beta_t : array-like of shape (K_t,)
    gamma : float
        Kernel of the target space, > 0.
    n_restarts : int, default=8
    max_iter : int, default=200
        L-BFGS iterations per kernel-width stage.
    random_state : int, numpy Generator or None, default=None

    Returns
    -------
    A : ndarray of shape (d_t, d_u)
    b : ndarray of shape (d_t,)
    mmd2 : float
        Final squared MMD at ``gamma``.
    """
    maps = _fit_maps(
        Zu,
        beta_u,
        Zt,
        beta_t,
        gamma=gamma,
        n_restarts=n_restarts,
        max_iter=max_iter,
        random_state=random_state,
    )
    return maps[0]


def _fit_maps(
    Zu: ArrayLike,
    beta_u: ArrayLike,
    Zt: ArrayLike,
    beta_t: ArrayLike,
    *,
    gamma: float,
    n_restarts: int,
    max_iter: int,
    random_state: int | np.random.Generator | None,
    init: tuple[FloatArray, FloatArray] | None = None,
) -> list[tuple[FloatArray, FloatArray, float]]:
    """Every restart's ``(A, b, mmd2)``, best (lowest MMD) first.

    ``init``: a map ``(A, b)`` in user units to start from instead of the
    moment-matching starts (e.g. one suggested by the specification world).
    """
    U = as_2d_float(Zu, name="Zu")
    T = as_2d_float(Zt, name="Zt")
    wu = np.asarray(beta_u, dtype=np.float64)
    wt = np.asarray(beta_t, dtype=np.float64)
    if wu.shape != (U.shape[0],) or wt.shape != (T.shape[0],):
        raise ReuseError("weights must match the number of points")
    if not (gamma > 0 and np.isfinite(gamma)):
        raise ReuseError(f"gamma must be > 0, got {gamma!r}")
    rng = np.random.default_rng(random_state)

    # Standardise the user side so the map's entries are O(1) for the optimiser.
    mu = wu @ U
    su = np.sqrt(np.maximum(wu @ (U - mu) ** 2, 0.0))
    su = np.where(su > 1e-12, su, 1.0)
    Us = (U - mu) / su
    tt = float(wt @ _rbf_kernel(T, T, gamma) @ wt)

    maps: list[tuple[FloatArray, FloatArray, float]] = []
    # The matrices are tiny (K x K); threaded BLAS only adds overhead, up to 20x
    # under load on a 2-core machine (measured), so L-BFGS runs on one thread.
    with threadpool_limits(limits=1, user_api="blas"):
        if init is not None:  # the same map on standardised user features
            starts = [(init[0] * su[None, :], init[1] + init[0] @ mu)]
        else:
            starts = _starts(Us, wu, T, wt, n_restarts, rng)
        for A0, b0 in starts:
            maps.append(_descend(A0, b0, Us, wu, T, wt, gamma, max_iter, tt, mu, su))
    maps.sort(key=lambda item: item[2])
    return maps


def _descend(
    A0: FloatArray,
    b0: FloatArray,
    Us: FloatArray,
    wu: FloatArray,
    T: FloatArray,
    wt: FloatArray,
    gamma: float,
    max_iter: int,
    tt: float,
    mu: FloatArray,
    su: FloatArray,
) -> tuple[FloatArray, FloatArray, float]:
    """L-BFGS from one start over the kernel-width schedule; map in user units."""
    du, dt = Us.shape[1], T.shape[1]
    theta = np.concatenate((A0.ravel(), b0))
    for mult in _SCHEDULE:
        result = scipy.optimize.minimize(
            _objective,
            theta,
            args=(Us, wu, T, wt, gamma * mult, dt, du),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": max_iter},
        )
        theta = np.asarray(result.x, dtype=np.float64)
    value = float(_objective(theta, Us, wu, T, wt, gamma, dt, du)[0]) + tt
    A = theta[: dt * du].reshape(dt, du) / su[None, :]
    b = theta[dt * du :] - A @ mu
    return A, b, max(value, 0.0)


def _objective(
    theta: FloatArray,
    Us: FloatArray,
    wu: FloatArray,
    T: FloatArray,
    wt: FloatArray,
    gamma: float,
    dt: int,
    du: int,
) -> tuple[float, FloatArray]:
    """``MMD^2 - <t, t>`` of the mapped set and its gradient in ``(A, b)``."""
    A = theta[: dt * du].reshape(dt, du)
    b = theta[dt * du :]
    Y = Us @ A.T + b
    Kyy = _rbf_kernel(Y, Y, gamma)
    Kyt = _rbf_kernel(Y, T, gamma)
    W1 = Kyy * np.outer(wu, wu)
    W2 = Kyt * np.outer(wu, wt)
    value = float(W1.sum() - 2.0 * W2.sum())
    # d/dY_i: -4 gamma [sum_j W1_ij (Y_i - Y_j) - sum_j W2_ij (Y_i - T_j)]
    G = (
        -4.0
        * gamma
        * (W1.sum(axis=1)[:, None] * Y - W1 @ Y - W2.sum(axis=1)[:, None] * Y + W2 @ T)
    )
    grad = np.concatenate(((G.T @ Us).ravel(), G.sum(axis=0)))
    return value, grad


def _starts(
    Us: FloatArray,
    wu: FloatArray,
    T: FloatArray,
    wt: FloatArray,
    n_restarts: int,
    rng: np.random.Generator,
) -> list[tuple[FloatArray, FloatArray]]:
    """Moment-matching maps ``A = P_t S Q P_u'``: principal axes of both sides with
    sign flips (first start: none), then random rotations ``Q``."""
    du, dt = Us.shape[1], T.shape[1]
    r = min(du, dt)
    cov_u = (Us * wu[:, None]).T @ Us
    mt = wt @ T
    cov_t = ((T - mt) * wt[:, None]).T @ (T - mt)
    eu, Vu = np.linalg.eigh(cov_u)
    et, Vt = np.linalg.eigh(cov_t)
    Vu, eu = Vu[:, ::-1][:, :r], np.maximum(eu[::-1][:r], 1e-12)
    Vt, et = Vt[:, ::-1][:, :r], np.maximum(et[::-1][:r], 0.0)
    left = Vt * np.sqrt(et)[None, :]  # (dt, r)
    right = (Vu / np.sqrt(eu)[None, :]).T  # (r, du)
    starts = []
    for k in range(n_restarts):
        if k == 0:
            Q = np.eye(r)
        elif k < max(2, n_restarts // 2):
            Q = np.diag(rng.choice([-1.0, 1.0], size=r))
        else:
            Q, _ = np.linalg.qr(rng.normal(size=(r, r)))
        A0 = left @ Q @ right
        starts.append((A0, mt.copy()))  # user side is centred: b = target mean
    return starts
