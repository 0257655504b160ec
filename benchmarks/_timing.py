"""Small timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import contextlib
import json
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


def finish(
    result: dict[str, Any],
    *,
    quick: bool,
    started: float,
    checks: Callable[[dict[str, Any]], list[str]] | None,
) -> int:
    """Stamp ``result`` (``quick``, total seconds since ``started``), print the
    failed ``checks`` and the last-line JSON; the exit code (1 if a check failed)."""
    result["quick"] = quick
    result["seconds"]["total"] = round(time.perf_counter() - started, 1)
    failed = checks(result) if checks is not None else []
    for message in failed:
        print(f"CHECK FAILED: {message}")
    print(json.dumps(result))
    return 1 if failed else 0
