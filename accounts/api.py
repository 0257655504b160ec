"""HTTP API of accounts."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from bmw.api.serializers import ErrorOutputSerializer


class UserMeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    display_name = serializers.CharField()
    role = serializers.ChoiceField(choices=User.Role.choices)
    date_joined = serializers.DateTimeField()


class UserMeApi(APIView):
    """The signed-in user."""

    @extend_schema(
        operation_id="users_me",
        responses={200: UserMeOutputSerializer, 403: ErrorOutputSerializer},
        tags=["accounts"],
    )
    def get(self, request: Request) -> Response:
        return Response(UserMeOutputSerializer(request.user).data)
