"""Find DJANGO_SETTINGS_MODULE the way Django would, by reading manage.py and wsgi.py with `ast`.

The project is never imported: its settings may need secrets or services that are not there yet.
"""

from __future__ import annotations

import ast
from pathlib import Path

from deploybook.errors import InspectError
from deploybook.inspect._settings_file import module_file
from deploybook.records import record

__all__ = ["SettingsPointer", "find_settings_module", "read_settings_pointer"]

_VARIABLE = "DJANGO_SETTINGS_MODULE"
# What projects call the settings module they deploy with.
_PRODUCTION_NAMES = ("production", "prod", "deploy", "live")


@record
class SettingsPointer:
    """A settings module name and the `path:line` that names it.

    `entry` is what manage.py and the server's entry point name when that is another module (a
    production module found beside it, or the user's --set choice): the platform's environment
    must then set DJANGO_SETTINGS_MODULE, and the plan says so.
    """

    module: str
    origin: str
    entry: SettingsPointer | None = None


def find_settings_module(manage_dir: Path, chosen: str | None = None) -> SettingsPointer:
    """The settings module production loads: `chosen` (--set settings_module), else the one
    manage.py and the server entry points name, else the production-named module beside it.

    manage.py's module runs the release commands (migrate) and wsgi.py's or asgi.py's the web
    server: when they disagree, or several production-named modules sit beside the one they
    name, no choice made here would be right on both, so the user is asked to choose.
    """
    if chosen:
        try:
            named: SettingsPointer | None = _named_settings_module(manage_dir)
        except InspectError:
            named = None  # the user chose because the entry points do not say (or disagree)
        entry = named if named is not None and named.module != chosen else None
        return SettingsPointer(chosen, "--set settings_module", entry)
    named = _named_settings_module(manage_dir)
    siblings = _production_siblings(named.module, (manage_dir, manage_dir / "src"))
    if len(siblings) > 1:
        listed = ", ".join(path.relative_to(manage_dir).as_posix() for _, path in siblings)
        raise InspectError(
            f"{named.origin}: names {named.module}, but {listed} all look like the settings meant for production",
            hint="choose one with --set settings_module=..."
            f" (or keep {named.module} with --set settings_module={named.module})",
        )
    if siblings:
        ((module, path),) = siblings
        return SettingsPointer(module, path.relative_to(manage_dir).as_posix(), named)
    return named


def _named_settings_module(manage_dir: Path) -> SettingsPointer:
    """The one module manage.py and the server entry points name."""
    manage = manage_dir / "manage.py"
    servers = [path for base in (manage_dir, manage_dir / "src") for path in sorted(base.glob("*/[wa]sgi.py"))]
    pointers = [pointer for path in [manage, *servers] if (pointer := read_settings_pointer(path, manage_dir))]
    if not pointers:
        raise InspectError(
            f"{manage}: does not set {_VARIABLE}",
            hint=f"add os.environ.setdefault({_VARIABLE!r}, 'yourproject.settings') to manage.py "
            "as `django-admin startproject` does, or name it with --set settings_module=...",
        )
    if len({pointer.module for pointer in pointers}) > 1:
        named = "; ".join(f"{pointer.origin} names {pointer.module}" for pointer in pointers)
        raise InspectError(
            f"{named}: manage.py (which runs the migrations) and the server's entry point disagree",
            hint="choose the production settings with --set settings_module=...; the platform's environment "
            f"then sets {_VARIABLE} to it, so that both load it",
        )
    return pointers[0]


def _production_siblings(module: str, bases: tuple[Path, ...]) -> list[tuple[str, Path]]:
    """The production-named modules beside `module` (settings.production next to settings.dev),
    unless `module` is one itself."""
    package, _, name = module.rpartition(".")
    if "settings" not in package.rpartition(".")[2] or name in _PRODUCTION_NAMES:
        return []  # only a settings package has siblings to choose from
    found = []
    for candidate in _PRODUCTION_NAMES:
        sibling = f"{package}.{candidate}"
        path = module_file(sibling, bases)
        if path is not None:
            found.append((sibling, path))
    return found


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
