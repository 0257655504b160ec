"""Which globals a learnware's pickle may refer to: an allow-list, nothing else.

A pickle can call any global it names, so :mod:`learnware_core.pickle_scan` fails
every global :func:`refusal` does not clear. Allowed are:

* exact names: harmless builtins (``set``, ``slice``, ``bytes`` ...), containers
  (``collections.OrderedDict`` ...), ``copyreg``'s reconstructors, ``_codecs.encode``,
  NumPy's and PyTorch's array/tensor rebuilders, joblib's array wrappers;
* NumPy's ufuncs, scalar types and pure functions (introspected: NumPy is always
  loaded here), never its file I/O (``load``, ``save*``, ``*txt``, ``fromfile``,
  ``memmap`` ...);
* **classes** and unpickling helpers (``__pyx_unpickle_*``, ``_rebuild*``,
  ``_unpickle*``, ``_new_*``, ``newObj`` ...) of the model libraries: scikit-learn,
  SciPy, LightGBM, XGBoost, CatBoost, pandas, pyarrow's arrays, PyTorch's
  ``nn``/``optim``/``distributions``, torchvision's models and transforms and the
  original ``learnware`` base classes; not in their testing, I/O, dataset,
  parallel, compilation or network sub-modules, and no class named like a file,
  stream, process, thread, socket, loader or library handle;
* the package's own code: ``__main__.<Class>`` (a pickle written by a training
  script), modules named ``learnware_*`` (how the dock's worker imports the
  package's files) and the package's own top-level modules when no installed
  module has that name.

Dotted names (``Outer.attr``, which pickle resolves attribute by attribute) are
never allowed: ``some_allowed_module.os.system`` would reach anything.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import re
import sys
from collections.abc import Collection

import numpy as np

__all__ = ["refusal"]

_EXACT: dict[str, frozenset[str]] = {
    module: frozenset(names.split())
    for module, names in {
        "builtins": "set frozenset dict list tuple slice range complex bytearray "
        "bytes int float bool str object",
        "collections": "OrderedDict defaultdict deque Counter",
        "copyreg": "_reconstructor __newobj__ __newobj_ex__",
        "_codecs": "encode",
        "array": "array _array_reconstructor",
        "datetime": "date time datetime timedelta timezone",
        "decimal": "Decimal",
        "fractions": "Fraction",
        "uuid": "UUID",
        "functools": "partial",
        "re": "_compile",
        "numpy.core.multiarray": "_reconstruct scalar",
        "numpy._core.multiarray": "_reconstruct scalar",
        "numpy.core.numeric": "_frombuffer",
        "numpy._core.numeric": "_frombuffer",
        "numpy.ma.core": "_mareconstruct MaskedArray",
        "joblib.numpy_pickle": "NumpyArrayWrapper NDArrayWrapper ZNDArrayWrapper",
        "torch._tensor": "_rebuild_from_type_v2",
        "torch.storage": "UntypedStorage TypedStorage _TypedStorage",
        "torch.nn.parameter": "Parameter Buffer UninitializedParameter "
        "UninitializedBuffer",
        "torch": "Size device dtype layout memory_format strided sparse_coo "
        "sparse_csr sparse_csc sparse_bsr sparse_bsc contiguous_format "
        "channels_last channels_last_3d preserve_format bool half double long short "
        "cfloat cdouble bfloat16 relu sigmoid tanh exp log sqrt abs sin cos "
        "softmax log_softmax flatten cat stack matmul",
        "pyarrow.lib": "_restore_array py_buffer type_for_alias",
    }.items()
}
_EXACT["__builtin__"] = _EXACT["builtins"]  # protocol 0-2 spelling
_TORCH_DTYPE = re.compile(r"^(float|int|uint|complex|qint|quint|float8_)\w*$")

#: Packages whose classes (and unpickling helpers) may appear, by module prefix.
_CLASS_PACKAGES = (
    "sklearn",
    "scipy",
    "lightgbm",
    "xgboost",
    "catboost",
    "pandas",
    "pyarrow.lib",
    "numpy.random",
    "numpy.dtypes",
    "torch.nn.modules",
    "torch.nn.utils.parametrizations",
    "torch.optim",
    "torch.distributions",
    "torchvision.models",
    "torchvision.transforms",
    "learnware.model",
)
#: Sub-modules (any dotted segment) never allowed, even of those packages.
_DENIED_SEGMENTS = frozenset(
    {
        "testing", "_testing", "tests", "test", "conftest", "io", "externals",
        "datasets", "parallel", "_joblib", "plotting", "computation", "_lib",
        "f2py", "distutils", "ctypeslib", "sql", "clipboard", "excel", "callback",
        "dask", "spark", "pyspark", "collective", "tracker", "federated", "hub",
        "jit", "fx", "_dynamo", "_inductor", "package", "serialization", "onnx",
        "cpp_extension", "multiprocessing", "distributed", "backends", "_C",
        "fs", "dataset", "parquet", "csv", "json", "feather", "orc", "flight",
        "cuda", "jvm", "hdfs", "utils._show_versions", "_config",
    }
)  # fmt: skip
#: Class names of things that touch files, processes, the network or libraries.
_DENIED_CLASS = re.compile(
    r"(File|Files|Stream|Writer|Reader|Store|Handler|Popen|Process|Pool|Thread|"
    r"Executor|Socket|Connection|Server|Client|Tracker|Loader|DLL|Library|Memory|"
    r"Memorized|Shell|Command|Importer|Finder|System|Path|Directory|Mmap|Memmap|"
    r"Session|Url|URL|Flight|Callable|CFunction|Capsule)$|Temporary|Subprocess|Spawn|"
    r"^_+[A-Z0-9_]+$"  # private constants (a loaded library handle such as _LIB)
)
_CLASS = re.compile(r"^_*[A-Z][A-Za-z0-9_]*$")
_HELPER = re.compile(
    r"^(__pyx_unpickle_\w+|_?_?unpickle\w*|_?_?reconstruct\w*|_?rebuild\w*|"
    r"_new_\w+|new_block\w*|newObj|__randomstate_ctor|__bit_generator_ctor|"
    r"__generator_ctor)$"
)
_NUMPY_DENIED = re.compile(
    r"load|save|txt|file|regex|dump|open|path|memmap|DataSource|show|info|lookfor|"
    r"source|who|test|"
    r"include|printoptions|seterr|bufsize|ctypes|exec"
)
#: Top-level names the package's own modules may not take.
_LIBRARIES = frozenset({"numpy", "torch", "learnware", "learnware_core", "joblib"})


def refusal(module: str, name: str, local_modules: Collection[str] = ()) -> str | None:
    """Why the global ``module.name`` is not allowed, or None if it is.

    Parameters
    ----------
    module, name : str
        As the pickle names them (``GLOBAL`` / ``STACK_GLOBAL``).
    local_modules : collection of str
        Top-level module names the package itself provides (its ``.py`` files and
        folders); see the module doc.
    """
    if "." in name or not name.isidentifier():
        return "a dotted or invalid name (pickle resolves it attribute by attribute)"
    if name in _EXACT.get(module, ()):
        return None
    if module == "torch" and (_TORCH_DTYPE.match(name) or name.endswith("Storage")):
        return None
    if module == "torch._utils" and name.startswith("_rebuild"):
        return None
    if module == "numpy":
        return None if _numpy_allowed(name) else "not an allowed NumPy name"
    if module.startswith("scipy.special") and not name.startswith("_"):
        return None if _segments_allowed(module) else "not allowed"
    if module == "__main__":
        if _CLASS.match(name) and _class_name_allowed(name):
            return None
        return "only classes of the training script (__main__) are allowed"
    if _is_local(module.partition(".")[0], local_modules):
        return None  # the package's own code, which runs when the model loads anyway
    if any(_within(module, package) for package in _CLASS_PACKAGES):
        if not _segments_allowed(module):
            return "a module of that library that is not allowed"
        if _HELPER.match(name):
            return None
        if _CLASS.match(name) and _class_name_allowed(name):
            return None
        return "only classes and unpickling helpers of that library are allowed"
    return "not on the allow-list"


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _segments_allowed(module: str) -> bool:
    parts = module.split(".")
    pairs = {".".join(parts[i : i + 2]) for i in range(len(parts) - 1)}
    return not (_DENIED_SEGMENTS & (set(parts) | pairs))


def _class_name_allowed(name: str) -> bool:
    return not _DENIED_CLASS.search(name)


def _is_local(top: str, local_modules: Collection[str]) -> bool:
    """Whether ``top`` is the package's own code (see the module doc)."""
    if top in _LIBRARIES or top in sys.stdlib_module_names:
        return False
    if top.startswith("learnware_"):
        return True  # the dock's worker imports the package's files as learnware_*
    return top in local_modules and not _installed(top)


@functools.cache
def _installed(top: str) -> bool:
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return True


@functools.cache
def _numpy_allowed(name: str) -> bool:
    """NumPy ufuncs, scalar/array types and pure functions; never its I/O."""
    if name.startswith("_") or _NUMPY_DENIED.search(name):
        return False
    value = getattr(np, name, None)
    if isinstance(value, np.ufunc):
        return True
    if inspect.isclass(value):
        return issubclass(value, np.generic | np.ndarray | np.dtype) and not (
            issubclass(value, np.memmap)
        )
    if callable(value) and not inspect.ismodule(value):
        return str(getattr(value, "__module__", "")).startswith("numpy")
    return False
