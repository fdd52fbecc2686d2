"""The one exception root for deploybook.

Library code raises these; only the command-line entry points turn them into exit codes.
"""

from __future__ import annotations

__all__ = ["DeploybookError"]


class DeploybookError(Exception):
    """A problem the user can fix: what is wrong, where, and what to do about it."""

    def __init__(self, message: str, *, hint: str = "", location: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.location = location

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text
