"""The bubblewrap sandbox: isolation, limits and clear stop reasons for hostile code."""

from __future__ import annotations

import json
import os
import resource
import socket
import sys
from pathlib import Path

import pytest

from benchmarks._hostile_sandbox import ESCAPE_CALLS, escape_probe, scratch_flood
from learnware_core.runtime import sandbox as sandbox_module
from learnware_core.runtime import seccomp
from learnware_core.runtime._capture import BoundedBuffer
from learnware_core.runtime.environment import Environment
from learnware_core.runtime.errors import SandboxUnavailableError
from learnware_core.runtime.sandbox import (
    Bind,
    SandboxLimits,
    SandboxResult,
    run_sandboxed,
    sandbox_available,
)

pytestmark = pytest.mark.skipif(
    not sandbox_available(), reason="bubblewrap cannot create namespaces here"
)

FAST = SandboxLimits(cpu_seconds=5, wall_seconds=20, memory_bytes=1 << 30)


def _run(
    code: str,
    scratch: Path,
    *,
    limits: SandboxLimits = FAST,
    binds: tuple[Bind, ...] = (),
    **kwargs: object,
) -> SandboxResult:
    scratch.mkdir(exist_ok=True)
    return run_sandboxed(
        [sys.executable, "-I", "-c", code],
        scratch_dir=scratch,
        binds=[*Environment.current().binds, *binds],
        limits=limits,
        **kwargs,  # type: ignore[arg-type]
    )


def _assert_next_run_works(tmp_path: Path) -> None:
    result = _run("print('fine')", tmp_path / "next")
    assert result.ok, result
    assert result.stdout == "fine\n"


def test_run_sandboxed_runs_python_as_non_root(tmp_path: Path) -> None:
    result = _run("import os; print(os.getuid(), os.getgid(), os.getcwd())", tmp_path)

    assert result.ok, result.stderr
    uid, gid, cwd = result.stdout.split()
    assert int(uid) != 0
    assert int(gid) != 0
    assert cwd == str(tmp_path)
    assert result.sandboxed


def test_run_sandboxed_blocks_network(tmp_path: Path) -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    code = f"""
import socket
for host, port in [("127.0.0.1", {port}), ("1.1.1.1", 80), ("pypi.org", 443)]:
    try:
        socket.create_connection((host, port), timeout=3).close()
        print("CONNECTED", host)
    except OSError as exc:
        print("blocked", host, type(exc).__name__)
"""
    try:
        result = _run(code, tmp_path)
    finally:
        server.close()

    assert result.ok, result.stderr
    assert "CONNECTED" not in result.stdout
    assert result.stdout.count("blocked") == 3


def test_run_sandboxed_hides_server_files_and_environment(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DJANGO_SECRET_KEY", "server-secret-value")
    secret = tmp_path_factory.mktemp("outside") / "secret.txt"
    secret.write_text("top secret")
    secret.chmod(0o644)
    code = f"""
import json, os
seen = {{"env": dict(os.environ), "files": {{}}}}
for path in ["/etc/passwd", "/etc/shadow", "/etc/hostname", "{secret}", "/root/.bashrc",
             "/proc/1/environ", "/work/main/pyproject.toml"]:
    try:
        with open(path) as fh:
            seen["files"][path] = fh.read()
    except OSError as exc:
        seen["files"][path] = "ERR " + type(exc).__name__
print(json.dumps(seen))
"""
    result = _run(code, tmp_path / "scratch")

    assert result.ok, result.stderr
    seen = json.loads(result.stdout)
    assert "DJANGO_SECRET_KEY" not in seen["env"]
    assert "server-secret-value" not in result.stdout
    assert "top secret" not in result.stdout
    assert all(
        v.startswith("ERR ") for k, v in seen["files"].items() if k != "/proc/1/environ"
    )
    assert "server-secret-value" not in seen["files"]["/proc/1/environ"]


def test_run_sandboxed_blocks_writes_outside_scratch(tmp_path: Path) -> None:
    readonly = tmp_path / "package"
    readonly.mkdir()
    outside = tmp_path / "outside.txt"
    code = f"""
import os
targets = ["{readonly}/evil.py", "/usr/evil", "/evil", "{outside}", "{sys.prefix}/x"]
for path in targets:
    try:
        open(path, "w").write("x")
        print("WROTE", path)
    except OSError as exc:
        print("refused", path, type(exc).__name__)
open("own.txt", "w").write("mine")
print("scratch ok", open("own.txt").read())
"""
    result = _run(code, tmp_path / "scratch", binds=(Bind(readonly),))

    assert result.ok, result.stderr
    assert "WROTE" not in result.stdout
    assert result.stdout.count("refused") == 5
    assert "scratch ok mine" in result.stdout
    # the scratch is a tmpfs in the sandbox: nothing written reaches the host disk
    assert list((tmp_path / "scratch").iterdir()) == []
    assert not outside.exists()
    assert list(readonly.iterdir()) == []


def test_run_sandboxed_contains_fork_bomb(tmp_path: Path) -> None:
    limits = SandboxLimits(cpu_seconds=10, wall_seconds=15, max_processes=16)
    result = _run(
        "import os\nwhile True:\n    os.fork()", tmp_path / "s", limits=limits
    )

    assert not result.ok
    assert result.killed_reason == "process limit"
    assert result.duration < 15
    _assert_next_run_works(tmp_path)


def test_run_sandboxed_stops_huge_allocation(tmp_path: Path) -> None:
    result = _run("x = bytearray(50 * 2**30)", tmp_path / "s")

    assert result.killed_reason == "memory limit"
    assert "MemoryError" in result.stderr
    _assert_next_run_works(tmp_path)


def test_run_sandboxed_stops_infinite_loop_at_cpu_limit(tmp_path: Path) -> None:
    limits = SandboxLimits(cpu_seconds=1, wall_seconds=20)
    result = _run("while True:\n    pass", tmp_path / "s", limits=limits)

    assert result.killed_reason == "cpu time limit"
    assert not result.timed_out
    assert result.duration >= 0.9
    _assert_next_run_works(tmp_path)


def test_run_sandboxed_stops_sleeper_at_wall_time_limit(tmp_path: Path) -> None:
    limits = SandboxLimits(wall_seconds=1)
    result = _run("import time\ntime.sleep(60)", tmp_path / "s", limits=limits)

    assert result.timed_out
    assert result.killed_reason == "wall time limit"
    assert result.duration < 5
    _assert_next_run_works(tmp_path)


def test_run_sandboxed_stops_output_flood_with_bounded_memory(tmp_path: Path) -> None:
    limits = SandboxLimits(max_output_bytes=4 << 20, keep_output_bytes=4096)
    code = (
        "import sys\nfor _ in range(2**14):\n    sys.stdout.write('x' * 65536)"  # 1 GiB
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    result = _run(code, tmp_path / "s", limits=limits)

    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert result.killed_reason == "output limit"
    assert result.output_bytes < 8 << 20
    assert len(result.stdout) < 3 * 4096
    assert grown_kib < 64 * 1024
    _assert_next_run_works(tmp_path)


def test_run_sandboxed_reports_segfault_signal(tmp_path: Path) -> None:
    result = _run("import ctypes\nctypes.string_at(0)", tmp_path / "s")

    assert result.signal == 11
    assert result.returncode is None
    assert result.killed_reason == "crashed (SIGSEGV)"
    _assert_next_run_works(tmp_path)


def test_run_sandboxed_stops_file_bigger_than_limit(tmp_path: Path) -> None:
    limits = SandboxLimits(max_file_bytes=1 << 20)
    code = "open('big.bin', 'wb').write(b'x' * (8 << 20))"
    result = _run(code, tmp_path / "s", limits=limits)

    assert result.killed_reason == "file size limit"
    assert not (tmp_path / "s" / "big.bin").exists()


def test_run_sandboxed_kills_processes_left_behind(tmp_path: Path) -> None:
    code = """
import os, time
if os.fork() == 0:
    os.setsid()
    time.sleep(30)
    open("late.txt", "w").write("still alive")
print("parent done")
"""
    result = _run(code, tmp_path / "s")

    assert result.ok
    assert result.duration < 10
    assert not (tmp_path / "s" / "late.txt").exists()


def test_run_sandboxed_refuses_without_bwrap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox_module, "_probe", lambda privileged: "bwrap missing")

    with pytest.raises(SandboxUnavailableError, match="bwrap missing"):
        _run("print(1)", tmp_path / "s")
    allowed = _run("print(1)", tmp_path / "s", allow_unsandboxed=True)

    assert allowed.ok
    assert not allowed.sandboxed


def test_run_sandboxed_passes_only_minimal_environment(tmp_path: Path) -> None:
    result = _run(
        "import os, json; print(json.dumps(dict(os.environ)))",
        tmp_path / "s",
        env={"EXTRA": "1"},
    )

    env = json.loads(result.stdout)
    assert env["EXTRA"] == "1"
    assert env["HOME"] == str(tmp_path / "s")
    assert set(env) <= {
        "EXTRA", "HOME", "PATH", "TMPDIR", "LANG", "PWD", "PYTHONDONTWRITEBYTECODE",
        "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
    }  # fmt: skip
    assert os.environ.get("PATH") != env["PATH"] or env["PATH"] == "/usr/bin:/bin"


def test_bounded_buffer_keeps_head_and_tail() -> None:
    buffer = BoundedBuffer(keep=4)
    for chunk in (b"abc", b"defgh", b"ijklmnop"):
        buffer.write(chunk)

    assert buffer.total == 16
    assert buffer.text() == "abcd\n[... 8 bytes omitted ...]\nmnop"


def test_bounded_buffer_returns_short_output_whole() -> None:
    buffer = BoundedBuffer(keep=8)
    buffer.write(b"hello")

    assert buffer.text() == "hello"


# ------------------------------------------------------------------ hardening
def _syscall(name: str) -> int:
    """This architecture's number of a system call (libseccomp knows them all)."""
    return int(seccomp._library().seccomp_syscall_resolve_name(name.encode()))


def test_run_sandboxed_allows_no_new_namespaces_or_mounts(tmp_path: Path) -> None:
    result = _run(escape_probe(_syscall), tmp_path / "s")

    assert result.ok, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "unshare 1  unshare: unshare failed: Operation not permitted"
    ), lines[0]
    assert len(lines) == 2 + len(ESCAPE_CALLS)
    for line in lines[1:-1]:
        assert line.endswith(" -1 Operation not permitted"), line
    assert lines[-1] == "thread ok"  # clone without namespace flags still works


def test_run_sandboxed_scratch_has_a_quota_off_the_host_disk(tmp_path: Path) -> None:
    limits = SandboxLimits(scratch_bytes=8 << 20, tmp_bytes=4 << 20)
    code = scratch_flood(64 << 20)
    result = _run(code, tmp_path / "s", limits=limits)

    assert result.ok, result.stderr
    assert result.stdout.splitlines() == [
        "big.bin 8 ENOSPC",
        "/tmp/big.bin 4 ENOSPC",
        "/dev/shm/big.bin 4 ENOSPC",
    ]
    assert list((tmp_path / "s").iterdir()) == []


def test_run_sandboxed_shows_only_the_system_parts_python_needs(
    tmp_path: Path,
) -> None:
    code = """
import json, os
for path in ("/usr/local", "/usr/share/doc", "/usr/include", "/usr/src", "/etc/passwd"):
    print(path, os.path.exists(path))
print(json.dumps(sorted(os.listdir("/usr"))))
"""
    result = _run(code, tmp_path / "s")

    assert result.ok, result.stderr
    shown = result.stdout.splitlines()
    assert shown[:5] == [
        "/usr/local False",
        "/usr/share/doc False",
        "/usr/include False",
        "/usr/src False",
        "/etc/passwd False",
    ]
    assert set(json.loads(shown[5])) <= {
        "bin", "sbin", "lib", "lib32", "lib64", "libx32", "share",
    }  # fmt: skip


def test_run_sandboxed_result_pipe_is_bounded(tmp_path: Path) -> None:
    code = """
import os
fd = int(os.environ["BMW_RESULT_FD"])
os.write(fd, b"answer:" + os.environ.get("N", "").encode())
"""
    result = _run(code, tmp_path / "s", result_bytes=100, env={"N": "42"})

    assert result.ok, result.stderr
    assert result.result == b"answer:42"
    flood = _run(
        "import os; os.write(int(os.environ['BMW_RESULT_FD']), b'x' * 5000)",
        tmp_path / "t",
        result_bytes=100,
    )
    assert flood.killed_reason == "output limit"
    assert len(flood.result) == 100
