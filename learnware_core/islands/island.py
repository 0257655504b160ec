"""Specification islands: which table learnwares share a feature space and a task.

An *island* is a set of table learnwares whose columns mean the same thing and whose
outputs mean the same thing, so that their statistical specifications can be
compared column by column once put in one column order. It is decided from the
semantic specification only:

Columns (``Input``)
    The learnware's column descriptions are matched one-to-one with each candidate
    island's columns by meaning (:class:`~learnware_core.islands.columns.ColumnSpace`:
    sentence embeddings, abbreviations resolved in context, optimal assignment, the
    calibrated :data:`~learnware_core.islands.columns.PAIR_THRESHOLD`). The
    learnware joins the island when the match covers at least
    :data:`~learnware_core.islands.columns.ISLAND_COVERAGE` (2/3) of the described
    columns on **both** sides; of several such islands, the best match (highest
    :attr:`~learnware_core.islands.columns.ColumnMatch.score`) wins. Otherwise it
    founds a new island whose columns, in the founder's order, are the island's
    *canonical* columns for good. Members joining later add their own wording of each
    matched column to it (so later headers and paraphrases match any earlier wording).
Partial overlaps
    A match that shares columns without reaching the coverage on both sides (or that
    covers the columns but has another output) is kept as an :class:`IslandLink`
    between the two islands: the specification world can use it to connect them.
Task and output (``Task``, ``Output``)
    Members of an island have the same task type (a classifier and a regressor never
    share one), the same output dimension, and label descriptions that match one to
    one (identical after normalisation in some order, or each pair worded alike and
    at least :data:`OUTPUT_THRESHOLD` similar; the label order is recorded). A learnware
    whose output is described never joins one whose output is not, and vice versa.
Undescribed columns
    A table with fewer than half of its columns described (missing, or placeholders
    such as ``"3"``, ``"col_3"``, ``"x3"``) cannot be matched by meaning: it joins
    the island of undescribed tables with the same column count, task and output,
    in its own column order, and the :class:`Assignment` says why results may be
    weak.

:meth:`IslandMap.locate` does the same for a user's task (semantic spec or CSV
header), without changing the map: islands ranked by match quality, each with the
permutation that puts the user's columns in the island's order.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment

from learnware_core.errors import SpecificationError
from learnware_core.islands.columns import (
    ISLAND_COVERAGE,
    ColumnMatch,
    ColumnSpace,
    MatchedPair,
    column_words,
    default_column_space,
    is_placeholder,
    match_from_similarity,
    same_wording,
)
from learnware_core.specification.semantic import SemanticSpec
from learnware_core.specworld.columns import column_texts

__all__ = [
    "LINK_MIN_SHARED",
    "MIN_DESCRIBED_FRACTION",
    "OUTPUT_THRESHOLD",
    "Assignment",
    "IslandInfo",
    "IslandLink",
    "IslandMap",
    "IslandMatch",
    "TableSignature",
    "align_columns",
    "table_signature",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MIN_DESCRIBED_FRACTION = 0.5
"""A table is *described* when at least this share of its columns has a meaningful
description; otherwise it goes to the undescribed island of its column count."""

OUTPUT_THRESHOLD = 0.8
"""Plain cosine similarity each pair of output descriptions (class labels, regression
targets) needs when they are not identical after normalisation; they must also share
their wording (:func:`~learnware_core.islands.columns.same_wording`). Stricter than
the column rule on purpose, since mixing outputs mixes tasks: "Departure delay in
minutes" vs "Arrival delay in minutes" (0.84) differ in wording; "arr_delay" vs
"Arrival delay in minutes" (0.92) do not. A choice, not a calibration."""

LINK_MIN_SHARED = 2
"""Matched columns needed to record an :class:`IslandLink` (1 for one-column sets)."""

_SCHEMA_VERSION = 1


# --------------------------------------------------------------------- signatures


@dataclass(frozen=True)
class TableSignature:
    """What decides a table's island: its column texts, task and output.

    Attributes
    ----------
    columns : tuple of str
        One text per column, in column order (generated placeholders for columns
        without a description).
    task : str or None
        ``"Classification"``, ``"Regression"``, ... (the semantic spec's ``Task``).
    output_dim : int or None
        ``Output.Dimension``: classes, or regression targets.
    labels : tuple of str
        ``Output`` descriptions, one per output index (placeholders where missing);
        empty without an ``Output``.
    """

    columns: tuple[str, ...]
    task: str | None = None
    output_dim: int | None = None
    labels: tuple[str, ...] = ()

    @property
    def n_columns(self) -> int:
        """Column count."""
        return len(self.columns)

    @property
    def placeholder_columns(self) -> tuple[int, ...]:
        """Columns without a meaningful description."""
        return tuple(i for i, t in enumerate(self.columns) if is_placeholder(t))

    @property
    def described(self) -> bool:
        """At least :data:`MIN_DESCRIBED_FRACTION` of the columns are described."""
        n_described = self.n_columns - len(self.placeholder_columns)
        needed = max(1, math.ceil(MIN_DESCRIBED_FRACTION * self.n_columns))
        return n_described >= needed

    @property
    def labels_described(self) -> bool:
        """Every output index has a meaningful description."""
        return bool(self.labels) and not any(
            is_placeholder(t, labels=True) for t in self.labels
        )


def table_signature(
    spec: SemanticSpec | Mapping[str, Any] | Sequence[str],
    n_columns: int | None = None,
    *,
    task: str | None = None,
) -> TableSignature:
    """The :class:`TableSignature` of a semantic spec or a list of column headers.

    Parameters
    ----------
    spec : SemanticSpec, dict or sequence of str
        A semantic specification (validated, or its stored dict layout; only
        ``Task``, ``Input`` and ``Output`` are read, so a user's partial spec does),
        or the column names of a CSV header.
    n_columns : int, optional
        Column count of the statistical specification; default ``Input.Dimension``
        or the number of headers. Descriptions beyond it are ignored; missing ones
        become placeholders.
    task : str, optional
        Overrides the spec's ``Task``.

    Returns
    -------
    signature : TableSignature

    Raises
    ------
    SpecificationError
        ``Input``/``Output`` of the wrong shape, or no column count to go by.
    """
    output_dim: int | None = None
    labels: tuple[str, ...] = ()
    if isinstance(spec, SemanticSpec):
        descriptions: Mapping[str, str] | Sequence[str] | None = (
            None
            if spec.input is None
            else {str(i): t for i, t in spec.input.descriptions}
        )
        dimension = spec.input_dimension
        spec_task: str | None = spec.task
        if spec.output is not None:
            output_dim = spec.output.dimension
            out = {str(i): t for i, t in spec.output.descriptions}
            labels = tuple(column_texts(out, output_dim))
    elif isinstance(spec, Mapping):
        descriptions, dimension = _io_entry(spec, "Input")
        spec_task = _tag_value(spec.get("Task"))
        out_descriptions, output_dim = _io_entry(spec, "Output")
        if output_dim is not None:
            labels = tuple(column_texts(out_descriptions, output_dim))
    elif isinstance(spec, Sequence) and not isinstance(spec, str | bytes):
        descriptions = [str(t) for t in spec]
        dimension = len(descriptions)
        spec_task = None
    else:
        raise SpecificationError(
            f"expected a semantic spec or a list of column names, got "
            f"{type(spec).__name__}"
        )
    n = dimension if n_columns is None else n_columns
    if n is None or isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise SpecificationError(
            f"the column count must be a positive integer, got {n!r}"
        )
    return TableSignature(
        columns=tuple(column_texts(descriptions, n)),
        task=_clean_task(task if task is not None else spec_task),
        output_dim=output_dim,
        labels=labels,
    )


def _clean_task(task: object) -> str | None:
    if task is None:
        return None
    text = str(task).strip()
    return text or None


def _tag_value(entry: object) -> str | None:
    """``{"Type": ..., "Values": ["x"]}`` / ``["x"]`` / ``"x"`` -> ``"x"``."""
    if isinstance(entry, Mapping):
        entry = entry.get("Values")
    if isinstance(entry, list | tuple):
        entry = entry[0] if entry else None
    return None if entry is None else str(entry)


def _io_entry(
    spec: Mapping[str, Any], key: str
) -> tuple[Mapping[str, str] | None, int | None]:
    entry = spec.get(key)
    if entry is None or entry == {}:
        return None, None
    if not isinstance(entry, Mapping):
        raise SpecificationError(
            f"semantic spec {key!r} must be an object with 'Dimension' and "
            f"'Description', got {type(entry).__name__}"
        )
    dimension = entry.get("Dimension")
    if dimension is not None and (
        isinstance(dimension, bool) or not isinstance(dimension, int) or dimension < 1
    ):
        raise SpecificationError(
            f"semantic spec {key!r}: 'Dimension' must be a positive integer, "
            f"got {dimension!r}"
        )
    raw = entry.get("Description")
    if raw is not None and not isinstance(raw, Mapping):
        raise SpecificationError(
            f"semantic spec {key!r}: 'Description' must map index strings to text, "
            f"got {type(raw).__name__}"
        )
    descriptions = None if raw is None else {str(k): str(v) for k, v in raw.items()}
    return descriptions, dimension


# ------------------------------------------------------------------------ results


def align_columns(X: ArrayLike, order: Sequence[int]) -> FloatArray:
    """Put a table's columns in an island's order.

    Parameters
    ----------
    X : array-like of shape (n_rows, n_columns)
    order : sequence of int
        For every island column, the table's column, or -1 if it has none.

    Returns
    -------
    Y : ndarray of shape (n_rows, len(order))
        NaN in the columns the table does not have. ``X`` is not modified.
    """
    A = np.asarray(X, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"X must be 2-D, got shape {A.shape}")
    index = np.asarray(order, dtype=np.int64)
    if index.size and index.max() >= A.shape[1]:
        raise ValueError(
            f"X has {A.shape[1]} columns; the order refers to column {index.max()}"
        )
    Y = np.full((A.shape[0], index.size), np.nan)
    present = index >= 0
    Y[:, present] = A[:, index[present]]
    return Y


@dataclass(frozen=True)
class IslandLink:
    """Two islands that share columns without being one (partial overlap), or share
    their columns but not their output.

    Attributes
    ----------
    island_a, island_b : int
        ``island_a < island_b``.
    pairs : tuple of MatchedPair
        ``(column of a, column of b, similarity)`` in the islands' canonical orders.
    coverage_a, coverage_b : float
        Share of either island's described columns in the pairs.
    same_output : bool
        Whether their task and output agree (then only the columns keep them apart).
    """

    island_a: int
    island_b: int
    pairs: tuple[MatchedPair, ...]
    coverage_a: float
    coverage_b: float
    same_output: bool


@dataclass(frozen=True)
class Assignment:
    """The island a learnware was put on (:meth:`IslandMap.assign`).

    Attributes
    ----------
    island_id : int
    created : bool
        The learnware founded the island.
    undescribed : bool
        The island is one of undescribed tables (grouped by column count and task).
    order : tuple of int
        For every island column, the learnware's column, or -1 (missing):
        ``X[:, order]`` is the learnware's data in the island's order
        (:meth:`align`).
    to_island : tuple of int
        For every learnware column, its island column, or -1 (not aligned).
    label_order : tuple of int or None
        For every island output index, the learnware's output index (classifiers and
        regressors with described outputs); None when outputs are undescribed.
    match : ColumnMatch or None
        The learnware's columns (left) against the island's (right); None when the
        learnware founded the island or columns are undescribed.
    quality : float
        :attr:`ColumnMatch.score` of the match; 1.0 for a founder, 0.0 for an
        undescribed island (nothing was matched by meaning).
    reason : str or None
        Why search or reuse through this island may be weak, if they may.
    links : tuple of IslandLink
        Other islands this learnware's columns overlap with.
    """

    island_id: int
    created: bool
    undescribed: bool
    order: tuple[int, ...]
    to_island: tuple[int, ...]
    label_order: tuple[int, ...] | None
    match: ColumnMatch | None
    quality: float
    reason: str | None
    links: tuple[IslandLink, ...] = ()

    def align(self, X: ArrayLike) -> FloatArray:
        """``X`` (the learnware's columns) in the island's order; NaN where missing."""
        return align_columns(X, self.order)


@dataclass(frozen=True)
class IslandMatch:
    """One island located for a user's table (:meth:`IslandMap.locate`).

    Attributes
    ----------
    island_id : int
    fits : bool
        The match covers :data:`ISLAND_COVERAGE` of both sides' described columns (or
        the island is the undescribed one of the user's column count). When no
        result fits, search should go to the specification world.
    undescribed : bool
        The island (and the user's table) have undescribed columns.
    order : tuple of int
        For every island column, the user's column, or -1 (the user lacks it).
    to_island : tuple of int
        For every user column, its island column, or -1.
    label_order : tuple of int or None
        For every island output index, the user's, when the user described outputs.
    match : ColumnMatch or None
        User's columns (left) against the island's (right); None if undescribed.
    quality : float
        :attr:`ColumnMatch.score`; 0.0 for an undescribed island.
    n_members : int
    reason : str or None
        Why results from this island may be weak, if they may.
    """

    island_id: int
    fits: bool
    undescribed: bool
    order: tuple[int, ...]
    to_island: tuple[int, ...]
    label_order: tuple[int, ...] | None
    match: ColumnMatch | None
    quality: float
    n_members: int
    reason: str | None

    def align(self, X: ArrayLike) -> FloatArray:
        """The user's ``X`` in the island's column order; NaN where missing."""
        return align_columns(X, self.order)


@dataclass(frozen=True)
class IslandInfo:
    """A read-only view of one island.

    Attributes
    ----------
    island_id : int
    described : bool
    task : str or None
    output_dim : int or None
    labels : tuple of str
        The founder's output descriptions (the island's output order).
    columns : tuple of tuple of str
        For every canonical column, the descriptions its members gave it, most used
        first (empty for a column nobody described).
    members : tuple
        Keys of the member learnwares.
    """

    island_id: int
    described: bool
    task: str | None
    output_dim: int | None
    labels: tuple[str, ...]
    columns: tuple[tuple[str, ...], ...]
    members: tuple[Hashable, ...]

    @property
    def n_columns(self) -> int:
        """Canonical column count."""
        return len(self.columns)


# ------------------------------------------------------------------------- state


class _Anonymous:
    """Key of a member assigned without one."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __repr__(self) -> str:
        return f"<anonymous {self.n}>"


@dataclass
class _Member:
    island_id: int
    texts: list[tuple[int, str]]  # (canonical column, text) the member contributed


class _Island:
    def __init__(
        self,
        island_id: int,
        signature: TableSignature,
        *,
        described: bool,
        first_col: int,
    ) -> None:
        self.id = island_id
        self.described = described
        self.n_columns = signature.n_columns
        self.task = signature.task
        self.output_dim = signature.output_dim
        self.labels = signature.labels
        self.labels_described = signature.labels_described
        self.first_col = first_col  # global id of canonical column 0 (the index)
        self.texts: list[Counter[str]] = [Counter() for _ in range(self.n_columns)]
        self.members: dict[Hashable, _Member] = {}

    def column_texts(self, j: int) -> list[str]:
        return [t for t, _ in sorted(self.texts[j].items(), key=lambda kv: -kv[1])]

    @property
    def n_described(self) -> int:
        return sum(1 for c in self.texts if c)

    def info(self) -> IslandInfo:
        return IslandInfo(
            island_id=self.id,
            described=self.described,
            task=self.task,
            output_dim=self.output_dim,
            labels=self.labels,
            columns=tuple(tuple(self.column_texts(j)) for j in range(self.n_columns)),
            members=tuple(self.members),
        )


@dataclass(frozen=True)
class _Candidate:
    island: _Island
    match: ColumnMatch
    label_order: tuple[int, ...] | None
    output_ok: bool


class IslandMap:
    """The islands of a market's table learnwares.

    Not a scikit-learn estimator: islands are added to one learnware at a time
    (:meth:`assign`) and the map is queried in between (:meth:`locate`). Thread-safe
    (one lock).

    Parameters
    ----------
    space : ColumnSpace, optional
        Embeds and matches column descriptions; default
        :func:`~learnware_core.islands.columns.default_column_space` (offline MiniLM).
    coverage : float, default=ISLAND_COVERAGE
        Share of described columns a match must cover on both sides to join.
    max_candidates : int, default=8
        Islands matched exactly (assignment) after the one-matrix-product pre-ranking
        of all islands.
    max_texts_per_column : int, default=32
        Distinct descriptions of one canonical column kept in the search index.

    Examples
    --------
    >>> islands = IslandMap()
    >>> spec = {
    ...     "Task": {"Type": "Class", "Values": ["Regression"]},
    ...     "Input": {
    ...         "Dimension": 2,
    ...         "Description": {"0": "departure delay (min)", "1": "airline carrier"},
    ...     },
    ...     "Output": {"Dimension": 1, "Description": {"0": "arrival delay"}},
    ... }
    >>> islands.assign(spec, 2, key="lw-1").island_id
    0
    >>> best = islands.locate(["carrier", "dep_delay"], task="Regression")[0]
    >>> best.island_id, best.order, best.fits
    (0, (1, 0), True)
    """

    def __init__(
        self,
        space: ColumnSpace | None = None,
        *,
        coverage: float = ISLAND_COVERAGE,
        max_candidates: int = 8,
        max_texts_per_column: int = 32,
    ) -> None:
        self.space = default_column_space() if space is None else space
        self.coverage = float(coverage)
        self.max_candidates = int(max_candidates)
        self.max_texts_per_column = int(max_texts_per_column)
        self._lock = threading.RLock()
        self._islands: dict[int, _Island] = {}
        self._member_island: dict[Hashable, int] = {}
        self._links: dict[tuple[int, int], IslandLink] = {}
        self._next_id = 0
        self._n_anonymous = 0
        # Search index over every described canonical column's texts (all islands):
        # rows of unit embeddings, each owned by a global column id; -1 = dead row.
        self._next_col = 0
        self._col_island: list[int] = []
        self._rows = np.zeros((0, 0))
        self._row_col = np.zeros(0, dtype=np.int64)
        self._n_rows = 0
        self._row_of: dict[tuple[int, str], int] = {}  # (global column, text) -> row
        self._sorted: tuple[IntArray, IntArray, IntArray] | None = None

    # ------------------------------------------------------------------ reading

    @property
    def islands(self) -> tuple[IslandInfo, ...]:
        """Every island, by id."""
        with self._lock:
            return tuple(self._islands[i].info() for i in sorted(self._islands))

    def island(self, island_id: int) -> IslandInfo:
        """One island.

        Raises
        ------
        KeyError
            No such island.
        """
        with self._lock:
            return self._islands[island_id].info()

    def island_of(self, key: Hashable) -> int | None:
        """The island of a member, or None."""
        with self._lock:
            return self._member_island.get(key)

    def links(self) -> tuple[IslandLink, ...]:
        """Every recorded link between islands, by ``(island_a, island_b)``."""
        with self._lock:
            return tuple(self._links[k] for k in sorted(self._links))

    # ------------------------------------------------------------------ writing

    def assign(
        self,
        semantic_spec: SemanticSpec | Mapping[str, Any],
        n_columns: int,
        *,
        key: Hashable | None = None,
    ) -> Assignment:
        """Put a table learnware on its island (founding one if none fits).

        Parameters
        ----------
        semantic_spec : SemanticSpec or dict
            The learnware's semantic specification (``Task``, ``Input``, ``Output``
            are read).
        n_columns : int
            Column count of its statistical specification (the model's input).
        key : hashable, optional
            Identifies the member (e.g. the learnware id); assigning a key again
            moves it. JSON-able keys (str, int) are needed for :meth:`to_dict`.

        Returns
        -------
        assignment : Assignment

        Raises
        ------
        SpecificationError
            Malformed ``Input``/``Output`` or column count.
        """
        signature = table_signature(semantic_spec, n_columns)
        with self._lock:
            if key is None:
                key = _Anonymous(self._n_anonymous)
                self._n_anonymous += 1
            elif key in self._member_island:
                self._remove(key)
            if not signature.described:
                return self._assign_undescribed(signature, key)
            return self._assign_described(signature, key)

    def remove(self, key: Hashable) -> None:
        """Take a member off its island; an island left empty is dropped.

        Raises
        ------
        KeyError
            ``key`` is not a member.
        """
        with self._lock:
            if key not in self._member_island:
                raise KeyError(key)
            self._remove(key)

    def _remove(self, key: Hashable) -> None:
        island = self._islands[self._member_island.pop(key)]
        member = island.members.pop(key)
        for j, text in member.texts:
            counts = island.texts[j]
            counts[text] -= 1
            if counts[text] <= 0:
                del counts[text]
                self._drop_row(island.first_col + j, text)
        if not island.members:
            del self._islands[island.id]
            for j in range(island.n_columns):
                for text in list(island.texts[j]):
                    self._drop_row(island.first_col + j, text)
            self._links = {
                k: link for k, link in self._links.items() if island.id not in k
            }

    def _new_island(self, signature: TableSignature, *, described: bool) -> _Island:
        island = _Island(
            self._next_id, signature, described=described, first_col=self._next_col
        )
        self._next_id += 1
        self._next_col += island.n_columns
        self._col_island.extend([island.id] * island.n_columns)
        self._islands[island.id] = island
        return island

    def _join(
        self, island: _Island, key: Hashable, texts: list[tuple[int, str]]
    ) -> None:
        contributed: list[tuple[int, str]] = []
        for j, text in texts:
            if is_placeholder(text):
                continue
            counts = island.texts[j]
            if text not in counts and len(counts) >= self.max_texts_per_column:
                continue
            counts[text] += 1
            contributed.append((j, text))
        self._add_rows([(island.first_col + j, text) for j, text in contributed])
        island.members[key] = _Member(island_id=island.id, texts=contributed)
        self._member_island[key] = island.id

    def _assign_undescribed(
        self, signature: TableSignature, key: Hashable
    ) -> Assignment:
        n = signature.n_columns
        home = next(
            (
                island
                for island in self._islands.values()
                if not island.described
                and island.n_columns == n
                and _outputs_agree(island, signature, self.space, strict=True)[0]
            ),
            None,
        )
        created = home is None
        if home is None:
            home = self._new_island(signature, described=False)
        label_order = _outputs_agree(home, signature, self.space, strict=True)[1]
        self._join(home, key, [])
        identity = tuple(range(n))
        return Assignment(
            island_id=home.id,
            created=created,
            undescribed=True,
            order=identity,
            to_island=identity,
            label_order=label_order,
            match=None,
            quality=0.0,
            reason=_undescribed_reason(signature),
        )

    def _assign_described(self, signature: TableSignature, key: Hashable) -> Assignment:
        candidates = self._candidates(signature, strict=True, keep_other_outputs=True)
        fitting = [
            c for c in candidates if c.output_ok and c.match.coverage >= self.coverage
        ]
        columns = signature.columns
        if fitting:
            best = max(fitting, key=lambda c: (c.match.score, -c.island.id))
            home, match, created = best.island, best.match, False
            to_island = match.left_to_right()
            order = match.right_to_left()
            label_order = best.label_order
            quality = match.score
        else:
            home = self._new_island(signature, described=True)
            match, created = None, True
            to_island = order = tuple(range(signature.n_columns))
            label_order = _identity_labels(signature)
            quality = 1.0
        self._join(
            home, key, [(j, columns[i]) for i, j in enumerate(to_island) if j >= 0]
        )
        links = tuple(
            link
            for c in candidates
            if c.island.id != home.id
            and (link := self._link(home, to_island, c)) is not None
        )
        return Assignment(
            island_id=home.id,
            created=created,
            undescribed=False,
            order=order,
            to_island=to_island,
            label_order=label_order,
            match=match,
            quality=quality,
            reason=_described_reason(signature, to_island, home),
            links=links,
        )

    def _link(
        self, home: _Island, to_island: tuple[int, ...], other: _Candidate
    ) -> IslandLink | None:
        """Record (and return) the link between ``home`` and another island."""
        pairs = [
            MatchedPair(to_island[p.left], p.right, p.similarity)
            for p in other.match.pairs
            if to_island[p.left] >= 0
        ]
        needed = min(LINK_MIN_SHARED, home.n_described, other.island.n_described)
        if not pairs or len(pairs) < needed:
            return None
        a, b = sorted((home, other.island), key=lambda isl: isl.id)
        if a is not home:
            pairs = [MatchedPair(p.right, p.left, p.similarity) for p in pairs]
        link = IslandLink(
            island_a=a.id,
            island_b=b.id,
            pairs=tuple(sorted(pairs)),
            coverage_a=len(pairs) / max(a.n_described, 1),
            coverage_b=len(pairs) / max(b.n_described, 1),
            same_output=other.output_ok,
        )
        known = self._links.get((a.id, b.id))
        if known is None or len(known.pairs) < len(link.pairs):
            self._links[(a.id, b.id)] = link
        return link

    # ------------------------------------------------------------------ locating

    def locate(
        self,
        query: SemanticSpec | Mapping[str, Any] | Sequence[str],
        n_columns: int | None = None,
        *,
        task: str | None = None,
        top_k: int = 3,
        max_candidates: int | None = None,
    ) -> tuple[IslandMatch, ...]:
        """The islands of a user's table, best first (the map is not changed).

        Parameters
        ----------
        query : SemanticSpec, dict or sequence of str
            The user's semantic spec (``Input`` descriptions; ``Task`` and
            ``Output`` filter when given) or the CSV header's column names.
        n_columns : int, optional
            Column count of the user's data; default ``Input.Dimension`` or the
            number of names.
        task : str, optional
            Only islands of this task (overrides the spec's ``Task``).
        top_k : int, default=3
        max_candidates : int, optional
            Islands matched exactly after the pre-ranking (default: the map's
            ``max_candidates``). A searcher that compares outputs itself, and so
            locates without the output, needs more: islands of one task with other
            label sets then compete for the same places.

        Returns
        -------
        matches : tuple of IslandMatch
            Islands that share at least :data:`LINK_MIN_SHARED` columns with the
            user's (all of them for a smaller table), fitting ones first, then by
            :attr:`IslandMatch.quality`; for undescribed columns, the undescribed
            islands of the same column count. When none fits, search should go to
            the specification world.
        """
        signature = table_signature(query, n_columns, task=task)
        with self._lock:
            if not signature.described:
                return self._locate_undescribed(signature)[:top_k]
            found: list[IslandMatch] = []
            for c in self._candidates(
                signature, strict=False, max_candidates=max_candidates
            ):
                fits = c.match.coverage >= self.coverage
                shared = min(
                    LINK_MIN_SHARED, c.match.described_left, c.match.described_right
                )
                if not c.output_ok or c.match.n_matched < max(shared, 1):
                    continue
                found.append(
                    IslandMatch(
                        island_id=c.island.id,
                        fits=fits,
                        undescribed=False,
                        order=c.match.right_to_left(),
                        to_island=c.match.left_to_right(),
                        label_order=c.label_order,
                        match=c.match,
                        quality=c.match.score,
                        n_members=len(c.island.members),
                        reason=_locate_reason(signature, c.match, fits),
                    )
                )
            found.sort(key=lambda m: (not m.fits, -m.quality, m.island_id))
            return tuple(found[:top_k])

    def _locate_undescribed(self, signature: TableSignature) -> tuple[IslandMatch, ...]:
        identity = tuple(range(signature.n_columns))
        out = []
        for island in sorted(self._islands.values(), key=lambda isl: isl.id):
            if island.described or island.n_columns != signature.n_columns:
                continue
            ok, label_order = _outputs_agree(
                island, signature, self.space, strict=False
            )
            if ok:
                out.append(
                    IslandMatch(
                        island_id=island.id,
                        fits=True,
                        undescribed=True,
                        order=identity,
                        to_island=identity,
                        label_order=label_order,
                        match=None,
                        quality=0.0,
                        n_members=len(island.members),
                        reason=_undescribed_reason(signature),
                    )
                )
        return tuple(out)

    # -------------------------------------------------------------- candidates

    def _candidates(
        self,
        signature: TableSignature,
        *,
        strict: bool,
        keep_other_outputs: bool = False,
        max_candidates: int | None = None,
    ) -> list[_Candidate]:
        """Exact matches against the most promising described islands.

        All islands are pre-ranked by one matrix product of the query's column
        embeddings with every island column text; the best ``max_candidates``
        islands whose output agrees (and, with ``keep_other_outputs``, the best
        ``max_candidates`` of the others, for links) are matched exactly.
        """
        if self._n_rows == 0 or len(self._sorted_index()[0]) == 0:
            return []  # no described column (none yet, or all removed)
        ranked = self._prerank(signature.columns)
        limit = self.max_candidates if max_candidates is None else int(max_candidates)
        chosen: list[_Candidate] = []
        n_same = n_other = 0
        for island_id in ranked:
            island = self._islands[int(island_id)]
            ok, label_order = _outputs_agree(
                island, signature, self.space, strict=strict
            )
            if ok and n_same < limit:
                n_same += 1
            elif not ok and keep_other_outputs and n_other < limit:
                n_other += 1
            else:
                continue
            chosen.append(
                _Candidate(
                    island=island,
                    match=self._match(signature.columns, island),
                    label_order=label_order,
                    output_ok=ok,
                )
            )
            if n_same >= limit and (n_other >= limit or not keep_other_outputs):
                break
        return chosen

    def _match(self, columns: Sequence[str], island: _Island) -> ColumnMatch:
        texts = [island.column_texts(j) for j in range(island.n_columns)]
        S = self.space.similarity_to_columns(columns, texts)
        return match_from_similarity(
            S,
            described_left=sum(1 for t in columns if not is_placeholder(t)),
            described_right=island.n_described,
            threshold=self.space.threshold,
        )

    def _prerank(self, columns: Sequence[str]) -> IntArray:
        """Described island ids, most promising first (one matrix product)."""
        order, col_starts, cols = self._sorted_index()
        n_cols = self._next_col
        described = np.fromiter(
            (not is_placeholder(t) for t in columns), dtype=bool, count=len(columns)
        )
        Q = self.space.embed([t for t, d in zip(columns, described, strict=True) if d])
        S = (Q @ self._rows[: self._n_rows].T)[:, order]  # (n_query, alive rows)
        best = np.full((len(Q), n_cols), -1.0)
        best[:, cols] = np.maximum.reduceat(S, col_starts, axis=1)
        col_island = np.asarray(self._col_island, dtype=np.int64)
        ids = np.unique(col_island[cols])  # islands with described columns
        starts = np.searchsorted(col_island, ids)
        row_best = np.maximum.reduceat(best, starts, axis=1).mean(axis=0)
        has_text = np.zeros(n_cols)
        has_text[cols] = 1.0
        col_best = np.add.reduceat(best.max(axis=0) * has_text, starts)
        n_described = np.add.reduceat(has_text, starts)
        score = 0.5 * (row_best + col_best / np.maximum(n_described, 1.0))
        return np.asarray(ids[np.argsort(-score, kind="stable")], dtype=np.int64)

    # ------------------------------------------------------------------ index

    def _add_rows(self, entries: Sequence[tuple[int, str]]) -> None:
        """Index the texts of (global column, text) entries not indexed yet."""
        new = list(dict.fromkeys(e for e in entries if e not in self._row_of))
        if not new:
            return
        vectors = self.space.embed([text for _, text in new])
        needed = self._n_rows + len(new)
        if needed > len(self._row_col):
            capacity = max(16, 2 * needed)
            rows = np.zeros((capacity, vectors.shape[1]))
            row_col = np.full(capacity, -1, dtype=np.int64)
            if self._n_rows:
                rows[: self._n_rows] = self._rows[: self._n_rows]
                row_col[: self._n_rows] = self._row_col[: self._n_rows]
            self._rows, self._row_col = rows, row_col
        stop = self._n_rows + len(new)
        self._rows[self._n_rows : stop] = vectors
        self._row_col[self._n_rows : stop] = [col for col, _ in new]
        for offset, entry in enumerate(new):
            self._row_of[entry] = self._n_rows + offset
        self._n_rows = stop
        self._sorted = None

    def _drop_row(self, col: int, text: str) -> None:
        row = self._row_of.pop((col, text), None)
        if row is not None:
            self._row_col[row] = -1
            self._sorted = None

    def _sorted_index(self) -> tuple[IntArray, IntArray, IntArray]:
        """Alive rows sorted by column; each column's first position; the columns."""
        if self._sorted is None:
            row_col = self._row_col[: self._n_rows]
            alive = np.flatnonzero(row_col >= 0)
            order = alive[np.argsort(row_col[alive], kind="stable")]
            sorted_cols = row_col[order]
            starts = np.flatnonzero(np.r_[True, sorted_cols[1:] != sorted_cols[:-1]])
            starts = starts[: len(order)]  # no alive row (all removed): none
            self._sorted = (order, starts, sorted_cols[starts])
        return self._sorted

    # ------------------------------------------------------------- persistence

    def to_dict(self) -> dict[str, Any]:
        """Plain data: every island's columns' texts, outputs, members and links.

        Embeddings are not stored; :meth:`from_dict` recomputes them (cached per
        text), so the stored map does not depend on float formats.
        """
        with self._lock:
            islands = []
            for island in sorted(self._islands.values(), key=lambda isl: isl.id):
                islands.append(
                    {
                        "id": island.id,
                        "described": island.described,
                        "n_columns": island.n_columns,
                        "task": island.task,
                        "output_dim": island.output_dim,
                        "labels": list(island.labels),
                        "members": [
                            {"key": key, "texts": [[j, t] for j, t in m.texts]}
                            for key, m in island.members.items()
                            if not isinstance(key, _Anonymous)
                        ],
                    }
                )
            return {
                "schema_version": _SCHEMA_VERSION,
                "encoder": self.space.encoder_name,
                "coverage": self.coverage,
                "threshold": self.space.threshold,
                "islands": islands,
                "links": [
                    {
                        "a": link.island_a,
                        "b": link.island_b,
                        "pairs": [list(p) for p in link.pairs],
                        "coverage_a": link.coverage_a,
                        "coverage_b": link.coverage_b,
                        "same_output": link.same_output,
                    }
                    for link in self.links()
                ],
            }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, space: ColumnSpace | None = None
    ) -> IslandMap:
        """Rebuild a map written by :meth:`to_dict` (island ids are kept).

        Raises
        ------
        SpecificationError
            Unknown schema version or another encoder than ``space``'s.
        """
        if data.get("schema_version") != _SCHEMA_VERSION:
            raise SpecificationError(
                f"unknown island map schema version {data.get('schema_version')!r}"
            )
        out = cls(space, coverage=float(data["coverage"]))
        if data["encoder"] != out.space.encoder_name:
            raise SpecificationError(
                f"the island map was built with {data['encoder']!r}, not "
                f"{out.space.encoder_name!r}"
            )
        for entry in data["islands"]:
            signature = TableSignature(
                columns=("",) * int(entry["n_columns"]),
                task=entry["task"],
                output_dim=entry["output_dim"],
                labels=tuple(entry["labels"]),
            )
            out._next_id = int(entry["id"])
            island = out._new_island(signature, described=bool(entry["described"]))
            for member in entry["members"]:
                texts = [(int(j), str(t)) for j, t in member["texts"]]
                out._join(island, member["key"], texts)
            out._next_id = max(out._next_id, island.id + 1)
        for link in data["links"]:
            a, b = int(link["a"]), int(link["b"])
            out._links[(a, b)] = IslandLink(
                island_a=a,
                island_b=b,
                pairs=tuple(
                    MatchedPair(int(i), int(j), float(s)) for i, j, s in link["pairs"]
                ),
                coverage_a=float(link["coverage_a"]),
                coverage_b=float(link["coverage_b"]),
                same_output=bool(link["same_output"]),
            )
        return out


# ------------------------------------------------------------------ outputs


def _identity_labels(signature: TableSignature) -> tuple[int, ...] | None:
    return tuple(range(len(signature.labels))) if signature.labels_described else None


def _outputs_agree(
    island: _Island, signature: TableSignature, space: ColumnSpace, *, strict: bool
) -> tuple[bool, tuple[int, ...] | None]:
    """Whether a table's task and output fit an island's; the label order if so.

    ``strict`` (learnwares): task, output dimension and whether labels are described
    must all be equal. Otherwise (a user's query) what the user left out is not
    checked.
    """
    if (strict or signature.task is not None) and island.task != signature.task:
        return False, None
    if (
        strict or signature.output_dim is not None
    ) and island.output_dim != signature.output_dim:
        return False, None
    both = island.labels_described and signature.labels_described
    if not both:
        if strict and island.labels_described != signature.labels_described:
            return False, None
        return True, None
    order = _label_order(island.labels, signature.labels, space)
    return order is not None, order


def _label_order(
    island_labels: Sequence[str], labels: Sequence[str], space: ColumnSpace
) -> tuple[int, ...] | None:
    """For every island label, the matching index of ``labels``; None if they differ."""
    if len(island_labels) != len(labels):
        return None
    words = [column_words(t) for t in labels]
    if len(set(words)) == len(words) and set(words) == {
        column_words(t) for t in island_labels
    }:
        where = {w: i for i, w in enumerate(words)}
        return tuple(where[column_words(t)] for t in island_labels)
    S = space.raw_similarity(island_labels, labels)
    rows, cols = linear_sum_assignment(S, maximize=True)
    for i, j in zip(rows, cols, strict=True):
        if S[i, j] < OUTPUT_THRESHOLD or not same_wording(island_labels[i], labels[j]):
            return None
    return tuple(int(c) for c in cols[np.argsort(rows)])


# ------------------------------------------------------------------ reasons


def _undescribed_reason(signature: TableSignature) -> str:
    n = signature.n_columns
    missing = signature.placeholder_columns
    example = signature.columns[missing[0]] if missing else ""
    return (
        f"{len(missing)} of {n} columns have no description (e.g. {example!r}), so "
        f"they cannot be matched by meaning: this table is grouped only with other "
        f"undescribed tables of {n} columns and the same task, its columns are "
        f"assumed to be in the same order, and results may be weak; describe the "
        f"columns (the semantic spec's Input) to find learnwares by what they mean"
    )


def _described_reason(
    signature: TableSignature, to_island: Sequence[int], island: _Island
) -> str | None:
    parts = []
    missing = signature.placeholder_columns
    if missing:
        parts.append(
            f"{len(missing)} of {signature.n_columns} columns have no description, "
            f"so they cannot be aligned with other learnwares' columns"
        )
    extra = [i for i, j in enumerate(to_island) if j < 0 and i not in set(missing)]
    if extra:
        parts.append(
            f"{len(extra)} described column(s) match no column of island "
            f"{island.id}: {', '.join(repr(signature.columns[i]) for i in extra[:3])}"
        )
    absent = island.n_columns - sum(1 for j in to_island if j >= 0)
    if absent:
        parts.append(f"{absent} of the island's {island.n_columns} columns are missing")
    return "; ".join(parts) or None


def _locate_reason(
    signature: TableSignature, match: ColumnMatch, fits: bool
) -> str | None:
    if fits and match.coverage >= 1.0:
        return None
    text = (
        f"{match.n_matched} of your {match.described_left} described columns match "
        f"{match.n_matched} of the island's {match.described_right}"
    )
    if not fits:
        text += " (too few to search it as the same columns)"
    return text
