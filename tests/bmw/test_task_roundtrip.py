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
    mails = list(Path(celery_worker_process["DJANGO_EMAIL_FILE_PATH"]).glob("*.log"))
    assert len(mails) == 1
    text = mails[0].read_text()
    assert "Subject: Welcome" in text
    assert "To: ada@example.com" in text


def test_user_email_send_for_missing_user_reports_failure(
    celery_worker_process: dict[str, Any],
) -> None:
    result = tasks.user_email_send.delay(999_999, "x", "y")

    with pytest.raises(Exception, match="does not exist"):
        result.get(timeout=60)
    assert result.state == "FAILURE"
