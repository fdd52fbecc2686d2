"""Add requirements to a TOML manifest: pyproject.toml (PEP 621 or Poetry's own table) or a Pipfile.

tomlkit keeps the user's formatting and comments; only the dependency list changes.
"""

from __future__ import annotations

import tomlkit
from tomlkit.exceptions import ParseError
from tomlkit.items import Table
from tomlkit.toml_document import TOMLDocument

from deploybook.dependencies._change import TextEdit
from deploybook.dependencies._pep621 import add_to_project_dependencies
from deploybook.dependencies._tables import add_to_table
from deploybook.dependencies._wanted import Requirement
from deploybook.errors import RequirementsError

__all__ = ["edit_toml"]


def edit_toml(pkg: str, text: str, wanted: list[Requirement], label: str) -> TextEdit:
    """`text` with each wanted requirement added to the table `pkg` takes its dependencies from."""
    try:
        document = tomlkit.parse(text)
    except ParseError as error:
        raise RequirementsError(
            f"{label}:{error.line}: not valid TOML: {error}", hint=f"fix the syntax of {label}"
        ) from error
    if pkg == "pipenv":
        added, kept = add_to_table(_table(document, "packages"), wanted, label + " [packages]")
    elif pkg == "poetry" and _uses_poetry_table(document):
        table = _table(document, "tool", "poetry", "dependencies")
        added, kept = add_to_table(table, wanted, label + " [tool.poetry.dependencies]")
    else:
        added, kept = add_to_project_dependencies(_table(document, "project"), wanted, label)
    return TextEdit(tomlkit.dumps(document), added, kept)


def _uses_poetry_table(document: TOMLDocument) -> bool:
    # Poetry 2 reads [project].dependencies when there is a [project] table; older projects
    # list everything but python in [tool.poetry.dependencies], which Poetry 2 still honours.
    project = document.get("project")
    if project is None:
        return True
    if "dependencies" in project:
        return False
    poetry_dependencies = document.get("tool", {}).get("poetry", {}).get("dependencies", {})
    return any(str(name).lower() != "python" for name in poetry_dependencies)


def _table(document: TOMLDocument, *keys: str) -> Table:
    container: TOMLDocument | Table = document
    for key in keys:
        if key not in container:
            # Super tables keep `[tool.poetry.dependencies]` from also writing `[tool]`.
            container[key] = tomlkit.table(is_super_table=key != keys[-1])
        child = container[key]
        if not isinstance(child, Table):
            raise RequirementsError(f"[{'.'.join(keys)}] is not a table", hint="fix the manifest by hand first")
        container = child
    assert isinstance(container, Table)
    return container
