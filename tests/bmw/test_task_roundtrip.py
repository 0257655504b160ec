"""A task goes through the real Redis broker to a real worker on PostgreSQL and back."""

from pathlib import Path
from typing import Any

import pytest

from accounts import tasks
from accounts.models import User

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_user_email_send_runs_on_worker_and_returns_result(
    celery_worker_process: dict[str, Any],
) -> None:
    user = User.objects.create_user("ada@example.com", "pw-12345-long")

    result = tasks.user_email_send.delay(user.id, "Welcome", "Hello from the dock")

    assert result.get(timeout=60) == "ada@example.com"  # the worker read the row
    mail_dir = Path(celery_worker_process["DJANGO_EMAIL_FILE_PATH"])
    # The session's worker also sends other tests' mails: find the ones to Ada.
    to_ada = [
        text
        for text in (path.read_text() for path in mail_dir.glob("*.log"))
        if "To: ada@example.com" in text
    ]
    assert len(to_ada) == 1
    assert "Subject: Welcome" in to_ada[0]
    assert "Hello from the dock" in to_ada[0]


def test_user_email_send_for_missing_user_reports_failure(
    celery_worker_process: dict[str, Any],
) -> None:
    result = tasks.user_email_send.delay(999_999, "x", "y")

    with pytest.raises(Exception, match="does not exist"):
        result.get(timeout=60)
    assert result.state == "FAILURE"
