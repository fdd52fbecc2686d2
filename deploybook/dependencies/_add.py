"""Add requirements to whichever manifest the project's dependency manager reads."""

from __future__ import annotations

from collections.abc import Sequence

import tomlkit
from tomlkit.exceptions import ParseError
from tomlkit.items import Table
from tomlkit.toml_document import TOMLDocument

from deploybook.dependencies._change import RequirementsChange, TextEdit
from deploybook.dependencies._pep621 import add_to_project_dependencies
from deploybook.dependencies._requirements_txt import add_to_requirements_txt
from deploybook.dependencies._tables import add_to_table
from deploybook.dependencies._wanted import Requirement, parse_requirements
from deploybook.dependencies.errors import RequirementsError
from deploybook.inspect import Project

__all__ = ["add_requirements"]

# Resolving versions needs the package index and the tool itself, so the user re-locks.
_RELOCK = {
    "poetry": ("poetry", "lock"),
    "pipenv": ("pipenv", "lock"),
    "uv": ("uv", "lock"),
    "pdm": ("pdm", "lock"),
}


def add_requirements(project: Project, requirements: Sequence[str]) -> RequirementsChange:
    """The project's manifest with `requirements` (PEP 508 lines) added, as bytes; writes nothing.

    Entries the project already has are left as the user wrote them (see `kept`), so a
    second call with the same requirements changes nothing.
    """
    wanted = parse_requirements(list(requirements))
    path = project.manifest
    before = path.read_bytes() if path.is_file() else b""
    label = project.relative(path)
    text = before.decode("utf-8")
    if project.pkg == "requirements":
        edit = add_to_requirements_txt(text, wanted, label)
    else:
        edit = _edit_toml(project.pkg, text, wanted, label)
    after = edit.text.encode("utf-8")
    relock: tuple[str, ...] = ()
    notes = list(edit.notes)
    if after != before and project.lock_file is not None:
        relock = _RELOCK[project.pkg]
        where = "" if project.dependency_dir == project.root else f" in {project.relative(project.dependency_dir)}"
        notes.append(
            f"{project.relative(project.lock_file)} is now out of date: run `{' '.join(relock)}`"
            f"{where} and commit the result (deploybook does not resolve versions itself)"
        )
    return RequirementsChange(path, before, after, edit.added, edit.kept, relock, tuple(notes))


def _edit_toml(pkg: str, text: str, wanted: list[Requirement], label: str) -> TextEdit:
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
