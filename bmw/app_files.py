"""Serving the built web app's files (WhiteNoise), all but its ``index.html``."""

from __future__ import annotations

from typing import Any

from whitenoise.middleware import WhiteNoiseMiddleware

APP_INDEX = "/index.html"


class AppFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise for ``frontend/dist`` and the static files, except ``/index.html``.

    The app's page is always answered by :func:`bmw.views.frontend_index`, which
    puts the response's CSP nonce where Vite left its placeholder; served as a plain
    file (``/index.html`` by name) the page's styles would be refused.
    """

    def add_file_to_dictionary(
        self, url: str, path: str, stat_cache: dict[str, Any] | None = None
    ) -> None:
        if url != APP_INDEX:
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file(self, url: str) -> Any:  # with autorefresh (DEBUG)
        return None if url == APP_INDEX else super().find_file(url)
