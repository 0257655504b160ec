from django.urls import path

from market import api, api_admin
from market.bundles import api as bundles_api
from market.inference import api as inference_api
from market.search import api as search_api
from market.world import api as world_api

urlpatterns = [
    path(
        "semantic-vocabulary/",
        api.SemanticVocabularyApi.as_view(),
        name="semantic-vocabulary",
    ),
    path("learnwares/", api.LearnwareListCreateApi.as_view(), name="learnwares"),
    path("learnwares/mine/", api.MyLearnwareListApi.as_view(), name="learnwares-mine"),
    path(
        "learnwares/search/",
        search_api.LearnwareSearchApi.as_view(),
        name="learnwares-search",
    ),
    path(
        "search/examples/",
        search_api.ExampleSpecListApi.as_view(),
        name="search-examples",
    ),
    path(
        "search/examples/<int:example_id>/stat-spec/",
        search_api.ExampleSpecStatSpecApi.as_view(),
        name="search-example-stat-spec",
    ),
    path(
        "learnwares/<int:learnware_id>/",
        api.LearnwareDetailApi.as_view(),
        name="learnware",
    ),
    path(
        "world/engine/", world_api.WorldEngineDownloadApi.as_view(), name="world-engine"
    ),
    path(
        "learnwares/<int:learnware_id>/download/",
        api.LearnwareDownloadApi.as_view(),
        name="learnware-download",
    ),
    path(
        "learnwares/<int:learnware_id>/bundle/",
        bundles_api.LearnwareBundleApi.as_view(),
        name="learnware-bundle",
    ),
    path("bundles/", bundles_api.BundleCreateApi.as_view(), name="bundles"),
    path(
        "learnwares/<int:learnware_id>/versions/",
        api.VersionListCreateApi.as_view(),
        name="learnware-versions",
    ),
    path("versions/<int:version_id>/", api.VersionDetailApi.as_view(), name="version"),
    path(
        "versions/<int:version_id>/download/",
        api.VersionDownloadApi.as_view(),
        name="version-download",
    ),
    path(
        "versions/<int:version_id>/stat-spec/",
        api.VersionStatSpecApi.as_view(),
        name="version-stat-spec",
    ),
    path(
        "versions/<int:version_id>/recheck/",
        api.VersionRecheckApi.as_view(),
        name="version-recheck",
    ),
    path(
        "versions/<int:version_id>/review/",
        api.VersionReviewApi.as_view(),
        name="version-review",
    ),
    path(
        "learnwares/<int:learnware_id>/predict/",
        inference_api.LearnwarePredictApi.as_view(),
        name="learnware-predict",
    ),
    path("predict/", inference_api.PredictMultipleApi.as_view(), name="predict"),
    path("reviews/", api.ReviewQueueApi.as_view(), name="review-queue"),
    path(
        "admin/learnwares/",
        api_admin.AdminLearnwareListApi.as_view(),
        name="admin-learnwares",
    ),
    path("admin/stats/", api_admin.MarketStatsApi.as_view(), name="admin-stats"),
    path(
        "admin/world/versions/",
        world_api.WorldEngineVersionListApi.as_view(),
        name="admin-world-versions",
    ),
    path(
        "admin/world/versions/<str:engine_version>/activate/",
        world_api.WorldEngineActivateApi.as_view(),
        name="admin-world-version-activate",
    ),
    path(
        "admin/world/projection/",
        world_api.WorldProjectionApi.as_view(),
        name="admin-world-projection",
    ),
    path("notifications/", api.NotificationListApi.as_view(), name="notifications"),
    path(
        "notifications/<int:notification_id>/read/",
        api.NotificationReadApi.as_view(),
        name="notification-read",
    ),
]
