"""URL routes: ``/api/`` (REST, documented), ``/healthz``, admin, and the web app."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from bmw import views
from bmw.api.views import ApiRootApi, HealthApi

api_patterns: list[URLPattern | URLResolver] = [
    path("", ApiRootApi.as_view(), name="api-root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its init script from /api/docs/?script (no inline
    # script); the template puts the CSP nonce on its one inline <style>.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="bmw/swagger_ui.html"
        ),
        name="swagger-ui",
    ),
    path("", include("accounts.urls")),
    path("", include("market.urls")),
]

urlpatterns = [
    # The original Beimingwu's API for its LearnwareClient (before api/, not shadowed).
    path("api/compat/v1/", include("market.compat.urls")),
    path("api/", include(api_patterns)),
    path("healthz", HealthApi.as_view(), name="healthz"),
    path("admin/", admin.site.urls),
    # Everything else belongs to the React app's router (but unknown /api/ stays a 404).
    re_path(
        r"^(?!api/|admin/|static/|media/)(?P<path>.*)$",
        views.frontend_index,
        name="frontend",
    ),
]

handler404 = "bmw.views.handler404"
handler500 = "bmw.views.handler500"
