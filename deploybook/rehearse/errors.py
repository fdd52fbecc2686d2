"""The one exception rehearsal raises: it could not even start (no Python, no database, ...).

Problems with the project itself are not exceptions: they are failed checks in the report.
"""

from __future__ import annotations

from deploybook.compiler.errors import DeploybookError

__all__ = ["RehearsalError"]


class RehearsalError(DeploybookError):
    """Rehearsal could not run; the message says what is missing and the hint what to do."""
