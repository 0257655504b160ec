"""Real-data markets: the flights table market (and, later, images and texts).

Shared by the benchmarks (``benchmarks/``) and the demo market the dock seeds itself
with. Data come from installed packages only (see ../shared/docs/offline-data.md);
a loader raises :class:`ScenarioDataMissing` naming what to install when they are
absent.
"""

from __future__ import annotations

__all__ = ["ScenarioDataMissing"]


class ScenarioDataMissing(RuntimeError):
    """A scenario's data set is not installed (the message says how to install it)."""
