"""The original Beimingwu endpoints its ``LearnwareClient`` calls (compat API).

Thin views: parse the original's request shape, call one service or selector, answer
in the original's envelope (:mod:`market.compat.envelope`). Errors from services are
translated to the original's codes per endpoint. The client authenticates with one
of our API tokens: ``login_by_token`` checks it and hands it back as the bearer
credential, so every later call is ordinary API-token authentication.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.http import FileResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services as account_services
from accounts.authentication import ApiTokenAuthentication
from accounts.models import User
from bmw.api.exceptions import status_of
from bmw.api.fields import TextField
from bmw.api.parsers import BoundedJSONParser, json_loads_bounded
from bmw.api.validation import validated
from bmw.errors import ApplicationError, PermissionDeniedError, RateLimitedError
from market import search as market_search
from market import services
from market.api_shared import caller_key, search_input_check
from market.compat import selectors
from market.compat import services as compat_services
from market.compat.envelope import (
    DUPLICATE,
    INVALID_TOKEN,
    LIMIT_ZERO,
    NO_SUCH_ID,
    NOT_EXIST_OR_CHECK,
    PARAMETERS,
    PARAMETERS_MSG,
    SPEC_OR_NOT_FOUND,
    SYSTEM,
    CompatError,
    CompatJSONRenderer,
    compat_exception_handler,
    ok,
)
from market.models import Learnware

TAGS = ["compat"]
_ERRORS_AT_200 = (
    "Business errors are HTTP 200 with `code != 0` (the original's convention); "
    "no credentials on a protected endpoint is HTTP 200 with code 11, a bad token "
    "HTTP 401."
)


# ------------------------------------------------------------------ serializers
class CompatStatusOutputSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="0 on success, else the error code.")
    msg = serializers.CharField()


class CompatLoginDataOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Bearer <token>`.")


class CompatLoginOutputSerializer(CompatStatusOutputSerializer):
    data = CompatLoginDataOutputSerializer(required=False)  # type: ignore[assignment]


class CompatAddDataOutputSerializer(serializers.Serializer):
    learnware_id = serializers.CharField(help_text="8-digit zero-padded id.")


class CompatAddOutputSerializer(CompatStatusOutputSerializer):
    data = CompatAddDataOutputSerializer(required=False)  # type: ignore[assignment]


class CompatLearnwareItemOutputSerializer(serializers.Serializer):
    learnware_id = serializers.CharField(max_length=32)
    last_modify = serializers.CharField(help_text="`YYYY-MM-DD HH:MM:SS.ffffff UTC`")
    verify_status = serializers.CharField(
        help_text="SUCCESS, FAIL, WAITING, PROCESSING or QUEUE (see "
        "market/compat/selectors.py for the mapping)."
    )
    semantic_specification = serializers.JSONField()


class CompatListDataOutputSerializer(serializers.Serializer):
    learnware_list = CompatLearnwareItemOutputSerializer(many=True)
    page = serializers.IntegerField()
    limit = serializers.IntegerField()
    total_pages = serializers.IntegerField()


class CompatListOutputSerializer(CompatStatusOutputSerializer):
    data = CompatListDataOutputSerializer(required=False)  # type: ignore[assignment]


class CompatLearnwareInfoOutputSerializer(CompatLearnwareItemOutputSerializer):
    user_id = serializers.IntegerField()


class CompatInfoDataOutputSerializer(serializers.Serializer):
    learnware_info = CompatLearnwareInfoOutputSerializer()


class CompatInfoOutputSerializer(CompatStatusOutputSerializer):
    data = CompatInfoDataOutputSerializer(required=False)  # type: ignore[assignment]


class CompatSemanticDataOutputSerializer(serializers.Serializer):
    semantic_specification = serializers.DictField(
        help_text="`{key: {Type, Values}}` for Data, Task, Library, Scenario, "
        "License, Name, Description."
    )


class CompatSemanticOutputSerializer(CompatStatusOutputSerializer):
    data = CompatSemanticDataOutputSerializer(required=False)  # type: ignore[assignment]


class CompatLoginByTokenInputSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    token = serializers.CharField(max_length=200, help_text="One of your API tokens.")


class CompatChunkedUploadInputSerializer(serializers.Serializer):
    chunk_file = serializers.FileField(help_text="The chunk's bytes (1 MiB).")
    file_hash = serializers.CharField(
        max_length=64, help_text="MD5 hex of the whole file."
    )
    chunk_begin = serializers.IntegerField(min_value=0, help_text="Byte offset.")


class CompatAddLearnwareUploadedInputSerializer(serializers.Serializer):
    file_hash = serializers.CharField(max_length=64)
    semantic_specification = serializers.JSONField(
        help_text="The semantic specification as a JSON string (or object)."
    )


class CompatUpdateLearnwareInputSerializer(serializers.Serializer):
    strict_strings = False  # learnware_id: "00000082" or 82, as the original took
    learnware_id = serializers.CharField(max_length=32)
    semantic_specification = TextField(
        help_text="The semantic specification as a JSON string."
    )
    learnware_file = serializers.FileField(
        required=False,
        allow_empty_file=True,
        help_text="A new package; absent or empty means: keep the package.",
    )


class CompatLearnwareIdInputSerializer(serializers.Serializer):
    strict_strings = False  # learnware_id: "00000082" or 82, as the original took
    learnware_id = serializers.CharField(max_length=32)


class CompatListLearnwareInputSerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=0, max_value=2**31, help_text="0-based.")
    limit = serializers.IntegerField(min_value=1, max_value=10000)
    is_verified = serializers.BooleanField(required=False, allow_null=True)


# ------------------------------------------------------------------ helpers
class CompatApi(APIView):
    """Base of the compat views: API-token auth, the original's envelope."""

    authentication_classes: Sequence[type[BaseAuthentication]] = (
        ApiTokenAuthentication,
    )
    permission_classes: Sequence[Any] = (IsAuthenticated,)
    renderer_classes: Sequence[type[BaseRenderer]] = (CompatJSONRenderer,)
    # For the schema (bmw.api.schema): errors are {code, msg}; invalid input is a 200.
    error_serializer = CompatStatusOutputSerializer
    invalid_input_status = 200
    parser_classes: Sequence[type[BaseParser]] = (
        BoundedJSONParser,
        MultiPartParser,
        FormParser,
    )

    def get_exception_handler(self) -> Callable[..., Response | None]:
        return compat_exception_handler


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by IsAuthenticated
    return user


def _viewer(request: Request) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _learnware_pk(raw: Any) -> int | None:
    """``"00000082"`` or ``82`` → 82; anything else → None."""
    text = str(raw).strip()
    # isascii: str.isdigit() also admits "¹" or "٣", which int() refuses
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _semantic_spec(raw: Any) -> Mapping[str, Any]:
    """The semantic spec from a JSON string (or object); code 41 if it is not one."""
    if isinstance(raw, str):
        try:
            raw = json_loads_bounded(raw, field="semantic_specification")
        except ApplicationError as exc:
            raise CompatError(
                SPEC_OR_NOT_FOUND, f"Semantic specification error. {exc.message}"
            ) from exc
    if not isinstance(raw, dict):
        raise CompatError(
            SPEC_OR_NOT_FOUND, "Semantic specification must be a JSON object."
        )
    return raw


@contextmanager
def _codes(**by_status: int) -> Iterator[None]:
    """Translate a service's :class:`ApplicationError` by HTTP status (``s403=31``).

    Semantic-spec errors are always 41; other statuses fall back to the envelope
    module's default mapping.
    """
    try:
        yield
    except compat_services.StagingError as exc:
        code = PARAMETERS if exc.kind == "parameters" else NOT_EXIST_OR_CHECK
        raise CompatError(code, exc.message) from exc
    except ApplicationError as exc:
        fields = exc.extra.get("fields", {})
        if isinstance(fields, dict) and "semantic_spec" in fields:
            raise CompatError(SPEC_OR_NOT_FOUND, exc.message) from exc
        mapped = by_status.get(f"s{status_of(exc)}")
        if mapped is None:
            raise
        raise CompatError(mapped, exc.message) from exc


def _rate_limited(exc: RateLimitedError) -> CompatError:
    """The API's 429 with ``Retry-After``, in the original's envelope (code 21)."""
    return CompatError(
        PARAMETERS, exc.message, http_status=429, retry_after_s=exc.retry_after_s
    )


def _upload_quota(user: User) -> None:
    """:func:`market.services.upload_quota_check`, answered as :func:`_rate_limited`."""
    try:
        services.upload_quota_check(user=user)
    except RateLimitedError as exc:
        raise _rate_limited(exc) from exc


def _item(learnware: Learnware) -> dict[str, Any]:
    return {
        "learnware_id": learnware.compat_id,
        "last_modify": selectors.last_modify(learnware.updated_at),
        "verify_status": selectors.verify_status(
            getattr(learnware, "latest_version_status", None)
        ),
        "semantic_specification": learnware.semantic_spec,
    }


# ------------------------------------------------------------------ /auth
class CompatLoginByTokenApi(CompatApi):
    """Exchange e-mail + API token for the bearer credential (the same token)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="compat_auth_login_by_token",
        request=CompatLoginByTokenInputSerializer,
        responses={200: CompatLoginOutputSerializer},
        tags=TAGS,
        description="`token` is one of your API tokens; `data.token` is the bearer "
        "credential for later calls. With no body (the client's `is_connected`) "
        "the answer is code 21. Wrong e-mail or token: code 53. " + _ERRORS_AT_200,
    )
    def post(self, request: Request) -> Response:
        data = validated(CompatLoginByTokenInputSerializer, request.data)
        try:
            api_token = account_services.api_token_authenticate(token=data["token"])
        except account_services.ApiTokenRejected:
            raise CompatError(INVALID_TOKEN, "Invalid token.") from None
        if api_token.user.email.lower() != data["email"].strip().lower():
            raise CompatError(INVALID_TOKEN, "Invalid token.")
        return ok({"token": data["token"]}, "Login success.")


class CompatLogoutApi(CompatApi):
    @extend_schema(
        operation_id="compat_auth_logout",
        request=None,
        responses={200: CompatStatusOutputSerializer},
        tags=TAGS,
        description="A no-op, as in the original: the API token stays valid "
        "(revoke it in the web app).",
    )
    def post(self, request: Request) -> Response:
        return ok(msg="Logout success.")


# ------------------------------------------------------------------ /user
class CompatChunkedUploadApi(CompatApi):
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(
        operation_id="compat_user_chunked_upload",
        request={"multipart/form-data": CompatChunkedUploadInputSerializer},
        responses={200: CompatStatusOutputSerializer},
        tags=TAGS,
        description="Store one chunk of a package, keyed by the MD5 of the whole "
        "file. Staging is per user, limited in size, resumable (a chunk sent again "
        "replaces the earlier one) and expires after a day. A first chunk of a file "
        "that already is a learnware: code 51. " + _ERRORS_AT_200,
    )
    def post(self, request: Request) -> Response:
        data = validated(CompatChunkedUploadInputSerializer, request.data)
        with _codes():
            compat_services.chunked_upload_write(
                user=_user(request),
                file_hash=data["file_hash"],
                chunk_begin=data["chunk_begin"],
                chunk=data["chunk_file"],
            )
        return ok(msg="success")


class CompatAddLearnwareUploadedApi(CompatApi):
    @extend_schema(
        operation_id="compat_user_add_learnware_uploaded",
        request=CompatAddLearnwareUploadedInputSerializer,
        responses={
            200: CompatAddOutputSerializer,
            429: CompatStatusOutputSerializer,
        },
        tags=TAGS,
        description="Turn the chunks uploaded under `file_hash` into a learnware "
        "(its MD5 is verified first). Codes: 41 bad semantic specification, 51 "
        "missing or invalid package, 61 duplicate. " + _ERRORS_AT_200,
    )
    def post(self, request: Request) -> Response:
        _upload_quota(_user(request))
        data = validated(CompatAddLearnwareUploadedInputSerializer, request.data)
        spec = _semantic_spec(data["semantic_specification"])
        with _codes(s409=DUPLICATE):
            learnware = compat_services.chunked_upload_finish(
                user=_user(request), file_hash=data["file_hash"], semantic_spec=spec
            )
        return ok({"learnware_id": learnware.compat_id}, "Add success.")


class CompatUpdateLearnwareApi(CompatApi):
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(
        operation_id="compat_user_update_learnware",
        request={"multipart/form-data": CompatUpdateLearnwareInputSerializer},
        responses={
            429: CompatStatusOutputSerializer,
            200: CompatStatusOutputSerializer,
        },
        tags=TAGS,
        description="Edit the semantic specification, optionally with a new "
        "package: a new version, checked and reviewed like an upload; a listed "
        "learnware shows its approved specification until then. Codes: 71 unknown id, "
        "31 not the owner, 41 bad specification, 51 bad package, 61 duplicate. "
        + _ERRORS_AT_200,
    )
    def post(self, request: Request) -> Response:
        _upload_quota(_user(request))
        data = validated(CompatUpdateLearnwareInputSerializer, request.data)
        spec = _semantic_spec(data["semantic_specification"])
        learnware = _learnware_or(
            request, data["learnware_id"], NO_SUCH_ID, "Learnware id does not exist."
        )
        package = data.get("learnware_file")
        user = _user(request)
        with _codes(s403=SYSTEM, s409=DUPLICATE, s400=NOT_EXIST_OR_CHECK):
            if package is not None and package.size:
                services.learnware_version_create(
                    learnware=learnware, by=user, package=package, semantic_spec=spec
                )
            else:
                services.learnware_update(
                    learnware=learnware, by=user, semantic_spec=spec
                )
        return ok(msg="success")


class CompatDeleteLearnwareApi(CompatApi):
    @extend_schema(
        operation_id="compat_user_delete_learnware",
        request=CompatLearnwareIdInputSerializer,
        responses={200: CompatStatusOutputSerializer},
        tags=TAGS,
        description="Codes: 51 no such learnware, 41 not yours. " + _ERRORS_AT_200,
    )
    def post(self, request: Request) -> Response:
        data = validated(CompatLearnwareIdInputSerializer, request.data)
        learnware = _learnware_or(
            request, data["learnware_id"], NOT_EXIST_OR_CHECK, "Learnware not exist."
        )
        try:
            services.learnware_delete(learnware=learnware, by=_user(request))
        except PermissionDeniedError as exc:
            raise CompatError(
                SPEC_OR_NOT_FOUND, "You do not own this learnware."
            ) from exc
        return ok(msg="Delete success.")


class CompatListLearnwareApi(CompatApi):
    @extend_schema(
        operation_id="compat_user_list_learnware",
        request=CompatListLearnwareInputSerializer,
        responses={200: CompatListOutputSerializer},
        tags=TAGS,
        description="Your learnwares, `page` 0-based. Without `is_verified`: "
        "FAIL, WAITING, PROCESSING, QUEUE, then SUCCESS, newest first within each.",
    )
    def post(self, request: Request) -> Response:
        data = validated(CompatListLearnwareInputSerializer, request.data)
        page, limit = data["page"], data["limit"]
        qs = selectors.compat_learnware_list(
            user=_user(request), is_verified=data.get("is_verified")
        )
        count = qs.count()
        rows = qs[page * limit : (page + 1) * limit]
        body = {
            "learnware_list": [_item(learnware) for learnware in rows],
            "page": page,
            "limit": limit,
            "total_pages": (count + limit - 1) // limit,
        }
        return ok(body, "Ok.")


def _learnware_or(
    request: Request, raw_id: Any, code: int, msg: str, *, http_status: int = 200
) -> Learnware:
    """The learnware the caller may see, else ``CompatError(code, msg)``."""
    pk = _learnware_pk(raw_id)
    try:
        if pk is None:
            raise Learnware.DoesNotExist
        return selectors.compat_learnware_get(learnware_id=pk, viewer=_viewer(request))
    except Learnware.DoesNotExist:
        raise CompatError(code, msg, http_status=http_status) from None


# ------------------------------------------------------------------ /engine
LEARNWARE_ID = OpenApiParameter(
    "learnware_id", str, required=True, description="e.g. 00000082"
)


class CompatLearnwareInfoApi(CompatApi):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="compat_engine_learnware_info",
        parameters=[LEARNWARE_ID],
        responses={200: CompatInfoOutputSerializer},
        tags=TAGS,
        description="A learnware you may see (approved ones; your own; all for "
        "staff). Code 41 if not found. " + _ERRORS_AT_200,
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("learnware_id")
        if raw is None:
            raise CompatError(PARAMETERS, PARAMETERS_MSG)
        learnware = _learnware_or(
            request, raw, SPEC_OR_NOT_FOUND, "Learnware not found."
        )
        info = {"user_id": learnware.owner_id, **_item(learnware)}
        return ok({"learnware_info": info})


class CompatDownloadLearnwareApi(CompatApi):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="compat_engine_download_learnware",
        parameters=[LEARNWARE_ID],
        responses={
            (200, "application/zip"): bytes,
            400: CompatStatusOutputSerializer,
            404: CompatStatusOutputSerializer,
        },
        tags=TAGS,
        description="The package as uploaded (the live version; owners and staff "
        "get the newest if none is approved). Errors are non-200 here: the client "
        "saves any 200 body as the zip.",
    )
    def get(self, request: Request) -> FileResponse:
        raw = request.query_params.get("learnware_id")
        if raw is None:
            raise CompatError(
                PARAMETERS, PARAMETERS_MSG, http_status=status.HTTP_400_BAD_REQUEST
            )
        learnware = _learnware_or(
            request,
            raw,
            SPEC_OR_NOT_FOUND,
            "Learnware not found.",
            http_status=status.HTTP_404_NOT_FOUND,
        )
        version = (
            learnware.live_version or learnware.versions.order_by("-number").first()
        )
        if version is None:
            raise CompatError(
                SPEC_OR_NOT_FOUND,
                "Learnware has no package.",
                http_status=status.HTTP_404_NOT_FOUND,
            )
        services.learnware_downloaded(learnware=learnware)
        response = FileResponse(
            version.package.open("rb"),
            as_attachment=True,
            filename=f"{learnware.compat_id}.zip",
            content_type="application/zip",
        )
        response["Content-Length"] = str(version.package_size)
        return response


class CompatSearchLearnwareInputSerializer(serializers.Serializer):
    semantic_specification = TextField(
        help_text="JSON; any field may be empty (no filter)."
    )
    statistical_specification = serializers.FileField(required=False)
    limit = serializers.IntegerField(required=False, min_value=0)
    page = serializers.IntegerField(required=False, min_value=0, default=0)


_TAG_KEYS = ("Data", "Task", "Library", "License", "Scenario")


def _values(spec: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """The chosen values of a tag key (the original accepts several: any of them)."""
    entry = spec.get(key)
    values = entry.get("Values") if isinstance(entry, Mapping) else None
    if isinstance(values, str):
        return (values,) if values else ()
    return tuple(str(v) for v in values or () if v)


def _search_item(learnware: Learnware, matching: float) -> dict[str, Any]:
    return {
        "learnware_id": learnware.compat_id,
        "semantic_specification": learnware.semantic_spec,
        "matching": matching,
        "last_modify": selectors.last_modify(learnware.updated_at),
        "username": learnware.owner.name,
    }


class CompatSearchLearnwareApi(CompatApi):
    permission_classes = (AllowAny,)
    throttle_scope = "search"

    @extend_schema(
        operation_id="compat_engine_search_learnware",
        request={"multipart/form-data": CompatSearchLearnwareInputSerializer},
        responses={
            200: CompatStatusOutputSerializer,
            429: CompatStatusOutputSerializer,
        },
        tags=TAGS,
        description="The original's search: semantic filters (several values of one "
        "key mean any of them; Name is free text), optional RKME file; "
        "`learnware_list_single` / `learnware_list_multi` with `matching` scores. "
        "A table RKME no learnware shares the columns of, with column descriptions "
        "in the semantic specification's Input, is searched in the specification "
        "world (`is_hetero: true`). Too many of your searches still running "
        "(`BMW_JOBS_IN_FLIGHT_MAX`): HTTP 429 with `Retry-After`, code 21.",
    )
    def post(self, request: Request) -> Response:
        serializer = CompatSearchLearnwareInputSerializer(data=request.data)
        if not serializer.is_valid():
            raise CompatError(PARAMETERS, PARAMETERS_MSG)
        data = serializer.validated_data
        if data.get("limit") == 0:
            raise CompatError(LIMIT_ZERO, "Limit must be positive.")
        spec = _semantic_spec(data["semantic_specification"])
        tags = {key: _values(spec, key) for key in _TAG_KEYS}
        text = " ".join(_values(spec, "Name"))
        try:  # the caps of API v1's search, under the original's key names
            search_input_check(text=("Name", text), tags=tags)
        except ApplicationError as exc:
            raise CompatError(PARAMETERS, f"{PARAMETERS_MSG} {exc.message}") from exc
        filters = market_search.SearchFilters(
            data_types=tags["Data"],
            task_types=tags["Task"],
            library_types=tags["Library"],
            licenses=tags["License"],
            scenarios=tags["Scenario"],
            text=text,
        )
        stat_spec = None
        upload = data.get("statistical_specification")
        try:
            if upload is not None:
                stat_spec = market_search.stat_spec_parse(upload.read())
            outcome = market_search.learnware_search(
                viewer=_viewer(request),
                filters=filters,
                stat_spec=stat_spec,
                top_k=100,
                # The user's Input descriptions: heterogeneous search when no
                # learnware shares the columns (the original's is_hetero user).
                input_description=market_search.input_description_parse(
                    spec.get("Input"), stat_spec, strict=False
                ),
                caller=caller_key(request),
            )
        except market_search.SearchUnavailable as exc:
            raise CompatError(
                SPEC_OR_NOT_FOUND, "Engine search learnware error."
            ) from exc
        except RateLimitedError as exc:
            raise _rate_limited(exc) from exc
        except ApplicationError as exc:
            raise CompatError(
                SPEC_OR_NOT_FOUND, f"Statistical specification error. {exc.message}"
            ) from exc
        single = [_search_item(h.learnware, h.score or 0.0) for h in outcome.hits]
        page, limit = data.get("page", 0), data.get("limit")
        body: dict[str, Any] = {"is_hetero": outcome.heterogeneous}
        if limit:
            body.update(page=page, limit=limit, total_pages=-(-len(single) // limit))
            single = single[page * limit : (page + 1) * limit]
        body["learnware_list_single"] = single
        multiple = outcome.multiple
        body["learnware_list_multi"] = (
            [_search_item(lw, multiple.score) for lw in multiple.learnwares]
            if multiple is not None and page == 0
            else []
        )
        return ok(body)


class CompatSemanticSpecificationApi(CompatApi):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="compat_engine_semantic_specification",
        responses={200: CompatSemanticOutputSerializer},
        tags=TAGS,
        description="The allowed semantic-specification values.",
    )
    def get(self, request: Request) -> Response:
        return ok({"semantic_specification": selectors.compat_semantic_config()})
