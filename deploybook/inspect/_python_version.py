"""Which Python (major.minor) the project runs on, from the files that say so.

Order: `.python-version` (pyenv, uv, Heroku), `runtime.txt` (older Heroku), Pipfile's
`[requires]`, then the lowest version `requires-python` (or Poetry's `python`) allows; the
running interpreter only when no file says anything.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from deploybook.inspect._toml import read_toml, table
from deploybook.records import record

__all__ = ["PythonVersion", "find_python_version", "lowest_python"]

_MAJOR_MINOR = re.compile(r"(?<![\d.])(3)\.(\d+)")


@record
class PythonVersion:
    """The project's Python version and the file that says so."""

    version: str
    """major.minor, e.g. "3.12"."""
    source: str
    """Where it came from, for messages: a file name or "the running interpreter"."""


def find_python_version(folders: tuple[Path, ...]) -> PythonVersion:
    for folder in folders:
        for name in (".python-version", "runtime.txt"):
            path = folder / name
            if path.is_file():
                match = _MAJOR_MINOR.search(path.read_text(encoding="utf-8"))
                if match:
                    return PythonVersion(f"{match[1]}.{match[2]}", name)
        found = _from_manifests(folder)
        if found is not None:
            return found
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    return PythonVersion(running, "the running interpreter")


def _from_manifests(folder: Path) -> PythonVersion | None:
    pipfile = table(read_toml(folder / "Pipfile"), "requires")
    for key in ("python_version", "python_full_version"):
        match = _MAJOR_MINOR.search(str(pipfile.get(key, "")))
        if match:
            return PythonVersion(f"{match[1]}.{match[2]}", "Pipfile")
    pyproject: dict[str, Any] = read_toml(folder / "pyproject.toml")
    for constraint in (
        table(pyproject, "project").get("requires-python"),
        table(pyproject, "tool", "poetry", "dependencies").get("python"),
    ):
        if isinstance(constraint, str):
            lowest = lowest_python(constraint)
            if lowest is not None:
                return PythonVersion(lowest, "pyproject.toml")
    return None


def lowest_python(constraint: str) -> str | None:
    """The lowest 3.x a PEP 440 or Poetry constraint allows: a deploy wants the declared floor."""
    # Imported here: only a constraint in pyproject.toml gets this far, and packaging's
    # specifiers take a while to import.
    from deploybook.inspect.constraints import poetry_to_pep440

    candidates = []
    for specifiers in poetry_to_pep440(constraint):
        if not specifiers:
            continue
        for minor in range(0, 40):
            if any(specifiers.contains(f"3.{minor}.{patch}", True) for patch in range(0, 30)):
                candidates.append(minor)
                break
    return f"3.{min(candidates)}" if candidates else None
