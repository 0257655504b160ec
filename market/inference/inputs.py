"""Parse a hosted-inference upload into the array a learnware's ``predict`` takes.

Tables: CSV/TSV (an optional header row, one row per sample). Texts: ``.txt`` (one
text per non-empty line), ``.jsonl`` (a JSON string or ``{"text": ...}`` per line)
or ``.json`` (a list of strings). Images: PNG/JPEG/BMP/GIF/WebP files, or one zip
of them, as ``(n, 3, H, W)`` float32 in 0..255 (the worker resizes them to the
model's ``input_shape`` as the checks do). Problems raise :class:`InputError` with a
message naming the row, column or file.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import numpy as np
from numpy.typing import NDArray

TABLE_SUFFIXES = (".csv", ".tsv")
TEXT_SUFFIXES = (".txt", ".jsonl", ".json")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
_MAX_IMAGE_PIXELS = 4096 * 4096


class InputError(ValueError):
    """The upload cannot be read; ``too_large`` if it breaks a size limit (413)."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.too_large = too_large


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name and content."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


@dataclass(frozen=True)
class ParsedInput:
    """``kind`` is ``table``, ``text`` or ``image``; ``X`` has one row per sample."""

    kind: str
    X: NDArray[Any]

    @property
    def n_rows(self) -> int:
        return int(self.X.shape[0])


def parse_input(
    uploads: Sequence[Upload],
    *,
    data_type: str,
    input_dimension: int | None,
    max_rows: int,
) -> ParsedInput:
    """Read ``uploads`` for a learnware of ``data_type`` (Table, Text or Image)."""
    if not uploads:
        raise InputError("file: required")
    if data_type == "Image":
        return ParsedInput("image", _images(uploads, max_rows))
    if len(uploads) != 1:
        raise InputError(f"file: send one file for a {data_type.lower()} learnware")
    upload = uploads[0]
    if data_type == "Table":
        return ParsedInput("table", _table(upload, input_dimension, max_rows))
    if data_type == "Text":
        return ParsedInput("text", _texts(upload, max_rows))
    raise InputError(f"hosted inference does not support {data_type} learnwares")


def _decode(upload: Upload) -> str:
    try:
        return upload.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{upload.name}: not UTF-8 text ({exc.reason})") from exc


def _too_many(count: int, max_rows: int, what: str) -> InputError:
    return InputError(
        f"more than {max_rows} {what} ({count}); send at most {max_rows}",
        too_large=True,
    )


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _table(
    upload: Upload, input_dimension: int | None, max_rows: int
) -> NDArray[np.float64]:
    if upload.suffix not in TABLE_SUFFIXES:
        raise InputError(
            f"{upload.name}: a table learnware takes a "
            f"{' or '.join(TABLE_SUFFIXES)} file"
        )
    text = _decode(upload)
    delimiter = "\t" if upload.suffix == ".tsv" else _delimiter(text)
    rows = [
        (number, row)
        for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter))
        if any(cell.strip() for cell in row)
    ]
    if rows and all(_number(cell.strip()) is None for cell in rows[0][1]):
        header = rows.pop(0)[1]  # a header row: column names, no numbers
        if input_dimension is not None and len(header) != input_dimension:
            raise InputError(
                f"{upload.name}: the header has {len(header)} columns; "
                f"the learnware expects {input_dimension}"
            )
    if not rows:
        raise InputError(f"{upload.name}: no data rows")
    if len(rows) > max_rows:
        raise _too_many(len(rows), max_rows, "rows")
    width = input_dimension or len(rows[0][1])
    X = np.empty((len(rows), width), dtype=np.float64)
    for i, (number, row) in enumerate(rows):
        if len(row) != width:
            raise InputError(
                f"{upload.name}: line {number + 1} has {len(row)} columns; "
                f"the learnware expects {width}"
            )
        for j, cell in enumerate(row):
            value = _number(cell.strip())
            if value is None or not math.isfinite(value):
                shown = cell.strip()[:40] or "(empty)"
                raise InputError(
                    f"{upload.name}: line {number + 1}, column {j + 1}: "
                    f"{shown!r} is not a finite number"
                )
            X[i, j] = value
    return X


def _delimiter(text: str) -> str:
    """``,`` unless the first line is split only by ``;`` or tabs."""
    first = text.lstrip().split("\n", 1)[0]
    if "," in first:
        return ","
    for candidate in ("\t", ";"):
        if candidate in first:
            return candidate
    return ","


def _texts(upload: Upload, max_rows: int) -> NDArray[np.str_]:
    if upload.suffix not in TEXT_SUFFIXES:
        raise InputError(
            f"{upload.name}: a text learnware takes a {', '.join(TEXT_SUFFIXES)} file"
        )
    text = _decode(upload)
    if upload.suffix == ".txt":
        texts = [line.strip() for line in text.splitlines() if line.strip()]
    elif upload.suffix == ".json":
        texts = _json_texts(upload.name, text)
    else:
        texts = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                texts.append(_json_text(f"{upload.name}: line {number}", line))
    if not texts:
        raise InputError(f"{upload.name}: no texts")
    if len(texts) > max_rows:
        raise _too_many(len(texts), max_rows, "texts")
    return np.asarray(texts, dtype=np.str_)


def _json_texts(name: str, text: str) -> list[str]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{name}: invalid JSON ({exc})") from exc
    if not isinstance(data, list) or not all(isinstance(t, str) for t in data):
        raise InputError(f"{name}: expected a JSON list of strings")
    return [t for t in data if t.strip()]


def _json_text(where: str, line: str) -> str:
    try:
        value = json.loads(line)
    except ValueError as exc:
        raise InputError(f"{where}: invalid JSON ({exc})") from exc
    if isinstance(value, dict):
        value = value.get("text")
    if not isinstance(value, str):
        raise InputError(f'{where}: expected a JSON string or {{"text": "..."}}')
    return value


def _image_files(uploads: Sequence[Upload], max_rows: int) -> list[Upload]:
    """The image files of the uploads (a zip is opened; other files are refused)."""
    if len(uploads) == 1 and uploads[0].suffix == ".zip":
        zipped = uploads[0]
        try:
            with zipfile.ZipFile(io.BytesIO(zipped.data)) as archive:
                members = [
                    m
                    for m in archive.infolist()
                    if not m.is_dir()
                    and not m.filename.startswith("__MACOSX/")
                    and PurePosixPath(m.filename).suffix.lower() in IMAGE_SUFFIXES
                ]
                if len(members) > max_rows:
                    raise _too_many(len(members), max_rows, "images")
                limit = 50 * len(zipped.data) + 2**20  # refuse zip bombs
                if sum(m.file_size for m in members) > limit:
                    raise InputError(f"{zipped.name}: unpacks too large")
                files = [Upload(m.filename, archive.read(m)) for m in members]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as exc:
            raise InputError(f"{zipped.name}: not a readable zip ({exc})") from exc
        if not files:
            raise InputError(f"{zipped.name}: no images in the zip")
        return files
    bad = [u.name for u in uploads if u.suffix not in IMAGE_SUFFIXES]
    if bad:
        raise InputError(
            f"{bad[0]}: an image learnware takes image files "
            f"({', '.join(IMAGE_SUFFIXES)}) or one .zip of them"
        )
    if len(uploads) > max_rows:
        raise _too_many(len(uploads), max_rows, "images")
    return list(uploads)


def _images(uploads: Sequence[Upload], max_rows: int) -> NDArray[np.float32]:
    from PIL import Image, UnidentifiedImageError

    arrays: list[NDArray[np.float32]] = []
    size: tuple[int, int] | None = None
    for upload in _image_files(uploads, max_rows):
        try:
            with Image.open(io.BytesIO(upload.data)) as image:
                if image.width * image.height > _MAX_IMAGE_PIXELS:
                    raise InputError(
                        f"{upload.name}: {image.width}x{image.height} pixels is "
                        "too large",
                        too_large=True,
                    )
                rgb = image.convert("RGB")
                size = size or rgb.size  # all images take the first one's size
                if rgb.size != size:
                    rgb = rgb.resize(size, Image.Resampling.BILINEAR)
                pixels = np.asarray(rgb, dtype=np.float32)
        except InputError:
            raise
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            ValueError,
        ) as exc:
            raise InputError(f"{upload.name}: not a readable image ({exc})") from exc
        arrays.append(pixels.transpose(2, 0, 1))
    return np.stack(arrays)
