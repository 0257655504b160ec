"""HTTP API of the admin console: learnware management, the dashboard's figures and
the specification world's engine versions (train, roll back, look at)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsReviewer
from bmw.api.serializers import ErrorOutputSerializer
from bmw.api.validation import validated
from learnware_core.specification import semantic
from market import selectors
from market.api_shared import (
    LearnwareStateInputSerializer,
    MyLearnwareOutputSerializer,
)
from market.models import LearnwareVersion

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
