"""bmw.api.fields.TextField: DRF's CharField with a C-speed surrogate check."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from bmw.api.fields import TextField


class _Text(serializers.Serializer):
    text = TextField(max_length=10)


class _Char(serializers.Serializer):
    text = serializers.CharField(max_length=10)


def test_refuses_what_charfield_refuses_with_the_same_message() -> None:
    for value in ("ok\ud800bad", "\udfff", "x" * 11):
        mine, theirs = _Text(data={"text": value}), _Char(data={"text": value})
        assert not mine.is_valid()
        assert not theirs.is_valid()
        assert mine.errors == theirs.errors
    ok = _Text(data={"text": "héllo ✓"})
    assert ok.is_valid()
    assert ok.validated_data == {"text": "héllo ✓"}


def test_drfs_per_character_surrogate_walk_is_replaced() -> None:
    """DRF's validator walks the text in Python (~30 ms per MB, before any cap);
    the replacement encodes it once (benchmarks.hostile measures the effect)."""
    kinds = [type(v) for v in TextField().validators]
    assert ProhibitSurrogateCharactersValidator not in kinds
    assert any(issubclass(k, ProhibitSurrogateCharactersValidator) for k in kinds)
