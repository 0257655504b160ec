"""Accounts settings come from the environment and are checked at start-up."""

import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_python

_PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.BMW_REGISTRATION_EMAIL_DOMAINS, "
    "s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['login'], "
    "s.REST_FRAMEWORK['NUM_PROXIES'], s.BMW_FRONTEND_BASE_URL)"
)


def _settings(state: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run_python(_PRINT, BMW_STATE_DIR=str(state), **env)


def test_accounts_settings_are_read_from_the_environment(tmp_path: Path) -> None:
    result = _settings(
        tmp_path,
        BMW_REGISTRATION_EMAIL_DOMAINS="@Example.EDU, .lab.org",
        BMW_THROTTLE_LOGIN="3/hour",
        BMW_NUM_PROXIES="1",
        BMW_FRONTEND_BASE_URL="https://dock.example.org/",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("] ")[1].split() == [
        "3/hour",
        "1",
        "https://dock.example.org",
    ]
    assert "['example.edu', 'lab.org']" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BMW_THROTTLE_LOGIN", "ten per minute"),
        ("BMW_THROTTLE_SEARCH", "0/minute"),
        ("BMW_PASSWORD_RESET_TTL_MINUTES", "0"),
        ("BMW_EMAIL_VERIFICATION_TTL_HOURS", "soon"),
        ("BMW_NUM_PROXIES", "one"),
    ],
)
def test_bad_accounts_setting_stops_start_up_naming_it(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = _settings(tmp_path, **{variable: value})

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable}" in result.stderr
