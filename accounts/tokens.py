"""Secrets handed to users: how they are generated, recognised and hashed.

Pure helpers (no database). Only SHA-256 digests are stored: the secrets carry 256
bits of randomness, so a fast unsalted hash is enough — nobody can brute-force the
pre-image, unlike a password.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

API_TOKEN_PREFIX = "bmw_"
_API_TOKEN_RE = re.compile(r"bmw_([0-9a-f]{8})_([A-Za-z0-9_-]{43})")


def token_hash(raw: str) -> str:
    """The hex SHA-256 of a secret, as stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


def email_token_new() -> str:
    """A URL-safe secret for a link in an e-mail (32 random bytes)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class ApiTokenParts:
    prefix: str  # 8 hex characters: public, used to find the row and shown in lists
    raw: str  # the whole token, bmw_<prefix>_<secret>


def api_token_new() -> ApiTokenParts:
    """A new API token ``bmw_<8 hex>_<43 url-safe chars>`` (256-bit secret)."""
    prefix = secrets.token_hex(4)
    return ApiTokenParts(
        prefix=prefix, raw=f"{API_TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    )


def api_token_prefix(raw: str) -> str | None:
    """The lookup prefix of a well-formed API token, else None."""
    match = _API_TOKEN_RE.fullmatch(raw)
    return match.group(1) if match else None
