"""Learnware outputs as extra features for a simple model trained on labelled rows.

The design matrix is ``[X, outputs of learnware 1, ..., outputs of learnware m]``
(``X`` optional); the model on top is a cross-validated ridge regression or logistic
regression after mean imputation and standardisation. The original used
``RidgeCV(store_cv_values=...)`` and ``LogisticRegressionCV(multi_class=...)``, both
rejected by scikit-learn >= 1.7 (learnware reference §6, §9.3).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core._validation import as_2d_float
from learnware_core.reuse.base import (
    BaseReuser,
    FloatArray,
    LearnwareLike,
    ReuseError,
    check_fitted,
    check_learnwares,
    check_task,
    n_rows,
    output_features,
)

__all__ = ["FeatureAugmentReuser"]

_RIDGE_ALPHAS = tuple(float(a) for a in np.logspace(-3, 3, 13))


class FeatureAugmentReuser(BaseReuser):
    """Fit a linear model on the user's features plus the learnwares' outputs.

    Parameters
    ----------
    learnwares : sequence of LearnwareLike
    task : {"classification", "regression"}, default="classification"
        Classification features are class probabilities (``predict_proba`` or 2-D
        ``predict``), or one-hot labels over the classes of ``y``; regression
        features are the ``predict`` values.
    estimator : scikit-learn estimator, optional
        Model on top (cloned). Default: mean imputation, standardisation, then
        ``RidgeCV(alphas=logspace(-3, 3, 13))`` or ``LogisticRegressionCV`` (L2,
        log-loss) with
        stratified ``min(5, smallest class size)``-fold CV (plain
        ``LogisticRegression`` if a class has a single row).
    passthrough : bool, default=True
        Include the user's own features ``X`` (must then be numeric; rows of more
        than one dimension, e.g. images, are flattened).

    Attributes
    ----------
    learnwares_ : list of LearnwareLike
    estimator_ : fitted estimator
    classes_ : ndarray
        Labels of ``y`` (classification).
    n_features_in_ : int or None
        Width of ``X`` if ``passthrough``.

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> from learnware_core.reuse import LocalLearnware
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 2))
    >>> lw = LocalLearnware(LinearRegression().fit(X, X[:, 0] ** 3))
    >>> reuser = FeatureAugmentReuser([lw], task="regression").fit(X, X[:, 0] ** 3 + 1)
    >>> reuser.predict(X[:2]).shape
    (2,)
    """

    learnwares_: list[LearnwareLike]
    estimator_: Any
    classes_: NDArray[Any]
    n_features_in_: int | None

    def __init__(
        self,
        learnwares: Sequence[LearnwareLike],
        *,
        task: Literal["classification", "regression"] = "classification",
        estimator: Any = None,
        passthrough: bool = True,
    ) -> None:
        self.learnwares = learnwares
        self.task = task
        self.estimator = estimator
        self.passthrough = passthrough

    def fit(self, X: Any, y: ArrayLike) -> FeatureAugmentReuser:
        """Fit the model on top.

        Parameters
        ----------
        X : array-like of n rows
            Passed unchanged to the learnwares (never modified); NaN in the
            passthrough features are imputed by the model's column means.
        y : array-like of shape (n,)

        Returns
        -------
        self : FeatureAugmentReuser
        """
        task = check_task(self.task)
        lws = check_learnwares(self.learnwares)
        n = n_rows(X)
        y_arr = np.asarray(y)
        if y_arr.ndim < 1 or y_arr.shape[0] != n or n < 2:
            raise ReuseError(
                f"need y with one entry per row of X (n >= 2), got {y_arr.shape}"
            )
        self.learnwares_ = lws
        self.classes_ = np.unique(y_arr) if task == "classification" else np.empty(0)
        design = self._design(X, n, fitting=True)
        estimator = self._make_estimator(y_arr, task)
        estimator.fit(design, y_arr)
        self.estimator_ = estimator
        return self

    def _design(self, X: Any, n: int, *, fitting: bool = False) -> FloatArray:
        feats = output_features(
            self.learnwares_, X, n, task=str(self.task), classes=self.classes_
        )
        if not self.passthrough:
            if fitting:
                self.n_features_in_ = None
            return feats
        rows = np.asarray(X)
        if rows.ndim > 2:  # images and other n-D rows: one flat row each
            rows = rows.reshape(rows.shape[0], -1)
        Xa = as_2d_float(
            rows,
            allow_nan=True,
            n_features=None if fitting else self.n_features_in_,
        )
        if fitting:
            self.n_features_in_ = Xa.shape[1]
        return np.hstack((np.where(np.isinf(Xa), np.nan, Xa), feats))

    def _make_estimator(self, y: NDArray[Any], task: str) -> Any:
        from sklearn.base import clone
        from sklearn.impute import SimpleImputer
        from sklearn.linear_model import (
            LogisticRegression,
            LogisticRegressionCV,
            RidgeCV,
        )
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        if self.estimator is not None:
            return clone(self.estimator)
        model: Any
        if task == "regression":
            model = RidgeCV(alphas=_RIDGE_ALPHAS)
        else:
            _, counts = np.unique(y, return_counts=True)
            folds = int(min(5, counts.min()))
            if counts.shape[0] < 2:
                raise ReuseError("classification needs at least two classes in y")
            if folds >= 2:
                model = LogisticRegressionCV(
                    cv=folds,
                    max_iter=1000,
                    l1_ratios=(0.0,),
                    scoring="neg_log_loss",
                    use_legacy_attributes=False,
                )
            else:
                model = LogisticRegression(max_iter=1000)
        return make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(), model)

    def predict(self, X: Any) -> NDArray[Any]:
        """Prediction of the model on top, shape (n,)."""
        check_fitted(self, "estimator_")
        return np.asarray(self.estimator_.predict(self._design(X, n_rows(X))))

    def predict_proba(self, X: Any) -> FloatArray:
        """Class probabilities ``(n, n_classes)`` over ``classes_`` (classification)."""
        check_fitted(self, "estimator_")
        if self.task != "classification":
            raise ReuseError("predict_proba is only defined for task='classification'")
        return np.asarray(
            self.estimator_.predict_proba(self._design(X, n_rows(X))), dtype=np.float64
        )
