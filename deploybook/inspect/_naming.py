"""The project's name and the slug platforms accept as an app name."""

from __future__ import annotations

import re
from pathlib import Path

from deploybook.inspect._toml import read_toml, table

__all__ = ["find_project_name", "slugify"]

_SLUG_MAX = 30
# Settings packages people commonly name after their role rather than their project.
_GENERIC_PACKAGES = frozenset({"app", "config", "conf", "core", "project", "settings", "src", "website"})


def find_project_name(folders: tuple[Path, ...], settings_module: str, manage_dir: Path) -> str:
    """The package holding the settings; when that is a generic name such as `config`, the
    pyproject name, else the manage.py folder's name."""
    package = settings_module.partition(".")[0]
    if package and package.lower() not in _GENERIC_PACKAGES:
        return package
    for folder in folders:
        pyproject = read_toml(folder / "pyproject.toml")
        for name in (
            table(pyproject, "project").get("name"),
            table(pyproject, "tool", "poetry").get("name"),
        ):
            if isinstance(name, str) and name.strip():
                return name.strip()
    return manage_dir.name


def slugify(name: str) -> str:
    """Lowercase letters, digits and single hyphens, at most 30 characters, starting with a letter.

    That is the common ground of Fly.io, Heroku, Render and Kubernetes names.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug[:1].isalpha():
        slug = f"app-{slug}".rstrip("-")
    return slug[:_SLUG_MAX].rstrip("-")
