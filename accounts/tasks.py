"""Background work for accounts: thin wrappers calling one service each."""

from smtplib import SMTPException

from celery import shared_task
from celery.contrib.django.task import DjangoTask


@shared_task(
    name="accounts.user_email_send",
    base=DjangoTask,  # delay_on_commit() (also the app's default; explicit for typing)
    autoretry_for=(SMTPException, ConnectionError),  # transient mail-server trouble
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def user_email_send(user_id: int, subject: str, body: str) -> str:
    from accounts import services  # deferred: services imports this module to enqueue

    return services.user_email_send(user_id=user_id, subject=subject, body=body)
