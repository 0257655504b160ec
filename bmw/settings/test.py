"""Test settings: base settings plus the overrides tests need (nothing else).

Tests run against real PostgreSQL and Redis: ``DATABASE_URL`` and ``REDIS_URL`` default
to the services on this machine.
"""

import os

# Long enough for the production check on the key (base.py); only ever for tests.
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghij"
)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
# A tiny specification-world engine that trains in a second or two; in os.environ, so
# the Celery worker the tests start (tests/conftest.py) trains the same.
os.environ.setdefault(
    "BMW_WORLD_NET_CONFIG", '{"hidden": 16, "out_dim": 8, "n_layers": 1, "n_heads": 2}'
)
os.environ.setdefault("BMW_WORLD_TRAIN_CONFIG", '{"epochs": 2, "batch_size": 32}')
# No automatic retraining: a training the worker starts after one test's approvals
# would still be reading the tables when the next test flushes them (a deadlock).
# Tests that exercise the trigger set the setting themselves.
os.environ.setdefault("BMW_WORLD_RETRAIN_EVERY", "0")

from bmw.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast in tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
