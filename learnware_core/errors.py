"""Exceptions raised by ``learnware_core``; all derive from ``ValueError``."""


class LearnwareError(ValueError):
    """Base class for every error ``learnware_core`` raises on bad input."""


class SpecificationError(LearnwareError):
    """A semantic or statistical specification is malformed or incompatible."""


class PackageError(LearnwareError):
    """A learnware package (zip) is malformed, unsafe or inconsistent."""
