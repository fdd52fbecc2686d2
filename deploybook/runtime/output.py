"""Where a deploy's messages go: the caller's output (a terminal, a management command's
stdout) and the deploy log, always through the recipe's redaction.

Library code never prints; it writes lines with a *role* (create, update, command, ...) and
the caller decides how a role looks.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Protocol, TextIO

__all__ = ["ROLES", "Console", "Output", "PlainOutput"]

# Every role a line may have; an Output may style any of them, or none.
ROLES = (
    "",  # plain text
    "heading",
    "create",
    "update",
    "identical",
    "skip",
    "command",
    "output",
    "success",
    "warning",
    "error",
    "diff-add",
    "diff-remove",
    "diff-hunk",
    "prompt",
)


class Output(Protocol):
    """Receives finished lines (without the newline)."""

    def line(self, text: str, role: str = "") -> None: ...


class PlainOutput:
    """Unstyled lines on a text stream: for `deploybook demo` and for tests."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def line(self, text: str, role: str = "") -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


class Console:
    """Fans each line out to the Output and to the log, hiding secret values in both.

    The redaction is a function so that it can follow the resolution as captured values come
    in; secrets never change during a deploy, but the resolution object does.
    """

    def __init__(self, output: Output) -> None:
        self.output = output
        self.redact: Callable[[str], str] = lambda text: text
        self._log: Callable[[str], None] | None = None

    def attach_log(self, write: Callable[[str], None]) -> None:
        self._log = write

    def line(self, text: str = "", role: str = "") -> None:
        for piece in self.redact(text).split("\n"):
            self.output.line(piece, role)
            if self._log is not None:
                self._log(piece)

    def log_only(self, text: str) -> None:
        """Detail that belongs in the log but would clutter the terminal."""
        if self._log is not None:
            for piece in self.redact(text).split("\n"):
                self._log(piece)
