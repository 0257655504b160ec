"""HTTP API of the specification world: the public engine download, and for admins
the engine versions (train, activate / roll back) and the 2-D map."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_shared import OwnerOutputSerializer
from accounts.models import User
from accounts.permissions import IsAdmin
from bmw.api.serializers import ErrorOutputSerializer
from bmw.api.validation import validated
from bmw.errors import ConflictError, NotFoundError
from market.models import WorldEngineVersion
from market.world import selectors, services

_ERRORS = dict.fromkeys((400, 401, 403), ErrorOutputSerializer)


class WorldEngineDownloadApi(APIView):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="world_engine_download",
        parameters=[
            OpenApiParameter(
                "version", str, description="an engine version; default the active"
            )
        ],
        responses={
            (200, "application/octet-stream"): bytes,
            404: ErrorOutputSerializer,
        },
        tags=["search"],
        description="The specification-world engine (weights, loadable with "
        "`learnware_core.specworld.WorldEngine.from_bytes`), so users map their own "
        "rows for heterogeneous reuse; the `X-Engine-Version` header names it.",
    )
    def get(self, request: Request) -> FileResponse:
        name = request.query_params.get("version")
        row = (
            services.engine_version_or_404(name)
            if name
            else selectors.engine_version_active()
        )
        if row is None or not row.version or not row.engine_file:
            raise NotFoundError(
                "no specification-world engine "
                + ("by that name" if name else "is active")
            )
        response = FileResponse(
            row.engine_file.open("rb"),
            as_attachment=True,
            filename=f"{row.version}.pt",
            content_type="application/octet-stream",
        )
        response["X-Engine-Version"] = row.version
        return response


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
                raise NotFoundError("No engine version is active; train one first")
            row = active
        if row.state not in WorldEngineVersion.USABLE_STATES:
            raise ConflictError(
                f"version {row.version} is {row.get_state_display().lower()}: its "
                "system specifications are not complete",
                extra={"state": row.state},
            )
        projection = selectors.world_projection(engine=row)
        return Response(WorldProjectionOutputSerializer(projection).data)
