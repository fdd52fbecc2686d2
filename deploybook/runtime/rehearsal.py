"""`manage.py deploy RECIPE --rehearse`: serve the configured project locally, the platform's way.

The rehearsal itself lives in deploybook.rehearse; this module decides when it may run: only
once the recipe's configuration is in the project, since rehearsing anything else would
prove nothing about what will be deployed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from deploybook.errors import DeploybookError, DeployError
from deploybook.runtime.deploy import Prepared, prepare
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
        _refuse_other_variant(request, prepared)
        shown = ", ".join(pending[:3]) + (f" and {len(pending) - 3} more" if len(pending) > 3 else "")
        choices = _sets(request.assignments)
        raise DeployError(
            f"this project is not configured for {recipe.title} yet: the recipe would still change {shown}",
            hint=f"run `python manage.py deploy {recipe.id}{choices}` first and review the change, then rehearse",
        )
    from deploybook.rehearse import rehearse_prepared  # starts servers; load only when rehearsing

    return rehearse_prepared(prepared, out=out)


def _refuse_other_variant(request: DeployRequest, prepared: Prepared) -> None:
    """A project configured with other axis values (db=postgres, not db=sqlite) is told so."""
    recipe = prepared.resolution.recipe
    chosen = dict(prepared.resolution.choices)
    for variant in recipe.variants():
        if variant == {name: chosen.get(name) for name in variant}:
            continue
        try:
            other = prepare(dataclasses.replace(request, assignments={**request.assignments, **variant}))
        except DeploybookError:
            continue
        if other.plan.changed_paths:
            continue
        changed = {name: value for name, value in variant.items() if chosen.get(name) != value}
        rehearse_it = _sets({**request.assignments, **changed})
        theirs = _differing(variant, chosen)
        ours = _differing(chosen, variant)
        raise DeployError(
            f"this project is configured for {recipe.title} with {theirs}, not {ours}",
            hint=f"rehearse what it has: `python manage.py deploy {recipe.id}{rehearse_it} --rehearse`; "
            f"or switch it with `python manage.py deploy {recipe.id}{_sets(request.assignments)}` first",
        )


def _differing(these: Mapping[str, str], those: Mapping[str, str]) -> str:
    return " ".join(f"{name}={value}" for name, value in these.items() if those.get(name) != value)


def _sets(assignments: Mapping[str, str]) -> str:
    return "".join(f" --set {name}={value}" for name, value in assignments.items())
