"""What the user asked for: one deploy request, as the command line or a test states it."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from deploybook.runtime.errors import UsageError

__all__ = ["MODES", "DeployRequest", "parse_assignments"]

# config: write the configuration only (the default); automate: also commit and run the
# recipe's setup commands; redeploy: run only its redeploy commands.
MODES = ("config", "automate", "redeploy")


@dataclass(frozen=True, slots=True)
class DeployRequest:
    """One deploy as the command line or a test asks for it; contradictory options raise UsageError."""

    recipe: str | None
    """A recipe id (bundled or from an installed pack) or a path to a recipe file."""
    project: Path
    """The folder holding manage.py (or manage.py itself)."""
    recipe_file: Path | None = None
    assignments: Mapping[str, str] = field(default_factory=dict)
    """`--set name=value`: axis choices, recipe variables, and `pkg` / `settings_module`."""
    mode: str = "config"
    dry_run: bool = False
    allow_dirty: bool = False
    assume_yes: bool = False
    interactive: bool = True
    environ: Mapping[str, str] | None = None
    """None: the process environment."""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise UsageError(f"unknown mode {self.mode!r}", hint=f"choose one of {', '.join(MODES)}")
        if self.recipe is None and self.recipe_file is None:
            raise UsageError(
                "which recipe?", hint="name one, e.g. `manage.py deploy heroku` (see `manage.py deploy --list`)"
            )
        if self.recipe is not None and self.recipe_file is not None:
            raise UsageError(
                f"both a recipe ({self.recipe}) and --recipe-file ({self.recipe_file}) were given",
                hint="give one of them",
            )
        asks = self.mode != "config" and not self.dry_run
        if asks and not self.assume_yes and not self.interactive:
            flag = "--automate-all" if self.mode == "automate" else "--redeploy"
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


def parse_assignments(pairs: Sequence[str]) -> dict[str, str]:
    """`--set` values: NAME=VALUE each; a later one wins, as on most command lines."""
    given: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set expects NAME=VALUE, got {pair!r}", hint="for example --set db=sqlite")
        given[name.strip()] = value
    return given
