"""``bmw spec table|text|image``: build a statistical specification from local data.

Tables are fitted on internally standardised columns by default (issue 21, part
1.4): each column is centred and scaled robustly (the dock's island-kernel rule:
median, IQR / 1.349, std or magnitude fallbacks), the RKME's reduced set is fitted
there with the median-heuristic gamma, and the points are mapped back to the data's
own units, so ``stat.json`` keeps the original layout and meaning. See
:func:`fit_table` and ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from learnware_core.cli._io import (
    CLIError,
    atomic_write_json,
    read_table,
    read_texts,
    split_names,
)
from learnware_core.cli._ui import echo, progress_enabled, steps, warn
from learnware_core.errors import LearnwareError
from learnware_core.specification.base import StatSpecification, get_spec_class

__all__ = [
    "IMAGE_SPEC_TYPE",
    "TableFit",
    "add_table_kernel_options",
    "build_image_spec",
    "build_table_fit",
    "build_table_spec",
    "build_text_spec",
    "fit_table",
    "parse_gamma",
    "run_spec",
]

IMAGE_SPEC_TYPE = "RKMEImageSpecification"
_IMAGE_MODULE = "learnware_core.specification.image"
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")
_IMAGE_SIDE = 32  # the original image RKME works on 32 x 32 images


def parse_gamma(value: str) -> float | str:
    """argparse type for ``--gamma``: a positive number or ``median``."""
    if value == "median":
        return value
    try:
        gamma = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number > 0 or 'median', got {value!r}"
        ) from None
    if not gamma > 0:
        raise argparse.ArgumentTypeError(f"gamma must be > 0, got {value!r}")
    return gamma


def add_table_kernel_options(group: Any) -> None:
    """``--gamma`` and ``--standardize/--no-standardize`` of a table RKME.

    Used by ``bmw spec table``, ``bmw pack`` and ``bmw search`` (one flag set).
    ``group`` is an argparse parser or argument group.
    """
    group.add_argument(
        "--gamma",
        type=parse_gamma,
        default=None,
        metavar="G",
        help="RBF kernel parameter exp(-G ||a-b||^2): a number > 0 or 'median'. "
        "Default: the median heuristic on standardised columns. A number is used "
        "as is on the raw columns (unless --standardize); text specifications "
        "default to 0.1",
    )
    group.add_argument(
        "--standardize",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="tables: fit the reduced set on robustly standardised columns and "
        "store it back in the data's units (default: on, unless --gamma is a "
        "number); --no-standardize fits on the raw columns",
    )


@dataclass(frozen=True, eq=False)
class TableFit:
    """A table RKME fitted by :func:`fit_table`, with how it was fitted.

    Attributes
    ----------
    spec : RKMETableSpecification
        What ``stat.json`` stores: ``z`` in the data's own units, ``beta``, and
        ``gamma`` in raw units (see :func:`fit_table`).
    names : list of str
        The table's column names.
    standardized : bool
        Whether the reduced set was fitted on standardised columns.
    fit_gamma : float
        The kernel parameter the reduced set was optimised under (on the
        standardised columns if ``standardized``).
    center, column_scales : ndarray of shape (n_features,) or None
        The standardisation ``(x - center) / column_scales`` (None if raw).
    warnings : tuple of str
        Kernel diagnostics of the fitted kernel (one line each; empty if fine).
    """

    spec: Any
    names: list[str]
    standardized: bool
    fit_gamma: float
    center: NDArray[np.float64] | None
    column_scales: NDArray[np.float64] | None
    warnings: tuple[str, ...]

    def summary(self) -> str:
        """How the kernel was chosen, for the ``wrote ...`` line."""
        if self.standardized:
            return (
                f"fitted on standardised columns (gamma {self.fit_gamma:.3g} there, "
                f"stored as {self.spec.gamma_:.3g} in the data's units)"
            )
        return f"fitted on the raw columns (gamma {self.fit_gamma:.3g})"


def wants_standardize(gamma: float | str | None, standardize: bool | None) -> bool:
    """The flag rule: standardise unless told not to, or given a numeric gamma."""
    if standardize is not None:
        return standardize
    return not isinstance(gamma, float)


def fit_table(
    X: Any,
    *,
    gamma: float | str | None = None,
    standardize: bool | None = None,
    n_points: int = 100,
    random_state: int = 0,
    column_names: list[str] | None = None,
) -> TableFit:
    """Fit a table RKME the robust way (default) or as the user says.

    Standardised (the default unless ``gamma`` is a number): the robust centre and
    scale of every column come from
    :func:`~learnware_core.search.island_kernel.fit_island_kernel` run on the rows
    themselves (weighted median; IQR / 1.349, else the standard deviation, else the
    magnitude of a constant column), so the rule is the dock's. The reduced set is
    fitted by :class:`RKMETableSpecification` on ``X_s = (X - c) / s`` with the
    median-heuristic gamma on ``X_s`` (or ``gamma`` if it is a number), then mapped
    back: ``z = z_s * s + c``; ``beta`` is unchanged. The stored ``gamma`` is
    ``gamma_s / mean(s^2)``: the isotropic raw-unit kernel whose typical exponent on
    the data equals the fitted one's (``E||x - x'||^2 = 2 sum s_j^2`` against
    ``2 d`` standardised). No isotropic kernel is faithful when column scales
    differ by orders of magnitude; the dock compares specifications under its own
    island kernel and ignores the stored gamma (``docs/island-kernel.md``).

    Raw (``standardize=False``, or a numeric ``gamma`` without
    ``standardize=True``): the original fit, ``gamma`` used as is (``None`` means
    the original default 0.1).

    ``warnings`` holds :func:`~learnware_core.search.island_kernel.kernel_flatness`
    messages of the kernel the reduced set was fitted under: a flat or narrow
    kernel, a column whose range dwarfs the others, columns the kernel cannot see.
    """
    from learnware_core._validation import as_samples, impute_column_means
    from learnware_core.search.island_kernel import fit_island_kernel
    from learnware_core.specification.rkme import (
        DEFAULT_GAMMA,
        RKMETableSpecification,
    )

    X2, sample_shape = as_samples(X, name="X")
    n, d = X2.shape
    names = list(column_names) if column_names is not None else []
    diag_names = names if len(names) == d else None
    if not wants_standardize(gamma, standardize) or n < 1:
        raw = RKMETableSpecification(
            gamma=cast(Any, DEFAULT_GAMMA if gamma is None else gamma),
            n_points=n_points,
            random_state=random_state,
        ).fit(X)
        found = _kernel_warnings(raw.z_, raw.beta_, raw.gamma_, diag_names)
        if found:
            found += (
                f"the reduced set was fitted on the raw columns (gamma "
                f"{raw.gamma_:.3g}): drop --gamma, or add --standardize, to fit "
                "it on standardised columns",
            )
        return TableFit(
            spec=raw,
            names=names,
            standardized=False,
            fit_gamma=float(raw.gamma_),
            center=None,
            column_scales=None,
            warnings=found,
        )

    X2 = impute_column_means(X2)
    kernel = fit_island_kernel(
        X2[None], np.full((1, n), 1.0 / n), rule="median", random_state=random_state
    )
    fit_gamma = kernel.gamma if not isinstance(gamma, float) else gamma
    Xs = kernel.transform(X2).reshape((n, *sample_shape))
    inner = RKMETableSpecification(
        gamma=fit_gamma, n_points=n_points, random_state=random_state
    ).fit(Xs)
    scales, center = kernel.column_scales, kernel.center
    z = inner.z_ * scales + center
    spec = RKMETableSpecification.from_dict(
        {
            "z": z.reshape((z.shape[0], *sample_shape)).tolist(),
            "beta": inner.beta_.tolist(),
            "gamma": fit_gamma / float(np.mean(scales**2)),
            "num_points": inner.num_points_,
            "type": RKMETableSpecification.type_name,
        }
    )
    found = _kernel_warnings(inner.z_, inner.beta_, fit_gamma, diag_names)
    return TableFit(
        spec=spec,
        names=names,
        standardized=True,
        fit_gamma=float(fit_gamma),
        center=center.copy(),
        column_scales=scales.copy(),
        warnings=tuple(f"{w} (on the standardised columns)" for w in found),
    )


DOMINANT_SHARE = 0.9
"""A column making this share of the kernel's typical exponent dominates it."""


def _kernel_warnings(
    z: NDArray[np.float64],
    beta: NDArray[np.float64],
    gamma: float,
    names: list[str] | None,
) -> tuple[str, ...]:
    """:func:`~learnware_core.search.island_kernel.kernel_flatness` messages, led by
    one naming a column that dominates the kernel (``DOMINANT_SHARE`` of the
    typical exponent ``gamma ||x - x'||^2``) unless a range warning names it."""
    from learnware_core.search.island_kernel import kernel_flatness

    diag = kernel_flatness(z, beta, gamma, column_names=names)
    visibility = np.asarray(diag.column_visibility)
    total = float(visibility.sum())
    messages = list(diag.warnings)
    if visibility.shape[0] > 1 and total > 0.0:
        j = int(np.argmax(visibility))
        share = float(visibility[j]) / total
        if share >= DOMINANT_SHARE and j not in diag.wide_columns:
            name = names[j] if names is not None else f"column {j}"
            messages.insert(
                0,
                f"column {name!r} dominates the kernel (gamma={gamma:.3g}): "
                f"{100 * share:.1f}% of the typical squared distance between rows "
                "comes from it, so the others barely count; standardise the columns "
                "or let the dock choose the kernel",
            )
    return tuple(messages)


def build_table_fit(
    args: argparse.Namespace, *, data: str, announce: bool = True
) -> TableFit:
    """Read a table and :func:`fit_table` it with ``args``' options.

    With ``announce`` the kernel warnings are printed on stderr (one line each).
    """
    X, names = read_table(
        data, columns=split_names(args.columns), drop=split_names(args.drop)
    )
    fit = fit_table(
        X,
        gamma=args.gamma,
        standardize=getattr(args, "standardize", None),
        n_points=args.k,
        random_state=args.seed,
        column_names=names,
    )
    if announce:
        for message in fit.warnings:
            warn(message)
    return fit


def build_table_spec(args: argparse.Namespace, *, data: str) -> StatSpecification:
    """Read a table and fit an ``RKMETableSpecification`` (options from ``args``)."""
    spec: StatSpecification = build_table_fit(args, data=data).spec
    return spec


def build_table_spec_named(
    args: argparse.Namespace, *, data: str
) -> tuple[StatSpecification, list[str]]:
    """:func:`build_table_spec` and the table's column names."""
    fit = build_table_fit(args, data=data)
    return fit.spec, fit.names


def build_text_spec(args: argparse.Namespace, *, data: str) -> StatSpecification:
    """Read texts and fit an ``RKMETextSpecification`` with the default encoder."""
    from learnware_core.specification.text import RKMETextSpecification

    texts = read_texts(data, column=args.column)
    gamma = {} if args.gamma is None else {"gamma": args.gamma}  # None: its default
    return RKMETextSpecification(
        n_points=args.k,
        random_state=args.seed,
        progress=progress_enabled(args.quiet),
        **gamma,
    ).fit(texts)


def _image_class() -> type[StatSpecification]:
    with contextlib.suppress(ImportError):  # it may not exist in this installation
        importlib.import_module(_IMAGE_MODULE)
    try:
        return get_spec_class(IMAGE_SPEC_TYPE)
    except LearnwareError:
        raise CLIError(
            f"image specifications are not available in this installation "
            f"({IMAGE_SPEC_TYPE} is not registered)"
        ) from None


def _read_image_folder(folder: Path, *, quiet: bool) -> NDArray[np.float64]:
    from PIL import Image

    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in _IMAGE_SUFFIXES)
    if not files:
        raise CLIError(f"{folder}: no image files ({', '.join(_IMAGE_SUFFIXES)})")
    out = np.empty((len(files), 3, _IMAGE_SIDE, _IMAGE_SIDE))
    iterator: Any = files
    if progress_enabled(quiet):
        from tqdm import tqdm

        iterator = tqdm(files, desc="reading images", unit="img", leave=False)
    for i, path in enumerate(iterator):
        try:
            with Image.open(path) as img:
                rgb = img.convert("RGB").resize((_IMAGE_SIDE, _IMAGE_SIDE))
                out[i] = np.asarray(rgb, dtype=np.float64).transpose(2, 0, 1) / 255.0
        except OSError as exc:
            raise CLIError(f"{path}: not a readable image ({exc})") from exc
    return out


def build_image_spec(args: argparse.Namespace, *, data: str) -> StatSpecification:
    """Read images (an NPY array or a folder) and fit the registered image spec."""
    cls = _image_class()
    path = Path(data)
    if path.is_dir():
        X = _read_image_folder(path, quiet=args.quiet)
    elif path.suffix.lower() == ".npy":
        X, _ = read_table(path)
    elif not path.exists():
        raise CLIError(f"{path}: data file not found")
    else:
        raise CLIError(f"{path}: expected an .npy array or a folder of images")
    kwargs: dict[str, Any] = {"random_state": args.seed}
    if args.k is not None:
        kwargs["n_points"] = args.k
    if getattr(args, "kernel", "random_conv") != "random_conv":
        kwargs["kernel"] = args.kernel
    try:
        spec = cls(**kwargs)
    except TypeError as exc:
        raise CLIError(f"{IMAGE_SPEC_TYPE} does not accept {kwargs}: {exc}") from exc
    fit = getattr(spec, "fit", None)
    if fit is None:
        raise CLIError(f"{IMAGE_SPEC_TYPE} has no fit() method")
    fitted: StatSpecification = fit(X)
    return fitted


_BUILDERS = {
    "table": build_table_spec,
    "text": build_text_spec,
    "image": build_image_spec,
}


def describe(spec: StatSpecification) -> str:
    """Short human description: type, K, d and extras."""
    data = spec.to_dict()
    parts = [str(data.get("type"))]
    z = data.get("z")
    if isinstance(z, list) and z:
        shape: tuple[int, ...] = np.shape(z)
        dims = "x".join(str(n) for n in shape[1:])
        parts.append(f"K={shape[0]}, d={dims}")
    if "num_points" in data:
        parts.append(f"from {data['num_points']:,} samples")
    if "encoder" in data:
        parts.append(f"encoder {data['encoder']}")
    if data.get("language"):
        parts.append(f"language {','.join(data['language'])}")
    return ", ".join(parts)


def run_spec(args: argparse.Namespace) -> int:
    """Entry point of ``bmw spec <kind>``."""
    kind: str = args.kind
    start = time.perf_counter()
    table: TableFit | None = None
    with steps(2, f"spec {kind}", enabled=progress_enabled(args.quiet)) as bar:
        bar.set_postfix_str("reading and fitting")
        if kind == "table":  # warnings after the bar, not through it
            table = build_table_fit(args, data=args.data, announce=False)
            spec = table.spec
        else:
            spec = _BUILDERS[kind](args, data=args.data)
        bar.update(1)
        bar.set_postfix_str("writing")
        out = atomic_write_json(args.output, spec.to_dict())
        bar.update(1)
    for message in table.warnings if table is not None else ():
        warn(message)
    if not args.quiet:
        elapsed = time.perf_counter() - start
        how = f"; {table.summary()}" if table is not None else ""
        echo(f"wrote {out}: {describe(spec)}{how} ({elapsed:.1f} s)")
    return 0
