"""Small timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of repeated calls (after warm-up)."""

    best: float
    median: float
    repeats: int


def time_call(fn: Callable[[], Any], *, repeat: int = 5, warmup: int = 1) -> Timing:
    """Time ``fn()`` ``repeat`` times after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return Timing(best=min(samples), median=statistics.median(samples), repeats=repeat)


@contextlib.contextmanager
def single_thread() -> Iterator[str]:
    """Limit BLAS/OpenMP pools to one thread; yields how it was done.

    Uses threadpoolctl when installed. Otherwise relies on the ``*_NUM_THREADS``
    variables that ``benchmarks.specs`` sets before numpy is imported.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - depends on the environment
        yield "env vars (OMP/OPENBLAS/MKL_NUM_THREADS=1)"
        return
    with threadpool_limits(limits=1):
        yield "threadpoolctl (1 thread) + env vars"
