"""What the project's settings assume about an environment variable the platform sets.

A settings file that switches on `DATABASE_URL.startswith("postgres://")` silently takes the
other branch where the platform spells the scheme `postgresql://` (Upsun, Fly.io's Managed
Postgres), and the deploy fails far from the cause: a migration of `django.contrib.postgres`
that never ran. Both spellings mean the same database, so the plan notes each such test with
its `path:line` and the test that accepts both. The project's file is left as it is.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

__all__ = ["scheme_notes"]

# Spellings of one URL scheme that dj-database-url and the platforms use interchangeably.
_SAME_SCHEME = (("postgres://", "postgresql://", "pgsql://"), ("mysql://", "mysql2://"))


def scheme_notes(root: Path, settings: tuple[Path, ...], platform_env: Mapping[str, str]) -> list[str]:
    """A note for each `VAR.startswith("scheme://")` in `settings` on a variable the platform sets."""
    watched = set(platform_env) | {"DATABASE_URL"}  # DATABASE_URL: set by the platform's database
    notes = []
    for path in settings:
        for line, variable, prefix in _scheme_tests(path, watched):
            spellings = next(group for group in _SAME_SCHEME if prefix in group)
            value = platform_env.get(variable, "")
            exported = f"this recipe sets `{value.split('://')[0]}://`" if "://" in value else "platforms differ"
            accepted = ", ".join(f'"{spelling}"' for spelling in spellings[:2])
            notes.append(
                f"{path.relative_to(root)}:{line} tests whether {variable} starts with `{prefix}`, but the same "
                f"database is also spelled {' or '.join(f'`{s}`' for s in spellings if s != prefix)} "
                f"({exported}): test `.startswith(({accepted}))` so the branch does not depend on the spelling"
            )
    return notes


def _scheme_tests(path: Path, watched: set[str]) -> Iterator[tuple[int, str, str]]:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return  # inspection reports an unreadable settings file; nothing to add here
    names: dict[str, str] = {}  # DATABASE_URL = os.environ.get("DATABASE_URL", ...) binds a name
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and (variable := _env_read(node.value)) in watched:
            names |= {target.id: variable for target in node.targets if isinstance(target, ast.Name)}
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "startswith"
            and node.args
        ):
            continue
        subject = node.func.value
        variable = names.get(subject.id) if isinstance(subject, ast.Name) else _env_read(subject)
        prefixes = _strings(node.args[0])
        if variable is None or variable not in watched:
            continue
        for group in _SAME_SCHEME:
            tested = [prefix for prefix in prefixes if prefix in group]
            if len(tested) == 1:
                yield node.lineno, variable, tested[0]


def _env_read(node: ast.AST) -> str | None:
    """The variable name in os.environ.get("X"), os.getenv("X"), os.environ["X"] or env("X")."""
    if isinstance(node, ast.Subscript) and _is_environ(node.value):
        key = node.slice
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    if isinstance(node, ast.Call) and node.args:
        first = node.args[0]
        func = node.func
        reads = isinstance(func, ast.Attribute) and func.attr in ("get", "getenv", "str") and _is_env_owner(func.value)
        reads = reads or (isinstance(func, ast.Name) and func.id in ("getenv", "env"))
        if reads and isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def _is_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _is_env_owner(node: ast.AST) -> bool:
    # os.environ.get, os.getenv, environ.get, and django-environ's env.str
    return _is_environ(node) or (isinstance(node, ast.Name) and node.id in ("os", "env"))


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple):
        return [
            element.value
            for element in node.elts
            if isinstance(element, ast.Constant) and isinstance(element.value, str)
        ]
    return []
