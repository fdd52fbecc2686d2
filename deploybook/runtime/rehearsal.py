"""`manage.py deploy RECIPE --rehearse`: serve the configured project locally, the platform's way.

The rehearsal itself lives in deploybook.rehearse; this module decides when it may run: only
once the recipe's configuration is in the project, since rehearsing anything else would
prove nothing about what will be deployed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from deploybook.errors import DeployError
from deploybook.runtime.deploy import prepare
from deploybook.runtime.request import DeployRequest

if TYPE_CHECKING:
    from deploybook.rehearse import RehearsalReport

__all__ = ["rehearse_request"]


def rehearse_request(request: DeployRequest, out: TextIO) -> RehearsalReport:
    """Rehearse the project as configured now; raise DeployError when it is not configured yet."""
    prepared = prepare(request)
    recipe = prepared.resolution.recipe
    pending = prepared.plan.changed_paths
    if pending:
        shown = ", ".join(pending[:3]) + (f" and {len(pending) - 3} more" if len(pending) > 3 else "")
        choices = "".join(f" --set {name}={value}" for name, value in request.assignments.items())
        raise DeployError(
            f"this project is not configured for {recipe.title} yet: the recipe would still change {shown}",
            hint=f"run `python manage.py deploy {recipe.id}{choices}` first and review the change, then rehearse",
        )
    from deploybook.rehearse import rehearse_prepared  # starts servers; load only when rehearsing

    return rehearse_prepared(prepared, out=out)
