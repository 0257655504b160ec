"""Turn ``requirements.txt`` / ``environment.yaml`` into safe pip specifiers.

Only plain ``name[extras] <specifier> ; marker`` lines from the package index are
accepted. Editable installs, local paths, URLs, nested requirement files and index
options pointing at other hosts are refused, because they would make the dock fetch
or run code chosen by the uploader. ``learnware`` itself is dropped (the sandbox ships
a compatibility module) and ``numpy`` is always added (arrays cross the sandbox
boundary as ``.npy`` files).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from learnware_core.package.yaml_io import decode_utf8, load_yaml
from learnware_core.runtime.errors import RequirementsError

__all__ = [
    "ALWAYS_INSTALLED",
    "Requirements",
    "parse_conda_environment",
    "parse_requirements",
    "read_requirements",
]

#: Added to every environment: the in-sandbox worker exchanges arrays as ``.npy``.
ALWAYS_INSTALLED = ("numpy",)
#: Hosts whose index options are accepted (and dropped: the dock's own index is used).
DEFAULT_ALLOWED_INDEX_HOSTS = frozenset({"pypi.org", "pypi.python.org"})
_MAX_LINES = 500
_MAX_LINE = 500
_MAX_TEXT = 256 * 1024  # bytes of one requirements document
_INDEX_OPTIONS = ("-i", "--index-url", "--extra-index-url", "-f", "--find-links")
_REPLACED = frozenset({"learnware"})
# Conda packages that are part of a conda install, not libraries a model imports.
_CONDA_ONLY = frozenset(
    {
        "python", "pip", "setuptools", "wheel", "conda", "ca-certificates", "certifi",
        "openssl", "libffi", "ncurses", "readline", "sqlite", "tk", "xz", "zlib",
        "bzip2", "libgcc-ng", "libstdcxx-ng", "libgomp", "ld-impl-linux-64",
        "libgcc-mutex", "openmp-mutex", "tzdata", "libuuid", "libnsl", "libzlib",
        "mkl", "mkl-service", "intel-openmp", "blas", "libblas", "libcblas",
        "liblapack", "libopenblas", "openblas", "cudatoolkit", "cudnn", "python-abi",
        "libxcrypt", "libsqlite", "libexpat", "libmpdec", "vc", "vs2015-runtime",
        "ucrt",
    }
)  # fmt: skip
# Conda names that differ from the PyPI name of the same library.
_CONDA_TO_PIP = {
    "pytorch": "torch",
    "pytorch-cpu": "torch",
    "py-xgboost": "xgboost",
    "py-lightgbm": "lightgbm",
    "pytables": "tables",
    "tensorflow-base": "tensorflow",
    "matplotlib-base": "matplotlib",
    "pyyaml": "pyyaml",
}
_CONDA_SPEC = re.compile(
    r"^(?:[\w.-]+::)?(?P<name>[A-Za-z0-9_.-]+)\s*"
    r"(?P<op>==|>=|<=|!=|~=|=|>|<)?\s*(?P<version>[^=\s]*)(?:=(?P<build>\S+))?$"
)


@dataclass(frozen=True)
class Requirements:
    """Normalised, sorted pip requirement specifiers plus what was changed.

    Attributes
    ----------
    lines : tuple of str
        Canonical specifiers (sorted, de-duplicated); hashed for the env cache key.
    notes : tuple of str
        Human-readable notes on lines dropped or translated.
    """

    lines: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def text(self) -> str:
        """Return the lines as a ``requirements.txt`` document."""
        return "".join(f"{line}\n" for line in self.lines)


def read_requirements(
    package_dir: str | os.PathLike[str], *, allowed_index_hosts: Iterable[str] = ()
) -> Requirements:
    """Read ``environment.yaml`` (priority, as in the original) or ``requirements.txt``.

    Parameters
    ----------
    package_dir : path
        An extracted learnware package.
    allowed_index_hosts : iterable of str, default=()
        Index hosts accepted besides pypi.org.

    Returns
    -------
    requirements : Requirements

    Raises
    ------
    RequirementsError
        If neither file exists or a line is refused.
    """
    root = Path(package_dir)
    conda = root / "environment.yaml"
    if conda.is_file():
        return parse_conda_environment(
            _read(conda), allowed_index_hosts=allowed_index_hosts
        )
    pip = root / "requirements.txt"
    if pip.is_file():
        return parse_requirements(_read(pip), allowed_index_hosts=allowed_index_hosts)
    raise RequirementsError(
        "the package has neither environment.yaml nor requirements.txt"
    )


def parse_requirements(
    text: str,
    *,
    source: str = "requirements.txt",
    allowed_index_hosts: Iterable[str] = (),
) -> Requirements:
    """Validate and normalise a ``requirements.txt`` document.

    Parameters
    ----------
    text : str
    source : str, default="requirements.txt"
        Used in messages.
    allowed_index_hosts : iterable of str, default=()
        Index hosts whose ``--index-url``/``--extra-index-url``/``--find-links``
        lines are accepted (and dropped) besides pypi.org.

    Returns
    -------
    requirements : Requirements

    Raises
    ------
    RequirementsError
        ``"<source> line <n>: <problem>"`` for the first refused line.
    """
    hosts = DEFAULT_ALLOWED_INDEX_HOSTS | set(allowed_index_hosts)
    if len(text) > _MAX_TEXT:
        raise RequirementsError(f"{source}: larger than {_MAX_TEXT // 1024} KiB")
    logical = _logical_lines(text)
    if len(logical) > _MAX_LINES:
        raise RequirementsError(f"{source}: more than {_MAX_LINES} lines")
    notes: list[str] = []
    found: list[Requirement] = []
    for number, line in logical:
        where = f"{source} line {number}"
        if len(line) > _MAX_LINE:
            raise RequirementsError(f"{where}: longer than {_MAX_LINE} characters")
        if line.startswith("-"):
            notes.append(_check_option(line, where, hosts))
            continue
        requirement = _parse_one(line, where)
        if canonicalize_name(requirement.name) in _REPLACED:
            notes.append(
                f"{where}: dropped {line!r} (the sandbox provides `learnware`)"
            )
            continue
        found.append(requirement)
    return _finish(found, notes)


def parse_conda_environment(
    text: str, *, allowed_index_hosts: Iterable[str] = ()
) -> Requirements:
    """Translate a conda ``environment.yaml`` into pip requirements.

    The ``pip:`` section is taken as is (validated like ``requirements.txt``);
    conda dependencies are mapped by name (``pytorch`` -> ``torch``, ...), ``=1.2``
    becomes ``==1.2.*`` and build strings are dropped. Conda-only packages
    (``python``, ``mkl``, ``openssl`` ...) are skipped with a note.

    Raises
    ------
    RequirementsError
        If the document is not a conda environment or a dependency cannot be
        translated.
    """
    source = "environment.yaml"
    try:
        data = load_yaml(text, file_name=source)
    except ValueError as exc:
        raise RequirementsError(str(exc)) from exc
    if not isinstance(data, Mapping) or not isinstance(
        data.get("dependencies", []), list
    ):
        raise RequirementsError(f"{source}: needs a 'dependencies' list")
    pip_lines: list[str] = []
    notes: list[str] = []
    dependencies = data.get("dependencies", [])
    if len(dependencies) > _MAX_LINES:
        raise RequirementsError(f"{source}: more than {_MAX_LINES} dependencies")
    for item in dependencies:
        if isinstance(item, str) and len(item) > _MAX_LINE:
            # before the conda pattern, which backtracks on long lines
            raise RequirementsError(
                f"{source}: dependency {item[:40]!r}... is longer than {_MAX_LINE} "
                "characters"
            )
        if isinstance(item, Mapping) and set(item) == {"pip"}:
            pip_lines.extend(_strings(item["pip"], f"{source}: 'pip'"))
        elif isinstance(item, str):
            line, note = _conda_to_pip(item.strip())
            if line:
                pip_lines.append(line)
            if note:
                notes.append(f"{source}: {note}")
        else:
            raise RequirementsError(f"{source}: cannot translate dependency {item!r}")
    parsed = parse_requirements(
        "\n".join(pip_lines), source=source, allowed_index_hosts=allowed_index_hosts
    )
    return Requirements(parsed.lines, (*notes, *parsed.notes))


def _read(path: Path) -> str:
    if path.stat().st_size > 256 * 1024:
        raise RequirementsError(f"{path.name}: larger than 256 KiB")
    try:
        return decode_utf8(path.read_bytes(), file_name=path.name)
    except ValueError as exc:
        raise RequirementsError(str(exc)) from exc


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join ``\\`` continuations, strip comments and blanks (pip's own rules)."""
    out: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = (pending + line).strip()
        pending = ""
        if line:
            out.append((start, line))
    if pending.strip():
        out.append((start, pending.strip()))
    return out


def _check_option(line: str, where: str, hosts: frozenset[str] | set[str]) -> str:
    option, _, value = line.replace("=", " ", 1).partition(" ")
    value = value.strip()
    if option in ("-e", "--editable"):
        raise RequirementsError(f"{where}: editable installs (-e) are not allowed")
    if option in ("-r", "--requirement", "-c", "--constraint"):
        raise RequirementsError(f"{where}: nested requirement files are not allowed")
    if option in _INDEX_OPTIONS:
        host = urlsplit(value).hostname
        if urlsplit(value).scheme != "https" or host not in hosts:
            raise RequirementsError(
                f"{where}: {option} {value!r} is not allowed; packages are installed "
                f"only from the dock's index ({', '.join(sorted(hosts))})"
            )
        return f"{where}: dropped {option} (the dock's index is used)"
    raise RequirementsError(f"{where}: option {option!r} is not supported")


def _parse_one(line: str, where: str) -> Requirement:
    if "://" in line or line.startswith((".", "/", "~", "file:")):
        raise RequirementsError(
            f"{where}: URLs and local paths are not allowed ({line!r}); "
            "name a package from the index, e.g. 'scikit-learn>=1.3'"
        )
    try:
        requirement = Requirement(line)
    except InvalidRequirement as exc:
        raise RequirementsError(
            f"{where}: not a requirement specifier ({exc})"
        ) from exc
    if requirement.url:
        raise RequirementsError(f"{where}: direct URL references are not allowed")
    return requirement


def _finish(found: list[Requirement], notes: list[str]) -> Requirements:
    names = {canonicalize_name(r.name) for r in found}
    for extra in ALWAYS_INSTALLED:
        if extra not in names:
            found.append(Requirement(extra))
    lines = sorted({_canonical(r) for r in found})
    return Requirements(tuple(lines), tuple(notes))


def _canonical(requirement: Requirement) -> str:
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    spec = ",".join(sorted(str(s) for s in requirement.specifier))
    marker = f" ; {requirement.marker}" if requirement.marker else ""
    return f"{canonicalize_name(requirement.name)}{extras}{spec}{marker}"


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RequirementsError(f"{where} must be a list of strings")
    return list(value)


def _conda_to_pip(spec: str) -> tuple[str, str]:
    """Return ``(pip line or "", note or "")`` for one conda dependency."""
    match = _CONDA_SPEC.match(spec)
    if not match:
        raise RequirementsError(
            f"environment.yaml: cannot translate conda dependency {spec!r}; "
            "list it under 'pip:' instead"
        )
    conda_name = canonicalize_name(match["name"])
    if conda_name in _CONDA_ONLY or conda_name.startswith("_"):
        return "", f"skipped conda-only dependency {spec!r}"
    name = _CONDA_TO_PIP.get(conda_name, conda_name)
    op, version = match["op"], match["version"]
    if not version:
        pin = ""
    elif op in (None, "="):
        pin = f"=={version}" if version.endswith("*") else f"=={version}.*"
        pin = pin.replace(".*.*", ".*")
    else:
        pin = f"{op}{version}"
    note = f"translated conda {spec!r} to {name + pin!r}"
    return name + pin, note if name != conda_name or match["build"] else ""
