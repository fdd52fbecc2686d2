"""requirements.txt lines for the installed distributions a project imports.

For a project with no dependency file: what `pip freeze` would say, less what the project
does not use, and never a line pip cannot install on a platform (deploybook itself, which
production leaves out, or a distribution installed from a local folder or file://).
Imports are read from the project's Python files; dotted names in its settings (INSTALLED_APPS,
MIDDLEWARE, backends) count too, since Django imports those by name.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib import metadata

__all__ = ["imported_requirements"]

_SKIPPED_DIRS = {".git", ".venv", "venv", "env", "node_modules", "__pycache__", "staticfiles", ".deploybook"}
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_NEVER = {"deploybook"}


def imported_requirements(root: Path) -> list[str]:
    """`Name==version` lines, sorted, for the distributions that provide what `root` imports."""
    # Imported here: importlib.metadata is a noticeable share of every deploy's start-up.
    from importlib import metadata

    providers = metadata.packages_distributions()
    wanted: dict[str, str] = {}
    for module in sorted(_imported_modules(root)):
        for name in providers.get(module, []):
            distribution = metadata.distribution(name)
            canonical = distribution.metadata["Name"]
            if canonical.lower() in _NEVER or _installed_from_a_path(distribution):
                continue
            wanted[canonical.lower()] = f"{canonical}=={distribution.version}"
    return [wanted[key] for key in sorted(wanted)]


def _imported_modules(root: Path) -> set[str]:
    found: set[str] = set()
    for path in root.rglob("*.py"):
        if _SKIPPED_DIRS.intersection(path.relative_to(root).parts):
            continue
        try:
            tree = ast.parse(path.read_bytes(), filename=str(path))
        except (SyntaxError, ValueError):
            continue  # not ours to judge here; Django reports it when it imports the file
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
            elif _names_a_module(node, in_settings="settings" in path.with_suffix("").parts):
                found.add(str(getattr(node, "value", "")).split(".")[0])
    return found - set(sys.stdlib_module_names)


def _names_a_module(node: ast.AST, *, in_settings: bool) -> bool:
    """A string such as 'whitenoise.middleware.WhiteNoiseMiddleware', or 'rest_framework' in settings."""
    if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or not _DOTTED.match(node.value):
        return False
    return "." in node.value or in_settings


def _installed_from_a_path(distribution: metadata.Distribution) -> bool:
    text = distribution.read_text("direct_url.json")
    if not text:
        return False
    try:
        url = json.loads(text).get("url", "")
    except (ValueError, AttributeError):
        return True
    # A folder or file on this machine (an editable install, a local wheel) is not on the platform.
    return str(url).startswith("file:")
