"""Column descriptions -> meaning vectors, and a one-to-one match of two column sets.

A table's columns are known to the dock only by their text descriptions (the semantic
spec's ``Input.Description``) or, for a user, often only by a CSV header. Both are
brought to words first (:func:`column_words`: ``"dep_delay"`` -> ``"dep delay"``,
``"ArrTime"`` -> ``"arr time"``, ``"sepal.length.cm"`` -> ``"sepal length
centimetres"``; a short list of unambiguous header abbreviations is spelt out), then
embedded with the offline MiniLM sentence encoder (cached per text, see
:class:`~learnware_core.specworld.columns.ColumnEmbedder`).

Two column sets are compared by :meth:`ColumnSpace.similarity`: the cosine of every
pair, where an abbreviation that is a prefix (``"dep"`` of ``"departure"``) or a
consonant skeleton (``"qty"`` of ``"quantity"``) of a word *used by the other set* is
also tried spelt out (the better of the two cosines counts). :meth:`ColumnSpace.match`
then finds the optimal one-to-one assignment (Hungarian algorithm,
:func:`scipy.optimize.linear_sum_assignment`) among pairs at or above the calibrated
:data:`PAIR_THRESHOLD` (:mod:`learnware_core.islands.calibrate`).

Columns without a meaningful description (``"3"``, ``"col_3"``, ``"x3"``, ``"Unnamed:
0"``, ``"unnamed feature 3 of 10"``) are *placeholders*: they are never matched by
meaning and do not count in a match's coverage.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from learnware_core.encoders import EncoderError, TextEncoder, minilm_model_dir
from learnware_core.islands._calibration_data import CALIBRATION_TABLES
from learnware_core.specworld.columns import ColumnEmbedder

__all__ = [
    "ABBREVIATIONS",
    "PAIR_THRESHOLD",
    "ColumnMatch",
    "ColumnSpace",
    "MatchedPair",
    "column_words",
    "default_column_space",
    "is_placeholder",
    "match_columns",
    "match_from_similarity",
    "same_wording",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

PAIR_THRESHOLD = 0.33
"""Similarity at or above which two column descriptions may be matched (calibrated).

Computed by :func:`learnware_core.islands.calibrate.calibrate_threshold` (the best
balanced accuracy of accepting the optimal assignment's proposed pairs, 270
column-set comparisons of 9 tables written as headers, phrases and sentences; 0.01
grid) with the offline all-MiniLM-L6-v2 and :data:`RAW_WEIGHT`,
:data:`MEAN_SHRINKAGE` below. At 0.33:

* calibration tables: balanced accuracy 0.899 (829 true proposals, 87.6 % accepted;
  845 false ones, 92.3 % refused); matched pairs: precision 0.907, recall 0.838;
  island decision (coverage >= 2/3 on both sides) right in 87.4 % of comparisons;
* held-out tables (5 other domains, not used for any choice): balanced accuracy
  0.839 (recall 0.850, specificity 0.829); matched pairs: precision 0.830, recall
  0.762; island decision right in 92.7 %.

Re-run ``calibrate_threshold()`` when the encoder, the normalisation or the
similarity change; a test checks that it still gives this value.
"""
ISLAND_COVERAGE = 2.0 / 3.0
"""Two column sets are the same feature space when the match covers this share of
the described columns on *both* sides (:attr:`ColumnMatch.coverage`)."""
RAW_WEIGHT = 0.5
"""Weight of the plain cosine in :meth:`ColumnSpace.similarity` (the rest: centred)."""
MEAN_SHRINKAGE = 2.0
"""Pseudo-columns of the background mean in a column set's mean."""

ABBREVIATIONS: dict[str, str] = {
    # Header abbreviations with one common reading in any domain. Domain-specific ones
    # ("dep", "arr") are not listed: they are resolved against the other column set's
    # words instead (see ColumnSpace.similarity).
    "amt": "amount",
    "avg": "average",
    "bal": "balance",
    "cnt": "count",
    "cm": "centimetres",
    "desc": "description",
    "diam": "diameter",
    "dob": "date of birth",
    "dur": "duration",
    "elev": "elevation",
    "freq": "frequency",
    "ft": "feet",
    "hh": "household",
    "hrs": "hours",
    "ht": "height",
    "idx": "index",
    "kg": "kilograms",
    "km": "kilometres",
    "lat": "latitude",
    "lbs": "pounds",
    "len": "length",
    "lng": "longitude",
    "lon": "longitude",
    "max": "maximum",
    "mins": "minutes",
    "mm": "millimetres",
    "mph": "miles per hour",
    "mth": "month",
    "nbr": "number",
    "num": "number",
    "pct": "percent",
    "perc": "percentage",
    "precip": "precipitation",
    "prev": "previous",
    "qty": "quantity",
    "secs": "seconds",
    "spd": "speed",
    "sqft": "square feet",
    "std": "standard deviation",
    "stdev": "standard deviation",
    "temp": "temperature",
    "tot": "total",
    "vel": "velocity",
    "vol": "volume",
    "wk": "week",
    "wt": "weight",
    "yr": "year",
    "yrs": "years",
}
"""Header abbreviation -> words; applied to every token of a column text."""


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_GENERIC = _word_set(
    "x v f c n col cols column feature feat features var variable attr attribute "
    "field input dim dimension unnamed unknown value predictor covariate index no "
    "the of th st nd rd first second third fourth fifth sixth seventh eighth ninth "
    "tenth"
)
_LABEL_GENERIC = _word_set("class label category target output y the of no")
_VOWELS = frozenset("aeiou")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_DIGIT_EDGE = re.compile(r"(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")
_NON_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class _Text:
    """A column text brought to words: the tokens and the normalised string."""

    tokens: tuple[str, ...]
    text: str


@cache
def _split(raw: str) -> tuple[str, ...]:
    s = unicodedata.normalize("NFKC", raw)
    s = s.replace("%", " percent ").replace("#", " number ")
    s = _CAMEL.sub(" ", s)
    s = _DIGIT_EDGE.sub(" ", s)
    return tuple(t for t in _NON_WORD.split(s.lower()) if t)


@cache
def _normalised(raw: str) -> _Text:
    tokens = tuple(
        word
        for token in _split(raw)
        for word in ABBREVIATIONS.get(token, token).split()
    )
    return _Text(tokens=tokens, text=" ".join(tokens))


def column_words(text: str) -> str:
    """A column description or CSV header brought to lower-case words.

    Separators (``_ . - / :``), camel case and letter-digit boundaries become spaces;
    ``%`` and ``#`` become "percent" and "number"; :data:`ABBREVIATIONS` are spelt
    out.

    Parameters
    ----------
    text : str

    Returns
    -------
    words : str
        Space-separated tokens (empty if the text has no letters or digits).

    Examples
    --------
    >>> column_words("dep_delay"), column_words("ArrTime")
    ('dep delay', 'arr time')
    >>> column_words("sepal.length.cm"), column_words("x3")
    ('sepal length centimetres', 'x 3')
    """
    return _normalised(text).text


def is_placeholder(text: str, *, labels: bool = False) -> bool:
    """Whether a column (or label) text names nothing: empty, a number, a bare
    letter (``y``), ``col_3``...

    Parameters
    ----------
    text : str
    labels : bool, default=False
        Judge a class label: single letters (``"A"``) are meaningful labels, and only
        numbers and ``"class 3"``-like names are placeholders.

    Returns
    -------
    bool
    """
    return _is_placeholder(text, labels)


@lru_cache(maxsize=1 << 16)
def _is_placeholder(text: str, labels: bool) -> bool:
    """:func:`is_placeholder`, remembered per text (a search asks for every member's
    column texts: ~170,000 times at 1,000 learnwares)."""
    generic = _LABEL_GENERIC if labels else _GENERIC
    if not labels and sum(ch.isalpha() for ch in text) <= 1:
        return True  # a bare letter (``y``, ``z``, ``a3``) names no column
    return all(t.isdigit() or t in generic for t in _split(text))


@cache
def _known_words() -> frozenset[str]:
    """Whole words of the MiniLM tokenizer's vocabulary (never taken as abbreviations).

    Empty when the model package is not installed: then every short token may be
    expanded against the other column set.
    """
    try:
        path = minilm_model_dir() / "vocab.txt"
        words = path.read_text(encoding="utf-8").split()
    except (EncoderError, OSError):
        return frozenset()
    return frozenset(w for w in words if w.isalpha() and w.isascii())


def _abbreviates(token: str, word: str) -> bool:
    """``token`` is a prefix (>= 3 letters) or consonant skeleton of ``word``."""
    if len(word) < 4 or len(word) <= len(token) or token[0] != word[0]:
        return False
    if len(token) >= 3 and word.startswith(token):
        return True
    if any(ch in _VOWELS for ch in token[1:]):
        return False
    rest = iter(word[1:])
    return all(ch in rest for ch in token[1:])  # subsequence test


def _expand(text: _Text, vocabulary: Counter[str]) -> str:
    """``text`` with its abbreviations spelt out by words of ``vocabulary``."""
    known = _known_words()
    out: list[str] = []
    for token in text.tokens:
        choice = token
        if (
            2 <= len(token) <= 6
            and token.isalpha()
            and token not in vocabulary
            and token not in known
        ):
            candidates = [w for w in vocabulary if _abbreviates(token, w)]
            if candidates:  # the most used word, then alphabetical: deterministic
                choice = min(candidates, key=lambda w: (-vocabulary[w], w))
        out.append(choice)
    return " ".join(out)


def _vocabulary(texts: Iterable[_Text]) -> Counter[str]:
    return Counter(t for text in texts for t in set(text.tokens) if t.isalpha())


_FUNCTION_WORDS = _word_set(
    "a an the of in on at by for per to from and or with as is are was its their "
    "this that each every"
)
_UNIT_WORDS = _word_set(
    "min mins minute minutes sec secs second seconds h hr hrs hour hours day days "
    "week weeks month months year years usd dollar dollars eur euro euros percent "
    "percentage m cm centimetres centimeters mm millimetres millimeters km "
    "kilometres kilometers metre metres meter meters g gram grams kg kilograms lb "
    "lbs pound pounds mile miles mph celsius fahrenheit kelvin degree degrees unit "
    "units number count amount value"
)


def _content(words: str) -> frozenset[str]:
    """Content words (function and unit words dropped, plural s stripped)."""
    out = set()
    for token in words.split():
        if token in _FUNCTION_WORDS or token in _UNIT_WORDS or token.isdigit():
            continue
        out.add(token[:-1] if len(token) > 3 and token.endswith("s") else token)
    return frozenset(out)


def same_wording(a: str, b: str) -> bool:
    """Whether one text's content words all occur in the other's.

    Function words, units and plural endings are ignored, and abbreviations are
    spelt out by the other text's words: ``"arr_delay"`` and ``"Arrival delay in
    minutes"`` share their wording; ``"arrival delay"`` and ``"departure delay"`` do
    not. Used for outputs, where two near-identical descriptions of different
    targets must not be mixed.

    Parameters
    ----------
    a, b : str

    Returns
    -------
    bool
        False if either text has no content words.
    """
    ta, tb = _normalised(a), _normalised(b)
    ca = _content(_expand(ta, _vocabulary([tb])))
    cb = _content(_expand(tb, _vocabulary([ta])))
    return bool(ca) and bool(cb) and (ca <= cb or cb <= ca)


class MatchedPair(NamedTuple):
    """One accepted column pair of a :class:`ColumnMatch`."""

    left: int
    """Column index in the left set."""
    right: int
    """Column index in the right set."""
    similarity: float
    """Cosine similarity of the two descriptions (>= the match's threshold)."""


@dataclass(frozen=True)
class ColumnMatch:
    """The one-to-one correspondence between two column sets.

    Attributes
    ----------
    pairs : tuple of MatchedPair
        Accepted pairs ``(left, right, similarity)``, sorted by ``left``.
    unmatched_left, unmatched_right : tuple of int
        Columns of either side without a partner (placeholders included).
    n_left, n_right : int
        Column counts.
    described_left, described_right : int
        Columns that have a meaningful description (placeholders excluded).
    threshold : float
        The per-pair similarity a pair needed to be accepted.
    """

    pairs: tuple[MatchedPair, ...]
    unmatched_left: tuple[int, ...]
    unmatched_right: tuple[int, ...]
    n_left: int
    n_right: int
    described_left: int
    described_right: int
    threshold: float

    @property
    def n_matched(self) -> int:
        """Number of accepted pairs."""
        return len(self.pairs)

    @property
    def coverage_left(self) -> float:
        """Share of the left side's described columns that found a partner."""
        return self.n_matched / self.described_left if self.described_left else 0.0

    @property
    def coverage_right(self) -> float:
        """Share of the right side's described columns that found a partner."""
        return self.n_matched / self.described_right if self.described_right else 0.0

    @property
    def coverage(self) -> float:
        """The smaller of the two coverages: 1.0 when both sets are fully matched."""
        return min(self.coverage_left, self.coverage_right)

    @property
    def mean_similarity(self) -> float:
        """Mean similarity of the accepted pairs (0.0 when there is none)."""
        if not self.pairs:
            return 0.0
        return float(np.mean([p.similarity for p in self.pairs]))

    @property
    def score(self) -> float:
        """``sum of accepted similarities / sqrt(described_left * described_right)``.

        In [0, 1]; 1 only for two fully matched sets of identical descriptions. Used
        to rank candidate islands.
        """
        denominator = float(np.sqrt(self.described_left * self.described_right))
        if denominator == 0.0:
            return 0.0
        return float(sum(p.similarity for p in self.pairs)) / denominator

    def left_to_right(self) -> tuple[int, ...]:
        """For every left column, its right partner, or -1."""
        out = [-1] * self.n_left
        for p in self.pairs:
            out[p.left] = p.right
        return tuple(out)

    def right_to_left(self) -> tuple[int, ...]:
        """For every right column, its left partner, or -1."""
        out = [-1] * self.n_right
        for p in self.pairs:
            out[p.right] = p.left
        return tuple(out)


class ColumnSpace:
    """Column texts -> unit meaning vectors, pair similarities and set matches.

    Embeddings are cached per normalised text for the life of the object (one
    instance per process: :func:`default_column_space`).

    Parameters
    ----------
    encoder : TextEncoder, optional
        Sentence encoder; default the offline MiniLM (loaded on first use). Tests pass
        a fake one.
    threshold : float, default=PAIR_THRESHOLD
        Similarity at or above which two columns may be matched.
    raw_weight : float, default=RAW_WEIGHT
        Weight of the plain cosine in the pair similarity; the rest goes to the
        cosine after centring each set (see :meth:`similarity`).
    shrinkage : float, default=MEAN_SHRINKAGE
        Pseudo-count of the background mean in each set's mean.
    """

    def __init__(
        self,
        encoder: TextEncoder | None = None,
        *,
        threshold: float = PAIR_THRESHOLD,
        raw_weight: float = RAW_WEIGHT,
        shrinkage: float = MEAN_SHRINKAGE,
    ) -> None:
        self.threshold = float(threshold)
        self.raw_weight = float(raw_weight)
        self.shrinkage = float(shrinkage)
        self._embedder = ColumnEmbedder(encoder)
        self._lock = threading.Lock()
        self._background_mean: FloatArray | None = None

    @property
    def encoder_name(self) -> str:
        """Name of the sentence encoder (embeddings of different encoders differ)."""
        return self._embedder.name

    @property
    def dim(self) -> int:
        """Embedding dimension."""
        return self._embedder.dim

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """Unit vectors of the normalised texts (:func:`column_words`).

        Parameters
        ----------
        texts : sequence of str, length n

        Returns
        -------
        E : ndarray of shape (n, dim)
            Placeholder texts are embedded like any other; callers mask them.
        """
        return self._embed_words([column_words(t) or "unknown" for t in texts])

    def _embed_words(self, words: Sequence[str]) -> FloatArray:
        with self._lock:
            E = self._embedder(list(words))
        return _unit_rows(E)

    def background_mean(self) -> FloatArray:
        """Mean embedding of the calibration tables' column texts (computed once).

        The "generic column description" direction that :meth:`similarity` shrinks
        each set's mean towards, so that a set of one or two columns is centred
        sensibly too.

        Returns
        -------
        mu : ndarray of shape (dim,)
        """
        if self._background_mean is None:
            texts = [
                t for table in CALIBRATION_TABLES for c in table.columns for t in c
            ]
            self._background_mean = self.embed(texts).mean(axis=0)
        return self._background_mean

    def similarity(
        self,
        left: Sequence[str],
        right: Sequence[str],
    ) -> FloatArray:
        """Pair similarities of two column sets (the scores a match thresholds).

        ``S[i, j] = w * raw[i, j] + (1 - w) * centred[i, j]`` with ``w =
        raw_weight``:

        * ``raw[i, j] = max(cos(a_i, b_j), cos(a_i', b_j), cos(a_i, b_j'))``, where
          ``a_i'`` is ``a_i`` with each abbreviation spelt out by a word of the
          right set (prefix or consonant skeleton: ``"dep"`` -> ``"departure"``) and
          ``b_j'`` likewise by the left set's words;
        * ``centred[i, j]`` is the cosine of ``a_i' - mu_a`` and ``b_j' - mu_b``,
          each set's mean shrunk towards :meth:`background_mean` by ``shrinkage``
          pseudo-columns. Centring removes what all columns of a table share ("...
          of the booking"), leaving what tells them apart ("adults" vs
          "children").

        Placeholder columns (:func:`is_placeholder`) get -1 in their rows/columns.

        Parameters
        ----------
        left, right : sequence of str
            Column texts (descriptions or headers).

        Returns
        -------
        S : ndarray of shape (len(left), len(right))
        """
        return self.similarity_to_columns(left, [[t] for t in right])

    def similarity_to_columns(
        self,
        left: Sequence[str],
        right: Sequence[Sequence[str]],
        *,
        centred: bool = True,
    ) -> FloatArray:
        """:meth:`similarity` against columns known by several texts each.

        Parameters
        ----------
        left : sequence of str
        right : sequence of sequences of str
            For every right column, one or more descriptions of it (an island's
            column as described by each of its members). The best-scoring text
            counts; a column's mean embedding stands for it in ``mu_b``.
        centred : bool, default=True
            False: the plain part only (``raw``), as :meth:`raw_similarity`.

        Returns
        -------
        S : ndarray of shape (len(left), len(right))
        """
        n_left, n_right = len(left), len(right)
        if n_left == 0 or n_right == 0:
            return np.zeros((n_left, n_right))
        left_ph = _placeholders(left)
        right_texts = [_column_texts(texts) for texts in right]
        right_ph = np.array([not texts for texts in right_texts], dtype=bool)
        flat = [t for texts in right_texts for t in (texts or ["unknown"])]
        owner = np.repeat(np.arange(n_right), [max(len(t), 1) for t in right_texts])

        a = [_normalised(t) for t in left]
        b = [_normalised(t) for t in flat]
        words_a = [t.text or "unknown" for t in a]
        words_b = [t.text or "unknown" for t in b]
        vocab_a, vocab_b = _vocabulary(a), _vocabulary(b)
        exp_a = [_expand(t, vocab_b) or "unknown" for t in a]
        exp_b = [_expand(t, vocab_a) or "unknown" for t in b]
        Ea, Eb = self._embed_words(words_a), self._embed_words(words_b)
        Xa = self._embed_words(exp_a) if exp_a != words_a else Ea
        Xb = self._embed_words(exp_b) if exp_b != words_b else Eb

        raw = np.maximum(Ea @ Eb.T, np.maximum(Xa @ Eb.T, Ea @ Xb.T))
        S = raw
        if centred and self.raw_weight < 1.0:
            starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
            column_means = (
                np.add.reduceat(Xb, starts, axis=0)
                / np.diff(np.r_[starts, len(owner)])[:, None]
            )
            mu_a = self._shrunk_mean(Xa[~left_ph])
            mu_b = self._shrunk_mean(column_means[~right_ph])
            shared_removed = _unit_rows(Xa - mu_a) @ _unit_rows(Xb - mu_b).T
            S = self.raw_weight * raw + (1.0 - self.raw_weight) * shared_removed
        if len(flat) != n_right:
            starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
            S = np.maximum.reduceat(S, starts, axis=1)
        S[left_ph] = -1.0
        S[:, right_ph] = -1.0
        return np.clip(S, -1.0, 1.0)

    def _shrunk_mean(self, E: FloatArray) -> FloatArray:
        k = self.shrinkage
        total: FloatArray = E.sum(axis=0) + k * self.background_mean()
        denominator = len(E) + k
        return total / denominator if denominator > 0 else total

    def raw_similarity(self, left: Sequence[str], right: Sequence[str]) -> FloatArray:
        """Plain cosine similarities, abbreviations resolved in context, no centring.

        Used for single texts that have no set to be centred in (an output's label
        descriptions).

        Parameters
        ----------
        left, right : sequence of str

        Returns
        -------
        S : ndarray of shape (len(left), len(right))
        """
        return self.similarity_to_columns(left, [[t] for t in right], centred=False)

    def match(
        self,
        left: Sequence[str],
        right: Sequence[str],
        *,
        threshold: float | None = None,
    ) -> ColumnMatch:
        """Optimal one-to-one match of two column sets.

        Parameters
        ----------
        left, right : sequence of str
            Column descriptions or CSV headers, in column order.
        threshold : float, optional
            Per-pair acceptance similarity; default this space's ``threshold``.

        Returns
        -------
        match : ColumnMatch

        Examples
        --------
        >>> space = ColumnSpace()
        >>> m = space.match(["dep_delay", "carrier"], ["airline", "departure delay"])
        >>> [(p.left, p.right) for p in m.pairs]
        [(0, 1), (1, 0)]
        """
        S = self.similarity(left, right)
        return match_from_similarity(
            S,
            described_left=int(np.count_nonzero(~_placeholders(left))),
            described_right=int(np.count_nonzero(~_placeholders(right))),
            threshold=self.threshold if threshold is None else float(threshold),
        )


def _unit_rows(E: FloatArray) -> FloatArray:
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    return np.asarray(E / np.where(norms > 0.0, norms, 1.0), dtype=np.float64)


def _column_texts(texts: Sequence[str]) -> list[str]:
    """The described texts of one column (placeholders dropped), in order."""
    return [t for t in texts if not is_placeholder(t)]


def _placeholders(texts: Sequence[str]) -> BoolArray:
    return np.fromiter((is_placeholder(t) for t in texts), dtype=bool, count=len(texts))


def match_from_similarity(
    S: FloatArray, *, described_left: int, described_right: int, threshold: float
) -> ColumnMatch:
    """The optimal match of a similarity matrix (see :meth:`ColumnSpace.match`).

    Maximises the sum of accepted similarities (pairs below ``threshold`` weigh 0),
    so that as many pairs as possible are accepted and, among those, the most
    similar.

    Parameters
    ----------
    S : ndarray of shape (n_left, n_right)
    described_left, described_right : int
        Non-placeholder column counts (the denominators of the coverages).
    threshold : float

    Returns
    -------
    match : ColumnMatch
    """
    n_left, n_right = S.shape
    pairs: list[MatchedPair] = []
    if n_left and n_right:
        weight = np.where(threshold <= S, S, 0.0)
        rows, cols = linear_sum_assignment(weight, maximize=True)
        pairs = sorted(
            MatchedPair(int(i), int(j), float(S[i, j]))
            for i, j in zip(rows, cols, strict=True)
            if weight[i, j] > 0.0
        )
    left_done = {p.left for p in pairs}
    right_done = {p.right for p in pairs}
    return ColumnMatch(
        pairs=tuple(pairs),
        unmatched_left=tuple(i for i in range(n_left) if i not in left_done),
        unmatched_right=tuple(j for j in range(n_right) if j not in right_done),
        n_left=n_left,
        n_right=n_right,
        described_left=described_left,
        described_right=described_right,
        threshold=threshold,
    )


_DEFAULT: ColumnSpace | None = None
_DEFAULT_LOCK = threading.Lock()


def default_column_space() -> ColumnSpace:
    """The process-wide :class:`ColumnSpace` on the offline MiniLM encoder."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = ColumnSpace()
        return _DEFAULT


def match_columns(
    left: Sequence[str],
    right: Sequence[str],
    *,
    space: ColumnSpace | None = None,
    threshold: float | None = None,
) -> ColumnMatch:
    """Match two column sets by meaning (see :meth:`ColumnSpace.match`).

    Parameters
    ----------
    left, right : sequence of str
        Column descriptions or CSV headers.
    space : ColumnSpace, optional
        Default :func:`default_column_space`.
    threshold : float, optional
        Default the space's threshold (:data:`PAIR_THRESHOLD`).

    Returns
    -------
    match : ColumnMatch
    """
    space = default_column_space() if space is None else space
    return space.match(left, right, threshold=threshold)
