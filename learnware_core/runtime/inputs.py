"""Test inputs for a learnware drawn from its own RKME (instead of N(0, 1) noise)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core.errors import SpecificationError
from learnware_core.specification.rkme import RKMETableSpecification

__all__ = ["sample_rkme_inputs"]


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
