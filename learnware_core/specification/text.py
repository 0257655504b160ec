"""Reduced kernel mean embedding (RKME) specification for text.

Texts are embedded with a sentence encoder (by default all-MiniLM-L6-v2 from the
offline wheel, see :mod:`learnware_core.encoders`) and the table RKME
(:class:`~learnware_core.specification.rkme.RKMETableSpecification`) is fitted on the
embeddings. The stored JSON is the original ``learnware`` package's layout (``z``,
``beta``, ``gamma``, ``num_points``, ``type`` = ``"RKMETextSpecification"``,
``language``) plus ``encoder``, the name of the encoder that made the embeddings.

Embeddings of different encoders live in unrelated spaces, so :meth:`dist` refuses to
compare specifications made by different encoders. Files written by the original
package have no ``encoder`` key; they were made with
``paraphrase-multilingual-MiniLM-L12-v2`` (:data:`ORIGINAL_TEXT_ENCODER`), which is
what they are loaded as.

``language`` lists the languages of the texts (ISO 639-1 codes from ``py3langid``,
most frequent first). The original used ``langdetect`` on the concatenated texts,
which is unseeded and therefore not reproducible; here each text votes for its
language, weighted by length and confidence, and every language with at least
``min_share`` of the votes is kept. The result is deterministic.

References
----------
Wu, Xu, Liu & Zhou, "Model reuse with reduced kernel mean embedding
specification", IEEE TKDE, 2023 (arXiv:2001.07135).
Reimers & Gurevych, "Sentence-BERT", EMNLP 2019.
Lui & Baldwin, "langid.py: an off-the-shelf language identification tool", ACL 2012.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Literal

import numpy as np
from numpy.typing import NDArray

from learnware_core import encoders
from learnware_core._validation import check_fitted
from learnware_core.errors import SpecificationError
from learnware_core.specification.base import (
    RoutingView,
    StatSpecification,
    register_spec_type,
)
from learnware_core.specification.rkme import DEFAULT_GAMMA, RKMETableSpecification

__all__ = [
    "ORIGINAL_TEXT_ENCODER",
    "SEARCH_GAMMA",
    "LanguageDetector",
    "RKMETextSpecification",
    "detect_languages",
]

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]

ORIGINAL_TEXT_ENCODER = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"
"""Encoder of specifications written by the original package (no ``encoder`` key)."""

SEARCH_GAMMA = DEFAULT_GAMMA
"""The kernel (``exp(-gamma ||a - b||^2)`` on the encoder's embeddings) the dock's
search compares every text spec of one encoder under, whatever gamma it was fitted
with: a gamma is never a reason to refuse a text search (issue 21). The original
package's default, so the specs most tools write are compared under their own."""

LanguageDetector = Callable[[Sequence[str]], list[str]]
"""Maps the texts to their language codes, most frequent first."""

_TABLE_TYPE = RKMETableSpecification.type_name
_LANGID_LOCK = threading.Lock()
_LANGID: Any = None  # py3langid LanguageIdentifier, loaded once per process


def _langid() -> Any:
    global _LANGID
    with _LANGID_LOCK:
        if _LANGID is None:
            from py3langid.langid import (
                MODEL_FILE,
                LanguageIdentifier,
            )

            _LANGID = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _LANGID


def detect_languages(
    texts: Sequence[str], *, min_share: float = 0.15, max_texts: int = 2000
) -> list[str]:
    """Languages of a collection of texts, most frequent first.

    Each text votes for its most likely language with weight
    ``len(text) * confidence`` (short texts are often misclassified, and then with
    low confidence); languages with at least ``min_share`` of the total weight are
    returned.

    Parameters
    ----------
    texts : sequence of str
    min_share : float, default=0.15
        Minimum share of the weighted votes, in (0, 1].
    max_texts : int, default=2000
        At most this many texts, evenly spaced, are classified.

    Returns
    -------
    languages : list of str
        ISO 639-1 codes (e.g. ``["en"]``, ``["de", "en"]``); empty if no text has
        letters or ``py3langid`` is not installed (a warning is logged).

    Examples
    --------
    >>> detect_languages(["The weather is nice today.", "I like this film a lot."])
    ['en']
    """
    if not 0.0 < min_share <= 1.0:
        raise SpecificationError(f"min_share must be in (0, 1], got {min_share!r}")
    try:
        identifier = _langid()
    except ImportError:
        logger.warning("py3langid is not installed; text languages not recorded")
        return []
    n = len(texts)
    picks = (
        range(n)
        if n <= max_texts
        else np.linspace(0, n - 1, max_texts).round().astype(int).tolist()
    )
    votes: dict[str, float] = defaultdict(float)
    for i in picks:
        text = texts[i].strip()
        if not any(ch.isalpha() for ch in text):
            continue
        lang, confidence = identifier.classify(text)
        votes[str(lang)] += len(text) * float(confidence)
    total = sum(votes.values())
    if total <= 0.0:
        return []
    ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0]))
    return [lang for lang, weight in ranked if weight / total >= min_share]


def _embed(
    encoder: encoders.TextEncoder, items: list[str], *, progress: bool = False
) -> NDArray[np.float64]:
    """The encoder's embeddings of ``items``, checked for shape and finiteness."""
    E = np.asarray(encoder.encode(items, progress=progress), dtype=np.float64)
    if E.shape != (len(items), encoder.dim):
        raise SpecificationError(
            f"encoder {encoder.name!r} returned shape {E.shape}, "
            f"expected {(len(items), encoder.dim)}"
        )
    if not np.isfinite(E).all():
        raise SpecificationError(
            f"encoder {encoder.name!r} returned NaN or infinite values"
        )
    return E


def _check_texts(texts: Any) -> list[str]:
    if isinstance(texts, str | bytes):
        raise SpecificationError(
            "texts must be a sequence of strings, not a single string"
        )
    try:
        items = list(texts)
    except TypeError as exc:
        raise SpecificationError(
            f"texts must be a sequence of strings, got {type(texts).__name__}"
        ) from exc
    if not items:
        raise SpecificationError("texts is empty")
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise SpecificationError(
                f"texts[{i}] is {type(item).__name__}, expected str"
            )
    return items


@register_spec_type
class RKMETextSpecification(StatSpecification):
    """RKME of sentence embeddings of a text collection.

    Parameters
    ----------
    encoder : TextEncoder, optional
        Sentence encoder; default :func:`learnware_core.encoders.default_text_encoder`
        (all-MiniLM-L6-v2, loaded once per process).
    language_detector : callable or None, default=detect_languages
        ``texts -> list of language codes``; None records no language.
    gamma : float or "median", default=0.1
        Kernel parameter of the table RKME on the embeddings (the original's
        default; MiniLM embeddings have unit norm, so squared distances lie in
        [0, 4]).
    n_points : int, default=100
        Reduced-set size ``K`` (capped as in the table RKME).
    max_iter : int, default=10
    tol : float, default=1e-4
    random_state : int, numpy Generator or None, default=None
        See :class:`~learnware_core.specification.rkme.RKMETableSpecification`.
    progress : bool, default=False
        Show a progress bar while encoding.

    Attributes
    ----------
    rkme_ : RKMETableSpecification
        The table RKME of the embeddings (``type`` there is the table's).
    encoder_name_ : str
        Name of the encoder that made the embeddings.
    language_ : list of str
        Detected languages, most frequent first.
    z_, beta_, gamma_, num_points_, n_features_in_
        Those of ``rkme_``.

    References
    ----------
    Wu et al., "Model reuse with reduced kernel mean embedding specification",
    IEEE TKDE, 2023.

    Examples
    --------
    >>> class Letters:  # a toy encoder: letter frequencies
    ...     name, dim = "toy/letters", 26
    ...     def encode(self, texts, *, progress=False):
    ...         E = np.zeros((len(texts), 26))
    ...         for i, t in enumerate(texts):
    ...             for ch in t.lower():
    ...                 if "a" <= ch <= "z":
    ...                     E[i, ord(ch) - 97] += 1
    ...         return E / np.maximum(E.sum(1, keepdims=True), 1)
    >>> texts = [
    ...     "The cat sat on the warm mat.", "The dog ran across the park.",
    ...     "Birds sing early in the morning.", "Fish swim in the cold river.",
    ... ]
    >>> spec = RKMETextSpecification(encoder=Letters(), n_points=3, random_state=0)
    >>> d = spec.fit(texts).to_dict()
    >>> d["type"], d["encoder"], d["language"], len(d["z"]), len(d["z"][0])
    ('RKMETextSpecification', 'toy/letters', ['en'], 3, 26)
    """

    type_name: ClassVar[str] = "RKMETextSpecification"

    rkme_: RKMETableSpecification
    encoder_name_: str
    language_: list[str]

    def __init__(
        self,
        *,
        encoder: encoders.TextEncoder | None = None,
        language_detector: LanguageDetector | None = detect_languages,
        gamma: float | Literal["median"] = DEFAULT_GAMMA,
        n_points: int = 100,
        max_iter: int = 10,
        tol: float = 1e-4,
        random_state: int | np.random.Generator | None = None,
        progress: bool = False,
    ) -> None:
        self.encoder = encoder
        self.language_detector = language_detector
        self.gamma = gamma
        self.n_points = n_points
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.progress = progress

    def __repr__(self) -> str:
        text = f"{type(self).__name__}(gamma={self.gamma!r}, n_points={self.n_points}"
        if getattr(self, "rkme_", None) is not None:
            k, d = self.rkme_.z_.shape
            text += f"; fitted: K={k}, d={d}, encoder={self.encoder_name_!r}"
        return text + ")"

    # ------------------------------------------------------------------ fitting

    def fit(self, texts: Sequence[str]) -> RKMETextSpecification:
        """Embed the texts and fit the table RKME on the embeddings.

        Parameters
        ----------
        texts : sequence of str, length n >= 1

        Returns
        -------
        self : RKMETextSpecification

        Raises
        ------
        SpecificationError
            Not a sequence of strings, empty, or the encoder returned an array of
            the wrong shape or with non-finite values.
        EncoderError
            The default encoder cannot be loaded (see :mod:`learnware_core.encoders`).
        """
        items = _check_texts(texts)
        encoder = self.encoder
        if encoder is None:
            encoder = encoders.default_text_encoder()
        E = _embed(encoder, items, progress=self.progress)
        rkme = RKMETableSpecification(
            gamma=self.gamma,
            n_points=self.n_points,
            max_iter=self.max_iter,
            tol=self.tol,
            random_state=self.random_state,
        ).fit(E)
        detector = self.language_detector
        self.rkme_ = rkme
        self.encoder_name_ = encoder.name
        self.language_ = list(detector(items)) if detector is not None else []
        return self

    # ------------------------------------------------------------ fitted views

    @property
    def z_(self) -> FloatArray:
        """Reduced set, shape (K, dim)."""
        check_fitted(self, "rkme_")
        return self.rkme_.z_

    @property
    def beta_(self) -> FloatArray:
        """Weights, shape (K,)."""
        check_fitted(self, "rkme_")
        return self.rkme_.beta_

    @property
    def gamma_(self) -> float:
        """Kernel parameter used."""
        check_fitted(self, "rkme_")
        return self.rkme_.gamma_

    @property
    def num_points_(self) -> int:
        """Number of texts the specification was fitted on."""
        check_fitted(self, "rkme_")
        return self.rkme_.num_points_

    @property
    def n_features_in_(self) -> int:
        """Embedding dimension."""
        check_fitted(self, "rkme_")
        return self.rkme_.n_features_in_

    # ------------------------------------------------------------ serialisation

    def to_dict(self) -> dict[str, Any]:
        """Return the stored layout.

        Returns
        -------
        data : dict
            ``{"z": K x dim lists, "beta": K floats, "gamma", "num_points",
            "type": "RKMETextSpecification", "language": [codes],
            "encoder": name}``.
        """
        check_fitted(self, "rkme_")
        data = self.rkme_.to_dict()
        data["type"] = self.type_name
        data["language"] = list(self.language_)
        data["encoder"] = self.encoder_name_
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RKMETextSpecification:
        """Load from :meth:`to_dict` output or an original text ``stat.json``.

        A missing ``encoder`` means the original's encoder
        (:data:`ORIGINAL_TEXT_ENCODER`); a missing ``language`` means ``[]``.

        Raises
        ------
        SpecificationError
            Wrong ``type``, bad ``encoder``/``language``, or an invalid RKME part.
        """
        if not isinstance(data, dict):
            raise SpecificationError("an RKME specification must be a JSON object")
        if data.get("type", cls.type_name) != cls.type_name:
            raise SpecificationError(
                f"expected type {cls.type_name!r}, got {data.get('type')!r}"
            )
        encoder_name = data.get("encoder", ORIGINAL_TEXT_ENCODER)
        if not isinstance(encoder_name, str) or not encoder_name.strip():
            raise SpecificationError(
                f"'encoder' must be a non-empty string, got {encoder_name!r}"
            )
        language = data.get("language", [])
        if language is None:
            language = []
        if not isinstance(language, list) or not all(
            isinstance(code, str) for code in language
        ):
            raise SpecificationError(
                f"'language' must be a list of strings, got {language!r}"
            )
        rkme = RKMETableSpecification.from_dict({**data, "type": _TABLE_TYPE})
        spec = cls(gamma=rkme.gamma_, n_points=rkme.z_.shape[0])
        spec.rkme_ = rkme
        spec.encoder_name_ = encoder_name
        spec.language_ = list(language)
        return spec

    # --------------------------------------------------------------- comparison

    def space_key(self) -> tuple[Any, ...]:
        """``("RKMETextSpecification", encoder, d)``: the fitted gamma is not part
        of the space; search compares text specs under :attr:`search_gamma_`."""
        check_fitted(self, "rkme_")
        return (self.type_name, self.encoder_name_, int(self.n_features_in_))

    @property
    def search_gamma_(self) -> float:
        """The kernel search compares text specs under (:data:`SEARCH_GAMMA`),
        whatever gamma each was fitted with: their points (sentence embeddings) and
        weights define an MMD under any kernel."""
        return SEARCH_GAMMA

    def is_compatible(self, other: StatSpecification) -> bool:
        """True iff ``other`` is a fitted text spec of the same encoder and kernel."""
        return (
            isinstance(other, RKMETextSpecification)
            and getattr(self, "rkme_", None) is not None
            and getattr(other, "rkme_", None) is not None
            and self.encoder_name_ == other.encoder_name_
            and self.rkme_.is_compatible(other.rkme_)
        )

    def routing_view(self) -> RoutingView:
        """The RKME of the embeddings; texts are routed by their embeddings.

        Raises
        ------
        SpecificationError
            Neither this spec's encoder nor the default one is the encoder that made
            the embeddings.
        """
        check_fitted(self, "rkme_")
        encoder = self.encoder
        if encoder is None or encoder.name != self.encoder_name_:
            encoder = encoders.default_text_encoder()
        if encoder.name != self.encoder_name_:
            raise SpecificationError(
                f"the spec's texts were embedded by {self.encoder_name_!r}, which is "
                f"not available here (the default encoder is {encoder.name!r})"
            )
        found = encoder

        def embed(texts: Any) -> NDArray[np.float64]:
            return _embed(found, _check_texts(texts))

        return RoutingView(self.rkme_, embed, f"text/{self.encoder_name_}")

    def _check_comparable(self, other: StatSpecification) -> RKMETextSpecification:
        check_fitted(self, "rkme_")
        if not isinstance(other, RKMETextSpecification):
            raise SpecificationError(
                f"cannot compare {self.type_name} with {type(other).__name__}"
            )
        check_fitted(other, "rkme_")
        if self.encoder_name_ != other.encoder_name_:
            raise SpecificationError(
                "cannot compare text specifications made by different encoders "
                f"({self.encoder_name_!r} vs {other.encoder_name_!r}); their "
                "embeddings live in unrelated spaces"
            )
        return other

    def inner_product(self, other: StatSpecification) -> float:
        """RKHS inner product of the two embeddings (see the table RKME).

        Raises
        ------
        SpecificationError
            ``other`` is not a fitted text spec of the same encoder, dimension and
            gamma.
        """
        return self.rkme_.inner_product(self._check_comparable(other).rkme_)

    def dist(self, other: StatSpecification) -> float:
        """Squared MMD to ``other``.

        Raises
        ------
        SpecificationError
            ``other`` is not a text spec, was made by another encoder (the message
            names both), or differs in dimension or gamma.
        """
        return self.rkme_.dist(self._check_comparable(other).rkme_)
