"""Where ``bmw login`` keeps the dock URL and API token (a 0600 JSON file)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Credentials", "credentials_path", "load_credentials", "save_credentials"]


@dataclass(frozen=True)
class Credentials:
    """The dock's base URL (``https://host``) and an API token for it."""

    url: str
    token: str


def credentials_path() -> Path:
    """``$XDG_CONFIG_HOME/bmw/credentials`` (default ``~/.config/bmw/credentials``)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "bmw" / "credentials"


def load_credentials(path: Path | None = None) -> Credentials | None:
    """The saved credentials, or None if there are none (or they are unreadable)."""
    target = path or credentials_path()
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    url, token = data.get("url"), data.get("token")
    if not isinstance(url, str) or not isinstance(token, str):
        return None
    return Credentials(url=url, token=token)


def save_credentials(credentials: Credentials, path: Path | None = None) -> Path:
    """Write ``credentials`` atomically, readable by the user only (mode 0600)."""
    target = path or credentials_path()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = json.dumps({"url": credentials.url, "token": credentials.token})
    # mkstemp creates the file 0600, so the token is never readable by others.
    fd, tmp = tempfile.mkstemp(prefix=".credentials.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
