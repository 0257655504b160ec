"""Domain errors: what services raise when a request cannot be done.

Each class names what went wrong in the domain's terms; the HTTP layer
(:func:`bmw.api.exceptions.status_of`) is the one place that turns a kind into a
status code, so services never speak HTTP. Every error carries a message a client can
act on and JSON-ready ``extra`` (field errors go under ``extra["fields"]``).
"""

from __future__ import annotations

from typing import Any

from bmw.outages import RETRY_AFTER_S


class ApplicationError(Exception):
    """A business-rule failure the client can fix (invalid input)."""

    def __init__(self, message: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    """The caller may not do this (authenticated, but not allowed)."""


class NotFoundError(ApplicationError):
    """The thing named does not exist (or the caller may not know it does)."""


class ConflictError(ApplicationError):
    """The thing is not in a state that allows this (or already exists)."""


class TooLargeError(ApplicationError):
    """An upload or input is over a size limit."""


class RateLimitedError(ApplicationError):
    """Too many requests or jobs of this caller; retry after ``retry_after_s``."""

    def __init__(
        self, message: str, *, retry_after_s: int, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(
            message, extra={**(extra or {}), "retry_after_s": retry_after_s}
        )
        self.retry_after_s = retry_after_s


class UnavailableError(ApplicationError):
    """A dependency (a worker, the broker, the file store) is away: retry later.

    The one way the dock says "try again shortly": 503 with ``Retry-After``.
    """

    def __init__(
        self,
        message: str,
        *,
        extra: dict[str, Any] | None = None,
        retry_after_s: int = RETRY_AFTER_S,
    ) -> None:
        super().__init__(message, extra=extra)
        self.retry_after_s = retry_after_s


class LearnwareFailedError(ApplicationError):
    """The learnware's own code failed on the input (its fault, not the dock's)."""


class TimedOutError(ApplicationError):
    """The work was taken but did not finish in time (not the caller's input)."""
