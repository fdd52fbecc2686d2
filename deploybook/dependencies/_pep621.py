"""Add requirements to PEP 621 `[project].dependencies` (uv, PDM, Poetry 2)."""

from __future__ import annotations

import tomlkit
from tomlkit.items import Array, Table

from deploybook.dependencies._tables import toml_string
from deploybook.dependencies._wanted import Requirement, canonical, present, satisfies
from deploybook.errors import RequirementsError

__all__ = ["add_to_project_dependencies"]


def add_to_project_dependencies(
    project: Table, wanted: list[Requirement], label: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Append each wanted requirement not yet listed; returns (added, kept)."""
    if "dependencies" in project.get("dynamic", []):
        raise RequirementsError(
            f"{label}: [project].dependencies is dynamic, so there is no list to add to",
            hint="add the requirements where your build backend reads them, or list them "
            "statically in [project].dependencies",
        )
    dependencies = project.get("dependencies")
    if dependencies is None:
        dependencies = tomlkit.array()
        project["dependencies"] = dependencies
    if not isinstance(dependencies, Array):
        raise RequirementsError(
            f"{label}: [project].dependencies is not a list",
            hint="PEP 621 wants a list of requirement strings",
        )
    existing = {}
    for item in dependencies:
        try:
            requirement = Requirement(str(item))
        except ValueError:
            continue
        existing[canonical(requirement.name)] = (str(item), requirement)
    added: list[str] = []
    kept: list[str] = []
    if not existing and not len(dependencies):
        # An empty list grows the way uv and PDM write one: one requirement per line.
        dependencies.multiline(True)
    for requirement in wanted:
        hit = present(existing, requirement, lambda found: found[1])
        if hit is None:
            dependencies.append(toml_string(str(requirement)))
            added.append(str(requirement))
        elif not satisfies(hit[0][1], hit[1]):
            kept.append(
                f"{label}: kept the project's {hit[0][0]!r} in [project].dependencies; the recipe asks for {hit[1]}"
            )
    return tuple(added), tuple(kept)
