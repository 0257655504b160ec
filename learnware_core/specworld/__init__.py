"""The specification world: one space for table learnwares of every feature space.

:func:`train_engine` trains a :class:`WorldEngine` on the RKME reduced points and
column descriptions of table learnwares; the engine maps any table RKME (a
learnware's or a user's) to a system specification
(:class:`~learnware_core.specification.hetero.HeteroMapTableSpecification`) that
search compares by MMD, and any table row to world coordinates for reuse.
"""

from learnware_core.specworld.columns import ColumnEmbedder, column_texts
from learnware_core.specworld.engine import (
    EngineError,
    TrainConfig,
    WorldEngine,
    WorldTable,
    train_engine,
)
from learnware_core.specworld.model import NetConfig, WorldNet

__all__ = [
    "ColumnEmbedder",
    "EngineError",
    "NetConfig",
    "TrainConfig",
    "WorldEngine",
    "WorldNet",
    "WorldTable",
    "column_texts",
    "train_engine",
]
