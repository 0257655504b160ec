"""Hosted inference ("Try it"): run approved learnwares on a small upload, in the
checks' sandbox, on the ``interactive`` queue (never behind batch work).

Public surface: :func:`learnware_predict` and :class:`InferenceUnavailable`; the
views are :mod:`market.inference.api`. Web and worker talk through
:mod:`market.inference.protocol`.
"""

from market.inference.services import InferenceUnavailable, learnware_predict

__all__ = ["InferenceUnavailable", "learnware_predict"]
