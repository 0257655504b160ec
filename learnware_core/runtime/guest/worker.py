"""Load a learnware's model and run one action; executed inside the sandbox.

Usage: ``python -I -B worker.py REQUEST.json``. The request (written by the dock)
names the package folder, the model entry point, the compatibility path and the
input file. Arrays cross the boundary as ``.npy`` (``allow_pickle=False``). The
result goes to the pipe named by ``$BMW_RESULT_FD`` (taken, and removed from the
environment, before the model loads): one JSON line of steps ``{name, status,
message, duration_s}`` (the layout of ``learnware_core.checks.CheckStepResult.
to_dict``; ``status`` is ``passed`` or ``failed``), the model's declared shapes and
``nbytes``, then that many bytes of ``.npy`` output. The dock accepts only its own
step names in order and quotes a traceback as labelled model output (see
``learnware_core.runtime.guest_report``). Exit status 0 if every step passed, else
1 (the traceback also goes to stderr so the sandbox can classify e.g. a
MemoryError).

The ``serve`` action keeps the model loaded and answers requests over stdin/stdout
until stdin closes (see :mod:`learnware_core.runtime.deployed`). Each message is
one JSON line with ``nbytes``, followed by that many bytes of ``.npy`` data. The
first message is the load report (``ready``); then each request
``{"method": "predict" | "predict_proba"}`` gets ``{"ok": true}`` + the output,
or ``{"ok": false, "error": traceback}`` and the loop goes on. The model's own
prints go to stderr, never into the protocol stream.

Fine-tuning: ``{"method": "finetune", "use": "auto" | "finetune" | "fit"}`` with
two ``.npy`` arrays (X, then y) calls the model's own ``finetune(X, y)`` (``auto``:
if it implements one, else its ``fit(X, y)``) and answers ``{"ok": true, "used":
name}``; the worker keeps serving the adapted model. ``{"method": "save",
"base_module": module file}`` pickles the adapted model *here*, with its own code,
and answers the pickle as the payload with the name under which ``base_module`` is
imported, which the pickle refers to. The dock copies the bytes into a new package
and never unpickles them.

Only the standard library and numpy are imported here: this file runs with the
learnware's interpreter, where ``learnware_core`` is not installed.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

_MESSAGE_CHARS = 3000


class _Failed(Exception):
    """A step failed; its message is already recorded."""


class _Steps:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def run(self, name: str, action: Callable[[], Any], message: str = "") -> Any:
        start = time.perf_counter()
        try:
            value = action()
        except BaseException as exc:
            text = traceback.format_exc()
            if len(text) > _MESSAGE_CHARS:
                text = "[...]\n" + text[-_MESSAGE_CHARS:]
            self._add(name, False, text, start)
            sys.stderr.write(text)
            raise _Failed(name) from exc
        self._add(name, True, message, start)
        return value

    def _add(self, name: str, ok: bool, message: str, start: float) -> None:
        duration = round(time.perf_counter() - start, 6)
        status = "passed" if ok else "failed"
        self.items.append(
            {"name": name, "status": status, "message": message, "duration_s": duration}
        )


def _decode(value: Any) -> Any:
    """Undo the dock's JSON encoding of tuples (``{"__tuple__": [...]}``)."""
    if isinstance(value, dict):
        if set(value) == {"__tuple__"}:
            return tuple(_decode(v) for v in value["__tuple__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _load_model(
    package_dir: Path, module_file: str, class_name: str, kwargs: Any
) -> Any:
    """Import the model module like the original does and instantiate the class."""
    path = (package_dir / module_file).resolve()
    if not path.is_relative_to(package_dir.resolve()):
        raise ValueError(f"model module {module_file!r} is outside the package")
    name = "learnware_" + re.sub(r"\W", "", str(path.relative_to(package_dir)))
    locations = [str(path.parent)] if path.name == "__init__.py" else None
    spec = importlib.util.spec_from_file_location(
        name, path, submodule_search_locations=locations
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {module_file!r}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # relative imports and pickles need it registered
    spec.loader.exec_module(module)
    cls = getattr(module, class_name)
    # pickles made in a script reference __main__.<ClassName>, as in the original
    setattr(sys.modules["__main__"], class_name, cls)
    return cls(**_decode(kwargs))


def _shape(value: Any) -> Any:
    if value is None:
        return None
    try:
        return [int(v) for v in value]
    except (TypeError, ValueError):
        return repr(value)[:200]


def _as_array(np: Any, value: Any) -> Any:
    """ndarray from a numpy/torch/list output; object arrays are refused."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu().numpy()
    array = np.asarray(value)
    if array.dtype.hasobject:
        raise TypeError("predict returned objects; expected a numeric array")
    return array


def fit_images(np: Any, X: Any, input_shape: Any) -> Any:
    """Resize (N, C, 32, 32) images to the model's (C, H, W) or (H, W, C) input_shape.

    Nearest-neighbour resizing and grey <-> RGB conversion, in plain numpy.
    """
    shape = tuple(int(v) for v in input_shape or ())
    if len(shape) == 2:
        shape = (1, *shape)
    if len(shape) != 3:
        raise ValueError(
            f"image models need input_shape (C, H, W) or (H, W, C), got {input_shape!r}"
        )
    last = shape[2] in (1, 3) and shape[0] not in (1, 3)
    channels, height, width = (shape[2], shape[0], shape[1]) if last else shape
    rows = np.arange(height) * X.shape[2] // height
    cols = np.arange(width) * X.shape[3] // width
    X = X[:, :, rows][:, :, :, cols]
    if X.shape[1] != channels:
        if channels == 1:
            X = X.mean(axis=1, keepdims=True)
        elif X.shape[1] == 1:
            X = np.repeat(X, channels, axis=1)
        else:
            raise ValueError(f"cannot turn {X.shape[1]}-channel images into {channels}")
    if last:
        X = X.transpose(0, 2, 3, 1)
    if len(tuple(input_shape)) == 2:
        X = X[:, 0]
    return np.ascontiguousarray(X, dtype=np.float32)


class _Channel:
    """The serve protocol over the original stdin/stdout (see the module doc)."""

    def __init__(self) -> None:
        # Keep the protocol streams private; the model sees /dev/null as stdin
        # and its prints to stdout land in stderr.
        self._in = os.fdopen(os.dup(0), "rb")
        self._out = os.fdopen(os.dup(1), "wb")
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.dup2(2, 1)

    def send(self, header: dict[str, Any], payload: bytes = b"") -> None:
        line = json.dumps({**header, "nbytes": len(payload)}).encode() + b"\n"
        self._out.write(line + payload)
        self._out.flush()

    def receive(self) -> tuple[dict[str, Any], bytes] | None:
        """The next request, or None once the dock closed stdin."""
        line = self._in.readline()
        if not line:
            return None
        header = json.loads(line)
        payload = self._in.read(int(header.get("nbytes", 0)))
        return header, payload


def _inner(model: Any) -> Any:
    """The adapted model inside a fine-tuned package's wrapper, else ``model``."""
    return model.model if getattr(type(model), "BMW_FINETUNED", False) else model


def _implements(model: Any, name: str) -> bool:
    """True if ``model`` has a method ``name`` other than ``BaseModel``'s stub."""
    method = getattr(type(model), name, None)
    if not callable(method):
        return False
    stub = getattr(method, "__qualname__", "") == f"BaseModel.{name}"
    return not (stub and getattr(method, "__module__", "").startswith("learnware."))


def _finetune(model: Any, X: Any, y: Any, use: Any) -> str:
    """Adapt the model with its own ``finetune`` (or ``fit``); return the name used."""
    if use not in ("auto", "finetune", "fit"):
        raise ValueError(f"unknown fine-tuning method {use!r}")
    target = _inner(model)
    names = ("finetune", "fit") if use == "auto" else (use,)
    for name in names:
        if _implements(target, name):
            getattr(target, name)(X, y)
            return name
    wanted = " or ".join(f"{name}(X, y)" for name in names)
    raise NotImplementedError(f"{type(target).__name__} does not implement {wanted}")


def _module_name(path: Path) -> str:
    """The ``sys.modules`` name under which the file ``path`` was imported."""
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and Path(file).resolve() == path:
            return name
    raise ImportError(f"{path.name} was not imported by the model")


def _save(
    model: Any, package_dir: Path, header: dict[str, Any]
) -> tuple[dict[str, Any], bytes]:
    """Pickle the adapted model (by its own code, here); the pickle is the payload."""
    import pickle

    name = _module_name((package_dir / header["base_module"]).resolve())
    data = pickle.dumps(_inner(model), protocol=pickle.DEFAULT_PROTOCOL)
    return {"module_name": name, "bytes": len(data)}, data


def _answer(
    np: Any, model: Any, package_dir: Path, header: dict[str, Any], payload: bytes
) -> tuple[dict[str, Any], bytes]:
    """Run one request; return the reply header and payload."""
    method = header.get("method")
    if method in ("predict", "predict_proba"):
        X = np.load(io.BytesIO(payload), allow_pickle=False)
        if X.dtype.kind == "U":
            X = X.tolist()  # text models take a list of str
        y = _as_array(np, getattr(model, method)(X))
        out = io.BytesIO()
        np.save(out, y, allow_pickle=False)
        return {"ok": True}, out.getvalue()
    if method == "finetune":
        stream = io.BytesIO(payload)
        X = np.load(stream, allow_pickle=False)
        y = np.load(stream, allow_pickle=False)
        if X.dtype.kind == "U":
            X = X.tolist()
        return {"ok": True, "used": _finetune(model, X, y, header.get("use"))}, b""
    if method == "save":
        reply, data = _save(model, package_dir, header)
        return {"ok": True, **reply}, data
    raise ValueError(f"unknown method {method!r}")


def _serve(np: Any, model: Any, channel: _Channel, package_dir: Path) -> int:
    """Answer requests until stdin closes."""
    while True:
        message = channel.receive()
        if message is None:
            return 0
        header, payload = message
        try:
            reply, data = _answer(np, model, package_dir, header, payload)
        except Exception:
            text = traceback.format_exc()
            if len(text) > _MESSAGE_CHARS:
                text = "[...]\n" + text[-_MESSAGE_CHARS:]
            sys.stderr.write(text)
            sys.stderr.flush()
            channel.send({"ok": False, "error": text})
            continue
        channel.send(reply, data)


def _result_pipe() -> Any:
    """The result pipe (``$BMW_RESULT_FD``), taken before any model code runs."""
    fd = os.environ.pop("BMW_RESULT_FD", None)
    if fd is None:
        raise SystemExit("worker: no result pipe (BMW_RESULT_FD)")
    return os.fdopen(int(fd), "wb")


def main(argv: list[str]) -> int:
    """Run the request in ``argv[1]``; return the exit status."""
    request = json.loads(Path(argv[1]).read_text())
    channel = _Channel() if request["action"] == "serve" else None
    results = _result_pipe() if channel is None else None
    output = b""
    sys.path.insert(0, request["compat_dir"])
    package_dir = Path(request["package_dir"])
    steps = _Steps()
    result: dict[str, Any] = {"steps": steps.items}
    try:
        np = steps.run("import numpy", lambda: importlib.import_module("numpy"))
        model = steps.run(
            "load model",
            lambda: _load_model(
                package_dir,
                request["module_file"],
                request["class_name"],
                request["kwargs"],
            ),
        )
        result["input_shape"] = _shape(getattr(model, "input_shape", None))
        result["output_shape"] = _shape(getattr(model, "output_shape", None))
        if request["action"] in ("predict", "check"):
            X = np.load(request["input"], allow_pickle=False)
            kind = request.get("input_kind", "table")
            if kind == "image":
                X = steps.run(
                    "fit images to input_shape",
                    lambda: fit_images(np, X, getattr(model, "input_shape", None)),
                )
            elif kind == "text":
                X = X.tolist()  # text models take a list of str
            y = steps.run("predict", lambda: _as_array(np, model.predict(X)))
            buffer = io.BytesIO()
            np.save(buffer, y, allow_pickle=False)
            output = buffer.getvalue()
        if channel is not None:
            has_proba = callable(getattr(model, "predict_proba", None))
            channel.send({**result, "ok": True, "has_proba": has_proba})
            return _serve(np, model, channel, package_dir)
    except _Failed:
        if channel is not None:
            channel.send({**result, "ok": False})
            return 1
    assert results is not None
    header = json.dumps({**result, "nbytes": len(output)}).encode()
    with results:
        results.write(header + b"\n" + output)
    return 0 if all(step["status"] == "passed" for step in steps.items) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
