"""HTTP API of accounts: sign-up and sign-in, the profile, user admin, API tokens.

The web app signs in with a session: it first GETs ``/api/auth/csrf/`` (which sets
the ``csrftoken`` cookie) and sends that value as ``X-CSRFToken`` on every unsafe
request, login included. Signing in rotates the token: read the cookie again after.
Programs use API tokens instead (no CSRF for them).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login, logout, update_session_auth_hash
from django.db.models import QuerySet
from django.middleware.csrf import get_token
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import ApiToken, AuditEntry, User
from accounts.permissions import IsAdmin, IsEmailVerified, IsReviewer, IsWebSession
from accounts.throttles import ScopedEmailRateThrottle
from bmw.api.serializers import ErrorOutputSerializer
from bmw.api.validation import validated

TAGS = ["accounts"]


def _errors(*codes: int) -> dict[int, Any]:
    """Schema entries for error responses: all share ``{message, extra}``."""
    return dict.fromkeys(codes, ErrorOutputSerializer)


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by IsAuthenticated
    return user


_EXAMPLE_USER = {
    "id": 7,
    "email": "ada@example.edu",
    "display_name": "Ada",
    "role": "user",
    "email_verified": False,
    "date_joined": "2026-11-27T10:00:00Z",
}

# ------------------------------------------------------------------ serializers


class UserMeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    display_name = serializers.CharField()
    role = serializers.ChoiceField(choices=User.Role.choices)
    email_verified = serializers.BooleanField(
        help_text="False until the link in the verification e-mail is opened."
    )
    date_joined = serializers.DateTimeField()


class UserMeUpdateInputSerializer(serializers.Serializer):
    # Optional, as in any PATCH (and the schema): left out, it stays as it is.
    display_name = serializers.CharField(
        max_length=100, allow_blank=True, required=False
    )


class CsrfTokenOutputSerializer(serializers.Serializer):
    csrf_token = serializers.CharField(
        help_text="Also set as the `csrftoken` cookie; send it as `X-CSRFToken`."
    )


class UserRegisterInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    display_name = serializers.CharField(
        max_length=100, allow_blank=True, required=False, default=""
    )


class UserLoginInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class UserEmailVerifyInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200)


class UserPasswordResetRequestInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class UserPasswordResetConfirmInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)
    revoke_api_tokens = serializers.BooleanField(
        required=False,  # no default: optional in the generated client
        help_text="Revoke every API token of the account too (default true): "
        "whoever knew the old password may have made one.",
    )


class UserPasswordChangeInputSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class UserListFilterInputSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=254,
        help_text="Part of the e-mail address or display name (case-insensitive).",
    )
    role = serializers.ChoiceField(choices=User.Role.choices, required=False)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)
    email_verified = serializers.BooleanField(
        required=False, allow_null=True, default=None
    )


class UserAdminOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    display_name = serializers.CharField()
    role = serializers.ChoiceField(choices=User.Role.choices)
    is_active = serializers.BooleanField()
    email_verified = serializers.BooleanField()
    date_joined = serializers.DateTimeField()
    last_login = serializers.DateTimeField(allow_null=True)


class UserRoleSetInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=User.Role.choices)


class ApiTokenOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(
        help_text="The public start of the token (`bmw_<prefix>_…`), to tell "
        "tokens apart."
    )
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(
        allow_null=True, help_text="Updated at most once a minute."
    )
    is_expired = serializers.SerializerMethodField()

    def get_is_expired(self, obj: ApiToken) -> bool:
        return obj.is_expired()


class ApiTokenCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Omit for no expiry."
    )


class ApiTokenCreateOutputSerializer(ApiTokenOutputSerializer):
    token = serializers.CharField(
        help_text="The secret. Shown only in this response; store it now."
    )


# ------------------------------------------------------------------ sign-up, sign-in


class CsrfTokenApi(APIView):
    """Set the CSRF cookie the web app must echo on unsafe requests."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="auth_csrf",
        responses={200: CsrfTokenOutputSerializer},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        # get_token() marks the cookie for (re)sending by CsrfViewMiddleware.
        return Response({"csrf_token": get_token(request._request)})


class UserRegisterOutputSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="The address the e-mail went to.")
    message = serializers.CharField()


REGISTERED_MESSAGE = (
    "Check your inbox: we sent an e-mail to this address with what to do next."
)


class UserRegisterApi(APIView):
    """Create an account; a verification link is e-mailed to the address.

    The answer is the same for a new address and one that already has an account
    (its owner gets an e-mail saying so instead): it does not reveal who has one.
    """

    permission_classes = (AllowAny,)
    throttle_scope = "register"

    @extend_schema(
        operation_id="auth_register",
        request=UserRegisterInputSerializer,
        responses={202: UserRegisterOutputSerializer, **_errors(400, 401, 429)},
        tags=TAGS,
        examples=[
            OpenApiExample(
                "Register",
                request_only=True,
                value={
                    "email": "ada@example.edu",
                    "password": "a long passphrase",
                    "display_name": "Ada",
                },
            ),
            OpenApiExample(
                "Registered (or the address already had an account)",
                response_only=True,
                status_codes=["202"],
                value={"email": "ada@example.edu", "message": REGISTERED_MESSAGE},
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = validated(UserRegisterInputSerializer, request.data)
        email = services.user_register(**data)
        return Response(
            UserRegisterOutputSerializer(
                {"email": email, "message": REGISTERED_MESSAGE}
            ).data,
            status=status.HTTP_202_ACCEPTED,
        )


class UserLoginApi(APIView):
    """Sign in with e-mail and password; starts a session (cookie) for the web app.

    Needs the CSRF token (``X-CSRFToken``) even though nobody is signed in yet, so
    another site cannot sign a visitor into an account of its choosing.
    """

    permission_classes = (AllowAny,)
    throttle_classes = (ScopedRateThrottle, ScopedEmailRateThrottle)
    throttle_scope = "login"

    @extend_schema(
        operation_id="auth_login",
        request=UserLoginInputSerializer,
        responses={200: UserMeOutputSerializer, **_errors(400, 401, 403, 429)},
        tags=TAGS,
        examples=[
            OpenApiExample(
                "Sign in",
                request_only=True,
                value={"email": "ada@example.edu", "password": "a long passphrase"},
            ),
            OpenApiExample(
                "Signed in",
                response_only=True,
                status_codes=["200"],
                value=_EXAMPLE_USER,
            ),
            OpenApiExample(
                "Wrong password",
                response_only=True,
                status_codes=["400"],
                value={"message": "Incorrect e-mail address or password.", "extra": {}},
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        SessionAuthentication().enforce_csrf(request)  # 403 without the token
        data = validated(UserLoginInputSerializer, request.data)
        user = services.user_authenticate(**data)
        login(request._request, user)  # new session key, rotated CSRF token
        return Response(UserMeOutputSerializer(user).data)


class UserLogoutApi(APIView):
    """End the session."""

    @extend_schema(
        operation_id="auth_logout",
        request=None,
        responses={204: None, **_errors(401, 403)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserVerificationEmailSendApi(APIView):
    """E-mail a new verification link to the signed-in, unverified user."""

    throttle_scope = "email_verification"

    @extend_schema(
        operation_id="auth_email_verification_send",
        request=None,
        responses={
            202: OpenApiResponse(description="The e-mail is on its way."),
            **_errors(400, 401, 403, 429),
        },
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        services.user_verification_email_send(user=_user(request))
        return Response(status=status.HTTP_202_ACCEPTED)


class UserEmailVerifyApi(APIView):
    """Confirm the e-mail address with the token from the verification link."""

    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="auth_email_verification_confirm",
        request=UserEmailVerifyInputSerializer,
        responses={204: None, **_errors(400, 401)},
        tags=TAGS,
        examples=[
            OpenApiExample(
                "Link already used",
                response_only=True,
                status_codes=["400"],
                value={
                    "message": "This link has already been used.",
                    "extra": {"reason": "used"},
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = validated(UserEmailVerifyInputSerializer, request.data)
        services.user_verify_email(token=data["token"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserPasswordResetRequestApi(APIView):
    """E-mail a password-reset link. The answer is the same whether or not an
    account has this address."""

    permission_classes = (AllowAny,)
    throttle_classes = (ScopedRateThrottle, ScopedEmailRateThrottle)
    throttle_scope = "password_reset"

    @extend_schema(
        operation_id="auth_password_reset_request",
        request=UserPasswordResetRequestInputSerializer,
        responses={
            202: OpenApiResponse(description="If the account exists, a link is sent."),
            **_errors(400, 401, 429),
        },
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = validated(UserPasswordResetRequestInputSerializer, request.data)
        services.user_password_reset_request(email=data["email"])
        return Response(status=status.HTTP_202_ACCEPTED)


class UserPasswordResetConfirmApi(APIView):
    """Choose a new password with the token from the reset link (single use)."""

    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="auth_password_reset_confirm",
        request=UserPasswordResetConfirmInputSerializer,
        responses={204: None, **_errors(400, 401)},
        tags=TAGS,
        examples=[
            OpenApiExample(
                "Reset",
                request_only=True,
                value={"token": "Qm9…", "new_password": "another long passphrase"},
            ),
            OpenApiExample(
                "Link expired",
                response_only=True,
                status_codes=["400"],
                value={
                    "message": "This link has expired; ask for a new one.",
                    "extra": {"reason": "expired"},
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = validated(UserPasswordResetConfirmInputSerializer, request.data)
        services.user_password_reset_confirm(
            token=data["token"],
            new_password=data["new_password"],
            revoke_api_tokens=data.get("revoke_api_tokens", True),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# ------------------------------------------------------------------ the signed-in user


class UserMeApi(APIView):
    """The signed-in user: read (GET) and edit (PATCH) the profile."""

    @extend_schema(
        operation_id="users_me",
        description="The signed-in user's profile.",
        responses={200: UserMeOutputSerializer, **_errors(401)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return Response(UserMeOutputSerializer(request.user).data)

    @extend_schema(
        operation_id="users_me_update",
        description="Change the signed-in user's display name.",
        request=UserMeUpdateInputSerializer,
        responses={200: UserMeOutputSerializer, **_errors(400, 401, 403)},
        tags=TAGS,
    )
    def patch(self, request: Request) -> Response:
        data = validated(UserMeUpdateInputSerializer, request.data)
        user = _user(request)
        if data:
            user = services.user_profile_update(user=user, **data)
        return Response(UserMeOutputSerializer(user).data)


class UserPasswordChangeApi(APIView):
    """Change the password (the current one is required). Other sessions end."""

    @extend_schema(
        operation_id="users_me_password_change",
        request=UserPasswordChangeInputSerializer,
        responses={204: None, **_errors(400, 401, 403)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = validated(UserPasswordChangeInputSerializer, request.data)
        user = services.user_password_change(user=_user(request), **data)
        if request.auth is None:  # a session: keep this one signed in
            update_session_auth_hash(request._request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ------------------------------------------------------------------ user administration


class UserListApi(ListAPIView):
    """Users, newest first, with search and filters (reviewers and admins)."""

    permission_classes = (IsReviewer,)
    serializer_class = UserAdminOutputSerializer

    def get_queryset(self) -> QuerySet[User]:
        filters = validated(UserListFilterInputSerializer, self.request.query_params)
        return selectors.user_list(
            query=filters["q"],
            role=filters.get("role"),
            is_active=filters["is_active"],
            email_verified=filters["email_verified"],
        )

    @extend_schema(
        operation_id="users_list",
        parameters=[UserListFilterInputSerializer],
        responses={200: UserAdminOutputSerializer(many=True), **_errors(400, 401, 403)},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class AuditListFilterInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=AuditEntry.Action.choices, required=False)
    actor = serializers.IntegerField(
        required=False, min_value=1, help_text="The acting user's id."
    )
    target_type = serializers.ChoiceField(
        choices=(("user", "User"), ("learnware", "Learnware")), required=False
    )
    target_id = serializers.IntegerField(required=False, min_value=1)


class AuditActorOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    display_name = serializers.CharField()


class AuditEntryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    actor = AuditActorOutputSerializer(allow_null=True)
    action = serializers.ChoiceField(choices=AuditEntry.Action.choices)
    target_type = serializers.CharField()
    target_id = serializers.IntegerField()
    target_label = serializers.CharField()
    detail = serializers.DictField()
    created_at = serializers.DateTimeField()


class AuditListApi(ListAPIView):
    """The audit log, newest first: reviews and changes to users and learnwares."""

    permission_classes = (IsAdmin,)
    serializer_class = AuditEntryOutputSerializer

    def get_queryset(self) -> QuerySet[AuditEntry]:
        filters = validated(AuditListFilterInputSerializer, self.request.query_params)
        return selectors.audit_list(
            action=filters.get("action"),
            actor_id=filters.get("actor"),
            target_type=filters.get("target_type"),
            target_id=filters.get("target_id"),
        )

    @extend_schema(
        operation_id="audit_list",
        parameters=[AuditListFilterInputSerializer],
        responses={
            200: AuditEntryOutputSerializer(many=True),
            **_errors(400, 401, 403),
        },
        tags=["admin"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class UserRoleSetApi(APIView):
    """Give a user the role user, reviewer or admin (admins only)."""

    permission_classes = (IsAdmin,)

    @extend_schema(
        operation_id="users_role_set",
        request=UserRoleSetInputSerializer,
        responses={200: UserAdminOutputSerializer, **_errors(400, 401, 403, 404, 409)},
        tags=TAGS,
        examples=[
            OpenApiExample(
                "Make reviewer", request_only=True, value={"role": "reviewer"}
            )
        ],
    )
    def post(self, request: Request, user_id: int) -> Response:
        data = validated(UserRoleSetInputSerializer, request.data)
        user = services.user_role_set(
            actor=_user(request), user_id=user_id, role=data["role"]
        )
        return Response(UserAdminOutputSerializer(user).data)


class UserDeactivateApi(APIView):
    """Block a user from signing in and from using API tokens (admins only)."""

    permission_classes = (IsAdmin,)

    @extend_schema(
        operation_id="users_deactivate",
        request=None,
        responses={200: UserAdminOutputSerializer, **_errors(401, 403, 404, 409)},
        tags=TAGS,
    )
    def post(self, request: Request, user_id: int) -> Response:
        user = services.user_deactivate(actor=_user(request), user_id=user_id)
        return Response(UserAdminOutputSerializer(user).data)


class UserReactivateApi(APIView):
    """Let a deactivated user sign in again (admins only)."""

    permission_classes = (IsAdmin,)

    @extend_schema(
        operation_id="users_reactivate",
        request=None,
        responses={200: UserAdminOutputSerializer, **_errors(401, 403, 404, 409)},
        tags=TAGS,
    )
    def post(self, request: Request, user_id: int) -> Response:
        user = services.user_reactivate(actor=_user(request), user_id=user_id)
        return Response(UserAdminOutputSerializer(user).data)


# ------------------------------------------------------------------ API tokens


class ApiTokenListCreateApi(ListAPIView):
    """The signed-in user's API tokens: list them (GET) or create one (POST).

    Creating needs a verified e-mail address and a web session (not a token).
    """

    serializer_class = ApiTokenOutputSerializer
    throttle_scope = "token_create"

    def get_queryset(self) -> QuerySet[ApiToken]:
        return selectors.api_token_list(user=_user(self.request))

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [IsAuthenticated(), IsWebSession(), IsEmailVerified()]
        return [IsAuthenticated()]

    def get_throttles(self) -> list[BaseThrottle]:
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(
        operation_id="api_tokens_list",
        description="The signed-in user's API tokens that are not revoked, newest "
        "first (the secrets are never shown again).",
        responses={200: ApiTokenOutputSerializer(many=True), **_errors(401)},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="api_tokens_create",
        description="Create a named API token and show its secret once. Needs a "
        "verified e-mail address and a web session (a token cannot make tokens).",
        request=ApiTokenCreateInputSerializer,
        responses={
            201: ApiTokenCreateOutputSerializer,
            **_errors(400, 401, 403, 429),
        },
        tags=TAGS,
        examples=[
            OpenApiExample(
                "Create",
                request_only=True,
                value={"name": "laptop CLI", "expires_at": "2027-06-01T00:00:00Z"},
            ),
            OpenApiExample(
                "Created",
                response_only=True,
                status_codes=["201"],
                value={
                    "id": 3,
                    "name": "laptop CLI",
                    "prefix": "3f9c0a1b",
                    "created_at": "2026-11-27T10:00:00Z",
                    "expires_at": "2027-06-01T00:00:00Z",
                    "last_used_at": None,
                    "is_expired": False,
                    "token": "bmw_3f9c0a1b_" + "x" * 43,
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = validated(ApiTokenCreateInputSerializer, request.data)
        created = services.api_token_create(user=_user(request), **data)
        body = {**ApiTokenOutputSerializer(created.api_token).data}
        body["token"] = created.token  # the only time the secret leaves the server
        return Response(body, status=status.HTTP_201_CREATED)


class ApiTokenRevokeApi(APIView):
    """Revoke one of the signed-in user's API tokens; it stops working at once."""

    @extend_schema(
        operation_id="api_tokens_revoke",
        responses={204: None, **_errors(401, 404)},
        tags=TAGS,
    )
    def delete(self, request: Request, api_token_id: int) -> Response:
        services.api_token_revoke(user=_user(request), api_token_id=api_token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
