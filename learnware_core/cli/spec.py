"""``bmw spec table|text|image``: build a statistical specification from local data."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import time
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnware_core.cli._io import (
    CLIError,
    atomic_write_json,
    read_table,
    read_texts,
    split_names,
)
from learnware_core.cli._ui import echo, progress_enabled, steps
from learnware_core.errors import LearnwareError
from learnware_core.specification.base import StatSpecification, get_spec_class

__all__ = [
    "IMAGE_SPEC_TYPE",
    "build_image_spec",
    "build_table_spec",
    "build_text_spec",
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


def build_table_spec(args: argparse.Namespace, *, data: str) -> StatSpecification:
    """Read a table and fit an ``RKMETableSpecification`` (options from ``args``)."""
    return build_table_spec_named(args, data=data)[0]


def build_table_spec_named(
    args: argparse.Namespace, *, data: str
) -> tuple[StatSpecification, list[str]]:
    """:func:`build_table_spec` and the table's column names."""
    from learnware_core.specification.rkme import RKMETableSpecification

    X, names = read_table(
        data, columns=split_names(args.columns), drop=split_names(args.drop)
    )
    spec = RKMETableSpecification(
        gamma=args.gamma, n_points=args.k, random_state=args.seed
    ).fit(X)
    return spec, names


def build_text_spec(args: argparse.Namespace, *, data: str) -> StatSpecification:
    """Read texts and fit an ``RKMETextSpecification`` with the default encoder."""
    from learnware_core.specification.text import RKMETextSpecification

    texts = read_texts(data, column=args.column)
    return RKMETextSpecification(
        gamma=args.gamma,
        n_points=args.k,
        random_state=args.seed,
        progress=progress_enabled(args.quiet),
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
    with steps(2, f"spec {kind}", enabled=progress_enabled(args.quiet)) as bar:
        bar.set_postfix_str("reading and fitting")
        spec = _BUILDERS[kind](args, data=args.data)
        bar.update(1)
        bar.set_postfix_str("writing")
        out = atomic_write_json(args.output, spec.to_dict())
        bar.update(1)
    if not args.quiet:
        elapsed = time.perf_counter() - start
        echo(f"wrote {out}: {describe(spec)} ({elapsed:.1f} s)")
    return 0
