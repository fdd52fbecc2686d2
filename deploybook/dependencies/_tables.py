"""Add requirements to a name = constraint table: Poetry's dependencies or Pipfile's [packages].

Both take a version string, or an inline table when extras, markers or a URL are involved.
"""

from __future__ import annotations

from typing import Any

import tomlkit
from tomlkit.items import InlineTable, String, Table

from deploybook.dependencies._wanted import Requirement, canonical, present, satisfies
from deploybook.inspect.constraints import poetry_to_pep440

__all__ = ["add_to_table", "toml_string"]


def add_to_table(table: Table, wanted: list[Requirement], label: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Add each wanted requirement the table does not name; returns (added, kept)."""
    existing = {canonical(str(key)): (str(key), value) for key, value in table.items()}
    added: list[str] = []
    kept: list[str] = []
    for requirement in wanted:
        hit = present(existing, requirement, lambda found: _as_requirement(*found))
        if hit is None:
            table[requirement.name] = _constraint(requirement)
            added.append(str(requirement))
            continue
        found, requirement = hit
        if isinstance(found[1], dict) and found[1].get("optional") is True:
            # Installed only with an extra, so not in production: make it a plain dependency.
            rest = {key: value for key, value in found[1].items() if key != "optional"}
            if list(rest) == ["version"]:
                table[found[0]] = rest["version"]
            else:
                plain = tomlkit.inline_table()
                plain.update(rest)
                table[found[0]] = plain
            added.append(f"{requirement.name} (was optional, installed only with an extra)")
            found = (found[0], table[found[0]])
        current = _as_requirement(found[0], found[1])
        if current is None or not satisfies(current, requirement):
            kept.append(
                f"{label}: kept the project's {found[0]} = {tomlkit.item(found[1]).as_string()}; "
                f"the recipe asks for {requirement}"
            )
    return tuple(added), tuple(kept)


def _constraint(requirement: Requirement) -> str | InlineTable:
    version = str(requirement.specifier) or "*"
    if not (requirement.extras or requirement.marker or requirement.url):
        return version
    constraint = tomlkit.inline_table()
    url = requirement.url or ""
    if url.startswith("git+"):
        constraint["git"] = url.removeprefix("git+")
    elif url:
        constraint["url"] = url
    else:
        constraint["version"] = version
    if requirement.extras:
        constraint["extras"] = sorted(requirement.extras)
    if requirement.marker:
        constraint["markers"] = toml_string(str(requirement.marker))
    return constraint


def _as_requirement(name: str, value: Any) -> Requirement | None:
    """The entry as PEP 508 when it is plain enough to compare; None for git, paths, `||`."""
    version = value.get("version", "*") if isinstance(value, dict) else value
    extras = value.get("extras", []) if isinstance(value, dict) else []
    if not isinstance(version, str) or not isinstance(extras, list):
        return None
    alternatives = poetry_to_pep440(version)
    if len(alternatives) != 1:
        return None
    try:
        return Requirement(f"{name}[{','.join(map(str, extras))}]{alternatives[0]}")
    except ValueError:
        return None


def toml_string(value: str) -> String:
    """A TOML string; markers quote with ", which reads better in a literal 'string' than as \\"."""
    return tomlkit.string(value, literal='"' in value and "'" not in value)
