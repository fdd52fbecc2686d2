"""Find DJANGO_SETTINGS_MODULE the way Django would, by reading manage.py and wsgi.py with `ast`.

The project is never imported: its settings may need secrets or services that are not there yet.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from deploybook.errors import InspectError

__all__ = ["SettingsPointer", "find_settings_module", "read_settings_pointer"]

_VARIABLE = "DJANGO_SETTINGS_MODULE"


@dataclass(frozen=True, slots=True)
class SettingsPointer:
    """A settings module name and the `path:line` that names it."""

    module: str
    origin: str


def find_settings_module(manage_dir: Path) -> SettingsPointer:
    """Read manage.py, then each <package>/wsgi.py next to it, for the settings module."""
    candidates = [manage_dir / "manage.py", *sorted(manage_dir.glob("*/wsgi.py"))]
    for path in candidates:
        pointer = read_settings_pointer(path, manage_dir)
        if pointer is not None:
            return pointer
    raise InspectError(
        f"{manage_dir / 'manage.py'}: does not set {_VARIABLE}",
        hint=f"add os.environ.setdefault({_VARIABLE!r}, 'yourproject.settings') to manage.py "
        "as `django-admin startproject` does, or name it with --set settings_module=...",
    )


def read_settings_pointer(path: Path, base: Path) -> SettingsPointer | None:
    """The first place in `path` that sets the settings module, if any."""
    source = path.read_bytes()  # Python reads it so: a byte-order mark and a coding line count
    origin_file = path.relative_to(base).as_posix()
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as error:
        raise InspectError(
            f"{origin_file}:{error.lineno}: cannot parse: {error.msg}",
            hint=f"fix the syntax error in {path.name}; Python itself cannot run it as it is",
        ) from error
    # Sorted by line because ast.walk is breadth-first and the first assignment in the
    # file is the one that wins at run time (setdefault keeps the earliest value).
    statements = [node for node in ast.walk(tree) if isinstance(node, ast.stmt | ast.expr)]
    for node in sorted(statements, key=lambda node: node.lineno):
        value = _assigned_value(node)
        if value is None:
            continue
        origin = f"{origin_file}:{node.lineno}"
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return SettingsPointer(value.value, origin)
        raise InspectError(
            f"{origin}: {_VARIABLE} is computed ({ast.unparse(value)}), not a plain string",
            hint="deploybook reads the project without running it; name the module with "
            "--set settings_module=yourproject.settings",
        )
    return None


def _assigned_value(node: ast.AST) -> ast.expr | None:
    # os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x.settings"), or environ.setdefault(...)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "setdefault"
        and _is_environ(node.func.value)
        and len(node.args) == 2
        and _is_variable_name(node.args[0])
    ):
        return node.args[1]
    # os.environ["DJANGO_SETTINGS_MODULE"] = "x.settings"
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Subscript) and _is_environ(target.value) and _is_variable_name(target.slice):
                return node.value
    return None


def _is_environ(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id == "environ"
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _is_variable_name(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == _VARIABLE
