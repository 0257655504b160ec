"""Deploy bundles: one zip with the learnware packages, the dock's client library and a
``run.py`` that loads and runs them (one learnware, or a search's combination).

Public surface: :data:`MAX_LEARNWARES`, :func:`bundle_learnware`,
:func:`bundle_learnwares`; the views are :mod:`market.bundles.api`.
"""

from market.bundles.services import MAX_LEARNWARES, bundle_learnware, bundle_learnwares

__all__ = ["MAX_LEARNWARES", "bundle_learnware", "bundle_learnwares"]
