"""The harness's exceptions: one root, so callers can catch every lab failure at once."""

from __future__ import annotations

__all__ = ["LabError", "LabUnavailable"]


class LabError(Exception):
    """Something in the lab went wrong: the message says what and how to fix it."""


class LabUnavailable(LabError):
    """This machine cannot run guests at all (not root, a tool missing).

    Kept apart from other errors so the pytest plugin can skip (or fail under CI) on it
    while real failures of a capable machine still surface as errors.
    """
