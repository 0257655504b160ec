"""Compatibility stand-in for the public ``learnware`` package inside the sandbox.

Only what a learnware's own code imports is provided: :mod:`learnware.model`.
"""

__version__ = "0.4.0.post1+beimingwu.compat"
