"""The one error inspection raises: the project is not in a shape deploybook can read."""

from __future__ import annotations

from deploybook.errors import DeploybookError

__all__ = ["InspectError"]


class InspectError(DeploybookError):
    """The user's project cannot be inspected; `message` says where and `hint` what to do."""
