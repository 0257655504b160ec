"""Parsing of hosted-inference uploads: tables, texts and images (no server)."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest
from PIL import Image

from market.inference.inputs import InputError, Upload, parse_input


def _parse(
    name: str, data: bytes, data_type: str = "Table", **kwargs: object
) -> np.ndarray:
    options = {"input_dimension": 3, "max_rows": 10, **kwargs}
    return parse_input([Upload(name, data)], data_type=data_type, **options).X  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("x.csv", b"a,b,c\n1,2,3\n4,5,6.5\n"),
        ("x.csv", b"\xef\xbb\xbf1,2,3\r\n\r\n4,5,6.5\r\n"),  # BOM, CRLF, blank line
        ("x.csv", b"1;2;3\n4;5;6.5\n"),
        ("x.tsv", b"a\tb\tc\n1\t2\t3\n4\t5\t6.5\n"),
    ],
)
def test_tables_with_or_without_header(name: str, data: bytes) -> None:
    X = _parse(name, data)

    np.testing.assert_array_equal(X, [[1, 2, 3], [4, 5, 6.5]])


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"1,2,3\n1,2\n", "line 2 has 2 columns; the learnware expects 3"),
        (b"x,y\n1,2\n", "the header has 2 columns; the learnware expects 3"),
        (b"1,2,3\n1,inf,3\n", "line 2, column 2: 'inf' is not a finite number"),
        (b"1,2,x\n", "line 1, column 3: 'x' is not a finite number"),
        (b"\n\n", "no data rows"),
    ],
)
def test_malformed_tables_name_the_problem(data: bytes, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as caught:
        _parse("x.csv", data)
    assert not caught.value.too_large


def test_too_many_rows_is_a_size_problem() -> None:
    with pytest.raises(InputError, match="more than 2 rows") as caught:
        _parse("x.csv", b"1,2,3\n" * 3, max_rows=2)
    assert caught.value.too_large


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("t.txt", b"good film\n\n  bad film  \n"),
        ("t.jsonl", b'"good film"\n{"text": "bad film"}\n'),
        ("t.json", json.dumps(["good film", "bad film"]).encode()),
    ],
)
def test_texts(name: str, data: bytes) -> None:
    X = _parse(name, data, "Text")

    assert X.tolist() == ["good film", "bad film"]


def test_bad_text_files() -> None:
    with pytest.raises(InputError, match=r"line 2: expected a JSON string"):
        _parse("t.jsonl", b'"ok"\n{"label": 1}\n', "Text")
    with pytest.raises(InputError, match="expected a JSON list of strings"):
        _parse("t.json", b'{"a": 1}', "Text")
    with pytest.raises(InputError, match="a text learnware takes"):
        _parse("t.csv", b"a\n", "Text")


def _png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def test_images_from_files_or_a_zip_take_the_first_ones_size() -> None:
    red, blue = _png((8, 6), (255, 0, 0)), _png((16, 12), (0, 0, 255))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a/red.png", red)
        zf.writestr("__MACOSX/a/._red.png", b"junk")
        zf.writestr("blue.png", blue)
    uploads = [Upload("red.png", red), Upload("blue.png", blue)]

    for given in (uploads, [Upload("images.zip", archive.getvalue())]):
        X = parse_input(given, data_type="Image", input_dimension=None, max_rows=5).X
        assert X.shape == (2, 3, 6, 8)
        assert X.dtype == np.float32
        assert X[0, 0].min() == 255
        assert X[1, 2].min() == 255


def test_bad_images() -> None:
    with pytest.raises(InputError, match="not a readable image"):
        parse_input(
            [Upload("x.png", b"not a png")],
            data_type="Image",
            input_dimension=None,
            max_rows=5,
        )
    with pytest.raises(InputError, match="more than 1 images") as caught:
        parse_input(
            [Upload("a.png", _png((2, 2), (0, 0, 0)))] * 2,
            data_type="Image",
            input_dimension=None,
            max_rows=1,
        )
    assert caught.value.too_large
