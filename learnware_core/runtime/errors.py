"""Exceptions raised by :mod:`learnware_core.runtime`."""

from __future__ import annotations

from learnware_core.errors import LearnwareError

__all__ = [
    "EnvironmentBuildError",
    "LearnwareRunError",
    "RequirementsError",
    "SandboxUnavailableError",
]


class RequirementsError(LearnwareError):
    """``requirements.txt`` / ``environment.yaml`` is malformed or asks for too much."""


class EnvironmentBuildError(LearnwareError):
    """The installer failed; the message ends with its (truncated) output.

    Parameters
    ----------
    message : str
        What failed, followed by the installer's output.
    log : str, default=""
        The installer's output alone (already truncated).
    """

    def __init__(self, message: str, *, log: str = "") -> None:
        super().__init__(message)
        self.log = log


class LearnwareRunError(LearnwareError):
    """A learnware's code failed or was stopped inside the sandbox."""


class SandboxUnavailableError(RuntimeError):
    """bubblewrap is unusable here and unsandboxed runs were not allowed."""
