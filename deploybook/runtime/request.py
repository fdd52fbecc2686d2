"""What the user asked for: one deploy request, as the command line or a test states it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path

from deploybook.errors import UsageError
from deploybook.records import record
from deploybook.runtime.modes import CONFIG, Mode

__all__ = ["DeployRequest"]


@record
class DeployRequest:
    """One deploy as the command line or a test asks for it; contradictory options raise UsageError."""

    recipe: str | None
    """A recipe id (bundled or from an installed pack) or a path to a recipe file."""
    project: Path
    """The folder holding manage.py (or manage.py itself)."""
    recipe_file: Path | None = None
    assignments: Mapping[str, str] = field(default_factory=dict)
    """`--set name=value`: axis choices, recipe variables, and `pkg` / `settings_module`."""
    mode: Mode = CONFIG
    """What the deploy does: modes.CONFIG, AUTOMATE or REDEPLOY, or a `.dry()` run of one."""
    allow_dirty: bool = False
    assume_yes: bool = False
    interactive: bool = True
    relock: bool = True
    """Refresh a lock file the new requirements make stale (False: `--no-lock`)."""
    environ: Mapping[str, str] | None = None
    """None: the process environment."""

    def __post_init__(self) -> None:
        if self.recipe is None and self.recipe_file is None:
            raise UsageError(
                "which recipe?", hint="name one, e.g. `manage.py deploy heroku` (see `manage.py deploy --list`)"
            )
        if self.recipe is not None and self.recipe_file is not None:
            raise UsageError(
                f"both a recipe ({self.recipe}) and --recipe-file ({self.recipe_file}) were given",
                hint="give one of them",
            )
        if not self.relock and self.mode.commits:
            raise UsageError(
                f"--no-lock cannot be combined with {self.mode.flag}",
                hint="the platform refuses a stale lock file; leave out --no-lock (deploy refreshes it)",
            )
        if self.mode.asks and not self.assume_yes and not self.interactive:
            flag = self.mode.flag
            raise UsageError(
                f"{flag} asks for confirmation before it changes anything, and --no-input forbids asking",
                hint=f"add --yes to confirm in advance, or leave out --no-input; --dry-run shows what {flag} would do",
            )

    @property
    def env(self) -> Mapping[str, str]:
        return os.environ if self.environ is None else self.environ

    @property
    def source_name(self) -> str:
        return str(self.recipe_file) if self.recipe_file is not None else str(self.recipe)
