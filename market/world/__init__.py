"""The specification world: engine versions trained on the listed table learnwares'
specs, their system specs, and heterogeneous search's view of them.

Public surface (everything else in this package is internal):

- :func:`learnware_approved` — the market calls it when a learnware goes live;
- :func:`engine_of`, :func:`active_engine_version` — the search worker's view;
- :func:`input_descriptions` — a semantic spec's column descriptions, validated;
- :func:`train_engine_version` — train, regenerate and activate in this process.
"""

from market.world.engines import engine_of, input_descriptions
from market.world.selectors import engine_version_active as active_engine_version
from market.world.services import learnware_approved, train_engine_version

__all__ = [
    "active_engine_version",
    "engine_of",
    "input_descriptions",
    "learnware_approved",
    "train_engine_version",
]
