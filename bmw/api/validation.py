"""Input parsing shared by the apps' views."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from rest_framework import serializers

NOT_A_STRING = "Not a valid string."


def validated(
    serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any
) -> dict[str, Any]:
    """``data`` checked by ``serializer_class``; a 400 (``{message, extra}``) if bad.

    In a JSON body a text field takes only a string: DRF would turn ``123`` into
    ``"123"``, where the schema (and the client's own types) say "string". A
    serializer that must take numbers there too sets ``strict_strings = False``.
    """
    serializer = serializer_class(data=data, **kwargs)
    strict = getattr(serializer_class, "strict_strings", True)
    if strict and not isinstance(data, QueryDict):  # forms, query strings: all text
        errors = _non_strings(serializer, data)
        if errors:
            raise serializers.ValidationError(errors)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _non_strings(serializer: serializers.Serializer, data: Any) -> dict[str, Any]:
    """``{field: [problem]}`` for numbers given to text fields, nested included."""
    if not isinstance(data, Mapping):
        return {}  # the serializer reports "expected a dictionary"
    errors: dict[str, Any] = {}
    for name, field in serializer.fields.items():
        if field.read_only or name not in data:
            continue
        value = data[name]
        if isinstance(field, serializers.CharField):
            if isinstance(value, int | float) and not isinstance(value, bool):
                errors[name] = [NOT_A_STRING]
        elif isinstance(field, serializers.ListField) and isinstance(
            field.child, serializers.CharField
        ):
            if isinstance(value, list) and any(
                isinstance(v, int | float) and not isinstance(v, bool) for v in value
            ):
                errors[name] = [NOT_A_STRING]
        elif isinstance(field, serializers.Serializer):
            nested = _non_strings(field, value)
            if nested:
                errors[name] = nested
    return errors
