"""HTTP API of hosted inference ("try it"): predictions from approved learnwares."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bmw.api.serializers import ErrorOutputSerializer
from bmw.api.validation import validated
from market.api_shared import ERRORS, viewer
from market.inference import services

FILE_HELP = (
    "Table learnwares: one CSV/TSV file (an optional header row, one row per "
    "sample, as many columns as the learnware's input dimension). Text: one .txt "
    "(a text per line), .jsonl or .json (a list of strings). Image: image files "
    "or one .zip of them. Size- and row-limited."
)
EXAMPLES = [
    OpenApiExample(
        "Predictions of a classifier",
        response_only=True,
        status_codes=["200"],
        value={
            "learnware_ids": [42],
            "reuser": None,
            "n_rows": 2,
            "predictions": [0, 2],
            "probabilities": [[0.8, 0.15, 0.05], [0.1, 0.2, 0.7]],
            "timing": {"start_s": 0.9, "predict_s": 0.01, "total_s": 1.1},
        },
    ),
    OpenApiExample(
        "Malformed input",
        response_only=True,
        status_codes=["400"],
        value={
            "message": "file: data.csv: line 3 has 5 columns; the learnware expects 6",
            "extra": {
                "fields": {"file": ["data.csv: line 3 has 5 columns; ..."]},
            },
        },
    ),
    OpenApiExample(
        "The model failed",
        response_only=True,
        status_codes=["422"],
        value={
            "message": "learnware 42: predict raised: ValueError: bad input",
            "extra": {"detail": "learnware 42: predict raised:\nTraceback ..."},
        },
    ),
]
RESPONSES = {
    413: ErrorOutputSerializer,
    422: ErrorOutputSerializer,
    429: ErrorOutputSerializer,
    503: ErrorOutputSerializer,
    504: ErrorOutputSerializer,
    **ERRORS,
}


class PredictInputSerializer(serializers.Serializer):
    file = serializers.ListField(
        child=serializers.FileField(), min_length=1, help_text=FILE_HELP
    )


class PredictMultipleInputSerializer(PredictInputSerializer):
    learnware_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1
    )
    reuser = serializers.ChoiceField(
        choices=services.REUSERS,
        default="averaging",
        help_text="averaging: weighted mean / vote; job_selector: each row goes to "
        "the learnware whose RKME fits it best (table learnwares).",
    )
    weights = serializers.ListField(
        child=serializers.FloatField(min_value=0),
        required=False,
        help_text="One per learnware, e.g. the weights of a multiple search result.",
    )


class PredictionTimingOutputSerializer(serializers.Serializer):
    start_s = serializers.FloatField(help_text="Starting the model(s) in the sandbox.")
    predict_s = serializers.FloatField()
    total_s = serializers.FloatField(help_text="The whole request, queue included.")


class PredictionOutputSerializer(serializers.Serializer):
    learnware_ids = serializers.ListField(child=serializers.IntegerField())
    reuser = serializers.CharField(allow_null=True)
    n_rows = serializers.IntegerField()
    predictions = serializers.ListField(
        child=serializers.JSONField(),
        help_text="One per input row: a label (classification) or the output.",
    )
    probabilities = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(allow_null=True)),
        allow_null=True,
        help_text="Class probabilities per row, if the classifier gives them.",
    )
    timing = PredictionTimingOutputSerializer()


class _PredictApi(APIView):
    permission_classes = (IsAuthenticated,)
    parser_classes = (MultiPartParser,)
    throttle_scope = "inference"

    def _answer(self, request: Request, **kwargs: Any) -> Response:
        result = services.learnware_predict(viewer=viewer(request), **kwargs)
        return Response(PredictionOutputSerializer(result).data)


class LearnwarePredictApi(_PredictApi):
    """Run an approved learnware on your small upload, in the checks' sandbox."""

    @extend_schema(
        operation_id="learnwares_predict",
        request={"multipart/form-data": PredictInputSerializer},
        responses={200: PredictionOutputSerializer, **RESPONSES},
        examples=EXAMPLES,
        tags=["inference"],
    )
    def post(self, request: Request, learnware_id: int) -> Response:
        data = validated(PredictInputSerializer, request.data)
        return self._answer(request, learnware_ids=[learnware_id], files=data["file"])


class PredictMultipleApi(_PredictApi):
    """Run several approved learnwares combined by a reuser (a multiple result)."""

    @extend_schema(
        operation_id="learnwares_predict_multiple",
        request={"multipart/form-data": PredictMultipleInputSerializer},
        responses={200: PredictionOutputSerializer, **RESPONSES},
        examples=EXAMPLES,
        tags=["inference"],
    )
    def post(self, request: Request) -> Response:
        data = validated(PredictMultipleInputSerializer, request.data)
        return self._answer(
            request,
            learnware_ids=data["learnware_ids"],
            files=data["file"],
            reuser=data["reuser"],
            weights=data.get("weights"),
        )
