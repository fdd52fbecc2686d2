"""Read TOML manifests (pyproject.toml, Pipfile) as plain data, with a clear error if broken."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from deploybook.errors import InspectError

__all__ = ["read_toml", "table"]


def read_toml(path: Path) -> dict[str, Any]:
    """The document at `path` as plain dicts and lists; {} when the file does not exist."""
    if not path.is_file():
        return {}
    # tomlkit rather than tomllib: tomllib is 3.11+ and the writers need tomlkit anyway.
    # Imported only once there is a file to read: a requirements.txt project has none, and
    # importing tomlkit is a noticeable part of a deploy's start-up.
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    except ParseError as error:
        raise InspectError(
            f"{path}:{error.line}: not valid TOML: {error}",
            hint=f"fix the syntax of {path.name} (the tool that owns it will show the same error)",
        ) from error
    return document.unwrap()


def table(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The nested table at `keys`, or {} if any level is missing or not a table."""
    for key in keys:
        value = data.get(key)
        if not isinstance(value, dict):
            return {}
        data = value
    return data
