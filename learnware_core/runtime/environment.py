"""Isolated virtual environments for learnwares, cached by requirements + Python.

An environment lives in ``<cache_dir>/envs/<key>/`` where ``key`` hashes the
normalised requirements and the Python version, so identical environments are built
once. Builders of the same key serialise on ``<cache_dir>/locks/<key>.lock``
(``flock``); an environment is complete only once its ``.complete`` marker has been
renamed into place, and a leftover partial build is removed and redone.

Installer: ``uv`` (``uv venv`` + ``uv pip install``) with one shared uv cache in
``<cache_dir>/uv``, so a package is downloaded once and then hard-linked into every
environment (near-free in time and disk); else ``python -m venv`` + pip.
Environments never see the dock's own site-packages (no
``--system-site-packages``): a learnware gets the versions it asks for, and the
dock can upgrade its own without breaking stored learnwares.

By default only wheels are installed (``only_binary=True``): building an sdist
would run its ``setup.py`` on the dock, with network access, as the dock's user.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from learnware_core.runtime.errors import EnvironmentBuildError
from learnware_core.runtime.requirements import Requirements
from learnware_core.runtime.sandbox import Bind

__all__ = [
    "Environment",
    "EnvironmentBuilder",
    "IndexOptions",
    "find_uv",
]

#: Bump to invalidate every cached environment (layout or installer changes).
CACHE_VERSION = "2"
_MARKER = ".complete"
_LOG_CHARS = 4000
_PASSED_ENV: tuple[str, ...] = ("http_proxy", "https_proxy", "no_proxy")
_PASSED_ENV += (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
)


@dataclass(frozen=True)
class Environment:
    """A Python environment that learnware code runs with.

    Attributes
    ----------
    python : Path
        The interpreter to start.
    prefix : Path
        The environment's root (bound read-only into the sandbox).
    base_prefix : Path
        The base Python installation it links to (bound read-only too).
    key : str
        Cache key, or ``"current"`` for the dock's own interpreter.
    """

    python: Path
    prefix: Path
    base_prefix: Path
    key: str = "current"

    @classmethod
    def current(cls) -> Environment:
        """Return the interpreter running the dock (for tests and trusted code)."""
        return cls(Path(sys.executable), Path(sys.prefix), Path(sys.base_prefix))

    @property
    def binds(self) -> tuple[Bind, ...]:
        """The read-only binds the sandbox needs to run :attr:`python`."""
        paths = dict.fromkeys([self.prefix.resolve(), self.base_prefix.resolve()])
        return tuple(Bind(p) for p in paths)


@dataclass(frozen=True)
class IndexOptions:
    """Where packages come from (passed explicitly: uv does not read pip's config).

    Parameters
    ----------
    index_url : str or None, default=None
        Replaces PyPI.
    extra_index_urls : tuple of str, default=()
    find_links : tuple of str, default=()
    constraints : tuple of str, default=()
        Constraint files applied to every environment.
    """

    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()

    @classmethod
    def from_pip_config(cls, python: str | Path = sys.executable) -> IndexOptions:
        """Read ``index-url``, ``extra-index-url``, ``find-links`` and ``constraint``
        from pip's configuration (``pip config list``) and ``PIP_*`` variables."""
        done = subprocess.run(
            [str(python), "-m", "pip", "config", "list"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        values: dict[str, list[str]] = {}
        for line in done.stdout.splitlines():
            name, _, raw = line.partition("=")
            key = name.rsplit(".", 1)[-1]
            values.setdefault(key, []).extend(raw.strip().strip("'\"").split())
        for key in ("index-url", "extra-index-url", "find-links", "constraint"):
            env = os.environ.get("PIP_" + key.upper().replace("-", "_"))
            if env:
                values.setdefault(key, []).extend(env.split())
        index = values.get("index-url", [])
        return cls(
            index_url=index[-1] if index else None,
            extra_index_urls=tuple(dict.fromkeys(values.get("extra-index-url", []))),
            find_links=tuple(dict.fromkeys(values.get("find-links", []))),
            constraints=tuple(dict.fromkeys(values.get("constraint", []))),
        )

    @property
    def hosts(self) -> frozenset[str]:
        """Host names of the configured indexes (accepted in requirements files)."""
        urls = [self.index_url or "", *self.extra_index_urls, *self.find_links]
        return frozenset(h for u in urls if (h := urlsplit(u).hostname))

    def args(self) -> list[str]:
        """Command-line options understood by both ``uv pip install`` and pip."""
        out: list[str] = []
        if self.index_url:
            out += ["--index-url", self.index_url]
        for url in self.extra_index_urls:
            out += ["--extra-index-url", url]
        for link in self.find_links:
            out += ["--find-links", link]
        for constraint in self.constraints:
            out += ["--constraint", constraint]
        return out


def find_uv() -> Path | None:
    """Return the ``uv`` next to the running interpreter, or on ``PATH``, or None."""
    beside = Path(sys.executable).parent / "uv"
    if beside.is_file():
        return beside
    found = shutil.which("uv")
    return Path(found) if found else None


@dataclass
class EnvironmentBuilder:
    """Build (once) and find cached learnware environments.

    Parameters
    ----------
    cache_dir : Path
        Holds ``envs/``, ``locks/`` and the shared ``uv/`` cache.
    base_python : Path, optional
        Interpreter the environments are made from; default: the dock's base Python.
    index : IndexOptions, default=IndexOptions()
    only_binary : bool, default=True
        Install wheels only (no build scripts run on the dock).
    timeout : float, default=1800
        Seconds allowed for one installer command.
    uv : Path or None, default=find_uv()
        None falls back to ``venv`` + pip.
    uv_cache_dir : Path, optional
        Default ``cache_dir / "uv"``.

    Examples
    --------
    >>> builder = EnvironmentBuilder(Path("/var/cache/bmw"))  # doctest: +SKIP
    >>> env = builder.build(parse_requirements("scikit-learn\\n"))  # doctest: +SKIP
    """

    cache_dir: Path
    base_python: Path = field(default_factory=lambda: _base_python())
    index: IndexOptions = field(default_factory=IndexOptions)
    only_binary: bool = True
    timeout: float = 1800.0
    uv: Path | None = field(default_factory=find_uv)
    uv_cache_dir: Path | None = None

    def key(self, requirements: Requirements) -> str:
        """Return the cache key of ``requirements`` for this builder's Python."""
        payload = {
            "cache": CACHE_VERSION,
            "python": _python_version(self.base_python),
            "machine": platform.machine(),
            "only_binary": self.only_binary,
            "requirements": sorted(requirements.lines),
        }
        blob = json.dumps(payload, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:24]

    def path(self, requirements: Requirements) -> Path:
        """Return where the environment of ``requirements`` lives (built or not)."""
        return self.cache_dir / "envs" / self.key(requirements)

    def get(self, requirements: Requirements) -> Environment | None:
        """Return the cached environment, or None if it was not built yet."""
        prefix = self.path(requirements)
        if not (prefix / _MARKER).is_file():
            return None
        return self._environment(prefix)

    def build(self, requirements: Requirements) -> Environment:
        """Return the environment of ``requirements``, building it if needed.

        Concurrent callers (threads or processes) for the same key wait for one
        build; a crashed build is redone.

        Raises
        ------
        EnvironmentBuildError
            With the installer's output (truncated to its last 4,000 characters).
        """
        prefix = self.path(requirements)
        cached = self.get(requirements)
        if cached is not None:
            return cached
        with self._lock(prefix.name):
            cached = self.get(requirements)
            if cached is not None:
                return cached
            if prefix.exists():
                shutil.rmtree(prefix)  # a partial build left by a crash
            prefix.parent.mkdir(parents=True, exist_ok=True)
            try:
                info = self._install(prefix, requirements)
            except BaseException:
                shutil.rmtree(prefix, ignore_errors=True)
                raise
            tmp = prefix / (_MARKER + ".tmp")
            tmp.write_text(json.dumps(info, indent=1))
            tmp.rename(prefix / _MARKER)  # atomic: readers see all or nothing
        return self._environment(prefix)

    def _environment(self, prefix: Path) -> Environment:
        base = Path(_python_info(self.base_python)["base_prefix"])
        return Environment(prefix / "bin" / "python", prefix, base, prefix.name)

    @contextmanager
    def _lock(self, key: str) -> Iterator[None]:
        locks = self.cache_dir / "locks"
        locks.mkdir(parents=True, exist_ok=True)
        with open(locks / f"{key}.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _install(self, prefix: Path, requirements: Requirements) -> dict[str, object]:
        started = time.monotonic()
        req_file = self.cache_dir / "locks" / f"{prefix.name}.requirements.txt"
        req_file.write_text(requirements.text())
        install = [*self.index.args(), "-r", str(req_file)]
        if self.only_binary:
            install += ["--only-binary", ":all:"]
        if self.uv is not None:
            uv = str(self.uv)
            self._run([uv, "venv", "--python", str(self.base_python), str(prefix)])
            # bytecode compiled now: the sandbox mounts the env read-only
            target = ["--python", str(prefix / "bin" / "python"), "--compile-bytecode"]
            self._run([uv, "pip", "install", *target, *install])
            installer = "uv"
        else:
            self._run([str(self.base_python), "-m", "venv", str(prefix)])
            pip = [str(prefix / "bin" / "python"), "-m", "pip", "install"]
            self._run([*pip, "--no-input", *install])
            installer = "pip"
        return {
            "requirements": list(requirements.lines),
            "notes": list(requirements.notes),
            "python": _python_version(self.base_python),
            "installer": installer,
            "seconds": round(time.monotonic() - started, 3),
        }

    def _run(self, argv: Sequence[str]) -> None:
        uv_cache = self.uv_cache_dir or self.cache_dir / "uv"
        env = {k: os.environ[k] for k in _PASSED_ENV if k in os.environ}
        env.update(
            PATH="/usr/local/bin:/usr/bin:/bin",
            HOME=str(self.cache_dir),
            UV_CACHE_DIR=str(uv_cache),
            UV_NO_CONFIG="1",
            UV_PYTHON_DOWNLOADS="never",
            PIP_CONFIG_FILE=os.devnull,  # index options are passed explicitly
            PIP_DISABLE_PIP_VERSION_CHECK="1",
        )
        try:
            done = subprocess.run(
                list(argv),
                capture_output=True,
                text=True,
                env=env,
                cwd=self.cache_dir,
                umask=0o022,  # the sandbox uid must be able to read the env
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise EnvironmentBuildError(
                f"environment build timed out after {self.timeout:.0f} s"
            ) from exc
        if done.returncode != 0:
            log = _truncate(done.stderr.strip() or done.stdout.strip())
            raise EnvironmentBuildError(
                f"environment build failed ({Path(argv[0]).name} {argv[1]}):\n{log}",
                log=log,
            )


def _truncate(text: str) -> str:
    if len(text) <= _LOG_CHARS:
        return text
    return (
        f"[... {len(text) - _LOG_CHARS} characters omitted ...]\n" + text[-_LOG_CHARS:]
    )


def _base_python() -> Path:
    name = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidate = Path(sys.base_prefix) / "bin" / name
    return candidate if candidate.is_file() else Path(sys.executable)


_INFO: dict[Path, dict[str, str]] = {}


def _python_info(python: Path) -> dict[str, str]:
    """``{"version", "base_prefix"}`` of an interpreter (asked once per path)."""
    if python not in _INFO:
        code = "import json,sys,platform;print(json.dumps({'version':"
        code += "platform.python_version(),'base_prefix':sys.base_prefix}))"
        done = subprocess.run(
            [str(python), "-I", "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        _INFO[python] = json.loads(done.stdout)
    return _INFO[python]


def _python_version(python: Path) -> str:
    return _python_info(python)["version"]
