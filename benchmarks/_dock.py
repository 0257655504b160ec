"""A throw-away dock for benchmarks: the embedded default in a temporary folder.

:meth:`Dock.start` runs the processes of the repository's ``Procfile`` (the ones
``make run`` starts under honcho), so a benchmark measures the worker layout that
production runs: each line ``name: command`` is split into words and its
``${VAR:-default}`` / ``${VAR}`` / ``$VAR`` expanded from the dock's environment, as
the shell honcho starts would. The web line binds ``${BMW_HOST}:${BMW_PORT}``, which
the dock sets to its own free port.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import requests

from benchmarks._shared import REPO

BIN = Path(sys.executable).parent
PROCFILE = REPO / "Procfile"
SEARCH = "search"  # the Procfile's search worker (``Dock.start(search=True)``)
BEAT = "beat"  # periodic jobs: left out unless asked (``Dock.start(beat=True)``)
HEALTHY_TIMEOUT_S = 120.0

_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+?)\s*$")  # honcho's Procfile line
_VARIABLE = re.compile(
    r"\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def read_procfile(path: Path = PROCFILE) -> dict[str, str]:
    """The Procfile's processes in file order: ``{name: command}`` (unexpanded).

    Blank lines and ``#`` comments are skipped; any other line that is not
    ``name: command`` raises ``ValueError``.
    """
    out: dict[str, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValueError(f"{path}:{number}: not 'name: command': {line!r}")
        out[match[1]] = match[2]
    return out


def expand(word: str, env: Mapping[str, str]) -> str:
    """``word`` with ``${VAR:-default}`` (``default`` when VAR is unset or empty),
    ``${VAR}`` and ``$VAR`` (empty when unset) replaced from ``env``, as sh does."""

    def value(match: re.Match[str]) -> str:
        name = match["braced"] or match["bare"]
        found = env.get(name, "")
        if match["default"] is not None and not found:
            return match["default"]
        return found

    expanded = _VARIABLE.sub(value, word)
    if "${" in expanded:
        raise ValueError(f"unsupported expansion in Procfile word {word!r}")
    return expanded


def command_argv(command: str, env: Mapping[str, str]) -> list[str]:
    """A Procfile command as argv: split into words, then each word expanded (a
    word that was only an expansion and came out empty is dropped, as in sh); the
    program is looked up on ``env["PATH"]``."""
    argv = []
    for word in shlex.split(command):
        expanded = expand(word, env)
        if expanded or _VARIABLE.fullmatch(word) is None:
            argv.append(expanded)
    if not argv:
        raise ValueError(f"empty Procfile command {command!r}")
    program = shutil.which(argv[0], path=env.get("PATH", os.defpath))
    if program is None:
        raise FileNotFoundError(f"{argv[0]!r} (Procfile) is not on the dock's PATH")
    return [program, *argv[1:]]


class Dock:
    """A dock on the embedded default in ``state``: the Procfile's processes."""

    def __init__(self, state: Path, *, redis_url: str = "") -> None:
        self.state = state
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="bmw.settings.base",
            DJANGO_SECRET_KEY="benchmark-only-secret-not-for-production-0123456789abcdef",
            BMW_STATE_DIR=str(state),
            BMW_ENV_CACHE_DIR=str(state / "envs"),  # empty: the first build is fresh
            BMW_HOST="127.0.0.1",  # the Procfile's web line binds these
            BMW_PORT=str(self.port),
            **({"REDIS_URL": redis_url} if redis_url else {}),
            PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            # The checkout this file belongs to, whatever the venv was installed from.
            PYTHONPATH=os.pathsep.join(
                p for p in (str(REPO), env.get("PYTHONPATH", "")) if p
            ),
        )
        self.env = env
        self.procs: list[subprocess.Popen[bytes]] = []
        self.names: list[str] = []

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"],
            cwd=REPO,
            env=self.env,
            check=True,
        )

    def processes(
        self, *, search: bool = False, beat: bool = False
    ) -> dict[str, list[str]]:
        """The Procfile's processes to start, ``{name: argv}``, expanded from
        ``self.env``: all but the search worker (unless ``search``) and beat
        (unless ``beat``)."""
        left_out = {
            name for name, wanted in ((SEARCH, search), (BEAT, beat)) if not wanted
        }
        return {
            name: command_argv(command, self.env)
            for name, command in read_procfile().items()
            if name not in left_out
        }

    def log(self, name: str) -> Path:
        """Where process ``name`` writes its output."""
        return self.state / "logs" / f"{name}.log"

    def start(self, *, search: bool = False, beat: bool = False) -> None:
        """Migrate, start the Procfile's processes (the search worker only with
        ``search``, beat only with ``beat``) and wait until ``/healthz`` is 200."""
        self.migrate()
        processes = self.processes(search=search, beat=beat)
        for name, argv in processes.items():
            path = self.log(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("ab") as log:  # the child keeps its own descriptor
                self.procs.append(
                    subprocess.Popen(
                        argv, cwd=REPO, env=self.env, stdout=log, stderr=log
                    )
                )
            self.names.append(name)
        problem = self._wait_healthy()
        if problem:
            self.stop()
            logs = f"{self.state / 'logs'}/{{{','.join(processes)}}}.log"
            raise RuntimeError(
                f"the dock did not become healthy ({problem}); see {logs}"
            )

    def _wait_healthy(self) -> str:
        """Poll ``/healthz`` until 200: "" then, else what went wrong."""
        deadline = time.monotonic() + HEALTHY_TIMEOUT_S
        while time.monotonic() < deadline:
            pairs = zip(self.names, self.procs, strict=True)
            exited = [name for name, proc in pairs if proc.poll() is not None]
            if exited:
                return f"{', '.join(exited)} exited"
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return ""
            except requests.RequestException:
                pass
            time.sleep(0.5)
        return f"no 200 from /healthz in {HEALTHY_TIMEOUT_S:g} s"

    def django(self) -> None:
        """Set Django up in this process, on the dock's database and storage."""
        os.environ.update(
            {k: self.env[k] for k in ("BMW_STATE_DIR", "DJANGO_SECRET_KEY")}
        )
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
        if "REDIS_URL" in self.env:
            os.environ["REDIS_URL"] = self.env["REDIS_URL"]
        os.environ["DJANGO_SETTINGS_MODULE"] = "bmw.settings.base"
        import django

        django.setup()

    def token(self, email: str = "bench@example.org", role: str | None = None) -> str:
        """Create a verified user (``role``: default the model's) and an API token
        directly in the dock's database."""
        self.django()
        from django.utils import timezone

        from accounts.models import User
        from accounts.services import api_token_create

        extra = {"role": role} if role else {}
        user = User.objects.create_user(
            email, "bench-password-1", email_verified_at=timezone.now(), **extra
        )
        return api_token_create(user=user, name="benchmark").token

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()
        self.names.clear()
