"""Background work for accounts: thin wrappers calling one service each."""

from smtplib import SMTPException

from celery import shared_task

from accounts import services
from accounts.services import EMAIL_TASK


@shared_task(
    name=EMAIL_TASK,
    autoretry_for=(SMTPException, ConnectionError),  # transient mail-server trouble
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def user_email_send(user_id: int, subject: str, body: str) -> str:
    return services.user_email_send(user_id=user_id, subject=subject, body=body)
