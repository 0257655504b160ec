"""``learnware.model``: the base class of every learnware's model."""

from .base import BaseModel

__all__ = ["BaseModel"]
