"""Secrets come from the environment only; no default credential works anywhere.

The original shipped ``admin@localhost`` / ``admin`` and the secret key
``my_secret_key``; here a weak or published key stops start-up, the first admin's
password is generated or must pass the validators, and the demo market's owner
cannot sign in.
"""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml
from django.core.management import CommandError, call_command

from accounts.models import User
from bmw.settings.base import _secret_key_problem
from tests.conftest import REPO, run_python

STRONG_KEY = "x7-Gq2" * 10


@pytest.mark.parametrize(
    "key",
    [
        "my_secret_key",  # the original's
        "change-me",  # .env.example's placeholder
        "insecure-debug-only-key",
        "django-insecure-" + "k3y-" * 12,  # startproject's
        "too-short-but-random-9f8e7d",
        "a" * 64,  # long, but 1 distinct character
    ],
)
def test_weak_or_published_secret_keys_are_refused(key: str) -> None:
    assert _secret_key_problem(key) is not None


def test_a_generated_key_is_accepted() -> None:
    import secrets

    assert _secret_key_problem(secrets.token_urlsafe(50)) is None
    assert _secret_key_problem(STRONG_KEY) is None


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    return run_python("import django; django.setup()", **env)


def test_start_up_refuses_a_weak_key_without_echoing_it() -> None:
    refused = _start(DJANGO_SECRET_KEY="my_secret_key", DJANGO_DEBUG="false")
    debug = _start(DJANGO_SECRET_KEY="my_secret_key", DJANGO_DEBUG="true")
    strong = _start(DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_DEBUG="false")

    assert refused.returncode != 0
    last = refused.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY: is a published default" in last
    assert "my_secret_key" not in refused.stderr
    assert debug.returncode == 0, debug.stderr  # a developer's machine
    assert strong.returncode == 0, strong.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["admin", "password", "12345678", "admin@example"])
def test_first_admin_refuses_a_weak_given_password(password: str) -> None:
    with pytest.raises(CommandError, match="BMW_ADMIN_PASSWORD"):
        call_command("ensure_admin", email="admin@example.com", password=password)

    assert not User.objects.exists()


@pytest.mark.django_db
def test_first_admin_without_a_password_gets_a_random_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("ensure_admin", email="admin@example.com")

    out = capsys.readouterr().out
    generated = re.search(r"with password (\S+) ", out)
    assert generated is not None
    admin = User.objects.get()
    assert admin.check_password(generated.group(1))
    assert not admin.check_password("admin")
    assert len(generated.group(1)) >= 16


@pytest.mark.django_db
def test_demo_market_owner_cannot_sign_in() -> None:
    from market.demo import demo_owner

    owner = demo_owner()

    assert not owner.has_usable_password()
    assert not owner.is_staff


def test_deployment_files_hold_no_credentials() -> None:
    compose = yaml.safe_load((REPO / "docker" / "compose.yaml").read_text())
    app_env = compose["x-app"]["environment"]
    env_example = (REPO / ".env.example").read_text()

    # Required from the environment, no fallback value.
    assert app_env["DJANGO_SECRET_KEY"] == "${DJANGO_SECRET_KEY:?set DJANGO_SECRET_KEY}"
    assert "${POSTGRES_PASSWORD:?" in app_env["DATABASE_URL"]
    assert compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"] == (
        "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
    )
    assert "BMW_ADMIN_PASSWORD" not in app_env  # generated, printed once
    # Behind Caddy's TLS: secure cookies and HSTS, throttles per client.
    assert app_env["BMW_BEHIND_TLS_PROXY"] == "${BMW_BEHIND_TLS_PROXY:-true}"
    assert app_env["BMW_NUM_PROXIES"] == "${BMW_NUM_PROXIES:-1}"
    # .env.example's placeholder key would stop the dock rather than run it.
    example_key = re.search(r"^DJANGO_SECRET_KEY=(.*)$", env_example, re.M)
    assert example_key is not None
    assert _secret_key_problem(example_key.group(1)) is not None
    assert not re.search(r"^BMW_ADMIN_PASSWORD=\S", env_example, re.M)
