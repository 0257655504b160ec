"""HTTP API of the market: learnwares, versions, reviews, notifications, vocabulary."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_shared import OwnerOutputSerializer
from accounts.models import User
from accounts.permissions import IsEmailVerified, IsReviewer
from bmw.api.parsers import BoundedJSONParser
from bmw.api.serializers import ErrorOutputSerializer
from bmw.api.validation import validated
from bmw.errors import NotFoundError
from market import selectors, services
from market.api_shared import (
    ERRORS,
    JSON_FILE_RESPONSES,
    CheckStepOutputSerializer,
    LearnwareOutputSerializer,
    LearnwareStateInputSerializer,
    MyLearnwareOutputSerializer,
    SemanticSpecField,
    VersionDetailOutputSerializer,
    VersionOutputSerializer,
    json_file,
    learnware_or_404,
    package_download,
    version_or_404,
    viewer,
)

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
    parser_classes = (MultiPartParser, BoundedJSONParser)

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [IsAuthenticated(), IsEmailVerified()]
        return [AllowAny()]

    def get_queryset(self) -> Any:
        filters = validated(
            LearnwareListFilterInputSerializer, self.request.query_params
        )
        return selectors.learnware_list(
            viewer=viewer(self.request),
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
            429: ErrorOutputSerializer,
            **ERRORS,
        },
        examples=EXAMPLES,
        tags=["learnwares"],
    )
    def post(self, request: Request) -> Response:
        assert isinstance(request.user, User)
        services.upload_quota_check(user=request.user)
        data = validated(LearnwareCreateInputSerializer, request.data)
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
            LearnwareOutputSerializer(learnware_or_404(request, learnware_id)).data
        )

    @extend_schema(
        operation_id="learnwares_update",
        request=LearnwareUpdateInputSerializer,
        responses={
            200: LearnwareOutputSerializer,
            202: VersionOutputSerializer,
            429: ErrorOutputSerializer,
            **ERRORS,
        },
        tags=["learnwares"],
        description="Any change (name, description, tags, Data, Task, Input, "
        "Output) creates a new version of the same package that is checked (the "
        "sensitive-words check among the checks) and reviewed like an upload (202); "
        "a listed learnware keeps showing its approved text until then. Nothing "
        "changed: 200 with the learnware.",
    )
    def patch(self, request: Request, learnware_id: int) -> Response:
        learnware = learnware_or_404(request, learnware_id)
        data = validated(LearnwareUpdateInputSerializer, request.data)
        assert isinstance(request.user, User)
        services.upload_quota_check(user=request.user)
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
        learnware = learnware_or_404(request, learnware_id)
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
        learnware = learnware_or_404(request, learnware_id)
        version = (
            learnware.live_version or learnware.versions.order_by("-number").first()
        )
        if version is None:
            raise NotFoundError("no package to download")
        services.learnware_downloaded(learnware=learnware)
        return package_download(version)


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
        learnware = learnware_or_404(request, learnware_id)
        versions = selectors.version_list(learnware=learnware, viewer=viewer(request))
        return Response(VersionOutputSerializer(versions, many=True).data)

    @extend_schema(
        operation_id="learnware_versions_create",
        request={"multipart/form-data": VersionCreateInputSerializer},
        responses={
            201: VersionOutputSerializer,
            409: ErrorOutputSerializer,
            429: ErrorOutputSerializer,
            **ERRORS,
        },
        tags=["versions"],
    )
    def post(self, request: Request, learnware_id: int) -> Response:
        learnware = learnware_or_404(request, learnware_id)
        assert isinstance(request.user, User)
        services.upload_quota_check(user=request.user)
        data = validated(VersionCreateInputSerializer, request.data)
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
        version = version_or_404(request, version_id)
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
        version = version_or_404(request, version_id)
        services.learnware_downloaded(learnware=version.learnware)
        return package_download(version)


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
        version = version_or_404(request, version_id)
        if not version.stat_spec_file:
            raise NotFoundError("This version has no statistical specification")
        return json_file(version.stat_spec_file)


class VersionRecheckApi(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="versions_recheck",
        request=None,
        responses={
            202: VersionOutputSerializer,
            409: ErrorOutputSerializer,
            429: ErrorOutputSerializer,
            **ERRORS,
        },
        tags=["versions"],
    )
    def post(self, request: Request, version_id: int) -> Response:
        version = version_or_404(request, version_id)
        assert isinstance(request.user, User)
        services.upload_quota_check(user=request.user, new_version=False)
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
        version = version_or_404(request, version_id)
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
            raise NotFoundError(f"notification {notification_id} not found")
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
