"""HTTP API of search: tags, text and a user's RKME; the search page's examples."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bmw.api.fields import TextField
from bmw.api.parsers import BoundedJSONParser
from bmw.api.serializers import ErrorOutputSerializer
from bmw.api.validation import validated
from bmw.errors import ApplicationError, NotFoundError
from market import selectors
from market.api_shared import (
    JSON_FILE_RESPONSES,
    LearnwareOutputSerializer,
    SemanticSpecField,
    caller_key,
    json_file,
    search_input_check,
    viewer,
)
from market.search import web as search

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


# ------------------------------------------------------------------ search
class LearnwareSearchInputSerializer(serializers.Serializer):
    data_type = serializers.CharField(required=False, allow_blank=True)
    task_type = serializers.CharField(required=False, allow_blank=True)
    library_type = serializers.CharField(required=False, allow_blank=True)
    license = serializers.CharField(required=False, allow_blank=True)
    scenarios = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="any of these"
    )
    query = TextField(
        required=False,
        allow_blank=True,
        max_length=settings.BMW_SEARCH_TEXT_MAX_CHARS,
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
        "It locates the learnwares whose columns mean the same (other words, "
        "another order and CSV headers match); a table RKME that no learnware "
        "shares the columns of is searched in the specification world "
        "(heterogeneous search).",
    )
    output = SemanticSpecField(
        required=False,
        help_text="What you predict, as the semantic spec's Output: "
        '`{"Dimension": 1, "Description": {"0": "delay in minutes"}}` (JSON; '
        "for classes, one description per label). Learnwares predicting "
        "something else are not offered.",
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
    confidence = serializers.FloatField(
        allow_null=True,
        help_text="Table search (on your columns' island, or in the specification "
        "world): the estimated chance, in [0, 1], that this learnware was built on "
        "data like yours (calibrated, docs/search-trust.md); null where none is "
        "estimated (text, image and same-space ranking).",
    )
    reason = serializers.CharField(
        allow_null=True, help_text="Why this result may be weak, if it may."
    )
    missing_columns = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The learnware's columns your data cannot feed (0-based).",
    )


class SearchMultipleOutputSerializer(serializers.Serializer):
    learnwares = LearnwareOutputSerializer(many=True)
    weights = serializers.ListField(
        child=serializers.FloatField(), help_text="Mixture weights (sum to 1)."
    )
    mmd2 = serializers.FloatField()
    score = serializers.FloatField()
    reason = serializers.CharField()
    confidence = serializers.FloatField(
        allow_null=True,
        help_text="The members' confidences averaged by weight (null if none).",
    )


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
    no_match = serializers.BooleanField(
        help_text="Nothing found is a trustworthy answer (no island fits your "
        "columns, the best confidence is below the threshold, or no text is "
        "close): `reason` says why and no statistical results are listed."
    )
    reason = serializers.CharField(
        allow_null=True,
        help_text="Why there is no good match, or why the results may be weak.",
    )


class LearnwareSearchApi(APIView):
    """Search approved learnwares by tags, text and (optionally) your RKME."""

    permission_classes = (AllowAny,)
    parser_classes = (MultiPartParser, FormParser, BoundedJSONParser)
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
        tags = ("data_type", "task_type", "library_type", "license")
        search_input_check(
            text=("query", data.get("query", "")),
            tags={
                "scenarios": data.get("scenarios", ()),
                **{key: (data[key],) for key in tags if data.get(key)},
            },
        )
        stat_spec = None
        if data.get("stat_spec") is not None:
            stat_spec = search.stat_spec_parse(data["stat_spec"].read())
        descriptions = search.input_description_parse(data.get("input"), stat_spec)
        output = search.output_description_parse(data.get("output"))
        hetero = bool(data.get("hetero", False))
        if hetero and (stat_spec is None or descriptions is None):
            problem = "heterogeneous search needs a stat_spec and your input"
            raise ApplicationError(problem, extra={"fields": {"hetero": [problem]}})
        filters = search.SearchFilters(
            **{f"{key}s": (data[key],) for key in tags if data.get(key)},
            scenarios=tuple(data.get("scenarios", ())),
            text=data.get("query", ""),
        )
        outcome = search.learnware_search(
            viewer=viewer(request),
            filters=filters,
            stat_spec=stat_spec,
            top_k=data.get("top_k", 10),
            multiple=data["multiple"],
            input_description=descriptions,
            hetero=hetero,
            output=output,
            caller=caller_key(request),
        )
        response = Response(
            LearnwareSearchOutputSerializer(
                {
                    "count": outcome.count,
                    "results": outcome.hits,
                    "multiple": outcome.multiple,
                    "heterogeneous": outcome.heterogeneous,
                    "engine_version": outcome.engine_version,
                    "no_match": outcome.no_match,
                    "reason": outcome.reason,
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
    input = serializers.JSONField(
        allow_null=True,
        help_text="The example user's columns (a semantic spec's Input, in their own "
        "words): send it as the search's `input` with the spec.",
    )


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
            raise NotFoundError("No such example")
        return json_file(example.stat_spec_file)
