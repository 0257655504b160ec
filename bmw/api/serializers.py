"""Output serializers shared by the whole API (documented in the OpenAPI schema)."""

from rest_framework import serializers


class ErrorOutputSerializer(serializers.Serializer):
    """The body of every 4xx (and 5xx) response."""

    message = serializers.CharField(help_text="What went wrong, for a person to read.")
    extra = serializers.DictField(
        help_text="Details: `fields` maps each invalid field to its problems."
    )


class HealthCheckOutputSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    detail = serializers.CharField()
    latency_ms = serializers.FloatField()


class HealthChecksOutputSerializer(serializers.Serializer):
    database = HealthCheckOutputSerializer()
    broker = HealthCheckOutputSerializer()
    worker = HealthCheckOutputSerializer()


class HealthOutputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "unavailable"])
    checks = HealthChecksOutputSerializer()


class ApiRootLinksOutputSerializer(serializers.Serializer):
    schema = serializers.CharField()
    docs = serializers.CharField()
    health = serializers.CharField()


class ApiRootOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField()
    links = ApiRootLinksOutputSerializer()
