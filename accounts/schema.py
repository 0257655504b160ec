"""drf-spectacular extensions for accounts (loaded in ``AccountsConfig.ready``)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "bmw_<prefix>_<secret>",
            "description": (
                "An API token from POST /api/api-tokens/, sent as "
                "`Authorization: Bearer <token>` (`Token <token>` also works)."
            ),
        }
