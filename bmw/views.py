"""Non-API views: the single-page app's index and JSON error pages for ``/api/``."""

from __future__ import annotations

import sys

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.views.defaults import page_not_found, server_error

from bmw.api.exceptions import error_body
from bmw.outages import RETRY_AFTER_S, unavailable_dependency

CSP_NONCE_PLACEHOLDER = b"BMW_CSP_NONCE"


def frontend_index(request: HttpRequest, path: str = "") -> HttpResponseBase:
    """Serve the built React app's ``index.html``; its router handles the path."""
    index = settings.BMW_FRONTEND_DIST / "index.html"
    if not index.is_file():
        return HttpResponse(
            "The web frontend is not built: run `make frontend` (or `make run`).",
            status=503,
            content_type="text/plain",
        )
    # The response's CSP nonce goes where Vite left its placeholder (vite.config.ts
    # html.cspNonce): Mantine reads it from the csp-nonce meta tag for its <style>s.
    nonce = str(getattr(request, "csp_nonce", ""))
    html = index.read_bytes().replace(CSP_NONCE_PLACEHOLDER, nonce.encode())
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            error_body(f"No API endpoint at {request.path}"), status=404
        )
    return page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    """500, or 503 with ``Retry-After`` when a dependency (database, Redis) is down:
    the request may succeed once it is back, so clients should retry."""
    dependency = unavailable_dependency(sys.exc_info()[1])
    if dependency is not None:
        message = f"The {dependency} is unavailable; try again shortly."
        response: HttpResponse
        if _is_api(request):
            response = JsonResponse(
                error_body(message, {"dependency": dependency}), status=503
            )
        else:
            response = HttpResponse(message, status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response
    if _is_api(request):
        return JsonResponse(
            error_body("Internal server error; it has been logged."), status=500
        )
    return server_error(request)
