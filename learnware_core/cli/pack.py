"""``bmw pack``: build a learnware zip from a model, a data sample and a semantic spec.

Model sources (``--model``):

* a folder: packed as is; it must hold ``__init__.py`` defining ``--class-name``
  (a subclass of ``learnware.model.BaseModel`` with ``predict``);
* a ``.py`` file: packed as ``__init__.py``;
* a pickled scikit-learn model (``.pkl``, ``.pickle`` or ``.joblib``): packed next
  to a generated ``__init__.py`` whose ``PickleLoadedModel`` unpickles it and calls
  ``--predict-method`` (``predict`` by default, ``predict_proba`` for scores).
  ``requirements.txt`` then defaults to the scikit-learn and numpy versions
  installed here, because a pickle only loads under the version that wrote it.

The pickle is never loaded by ``bmw pack`` itself.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from learnware_core.cli._io import (
    CLIError,
    existing_file,
    read_json,
)
from learnware_core.cli._ui import echo, progress_enabled, steps
from learnware_core.cli.spec import _BUILDERS, describe
from learnware_core.errors import LearnwareError
from learnware_core.package.pickled import (
    PICKLE_MODEL_CLASS,
    default_pickle_requirements,
    pickle_model_template,
)
from learnware_core.specification.base import StatSpecification, load_spec

__all__ = ["PICKLE_SUFFIXES", "STAT_FILE_NAME", "pickle_model_template", "run_pack"]

STAT_FILE_NAME = "stat.json"
PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib")
_KIND_BY_DATA = {"Table": "table", "Text": "text", "Image": "image"}


def _shape(value: int | None) -> tuple[int, ...] | None:
    return (value,) if value is not None else None


def _model_files(
    args: argparse.Namespace, semantic: Any
) -> tuple[Path | dict[str, bytes | str], dict[str, Any], list[str] | None]:
    """(model_files, model section of learnware.yaml, default requirements)."""
    model = Path(args.model)
    if not model.exists():
        raise CLIError(f"{model}: model not found")
    if model.is_dir():
        return model, {"class_name": args.class_name, "kwargs": {}}, None
    suffix = model.suffix.lower()
    if suffix == ".py":
        files: dict[str, bytes | str] = {"__init__.py": model.read_bytes()}
        return files, {"class_name": args.class_name, "kwargs": {}}, None
    if suffix in PICKLE_SUFFIXES:
        output = semantic.output
        out_dim = output.dimension if output is not None else None
        if semantic.task == "Classification" and args.predict_method == "predict":
            out_dim = 1  # labels; (n_classes,) is for predict_proba scores
        kwargs: dict[str, Any] = {
            "input_shape": _shape(semantic.input_dimension),
            "output_shape": _shape(out_dim),
            "pickle_filename": model.name,
            "predict_method": args.predict_method,
        }
        files = {"__init__.py": pickle_model_template(), model.name: model.read_bytes()}
        section = {"class_name": PICKLE_MODEL_CLASS, "kwargs": kwargs}
        return files, section, default_pickle_requirements(suffix)
    raise CLIError(
        f"{model}: --model must be a folder, a .py file or a pickled model "
        f"({', '.join(PICKLE_SUFFIXES)})"
    )


def _requirements(
    args: argparse.Namespace, model_files: Path | Mapping[str, Any], default: Any
) -> list[str] | str | None:
    if args.requirements is not None:
        text = existing_file(args.requirements, what="requirements file").read_text(
            encoding="utf-8"
        )
        return text
    if args.requirement:
        return list(args.requirement)
    if isinstance(model_files, Path) and any(
        (model_files / name).is_file()
        for name in ("requirements.txt", "environment.yaml")
    ):
        return None  # the folder brings its own
    if default is None:
        raise CLIError(
            "the package needs requirements.txt: pass --requirements FILE or "
            "--requirement PACKAGE (repeatable), or put one in the model folder"
        )
    return list(default)


def _stat_spec(args: argparse.Namespace, semantic: Any) -> StatSpecification:
    if (args.data is None) == (args.stat is None):
        raise CLIError("pass exactly one of --data (a data sample) or --stat FILE")
    if args.stat is not None:
        data = read_json(args.stat, what="stat spec file")
        if not isinstance(data, dict):
            raise CLIError(f"{args.stat}: must hold a JSON object")
        try:
            return load_spec(data)
        except LearnwareError as exc:
            raise CLIError(f"{args.stat}: {exc}") from exc
    kind = args.kind or _KIND_BY_DATA.get(semantic.data)
    if kind is None:
        raise CLIError("cannot tell the data kind; pass --kind table|text|image")
    return _BUILDERS[kind](args, data=args.data)


def run_pack(args: argparse.Namespace) -> int:
    """Entry point of ``bmw pack``."""
    from learnware_core.package import write_package
    from learnware_core.specification.semantic import SemanticSpec

    raw = read_json(args.semantic, what="semantic spec file")
    try:
        semantic = SemanticSpec.from_dict(raw)
    except LearnwareError as exc:
        raise CLIError(f"{args.semantic}: {exc}") from exc
    model_files, model_section, default_requirements = _model_files(args, semantic)
    requirements = _requirements(args, model_files, default_requirements)

    with steps(2, "pack", enabled=progress_enabled(args.quiet)) as bar:
        bar.set_postfix_str("statistical specification")
        spec = _stat_spec(args, semantic)
        bar.update(1)
        bar.set_postfix_str("writing and checking the zip")
        manifest: dict[str, Any] = {"model": model_section}
        if args.name:
            manifest["name"] = args.name
        info = write_package(
            args.output,
            model_files=model_files,
            learnware_yaml=manifest,
            stat_specs={STAT_FILE_NAME: spec},
            requirements=requirements,
            semantic_spec=semantic,
        )
        bar.update(1)
    if not args.quiet:
        echo(
            f"wrote {args.output}: {len(info.files)} files, "
            f"{info.total_bytes:,} bytes; {STAT_FILE_NAME}: {describe(spec)}"
        )
    return 0
