"""The error the requirement writers raise."""

from __future__ import annotations

from deploybook.errors import DeploybookError

__all__ = ["RequirementsError"]


class RequirementsError(DeploybookError):
    """A requirement cannot be written: it is not PEP 508, or the manifest cannot take it."""
