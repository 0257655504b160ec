"""Non-API views: the single-page app's index and JSON error pages for ``/api/``."""

from __future__ import annotations

from django.conf import settings
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.views.defaults import page_not_found, server_error

from bmw.api.exceptions import error_body


def frontend_index(request: HttpRequest, path: str = "") -> HttpResponseBase:
    """Serve the built React app's ``index.html``; its router handles the path."""
    index = settings.BMW_FRONTEND_DIST / "index.html"
    if not index.is_file():
        return HttpResponse(
            "The web frontend is not built: run `make frontend` (or `make run`).",
            status=503,
            content_type="text/plain",
        )
    response = FileResponse(index.open("rb"), content_type="text/html")
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
    if _is_api(request):
        return JsonResponse(
            error_body("Internal server error; it has been logged."), status=500
        )
    return server_error(request)
