"""A streamed ``multipart/form-data`` body with a known length.

``requests`` reads a whole file into memory to build a multipart body; this one is
read piece by piece while it is sent (and reports progress), and declares its length
so the server gets a ``Content-Length`` (Django ignores chunked request bodies).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["MultipartFile"]

_BLOCK = 1 << 16


class MultipartFile:
    """``fields`` as text parts, then the file at ``path`` as part ``file_field``.

    Parameters
    ----------
    fields : dict of str to str
    file_field : str
    path : Path
    on_read : callable, optional
        Called with the number of *file* bytes just read (for a progress bar).
    """

    def __init__(
        self,
        fields: dict[str, str],
        file_field: str,
        path: Path,
        *,
        content_type: str = "application/zip",
        on_read: Callable[[int], object] | None = None,
    ) -> None:
        self.boundary = "bmw-" + secrets.token_hex(16)
        head = b"".join(
            self._part_header(name) + value.encode("utf-8") + b"\r\n"
            for name, value in fields.items()
        )
        head += self._part_header(file_field, filename=path.name, ctype=content_type)
        self._head = head
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()
        self._path = path
        self._size = path.stat().st_size
        self._on_read = on_read
        self._pieces = self._generate()
        self._buffer = b""

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def __len__(self) -> int:
        return len(self._head) + self._size + len(self._tail)

    def _part_header(
        self, name: str, *, filename: str | None = None, ctype: str | None = None
    ) -> bytes:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            safe = filename.replace('"', "_").replace("\r", "_").replace("\n", "_")
            disposition += f'; filename="{safe}"'
        lines = [f"--{self.boundary}", f"Content-Disposition: {disposition}"]
        if ctype is not None:
            lines.append(f"Content-Type: {ctype}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")

    def _generate(self) -> Iterator[bytes]:
        yield self._head
        with self._path.open("rb") as fh:
            yield from self._file_blocks(fh)
        yield self._tail

    def _file_blocks(self, fh: BinaryIO) -> Iterator[bytes]:
        sent = 0
        while block := fh.read(_BLOCK):
            sent += len(block)
            if sent > self._size:
                raise RuntimeError(f"{self._path} grew while it was being uploaded")
            if self._on_read is not None:
                self._on_read(len(block))
            yield block
        if sent != self._size:
            raise RuntimeError(f"{self._path} shrank while it was being uploaded")

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes of the body (all of the rest if ``size < 0``)."""
        while size < 0 or len(self._buffer) < size:
            piece = next(self._pieces, None)
            if piece is None:
                break
            self._buffer += piece
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def __iter__(self) -> Iterator[bytes]:
        while block := self.read(_BLOCK):
            yield block
