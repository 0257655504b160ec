"""HTTP API of the market: learnwares, versions and their checks, review, notices."""

from __future__ import annotations

import json
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import IsEmailVerified, IsReviewer
from bmw.api.exceptions import ApplicationError, error_body
from bmw.api.serializers import ErrorOutputSerializer
from bmw.api.validation import validated
from market import search, selectors, services
from market.models import CheckStep, Learnware, LearnwareVersion

SEMANTIC_EXAMPLE = {
    "Data": {"Type": "Class", "Values": ["Table"]},
    "Task": {"Type": "Class", "Values": ["Classification"]},
    "Library": {"Type": "Class", "Values": ["Scikit-learn"]},
    "Scenario": {"Type": "Tag", "Values": ["Education"]},
    "License": {"Type": "Class", "Values": ["MIT"]},
    "Name": {"Type": "String", "Values": "demo table classifier"},
    "Description": {"Type": "String", "Values": "A classifier for a small table task."},
    "Input": {"Dimension": 2, "Description": {"0": "age", "1": "income"}},
    "Output": {"Dimension": 2, "Description": {"0": "no", "1": "yes"}},
}
EXAMPLES = [
    OpenApiExample(
        "Upload",
        request_only=True,
        media_type="multipart/form-data",
        value={"semantic_spec": SEMANTIC_EXAMPLE, "package": "(learnware.zip)"},
    ),
    OpenApiExample(
        "Package over the limit",
        status_codes=["413"],
        response_only=True,
        value={
            "message": "package: 600000000 bytes is over the limit of 536870912 bytes",
            "extra": {"fields": {"package": ["too large"]}},
        },
    ),
    OpenApiExample(
        "Duplicate package",
        status_codes=["409"],
        response_only=True,
        value={
            "message": "package: the same package was already uploaded",
            "extra": {"fields": {"package": ["duplicate"]}, "learnware_id": 42},
        },
    ),
]
SEARCH_EXAMPLES = [
    OpenApiExample(
        "Tags, text and your RKME",
        request_only=True,
        media_type="multipart/form-data",
        value={
            "data_type": "Table",
            "query": "credit risk",
            "stat_spec": "(stat.json from `bmw spec table mydata.csv -o stat.json`)",
            "top_k": 5,
        },
    ),
    OpenApiExample(
        "Bad statistical specification",
        status_codes=["400"],
        response_only=True,
        value={
            "message": "stat_spec: 'beta' has NaN or infinite values",
            "extra": {"fields": {"stat_spec": ["'beta' has NaN or infinite values"]}},
        },
    ),
]

ERRORS = {
    400: ErrorOutputSerializer,
    401: ErrorOutputSerializer,
    403: ErrorOutputSerializer,
    404: ErrorOutputSerializer,
}


def _viewer(request: Request) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


class SemanticSpecField(serializers.JSONField):
    """A semantic spec as a JSON object, or a JSON string (multipart uploads)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except json.JSONDecodeError as exc:
                raise serializers.ValidationError(f"not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise serializers.ValidationError("must be a JSON object")
        return data


# ------------------------------------------------------------------ serializers
class OwnerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField(source="name")


class PickleScanFileOutputSerializer(serializers.Serializer):
    file = serializers.CharField(help_text="Path in the package.")
    format = serializers.CharField(
        help_text="pickle, joblib, zip, pytorch or numpy; '+zlib' etc. if compressed."
    )
    error = serializers.CharField(
        help_text="Why it could not be scanned; '' if it was."
    )


class PickleScanFindingOutputSerializer(serializers.Serializer):
    file = serializers.CharField()
    module = serializers.CharField()
    name = serializers.CharField()
    severity = serializers.ChoiceField(
        choices=[
            ("dangerous", "Dangerous"),
            ("suspicious", "Suspicious"),
            ("innocuous", "Innocuous"),
        ],
        help_text="picklescan's rating of the global; dangerous ones fail the check.",
    )


class PickleScanOutputSerializer(serializers.Serializer):
    scanner = serializers.CharField(help_text="The scanner and its version.")
    files = PickleScanFileOutputSerializer(many=True)
    findings = PickleScanFindingOutputSerializer(
        many=True, help_text="The globals the pickles refer to, dangerous first."
    )
    truncated = serializers.BooleanField(
        help_text="More files or findings than are listed."
    )


class CheckStepDetailsOutputSerializer(serializers.Serializer):
    pickle_scan = PickleScanOutputSerializer(
        allow_null=True, help_text="The pickle scan step's findings."
    )


class CheckStepOutputSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=CheckStep.Status.choices)
    message = serializers.CharField()
    log = serializers.CharField()
    details = CheckStepDetailsOutputSerializer(
        help_text="Structured findings of the step, by kind."
    )
    started_at = serializers.DateTimeField(allow_null=True)
    duration_s = serializers.FloatField(allow_null=True)


class VersionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    learnware_id = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=LearnwareVersion.Status.choices)
    package_size = serializers.IntegerField()
    package_sha256 = serializers.CharField()
    stat_spec_type = serializers.CharField()
    semantic_spec = serializers.JSONField()
    failure_reason = serializers.CharField()
    review_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    checked_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)


class VersionDetailOutputSerializer(VersionOutputSerializer):
    check_steps = CheckStepOutputSerializer(many=True)


class LearnwareOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    owner = OwnerOutputSerializer()
    data_type = serializers.CharField()
    task_type = serializers.CharField()
    library_type = serializers.CharField()
    license = serializers.CharField()
    scenarios = serializers.ListField(child=serializers.CharField())
    semantic_spec = serializers.JSONField()
    live_version = VersionOutputSerializer(allow_null=True)
    downloads = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class LatestVersionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="latest_version_id")
    number = serializers.IntegerField(source="latest_version_number")
    status = serializers.ChoiceField(
        source="latest_version_status", choices=LearnwareVersion.Status.choices
    )


class MyLearnwareOutputSerializer(LearnwareOutputSerializer):
    latest_version = LatestVersionOutputSerializer(
        source="*", help_text="The newest version, approved or not."
    )


class LearnwareCreateOutputSerializer(LearnwareOutputSerializer):
    version = VersionOutputSerializer()


class LearnwareCreateInputSerializer(serializers.Serializer):
    semantic_spec = SemanticSpecField(
        help_text="The semantic specification (original layout), as JSON."
    )
    package = serializers.FileField(help_text="The learnware zip.")


class LearnwareUpdateInputSerializer(serializers.Serializer):
    semantic_spec = SemanticSpecField()


class VersionCreateInputSerializer(serializers.Serializer):
    package = serializers.FileField(required=False)
    semantic_spec = SemanticSpecField(required=False)


class ReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReviewQueueItemOutputSerializer(VersionOutputSerializer):
    learnware_name = serializers.CharField(source="learnware.name")
    owner = OwnerOutputSerializer(source="learnware.owner")
    check_steps = CheckStepOutputSerializer(many=True)


class NotificationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    learnware_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


def _learnware_or_404(request: Request, learnware_id: int) -> Learnware:
    try:
        return selectors.learnware_get(
            learnware_id=learnware_id, viewer=_viewer(request)
        )
    except Learnware.DoesNotExist:
        raise ApplicationError(
            f"learnware {learnware_id} not found", status_code=404
        ) from None


def _version_or_404(request: Request, version_id: int) -> LearnwareVersion:
    try:
        return selectors.version_get(version_id=version_id, viewer=_viewer(request))
    except LearnwareVersion.DoesNotExist:
        raise ApplicationError(
            f"version {version_id} not found", status_code=404
        ) from None


def _download(version: LearnwareVersion) -> FileResponse:
    name = f"learnware-{version.learnware_id:08d}-v{version.number}.zip"
    response = FileResponse(
        version.package.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="application/zip",
    )
    response["Content-Length"] = str(version.package_size)
    return response


# A stored JSON file (a statistical specification), streamed as is.
JSON_FILE_RESPONSES = {
    (200, "application/json"): OpenApiTypes.OBJECT,
    404: ErrorOutputSerializer,
}


def _json_file(field: FieldFile) -> FileResponse:
    return FileResponse(field.open("rb"), content_type="application/json")


# ------------------------------------------------------------------ learnwares
class LearnwareListFilterInputSerializer(serializers.Serializer):
    data_type = serializers.CharField(
        required=False, allow_blank=True, help_text="Table, Image or Text"
    )
    task_type = serializers.CharField(required=False, allow_blank=True)
    library_type = serializers.CharField(required=False, allow_blank=True)
    license = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="only this owner's learnwares",
    )


LIST_FILTERS = [LearnwareListFilterInputSerializer]


class LearnwareListCreateApi(generics.ListAPIView):
    """Approved learnwares (newest first); POST uploads a new learnware."""

    serializer_class = LearnwareOutputSerializer
    parser_classes = (MultiPartParser, JSONParser)

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [IsAuthenticated(), IsEmailVerified()]
        return [AllowAny()]

    def get_queryset(self) -> Any:
        filters = validated(
            LearnwareListFilterInputSerializer, self.request.query_params
        )
        return selectors.learnware_list(
            viewer=_viewer(self.request),
            data_type=filters.get("data_type"),
            task_type=filters.get("task_type"),
            library_type=filters.get("library_type"),
            license=filters.get("license"),
            owner_id=filters.get("owner"),
        )

    @extend_schema(
        operation_id="learnwares_list", parameters=LIST_FILTERS, tags=["learnwares"]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="learnwares_create",
        request={"multipart/form-data": LearnwareCreateInputSerializer},
        responses={
            201: LearnwareCreateOutputSerializer,
            409: ErrorOutputSerializer,
            413: ErrorOutputSerializer,
            **ERRORS,
        },
        examples=EXAMPLES,
        tags=["learnwares"],
    )
    def post(self, request: Request) -> Response:
        data = validated(LearnwareCreateInputSerializer, request.data)
        assert isinstance(request.user, User)
        learnware = services.learnware_create(
            owner=request.user,
            semantic_spec=data["semantic_spec"],
            package=data["package"],
        )
        body = {
            **LearnwareOutputSerializer(learnware).data,
            "version": VersionOutputSerializer(learnware.versions.get()).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class LearnwareStateInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=tuple(selectors.LEARNWARE_STATES),
        required=False,
        help_text="live: listed; in_progress: newest version queued, checking or "
        "awaiting review; attention: newest version failed its checks or was rejected.",
    )


class MyLearnwareListApi(generics.ListAPIView):
    """The signed-in user's learnwares in every status, with the newest version's."""

    serializer_class = MyLearnwareOutputSerializer
    permission_classes = (IsAuthenticated,)

    def get_queryset(self) -> Any:
        filters = validated(LearnwareStateInputSerializer, self.request.query_params)
        user = self.request.user
        assert isinstance(user, User)  # IsAuthenticated
        return selectors.learnware_list_any_status(
            owner_id=user.pk, state=filters.get("state")
        )

    @extend_schema(
        operation_id="my_learnwares_list",
        parameters=[LearnwareStateInputSerializer],
        tags=["learnwares"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class LearnwareDetailApi(APIView):
    def get_permissions(self) -> list[Any]:
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(
        operation_id="learnwares_retrieve",
        responses={200: LearnwareOutputSerializer, 404: ErrorOutputSerializer},
        tags=["learnwares"],
    )
    def get(self, request: Request, learnware_id: int) -> Response:
        return Response(
            LearnwareOutputSerializer(_learnware_or_404(request, learnware_id)).data
        )

    @extend_schema(
        operation_id="learnwares_update",
        request=LearnwareUpdateInputSerializer,
        responses={
            200: LearnwareOutputSerializer,
            202: VersionOutputSerializer,
            **ERRORS,
        },
        tags=["learnwares"],
        description="Cosmetic edits apply at once (200); a change of Data, Task, "
        "Input or Output creates a new version that is checked and reviewed (202).",
    )
    def patch(self, request: Request, learnware_id: int) -> Response:
        learnware = _learnware_or_404(request, learnware_id)
        data = validated(LearnwareUpdateInputSerializer, request.data)
        assert isinstance(request.user, User)
        version = services.learnware_update(
            learnware=learnware, by=request.user, semantic_spec=data["semantic_spec"]
        )
        if version is not None:
            return Response(
                VersionOutputSerializer(version).data, status=status.HTTP_202_ACCEPTED
            )
        learnware.refresh_from_db()
        return Response(LearnwareOutputSerializer(learnware).data)

    @extend_schema(
        operation_id="learnwares_destroy",
        responses={204: None, **ERRORS},
        tags=["learnwares"],
    )
    def delete(self, request: Request, learnware_id: int) -> Response:
        learnware = _learnware_or_404(request, learnware_id)
        assert isinstance(request.user, User)
        services.learnware_delete(learnware=learnware, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LearnwareDownloadApi(APIView):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="learnwares_download",
        responses={(200, "application/zip"): bytes, 404: ErrorOutputSerializer},
        tags=["learnwares"],
        description="The live (approved) version's package; owners and staff get the "
        "newest version if none is approved yet.",
    )
    def get(self, request: Request, learnware_id: int) -> FileResponse:
        learnware = _learnware_or_404(request, learnware_id)
        version = (
            learnware.live_version or learnware.versions.order_by("-number").first()
        )
        if version is None:
            raise ApplicationError("no package to download", status_code=404)
        services.learnware_downloaded(learnware=learnware)
        return _download(version)


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
            raise ApplicationError(
                "no specification-world engine "
                + ("by that name" if name else "is active"),
                status_code=404,
            )
        response = FileResponse(
            row.engine_file.open("rb"),
            as_attachment=True,
            filename=f"{row.version}.pt",
            content_type="application/octet-stream",
        )
        response["X-Engine-Version"] = row.version
        return response


# ------------------------------------------------------------------ versions
class VersionListCreateApi(APIView):
    def get_permissions(self) -> list[Any]:
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsAuthenticated(), IsEmailVerified()]

    @extend_schema(
        operation_id="learnware_versions_list",
        responses={200: VersionOutputSerializer(many=True), 404: ErrorOutputSerializer},
        tags=["versions"],
    )
    def get(self, request: Request, learnware_id: int) -> Response:
        learnware = _learnware_or_404(request, learnware_id)
        versions = selectors.version_list(learnware=learnware, viewer=_viewer(request))
        return Response(VersionOutputSerializer(versions, many=True).data)

    @extend_schema(
        operation_id="learnware_versions_create",
        request={"multipart/form-data": VersionCreateInputSerializer},
        responses={201: VersionOutputSerializer, 409: ErrorOutputSerializer, **ERRORS},
        tags=["versions"],
    )
    def post(self, request: Request, learnware_id: int) -> Response:
        learnware = _learnware_or_404(request, learnware_id)
        data = validated(VersionCreateInputSerializer, request.data)
        assert isinstance(request.user, User)
        version = services.learnware_version_create(
            learnware=learnware,
            by=request.user,
            package=data.get("package"),
            semantic_spec=data.get("semantic_spec"),
        )
        return Response(
            VersionOutputSerializer(version).data, status=status.HTTP_201_CREATED
        )


class VersionDetailApi(APIView):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="versions_retrieve",
        responses={200: VersionDetailOutputSerializer, 404: ErrorOutputSerializer},
        tags=["versions"],
        description="A version with its check steps; poll it to follow checks live.",
    )
    def get(self, request: Request, version_id: int) -> Response:
        version = _version_or_404(request, version_id)
        data = {
            **VersionOutputSerializer(version).data,
            "check_steps": selectors.check_steps(version=version),
        }
        return Response(VersionDetailOutputSerializer(data).data)


class VersionDownloadApi(APIView):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="versions_download",
        responses={(200, "application/zip"): bytes, 404: ErrorOutputSerializer},
        tags=["versions"],
    )
    def get(self, request: Request, version_id: int) -> FileResponse:
        version = _version_or_404(request, version_id)
        services.learnware_downloaded(learnware=version.learnware)
        return _download(version)


class VersionStatSpecApi(APIView):
    """The version's statistical specification (the RKME JSON in its package).

    Public like the package itself; the search page offers listed learnwares' specs
    as examples to search with.
    """

    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="versions_stat_spec",
        responses=JSON_FILE_RESPONSES,
        tags=["versions"],
    )
    def get(self, request: Request, version_id: int) -> FileResponse:
        version = _version_or_404(request, version_id)
        if not version.stat_spec_file:
            raise ApplicationError(
                "This version has no statistical specification", status_code=404
            )
        return _json_file(version.stat_spec_file)


class VersionRecheckApi(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="versions_recheck",
        request=None,
        responses={202: VersionOutputSerializer, 409: ErrorOutputSerializer, **ERRORS},
        tags=["versions"],
    )
    def post(self, request: Request, version_id: int) -> Response:
        version = _version_or_404(request, version_id)
        assert isinstance(request.user, User)
        version = services.learnware_version_recheck(version=version, by=request.user)
        return Response(
            VersionOutputSerializer(version).data, status=status.HTTP_202_ACCEPTED
        )


# ------------------------------------------------------------------ review
class ReviewQueueApi(generics.ListAPIView):
    """Versions that passed their checks and wait for a reviewer, oldest first."""

    serializer_class = ReviewQueueItemOutputSerializer
    permission_classes = (IsReviewer,)

    def get_queryset(self) -> Any:
        return selectors.review_queue()

    @extend_schema(operation_id="reviews_queue", tags=["review"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class VersionReviewApi(APIView):
    permission_classes = (IsReviewer,)

    @extend_schema(
        operation_id="versions_review",
        request=ReviewInputSerializer,
        responses={200: VersionOutputSerializer, 409: ErrorOutputSerializer, **ERRORS},
        tags=["review"],
    )
    def post(self, request: Request, version_id: int) -> Response:
        version = _version_or_404(request, version_id)
        data = validated(ReviewInputSerializer, request.data)
        assert isinstance(request.user, User)
        version = services.learnware_version_review(
            version=version,
            reviewer=request.user,
            approve=data["decision"] == "approve",
            reason=data.get("reason", ""),
        )
        return Response(VersionOutputSerializer(version).data)


# ------------------------------------------------------------------ notifications
class NotificationListFilterInputSerializer(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False,
        default=False,
        help_text="only unread notices (count = unread)",
    )


class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationOutputSerializer
    permission_classes = (IsAuthenticated,)

    def get_queryset(self) -> Any:
        assert isinstance(self.request.user, User)
        filters = validated(
            NotificationListFilterInputSerializer, self.request.query_params
        )
        return selectors.notification_list(
            user=self.request.user, unread=filters["unread"]
        )

    @extend_schema(
        operation_id="notifications_list",
        parameters=[NotificationListFilterInputSerializer],
        tags=["notifications"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationReadApi(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="notifications_read",
        request=None,
        responses={204: None, 404: ErrorOutputSerializer},
        tags=["notifications"],
    )
    def post(self, request: Request, notification_id: int) -> Response:
        assert isinstance(request.user, User)
        if (
            not selectors.notification_list(user=request.user)
            .filter(id=notification_id)
            .exists()
        ):
            raise ApplicationError(
                f"notification {notification_id} not found", status_code=404
            )
        services.notification_mark_read(
            user=request.user, notification_id=notification_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# ------------------------------------------------------------------ vocabulary
class SemanticVocabularyOutputSerializer(serializers.Serializer):
    data_types = serializers.ListField(child=serializers.CharField())
    task_types = serializers.ListField(child=serializers.CharField())
    library_types = serializers.ListField(child=serializers.CharField())
    scenarios = serializers.ListField(child=serializers.CharField())
    licenses = serializers.ListField(child=serializers.CharField())
    model_types = serializers.ListField(child=serializers.CharField())
    tasks_by_data = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The tasks allowed for each data type.",
    )
    name_length = serializers.ListField(
        child=serializers.IntegerField(), help_text="[min, max] characters"
    )
    description_length = serializers.ListField(
        child=serializers.IntegerField(), help_text="[min, max] characters"
    )


class SemanticVocabularyApi(APIView):
    """The values a semantic specification may use (for forms and clients)."""

    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="semantic_vocabulary",
        responses={200: SemanticVocabularyOutputSerializer},
        tags=["learnwares"],
    )
    def get(self, request: Request) -> Response:
        return Response(
            SemanticVocabularyOutputSerializer(selectors.semantic_vocabulary()).data
        )


# ------------------------------------------------------------------ search
class LearnwareSearchInputSerializer(serializers.Serializer):
    data_type = serializers.CharField(required=False, allow_blank=True)
    task_type = serializers.CharField(required=False, allow_blank=True)
    library_type = serializers.CharField(required=False, allow_blank=True)
    license = serializers.CharField(required=False, allow_blank=True)
    scenarios = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="any of these"
    )
    query = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Text matched against names (typo-tolerant) and by meaning.",
    )
    stat_spec = serializers.FileField(
        required=False,
        help_text="Your RKME stat.json, made locally from your data "
        "(`bmw spec table DATA -o stat.json`): ranks by MMD.",
    )
    top_k = serializers.IntegerField(required=False, min_value=1, max_value=100)
    multiple = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Also look for a weighted combination of learnwares (slower).",
    )
    input = SemanticSpecField(
        required=False,
        help_text="Your table's columns, as the semantic spec's Input: "
        '`{"Dimension": 2, "Description": {"0": "age", "1": "income"}}` (JSON). '
        "With it, a table RKME that no learnware shares the columns of is searched "
        "in the specification world (heterogeneous search).",
    )
    hetero = serializers.BooleanField(
        required=False,  # no default: false (optional in the generated client)
        help_text="Search the specification world even if learnwares share your "
        "columns (needs `input` and an active engine). Default false.",
    )


class SearchHitOutputSerializer(serializers.Serializer):
    learnware = LearnwareOutputSerializer()
    score = serializers.FloatField(
        allow_null=True,
        help_text="In [0, 1], comparable across queries: exp(-MMD^2 / (10 r)) with "
        "r the kernel's resolution for statistical search; the text score otherwise.",
    )
    mmd2 = serializers.FloatField(allow_null=True, help_text="Exact squared MMD.")
    text_score = serializers.FloatField(allow_null=True)


class SearchMultipleOutputSerializer(serializers.Serializer):
    learnwares = LearnwareOutputSerializer(many=True)
    weights = serializers.ListField(
        child=serializers.FloatField(), help_text="Mixture weights (sum to 1)."
    )
    mmd2 = serializers.FloatField()
    score = serializers.FloatField()
    reason = serializers.CharField()


class LearnwareSearchOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = SearchHitOutputSerializer(many=True)
    multiple = SearchMultipleOutputSerializer(allow_null=True)
    heterogeneous = serializers.BooleanField(
        required=False,
        help_text="The ranking was done in the specification world: the results "
        "come from other feature spaces (reuse them through the world).",
    )
    engine_version = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="The specification-world engine version used, if heterogeneous.",
    )


class LearnwareSearchApi(APIView):
    """Search approved learnwares by tags, text and (optionally) your RKME."""

    permission_classes = (AllowAny,)
    parser_classes = (MultiPartParser, FormParser, JSONParser)
    throttle_scope = "search"

    @extend_schema(
        operation_id="learnwares_search",
        request={
            "multipart/form-data": LearnwareSearchInputSerializer,
            "application/json": LearnwareSearchInputSerializer,
        },
        responses={
            200: LearnwareSearchOutputSerializer,
            400: ErrorOutputSerializer,
            429: ErrorOutputSerializer,
            503: ErrorOutputSerializer,
        },
        examples=SEARCH_EXAMPLES,
        tags=["search"],
    )
    def post(self, request: Request) -> Response:
        data = validated(LearnwareSearchInputSerializer, request.data)
        stat_spec = None
        if data.get("stat_spec") is not None:
            stat_spec = search.stat_spec_parse(data["stat_spec"].read())
        descriptions = search.input_description_parse(data.get("input"), stat_spec)
        hetero = bool(data.get("hetero", False))
        if hetero and (stat_spec is None or descriptions is None):
            problem = "heterogeneous search needs a stat_spec and your input"
            raise ApplicationError(problem, extra={"fields": {"hetero": [problem]}})
        filters = search.SearchFilters(
            **{
                f"{key}s": (data[key],)
                for key in ("data_type", "task_type", "library_type", "license")
                if data.get(key)
            },
            scenarios=tuple(data.get("scenarios", ())),
            text=data.get("query", ""),
        )
        try:
            outcome = search.learnware_search(
                viewer=_viewer(request),
                filters=filters,
                stat_spec=stat_spec,
                top_k=data.get("top_k", 10),
                multiple=data["multiple"],
                input_description=descriptions,
                hetero=hetero,
            )
        except search.SearchUnavailable as exc:
            return Response(
                error_body(
                    "Search is unavailable: no search worker answered; try again soon",
                    {"detail": str(exc)},
                ),
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "5"},
            )
        response = Response(
            LearnwareSearchOutputSerializer(
                {
                    "count": outcome.count,
                    "results": outcome.hits,
                    "multiple": outcome.multiple,
                    "heterogeneous": outcome.heterogeneous,
                    "engine_version": outcome.engine_version,
                }
            ).data
        )
        return response


class ExampleSpecOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    data_type = serializers.CharField()
    stat_spec_type = serializers.CharField()


class ExampleSpecListApi(APIView):
    """Example user specifications to try on the search page (the demo market's)."""

    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="search_examples_list",
        responses={200: ExampleSpecOutputSerializer(many=True)},
        tags=["search"],
    )
    def get(self, request: Request) -> Response:
        return Response(
            ExampleSpecOutputSerializer(selectors.example_spec_list(), many=True).data
        )


class ExampleSpecStatSpecApi(APIView):
    """An example's statistical specification (RKME JSON), to search with."""

    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="search_examples_stat_spec",
        responses=JSON_FILE_RESPONSES,
        tags=["search"],
    )
    def get(self, request: Request, example_id: int) -> FileResponse:
        example = selectors.example_spec_list().filter(id=example_id).first()
        if example is None:
            raise ApplicationError("No such example", status_code=404)
        return _json_file(example.stat_spec_file)
