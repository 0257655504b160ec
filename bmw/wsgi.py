"""WSGI entry point; refuses to start when the database or broker is unreachable."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bmw.settings.base")

application = get_wsgi_application()

from bmw.startup import verify_services  # noqa: E402 - needs the app registry

verify_services()
