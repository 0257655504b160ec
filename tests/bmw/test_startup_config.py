"""Bad configuration stops start-up with a message naming the variable."""

import subprocess

import pytest

from tests.conftest import REPO, VENV_BIN, process_env, run_python

UNREACHABLE_DB = "postgres://postgres@127.0.0.1:1/nowhere"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def _start_wsgi(**env: str) -> subprocess.CompletedProcess[str]:
    return run_python("import bmw.wsgi", **env)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DATABASE_URL": UNREACHABLE_DB}, "DATABASE_URL"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL"),
        ({"REDIS_URL": UNREACHABLE_REDIS}, "REDIS_URL"),
        ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_SECRET_KEY": "", "DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY"),
    ],
)
def test_web_start_fails_naming_the_bad_variable(
    env: dict[str, str], variable: str
) -> None:
    base = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    result = _start_wsgi(**{**base, **env})

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert variable in last_line


def test_web_start_succeeds_with_reachable_services() -> None:
    result = _start_wsgi(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )

    assert result.returncode == 0, result.stderr


def test_worker_start_fails_naming_unreachable_database() -> None:
    result = subprocess.run(
        [str(VENV_BIN / "celery"), "-A", "bmw", "worker", "--pool", "solo"],
        cwd=REPO,
        env=process_env(
            DATABASE_URL=UNREACHABLE_DB, REDIS_URL="redis://127.0.0.1:6379/15"
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "DATABASE_URL: cannot use the database 127.0.0.1:1/nowhere" in (
        result.stdout + result.stderr
    )
