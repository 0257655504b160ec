"""Routes of the compat API: the original's paths under ``/api/compat/v1/``."""

from django.urls import path

from market.compat import api

urlpatterns = [
    path(
        "auth/login_by_token",
        api.CompatLoginByTokenApi.as_view(),
        name="compat-login-by-token",
    ),
    path("auth/logout", api.CompatLogoutApi.as_view(), name="compat-logout"),
    path(
        "user/chunked_upload",
        api.CompatChunkedUploadApi.as_view(),
        name="compat-chunked-upload",
    ),
    path(
        "user/add_learnware_uploaded",
        api.CompatAddLearnwareUploadedApi.as_view(),
        name="compat-add-learnware-uploaded",
    ),
    path(
        "user/update_learnware",
        api.CompatUpdateLearnwareApi.as_view(),
        name="compat-update-learnware",
    ),
    path(
        "user/delete_learnware",
        api.CompatDeleteLearnwareApi.as_view(),
        name="compat-delete-learnware",
    ),
    path(
        "user/list_learnware",
        api.CompatListLearnwareApi.as_view(),
        name="compat-list-learnware",
    ),
    path(
        "engine/learnware_info",
        api.CompatLearnwareInfoApi.as_view(),
        name="compat-learnware-info",
    ),
    path(
        "engine/download_learnware",
        api.CompatDownloadLearnwareApi.as_view(),
        name="compat-download-learnware",
    ),
    path(
        "engine/search_learnware",
        api.CompatSearchLearnwareApi.as_view(),
        name="compat-search-learnware",
    ),
    path(
        "engine/semantic_specification",
        api.CompatSemanticSpecificationApi.as_view(),
        name="compat-semantic-specification",
    ),
]
