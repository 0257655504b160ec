"""The Django project of the Beimingwu learnware dock."""

from bmw.celery import app as celery_app

__all__ = ["celery_app"]
