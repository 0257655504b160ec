"""Small file helpers shared by the package writer and the CLI."""

from __future__ import annotations

import os


def default_file_mode() -> int:
    """``0o666`` minus the process umask: the mode ``open(path, "w")`` would give.

    ``tempfile.mkstemp`` creates 0600 files; files renamed into place from it are
    given this mode so they look like any other file the user wrote.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask
