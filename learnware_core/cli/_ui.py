"""Terminal output helpers for ``bmw``: messages, progress bars, check marks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

__all__ = ["echo", "error_line", "progress_enabled", "steps", "symbols", "warn"]


def echo(message: str = "", *, stream: TextIO | None = None) -> None:
    """Write one line to stdout (or ``stream``)."""
    out = stream if stream is not None else sys.stdout
    out.write(message + "\n")
    out.flush()


def error_line(message: str) -> None:
    """Write ``bmw: error: <message>`` to stderr as a single line."""
    flat = "; ".join(part.strip() for part in str(message).splitlines() if part.strip())
    echo(f"bmw: error: {flat or 'unknown error'}", stream=sys.stderr)


def warn(message: str) -> None:
    """Write ``bmw: warning: <message>`` to stderr as a single line."""
    flat = "; ".join(part.strip() for part in str(message).splitlines() if part.strip())
    echo(f"bmw: warning: {flat}", stream=sys.stderr)


def progress_enabled(quiet: bool) -> bool:
    """Progress bars only for interactive terminals and without ``--quiet``."""
    return not quiet and sys.stderr.isatty()


@contextmanager
def steps(total: int, desc: str, *, enabled: bool) -> Iterator[Any]:
    """A tqdm bar over ``total`` named stages (``bar.set_postfix_str``, ``update``).

    Yields an object with ``update(n)`` and ``set_postfix_str(s)`` whether or not
    the bar is shown.
    """
    if not enabled:
        yield _NoBar()
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=desc, unit="step", leave=False, file=sys.stderr) as bar:
        yield bar


class _NoBar:
    def update(self, n: int = 1) -> None:
        """Do nothing."""

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        """Do nothing."""


def symbols(stream: TextIO | None = None) -> dict[str, str]:
    """Status marks, falling back to ASCII if the terminal cannot print them."""
    out = stream if stream is not None else sys.stdout
    fancy = {"pass": "✓", "fail": "✗", "warn": "!", "skip": "-"}
    try:
        "".join(fancy.values()).encode(out.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return {"pass": "OK", "fail": "FAIL", "warn": "WARN", "skip": "--"}
    return fancy
