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
namespaces ...), starting fails with :class:`SandboxUnavailableError` saying how to
install it, unless the caller explicitly passed ``allow_unsandboxed=True``
(:meth:`learnware_core.client.Client.load`, the deploy bundle's ``run.py
--unsandboxed``): then the worker runs as a plain subprocess with the same
rlimits and a clean environment, but **without isolation**, and a
``RuntimeWarning`` says so.

Fine-tuning: :meth:`DeployedLearnware.finetune` adapts the model with the user's
labelled data through its own ``finetune(X, y)`` (or ``fit``), in the worker, which
then keeps serving the adapted model; :meth:`~DeployedLearnware.save_finetuned`
writes it as a new learnware package (see :mod:`learnware_core.runtime.finetuned`):
the model pickles itself inside the sandbox and the dock only copies the bytes.
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
import warnings
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core.package.reader import PackageInfo
from learnware_core.runtime.environment import (
    Environment,
    EnvironmentBuilder,
    IndexOptions,
)
from learnware_core.runtime.errors import LearnwareRunError
from learnware_core.runtime.finetuned import (
    STATE_FILE,
    base_model,
    write_finetuned_package,
)
from learnware_core.runtime.guest_report import expected_steps
from learnware_core.runtime.requirements import read_requirements
from learnware_core.runtime.runner import (
    _COMPAT,
    _WORKER,
    _encode,
    _make_readable,
    _manifest,
    _spec,
    _worker_steps,
)
from learnware_core.runtime.sandbox import (
    Bind,
    SandboxCommand,
    SandboxLimits,
    sandbox_command,
)
from learnware_core.specification.base import StatSpecification
from learnware_core.specification.semantic import SemanticSpec

__all__ = [
    "DEPLOY_LIMITS",
    "FINETUNE_SECONDS",
    "DeployedLearnware",
    "default_cache_dir",
]

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
#: Default wall-clock limit of one :meth:`DeployedLearnware.finetune` call (it is
#: never below the per-request limit of ``limits``).
FINETUNE_SECONDS = 3600.0
_FINETUNE_METHODS = ("auto", "finetune", "fit")
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
    finetune_method : str or None
        ``"finetune"`` or ``"fit"`` once :meth:`finetune` adapted the running
        model (the model's method used), else None.

    Raises
    ------
    LearnwareRunError
        If the model does not load.
    EnvironmentBuildError, RequirementsError, SandboxUnavailableError

    Examples
    --------
    >>> with DeployedLearnware("lw/") as lw:  # doctest: +SKIP
    ...     y = lw.predict(X)
    ...     lw.finetune(X_labelled, y_labelled).save_finetuned("adapted.zip")
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
        self.finetune_method: str | None = None
        self._lock = threading.RLock()
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

    def finetune(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        method: str = "auto",
        timeout: float | None = None,
    ) -> Self:
        """Adapt the model to ``(X, y)`` with its own code, in the worker.

        The worker keeps serving the adapted model: later ``predict`` calls use it,
        and :meth:`save_finetuned` writes it as a new package. Calling it again
        adapts the model further. If the model raises (or the time runs out), the
        worker is stopped and the next call starts from the original model.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Numeric (or a list of str for text models).
        y : array-like of shape (n_samples, ...)
            Labels or targets, numeric.
        method : {"auto", "finetune", "fit"}, default="auto"
            The model's method to call; ``"auto"`` is its own ``finetune(X, y)``
            if it implements one, else its ``fit(X, y)``.
        timeout : float, optional
            Seconds; default :data:`FINETUNE_SECONDS` (at least the per-request
            limit of ``limits``).

        Returns
        -------
        self : DeployedLearnware
            ``finetune_method`` tells which method ran.

        Raises
        ------
        LearnwareRunError
            With the model's traceback, or why the worker stopped.
        """
        if method not in _FINETUNE_METHODS:
            raise LearnwareRunError(
                f"method must be one of {', '.join(_FINETUNE_METHODS)}, got {method!r}"
            )
        features, targets = _as_npy_array(X, "X"), _as_npy_array(y, "y")
        if len(features) != len(targets) or len(features) == 0:
            raise LearnwareRunError(
                f"X and y need the same, non-zero number of rows "
                f"(got {len(features)} and {len(targets)})"
            )
        payload = io.BytesIO()
        np.save(payload, features, allow_pickle=False)
        np.save(payload, targets, allow_pickle=False)
        wall = timeout or max(FINETUNE_SECONDS, self.limits.wall_seconds)
        request = {"method": "finetune", "use": method}
        with self._lock:
            earlier = self.finetune_method is not None
            try:
                header, _ = self._exchange(
                    request, payload.getvalue(), "finetune", wall
                )
            except LearnwareRunError as exc:
                # the model may be half-adapted: start afresh on the next call
                self._stop()
                self.finetune_method = None
                lost = "; the earlier fine-tuning is discarded" if earlier else ""
                raise LearnwareRunError(
                    f"{exc}\n(the worker restarts from the original model on the "
                    f"next call{lost})"
                ) from None
            used = header.get("used")
            self.finetune_method = used if used in ("finetune", "fit") else method
        logger.info("fine-tuned %s on %d rows with %s", self.name, len(features), used)
        return self

    def save_finetuned(
        self,
        dest: str | os.PathLike[str],
        *,
        semantic_spec: SemanticSpec | None = None,
        stat_spec: StatSpecification | None = None,
    ) -> PackageInfo:
        """Write the fine-tuned model as a new learnware package zip.

        The model pickles itself inside the sandbox; the package holds the
        original's files, that state and a generated ``FinetunedModel`` that loads
        it (see :mod:`learnware_core.runtime.finetuned`). The zip is validated
        before it is kept, and runs with :class:`DeployedLearnware` and the dock's
        checks like any package.

        Parameters
        ----------
        dest : path
            The zip to write.
        semantic_spec : SemanticSpec, optional
            Embedded in the package; default: the original's embedded one, if any.
        stat_spec : StatSpecification, optional
            Replaces the original's specification of its type. By default the
            package keeps the original's, which describes the **original**
            training data; build one of yours with ``bmw spec`` to replace it.

        Returns
        -------
        info : PackageInfo
            The inspection of the written package.

        Raises
        ------
        LearnwareRunError
            If the model was not fine-tuned, or cannot be pickled by its code.
        PackageError
            If the resulting package is invalid.
        """
        base_module, _ = base_model(self._manifest)
        with self._lock:
            if self.finetune_method is None:
                raise LearnwareRunError(
                    f"{self.name}: nothing to save: call finetune(X, y) first"
                )
            request = {"method": "save", "base_module": base_module}
            header, data = self._exchange(
                request, b"", "save", self.limits.wall_seconds
            )
            with tempfile.TemporaryDirectory(prefix="bmw-finetuned-") as tmp:
                state = Path(tmp) / STATE_FILE
                state.write_bytes(data)  # bytes only: never unpickled here
                return write_finetuned_package(
                    dest,
                    package_dir=self.package_dir,
                    manifest=self._manifest,
                    state_file=state,
                    module_name=str(header.get("module_name", "")),
                    input_shape=self.input_shape,
                    output_shape=self.output_shape,
                    semantic_spec=semantic_spec,
                    stat_spec=stat_spec,
                )

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
        command: SandboxCommand | None = None
        try:
            command = sandbox_command(
                [*argv, str(scratch / "request.json")],
                scratch_dir=scratch,
                binds=binds,
                limits=self.limits,
                allow_unsandboxed=self.allow_unsandboxed,
            )
            if not command.sandboxed:
                warning = (
                    f"bubblewrap is unavailable: running {self.name} WITHOUT a "
                    "sandbox; its code can read and change everything you can"
                )
                logger.warning("%s", warning)
                warnings.warn(warning, RuntimeWarning, stacklevel=3)
            # stderr goes to a host-opened file (bounded by RLIMIT_FSIZE)
            self._log = open(run_dir / "worker.log", "w+b")  # noqa: SIM115
            self._proc = subprocess.Popen(
                command.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._log,
                cwd=command.cwd,
                env=command.env,
                pass_fds=command.pass_fds,
                start_new_session=True,
                preexec_fn=command.preexec,
            )
        except BaseException:
            shutil.rmtree(run_dir, ignore_errors=True)
            raise
        finally:
            if command is not None:
                command.close()
        self._run_dir = run_dir
        self._buffer = b""
        self.finetune_method = None
        self.sandboxed = command.sandboxed
        assert self._proc.stdout is not None
        os.set_blocking(self._proc.stdout.fileno(), False)
        started = time.monotonic()
        header, _ = self._receive(started + self.limits.wall_seconds, "start")
        if header.get("ok") is not True:
            self._stop()
            steps = _worker_steps(header, expected_steps("serve"))
            failed = [step for step in steps if not step.ok]
            name, message = (
                (failed[0].name, failed[0].message) if failed else ("start", "?")
            )
            raise LearnwareRunError(f"{self.name}: {name} failed:\n{message}")
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
        payload = io.BytesIO()
        np.save(payload, _as_npy_array(X, "X"), allow_pickle=False)
        _, data = self._exchange(
            {"method": method}, payload.getvalue(), method, self.limits.wall_seconds
        )
        y: NDArray[Any] = np.load(io.BytesIO(data), allow_pickle=False)
        return y

    def _exchange(
        self, request: dict[str, Any], payload: bytes, what: str, wall: float
    ) -> tuple[dict[str, Any], bytes]:
        """Send one request and return the successful reply (header, payload)."""
        with self._lock:
            if self._closed:
                raise LearnwareRunError(f"{self.name}: the learnware is closed")
            if self._proc is None or self._proc.poll() is not None:
                lost = self.finetune_method is not None
                self._stop()
                self._start()  # restart a worker that died
                if lost:
                    raise LearnwareRunError(
                        f"{self.name}: the worker had stopped and was restarted "
                        "from the original model; the fine-tuning is lost (call "
                        "finetune again)"
                    )
            deadline = time.monotonic() + wall
            self._send(request, payload, what)
            header, data = self._receive(deadline, what, wall)
        if header.get("ok") is not True:
            raise LearnwareRunError(
                f"{self.name}: {what} raised:\n{header.get('error', '')!s}"
            )
        return header, data

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

    def _receive(
        self, deadline: float, what: str, wall: float | None = None
    ) -> tuple[dict[str, Any], bytes]:
        """One reply: a JSON line and ``nbytes`` bytes, bounded in time and size."""
        wall = self.limits.wall_seconds if wall is None else wall
        line = self._read(deadline, what, wall, line=True)
        try:
            header = json.loads(line)
        except ValueError:
            self._fail(what, "the worker sent an unreadable reply")
        if not isinstance(header, dict):
            self._fail(what, "the worker sent an unreadable reply")
        size = header.get("nbytes", 0)
        if not isinstance(size, int) or not 0 <= size <= self.limits.max_file_bytes:
            self._fail(what, f"reply of {size!r} bytes refused")
        return header, self._read(deadline, what, wall, size=size)

    def _read(
        self,
        deadline: float,
        what: str,
        wall: float,
        *,
        line: bool = False,
        size: int = 0,
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
                    self._fail(what, f"no answer within {wall} s")
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


def _as_npy_array(value: ArrayLike, name: str) -> NDArray[Any]:
    """``value`` as an array ``np.save`` writes without pickles."""
    array = np.asarray(value)
    if array.dtype.hasobject:
        raise LearnwareRunError(f"{name} must be a numeric array (or a list of str)")
    return array


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker's process group (bwrap's pid namespace goes with it)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
