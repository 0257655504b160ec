"""Test inputs for a learnware drawn from its own RKME (instead of N(0, 1) noise).

Tables and images are sampled from the reduced set; text models get plain sentences
(an embedding cannot be turned back into text).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core.errors import SpecificationError
from learnware_core.specification.rkme import RKMETableSpecification

__all__ = ["sample_image_inputs", "sample_rkme_inputs", "sample_text_inputs"]


def sample_rkme_inputs(
    spec: RKMETableSpecification,
    n_samples: int,
    *,
    noise_scale: float = 0.1,
    bounds: tuple[ArrayLike, ArrayLike] | None = None,
    random_state: int | np.random.Generator | None = None,
) -> NDArray[np.float64]:
    """Draw inputs resembling the learnware's training data from its reduced set.

    Reduced-set points are picked with probabilities ``beta`` and moved by Gaussian
    noise with standard deviation ``noise_scale`` times the kernel width
    ``1 / sqrt(2 gamma)``, so the inputs stay in the region the RKME describes.

    Parameters
    ----------
    spec : RKMETableSpecification
        A fitted (or loaded) specification.
    n_samples : int
        Number of inputs, ``>= 1``.
    noise_scale : float, default=0.1
        Noise relative to the kernel width; 0 returns reduced-set points.
    bounds : (low, high), optional
        Per-feature data range, if known; samples are clipped to it.
    random_state : int, numpy Generator or None, default=None

    Returns
    -------
    X : ndarray of shape (n_samples, *spec.sample_shape_)

    Raises
    ------
    SpecificationError
        If ``n_samples < 1``, ``noise_scale < 0`` or the spec has no points.

    Examples
    --------
    >>> X = np.random.default_rng(0).normal(size=(200, 3))
    >>> spec = RKMETableSpecification(n_points=10, random_state=0).fit(X)
    >>> sample_rkme_inputs(spec, 5, random_state=0).shape
    (5, 3)
    """
    if n_samples < 1 or noise_scale < 0:
        raise SpecificationError("need n_samples >= 1 and noise_scale >= 0")
    z, beta = spec.z_, np.clip(spec.beta_, 0.0, None)
    if z.shape[0] == 0:
        raise SpecificationError("the specification has no reduced-set points")
    weights = beta / beta.sum() if beta.sum() > 0 else np.full(len(z), 1 / len(z))
    rng = np.random.default_rng(random_state)
    picked = rng.choice(len(z), size=n_samples, p=weights)
    width = 1.0 / np.sqrt(2.0 * spec.gamma_)
    X = z[picked] + rng.normal(scale=noise_scale * width, size=(n_samples, z.shape[1]))
    if bounds is not None:
        low, high = (np.asarray(b, dtype=np.float64).reshape(-1) for b in bounds)
        X = np.clip(X, low, high)
    return X.reshape(n_samples, *spec.sample_shape_)


# Deterministic, neutral sentences for text models: a text RKME stores embeddings, from
# which no text can be recovered, so the check feeds plain sentences built from this
# vocabulary (the original fed random ASCII strings).
_SUBJECTS = (
    "the weather",
    "this product",
    "the new model",
    "our team",
    "the city",
    "a small company",
    "the report",
    "the market",
    "my neighbour",
    "the film",
)
_VERBS = (
    "looks",
    "seems",
    "became",
    "was described as",
    "is expected to be",
    "remains",
    "turned out",
    "felt",
)
_OBJECTS = (
    "quite good",
    "rather slow",
    "very useful",
    "surprisingly cheap",
    "hard to predict",
    "better than last year",
    "a little noisy",
    "well organised",
    "too expensive",
    "easy to use",
)


def sample_text_inputs(
    n_samples: int, *, random_state: int | np.random.Generator | None = None
) -> NDArray[np.str_]:
    """``n_samples`` short English sentences (a fixed vocabulary, seeded).

    Returns
    -------
    texts : ndarray of str, shape (n_samples,)
        Sent to the model as a list of ``str``.
    """
    if n_samples < 1:
        raise SpecificationError("need n_samples >= 1")
    rng = np.random.default_rng(random_state)
    parts = [
        rng.choice(len(words), size=n_samples)
        for words in (_SUBJECTS, _VERBS, _OBJECTS)
    ]
    texts = [
        f"{_SUBJECTS[a].capitalize()} {_VERBS[b]} {_OBJECTS[c]}."
        for a, b, c in zip(*parts, strict=True)
    ]
    return np.asarray(texts, dtype=np.str_)


def sample_image_inputs(
    spec: Any,
    n_samples: int,
    *,
    noise_scale: float = 0.05,
    random_state: int | np.random.Generator | None = None,
) -> NDArray[np.float32]:
    """Images drawn from an image RKME's reduced set, in the data's own scale.

    Prototypes are picked with probabilities ``beta``, un-standardised with the
    spec's stored per-channel ``normalization`` (when known) and perturbed by
    Gaussian noise of ``noise_scale`` times each channel's standard deviation.

    Parameters
    ----------
    spec : RKMEImageSpecification
    n_samples : int

    Returns
    -------
    X : ndarray of shape (n_samples, C, 32, 32), float32
        The sandboxed worker resizes them to the model's ``input_shape``.
    """
    if n_samples < 1 or noise_scale < 0:
        raise SpecificationError("need n_samples >= 1 and noise_scale >= 0")
    z = np.asarray(spec.z_, dtype=np.float32)
    beta = np.clip(np.asarray(spec.beta_, dtype=np.float64), 0.0, None)
    weights = beta / beta.sum() if beta.sum() > 0 else np.full(len(z), 1 / len(z))
    rng = np.random.default_rng(random_state)
    X = z[rng.choice(len(z), size=n_samples, p=weights)]
    norm = getattr(spec, "normalization_", None)
    if norm is not None:
        mean = np.asarray(norm["mean"], dtype=np.float32)[None, :, None, None]
        std = np.asarray(norm["std"], dtype=np.float32)[None, :, None, None]
        X = X * std + mean
        X = X + rng.normal(scale=noise_scale, size=X.shape).astype(np.float32) * std
    else:
        X = X + rng.normal(scale=noise_scale, size=X.shape).astype(np.float32)
    return X.astype(np.float32)
