"""Semantic search: tag filters, typo-tolerant name matching and meaning-based ranking.

The web side filters tags in SQL; this module ranks the remaining candidates:

* every learnware stores one unit-norm float32 vector of ``"name. description"``
  (:func:`embed_learnware_text`, MiniLM by default);
* :func:`rank_text` blends the cosine similarity of the query's vector with a
  typo-tolerant name similarity (:func:`name_similarity`): exact name matches come
  first, then the others by ``name_weight * name + (1 - name_weight) * meaning``.
* :data:`TEXT_NO_MATCH_SCORE` is the score below which a text match is not an
  answer: a query whose best score is below it gets "no good match"
  (``benchmarks.text_trust``, ``docs/text-search.md``).

Name similarity is written here (``rapidfuzz`` is not a dependency): the best of
(a) exact or substring match, (b) an optimal-string-alignment (Damerau-Levenshtein
with adjacent transpositions) similarity between the query and the best-matching
run of name words, and (c) the Dice coefficient of character trigrams.
:func:`name_similarity` is the plain definition for one name;
:func:`name_similarities` computes the same numbers for a whole market at once
(every distinct run of words in one bit-parallel pass, Hyyro 2003, vectorised over
the runs with NumPy): ~0.2 s instead of ~45 s for 10,000 names.

The original engine matched only the user's *name* against names/descriptions with
``rapidfuzz.partial_ratio >= 75`` and ignored the description (learnware reference
§5.2); meaning-based ranking is new.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core import encoders
from learnware_core.errors import SpecificationError
from learnware_core.specification.semantic import SemanticSpec

__all__ = [
    "TEXT_NO_MATCH_SCORE",
    "embed_learnware_text",
    "embed_query",
    "learnware_text",
    "matches_tags",
    "name_similarities",
    "name_similarity",
    "rank_text",
]

Float32Array = NDArray[np.float32]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

EXACT_NAME_SCORE = 1.0
"""Score of a name equal to the query (case and spacing ignored); ranked first."""

TEXT_NO_MATCH_SCORE = 0.30
"""The :func:`rank_text` score (default ``name_weight``) below which a learnware is
not an answer to a text query; a query with no learnware at or above it gets "no
good match".

Chosen by ``python -m benchmarks.text_trust`` on a calibration half of hand-written
queries over three market shapes (the demo market, scikit-learn's bundled data sets,
R data sets), and measured on the other half (no-match 0.95, false no-match 0.05):
see ``docs/text-search.md``. The score is absolute (not rescaled by the market):
related queries score from ~0.3 (a paraphrase sharing no word) to 1; unrelated ones
mostly below 0.3, but a market on every subject holds near-topic learnwares that
reach 0.3-0.46 (no-match 0.13 among all 2,293 R data sets).
"""

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


_WORD_BITS = 64  # bit-parallel OSA: one machine word per string


@functools.lru_cache(maxsize=1 << 16)
def _name_parts(name: str) -> tuple[str, tuple[str, ...], IntArray]:
    """A name's normalised form, words and sorted distinct trigram codes (cached:
    a market's names are ranked again and again)."""
    n = _normalise(name)
    if not n:
        return n, (), np.zeros(0, dtype=np.int64)
    return n, tuple(n.split()), _trigram_codes(n)


def _trigram_codes(text: str) -> IntArray:
    """``_trigrams(text)`` as sorted distinct int64 codes (3 x 21-bit code points)."""
    a = _code_points(f"  {text} ").astype(np.int64)
    codes: IntArray = np.unique((a[:-2] << 42) | (a[1:-1] << 21) | a[2:])
    return codes


def _code_points(text: str) -> NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _osa_query_pattern(q: str, spans: Sequence[str], lengths: IntArray) -> IntArray:
    """OSA distances of ``q`` (<= 64 characters: the bit pattern) to every span.

    Hyyro's bit-vector algorithm (2003) with the transposition term, one lane per
    span; spans sorted by decreasing length so each column only touches the spans
    still running.
    """
    m, n = len(q), len(spans)
    order = np.argsort(-lengths, kind="stable")
    lengths_sorted = lengths[order]
    alphabet = sorted(set(q))
    peq = np.zeros(len(alphabet) + 1, dtype=np.uint64)  # 0: not in the query
    for i, ch in enumerate(q):
        peq[alphabet.index(ch) + 1] |= np.uint64(1 << i)
    text = _code_points("".join([spans[r] for r in order.tolist()]))
    known = np.array([ord(c) for c in alphabet], dtype=np.uint32)
    at = np.minimum(np.searchsorted(known, text), len(known) - 1)
    codes = np.where(known[at] == text, at + 1, 0).astype(np.intp)
    longest = int(lengths_sorted[0]) if n else 0
    columns = np.zeros((longest, n), dtype=np.intp)  # column j: every span's j-th
    starts = np.concatenate(([0], np.cumsum(lengths_sorted)[:-1]))
    lanes = np.repeat(np.arange(n), lengths_sorted)
    columns[np.arange(text.size) - np.repeat(starts, lengths_sorted), lanes] = codes
    running = np.searchsorted(-lengths_sorted, -np.arange(longest), side="left")
    one, top = np.uint64(1), np.uint64(1 << (m - 1))
    vp = np.full(n, np.uint64(2**64 - 1))
    vn = np.zeros(n, dtype=np.uint64)
    d0 = np.zeros(n, dtype=np.uint64)
    pm_old = np.zeros(n, dtype=np.uint64)
    dist = np.full(n, m, dtype=np.int64)
    for j in range(longest):
        k = int(running[j])
        vp, vn, d0, pm_old = vp[:k], vn[:k], d0[:k], pm_old[:k]
        pm = peq[columns[j, :k]]
        tr = (((~d0) & pm) << one) & pm_old
        d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr
        hp = vn | ~(d0 | vp)
        hn = d0 & vp
        dist[:k] += ((hp & top) != 0).astype(np.int64) - ((hn & top) != 0)
        hp = (hp << one) | one
        hn = hn << one
        vp = hn | ~(d0 | hp)
        vn = hp & d0
        pm_old = pm
    out = np.empty(n, dtype=np.int64)
    out[order] = dist
    return out


def _osa_span_pattern(q: str, spans: Sequence[str], lengths: IntArray) -> IntArray:
    """OSA distances with each span (<= 64 characters) as the bit pattern and
    ``q`` (any length) as the text: for long queries (the distance is symmetric)."""
    n = len(spans)
    longest = int(lengths.max()) if n else 0
    grid = np.zeros((n, max(longest, 1)), dtype=np.uint32)
    text = _code_points("".join(spans))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    lanes = np.repeat(np.arange(n), lengths)
    grid[lanes, np.arange(text.size) - np.repeat(starts, lengths)] = text
    weights = np.uint64(1) << np.arange(grid.shape[1], dtype=np.uint64)
    masks = {
        ch: ((grid == ord(ch)).astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)
        for ch in set(q)
    }
    one = np.uint64(1)
    top = one << (lengths.astype(np.uint64) - one)
    vp = np.full(n, np.uint64(2**64 - 1))
    vn = np.zeros(n, dtype=np.uint64)
    d0 = np.zeros(n, dtype=np.uint64)
    pm_old = np.zeros(n, dtype=np.uint64)
    dist = lengths.astype(np.int64)
    for ch in q:
        pm = masks[ch]
        tr = (((~d0) & pm) << one) & pm_old
        d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr
        hp = vn | ~(d0 | vp)
        hn = d0 & vp
        dist += ((hp & top) != 0).astype(np.int64) - ((hn & top) != 0)
        hp = (hp << one) | one
        hn = hn << one
        vp = hn | ~(d0 | hp)
        vn = hp & d0
        pm_old = pm
    return dist


def _osa_distances(q: str, spans: Sequence[str]) -> IntArray:
    """``_osa_distance(q, span)`` for every span, vectorised."""
    lengths = np.fromiter(map(len, spans), dtype=np.int64, count=len(spans))
    out = np.zeros(len(spans), dtype=np.int64)
    if not spans:
        return out
    if len(q) <= _WORD_BITS:
        return _osa_query_pattern(q, spans, lengths)
    short = np.flatnonzero(lengths <= _WORD_BITS)
    out[short] = _osa_span_pattern(
        q, [spans[i] for i in short.tolist()], lengths[short]
    )
    for i in np.flatnonzero(lengths > _WORD_BITS).tolist():  # rare: long names
        out[i] = _osa_distance(q, spans[i])
    return out


def _segment_starts(counts: Sequence[int] | IntArray) -> IntArray:
    starts: IntArray = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    return starts


@dataclass(frozen=True)
class _PreparedNames:
    """What :func:`name_similarities` needs of a list of names for queries of one
    word-run width set, built once (a market's names are ranked again and again)."""

    named: IntArray  # positions of the names with some text
    normalised: tuple[str, ...]  # their normalised forms
    spans: tuple[str, ...]  # distinct runs of words over all of them
    span_lengths: IntArray
    pair_spans: IntArray  # each name's runs (index into spans), name after name
    pair_starts: IntArray  # where each name's runs start in pair_spans
    trigrams: IntArray  # each name's distinct trigram codes, name after name
    trigram_starts: IntArray
    trigram_sizes: IntArray


@functools.lru_cache(maxsize=6)
def _prepared_names(names: tuple[str, ...], widths: tuple[int, ...]) -> _PreparedNames:
    named: list[int] = []
    normalised: list[str] = []
    pairs: list[str] = []  # every name's runs of words, name after name
    pair_counts: list[int] = []
    trigrams: list[IntArray] = []
    for idx, name in enumerate(names):
        n, words, tn = _name_parts(name)
        if not n:
            continue
        named.append(idx)
        normalised.append(n)
        trigrams.append(tn)
        before = len(pairs)
        for width in widths:
            pairs.extend(
                " ".join(words[start : start + width])
                for start in range(max(1, len(words) - width + 1))
            )
        pair_counts.append(len(pairs) - before)
    span_ids = {span: i for i, span in enumerate(dict.fromkeys(pairs))}
    sizes = np.fromiter(map(len, trigrams), dtype=np.int64, count=len(trigrams))
    return _PreparedNames(
        named=np.asarray(named, dtype=np.int64),
        normalised=tuple(normalised),
        spans=tuple(span_ids),
        span_lengths=np.fromiter(map(len, span_ids), np.int64, len(span_ids)),
        pair_spans=np.fromiter(map(span_ids.__getitem__, pairs), np.int64, len(pairs)),
        pair_starts=_segment_starts(pair_counts),
        trigrams=np.concatenate(trigrams) if trigrams else np.zeros(0, np.int64),
        trigram_starts=_segment_starts(sizes),
        trigram_sizes=sizes,
    )


def name_similarities(query: str, names: Sequence[str]) -> FloatArray:
    """:func:`name_similarity` of ``query`` and every name, equal to it to the bit.

    Each distinct run of name words is compared once, in one vectorised
    bit-parallel pass; what depends only on the names (normalised forms, runs,
    trigrams) is prepared once per list of names and query width, and cached.

    Returns
    -------
    similarities : ndarray of shape (len(names),)
    """
    out = np.zeros(len(names), dtype=float)
    q = _normalise(query)
    if not q or not names:
        return out
    n_q = len(q.split())
    prep = _prepared_names(tuple(names), tuple(sorted({max(1, n_q - 1), n_q, n_q + 1})))
    if not prep.named.size:
        return out
    tq = _trigram_codes(q)
    distances = _osa_distances(q, prep.spans)
    similarity = 1.0 - distances / np.maximum(len(q), prep.span_lengths)
    # Every segment is non-empty: a name has >= 1 run and >= 2 trigrams.
    best = np.maximum.reduceat(similarity[prep.pair_spans], prep.pair_starts)
    shared = np.add.reduceat(
        np.isin(prep.trigrams, tq).astype(np.int64), prep.trigram_starts
    )
    dice = 2.0 * shared / (tq.size + prep.trigram_sizes)
    # A partial (span) match is discounted slightly below a whole-name match.
    scores = np.maximum(0.9 * best, dice)
    contains = np.fromiter((q in n for n in prep.normalised), bool, prep.named.size)
    scores[contains] = 0.95
    equal = np.fromiter((q == n for n in prep.normalised), bool, prep.named.size)
    scores[equal] = EXACT_NAME_SCORE
    out[prep.named] = scores
    return out


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

    ``score = name_weight * name_sim + (1 - name_weight) * meaning`` (below 1) with
    ``meaning = max(cos, 0)`` (cosine of the unit vectors; 0 without vectors) and
    ``name_sim`` from :func:`name_similarity`; exact name matches score 1 and come
    first. A blend, not ``max(name_sim, ...)``: a loose name likeness alone (one
    shared word, trigram overlap: up to ~0.6 for unrelated queries) is no answer,
    while a typo of a name (name_sim >= ~0.6) or a substring (0.95) still scores
    above :data:`TEXT_NO_MATCH_SCORE` whatever the meaning. Pass
    ``min_score=TEXT_NO_MATCH_SCORE`` to keep only answers.

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
        Candidates below are dropped; :data:`TEXT_NO_MATCH_SCORE` keeps only
        answers (an empty result: "no good match").

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
    name_sim = name_similarities(query, names)
    meaning = np.zeros(n, dtype=np.float64)
    if vectors is not None and n:
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
    score = np.clip(np.minimum(blended, 0.999), 0.0, 1.0)
    score[name_sim >= EXACT_NAME_SCORE] = EXACT_NAME_SCORE
    order = np.lexsort((np.arange(n), -score))
    order = order[score[order] >= min_score]
    return order.astype(np.int64), score[order]
