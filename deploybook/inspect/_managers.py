"""Which dependency manager a project uses, judged by the nearest folder with any evidence.

A pyproject.toml alone says nothing: many projects keep only tool settings there, and a bare
PEP 621 `[project]` table is shared by uv, PDM and Poetry 2. Lock files and `[tool.*]` tables
decide.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from deploybook.errors import InspectError
from deploybook.inspect._toml import read_toml, table
from deploybook.records import record

__all__ = ["MANAGERS", "DependencyManager", "find_dependency_manager"]

MANAGERS = ("requirements", "poetry", "pipenv", "uv", "pdm")
_MANIFESTS = {
    "requirements": "requirements.txt",
    "poetry": "pyproject.toml",
    "pipenv": "Pipfile",
    "uv": "pyproject.toml",
    "pdm": "pyproject.toml",
}
_LOCKS = {"poetry": "poetry.lock", "pipenv": "Pipfile.lock", "uv": "uv.lock", "pdm": "pdm.lock"}
_CHOOSE = "--set pkg=" + "|".join(MANAGERS)
# `pip freeze` would also list deploybook itself, as a local file:// line no platform can install.
_CREATE = (
    "create requirements.txt from the installed distributions your project imports, with the "
    "Python that runs it: `python -m deploybook requirements > requirements.txt`; review it and commit it"
)


@record
class DependencyManager:
    """The tool that installs the project's dependencies, and its files."""

    name: str
    """One of MANAGERS."""
    folder: Path
    manifest: Path
    """requirements.txt, Pipfile or pyproject.toml: the file requirements are added to."""
    lock: Path | None


def find_dependency_manager(folders: tuple[Path, ...], forced: str | None = None) -> DependencyManager:
    """The manager used in the nearest of `folders` with evidence; `forced` overrides the guess."""
    if forced is not None:
        return _forced(forced, folders)
    for folder in folders:
        evidence = _evidence(folder)
        if len(evidence) == 1:
            return _manager(next(iter(evidence)), folder)
        if evidence:
            found = "; ".join(f"{', '.join(files)} ({name})" for name, files in sorted(evidence.items()))
            raise InspectError(f"{folder}: more than one dependency manager: {found}", hint=_keep_one(evidence))
    where = ", ".join(str(folder) for folder in folders)
    unlocked = [f for f in folders if table(read_toml(f / "pyproject.toml"), "project")]
    if unlocked:
        raise InspectError(
            f"{unlocked[0] / 'pyproject.toml'} has a [project] table but no "
            "lock file, so the tool that manages it is unknown",
            hint=f"lock it with the tool you use (`uv lock`, `pdm lock` or `poetry lock`), or choose with {_CHOOSE}",
        )
    raise InspectError(
        f"no dependency manager found in {where}",
        hint="deploybook reads requirements.txt, Pipfile, or pyproject.toml with poetry.lock, "
        f"uv.lock or pdm.lock; {_CREATE}",
    )


def _evidence(folder: Path) -> dict[str, list[str]]:
    evidence: dict[str, list[str]] = {}
    if (folder / "requirements.txt").is_file():
        evidence["requirements"] = ["requirements.txt"]
    if (folder / "Pipfile").is_file():
        evidence["pipenv"] = [name for name in ("Pipfile", "Pipfile.lock") if (folder / name).is_file()]
    pyproject: dict[str, Any] = read_toml(folder / "pyproject.toml")
    for name in ("poetry", "uv", "pdm"):
        files = []
        if table(pyproject, "tool", name):
            files.append(f"pyproject.toml [tool.{name}]")
        if (folder / _LOCKS[name]).is_file():
            files.append(_LOCKS[name])
        if files:
            evidence[name] = files
    return evidence


def _manager(name: str, folder: Path) -> DependencyManager:
    lock = folder / _LOCKS[name] if name in _LOCKS else None
    return DependencyManager(name, folder, folder / _MANIFESTS[name], lock if lock and lock.is_file() else None)


def _forced(name: str, folders: tuple[Path, ...]) -> DependencyManager:
    if name not in MANAGERS:
        raise InspectError(f"unknown dependency manager {name!r}", hint=f"choose with {_CHOOSE}")
    for folder in folders:
        if (folder / _MANIFESTS[name]).is_file():
            return _manager(name, folder)
    where = ", ".join(str(folder) for folder in folders)
    raise InspectError(
        f"--set pkg={name} but there is no {_MANIFESTS[name]} in {where}",
        hint=_CREATE if name == "requirements" else f"create {_MANIFESTS[name]} first with the tool you use",
    )


def _keep_one(evidence: dict[str, list[str]]) -> str:
    """Which files to remove for each choice: a platform's build installs from exactly one manager."""
    choices = []
    for keep in sorted(evidence):
        others = [_removal(file) for name, files in sorted(evidence.items()) if name != keep for file in files]
        choices.append(f"keep {keep} (--set pkg={keep}) and remove {', '.join(others)}")
    return (
        "a platform installs from one manager, and Heroku's build refuses to start when it finds more "
        "than one of requirements.txt, Pipfile.lock, poetry.lock and uv.lock; keep the one that installs "
        "your dependencies in production: " + "; or ".join(choices)
    )


def _removal(evidence: str) -> str:
    if evidence.startswith("pyproject.toml "):
        return f"the {evidence.removeprefix('pyproject.toml ')} table of pyproject.toml"
    return evidence
