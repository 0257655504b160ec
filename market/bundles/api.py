"""HTTP API of deploy bundles: one learnware, or several (a multiple search result)."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from bmw.api.parsers import BoundedJSONParser
from bmw.api.serializers import ErrorOutputSerializer
from bmw.api.validation import validated
from market.api_shared import learnware_or_404, viewer
from market.bundles import services as bundles

BUNDLE_DESCRIPTION = (
    "A zip that runs offline with two commands (`pip install -r requirements.txt`, "
    "`python run.py input.csv`): `learnwares/<id>.zip`, the `learnware_core/` "
    "library, `requirements.txt`, `run.py`, `bundle.json` and a README. "
    "Counts a download of each learnware."
)
BUNDLE_RESPONSES = {
    (200, "application/zip"): bytes,
    404: ErrorOutputSerializer,
    503: ErrorOutputSerializer,
}


class BundleCreateInputSerializer(serializers.Serializer):
    learnware_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=bundles.MAX_LEARNWARES,
        help_text="Approved learnwares, e.g. a multiple search result's.",
    )
    weights = serializers.ListField(
        child=serializers.FloatField(min_value=0),
        required=False,
        allow_null=True,
        help_text="Mixture weights, one per learnware (non-negative, sum > 0).",
    )

    def validate_learnware_ids(self, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError("ids must be distinct")
        return value

    def validate(self, attrs: dict) -> dict:
        weights = attrs.get("weights")
        if weights is None:
            return attrs
        if len(weights) != len(attrs["learnware_ids"]):
            raise serializers.ValidationError(
                {"weights": "must have one weight per learnware id"}
            )
        if not sum(weights) > 0:
            raise serializers.ValidationError({"weights": "must sum to more than 0"})
        return attrs


def _response(bundle: bundles.Bundle) -> FileResponse:
    response = FileResponse(
        bundle.file,
        as_attachment=True,
        filename=bundle.filename,
        content_type="application/zip",
    )
    response["Content-Length"] = str(bundle.size)
    return response


class LearnwareBundleApi(APIView):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="learnwares_bundle",
        responses=BUNDLE_RESPONSES,
        tags=["learnwares"],
        description=BUNDLE_DESCRIPTION
        + " The live (approved) version; owners and staff get the newest version "
        "if none is approved yet (as the download).",
    )
    def get(self, request: Request, learnware_id: int) -> FileResponse:
        learnware = learnware_or_404(request, learnware_id)
        return _response(bundles.bundle_learnware(learnware=learnware))


class BundleCreateApi(APIView):
    permission_classes = (AllowAny,)
    parser_classes = (BoundedJSONParser,)

    @extend_schema(
        operation_id="bundles_create",
        request=BundleCreateInputSerializer,
        responses={**BUNDLE_RESPONSES, 400: ErrorOutputSerializer},
        examples=[
            OpenApiExample(
                "A multiple search result",
                request_only=True,
                value={"learnware_ids": [12, 7], "weights": [0.7, 0.3]},
            ),
            OpenApiExample(
                "Weights of the wrong length",
                status_codes=["400"],
                response_only=True,
                value={
                    "message": "Invalid input: weights: must have one weight per "
                    "learnware id",
                    "extra": {
                        "fields": {"weights": ["must have one weight per learnware id"]}
                    },
                },
            ),
        ],
        tags=["learnwares"],
        description=BUNDLE_DESCRIPTION
        + " Several approved learnwares are combined by `run.py` with "
        "`JobSelectorReuser` (table learnwares with weights) or `AveragingReuser`.",
    )
    def post(self, request: Request) -> FileResponse:
        data = validated(BundleCreateInputSerializer, request.data)
        bundle = bundles.bundle_learnwares(
            learnware_ids=data["learnware_ids"],
            weights=data.get("weights"),
            viewer=viewer(request),
        )
        return _response(bundle)
