"""Static scan of the pickles in a learnware package, with picklescan. Never unpickles.

Every file of the package is looked at, whatever its name (the original learnware
format lets ``__init__.py`` load a model from any file): it is scanned if its content
is a pickle (the protocol 2-5 header ``\\x80 <2..5>``), a zip (PyTorch ``.pt``/``.pth``
archives, ``.npz``), a NumPy ``.npy`` of objects, a legacy PyTorch file, a joblib file
compressed with zlib, gzip, bz2, xz or lzma, or if its name ends in ``.pkl``,
``.pickle`` or ``.joblib`` (protocol 0 and 1 pickles have no header). Any other file
up to :data:`SNIFF_LIMIT` bytes is scanned if it parses completely as pickles.

`picklescan <https://github.com/mmaitre314/picklescan>`_ lists the globals (imports)
each pickle refers to and rates them: ``dangerous`` (``os``/``posix``, ``subprocess``,
``builtins.eval`` ...), ``innocuous`` (``numpy.ndarray`` ...) or ``suspicious``
(anything it does not know). That rating is a deny-list, so it is not the verdict
here: every global must be on the **allow-list** of
:mod:`learnware_core.pickle_allowlist` (model-library classes, NumPy/PyTorch
rebuilders, harmless builtins, the package's own classes), and any other one is
reported ``dangerous`` (e.g. ``multiprocessing.util.spawnv_passfds``, which
picklescan only calls suspicious). Allowed globals keep picklescan's rating:
``suspicious`` ones (scikit-learn, PyTorch classes ...) are listed for reviewers.

Two things picklescan alone does not see are handled here:

* joblib writes NumPy array data *between* the pickle opcodes (after each
  ``NumpyArrayWrapper``), which stops picklescan at the first array. The stream is
  walked symbolically (nothing is imported or called) to skip exactly the bytes
  joblib's loader reads as array data; the remaining opcodes are scanned, object
  arrays' nested pickles separately, and so is the file as plain ``pickle.load``
  would read it. Both views' globals are reported.
* a pickle that does not parse to its end (truncated, corrupt, trailing data) is an
  error here; picklescan would report no globals for a file that breaks before the
  first one.
"""

from __future__ import annotations

import bz2
import contextlib
import importlib.metadata
import io
import lzma
import pickle
import pickletools
import tempfile
import zlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import numpy as np
from picklescan import scanner as _picklescan  # type: ignore[import-untyped]

from learnware_core.pickle_allowlist import refusal

__all__ = [
    "SEVERITIES",
    "SNIFF_LIMIT",
    "PickleFile",
    "PickleFinding",
    "PickleScanReport",
    "package_modules",
    "scan_file",
    "scan_files",
]

#: Ratings, most severe first (picklescan's ``SafetyLevel`` values).
SEVERITIES: tuple[str, ...] = ("dangerous", "suspicious", "innocuous")
#: Files with no pickle header or extension are tried only up to this size.
SNIFF_LIMIT = 64 << 20
#: A compressed pickle may not decompress to more than this.
MAX_DECOMPRESSED = 2 << 30
#: At most this many findings and files are kept in a report (dangerous first).
MAX_ENTRIES = 500

_PICKLE_NAMES = (".pkl", ".pickle", ".joblib")
_TORCH_NAMES = (".pt", ".pth", ".bin", ".ckpt")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_7Z_MAGIC = b"7z\xbc\xaf\x27\x1c"
_NUMPY_MAGIC = b"\x93NUMPY"
_TORCH_LEGACY_MAGIC = pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2)[:-1]
_JOBLIB_WRAPPER = ("joblib.numpy_pickle", "NumpyArrayWrapper")
_SPOOL_BYTES = 64 << 20
_CHUNK = 1 << 20


def _is_pickle_header(head: bytes) -> bool:
    return len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5


@dataclass(frozen=True)
class PickleFinding:
    """One global a pickle refers to.

    Attributes
    ----------
    file : str
        Path in the package.
    module, name : str
        The global, e.g. ``posix`` and ``system``.
    severity : str
        ``dangerous``, ``suspicious`` or ``innocuous``.
    """

    file: str
    module: str
    name: str
    severity: str

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass(frozen=True)
class PickleFile:
    """A scanned file: its format and, if it could not be scanned completely, why."""

    file: str
    format: str
    error: str = ""


@dataclass(frozen=True)
class PickleScanReport:
    """The scan of a package's files."""

    files: tuple[PickleFile, ...] = ()
    findings: tuple[PickleFinding, ...] = ()
    truncated: bool = False
    scanner: str = field(default_factory=lambda: _scanner_version())

    @property
    def dangerous(self) -> tuple[PickleFinding, ...]:
        return tuple(f for f in self.findings if f.severity == "dangerous")

    @property
    def errors(self) -> tuple[PickleFile, ...]:
        return tuple(f for f in self.files if f.error)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``scanner``, ``files``, ``findings``, ``truncated``."""
        return {
            "scanner": self.scanner,
            "files": [
                {"file": f.file, "format": f.format, "error": f.error}
                for f in self.files
            ],
            "findings": [
                {
                    "file": f.file,
                    "module": f.module,
                    "name": f.name,
                    "severity": f.severity,
                }
                for f in self.findings
            ],
            "truncated": self.truncated,
        }


def _scanner_version() -> str:
    try:
        return f"picklescan {importlib.metadata.version('picklescan')}"
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "picklescan"


def scan_files(
    root: str | Path, files: Iterable[str] | None = None
) -> PickleScanReport:
    """Scan ``files`` (paths relative to ``root``; default: every file under it).

    Returns
    -------
    report : PickleScanReport
        Files that hold no pickle are not listed. Findings are sorted by severity
        (dangerous first), then file and global; at most :data:`MAX_ENTRIES` of each
        are kept (``truncated`` says so).
    """
    base = Path(root)
    names = (
        sorted(files)
        if files is not None
        else sorted(
            p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()
        )
    )
    scanned: list[PickleFile] = []
    findings: list[PickleFinding] = []
    local = package_modules(names)
    for name in names:
        outcome = scan_file(base / name, name, local_modules=local)
        if outcome is not None:
            scanned.append(outcome[0])
            findings.extend(outcome[1])
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (rank.get(f.severity, 0), f.file, f.module, f.name))
    scanned.sort(key=lambda f: (not f.error, f.file))
    truncated = len(findings) > MAX_ENTRIES or len(scanned) > MAX_ENTRIES
    return PickleScanReport(
        files=tuple(scanned[:MAX_ENTRIES]),
        findings=tuple(findings[:MAX_ENTRIES]),
        truncated=truncated,
    )


def scan_file(
    path: str | Path,
    name: str | None = None,
    *,
    local_modules: Collection[str] = (),
) -> tuple[PickleFile, list[PickleFinding]] | None:
    """Scan one file; None if it holds no pickle.

    Every global not on the allow-list (:func:`~learnware_core.pickle_allowlist.
    refusal`) is rated ``dangerous``, whatever picklescan says of it.

    Parameters
    ----------
    path : path
    name : str, optional
        The name reported (default: ``path``).
    local_modules : collection of str, optional
        Top-level modules the package provides (:func:`package_modules`).
    """
    outcome = _scan_file(Path(path), name)
    if outcome is None:
        return None
    scanned, findings = outcome
    return scanned, [_rated(f, local_modules) for f in findings]


def package_modules(files: Iterable[str]) -> frozenset[str]:
    """Top-level module names a package's files provide (``model.py`` -> ``model``,
    ``nets/`` -> ``nets``)."""
    names = set()
    for file in files:
        first, _, rest = file.partition("/")
        if rest:
            names.add(first)
        elif first.endswith(".py"):
            names.add(first[:-3])
    return frozenset(n for n in names if n.isidentifier())


def _rated(finding: PickleFinding, local_modules: Collection[str]) -> PickleFinding:
    """``dangerous`` unless the global is on the allow-list; else picklescan's
    rating (``innocuous``, or ``suspicious``: allowed, listed for reviewers)."""
    if finding.severity == "dangerous":
        return finding
    if refusal(finding.module, finding.name, local_modules) is None:
        return finding
    return replace(finding, severity="dangerous")


def _scan_file(
    path: Path, name: str | None
) -> tuple[PickleFile, list[PickleFinding]] | None:
    label = name if name is not None else str(path)
    suffix = path.suffix.lower()
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(16)
        fh.seek(0)
        if head.startswith(_ZIP_MAGIC):
            fmt = "pytorch" if suffix in _TORCH_NAMES else "zip"
            return _with_picklescan(
                fh, label, fmt, suffix or ".zip", empty_is_none=True
            )
        if head.startswith(_7Z_MAGIC):
            return PickleFile(label, "7z", "7z archives cannot be scanned"), []
        if head.startswith(_NUMPY_MAGIC):
            if not _npy_holds_objects(fh):
                return None  # plain numbers: no pickle inside
            return _with_picklescan(fh, label, "numpy", ".npy")
        if head.startswith(_TORCH_LEGACY_MAGIC):
            return _with_picklescan(fh, label, "pytorch", ".pt")
        compression = _compression(head)
        if compression is not None and _decompressed_head(fh, compression):
            try:
                with _decompressed(fh, compression) as (plain, plain_size):
                    return _scan_pickle(plain, plain_size, label, compression)
            except _ScanError as exc:
                return PickleFile(label, f"pickle+{compression}", str(exc)), []
        if _is_pickle_header(head) or suffix in _PICKLE_NAMES:
            return _scan_pickle(fh, size, label)
        if 0 < size <= SNIFF_LIMIT:
            try:
                _walk(fh, size)
            except _ScanError:
                return None
            return _scan_pickle(fh, size, label)
    return None


def _npy_holds_objects(fh: IO[bytes]) -> bool:
    """Whether a ``.npy`` file's array holds objects (pickled); True if unreadable."""
    try:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            _, _, dtype = np.lib.format.read_array_header_1_0(fh)
        else:
            _, _, dtype = np.lib.format.read_array_header_2_0(fh)
        return bool(dtype.hasobject)
    except (ValueError, TypeError, SyntaxError, OSError):
        return True
    finally:
        fh.seek(0)


# ------------------------------------------------------------------ picklescan views
def _findings(result: Any, label: str) -> list[PickleFinding]:
    return [
        PickleFinding(label, str(g.module), str(g.name), str(g.safety.value))
        for g in result.globals
    ]


def _with_picklescan(
    fh: IO[bytes], label: str, fmt: str, suffix: str, *, empty_is_none: bool = False
) -> tuple[PickleFile, list[PickleFinding]] | None:
    """Formats picklescan reads itself (zip, NumPy, PyTorch)."""
    try:
        result = _picklescan.scan_bytes(fh, label, suffix)
    except Exception as exc:  # any failure is a scan error
        return PickleFile(label, fmt, f"could not be scanned: {exc}"), []
    if empty_is_none and not (
        result.globals or result.scan_err or result.scanned_files
    ):
        return None  # a zip without pickles
    error = "picklescan could not parse it" if result.scan_err else ""
    return PickleFile(label, fmt, error), _unique(_findings(result, label))


def _scan_pickle(
    fh: IO[bytes], size: int, label: str, compression: str = ""
) -> tuple[PickleFile, list[PickleFinding]]:
    """A pickle stream: walk it (joblib arrays, integrity), then picklescan it.

    Each pickle of the stream is scanned on its own (picklescan would carry one
    pickle's memo into the next). The format is ``pickle`` or ``joblib`` (array data
    between the opcodes), with ``+<compression>`` if it was compressed.
    """
    fmt = "pickle"
    try:
        walk = _walk(fh, size)
    except _ScanError as exc:
        # Not a valid pickle: report what picklescan finds before the break too.
        found: list[PickleFinding] = []
        with contextlib.suppress(Exception):
            fh.seek(0)
            found = _findings(_picklescan.scan_pickle_bytes(fh, label), label)
        fmt = f"{fmt}+{compression}" if compression else fmt
        return PickleFile(label, fmt, f"not a valid pickle: {exc}"), _unique(found)
    views: list[tuple[IO[bytes], bool]] = []  # (stream at its start, must parse)
    for start, end in walk.pickles:
        inner = [r for r in walk.skipped if start <= r[0] < end]
        if not inner:
            fh.seek(start)
            views.append((fh, True))
            continue
        fmt = "joblib"
        # As joblib reads it: the opcodes without the array data ...
        views.append((io.BytesIO(_without(fh, start, end, inner)), True))
        # ... and as pickle.load would: up to the first array's data, where it fails.
        fh.seek(start)
        views.append((fh, False))
    for start, end in walk.nested:  # object arrays: nested pickles
        views.append((io.BytesIO(_read_range(fh, start, end)), True))
    findings: list[PickleFinding] = []
    error = ""
    for stream, must_parse in views:
        position = stream.tell()
        try:
            result = _picklescan.scan_pickle_bytes(
                stream, label, multiple_pickles=False
            )
        except Exception as exc:  # any failure is a scan error
            error = error or f"could not be scanned: {exc}"
            continue
        finally:
            stream.seek(position)
        findings += _findings(result, label)
        if must_parse and result.scan_err:
            error = error or "picklescan could not parse it"
    if compression:
        fmt = f"{fmt}+{compression}"
    return PickleFile(label, fmt, error), _unique(findings)


def _unique(findings: list[PickleFinding]) -> list[PickleFinding]:
    return list(dict.fromkeys(findings))


def _read_range(fh: IO[bytes], start: int, end: int) -> bytes:
    fh.seek(start)
    return fh.read(end - start)


def _without(
    fh: IO[bytes], start: int, end: int, ranges: list[tuple[int, int]]
) -> bytes:
    """The bytes from ``start`` to ``end`` outside ``ranges`` (sorted, disjoint)."""
    out = io.BytesIO()
    position = start
    for skip_start, skip_end in [*ranges, (end, end)]:
        out.write(_read_range(fh, position, skip_start))
        position = skip_end
    return out.getvalue()


# ------------------------------------------------------------------ compression
class _ScanError(Exception):
    pass


def _compression(head: bytes) -> str | None:
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if len(head) >= 2 and head[0] == 0x78 and int.from_bytes(head[:2], "big") % 31 == 0:
        return "zlib"
    if head.startswith(b"BZh"):
        return "bz2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"\x5d\x00\x00"):
        return "lzma"
    return None


def _decompressor(kind: str) -> Any:
    if kind == "gzip":
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if kind == "zlib":
        return zlib.decompressobj()
    if kind == "bz2":
        return bz2.BZ2Decompressor()
    return lzma.LZMADecompressor(lzma.FORMAT_XZ if kind == "xz" else lzma.FORMAT_ALONE)


def _chunks(fh: IO[bytes], kind: str, limit: int) -> Iterator[bytes]:
    """Decompressed pieces of ``fh`` (at most ``limit`` bytes; raises beyond)."""
    fh.seek(0)
    engine = _decompressor(kind)
    total = 0
    finished = False
    zlib_like = kind in ("gzip", "zlib")
    while not finished:
        data = fh.read(_CHUNK)
        if not data:
            break
        while True:
            piece = engine.decompress(data, _CHUNK)
            total += len(piece)
            if total > limit:
                raise _ScanError(f"decompresses to more than {limit:,} bytes")
            if piece:
                yield piece
            finished = bool(engine.eof)
            if zlib_like:
                data = engine.unconsumed_tail
                if finished or not data:
                    break
            else:
                data = b""
                if finished or engine.needs_input:
                    break
    if not finished:
        raise _ScanError(f"the {kind} stream is truncated")


def _decompressed_head(fh: IO[bytes], kind: str) -> bool:
    """Whether ``fh`` decompresses to something starting like a pickle."""
    head = b""
    try:
        for piece in _chunks(fh, kind, MAX_DECOMPRESSED):
            head += piece
            if len(head) >= 2:
                break
    except (_ScanError, zlib.error, OSError, EOFError, lzma.LZMAError):
        pass
    fh.seek(0)
    return _is_pickle_header(head)


@contextlib.contextmanager
def _decompressed(fh: IO[bytes], kind: str) -> Iterator[tuple[IO[bytes], int]]:
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as out:
        try:
            for piece in _chunks(fh, kind, MAX_DECOMPRESSED):
                out.write(piece)
        except (zlib.error, OSError, EOFError, lzma.LZMAError) as exc:
            raise _ScanError(f"corrupt {kind} data: {exc}") from exc
        size = out.tell()
        out.seek(0)
        yield out, size


# ------------------------------------------------------------------ symbolic walk
@dataclass(eq=False)
class _Global:
    module: str
    name: str


@dataclass(eq=False)
class _Object:
    factory: Any
    args: Any
    state: Any = None


class _Opaque:
    """A value the walk does not track."""


class _Mark:
    pass


_MARK = _Mark()


@dataclass
class _Walk:
    skipped: list[tuple[int, int]] = field(default_factory=list)
    nested: list[tuple[int, int]] = field(default_factory=list)
    pickles: list[tuple[int, int]] = field(default_factory=list)


_LITERALS = frozenset(
    {
        "INT", "BININT", "BININT1", "BININT2", "LONG", "LONG1", "LONG4",
        "FLOAT", "BINFLOAT", "STRING", "BINSTRING", "SHORT_BINSTRING",
        "UNICODE", "SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8",
        "BINBYTES", "SHORT_BINBYTES", "BINBYTES8", "BYTEARRAY8",
    }
)  # fmt: skip
_CONSTANTS = {"NONE": None, "NEWTRUE": True, "NEWFALSE": False}
_OPCODES = {op.name: op for op in pickletools.opcodes}


def _walk(fh: IO[bytes], size: int) -> _Walk:
    """Parse every pickle in ``fh`` without running it; raise :class:`_ScanError`.

    Tracks literals, containers, globals and calls symbolically, just enough to read
    joblib's array wrappers, and records the byte ranges joblib reads as array data.
    """
    walk = _Walk()
    fh.seek(0)
    if size <= 0:
        raise _ScanError("empty file")
    while (start := fh.tell()) < size:
        _walk_one(fh, size, walk)
        walk.pickles.append((start, fh.tell()))
    return walk


def _walk_one(fh: IO[bytes], size: int, walk: _Walk, *, joblib: bool = True) -> None:
    """One pickle, up to its STOP; ``joblib``: skip array data after wrappers."""
    stack: list[Any] = []
    memo: dict[int, Any] = {}

    def pop() -> Any:
        if not stack or stack[-1] is _MARK:
            raise _ScanError("stack underflow")
        return stack.pop()

    def top() -> Any:
        if not stack or stack[-1] is _MARK:
            raise _ScanError("stack underflow")
        return stack[-1]

    def pop_mark() -> list[Any]:
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] is _MARK:
                items = stack[i + 1 :]
                del stack[i:]
                return items
        raise _ScanError("no MARK on the stack")

    def step(name: str, arg: Any) -> Any:
        if name in _LITERALS:
            small = not isinstance(arg, bytes | bytearray) or len(arg) <= 256
            stack.append(arg if small else _Opaque())
        elif name in _CONSTANTS:
            stack.append(_CONSTANTS[name])
        elif name in ("PROTO", "FRAME"):
            pass
        elif name == "MARK":
            stack.append(_MARK)
        elif name == "EMPTY_TUPLE":
            stack.append(())
        elif name in ("TUPLE1", "TUPLE2", "TUPLE3"):
            n = int(name[-1])
            items = [pop() for _ in range(n)][::-1]
            stack.append(tuple(items))
        elif name == "TUPLE":
            stack.append(tuple(pop_mark()))
        elif name == "EMPTY_LIST":
            stack.append([])
        elif name == "LIST":
            stack.append(pop_mark())
        elif name == "APPEND":
            value = pop()
            target = top()
            if isinstance(target, list):
                target.append(value)
        elif name == "APPENDS":
            values = pop_mark()
            target = top()
            if isinstance(target, list):
                target.extend(values)
        elif name == "EMPTY_DICT":
            stack.append({})
        elif name == "DICT":
            items = pop_mark()
            stack.append(_to_dict(items))
        elif name == "SETITEM":
            value, key = pop(), pop()
            _set_items(top(), [key, value])
        elif name == "SETITEMS":
            items = pop_mark()
            _set_items(top(), items)
        elif name == "GLOBAL":
            module, _, attr = str(arg).partition(" ")
            stack.append(_Global(module, attr))
        elif name == "STACK_GLOBAL":
            attr, module = pop(), pop()
            stack.append(_Global(str(module), str(attr)))
        elif name in ("REDUCE", "NEWOBJ"):
            args = pop()
            stack.append(_Object(pop(), args))
        elif name == "NEWOBJ_EX":
            pop()
            args = pop()
            stack.append(_Object(pop(), args))
        elif name == "BUILD":
            state = pop()
            target = top()
            if isinstance(target, _Object):
                target.state = state
                factory = target.factory
                if (
                    joblib
                    and isinstance(factory, _Global)
                    and (factory.module, factory.name) == _JOBLIB_WRAPPER
                ):
                    return target
        elif name in ("PUT", "BINPUT", "LONG_BINPUT"):
            memo[int(arg)] = top()
        elif name == "MEMOIZE":
            memo[len(memo)] = top()
        elif name in ("GET", "BINGET", "LONG_BINGET"):
            if int(arg) not in memo:
                raise _ScanError(f"memo key {arg} was never stored")
            stack.append(memo[int(arg)])
        elif name == "POP":
            if not stack:
                raise _ScanError("stack underflow")
            stack.pop()
        elif name == "POP_MARK":
            pop_mark()
        elif name == "DUP":
            stack.append(top())
        else:  # by pickletools' stack effects: PERSID, EXT*, sets, OBJ, INST, buffers
            op = _OPCODES[name]
            before = list(op.stack_before)
            if pickletools.markobject in before:
                pop_mark()
                before = before[: before.index(pickletools.markobject)]
            for _ in before:
                pop()
            stack.extend(_Opaque() for _ in op.stack_after)
        return None

    while True:
        wrapper = None
        try:
            for op, arg, _pos in pickletools.genops(fh):
                if op.name == "STOP":
                    pop()  # pickle.load returns the top value, ignores the rest
                    return
                wrapper = step(op.name, arg)
                if wrapper is not None:
                    break
        except _ScanError as exc:
            raise _ScanError(f"at byte {fh.tell()}: {exc}") from None
        except Exception as exc:  # genops' ValueError, readers' errors
            raise _ScanError(str(exc) or type(exc).__name__) from None
        if wrapper is None:  # pragma: no cover - genops raises without STOP
            raise _ScanError("pickle exhausted before STOP")
        _skip_array(fh, size, wrapper.state, walk)


def _to_dict(items: list[Any]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    _set_items(out, items)
    return out


def _set_items(target: Any, items: list[Any]) -> None:
    if len(items) % 2:
        raise _ScanError("odd number of items for a dict")
    if not isinstance(target, dict):
        return
    for key, value in zip(items[::2], items[1::2], strict=True):
        with contextlib.suppress(TypeError):  # unhashable keys are not needed
            target[key] = value


def _skip_array(fh: IO[bytes], size: int, state: Any, walk: _Walk) -> None:
    """Skip the data joblib writes after a ``NumpyArrayWrapper``, as joblib reads it."""
    start = fh.tell()
    if not isinstance(state, dict):
        raise _ScanError(f"at byte {start}: joblib array wrapper without a state dict")
    shape, dtype = state.get("shape"), state.get("dtype")
    if not isinstance(shape, tuple) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape
    ):
        raise _ScanError(f"at byte {start}: joblib array with an unreadable shape")
    itemsize, has_objects = _dtype_layout(dtype, start)
    if has_objects:  # a nested pickle, read by a plain unpickler
        _walk_one(fh, size, walk, joblib=False)
        walk.nested.append((start, fh.tell()))
        walk.skipped.append((start, fh.tell()))
        return
    if state.get("numpy_array_alignment_bytes") is not None:
        padding = fh.read(1)
        if not padding:
            raise _ScanError(f"at byte {start}: joblib array padding missing")
        fh.seek(padding[0], io.SEEK_CUR)
    count = 1
    for n in shape:
        count *= n
    end = fh.tell() + count * itemsize
    if end > size:
        raise _ScanError(f"at byte {start}: joblib array data runs past the end")
    fh.seek(end)
    walk.skipped.append((start, end))


def _dtype_layout(dtype: Any, position: int) -> tuple[int, bool]:
    """(item size, holds objects) of a pickled ``numpy.dtype``, read statically."""
    if not (
        isinstance(dtype, _Object)
        and isinstance(dtype.factory, _Global)
        and dtype.factory.module == "numpy"
        and dtype.factory.name == "dtype"
        and isinstance(dtype.args, tuple)
        and dtype.args
        and isinstance(dtype.args[0], str)
    ):
        raise _ScanError(f"at byte {position}: joblib array with an unreadable dtype")
    descr = dtype.args[0]
    state = dtype.state if isinstance(dtype.state, tuple) else ()
    # numpy's dtype state: (version, byteorder, subarray, names, fields, elsize,
    # alignment, flags); flags bit 0 is "holds object references".
    flags = state[7] if len(state) > 7 and isinstance(state[7], int) else 0
    if descr.startswith("O") or flags & 1:
        return 0, True
    elsize = state[5] if len(state) > 5 and isinstance(state[5], int) else -1
    if elsize > 0:
        return elsize, False
    try:
        return int(np.dtype(descr).itemsize), False
    except TypeError as exc:
        raise _ScanError(f"at byte {position}: joblib array dtype {descr!r}") from exc
