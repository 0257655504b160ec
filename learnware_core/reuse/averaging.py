"""Data-free ensemble: (weighted) average of the learnwares' outputs."""

from __future__ import annotations

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
    check_weights_vector,
    class_scores,
    labels_from_output,
    n_rows,
    predict_values,
)

__all__ = ["AveragingReuser"]

_MODES = ("mean", "vote_by_label", "vote_by_prob")


class AveragingReuser(BaseReuser):
    """Combine learnwares by averaging their outputs; needs no user data.

    Parameters
    ----------
    learnwares : sequence of LearnwareLike
        At least one; they must share one output space.
    mode : {"mean", "vote_by_label", "vote_by_prob"}, default="mean"
        * ``"mean"`` (regression): weighted mean of ``predict`` outputs, per output
          column. Every learnware must return the same shape.
        * ``"vote_by_label"`` (classification): weighted majority vote of the
          labels (2-D outputs are argmax-ed first); ties go to the smallest label.
          Labels may be any sortable values.
        * ``"vote_by_prob"`` (classification): weighted mean of the class
          probabilities (``predict_proba``, or 2-D ``predict`` outputs), used **as
          given** — the original passed probabilities through a softmax again, which
          flattens them. ``predict`` returns the argmax column index.
    weights : array-like of shape (n_learnwares,), optional
        Non-negative weights (e.g. mixture weights from search), normalised to sum
        to 1; default uniform.

    Attributes
    ----------
    learnwares_ : list of LearnwareLike
    weights_ : ndarray of shape (n_learnwares,)
        Normalised weights.

    Examples
    --------
    >>> from sklearn.dummy import DummyRegressor
    >>> from learnware_core.reuse import LocalLearnware
    >>> X = np.zeros((3, 1))
    >>> def constant(c):
    ...     model = DummyRegressor(strategy="constant", constant=c)
    ...     return LocalLearnware(model.fit(X, [c] * 3))
    >>> lws = [constant(1.0), constant(3.0)]
    >>> AveragingReuser(lws, weights=[3, 1]).fit().predict(X).tolist()
    [1.5, 1.5, 1.5]
    """

    learnwares_: list[LearnwareLike]
    weights_: FloatArray

    def __init__(
        self,
        learnwares: Sequence[LearnwareLike],
        *,
        mode: Literal["mean", "vote_by_label", "vote_by_prob"] = "mean",
        weights: ArrayLike | None = None,
    ) -> None:
        self.learnwares = learnwares
        self.mode = mode
        self.weights = weights

    def fit(self, X: Any = None, y: Any = None) -> AveragingReuser:
        """Check the parameters; ``X`` and ``y`` are ignored (data-free).

        Returns
        -------
        self : AveragingReuser
        """
        if self.mode not in _MODES:
            raise ReuseError(f"mode must be one of {_MODES}, got {self.mode!r}")
        lws = check_learnwares(self.learnwares)
        self.weights_ = check_weights_vector(self.weights, len(lws))
        self.learnwares_ = lws
        return self

    def predict(self, X: Any) -> NDArray[Any]:
        """Combined prediction.

        Parameters
        ----------
        X : array-like of n rows
            Passed unchanged to every learnware.

        Returns
        -------
        y : ndarray of shape (n,) or (n, n_outputs)
            Mean values (``"mean"``), voted labels (``"vote_by_label"``) or argmax
            column indices (``"vote_by_prob"``).
        """
        check_fitted(self, "weights_")
        n = n_rows(X)
        if self.mode == "vote_by_prob":
            return np.asarray(np.argmax(self.predict_proba(X), axis=1))
        outs = [
            predict_values(lw, X, n, who=f"learnware {i}")
            for i, lw in enumerate(self.learnwares_)
        ]
        if self.mode == "mean":
            return _weighted_mean(outs, self.weights_)
        return _weighted_vote([labels_from_output(o) for o in outs], self.weights_)

    def predict_proba(self, X: Any) -> FloatArray:
        """Weighted mean of the class probabilities (``mode="vote_by_prob"`` only).

        Returns
        -------
        proba : ndarray of shape (n, n_classes)
            Rows sum to 1 if every learnware's do; nothing is re-normalised or
            passed through a softmax.
        """
        check_fitted(self, "weights_")
        if self.mode != "vote_by_prob":
            raise ReuseError("predict_proba needs mode='vote_by_prob'")
        n = n_rows(X)
        probs = [
            class_scores(lw, X, n, who=f"learnware {i}")
            for i, lw in enumerate(self.learnwares_)
        ]
        return _weighted_mean(probs, self.weights_)


def _weighted_mean(outs: list[NDArray[Any]], w: FloatArray) -> FloatArray:
    shapes = {o.shape for o in outs}
    if len(shapes) != 1:
        raise ReuseError(f"learnware outputs differ in shape: {sorted(shapes)}")
    stacked = np.stack([np.asarray(o, dtype=np.float64) for o in outs])
    out: FloatArray = np.tensordot(w, stacked, axes=1)
    return out


def _weighted_vote(labels: list[NDArray[Any]], w: FloatArray) -> NDArray[Any]:
    """Per-row label with the largest total weight; ties go to the smallest label."""
    stacked = np.stack(labels)  # (m, n)
    classes, codes = np.unique(stacked, return_inverse=True)
    codes = codes.reshape(stacked.shape)
    tally = np.zeros((stacked.shape[1], classes.shape[0]))
    rows = np.arange(stacked.shape[1])
    for i in range(stacked.shape[0]):  # loop over learnwares, not rows
        np.add.at(tally, (rows, codes[i]), w[i])
    # Round so that equal vote totals reached by different float sums tie exactly.
    result: NDArray[Any] = classes[np.argmax(np.round(tally, 12), axis=1)]
    return result
