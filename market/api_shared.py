"""What the market's views share: the viewer, lookups that answer 404, the learnware
and version serializers, file responses and the common error responses.

The one public module for this: views of the market and of its slices import from
here, never from another view module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from accounts.api_shared import OwnerOutputSerializer
from accounts.models import User
from bmw.api.parsers import json_loads_bounded
from bmw.api.serializers import ErrorOutputSerializer
from bmw.errors import ApplicationError, NotFoundError
from market import selectors
from market.models import CheckStep, Learnware, LearnwareVersion

ERRORS = {
    400: ErrorOutputSerializer,
    401: ErrorOutputSerializer,
    403: ErrorOutputSerializer,
    404: ErrorOutputSerializer,
}


def viewer(request: Request) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def caller_key(request: Request) -> str:
    """Whose job this is, for per-caller limits: ``user:<id>``, else the client's
    address as the throttles see it (``addr:<ip>``, ``BMW_NUM_PROXIES`` honoured)."""
    user = viewer(request)
    if user is not None:
        return f"user:{user.id}"
    return f"addr:{BaseThrottle().get_ident(request)}"


class SemanticSpecField(serializers.JSONField):
    """A semantic spec as a JSON object, or a JSON string (multipart uploads) of at
    most ``BMW_JSON_MAX_BYTES`` nested at most ``BMW_JSON_MAX_DEPTH`` deep."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            data = json_loads_bounded(data, field=self.field_name or "semantic_spec")
        if not isinstance(data, dict):
            raise serializers.ValidationError("must be a JSON object")
        return data


def search_input_check(
    *, text: tuple[str, str], tags: Mapping[str, Sequence[str]]
) -> None:
    """Refuse search input over the caps, the same on API v1 and the compat API:
    ``text`` is (field, free text) of at most ``BMW_SEARCH_TEXT_MAX_CHARS``; ``tags``
    maps a field to its values (at most ``BMW_SEARCH_TAG_VALUES_MAX`` of at most
    ``BMW_SEARCH_TAG_MAX_CHARS`` each). ``ApplicationError`` naming the field."""

    def refuse(field: str, problem: str) -> ApplicationError:
        return ApplicationError(
            f"{field}: {problem}", extra={"fields": {field: [problem]}}
        )

    field, value = text
    limit = settings.BMW_SEARCH_TEXT_MAX_CHARS
    if len(value) > limit:
        raise refuse(field, f"{len(value)} characters is over the limit of {limit}")
    count, chars = settings.BMW_SEARCH_TAG_VALUES_MAX, settings.BMW_SEARCH_TAG_MAX_CHARS
    for field, values in tags.items():
        if len(values) > count:
            raise refuse(field, f"{len(values)} values is over the limit of {count}")
        if any(len(v) > chars for v in values):
            raise refuse(field, f"a value is over the limit of {chars} characters")


# ------------------------------------------------------------------ serializers
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


class LearnwareStateInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=tuple(selectors.LEARNWARE_STATES),
        required=False,
        help_text="live: listed; in_progress: newest version queued, checking or "
        "awaiting review; attention: newest version failed its checks or was rejected.",
    )


def learnware_or_404(request: Request, learnware_id: int) -> Learnware:
    try:
        return selectors.learnware_get(
            learnware_id=learnware_id, viewer=viewer(request)
        )
    except Learnware.DoesNotExist:
        raise NotFoundError(f"learnware {learnware_id} not found") from None


def version_or_404(request: Request, version_id: int) -> LearnwareVersion:
    try:
        return selectors.version_get(version_id=version_id, viewer=viewer(request))
    except LearnwareVersion.DoesNotExist:
        raise NotFoundError(f"version {version_id} not found") from None


def package_download(version: LearnwareVersion) -> FileResponse:
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


def json_file(field: FieldFile) -> FileResponse:
    return FileResponse(field.open("rb"), content_type="application/json")
