"""Semantic search: tag filters, typo-tolerant name matching and meaning-based ranking.

The web side filters tags in SQL; this module ranks the remaining candidates:

* every learnware stores one unit-norm float32 vector of ``"name. description"``
  (:func:`embed_learnware_text`, MiniLM by default);
* :func:`rank_text` combines the cosine similarity of the query's vector with a
  typo-tolerant name similarity (:func:`name_similarity`): exact name matches come
  first, then ``max(name, meaning)``-style blended scores.

Name similarity is written here (``rapidfuzz`` is not a dependency): the best of
(a) exact or substring match, (b) an optimal-string-alignment (Damerau-Levenshtein
with adjacent transpositions) similarity between the query and the best-matching
run of name words, and (c) the Dice coefficient of character trigrams.

The original engine matched only the user's *name* against names/descriptions with
``rapidfuzz.partial_ratio >= 75`` and ignored the description (learnware reference
§5.2); meaning-based ranking is new.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core import encoders
from learnware_core.errors import SpecificationError
from learnware_core.specification.semantic import SemanticSpec

__all__ = [
    "embed_learnware_text",
    "embed_query",
    "learnware_text",
    "matches_tags",
    "name_similarity",
    "rank_text",
]

Float32Array = NDArray[np.float32]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

EXACT_NAME_SCORE = 1.0
"""Score of a name equal to the query (case and spacing ignored); ranked first."""

_WORD = re.compile(r"[\w]+", re.UNICODE)
_TAG_KEYS = {
    "data": "data",
    "task": "task",
    "library": "library",
    "scenario": "scenarios",
    "license": "license",
}


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def learnware_text(name: str, description: str) -> str:
    """The text embedded for a learnware: ``"name. description"``."""
    name, description = name.strip(), description.strip()
    return f"{name}. {description}" if description else name


def embed_learnware_text(
    names: Sequence[str],
    descriptions: Sequence[str],
    *,
    encoder: encoders.TextEncoder | None = None,
) -> Float32Array:
    """Unit-norm float32 vectors of ``"name. description"``, one per learnware.

    Parameters
    ----------
    names, descriptions : sequence of str, equal length n
    encoder : TextEncoder, optional
        Default: MiniLM (:func:`learnware_core.encoders.default_text_encoder`).

    Returns
    -------
    vectors : ndarray of shape (n, dim), float32
    """
    if len(names) != len(descriptions):
        raise SpecificationError("names and descriptions differ in length")
    texts = [learnware_text(n, d) for n, d in zip(names, descriptions, strict=True)]
    return _encode(texts, encoder)


def embed_query(
    query: str, *, encoder: encoders.TextEncoder | None = None
) -> Float32Array:
    """Unit-norm float32 vector of a search query, shape (dim,)."""
    out: Float32Array = _encode([query], encoder)[0]
    return out


def _encode(texts: list[str], encoder: encoders.TextEncoder | None) -> Float32Array:
    enc = encoder if encoder is not None else encoders.default_text_encoder()
    if not texts:
        return np.zeros((0, enc.dim), dtype=np.float32)
    E = np.asarray(enc.encode(texts), dtype=np.float64)
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    out: Float32Array = (E / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


def matches_tags(
    spec: SemanticSpec | Mapping[str, Any], filters: Mapping[str, Iterable[str]]
) -> bool:
    """Whether a semantic specification passes exact tag filters.

    Parameters
    ----------
    spec : SemanticSpec or its dict form
    filters : mapping
        Keys among ``data``, ``task``, ``library``, ``scenario``, ``license``
        (case-insensitive); values are sets of accepted values. An empty set does
        not filter. ``scenario`` passes if any of the learnware's scenarios is
        accepted.
    """
    parsed = spec if isinstance(spec, SemanticSpec) else SemanticSpec.from_dict(spec)
    for key, accepted in filters.items():
        attr = _TAG_KEYS.get(key.casefold())
        if attr is None:
            raise SpecificationError(
                f"unknown tag filter {key!r} (known: {', '.join(_TAG_KEYS)})"
            )
        allowed = set(accepted)
        if not allowed:
            continue
        value = getattr(parsed, attr)
        values = set(value) if isinstance(value, tuple) else {value}
        if not values & allowed:
            return False
    return True


def _osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (edits + adjacent transpositions)."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    prev2: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        for j in range(1, lb + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            best = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, prev2[j - 2] + 1)
            cur[j] = best
        prev2, prev = prev, cur
    return prev[lb]


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def name_similarity(query: str, name: str) -> float:
    """Typo-tolerant similarity of a query and a learnware name, in [0, 1].

    1 for equal names (case, punctuation and spacing ignored); 0.95 if the query
    is a substring of the name; otherwise the best of the OSA similarity
    (``1 - distance / max length``) against every run of consecutive name words,
    and the trigram Dice coefficient of the whole strings.

    Examples
    --------
    >>> name_similarity("flight delay", "Flight delay")
    1.0
    >>> round(name_similarity("fligth dealy", "flight delay regressor"), 2)
    0.75
    """
    q, n = _normalise(query), _normalise(name)
    if not q or not n:
        return 0.0
    if q == n:
        return EXACT_NAME_SCORE
    if q in n:
        return 0.95
    words = n.split()
    n_q = len(q.split())
    best = 0.0
    for width in {max(1, n_q - 1), n_q, n_q + 1}:
        for start in range(max(1, len(words) - width + 1)):
            span = " ".join(words[start : start + width])
            dist = _osa_distance(q, span)
            best = max(best, 1.0 - dist / max(len(q), len(span)))
    tq, tn = _trigrams(q), _trigrams(n)
    dice = 2.0 * len(tq & tn) / (len(tq) + len(tn))
    # A partial (span) match is discounted slightly below a whole-name match.
    return float(max(0.9 * best, dice))


def rank_text(
    query: str,
    names: Sequence[str],
    vectors: ArrayLike | None,
    *,
    query_vector: ArrayLike | None = None,
    encoder: encoders.TextEncoder | None = None,
    name_weight: float = 0.5,
    min_score: float = 0.0,
) -> tuple[IntArray, FloatArray]:
    """Rank candidate learnwares for a text query.

    ``score = max(name_sim, name_weight * name_sim + (1 - name_weight) * meaning)``
    with ``meaning = max(cos, 0)`` (cosine of the unit vectors) and ``name_sim``
    from :func:`name_similarity`; exact name matches score 1 and come first.

    Parameters
    ----------
    query : str
    names : sequence of str, length n
    vectors : array-like of shape (n, dim) or None
        Stored :func:`embed_learnware_text` vectors; None ranks by name only.
    query_vector : array-like of shape (dim,), optional
        Precomputed :func:`embed_query`; computed with ``encoder`` if needed.
    encoder : TextEncoder, optional
    name_weight : float, default=0.5
    min_score : float, default=0.0
        Candidates below are dropped.

    Returns
    -------
    order : ndarray of int
        Indices into ``names``, best first (ties by index).
    scores : ndarray of float
        Their scores in [0, 1].
    """
    if not 0.0 <= name_weight <= 1.0:
        raise SpecificationError(f"name_weight must be in [0, 1], got {name_weight}")
    n = len(names)
    name_sim = np.array([name_similarity(query, nm) for nm in names], dtype=float)
    if vectors is None or n == 0:
        score = name_sim
    else:
        V = np.asarray(vectors, dtype=np.float32)
        if V.shape[0] != n:
            raise SpecificationError(
                f"vectors has {V.shape[0]} rows, names has {n} entries"
            )
        qv = (
            np.asarray(query_vector, dtype=np.float32)
            if query_vector is not None
            else embed_query(query, encoder=encoder)
        )
        meaning = np.maximum((V @ qv).astype(np.float64), 0.0)
        blended = name_weight * name_sim + (1.0 - name_weight) * meaning
        score = np.maximum(name_sim, np.minimum(blended, 0.999))
    score = np.clip(score, 0.0, 1.0)
    order = np.lexsort((np.arange(n), -score))
    order = order[score[order] >= min_score]
    return order.astype(np.int64), score[order]
