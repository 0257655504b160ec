"""Started learnwares kept warm between requests on an inference worker.

Starting a learnware (unpack, sandbox, interpreter, imports, model load) takes seconds;
predicting takes milliseconds. So each interactive worker process keeps the last few
versions it ran started (a :class:`~learnware_core.runtime.DeployedLearnware` each:
one sandboxed process behind a pipe, which serialises its requests), at most
``BMW_INFERENCE_WARM_MAX`` of them, each closed after ``BMW_INFERENCE_WARM_IDLE_S``
unused or after :data:`MAX_USES` requests. A version's package never changes, so a
warm learnware never serves stale code. Warm processes are never shared between
callers (the key is version and caller): a learnware's code could otherwise keep one
user's input and hand it to the next.

The sandbox limits stay per request where they can (wall time of each call, memory);
CPU time is an rlimit on the process's lifetime, so a warm process gets the budget of
:data:`MAX_USES` requests (a call uses at most about 4 threads x its wall time) and is
replaced after them, before a later request could find the budget spent. A process
that died anyway (killed by its wall limit) is started again by the next call.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings

from bmw.storage import local_copy
from learnware_core.package import PackageLimits, extract_package
from learnware_core.runtime import DeployedLearnware, SandboxLimits
from market.models import LearnwareVersion

logger = logging.getLogger(__name__)

MAX_USES = 32  # requests one warm process serves before it is replaced
T = TypeVar("T")
Key = tuple[int, str, float]  # (version id, caller, wall time limit of a call)


@dataclass
class _Warm:
    learnware: DeployedLearnware
    folder: Path
    uses: int = 0
    leased: int = 0
    last_used: float = field(default_factory=time.monotonic)

    def close(self) -> None:
        self.learnware.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class WarmPool:
    """Warm learnwares of this process, keyed by version and caller (thread-safe)."""

    def __init__(self) -> None:
        self._warm: OrderedDict[Key, _Warm] = OrderedDict()
        self._lock = threading.Lock()
        self._starting: dict[Key, threading.Lock] = {}

    def run(self, key: Key, name: str, call: Callable[[DeployedLearnware], T]) -> T:
        """``call(learnware)`` on the key's warm learnware (started if needed); a
        failure is the learnware's and propagates (``LearnwareRunError``)."""
        with self._lease(key, name) as warm:
            warm.uses += 1
            return call(warm.learnware)

    def close(self) -> None:
        """Close every warm learnware (tests, worker shutdown)."""
        with self._lock:
            warm, self._warm = list(self._warm.values()), OrderedDict()
        for entry in warm:
            entry.close()

    def __len__(self) -> int:
        return len(self._warm)

    @contextlib.contextmanager
    def _lease(self, key: Key, name: str) -> Iterator[_Warm]:
        self._retire_idle()
        entry = self._get(key)
        if entry is None:
            try:
                with self._starting_lock(key):  # one start per key at a time
                    entry = self._get(key)
                    if entry is None:
                        entry = _start(key[0], key[2], name)
                        with self._lock:
                            entry.leased += 1
                            self._warm[key] = entry
            finally:  # later callers find the entry (or start again), not the lock
                with self._lock:
                    self._starting.pop(key, None)
        try:
            yield entry
        finally:
            retire: list[_Warm] = []
            with self._lock:
                entry.leased -= 1
                entry.last_used = time.monotonic()
                if entry.uses >= MAX_USES and self._warm.get(key) is entry:
                    del self._warm[key]
                if entry.leased == 0 and self._warm.get(key) is not entry:
                    retire.append(entry)
                retire += self._over_capacity()
            for old in retire:
                old.close()

    def _get(self, key: Key) -> _Warm | None:
        with self._lock:
            entry = self._warm.get(key)
            if entry is not None:
                entry.leased += 1
                self._warm.move_to_end(key)
            return entry

    def _starting_lock(self, key: Key) -> threading.Lock:
        with self._lock:
            return self._starting.setdefault(key, threading.Lock())

    def _over_capacity(self) -> list[_Warm]:
        """Least recently used, unleased entries beyond the capacity (lock held)."""
        out: list[_Warm] = []
        for key in list(self._warm):
            if len(self._warm) <= settings.BMW_INFERENCE_WARM_MAX:
                break
            if self._warm[key].leased == 0:
                out.append(self._warm.pop(key))
        return out

    def _retire_idle(self) -> None:
        cutoff = time.monotonic() - settings.BMW_INFERENCE_WARM_IDLE_S
        with self._lock:
            idle = [
                key
                for key, entry in self._warm.items()
                if entry.leased == 0 and entry.last_used < cutoff
            ]
            closing = [self._warm.pop(key) for key in idle]
        for entry in closing:
            entry.close()


def _start(version_id: int, limit: float, name: str) -> _Warm:
    """Unpack the version's package and start it in the sandbox (``limit``: wall
    seconds of the start and of each call)."""
    limits = SandboxLimits(
        # CPU time is a lifetime rlimit: the budget of MAX_USES requests (threads
        # add up); each call's wall time is bounded on its own.
        cpu_seconds=MAX_USES * (int(4 * limit) + 10),
        wall_seconds=limit,
        memory_bytes=settings.BMW_INFERENCE_MEMORY_BYTES,
    )
    version = LearnwareVersion.objects.get(id=version_id)
    folder = Path(tempfile.mkdtemp(prefix=f"bmw-warm-{version_id}-"))
    try:
        with local_copy(version.package) as path:
            extract_package(
                path,
                folder / "package",
                limits=PackageLimits(max_total_bytes=settings.BMW_MAX_UNPACKED_BYTES),
            )
        learnware = DeployedLearnware(
            folder / "package",
            cache_dir=settings.BMW_CHECK_CONFIG["runtime"]["cache_dir"],
            limits=limits,
            name=name,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return _Warm(learnware, folder)


POOL = WarmPool()


def warm_learnware(version_id: int, caller: str, limit: float, name: str) -> Any:
    """A handle that runs each call on the version's warm learnware of ``caller``
    (``limit``: wall seconds of each call) in :data:`POOL`."""
    return _PooledLearnware((version_id, caller, limit), name)


class _PooledLearnware:
    """Looks like a DeployedLearnware to the reusers; each call goes through POOL."""

    def __init__(self, key: Key, name: str) -> None:
        self.key = key
        self.name = name
        first = POOL.run(key, name, lambda lw: lw)  # started now: fail early
        self.spec = first.spec
        self.input_shape = first.input_shape
        self._has_proba = hasattr(first, "predict_proba")

    def predict(self, X: Any) -> Any:
        return POOL.run(self.key, self.name, lambda lw: lw.predict(X))

    def __getattr__(self, name: str) -> Any:
        if name == "predict_proba" and self._has_proba:
            return lambda X: POOL.run(
                self.key, self.name, lambda lw: lw.predict_proba(X)
            )
        raise AttributeError(name)
