"""The one exception root of deploybook, every kind of error under it, and the one mapping from
an error to a command line's exit status.

Library code (the compiler included) raises these and never prints or exits; the two command
lines, `deploybook` and `manage.py deploy`, turn them into exit statuses with `exit_status()`.
Each error says what is wrong, where (`location`, a place in a recipe or a project file, or
None), and what to do (`hint`).

This module imports nothing at run time, so every layer can use it cheaply.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from deploybook.compiler.source import SourceSpan

__all__ = [
    "EXIT_ERRORS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "CommandFailed",
    "DeployError",
    "DeploybookError",
    "InspectError",
    "Interrupted",
    "RecipeError",
    "RehearsalError",
    "RequirementsError",
    "UsageError",
    "exit_status",
]

EXIT_OK = 0
EXIT_ERRORS = 1  # the recipe, the project or the platform has a problem
EXIT_USAGE = 2  # the command line itself is wrong
EXIT_INTERRUPTED = 130  # stopped by a signal, as shells report SIGINT (128 + 2)

_E = TypeVar("_E", bound="DeploybookError")


class DeploybookError(Exception):
    """A problem the user can fix: what is wrong, where, and what to do about it."""

    exit_status = EXIT_ERRORS

    def __init__(self, message: str, *, hint: str = "", location: SourceSpan | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.location = location

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location is not None else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text

    def with_hint(self: _E, more: str) -> _E:
        """The same error (class, message and location) with `more` added to its hint."""
        extended = copy.copy(self)
        extended.hint = f"{self.hint}; {more}" if self.hint else more
        return extended


class UsageError(DeploybookError):
    """The command line is wrong: an unknown recipe or option, a --set the recipe does not have."""

    exit_status = EXIT_USAGE


class RecipeError(DeploybookError):
    """A recipe does not compile; the message lists every diagnostic as path:line:col."""


class InspectError(DeploybookError):
    """The project's files cannot be read as deploybook needs them (manage.py, settings, manifests)."""


class RequirementsError(DeploybookError):
    """A requirement cannot be written: it is not PEP 508, or the manifest cannot take it."""


class DeployError(DeploybookError):
    """The deploy cannot go on; nothing was written, or everything written was restored."""


class CommandFailed(DeployError):
    """A platform command failed during --automate-all or --redeploy (already redacted)."""


class RehearsalError(DeploybookError):
    """The rehearsal cannot start: no processes step, no PostgreSQL server, a broken project."""


class Interrupted(DeploybookError):
    """A signal stopped the command; the message says exactly what state it left behind.
    The exit status is 128 plus the signal's number, as shells report it."""

    exit_status = EXIT_INTERRUPTED

    def __init__(self, message: str, *, hint: str = "", location: SourceSpan | None = None, signum: int = 2) -> None:
        super().__init__(message, hint=hint, location=location)
        self.exit_status = 128 + signum


def exit_status(error: BaseException) -> int:
    """The exit status a command line ends with for `error`; the only place that decides it."""
    if isinstance(error, DeploybookError):
        return error.exit_status
    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    return EXIT_ERRORS
