"""Run a command for uploaded code under bubblewrap, with rlimits and bounded output.

Set-up (see :func:`bwrap_argv`):

* namespaces: new mount, pid, ipc, uts, cgroup and **network** namespaces (only a
  loopback device, so no connection leaves the sandbox); ``--die-with-parent`` and
  ``--new-session`` (no TIOCSTI on the dock's terminal);
* system calls: a seccomp filter (:mod:`learnware_core.runtime.seccomp`) denies
  new namespaces (``unshare``, ``setns``, ``clone`` with ``CLONE_NEW*``: no user
  namespace, so no "root" with mount rights), mounts, ``ptrace``, ``bpf``, the key
  ring, kernel modules, ``perf_event_open``, ``userfaultfd``, ``io_uring`` ...;
* file system: an empty root remounted read-only, of ``/usr`` only ``bin``,
  ``sbin``, ``lib*`` and time zones (not ``/usr/local``, ``/usr/share``,
  ``/usr/include`` ...) and the ``/bin``, ``/lib*``, ``/sbin`` links read-only,
  ``/etc/ld.so.cache`` only, the given binds read-only at their host paths, fresh
  ``/proc`` and ``/dev``; the scratch dir is a **size-limited tmpfs** at its host
  path (the files the host put there are bound read-only on top; nothing written
  reaches the host disk), as are ``/tmp`` and ``/dev/shm``; nothing of ``/root``,
  ``/home``, the dock's media or other ``/etc`` files;
* user: as root, bwrap sets up the namespaces and ``setpriv`` drops to a
  **per-run uid/gid** (no groups, no capabilities, ``no_new_privs``) before the
  command runs. The real uid must be non-root for ``RLIMIT_NPROC`` to be enforced,
  and a uid per run keeps one run's fork bomb from starving another. When the dock
  is not root, bwrap runs unprivileged in a user namespace (``--uid 65534``);
* limits: ``setrlimit`` in the child before bwrap starts (inherited by the
  command): CPU seconds, address space, processes, file size, open files, no core
  files; a wall-clock timer and an output cap kill bwrap's process group, and
  ``--die-with-parent`` + the pid namespace take every sandboxed process with it;
* results: :func:`run_sandboxed` can open a pipe for the command's result
  (``$BMW_RESULT_FD``), read by the host with a size limit, instead of a file;
* environment: ``--clearenv`` plus a minimal set (``PATH``, ``HOME`` = scratch,
  one BLAS thread ...).
"""

from __future__ import annotations

import contextlib
import functools
import os
import resource
import secrets
import selectors
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from learnware_core.runtime import seccomp
from learnware_core.runtime._capture import BoundedBuffer
from learnware_core.runtime.errors import SandboxUnavailableError

__all__ = [
    "Bind",
    "SandboxCommand",
    "SandboxLimits",
    "SandboxResult",
    "bwrap_argv",
    "run_sandboxed",
    "sandbox_available",
    "sandbox_command",
]

BWRAP = "/usr/bin/bwrap"
SETPRIV = "/usr/bin/setpriv"
#: uid used when bwrap runs unprivileged (inside its user namespace only).
NOBODY = 65534
# Per-run uids (root mode) come from here; no passwd entry is needed.
_UID_BASE, _UID_SPAN = 1_900_000_000, 100_000_000
_SYSTEM_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
#: The parts of ``/usr`` an interpreter and its libraries need.
_USR_PARTS = (
    "/usr/bin",
    "/usr/sbin",
    "/usr/lib",
    "/usr/lib32",
    "/usr/lib64",
    "/usr/libx32",
    "/usr/share/zoneinfo",
)
#: How to get the sandbox working, for error messages.
INSTALL_HINT = (
    "Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap libseccomp2; "
    "Fedora: dnf install bubblewrap libseccomp) on Linux with unprivileged user "
    "namespaces enabled"
)
#: Environment variable naming the result pipe's descriptor (see run_sandboxed).
RESULT_FD_ENV = "BMW_RESULT_FD"
_CHUNK = 64 * 1024
_MiB = 1024 * 1024


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits of one sandboxed run.

    Parameters
    ----------
    cpu_seconds : int, default=60
        ``RLIMIT_CPU`` (SIGXCPU at the limit, SIGKILL one second later).
    wall_seconds : float, default=120
        Wall-clock timeout; the whole sandbox is killed.
    memory_bytes : int, default=4 GiB
        ``RLIMIT_AS`` (address space), so large allocations fail with MemoryError.
    max_processes : int, default=64
        ``RLIMIT_NPROC`` for the sandbox uid (threads count too).
    max_file_bytes : int, default=256 MiB
        ``RLIMIT_FSIZE``: largest file the command may write.
    max_open_files : int, default=256
        ``RLIMIT_NOFILE``.
    max_output_bytes : int, default=8 MiB
        stdout + stderr bytes after which the run is stopped.
    keep_output_bytes : int, default=32 KiB
        Bytes kept from the start and from the end of each stream.
    tmp_bytes : int, default=64 MiB
        Size of the tmpfs ``/tmp`` and ``/dev/shm``.
    scratch_bytes : int, default=256 MiB
        Size of the tmpfs the scratch dir is in the sandbox (its quota).
    """

    cpu_seconds: int = 60
    wall_seconds: float = 120.0
    memory_bytes: int = 4096 * _MiB
    max_processes: int = 64
    max_file_bytes: int = 256 * _MiB
    max_open_files: int = 256
    max_output_bytes: int = 8 * _MiB
    keep_output_bytes: int = 32 * 1024
    tmp_bytes: int = 64 * _MiB
    scratch_bytes: int = 256 * _MiB


@dataclass(frozen=True)
class Bind:
    """A host path made visible in the sandbox at the same path.

    Parameters
    ----------
    path : Path
        Absolute host path (file or directory).
    writable : bool, default=False
    """

    path: Path
    writable: bool = False


@dataclass(frozen=True)
class SandboxResult:
    """How a sandboxed run ended.

    Attributes
    ----------
    returncode : int or None
        Exit code if the command exited (None if killed by a signal).
    signal : int or None
        The signal that ended the command (bwrap reports it as ``128 + n``).
    timed_out : bool
        The wall-clock limit was hit.
    killed_reason : str or None
        Why the run ended abnormally: ``"wall time limit"``, ``"cpu time limit"``,
        ``"memory limit"``, ``"process limit"``, ``"output limit"``,
        ``"file size limit"`` or ``"crashed (SIGSEGV)"``-style; None otherwise.
    stdout, stderr : str
        Excerpts (head and tail) of the streams.
    output_bytes : int
        Total bytes written to stdout + stderr.
    duration : float
        Wall-clock seconds.
    sandboxed : bool
        False only for an explicitly allowed unsandboxed run.
    result : bytes
        What the command wrote to its result pipe (``result_bytes`` of
        :func:`run_sandboxed`), at most that many bytes.
    """

    returncode: int | None
    signal: int | None
    timed_out: bool
    killed_reason: str | None
    stdout: str
    stderr: str
    output_bytes: int
    duration: float
    sandboxed: bool = True
    result: bytes = b""

    @property
    def ok(self) -> bool:
        """True if the command exited with status 0 within every limit."""
        return self.returncode == 0 and self.killed_reason is None

    def describe(self) -> str:
        """One line: the exit status or reason, and the duration."""
        if self.killed_reason:
            status = f"stopped: {self.killed_reason}"
        elif self.signal is not None:
            status = f"killed by {signal.Signals(self.signal).name}"
        else:
            status = f"exit code {self.returncode}"
        return f"{status} after {self.duration:.2f} s"


@functools.cache
def _probe(privileged: bool) -> str | None:
    """Return None if bwrap works here, else why not."""
    if not Path(BWRAP).is_file():
        return f"{BWRAP} is not installed (apt-get install bubblewrap)"
    if privileged and not Path(SETPRIV).is_file():
        return f"{SETPRIV} is not installed (util-linux)"
    argv = [BWRAP, "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net"]
    if not privileged:
        argv.append("--unshare-user")
    try:
        done = subprocess.run(
            [*argv, "--", "/bin/true"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap failed to start: {exc}"
    if done.returncode != 0:
        return "bwrap cannot create namespaces: " + done.stderr.decode(errors="replace")
    try:
        os.close(seccomp.filter_fd())
    except OSError as exc:
        return f"cannot build the seccomp filter: {exc}"
    return None


def sandbox_available() -> bool:
    """Return True if bubblewrap can sandbox commands on this machine."""
    return _probe(os.geteuid() == 0) is None


def bwrap_argv(
    argv: Sequence[str],
    *,
    binds: Sequence[Bind],
    scratch_dir: Path,
    env: Mapping[str, str],
    limits: SandboxLimits,
    uid: int,
    seccomp_fd: int | None = None,
) -> list[str]:
    """Return the full command line running ``argv`` under bubblewrap.

    Parameters
    ----------
    argv : sequence of str
        The command, with sandbox paths (host paths are bound at the same place).
    binds : sequence of Bind
        Extra host paths to expose, besides ``/usr`` and ``scratch_dir``.
    scratch_dir : Path
        Mounted read-write; the working directory and ``HOME``.
    env : mapping
        The complete environment of the command.
    limits : SandboxLimits
        For the tmpfs sizes.
    uid : int
        The uid (and gid) the command runs as.
    seccomp_fd : int, optional
        A descriptor holding the seccomp program (:func:`seccomp.filter_fd`),
        which must be passed to bwrap.
    """
    privileged = os.geteuid() == 0
    out = [BWRAP, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
    out += ["--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    if not privileged:
        out += ["--unshare-user", "--uid", str(uid), "--gid", str(uid)]
        out += ["--disable-userns"]
    out += ["--clearenv", "--hostname", "sandbox", "--perms", "0755", "--dir", "/usr"]
    for part in _USR_PARTS:
        if os.path.islink(part):
            out += ["--symlink", os.readlink(part), part]
        elif os.path.isdir(part):
            out += ["--ro-bind", part, part]
    for link in _SYSTEM_LINKS:
        if os.path.islink(link):
            out += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            out += ["--ro-bind", link, link]
    out += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    out += ["--proc", "/proc", "--dev", "/dev"]
    for tmp in ("/tmp", "/dev/shm"):
        out += ["--size", str(limits.tmp_bytes), "--perms", "1777", "--tmpfs", tmp]
    out += _bind_args(binds, scratch_dir)
    out += ["--size", str(limits.scratch_bytes), "--perms", "1777"]
    out += ["--tmpfs", str(scratch_dir)]
    for entry in sorted(scratch_dir.iterdir()):  # what the host put there
        out += ["--ro-bind", str(entry), str(entry)]
    out += ["--remount-ro", "/", "--chdir", str(scratch_dir)]
    if seccomp_fd is not None:
        out += ["--seccomp", str(seccomp_fd)]
    for key, value in sorted(env.items()):
        out += ["--setenv", key, value]
    out.append("--")
    if privileged:
        out += [SETPRIV, f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
        out += ["--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--"]
    return [*out, *argv]


def _bind_args(binds: Sequence[Bind], scratch_dir: Path | None = None) -> list[str]:
    """``--bind``/``--ro-bind`` for each path, creating world-readable parents.

    bwrap would create missing parents (e.g. ``/root`` for an interpreter under
    pyenv) with mode 0700, unreadable for the sandbox uid, so they are made 0755
    (also those of ``scratch_dir``, which is mounted afterwards).
    """
    out: list[str] = []
    made: set[Path] = {Path("/"), Path("/usr")}
    bound: list[Path] = [Path(p) for p in _USR_PARTS]
    marker = Bind(scratch_dir) if scratch_dir is not None else None
    for bind in sorted([*binds, *([marker] if marker else [])], key=_depth):
        path = bind.path
        for parent in reversed(path.parents):
            if parent in made or any(parent.is_relative_to(b) for b in bound):
                continue
            out += ["--perms", "0755", "--dir", str(parent)]
            made.add(parent)
        if bind is marker:
            continue
        out += ["--bind" if bind.writable else "--ro-bind", str(path), str(path)]
        bound.append(path)
    return out


def _depth(bind: Bind) -> int:
    return len(bind.path.parts)


def run_sandboxed(
    argv: Sequence[str],
    *,
    scratch_dir: str | os.PathLike[str],
    binds: Sequence[Bind] = (),
    env: Mapping[str, str] | None = None,
    limits: SandboxLimits | None = None,
    allow_unsandboxed: bool = False,
    result_bytes: int | None = None,
) -> SandboxResult:
    """Run ``argv`` in the sandbox and wait for it, within ``limits``.

    Parameters
    ----------
    argv : sequence of str
        The command; paths are the same inside and outside.
    scratch_dir : path
        An existing directory, the only writable host path (working dir, ``HOME``).
        As root it is chowned to the run's uid.
    binds : sequence of Bind, default=()
        Read-only host paths the command needs (interpreter, package ...).
    env : mapping, optional
        Added to the minimal environment.
    limits : SandboxLimits, optional
    allow_unsandboxed : bool, default=False
        If bwrap is unusable, run the command directly (rlimits, clean environment,
        **no isolation**). Only for a local dock on the user's own machine.
    result_bytes : int, optional
        Open a result pipe: its write end is the descriptor named by
        ``$BMW_RESULT_FD`` in the command's environment; what arrives is
        ``SandboxResult.result``. More than ``result_bytes`` stops the run
        (``"output limit"``).

    Returns
    -------
    result : SandboxResult

    Raises
    ------
    SandboxUnavailableError
        If bwrap is unusable and ``allow_unsandboxed`` is False.
    """
    limits = limits or SandboxLimits()
    pipe = os.pipe() if result_bytes is not None else None
    try:
        extra = dict(env or {})
        if pipe is not None:
            extra[RESULT_FD_ENV] = str(pipe[1])
        command = sandbox_command(
            argv,
            scratch_dir=scratch_dir,
            binds=binds,
            env=extra,
            limits=limits,
            allow_unsandboxed=allow_unsandboxed,
        )
        try:
            result = _execute(
                command,
                result_pipe=pipe,
                result_bytes=result_bytes or 0,
            )
        finally:
            command.close()
    finally:
        if pipe is not None:
            for fd in pipe:
                with contextlib.suppress(OSError):
                    os.close(fd)
    return result if command.sandboxed else replace(result, sandboxed=False)


@dataclass(frozen=True)
class SandboxCommand:
    """A prepared command: what to start, how, and under which limits.

    Start it with ``subprocess.Popen(argv, cwd=cwd, env=env, pass_fds=pass_fds,
    start_new_session=True, preexec_fn=command.preexec)``, then call
    :meth:`close`: :func:`run_sandboxed` runs it to completion; a long-lived worker
    (see :class:`~learnware_core.runtime.deployed.DeployedLearnware`) talks to it.

    Attributes
    ----------
    argv : list of str
        bwrap's command line, or the bare command if unsandboxed.
    cwd : Path
        The scratch folder.
    env : dict
        The environment of the started process.
    limits : SandboxLimits
    sandboxed : bool
        False only for an explicitly allowed unsandboxed run.
    pass_fds : tuple of int
        Descriptors bwrap reads (the seccomp program); close them with
        :meth:`close` once the process started.
    """

    argv: list[str]
    cwd: Path
    env: dict[str, str]
    limits: SandboxLimits
    sandboxed: bool = True
    pass_fds: tuple[int, ...] = ()

    def preexec(self) -> None:
        """Apply the rlimits; runs in the child between fork and exec."""
        _set_limits(self.limits)

    def close(self) -> None:
        """Close :attr:`pass_fds` in this process (idempotent)."""
        fds, self.__dict__["pass_fds"] = self.pass_fds, ()
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)


def sandbox_command(
    argv: Sequence[str],
    *,
    scratch_dir: str | os.PathLike[str],
    binds: Sequence[Bind] = (),
    env: Mapping[str, str] | None = None,
    limits: SandboxLimits | None = None,
    allow_unsandboxed: bool = False,
) -> SandboxCommand:
    """Prepare ``argv`` to run in the sandbox (parameters as :func:`run_sandboxed`).

    As root, ``scratch_dir`` and everything in it are chowned to the run's uid.

    Raises
    ------
    SandboxUnavailableError
        If bwrap is unusable and ``allow_unsandboxed`` is False.
    """
    limits = limits or SandboxLimits()
    scratch = Path(scratch_dir).resolve()
    child_env = _child_env(scratch, env or {})
    problem = _probe(os.geteuid() == 0)
    if problem is None:
        uid = _run_uid()
        if os.geteuid() == 0:
            # The run's uid owns its scratch and what the host put there (inputs,
            # the request): readable whatever the dock's umask is.
            for path in (scratch, *scratch.rglob("*")):
                os.chown(path, uid, uid, follow_symlinks=False)
        filter_fd = seccomp.filter_fd()
        command = bwrap_argv(
            argv,
            binds=binds,
            scratch_dir=scratch,
            env=child_env,
            limits=limits,
            uid=uid,
            seccomp_fd=filter_fd,
        )
        return SandboxCommand(
            command,
            scratch,
            {"PATH": "/usr/bin:/bin"},
            limits,
            pass_fds=(filter_fd,),
        )
    if not allow_unsandboxed:
        raise SandboxUnavailableError(
            f"refusing to run the learnware's code without a sandbox: "
            f"{problem.strip()}. {INSTALL_HINT}"
        )
    return SandboxCommand(list(argv), scratch, child_env, limits, sandboxed=False)


def _run_uid() -> int:
    if os.geteuid() != 0:
        return NOBODY
    return _UID_BASE + secrets.randbelow(_UID_SPAN)


def _child_env(scratch: Path, extra: Mapping[str, str]) -> dict[str, str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(scratch),
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        # one BLAS/OpenMP thread: threads count against RLIMIT_NPROC and RLIMIT_AS
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    env.update(extra)
    return env


def _set_limits(limits: SandboxLimits) -> None:
    """Runs in the child between fork and exec: only setrlimit calls."""
    cpu = limits.cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes,) * 2)
    resource.setrlimit(resource.RLIMIT_NPROC, (limits.max_processes,) * 2)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.max_file_bytes,) * 2)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.max_open_files,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _execute(
    command: SandboxCommand,
    *,
    result_pipe: tuple[int, int] | None = None,
    result_bytes: int = 0,
) -> SandboxResult:
    limits = command.limits
    start = time.monotonic()
    deadline = start + limits.wall_seconds
    out, err = (
        BoundedBuffer(limits.keep_output_bytes),
        BoundedBuffer(limits.keep_output_bytes),
    )
    pass_fds = command.pass_fds + ((result_pipe[1],) if result_pipe else ())
    # preexec_fn only calls setrlimit; Popen's other options do the rest.
    proc = subprocess.Popen(
        command.argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=command.cwd,
        env=command.env,
        pass_fds=pass_fds,
        start_new_session=True,
        preexec_fn=functools.partial(_set_limits, limits),
    )
    command.close()  # bwrap has its copy of the seccomp program
    assert proc.stdout is not None
    assert proc.stderr is not None
    result = _Collected(result_bytes)
    streams: dict[int, BoundedBuffer | _Collected] = {
        proc.stdout.fileno(): out,
        proc.stderr.fileno(): err,
    }
    if result_pipe is not None:
        os.close(result_pipe[1])  # only the command writes to it now
        streams[result_pipe[0]] = result
    stopped = _pump(proc, streams, deadline, limits.max_output_bytes)
    status = _reap(proc, deadline)
    if status is None:
        stopped = stopped or "wall time limit"
    proc.stdout.close()
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    done = _result(code, stopped, out, err, time.monotonic() - start)
    return replace(done, result=bytes(result.data))


class _Collected:
    """A stream kept whole up to ``limit`` bytes (the result pipe)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()
        self.total = 0

    def write(self, data: bytes) -> None:
        self.total += len(data)
        room = self.limit - len(self.data)
        if room > 0:
            self.data += data[:room]


def _pump(
    proc: subprocess.Popen[bytes],
    streams: dict[int, BoundedBuffer | _Collected],
    deadline: float,
    max_output: int,
) -> str | None:
    """Read both pipes until EOF; kill the sandbox on timeout or too much output."""
    with selectors.DefaultSelector() as selector:
        for fd in streams:
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _kill(proc)
                return "wall time limit"
            for key, _ in selector.select(remaining):
                fd = int(key.fd)
                try:
                    data = os.read(fd, _CHUNK)
                except BlockingIOError:
                    continue
                if not data:
                    selector.unregister(fd)
                    continue
                stream = streams[fd]
                stream.write(data)
                over = (
                    stream.total > stream.limit
                    if isinstance(stream, _Collected)
                    else sum(
                        s.total
                        for s in streams.values()
                        if isinstance(s, BoundedBuffer)
                    )
                    > max_output
                )
                if over:
                    _kill(proc)
                    return "output limit"
    return None


def _reap(proc: subprocess.Popen[bytes], deadline: float) -> int | None:
    """Wait for the process, killing it at the deadline; None if it was killed."""
    killed = False
    while True:
        pid, status = os.waitpid(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return None if killed else status
        if time.monotonic() >= deadline and not killed:
            _kill(proc)
            killed = True
        time.sleep(0.005)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL bwrap's process group; the pid namespace takes the rest with it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def _result(
    code: int | None,
    stopped: str | None,
    out: BoundedBuffer,
    err: BoundedBuffer,
    duration: float,
) -> SandboxResult:
    returncode, sig = code, None
    if code is not None and code < 0:
        returncode, sig = None, -code
    elif code is not None and 128 < code <= 128 + 64:
        # bwrap reports a command killed by signal n as exit status 128 + n
        returncode, sig = None, code - 128
    stderr = err.text()
    reason = _reason(returncode, sig, stderr)
    if stopped and not (stopped == "wall time limit" and reason == "process limit"):
        reason = stopped
    return SandboxResult(
        returncode=returncode,
        signal=sig,
        timed_out=stopped == "wall time limit",
        killed_reason=reason,
        stdout=out.text(),
        stderr=stderr,
        output_bytes=out.total + err.total,
        duration=duration,
    )


def _reason(returncode: int | None, sig: int | None, stderr: str) -> str | None:
    if sig == signal.SIGXCPU:
        return "cpu time limit"
    if sig == signal.SIGXFSZ or "File too large" in stderr:
        return "file size limit"
    if "Resource temporarily unavailable" in stderr or "BlockingIOError" in stderr:
        return "process limit"  # fork/clone failed with EAGAIN at RLIMIT_NPROC
    if returncode == 0:
        return None
    if "MemoryError" in stderr or "Cannot allocate memory" in stderr:
        return "memory limit"
    if sig == signal.SIGKILL:
        return "killed (SIGKILL: cpu time hard limit or out of memory)"
    if sig is not None:
        return f"crashed ({signal.Signals(sig).name})"
    return None
