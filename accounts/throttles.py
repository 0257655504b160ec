"""Throttles beyond DRF's per-client ``ScopedRateThrottle``."""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle


class ScopedEmailRateThrottle(ScopedRateThrottle):
    """The view's scope rate, counted per e-mail address in the request body.

    Beside the per-IP count this stops one account being targeted from many
    addresses (password guessing, reset-mail bombing).
    """

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        data = request.data
        email = data.get("email") if hasattr(data, "get") else None
        if not isinstance(email, str) or not email.strip():
            return None  # the input serializer reports the missing field
        ident = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": f"{self.scope}-email", "ident": ident}
