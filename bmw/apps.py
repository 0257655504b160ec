"""App config so the project package can hold management commands."""

from django.apps import AppConfig


class BmwConfig(AppConfig):
    name = "bmw"
    verbose_name = "Beimingwu dock"
