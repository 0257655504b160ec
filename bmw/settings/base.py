"""Settings for every deployment, read from environment variables.

There is no ``production.py``: production is these settings plus its environment.
Unset variables fall back to the *embedded default* — SQLite, a filesystem message
broker and a file cache under ``BMW_STATE_DIR`` — so the dock runs with no external
server. ``DATABASE_URL=postgres://…`` and ``REDIS_URL=redis://…`` switch to the real
stack. See ``.env.example`` for every variable.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import django_stubs_ext
import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

django_stubs_ext.monkeypatch()  # ModelAdmin[User] etc. subscript at run time

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
_env_file = env.str("BMW_ENV_FILE", default="")
if _env_file:
    environ.Env.read_env(_env_file, overwrite=False)


def _parse(var: str, parse: Any, default: Any) -> Any:
    """Read ``var`` with django-environ's ``parse``; name the variable if bad."""
    try:
        return parse(var, default=default)
    except (ValueError, KeyError, TypeError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"{var}: invalid value ({exc})") from exc


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def _bool(var: str, default: bool) -> bool:
    """A strict boolean: unlike ``env.bool``, a typo is an error, not ``False``."""
    raw = env.str(var, default=str(default)).strip().lower()
    if raw not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{var}: expected true or false, got {raw!r}")
    return raw in _TRUE


# ------------------------------------------------------------------ core
DEBUG = _bool("DJANGO_DEBUG", False)
SECRET_KEY: str = env.str("DJANGO_SECRET_KEY", default="")
# Defaults that were ever shipped or documented (here, .env.example, the original
# Beimingwu's "my_secret_key"): a deployment must never run with one of them.
_KNOWN_SECRET_KEYS = {
    "change-me",
    "changeme",
    "my_secret_key",
    "secret",
    "insecure-debug-only-key",
}


def _secret_key_problem(key: str) -> str | None:
    """Why ``key`` is unfit outside DEBUG (Django's own deploy check, enforced)."""
    if key.strip().lower() in _KNOWN_SECRET_KEYS or key.startswith("django-insecure-"):
        return "is a published default"
    if len(key) < 50 or len(set(key)) < 5:
        return "is too weak (need at least 50 characters, 5 of them different)"
    return None


if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY: must be set unless DJANGO_DEBUG=true "
            "(`make run` generates one in var/env)"
        )
    SECRET_KEY = "insecure-debug-only-key"
elif not DEBUG and (_problem := _secret_key_problem(SECRET_KEY)):
    raise ImproperlyConfigured(  # never echo the key itself
        f"DJANGO_SECRET_KEY: {_problem}; generate one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS: list[str] = _parse(
    "DJANGO_ALLOWED_HOSTS", env.list, ["localhost", "127.0.0.1", "[::1]"]
)
CSRF_TRUSTED_ORIGINS: list[str] = _parse("DJANGO_CSRF_TRUSTED_ORIGINS", env.list, [])

BMW_STATE_DIR = Path(env.str("BMW_STATE_DIR", default=str(BASE_DIR / "var")))
BMW_MEDIA_ROOT = Path(env.str("BMW_MEDIA_ROOT", default=str(BMW_STATE_DIR / "media")))
BMW_FRONTEND_DIST = Path(
    env.str("BMW_FRONTEND_DIST", default=str(BASE_DIR / "frontend" / "dist"))
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "bmw.apps.BmwConfig",
    "accounts.apps.AccountsConfig",
    "market.apps.MarketConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so the files it serves (the web app) get the CSP header too.
    "csp.middleware.CSPMiddleware",
    "bmw.app_files.AppFilesMiddleware",  # WhiteNoise
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bmw.urls"
WSGI_APPLICATION = "bmw.wsgi.application"
ASGI_APPLICATION = "bmw.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# ------------------------------------------------------------------ database
_SQLITE_DEFAULT = f"sqlite:///{BMW_STATE_DIR / 'db.sqlite3'}"
DATABASES = {"default": _parse("DATABASE_URL", env.db_url, _SQLITE_DEFAULT)}
_ENGINES = ("django.db.backends.postgresql", "django.db.backends.sqlite3")
if DATABASES["default"].get("ENGINE") not in _ENGINES:
    raise ImproperlyConfigured(
        "DATABASE_URL: expected postgres://user@host:port/name or sqlite:///path, got "
        f"engine {DATABASES['default'].get('ENGINE')!r}"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: WAL lets readers run beside one writer,
    # IMMEDIATE transactions take the write lock up front instead of failing midway.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# ------------------------------------------------------------------ broker, cache
REDIS_URL: str = env.str("REDIS_URL", default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL: expected redis://, rediss:// or unix://, got {REDIS_URL!r}"
    )
_BROKER_DIR = BMW_STATE_DIR / "broker"

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Keep the visibility timeout above the longest task's hard limit, or Redis
    # redelivers a running task to a second worker (Celery docs, "Using Redis").
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
        "visibility_timeout": 2 * 60 * 60,
        "socket_connect_timeout": 3,
        "socket_timeout": 10,
    }
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }
else:
    # The embedded default: kombu's filesystem transport needs no server and supports
    # the fanout exchange that worker pings (and so /healthz) use.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "control_folder": str(_BROKER_DIR / "control"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "store_processed": False,
        # Seconds between folder scans (default 1 s): a scan of a near-empty folder
        # costs microseconds, and each message waits half an interval on average
        # (searches and "Try it" wait for their replies this way too).
        "polling_interval": 0.05,
    }
    CELERY_RESULT_BACKEND = f"file://{BMW_STATE_DIR / 'results'}"
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BMW_STATE_DIR / "cache"),
        }
    }
    # The transport, the result backend and the cache expect their folders to exist.
    for _folder in ("broker/queue", "broker/control", "broker/processed", "results"):
        (BMW_STATE_DIR / _folder).mkdir(parents=True, exist_ok=True)

# ------------------------------------------------------------------ celery
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60  # hard cap for tasks that set none themselves
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Queues by latency class, each served by its own worker processes (Procfile):
# interactive work (hosted inference, e-mail, housekeeping: the default queue) never
# waits behind batch work (checks, world training), which runs at a lower CPU
# priority; search workers hold the market's index in memory (market.search.index).
CELERY_TASK_DEFAULT_QUEUE = "interactive"
_BATCH_QUEUE = "batch"
CELERY_TASK_ROUTES: dict[str, dict[str, str]] = {
    "market.learnware_version_check": {"queue": _BATCH_QUEUE},
    "market.world_engine_train": {"queue": _BATCH_QUEUE},
    "market.world_engine_activate": {"queue": _BATCH_QUEUE},
    "market.world_system_spec_generate": {"queue": _BATCH_QUEUE},
    "market.learnware_search": {"queue": "search"},
}
# The slices' task modules (autodiscovery finds only <app>.tasks).
CELERY_IMPORTS = (
    "market.compat.tasks",
    "market.inference.tasks",
    "market.search.tasks",
    "market.world.tasks",
)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long ML tasks must not hoard messages
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {}
CELERY_BEAT_SCHEDULE_FILENAME = str(BMW_STATE_DIR / "celerybeat-schedule")
BMW_HEALTH_PING_TIMEOUT: float = _parse("BMW_HEALTH_PING_TIMEOUT", env.float, 2.0)

# ------------------------------------------------------------------ email
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = env.str("DJANGO_EMAIL_FILE_PATH", default=str(BMW_STATE_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@localhost")

# ------------------------------------------------------------------ accounts
# Registration allow-list: "edu,example.org" admits ada@cs.mit.edu and
# bo@example.org (a domain and its subdomains). Empty = anyone may register.
BMW_REGISTRATION_EMAIL_DOMAINS: list[str] = [
    domain.strip().lstrip("@.").lower()
    for domain in _parse("BMW_REGISTRATION_EMAIL_DOMAINS", env.list, [])
    if domain.strip().lstrip("@.")
]
BMW_EMAIL_VERIFICATION_TTL_HOURS: int = _parse(
    "BMW_EMAIL_VERIFICATION_TTL_HOURS", env.int, 48
)
BMW_PASSWORD_RESET_TTL_MINUTES: int = _parse(
    "BMW_PASSWORD_RESET_TTL_MINUTES", env.int, 60
)
for _ttl in ("BMW_EMAIL_VERIFICATION_TTL_HOURS", "BMW_PASSWORD_RESET_TTL_MINUTES"):
    if globals()[_ttl] <= 0:
        raise ImproperlyConfigured(f"{_ttl}: must be a positive number")
# Where the web app is reached; links in e-mails point here (no trailing slash).
BMW_FRONTEND_BASE_URL: str = env.str(
    "BMW_FRONTEND_BASE_URL", default="http://localhost:8000"
).rstrip("/")

# ------------------------------------------------------------------ static, media
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("BMW_STATIC_ROOT", default=str(BMW_STATE_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = BMW_MEDIA_ROOT
# The built React app (frontend/dist) is served from the site root by whitenoise;
# bmw.views.frontend_index answers every other non-API path with its index.html.
WHITENOISE_ROOT = BMW_FRONTEND_DIST if BMW_FRONTEND_DIST.is_dir() else None
# Source maps (the API docs' bundle ships large ones) are not compressed: browsers
# fetch them only with the developer tools open, and compressing them was 59 % of
# collectstatic's time on a first `make run`.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/assets/.+-[0-9A-Za-z_-]{8,}\.\w+$"  # Vite-hashed
# Uploaded files (packages, stat specs, staged chunks) go through the default storage:
# the local filesystem (MEDIA_ROOT) unless BMW_S3_BUCKET names a bucket of an S3 or
# S3-compatible service (MinIO, Ceph, ...). Code needing a local path uses
# bmw.storage.local_copy().
BMW_S3_BUCKET: str = env.str("BMW_S3_BUCKET", default="").strip()
_DEFAULT_STORAGE: dict[str, Any] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage"
}
if BMW_S3_BUCKET:
    _s3_keys: dict[str, str] = {}
    for _var in ("BMW_S3_ACCESS_KEY_ID", "BMW_S3_SECRET_ACCESS_KEY"):
        _s3_keys[_var] = env.str(_var, default="").strip()
        if not _s3_keys[_var]:
            raise ImproperlyConfigured(f"{_var}: must be set when BMW_S3_BUCKET is set")
    _s3_endpoint = env.str("BMW_S3_ENDPOINT_URL", default="").strip() or None
    # Path-style requests suit S3-compatible servers (no wildcard DNS per bucket).
    _s3_style = env.str("BMW_S3_ADDRESSING_STYLE", default="").strip() or (
        "path" if _s3_endpoint else "auto"
    )
    if _s3_style not in ("auto", "path", "virtual"):
        raise ImproperlyConfigured(
            "BMW_S3_ADDRESSING_STYLE: expected auto, path or virtual, "
            f"got {_s3_style!r}"
        )
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BMW_S3_BUCKET,
            "endpoint_url": _s3_endpoint,
            "region_name": env.str("BMW_S3_REGION", default="").strip() or "us-east-1",
            "access_key": _s3_keys["BMW_S3_ACCESS_KEY_ID"],
            "secret_key": _s3_keys["BMW_S3_SECRET_ACCESS_KEY"],
            "location": env.str("BMW_S3_PREFIX", default="").strip().strip("/"),
            "signature_version": "s3v4",
            "addressing_style": _s3_style,
            "default_acl": "private",  # objects are never public ...
            "querystring_auth": True,  # ... url() is a short-lived signed URL
            "file_overwrite": False,  # a clashing name gets a suffix, like on disk
            "max_memory_size": 16 << 20,  # larger downloads spool to a temp file
        },
    }
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True


# ------------------------------------------------------------------ REST API
def _rate(var: str, default: str) -> str:
    """A DRF throttle rate such as ``10/minute``, checked at start-up."""
    raw = env.str(var, default=default).strip()
    if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", raw):
        raise ImproperlyConfigured(
            f"{var}: expected <count>/<minute|hour|…>, got {raw!r}"
        )
    return raw


REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "bmw.api.schema.AutoSchema",  # + the framework's errors
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so a request without credentials gets 401 + WWW-Authenticate
        # (DRF takes the header from the first class), not 403.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Only views with a ``throttle_scope`` are limited; the counters live in the
    # default cache (Redis, or the embedded file cache).
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.ScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        # "<count>/<second|minute|hour|day>", per client IP (per user once signed in)
        "login": _rate("BMW_THROTTLE_LOGIN", "10/minute"),
        "register": _rate("BMW_THROTTLE_REGISTER", "5/hour"),
        "password_reset": _rate("BMW_THROTTLE_PASSWORD_RESET", "5/hour"),
        "email_verification": _rate("BMW_THROTTLE_EMAIL_VERIFICATION", "5/hour"),
        "token_create": _rate("BMW_THROTTLE_TOKEN_CREATE", "20/hour"),
        "search": _rate("BMW_THROTTLE_SEARCH", "60/minute"),
        "inference": _rate("BMW_THROTTLE_INFERENCE", "20/minute"),
    },
    # How many reverse proxies append to X-Forwarded-For. 0 = use REMOTE_ADDR, so a
    # client cannot dodge throttles with a forged header. Set 1 behind one nginx.
    "NUM_PROXIES": _parse("BMW_NUM_PROXIES", env.int, 0),
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies bounded in size and depth (BMW_JSON_MAX_BYTES / _DEPTH).
    "DEFAULT_PARSER_CLASSES": [
        "bmw.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "bmw.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "bmw.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Beimingwu learnware dock API",
    "DESCRIPTION": (
        "Submit, check, search and reuse learnwares (models with specifications). "
        "Every 4xx response has the shape `{message, extra}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page must work offline: its JS/CSS come from drf-spectacular-sidecar.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge image from validator.swagger.io (the CSP admits no other origin).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "VersionStatusEnum": "market.models.LearnwareVersion.Status",
        "CheckStepStatusEnum": "market.models.CheckStep.Status",
    },
}

# ------------------------------------------------------------------ logging
LOG_LEVEL = env.str("BMW_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# ------------------------------------------------------------------ security
# docs/security.md lists every measure and the test that holds it.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"  # not HttpOnly: the web app sends it back as X-CSRFToken
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BMW_BEHIND_TLS_PROXY = _bool("BMW_BEHIND_TLS_PROXY", False)
if BMW_BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # HSTS only here: a plain-HTTP dock must not tell browsers to insist on HTTPS.
    SECURE_HSTS_SECONDS = _parse("BMW_HSTS_SECONDS", env.int, 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("BMW_HSTS_INCLUDE_SUBDOMAINS", False)
# Content-Security-Policy (django-csp 4). Scripts only from this origin (the web app's
# bundles, Swagger UI's sidecar files and its init script at /api/docs/?script,
# Django admin's static files): no inline script, no eval. Inline <style> needs the
# per-request nonce: the web app passes it to Mantine (index.html's csp-nonce meta,
# filled in by bmw.views.frontend_index), the docs page puts it on its one <style>.
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # Swagger UI's and Mantine's inline SVG icons
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],  # the in-browser RKME builder
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# ------------------------------------------------------------------ market
BMW_MAX_PACKAGE_BYTES: int = _parse("BMW_MAX_PACKAGE_BYTES", env.int, 512 * 2**20)
BMW_MAX_UNPACKED_BYTES: int = _parse("BMW_MAX_UNPACKED_BYTES", env.int, 2 * 2**30)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 2**20  # non-file request bodies
# Hard limit of one check run (the Celery task); a claim older than this is stale.
BMW_SEARCH_TIMEOUT_S: float = _parse("BMW_SEARCH_TIMEOUT_S", env.float, 15.0)
# Caps on what a request holds, the same on API v1 and the compat API (checked before
# any work): JSON the dock parses (request bodies, semantic specs sent as strings),
# search text and tag filters.
BMW_JSON_MAX_BYTES: int = _parse("BMW_JSON_MAX_BYTES", env.int, 2 * 2**20)
BMW_JSON_MAX_DEPTH: int = _parse("BMW_JSON_MAX_DEPTH", env.int, 32)
BMW_SEARCH_TEXT_MAX_CHARS: int = _parse("BMW_SEARCH_TEXT_MAX_CHARS", env.int, 500)
BMW_SEARCH_TAG_MAX_CHARS: int = _parse("BMW_SEARCH_TAG_MAX_CHARS", env.int, 100)
BMW_SEARCH_TAG_VALUES_MAX: int = _parse("BMW_SEARCH_TAG_VALUES_MAX", env.int, 50)
# Per caller (a user, or an anonymous address): searches and predictions waiting for
# a worker at once (more: 429); per user: new versions uploaded in an hour and
# versions queued or being checked at once (staff are not limited).
BMW_JOBS_IN_FLIGHT_MAX: int = _parse("BMW_JOBS_IN_FLIGHT_MAX", env.int, 4)
BMW_UPLOADS_PER_HOUR: int = _parse("BMW_UPLOADS_PER_HOUR", env.int, 20)
BMW_CHECKS_PENDING_MAX: int = _parse("BMW_CHECKS_PENDING_MAX", env.int, 4)
for _limit in (
    "BMW_JOBS_IN_FLIGHT_MAX",
    "BMW_UPLOADS_PER_HOUR",
    "BMW_CHECKS_PENDING_MAX",
    "BMW_JSON_MAX_BYTES",
    "BMW_JSON_MAX_DEPTH",
    "BMW_SEARCH_TEXT_MAX_CHARS",
    "BMW_SEARCH_TAG_MAX_CHARS",
    "BMW_SEARCH_TAG_VALUES_MAX",
):
    if globals()[_limit] < 1:
        raise ImproperlyConfigured(f"{_limit}: must be at least 1")
BMW_MAX_STAT_SPEC_BYTES: int = _parse("BMW_MAX_STAT_SPEC_BYTES", env.int, 64 * 2**20)
BMW_CHECK_TIME_LIMIT_S: int = _parse("BMW_CHECK_TIME_LIMIT_S", env.int, 20 * 60)
BMW_CHECK_STALE_AFTER_S: int = _parse(
    "BMW_CHECK_STALE_AFTER_S", env.int, BMW_CHECK_TIME_LIMIT_S + 60
)
# A check started this many times without finishing (its worker died each time, e.g.
# a package that kills it) ends check_failed instead of being queued again.
BMW_CHECK_MAX_ATTEMPTS: int = _parse("BMW_CHECK_MAX_ATTEMPTS", env.int, 3)
BMW_CHECK_REQUEUE_EVERY_S: int = _parse("BMW_CHECK_REQUEUE_EVERY_S", env.int, 5 * 60)
# The demo market (manage.py seed_demo_market): its owner account and package cache.
BMW_DEMO_OWNER_EMAIL: str = env.str("BMW_DEMO_OWNER_EMAIL", default="demo@example.com")
BMW_DEMO_CACHE_DIR = Path(
    env.str("BMW_DEMO_CACHE_DIR", default=str(BMW_STATE_DIR / "demo-market"))
)
_SENSITIVE_WORDS_FILE = Path(
    env.str(
        "BMW_SENSITIVE_WORDS_FILE",
        default=str(BASE_DIR / "market" / "sensitive_words.txt"),
    )
)
BMW_CHECK_CONFIG: dict[str, Any] = {
    "sensitive_words": [
        line.strip()
        for line in _SENSITIVE_WORDS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ],
    "runtime": {
        "cache_dir": env.str("BMW_ENV_CACHE_DIR", default=str(BMW_STATE_DIR / "envs")),
    },
}
# Hosted inference ("try it"): limits of one request and of its sandboxed run.
BMW_INFERENCE_MAX_BYTES: int = _parse("BMW_INFERENCE_MAX_BYTES", env.int, 2 * 2**20)
BMW_INFERENCE_MAX_ROWS: int = _parse("BMW_INFERENCE_MAX_ROWS", env.int, 1000)
BMW_INFERENCE_MAX_LEARNWARES: int = _parse("BMW_INFERENCE_MAX_LEARNWARES", env.int, 5)
# The web waits this long for the worker's answer (then 504, or 503 if none took it).
BMW_INFERENCE_TIMEOUT_S: float = _parse("BMW_INFERENCE_TIMEOUT_S", env.float, 60.0)
# Wall-clock limit of the model's start and of each of its predict calls.
# A "Try it" job that no interactive worker has started within this many seconds is
# withdrawn with a 503 (all busy, or none running) instead of holding a web thread.
BMW_INFERENCE_START_TIMEOUT_S: float = _parse(
    "BMW_INFERENCE_START_TIMEOUT_S", env.float, 10.0
)
BMW_INFERENCE_TIME_LIMIT_S: float = _parse(
    "BMW_INFERENCE_TIME_LIMIT_S", env.float, 20.0
)
BMW_INFERENCE_MEMORY_BYTES: int = _parse(
    "BMW_INFERENCE_MEMORY_BYTES", env.int, 4 * 2**30
)
# Each interactive worker keeps this many started learnwares warm (LRU), each closed
# after this long unused: a repeated "Try it" skips the sandbox's start-up.
BMW_INFERENCE_WARM_MAX: int = _parse("BMW_INFERENCE_WARM_MAX", env.int, 4)
BMW_INFERENCE_WARM_IDLE_S: float = _parse("BMW_INFERENCE_WARM_IDLE_S", env.float, 600.0)
for _limit in ("BMW_INFERENCE_MAX_BYTES", "BMW_INFERENCE_MAX_ROWS"):
    if globals()[_limit] < 1:
        raise ImproperlyConfigured(f"{_limit}: must be at least 1")
if not 0 < BMW_INFERENCE_TIME_LIMIT_S < BMW_INFERENCE_TIMEOUT_S:
    raise ImproperlyConfigured(
        "BMW_INFERENCE_TIME_LIMIT_S: must be positive and below BMW_INFERENCE_TIMEOUT_S"
    )
CELERY_BEAT_SCHEDULE["market.inference_inputs_purge_stale"] = {
    "task": "market.inference_inputs_purge_stale",  # inputs of lost inference jobs
    "schedule": 60 * 60,
}
CELERY_BEAT_SCHEDULE["market.chunked_uploads_purge_stale"] = {
    "task": "market.chunked_uploads_purge_stale",  # unfinished compat uploads
    "schedule": 60 * 60,
}
CELERY_BEAT_SCHEDULE["market.checks_requeue_stale"] = {
    "task": "market.checks_requeue_stale",
    "schedule": BMW_CHECK_REQUEUE_EVERY_S,
}

# The specification world (heterogeneous table search; learnware_core.specworld).
# Retrain once this many eligible table learnwares were approved since the last
# version (0: never on approvals), and on a schedule if anything changed (0: never).
BMW_WORLD_RETRAIN_EVERY: int = _parse("BMW_WORLD_RETRAIN_EVERY", env.int, 20)
BMW_WORLD_RETRAIN_INTERVAL_S: int = _parse(
    "BMW_WORLD_RETRAIN_INTERVAL_S", env.int, 24 * 60 * 60
)
# JSON objects of learnware_core.specworld.NetConfig / TrainConfig fields (e.g.
# {"hidden": 64, "out_dim": 32} and {"epochs": 20, "seed": 0}); {} = the defaults.
BMW_WORLD_NET_CONFIG: dict[str, Any] = _parse("BMW_WORLD_NET_CONFIG", env.json, {})
BMW_WORLD_TRAIN_CONFIG: dict[str, Any] = _parse("BMW_WORLD_TRAIN_CONFIG", env.json, {})
# Hard limit of one training with its regeneration (keep it below the Redis
# visibility timeout, 2 h); a training whose heartbeat is older than this is taken
# as lost (its worker died) and marked failed.
BMW_WORLD_TRAIN_TIME_LIMIT_S: int = _parse(
    "BMW_WORLD_TRAIN_TIME_LIMIT_S", env.int, 60 * 60
)
for _var in ("BMW_WORLD_NET_CONFIG", "BMW_WORLD_TRAIN_CONFIG"):
    if not isinstance(globals()[_var], dict):
        raise ImproperlyConfigured(f"{_var}: expected a JSON object")
for _var in ("BMW_WORLD_RETRAIN_EVERY", "BMW_WORLD_RETRAIN_INTERVAL_S"):
    if globals()[_var] < 0:
        raise ImproperlyConfigured(f"{_var}: must be 0 (off) or positive")
if BMW_WORLD_TRAIN_TIME_LIMIT_S < 60:
    raise ImproperlyConfigured("BMW_WORLD_TRAIN_TIME_LIMIT_S: must be at least 60")
if BMW_WORLD_RETRAIN_INTERVAL_S:
    CELERY_BEAT_SCHEDULE["market.world_engine_retrain_scheduled"] = {
        "task": "market.world_engine_retrain_scheduled",  # only if anything changed
        "schedule": BMW_WORLD_RETRAIN_INTERVAL_S,
    }
