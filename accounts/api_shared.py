"""Serializers other apps' views share: a user as others see them."""

from rest_framework import serializers


class OwnerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField(source="name")
