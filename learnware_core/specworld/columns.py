"""Column descriptions -> vectors, with the offline sentence encoder (cached).

Every column of a table is known to the engine only by its text description (the
semantic specification's ``Input`` descriptions). The description is embedded once
with the offline MiniLM encoder (:mod:`learnware_core.encoders`; no hub tokenizer,
so descriptions keep their meaning offline, unlike the original's HeteroMap) and
the vector is cached for the process.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from learnware_core.encoders import TextEncoder, default_text_encoder
from learnware_core.specification.semantic import column_index

__all__ = ["UNNAMED", "ColumnEmbedder", "column_texts"]

UNNAMED = "unnamed feature"
"""Prefix of the generated name of a column without a description."""

FloatArray = NDArray[np.float64]


def column_texts(
    descriptions: Mapping[str, str] | Sequence[str] | None, d: int
) -> list[str]:
    """The ``d`` column descriptions of a table, in column order.

    ``descriptions`` is the semantic spec's ``Input.Description`` (``{"0": ...}``) or
    a list; columns without one are called ``"unnamed feature i of d"``.
    """
    if descriptions is None:
        got: dict[int, str] = {}
    elif isinstance(descriptions, Mapping):
        got = {
            i: str(v)
            for k, v in descriptions.items()
            if (i := column_index(k)) is not None
        }
    else:
        got = dict(enumerate(str(v) for v in descriptions))
    return [got.get(i, "").strip() or f"{UNNAMED} {i + 1} of {d}" for i in range(d)]


class ColumnEmbedder:
    """Embed column descriptions; each distinct text is encoded once.

    Parameters
    ----------
    encoder : TextEncoder, optional
        Defaults to the offline MiniLM encoder (loaded on first use).
    """

    def __init__(self, encoder: TextEncoder | None = None) -> None:
        self._encoder = encoder
        self._cache: dict[str, FloatArray] = {}
        self._lock = threading.Lock()

    @property
    def encoder(self) -> TextEncoder:
        if self._encoder is None:
            self._encoder = default_text_encoder()
        return self._encoder

    @property
    def name(self) -> str:
        return self.encoder.name

    @property
    def dim(self) -> int:
        return int(self.encoder.dim)

    def __call__(self, texts: Sequence[str]) -> FloatArray:
        """``(len(texts), dim)`` embeddings."""
        with self._lock:
            missing = sorted({t for t in texts if t not in self._cache})
            if missing:
                vectors = np.asarray(self.encoder.encode(missing), dtype=np.float64)
                for text, vec in zip(missing, vectors, strict=True):
                    self._cache[text] = vec
            if not texts:
                return np.zeros((0, self.dim))
            return np.stack([self._cache[t] for t in texts])
