"""Beimingwu's framework-free learnware library.

Specifications (semantic + statistical), the learnware package format, checks, search,
reuse, the Python client and the ``bmw`` CLI. Never imports Django, DRF or Celery
(enforced by import-linter).
"""

__version__ = "0.1.0"
