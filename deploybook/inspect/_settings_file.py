"""Map a dotted module name to its file and read a settings file's top-level names with `ast`.

Split settings (`from .base import *` in dev.py or production.py) are followed, so a value set
in base.py counts for the module that star-imports it, with later assignments winning.
"""

from __future__ import annotations

import ast
from pathlib import Path

from deploybook.errors import InspectError
from deploybook.records import record

__all__ = ["Assignment", "module_file", "read_assignments"]

# Star imports deeper than this are a cycle or a maze; either way not worth following.
_MAX_DEPTH = 8


@record
class Assignment:
    """The last top-level assignment to a name: the file, the line and the value's expression."""

    path: Path
    line: int
    value: ast.expr


def module_file(module: str, bases: tuple[Path, ...]) -> Path | None:
    """The file that imports as `module` with any of `bases` on sys.path, first base first."""
    parts = module.split(".")
    for base in bases:
        for candidate in (
            base.joinpath(*parts).with_suffix(".py"),
            base.joinpath(*parts, "__init__.py"),
        ):
            if candidate.is_file():
                return candidate
    return None


def read_assignments(path: Path, module: str, bases: tuple[Path, ...]) -> dict[str, Assignment]:
    """Every name the settings file at `path` (importable as `module`) defines at top level."""
    return _read(path, module, bases, depth=0)


def _read(path: Path, module: str, bases: tuple[Path, ...], depth: int) -> dict[str, Assignment]:
    try:
        # From the bytes, as Python reads a module: a byte-order mark and a coding line count.
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError as error:
        raise InspectError(
            f"{path}:{error.lineno}: cannot parse settings: {error.msg}",
            hint="fix the syntax error; Django cannot load these settings either",
        ) from error
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: dict[str, Assignment] = {}
    for node in _top_level(tree.body):
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            imported = _absolute(node, package)
            source = module_file(imported, bases) if imported else None
            if source is not None and depth < _MAX_DEPTH:
                found.update(_read(source, imported, bases, depth + 1))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                for name in _names(target):
                    found[name] = Assignment(path, node.lineno, node.value)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            for name in _names(node.target):
                found[name] = Assignment(path, node.lineno, node.value)
    return found


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    # Settings often set values under `if DEBUG:` or `try: from .local import *`; a name set in
    # any branch may be set at run time, which is what "is STATIC_ROOT defined" has to mean.
    flat: list[ast.stmt] = []
    for node in body:
        flat.append(node)
        if isinstance(node, ast.If | ast.With):
            flat += _top_level(node.body)
            flat += _top_level(getattr(node, "orelse", []))
        elif isinstance(node, ast.Try):
            flat += _top_level(node.body)
            for handler in node.handlers:
                flat += _top_level(handler.body)
            flat += _top_level(node.orelse) + _top_level(node.finalbody)
    return flat


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if node.level == 0:
        return node.module or ""
    anchor = package.split(".")
    if node.level > 1:
        anchor = anchor[: -(node.level - 1)]
    return ".".join([*anchor, *([node.module] if node.module else [])])


def _names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [name for element in target.elts for name in _names(element)]
    return []
