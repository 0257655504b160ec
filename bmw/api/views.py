"""Project-level endpoints: the API root and the health check."""

from __future__ import annotations

from dataclasses import asdict

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import learnware_core
from bmw import health
from bmw.api.serializers import ApiRootOutputSerializer, HealthOutputSerializer


class ApiRootApi(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(
        operation_id="api_root",
        responses={200: ApiRootOutputSerializer},
        tags=["meta"],
    )
    def get(self, request: Request) -> Response:
        data = {
            "name": "Beimingwu learnware dock",
            "version": learnware_core.__version__,
            "links": {
                "schema": reverse("schema"),
                "docs": reverse("swagger-ui"),
                "health": reverse("healthz"),
            },
        }
        return Response(ApiRootOutputSerializer(data).data)


class HealthApi(APIView):
    """Database, broker and Celery worker liveness; 503 when any is down."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = ()

    @extend_schema(
        operation_id="healthz",
        responses={200: HealthOutputSerializer, 503: HealthOutputSerializer},
        tags=["meta"],
        examples=[
            OpenApiExample(
                "Worker down",
                status_codes=["503"],
                response_only=True,
                value={
                    "status": "unavailable",
                    "checks": {
                        "database": {
                            "ok": True,
                            "detail": "postgresql reachable",
                            "latency_ms": 1.2,
                        },
                        "broker": {
                            "ok": True,
                            "detail": "redis reachable",
                            "latency_ms": 0.8,
                        },
                        "worker": {
                            "ok": False,
                            "detail": "RuntimeError: no Celery worker answered",
                            "latency_ms": 2001.0,
                        },
                    },
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        checks = health.check_all()
        healthy = all(c.ok for c in checks.values())
        body = {
            "status": "ok" if healthy else "unavailable",
            "checks": {name: asdict(result) for name, result in checks.items()},
        }
        response = Response(
            HealthOutputSerializer(body).data,
            status=status.HTTP_200_OK
            if healthy
            else status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        response["Cache-Control"] = "no-store"
        if not healthy:
            response["Retry-After"] = "10"
        return response
