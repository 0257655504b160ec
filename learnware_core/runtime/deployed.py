"""Run a learnware on your own machine: one long-lived sandboxed worker per model.

:class:`DeployedLearnware` builds (or reuses) the learnware's environment, starts the
guest worker (:mod:`learnware_core.runtime.guest.worker`, action ``serve``) once in
the bubblewrap sandbox of the dock's checks (no network, read-only system, rlimits)
and then sends it each ``predict`` / ``predict_proba`` request over a pipe. Arrays
cross as ``.npy`` bytes (``allow_pickle=False``), never as pickles, and replies are
size-bounded. A model that raises answers with its traceback and keeps serving; a
worker that dies or overruns the per-request time limit is killed and started
again on the next call.

Unsandboxed runs: if bubblewrap is unusable (macOS, a container without user
namespaces ...), the worker runs as a plain subprocess with the same rlimits and a
clean environment, but **without isolation**, and only with
``allow_unsandboxed=True``. :meth:`learnware_core.client.Client.load` sets it by
default: there the user chose to download and run this learnware's code on their
own machine, as the original client's ``load_learnware`` does.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core.runtime.environment import (
    Environment,
    EnvironmentBuilder,
    IndexOptions,
)
from learnware_core.runtime.errors import LearnwareRunError
from learnware_core.runtime.requirements import read_requirements
from learnware_core.runtime.runner import (
    _COMPAT,
    _WORKER,
    _encode,
    _make_readable,
    _manifest,
    _spec,
)
from learnware_core.runtime.sandbox import Bind, SandboxLimits, sandbox_command
from learnware_core.specification.base import StatSpecification

__all__ = ["DEPLOY_LIMITS", "DeployedLearnware", "default_cache_dir"]

logger = logging.getLogger(__name__)

#: Limits of a deployed worker. ``cpu_seconds`` is the worker's whole lifetime
#: (RLIMIT_CPU is cumulative), ``wall_seconds`` bounds one request (or the start).
DEPLOY_LIMITS = SandboxLimits(
    cpu_seconds=7 * 24 * 3600,
    wall_seconds=600.0,
    memory_bytes=16 * 1024**3,
    max_processes=4096,  # unsandboxed, RLIMIT_NPROC counts all the user's processes
    max_file_bytes=1024**3,
    max_open_files=1024,
)
_MAX_HEADER_BYTES = 1024 * 1024
_STOP_SECONDS = 5.0


def default_cache_dir() -> Path:
    """``$BMW_CACHE_DIR``, else ``$XDG_CACHE_HOME/bmw``, else ``~/.cache/bmw``.

    Environments live in ``<it>/envs`` and downloaded learnwares in
    ``<it>/learnwares``.
    """
    explicit = os.environ.get("BMW_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "bmw"


@functools.cache
def _pip_index() -> IndexOptions:
    return IndexOptions.from_pip_config()


class DeployedLearnware:
    """An extracted learnware whose model runs in its own sandboxed process.

    Satisfies :class:`learnware_core.reuse.LearnwareLike`, so it works with every
    reuser. ``predict_proba`` exists only if the model has it.

    Parameters
    ----------
    package_dir : path
        An extracted package (:func:`learnware_core.package.extract_package`).
    environment : Environment, optional
        Default: built (or reused) from the package's requirements with an
        :class:`EnvironmentBuilder` on ``cache_dir``.
    cache_dir : path, optional
        Default :func:`default_cache_dir`.
    index : IndexOptions, optional
        Default: pip's configuration.
    limits : SandboxLimits, default=DEPLOY_LIMITS
    allow_unsandboxed : bool, default=False
        Without bubblewrap, run the model unisolated (see the module doc).
    name : str, optional
        For messages (default: the folder name).

    Attributes
    ----------
    environment : Environment
    sandboxed : bool
        False if the worker runs without bubblewrap.
    input_shape, output_shape : list of int or None
        As the model declares them.

    Raises
    ------
    LearnwareRunError
        If the model does not load.
    EnvironmentBuildError, RequirementsError, SandboxUnavailableError

    Examples
    --------
    >>> with DeployedLearnware("lw/") as lw:  # doctest: +SKIP
    ...     y = lw.predict(X)
    """

    def __init__(
        self,
        package_dir: str | os.PathLike[str],
        *,
        environment: Environment | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        index: IndexOptions | None = None,
        limits: SandboxLimits | None = None,
        allow_unsandboxed: bool = False,
        name: str | None = None,
    ) -> None:
        self.package_dir = Path(package_dir).resolve()
        self.name = name or self.package_dir.name
        self.limits = limits or DEPLOY_LIMITS
        self.allow_unsandboxed = allow_unsandboxed
        self._manifest = _manifest(self.package_dir)
        self._spec = _spec(self.package_dir, self._manifest)
        if environment is None:
            index = index or _pip_index()
            requirements = read_requirements(
                self.package_dir, allowed_index_hosts=index.hosts
            )
            builder = EnvironmentBuilder(
                Path(cache_dir) if cache_dir else default_cache_dir(), index=index
            )
            environment = builder.build(requirements)
        self.environment = environment
        self.sandboxed = True
        self.input_shape: list[int] | None = None
        self.output_shape: list[int] | None = None
        self._has_proba = False
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._run_dir: Path | None = None
        self._log: IO[bytes] | None = None
        self._buffer = b""
        self._closed = False
        self._start()

    # ------------------------------------------------------------ public API
    @property
    def spec(self) -> StatSpecification | None:
        """The learnware's statistical specification (from the package)."""
        return self._spec

    @property
    def pid(self) -> int | None:
        """Host pid of the running worker (bwrap's), or None if it is not running."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Return ``model.predict(X)``, computed in the worker.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Numeric (or a list of str for text models).

        Returns
        -------
        y : ndarray

        Raises
        ------
        LearnwareRunError
            With the model's traceback, or why the worker stopped.
        """
        return self._call("predict", X)

    def __getattr__(self, name: str) -> Any:
        # predict_proba exists only when the model has it, so that
        # ``hasattr(lw, "predict_proba")`` tells the truth (as LocalLearnware).
        if name == "predict_proba" and self.__dict__.get("_has_proba"):
            return functools.partial(self._call, "predict_proba")
        raise AttributeError(name)

    def close(self) -> None:
        """Stop the worker and remove its scratch folder (idempotent)."""
        with self._lock:
            self._closed = True
            self._stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._stop()

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"pid={self.pid}"
        return f"DeployedLearnware({self.name!r}, {state})"

    # ------------------------------------------------------------ worker
    def _start(self) -> None:
        if os.geteuid() == 0:
            _make_readable(self.package_dir)
        run_dir = Path(tempfile.mkdtemp(prefix="bmw-deploy-"))
        scratch = run_dir / "scratch"
        scratch.mkdir()
        model = self._manifest.model
        request = {
            "action": "serve",
            "package_dir": str(self.package_dir),
            "module_file": model.module_file,
            "class_name": model.class_name,
            "kwargs": _encode(model.kwargs),
            "compat_dir": str(_COMPAT),
        }
        (scratch / "request.json").write_text(json.dumps(request))
        binds = [
            *self.environment.binds,
            Bind(self.package_dir),
            Bind(_WORKER.parent),
            Bind(_COMPAT),
        ]
        argv = [str(self.environment.python), "-I", "-B", str(_WORKER)]
        try:
            command = sandbox_command(
                [*argv, str(scratch / "request.json")],
                scratch_dir=scratch,
                binds=binds,
                limits=self.limits,
                allow_unsandboxed=self.allow_unsandboxed,
            )
            if not command.sandboxed:
                logger.warning(
                    "bubblewrap is unavailable: running %s WITHOUT a sandbox",
                    self.name,
                )
            # stderr goes to a host-opened file (bounded by RLIMIT_FSIZE)
            self._log = open(run_dir / "worker.log", "w+b")  # noqa: SIM115
            self._proc = subprocess.Popen(
                command.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._log,
                cwd=command.cwd,
                env=command.env,
                start_new_session=True,
                preexec_fn=command.preexec,
            )
        except BaseException:
            shutil.rmtree(run_dir, ignore_errors=True)
            raise
        self._run_dir = run_dir
        self._buffer = b""
        self.sandboxed = command.sandboxed
        assert self._proc.stdout is not None
        os.set_blocking(self._proc.stdout.fileno(), False)
        started = time.monotonic()
        header, _ = self._receive(started + self.limits.wall_seconds, "start")
        if header.get("ok") is not True:
            self._stop()
            failed = [s for s in header.get("steps", []) if not s.get("ok")]
            detail = failed[0] if failed else {"name": "start", "message": "?"}
            raise LearnwareRunError(
                f"{self.name}: {detail.get('name')} failed:\n{detail.get('message')}"
            )
        self.input_shape = header.get("input_shape")
        self.output_shape = header.get("output_shape")
        self._has_proba = header.get("has_proba") is True
        logger.info(
            "started %s (pid %s) in %.2f s",
            self.name,
            self._proc.pid,
            time.monotonic() - started,
        )

    def _call(self, method: str, X: Any) -> NDArray[Any]:
        array = np.asarray(X)
        if array.dtype.hasobject:
            raise LearnwareRunError("X must be a numeric array (or a list of str)")
        payload = io.BytesIO()
        np.save(payload, array, allow_pickle=False)
        with self._lock:
            if self._closed:
                raise LearnwareRunError(f"{self.name}: the learnware is closed")
            if self._proc is None or self._proc.poll() is not None:
                self._stop()
                self._start()  # restart a worker that died
            deadline = time.monotonic() + self.limits.wall_seconds
            self._send({"method": method}, payload.getvalue(), method)
            header, data = self._receive(deadline, method)
        if header.get("ok") is not True:
            raise LearnwareRunError(
                f"{self.name}: {method} raised:\n{header.get('error', '')!s}"
            )
        y: NDArray[Any] = np.load(io.BytesIO(data), allow_pickle=False)
        return y

    def _send(self, header: dict[str, Any], payload: bytes, what: str) -> None:
        proc = self._proc
        assert proc is not None
        assert proc.stdin is not None
        line = json.dumps({**header, "nbytes": len(payload)}).encode() + b"\n"
        try:
            proc.stdin.write(line + payload)
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._fail(what, "the worker stopped")

    def _receive(self, deadline: float, what: str) -> tuple[dict[str, Any], bytes]:
        """One reply: a JSON line and ``nbytes`` bytes, bounded in time and size."""
        line = self._read(deadline, what, line=True)
        try:
            header = json.loads(line)
        except ValueError:
            self._fail(what, "the worker sent an unreadable reply")
        if not isinstance(header, dict):
            self._fail(what, "the worker sent an unreadable reply")
        size = header.get("nbytes", 0)
        if not isinstance(size, int) or not 0 <= size <= self.limits.max_file_bytes:
            self._fail(what, f"reply of {size!r} bytes refused")
        return header, self._read(deadline, what, size=size)

    def _read(
        self, deadline: float, what: str, *, line: bool = False, size: int = 0
    ) -> bytes:
        proc = self._proc
        assert proc is not None
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                if line and b"\n" in self._buffer:
                    out, _, self._buffer = self._buffer.partition(b"\n")
                    return out
                if not line and len(self._buffer) >= size:
                    out, self._buffer = self._buffer[:size], self._buffer[size:]
                    return out
                if line and len(self._buffer) > _MAX_HEADER_BYTES:
                    self._fail(what, "reply header too large")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._fail(what, f"no answer within {self.limits.wall_seconds} s")
                if not selector.select(remaining):
                    continue
                try:
                    chunk = os.read(fd, 1 << 20)
                except BlockingIOError:
                    continue
                if not chunk:
                    self._fail(what, "the worker exited")
                self._buffer += chunk

    def _fail(self, what: str, reason: str) -> Any:
        """Kill the worker (restarted on the next call) and raise with its stderr."""
        proc = self._proc
        status = ""
        if proc is not None:
            if proc.poll() is None:
                _kill(proc)
                proc.wait()
            code = proc.returncode
            if code is not None and code < 0:
                status = f" (killed by {signal.Signals(-code).name})"
            elif code is not None and code > 128:
                status = f" (signal {code - 128})" if code <= 192 else f" ({code})"
            elif code:
                status = f" (exit code {code})"
        tail = self._log_tail()
        self._stop()
        message = f"{self.name}: {what} failed: {reason}{status}"
        raise LearnwareRunError(message + (f"\n{tail}" if tail else ""))

    def _log_tail(self, chars: int = 2000) -> str:
        if self._log is None:
            return ""
        try:
            self._log.flush()
            size = self._log.seek(0, os.SEEK_END)
            self._log.seek(max(0, size - chars))
            return self._log.read().decode(errors="replace").strip()
        except (OSError, ValueError):
            return ""

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()  # EOF: the worker's loop ends
            try:
                proc.wait(timeout=_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                _kill(proc)
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._run_dir is not None:
            shutil.rmtree(self._run_dir, ignore_errors=True)
            self._run_dir = None


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker's process group (bwrap's pid namespace goes with it)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
