"""Select a subset of learnwares by their performance on a little labelled data.

Greedy forward selection (Caruana et al., 2004) along a path of growing ensembles,
then a two-objective pick on that path (loss, size): the ensemble with the lowest
loss, or with ``tol`` the *smallest* one within ``tol`` of it (``"1se"``: the
one-standard-error rule of Breiman et al.). The loss is the MSE for regression and
the Brier score of the averaged class probabilities (or vote shares) for
classification, ties broken by the error rate. The Brier score is a proper scoring
rule and smooth in the ensemble, so unlike the error rate it does not reward adding
an unrelated learnware whose random votes happen to flip a few labelled rows (seen
with 1,000 labelled rows and 7 unrelated learnwares in ``benchmarks/reuse.py``).
This replaces the original's MDEP (NSGA-II on margin-distribution
objectives, needing ``geatpy``, which has no build for Python >= 3.11); its final
choice was likewise "the Pareto member with the fewest errors, ties to the smaller
set".

References
----------
Caruana, Niculescu-Mizil, Crew & Ksikes, "Ensemble selection from libraries of
models", ICML 2004.
Breiman, Friedman, Olshen & Stone, *Classification and Regression Trees*, 1984,
§3.4.3 (the one-standard-error rule).
Wu, He, Qian & Zhou, "Multi-objective evolutionary ensemble pruning guided by
margin distribution", PPSN 2022 (the original's method).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core.reuse.base import (
    BaseReuser,
    FloatArray,
    LearnwareLike,
    ReuseError,
    check_fitted,
    check_learnwares,
    check_task,
    labels_from_output,
    n_rows,
    predict_values,
    scores_or_values,
)

__all__ = ["EnsemblePruningReuser"]


class EnsemblePruningReuser(BaseReuser):
    """Keep the learnwares whose (averaged) predictions do best on labelled data.

    Parameters
    ----------
    learnwares : sequence of LearnwareLike
    task : {"classification", "regression"}, default="classification"
        Classification combines class probabilities by their mean when every
        learnware gives them (``predict_proba`` or 2-D ``predict``; columns are the
        labels ``0 .. C-1``), else the labels by majority vote. Regression averages
        the ``predict`` values.
    max_size : int, optional
        Largest ensemble considered (default: all learnwares).
    tol : float or "1se", default=0.0
        After the best ensemble on the path is found, the smallest one whose loss
        (Brier score or MSE) is within ``tol`` of it is kept; 0 keeps the best
        ensemble itself. ``"1se"``: one standard error of the best ensemble's
        per-row loss (``std / sqrt(n)``), which prefers small ensembles strongly.

    Attributes
    ----------
    selected_ : ndarray of int
        Indices (into ``learnwares``) of the kept learnwares, in the order chosen.
    path_ : list of tuple
        ``(members, loss, error_rate)`` for every ensemble on the greedy path
        (loss: Brier score or MSE; error rate: 0/1 error, or the MSE again).
    use_proba_ : bool
        Whether probabilities (True) or labels (False) are combined.
    classes_ : ndarray
        Labels seen in ``y`` and the learnwares' outputs (classification).

    Examples
    --------
    >>> from sklearn.dummy import DummyRegressor
    >>> from learnware_core.reuse import LocalLearnware
    >>> X, y = np.zeros((4, 1)), np.array([1.0, 1.0, 1.0, 1.0])
    >>> lws = [LocalLearnware(DummyRegressor(strategy="constant", constant=c).fit(X, y))
    ...        for c in (1.0, 5.0, 1.1)]
    >>> EnsemblePruningReuser(lws, task="regression").fit(X, y).selected_.tolist()
    [0]
    """

    learnwares_: list[LearnwareLike]
    selected_: NDArray[np.int64]
    path_: list[tuple[list[int], float, float]]
    use_proba_: bool
    classes_: NDArray[Any]

    def __init__(
        self,
        learnwares: Sequence[LearnwareLike],
        *,
        task: Literal["classification", "regression"] = "classification",
        max_size: int | None = None,
        tol: float | Literal["1se"] = 0.0,
    ) -> None:
        self.learnwares = learnwares
        self.task = task
        self.max_size = max_size
        self.tol = tol

    def fit(self, X: Any, y: ArrayLike) -> EnsemblePruningReuser:
        """Run the greedy selection on labelled rows.

        Parameters
        ----------
        X : array-like of n rows
            Passed unchanged to every learnware (never modified).
        y : array-like of shape (n,)
            Labels (classification) or targets (regression).

        Returns
        -------
        self : EnsemblePruningReuser
        """
        task = check_task(self.task)
        lws = check_learnwares(self.learnwares)
        size = len(lws) if self.max_size is None else self.max_size
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
            raise ReuseError(f"max_size must be an int >= 1, got {self.max_size!r}")
        if self.tol != "1se" and not (
            isinstance(self.tol, numbers.Real) and self.tol >= 0
        ):
            raise ReuseError(f"tol must be '1se' or a number >= 0, got {self.tol!r}")
        n = n_rows(X)
        y_arr = np.asarray(y)
        if y_arr.shape[0] != n or n < 1:
            raise ReuseError(f"y has {y_arr.shape[0]} rows, X has {n}")

        if task == "regression":
            outs = [
                np.asarray(
                    predict_values(lw, X, n, who=f"learnware {i}"), dtype=np.float64
                ).reshape(n, -1)
                for i, lw in enumerate(lws)
            ]
            target = np.asarray(y_arr, dtype=np.float64).reshape(n, -1)
            stacked = np.stack(outs)  # (m, n, k)
            self.use_proba_ = False
            self.classes_ = np.empty(0)
        else:
            raw = [
                scores_or_values(lw, X, n, who=f"learnware {i}")
                for i, lw in enumerate(lws)
            ]
            self.use_proba_ = all(o.ndim == 2 and o.shape[1] > 1 for o in raw)
            if self.use_proba_:
                shapes = {o.shape for o in raw}
                if len(shapes) != 1:
                    raise ReuseError(f"probability outputs differ in shape: {shapes}")
                n_classes = raw[0].shape[1]
                self.classes_ = np.arange(n_classes)
                codes = _label_codes(y_arr.reshape(n), self.classes_)
                stacked = np.stack([np.asarray(o, dtype=np.float64) for o in raw])
            else:
                labels = [labels_from_output(o) for o in raw]
                self.classes_ = np.unique(np.concatenate([y_arr.reshape(n), *labels]))
                codes = np.searchsorted(self.classes_, y_arr.reshape(n))
                stacked = np.stack(
                    [
                        (lab[:, None] == self.classes_[None, :]).astype(np.float64)
                        for lab in labels
                    ]
                )
            target = np.eye(self.classes_.shape[0])[codes]

        path = _greedy_path(stacked, target, size=min(size, len(lws)), task=task)
        best = min(range(len(path)), key=lambda k: (path[k][1], path[k][2], k))
        if self.tol == "1se":
            row_loss = _row_losses(stacked[path[best][0]].mean(axis=0), target, task)
            tol = float(row_loss.std() / np.sqrt(row_loss.shape[0]))
        else:
            tol = float(self.tol)
        keep = min(k for k in range(best + 1) if path[k][1] <= path[best][1] + tol)
        self.learnwares_ = lws
        self.path_ = path
        self.selected_ = np.asarray(path[keep][0], dtype=np.int64)
        return self

    def _combined(self, X: Any) -> FloatArray:
        n = n_rows(X)
        lws = [self.learnwares_[i] for i in self.selected_]
        if self.task == "regression":
            outs = [
                np.asarray(predict_values(lw, X, n, who="learnware"), dtype=np.float64)
                for lw in lws
            ]
            return np.asarray(np.mean(np.stack(outs), axis=0), dtype=np.float64)
        raw = [scores_or_values(lw, X, n, who="learnware") for lw in lws]
        if self.use_proba_:
            stacked = np.stack([np.asarray(o, dtype=np.float64) for o in raw])
            return np.asarray(stacked.mean(axis=0), dtype=np.float64)
        shares = [
            (labels_from_output(o)[:, None] == self.classes_[None, :]).astype(
                np.float64
            )
            for o in raw
        ]
        return np.asarray(np.stack(shares).mean(axis=0), dtype=np.float64)

    def predict(self, X: Any) -> NDArray[Any]:
        """Mean of the selected learnwares (regression) or the winning class.

        Returns
        -------
        y : ndarray of shape (n,) (or (n, k) for multi-output regression)
            For label voting, ties go to the smallest label; labels the learnwares
            output that were not seen in ``fit`` are not counted.
        """
        check_fitted(self, "selected_")
        combined = self._combined(X)
        if self.task == "regression":
            return combined
        return np.asarray(self.classes_[np.argmax(combined, axis=1)])

    def predict_proba(self, X: Any) -> FloatArray:
        """Mean probabilities, or vote shares over ``classes_`` (classification)."""
        check_fitted(self, "selected_")
        if self.task != "classification":
            raise ReuseError("predict_proba is only defined for task='classification'")
        return self._combined(X)


def _label_codes(y: NDArray[Any], classes: NDArray[Any]) -> NDArray[np.int64]:
    try:
        codes = np.asarray(y).astype(np.int64)
    except (TypeError, ValueError) as exc:
        raise ReuseError("with probability outputs y must hold integer labels") from exc
    if (
        not np.array_equal(codes, y)
        or codes.min() < 0
        or codes.max() >= classes.shape[0]
    ):
        raise ReuseError(
            "with probability outputs y must hold the column labels "
            f"0..{classes.shape[0] - 1}"
        )
    return codes


def _row_losses(mean: FloatArray, target: FloatArray, task: str) -> FloatArray:
    """Per-row Brier score (classification) or squared error (regression)."""
    sq = (mean - target) ** 2
    rows = sq.sum(axis=1) if task == "classification" else sq.mean(axis=1)
    return np.asarray(rows, dtype=np.float64)


def _greedy_path(
    stacked: FloatArray, target: FloatArray, *, size: int, task: str
) -> list[tuple[list[int], float, float]]:
    """Forward selection without replacement; (members, loss, error) per size.

    ``stacked`` is (m, n, k): per learnware the values (regression) or class
    scores; the ensemble output is their mean.
    """
    m = stacked.shape[0]
    members: list[int] = []
    total = np.zeros(stacked.shape[1:])
    path: list[tuple[list[int], float, float]] = []
    truth = np.argmax(target, axis=1) if task == "classification" else None
    for _ in range(size):
        best: tuple[float, float, int] | None = None
        for c in range(m):
            if c in members:
                continue
            mean = (total + stacked[c]) / (len(members) + 1)
            if truth is None:
                loss = float(np.mean((mean - target) ** 2))
                error = loss
            else:
                loss = float(np.mean(np.sum((mean - target) ** 2, axis=1)))
                error = float(np.mean(np.argmax(mean, axis=1) != truth))
            if best is None or (loss, error) < best[:2]:
                best = (loss, error, c)
        assert best is not None
        members.append(best[2])
        total += stacked[best[2]]
        path.append((list(members), best[0], best[1]))
    return path
