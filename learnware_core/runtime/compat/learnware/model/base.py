"""``BaseModel`` with the original package's constructor and methods."""

from __future__ import annotations

from typing import Any


class BaseModel:
    """Base class of a learnware's model (same signature as the original).

    Parameters
    ----------
    input_shape : tuple
        Shape of one input sample, e.g. ``(d,)`` for a table with ``d`` columns.
    output_shape : tuple
        Shape of one output: ``(1,)`` for labels, ``(n_classes,)`` for scores.
    """

    def __init__(self, input_shape: Any, output_shape: Any) -> None:
        self.input_shape = _as_shape(input_shape)
        self.output_shape = _as_shape(output_shape)

    def predict(self, X: Any) -> Any:
        """Return the model's outputs for ``X`` (must be overridden)."""
        raise NotImplementedError(f"{type(self).__name__}.predict is not implemented")

    def fit(self, X: Any, y: Any) -> Any:
        """Train the model on ``(X, y)`` (optional)."""
        raise NotImplementedError(f"{type(self).__name__}.fit is not implemented")

    def finetune(self, X: Any, y: Any) -> Any:
        """Adapt the model to ``(X, y)`` (optional)."""
        raise NotImplementedError(f"{type(self).__name__}.finetune is not implemented")

    def get_model(self) -> Any:
        """Return the underlying model object (0.4 API); None by default."""
        return None


def _as_shape(shape: Any) -> Any:
    """Lists (e.g. from ``yaml.safe_load``) become tuples, as the checker expects."""
    return tuple(shape) if isinstance(shape, list) else shape
