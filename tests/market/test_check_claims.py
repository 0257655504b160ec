"""The check's claim: handed back when the file store is away, bounded in attempts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from bmw.storage import StorageUnavailable
from market import services
from market.models import LearnwareVersion, Notification
from tests.market.conftest import client_for, post_package

pytestmark = pytest.mark.django_db
Status = LearnwareVersion.Status


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _uploaded(
    user: User, package_bytes: bytes, spec: dict[str, Any]
) -> LearnwareVersion:
    response = post_package(client_for(user), package_bytes, spec)
    assert response.status_code == 201, response.content
    return LearnwareVersion.objects.get(id=response.json()["version"]["id"])


def test_storage_outage_hands_the_claim_back_so_the_retry_can_take_it(
    user: User, package_bytes: bytes, semantic_spec: dict[str, Any], settings: Any
) -> None:
    version = _uploaded(user, package_bytes, semantic_spec)
    stored = Path(settings.MEDIA_ROOT) / version.package.name
    stored.rename(stored.with_suffix(".away"))  # the file store cannot give it

    with pytest.raises(StorageUnavailable):
        services.learnware_version_check(version_id=version.id)

    version.refresh_from_db()
    # Claimable again at once (not after the stale sweep's ~21 minutes), and the
    # attempt is not counted: the package was never checked.
    assert version.status == Status.QUEUED
    assert version.claimed_at is None
    assert version.check_attempts == 0


def test_check_killing_its_worker_ends_failed_after_max_attempts(
    user: User, package_bytes: bytes, semantic_spec: dict[str, Any], settings: Any
) -> None:
    settings.BMW_CHECK_MAX_ATTEMPTS = 3
    version = _uploaded(user, package_bytes, semantic_spec)
    dead_claim = timezone.now() - timedelta(
        seconds=settings.BMW_CHECK_STALE_AFTER_S + 5
    )
    # The third worker to claim it died mid-check too.
    LearnwareVersion.objects.filter(id=version.id).update(
        status=Status.CHECKING, claimed_at=dead_claim, check_attempts=3
    )

    assert services.checks_requeue_stale() == 0  # not queued a fourth time

    version.refresh_from_db()
    assert version.status == Status.CHECK_FAILED
    assert "started 3 times and never finished" in version.failure_reason
    notice = Notification.objects.get(user=user, learnware=version.learnware)
    assert "check failed" in notice.title


def test_a_redelivered_check_past_the_bound_is_not_run_again(
    user: User, package_bytes: bytes, semantic_spec: dict[str, Any], settings: Any
) -> None:
    settings.BMW_CHECK_MAX_ATTEMPTS = 2
    version = _uploaded(user, package_bytes, semantic_spec)
    LearnwareVersion.objects.filter(id=version.id).update(check_attempts=2)

    services.learnware_version_check(version_id=version.id)

    version.refresh_from_db()
    assert version.status == Status.CHECK_FAILED
    assert version.check_attempts == 2  # no new claim
    assert not version.check_steps.exists()


def test_recheck_starts_the_attempt_count_again(
    user: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    version = _uploaded(user, package_bytes, semantic_spec)
    LearnwareVersion.objects.filter(id=version.id).update(
        status=Status.CHECK_FAILED, check_attempts=3
    )
    version.refresh_from_db()

    services.learnware_version_recheck(version=version, by=user)

    version.refresh_from_db()
    assert version.status == Status.QUEUED
    assert version.check_attempts == 0
