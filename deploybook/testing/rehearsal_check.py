"""The rehearsal check: a configured recipe case, built, released and served as its platform
would, then probed (deploybook.rehearse), with every failure named by the recipe's step."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

from deploybook.compiler import Processes, Recipe, ResolvedProcesses, compile_file
from deploybook.errors import DeploybookError
from deploybook.rehearse import rehearse
from deploybook.testing.postgres import PostgresServer
from deploybook.testing.recipe_cases import ConfiguredProject, RecipeCase, located

__all__ = ["rehearsal_problems", "rehearsed_case", "rehearses"]

_databases = itertools.count()


def rehearses(recipe: Recipe) -> bool:
    """Whether the recipe says what its platform runs (a `processes` step), so it can be rehearsed."""
    return any(isinstance(step, Processes) for step in recipe.steps)


def rehearsed_case(case: RecipeCase) -> bool:
    """The cases the matrix rehearses: one per recipe and db value.

    A rehearsal installs the project into a fresh virtualenv and serves it: the slowest check
    by far. The dependency managers and layouts are the other checks' business (and the
    rehearsal tests' own), so the simplest case stands for each db value.
    """
    if (case.flavour, case.layout, case.settings) != ("requirements", "flat", "module"):
        return False
    recipe = compile_file(case.recipe_file).recipe
    return recipe is not None and rehearses(recipe)


def rehearsal_problems(project: ConfiguredProject, postgres: PostgresServer | None, venv_cache: Path) -> list[str]:
    url = None
    if postgres is not None and project.case.db == "postgres":
        url = postgres.create_database(f"rehearsal{next(_databases)}")
    out = io.StringIO()
    try:
        report = rehearse(
            project.root,
            project.resolution,
            database_url=url,
            out=out,
            project=project.prepared.context.project,
            venv_cache=venv_cache,
        )
    except DeploybookError as error:
        return [f"rehearsal of {project.case.id}: {error}"]
    if report.ok:
        return []
    # The variant of the processes step this case resolved to: the lines that were run.
    step = project.resolution.of_kind(ResolvedProcesses)[0].step
    logs = "\n".join(f"--- {name}\n{text[-2000:]}" for name, text in report.logs.items())
    return [located(step.span, step.id, f"rehearsal of {project.case.id} failed:\n{report.format()}\n{logs}")]
