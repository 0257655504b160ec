from django.urls import path

from accounts import api

urlpatterns = [
    # sign-up and sign-in
    path("auth/csrf/", api.CsrfTokenApi.as_view(), name="auth-csrf"),
    path("auth/register/", api.UserRegisterApi.as_view(), name="auth-register"),
    path("auth/login/", api.UserLoginApi.as_view(), name="auth-login"),
    path("auth/logout/", api.UserLogoutApi.as_view(), name="auth-logout"),
    path(
        "auth/email-verification/",
        api.UserVerificationEmailSendApi.as_view(),
        name="auth-email-verification-send",
    ),
    path(
        "auth/email-verification/confirm/",
        api.UserEmailVerifyApi.as_view(),
        name="auth-email-verification-confirm",
    ),
    path(
        "auth/password-reset/",
        api.UserPasswordResetRequestApi.as_view(),
        name="auth-password-reset-request",
    ),
    path(
        "auth/password-reset/confirm/",
        api.UserPasswordResetConfirmApi.as_view(),
        name="auth-password-reset-confirm",
    ),
    # the signed-in user
    path("users/me/", api.UserMeApi.as_view(), name="users-me"),
    path(
        "users/me/password/",
        api.UserPasswordChangeApi.as_view(),
        name="users-me-password",
    ),
    # user administration
    path("users/", api.UserListApi.as_view(), name="users-list"),
    path("users/<int:user_id>/role/", api.UserRoleSetApi.as_view(), name="users-role"),
    path(
        "users/<int:user_id>/deactivate/",
        api.UserDeactivateApi.as_view(),
        name="users-deactivate",
    ),
    path(
        "users/<int:user_id>/reactivate/",
        api.UserReactivateApi.as_view(),
        name="users-reactivate",
    ),
    path("admin/audit/", api.AuditListApi.as_view(), name="admin-audit"),
    # API tokens
    path("api-tokens/", api.ApiTokenListCreateApi.as_view(), name="api-tokens"),
    path(
        "api-tokens/<int:api_token_id>/",
        api.ApiTokenRevokeApi.as_view(),
        name="api-tokens-revoke",
    ),
]
