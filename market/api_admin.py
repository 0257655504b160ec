"""HTTP API of the admin console: learnware management, the dashboard's figures and
the specification world's engine versions (train, roll back, look at)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import IsAdmin, IsReviewer
from bmw.api.exceptions import ApplicationError
from bmw.api.serializers import ErrorOutputSerializer
from bmw.api.validation import validated
from learnware_core.specification import semantic
from market import selectors, services
from market.api import (
    LearnwareStateInputSerializer,
    MyLearnwareOutputSerializer,
    OwnerOutputSerializer,
)
from market.models import LearnwareVersion, WorldEngineVersion

_ERRORS = dict.fromkeys((400, 401, 403), ErrorOutputSerializer)


class AdminLearnwareFilterInputSerializer(LearnwareStateInputSerializer):
    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=200,
        help_text="Part of the name or of the owner's e-mail (case-insensitive).",
    )
    status = serializers.ChoiceField(
        choices=LearnwareVersion.Status.choices,
        required=False,
        help_text="The newest version's status.",
    )
    data_type = serializers.ChoiceField(choices=semantic.DATA_TYPES, required=False)
    owner = serializers.IntegerField(required=False, min_value=1)


class AdminLearnwareListApi(generics.ListAPIView):
    """Every learnware in any status, newest first, for reviewers and admins."""

    permission_classes = (IsReviewer,)
    serializer_class = MyLearnwareOutputSerializer

    def get_queryset(self) -> Any:
        filters = validated(
            AdminLearnwareFilterInputSerializer, self.request.query_params
        )
        return selectors.learnware_list_any_status(
            query=filters["q"],
            state=filters.get("state"),
            status=filters.get("status"),
            data_type=filters.get("data_type"),
            owner_id=filters.get("owner"),
        )

    @extend_schema(
        operation_id="admin_learnwares_list",
        parameters=[AdminLearnwareFilterInputSerializer],
        responses={200: MyLearnwareOutputSerializer(many=True), **_ERRORS},
        tags=["admin"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class MarketStatsInputSerializer(serializers.Serializer):
    days = serializers.IntegerField(
        required=False, default=30, min_value=7, max_value=366, help_text="Window."
    )


class MarketTotalsOutputSerializer(serializers.Serializer):
    learnwares = serializers.IntegerField(help_text="Listed (approved) learnwares.")
    users = serializers.IntegerField(help_text="Active users.")
    awaiting_review = serializers.IntegerField()
    downloads = serializers.IntegerField(help_text="All-time, of listed learnwares.")
    searches = serializers.IntegerField(help_text="All-time.")


class MarketDayOutputSerializer(serializers.Serializer):
    date = serializers.DateField()
    submitted = serializers.IntegerField(help_text="Versions uploaded.")
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()
    check_failed = serializers.IntegerField()
    searches = serializers.IntegerField()
    downloads = serializers.IntegerField()
    listed = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Learnwares listed at the end of the day, by data type.",
    )


class MarketStatsOutputSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    totals = MarketTotalsOutputSerializer()
    by_type = serializers.DictField(
        child=serializers.IntegerField(), help_text="Listed learnwares by data type."
    )
    by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text="Versions by status."
    )
    daily = MarketDayOutputSerializer(many=True, help_text="Oldest day first (UTC).")


class MarketStatsApi(APIView):
    """The dashboard's figures: totals and a day-by-day series (reviewers, admins)."""

    permission_classes = (IsReviewer,)

    @extend_schema(
        operation_id="admin_stats",
        parameters=[MarketStatsInputSerializer],
        responses={200: MarketStatsOutputSerializer, **_ERRORS},
        tags=["admin"],
    )
    def get(self, request: Request) -> Response:
        days = validated(MarketStatsInputSerializer, request.query_params)["days"]
        stats = selectors.market_stats(days=days)
        return Response(MarketStatsOutputSerializer(stats).data)


# ------------------------------------------------------------ specification world
class WorldEngineVersionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.CharField(
        allow_null=True, help_text="The engine's content hash; null until trained."
    )
    state = serializers.ChoiceField(choices=WorldEngineVersion.State.choices)
    trigger = serializers.ChoiceField(choices=WorldEngineVersion.Trigger.choices)
    triggered_by = OwnerOutputSerializer(allow_null=True)
    activated_by = OwnerOutputSerializer(allow_null=True)
    learnware_count = serializers.IntegerField(
        help_text="Table learnwares the engine was trained on."
    )
    candidate_count = serializers.SerializerMethodField(
        help_text="Eligible table learnwares when the training was requested."
    )
    metrics = serializers.DictField(
        help_text="Training figures: tables, points, columns, loss_first_epoch, "
        "loss_last_epoch, view_match_top1 (held-out view matching), train_s."
    )
    config = serializers.DictField(help_text="`net` and `train` configuration.")
    progress = serializers.DictField(
        help_text="While running: `{phase: training|regenerating, done, total}`."
    )
    error = serializers.CharField(help_text="Why the training failed.")
    task_id = serializers.CharField(help_text="The training's Celery task id.")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    activated_at = serializers.DateTimeField(allow_null=True)

    def get_candidate_count(self, row: WorldEngineVersion) -> int:
        return len(row.candidates)


class WorldEngineActivationOutputSerializer(WorldEngineVersionOutputSerializer):
    activation_task_id = serializers.CharField(
        allow_null=True,
        help_text="Set with 202: the task generating the system specs of learnwares "
        "approved since the version was trained, then activating it.",
    )


class WorldEngineVersionListApi(generics.ListAPIView):
    """Specification-world engine versions, newest first; POST trains a new one."""

    permission_classes = (IsAdmin,)
    serializer_class = WorldEngineVersionOutputSerializer

    def get_queryset(self) -> Any:
        return selectors.engine_version_list()

    @extend_schema(
        operation_id="admin_world_versions_list",
        responses={200: WorldEngineVersionOutputSerializer(many=True), **_ERRORS},
        tags=["admin"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="admin_world_versions_train",
        request=None,
        responses={
            202: WorldEngineVersionOutputSerializer,
            409: ErrorOutputSerializer,
            **_ERRORS,
        },
        tags=["admin"],
        description="Queue the training of a new version on every eligible table "
        "learnware; once trained, every eligible learnware's system spec is "
        "generated under it and it becomes the active version (the previous one is "
        "retired, kept for rollback). Poll the list to follow it. 400: no eligible "
        "table learnware; 409: a training is already running.",
    )
    def post(self, request: Request) -> Response:
        assert isinstance(request.user, User)
        row = services.world_training_start(triggered_by=request.user)
        return Response(
            WorldEngineVersionOutputSerializer(row).data,
            status=status.HTTP_202_ACCEPTED,
        )


class WorldEngineActivateApi(APIView):
    """Make a ready or retired version the active one (rollback)."""

    permission_classes = (IsAdmin,)

    @extend_schema(
        operation_id="admin_world_versions_activate",
        request=None,
        responses={
            200: WorldEngineActivationOutputSerializer,
            202: WorldEngineActivationOutputSerializer,
            404: ErrorOutputSerializer,
            409: ErrorOutputSerializer,
            **_ERRORS,
        },
        tags=["admin"],
        description="200: active now. 202: learnwares were approved since the "
        "version was trained; a worker generates their system specs, then activates "
        "it. 404: unknown version; 409: the version is training or failed.",
    )
    def post(self, request: Request, engine_version: str) -> Response:
        assert isinstance(request.user, User)
        row, task_id = services.world_activation_request(
            version=engine_version, by=request.user
        )
        body = {**WorldEngineVersionOutputSerializer(row).data}
        body["activation_task_id"] = task_id
        return Response(
            body, status=status.HTTP_202_ACCEPTED if task_id else status.HTTP_200_OK
        )


class WorldProjectionInputSerializer(serializers.Serializer):
    version = serializers.CharField(
        required=False, max_length=32, help_text="Default: the active version."
    )


class WorldIslandOutputSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="Dimension and a short hash of the column descriptions."
    )
    label = serializers.CharField()  # type: ignore[assignment]
    dimension = serializers.IntegerField()
    count = serializers.IntegerField()


class WorldPointOutputSerializer(serializers.Serializer):
    learnware_id = serializers.IntegerField()
    name = serializers.CharField()
    x = serializers.FloatField()
    y = serializers.FloatField()
    island = serializers.CharField(help_text="The key of the learnware's island.")


class WorldProjectionOutputSerializer(serializers.Serializer):
    engine_version = serializers.CharField()
    state = serializers.ChoiceField(choices=WorldEngineVersion.State.choices)
    explained_variance = serializers.ListField(
        child=serializers.FloatField(),
        help_text="Share of the variance along x and y.",
    )
    islands = WorldIslandOutputSerializer(many=True)
    points = WorldPointOutputSerializer(many=True)


class WorldProjectionApi(APIView):
    """The world in 2-D: one point per listed learnware (PCA of its mean system-spec
    embedding), coloured by island (the feature space it comes from)."""

    permission_classes = (IsAdmin,)

    @extend_schema(
        operation_id="admin_world_projection",
        parameters=[WorldProjectionInputSerializer],
        responses={
            200: WorldProjectionOutputSerializer,
            404: ErrorOutputSerializer,
            409: ErrorOutputSerializer,
            **_ERRORS,
        },
        examples=[
            OpenApiExample(
                "No active version",
                status_codes=["404"],
                response_only=True,
                value={
                    "message": "No engine version is active; train one first",
                    "extra": {},
                },
            )
        ],
        tags=["admin"],
    )
    def get(self, request: Request) -> Response:
        version = validated(WorldProjectionInputSerializer, request.query_params).get(
            "version"
        )
        if version:
            row = services.engine_version_or_404(version)
        else:
            active = selectors.engine_version_active()
            if active is None:
                raise ApplicationError(
                    "No engine version is active; train one first", status_code=404
                )
            row = active
        if row.state not in WorldEngineVersion.USABLE_STATES:
            raise ApplicationError(
                f"version {row.version} is {row.get_state_display().lower()}: its "
                "system specifications are not complete",
                extra={"state": row.state},
                status_code=409,
            )
        projection = selectors.world_projection(engine=row)
        return Response(WorldProjectionOutputSerializer(projection).data)
