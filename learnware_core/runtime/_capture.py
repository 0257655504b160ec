"""Bounded capture of a child's output: the first and last N bytes of each stream."""

from __future__ import annotations

__all__ = ["BoundedBuffer"]


class BoundedBuffer:
    """Keep the first ``keep`` and the last ``keep`` bytes written, count the rest.

    Memory stays below ``2 * keep`` bytes however much is written.

    Parameters
    ----------
    keep : int
        Bytes kept at each end.
    """

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.total = 0
        self._head = bytearray()
        self._tail = bytearray()

    def write(self, data: bytes) -> None:
        """Append ``data``."""
        self.total += len(data)
        room = self.keep - len(self._head)
        if room > 0:
            self._head += data[:room]
            data = data[room:]
        if data:
            self._tail += data[-self.keep :]
            del self._tail[: -self.keep]

    def text(self) -> str:
        """Return the kept bytes as text, with a marker where bytes were dropped."""
        omitted = self.total - len(self._head) - len(self._tail)
        head = self._head.decode("utf-8", "replace")
        tail = self._tail.decode("utf-8", "replace")
        if omitted <= 0:
            return head + tail
        return f"{head}\n[... {omitted} bytes omitted ...]\n{tail}"
