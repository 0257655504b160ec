"""Specification islands: table learnwares grouped by what columns and outputs mean.

The semantic spec locates the island (this package); the statistical spec then
ranks the learnwares on it. Framework-free: numpy, scipy and the offline sentence
encoder only. See ``docs/islands.md``.

* :mod:`~learnware_core.islands.columns`: column descriptions and CSV headers ->
  meaning vectors; one-to-one matching of two column sets.
* :mod:`~learnware_core.islands.island`: :class:`IslandMap` (assign a learnware,
  locate a user's islands), with the column permutation into the island's order.
* :mod:`~learnware_core.islands.calibrate`: how the match threshold was chosen.
"""

from learnware_core.islands.calibrate import (
    CalibrationReport,
    calibrate_threshold,
    evaluate_threshold,
)
from learnware_core.islands.columns import (
    ISLAND_COVERAGE,
    PAIR_THRESHOLD,
    ColumnMatch,
    ColumnSpace,
    MatchedPair,
    column_words,
    default_column_space,
    is_placeholder,
    match_columns,
    match_from_similarity,
    same_wording,
)
from learnware_core.islands.island import (
    LINK_MIN_SHARED,
    MIN_DESCRIBED_FRACTION,
    OUTPUT_THRESHOLD,
    Assignment,
    IslandInfo,
    IslandLink,
    IslandMap,
    IslandMatch,
    TableSignature,
    align_columns,
    table_signature,
)

__all__ = [
    "ISLAND_COVERAGE",
    "LINK_MIN_SHARED",
    "MIN_DESCRIBED_FRACTION",
    "OUTPUT_THRESHOLD",
    "PAIR_THRESHOLD",
    "Assignment",
    "CalibrationReport",
    "ColumnMatch",
    "ColumnSpace",
    "IslandInfo",
    "IslandLink",
    "IslandMap",
    "IslandMatch",
    "MatchedPair",
    "TableSignature",
    "align_columns",
    "calibrate_threshold",
    "column_words",
    "default_column_space",
    "evaluate_threshold",
    "is_placeholder",
    "match_columns",
    "match_from_similarity",
    "same_wording",
    "table_signature",
]
