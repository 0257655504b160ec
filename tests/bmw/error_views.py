"""Test-only endpoints that raise each kind of error (mounted by test_api_errors)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import include, path
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from bmw.errors import TooLargeError


class _ItemInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    size = serializers.IntegerField(min_value=1)


class _Open(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()


class ValidateApi(_Open):
    def post(self, request: Request) -> Response:
        serializer = _ItemInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class ApplicationErrorApi(_Open):
    def get(self, request: Request) -> Response:
        raise TooLargeError("Package too large", extra={"max_bytes": 10})


class DjangoValidationErrorApi(_Open):
    def get(self, request: Request) -> Response:
        raise DjangoValidationError({"email": ["Enter a valid email address."]})


class _OncePerMinute(AnonRateThrottle):
    rate = "1/min"
    scope = "test-once"


class ThrottledApi(_Open):
    throttle_classes = (_OncePerMinute,)

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


class CrashApi(_Open):
    def get(self, request: Request) -> Response:
        raise RuntimeError("boom")


urlpatterns = [
    path(
        "api/test/",
        include(
            [
                path("validate/", ValidateApi.as_view()),
                path("application-error/", ApplicationErrorApi.as_view()),
                path("django-validation/", DjangoValidationErrorApi.as_view()),
                path("throttled/", ThrottledApi.as_view()),
                path("crash/", CrashApi.as_view()),
            ]
        ),
    ),
    path("", include("bmw.urls")),
]
handler404 = "bmw.views.handler404"
handler500 = "bmw.views.handler500"
