"""The errors a deploy stops with. All are DeploybookError: what is wrong, and what to do.

The management command turns them into CommandError; `UsageError` means the command line
itself is wrong (exit status 2), everything else is a problem with the project, the recipe or
the platform (exit status 1).
"""

from __future__ import annotations

from deploybook.errors import DeploybookError

__all__ = ["CommandFailed", "DeployError", "RecipeError", "UsageError"]


class DeployError(DeploybookError):
    """The deploy cannot go on; nothing was written, or everything written was restored."""


class UsageError(DeployError):
    """A bad option, an unknown recipe, or a --set name or value the recipe does not have."""


class RecipeError(DeployError):
    """The recipe does not compile; the message lists every diagnostic as path:line:col."""


class CommandFailed(DeployError):
    """A platform command failed during --automate-all or --redeploy (already redacted)."""
