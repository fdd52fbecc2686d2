"""`capture="name=json.path"`: a value read from the JSON a command prints."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

__all__ = ["CaptureError", "capture_value"]


class CaptureError(ValueError):
    """The output has no value at the path; the message says why."""


def capture_value(stdout: str, path: Sequence[str]) -> str:
    """Parse `stdout` as JSON and follow the dotted `path`; numeric parts index lists, and a
    `[key=value]` part picks the first item of a list whose `key` is `value`.

    CLIs sometimes print a notice before their JSON, so parsing starts at the first line that
    opens a JSON array or object when the whole output is not JSON.
    """
    data = _parse(stdout)
    here: Any = data
    walked: list[str] = []
    for part in path:
        walked.append(part)
        if part.startswith("["):
            here = _select(here, part, ".".join(walked))
        elif isinstance(here, list):
            if not part.lstrip("-").isdigit():
                raise CaptureError(f"{'.'.join(walked)}: expected a list index, got {part!r}")
            index = int(part)
            if not -len(here) <= index < len(here):
                raise CaptureError(f"{'.'.join(walked)}: the list has {len(here)} item(s)")
            here = here[index]
        elif isinstance(here, dict):
            if part not in here:
                keys = ", ".join(map(str, here)) or "none"
                raise CaptureError(f"{'.'.join(walked)}: no key {part!r} (keys: {keys})")
            here = here[part]
        else:
            raise CaptureError(f"{'.'.join(walked[:-1]) or 'the output'} is a single value, not a list or object")
    if isinstance(here, bool):
        return "true" if here else "false"
    if isinstance(here, str | int | float):
        return str(here)
    raise CaptureError(f"{'.'.join(path)} is {type(here).__name__ if here is not None else 'null'}, not a single value")


def _select(here: Any, part: str, where: str) -> Any:
    key, _, wanted = part[1:-1].partition("=")
    if not isinstance(here, list):
        raise CaptureError(f"{where}: expected a list to choose from, got {type(here).__name__}")
    for item in here:
        if isinstance(item, dict) and str(item.get(key)) == wanted:
            return item
    seen = ", ".join(repr(item.get(key)) for item in here if isinstance(item, dict) and key in item) or "none"
    raise CaptureError(f"{where}: no item whose {key} is {wanted!r} (its items have {key}: {seen})")


def _parse(stdout: str) -> Any:
    try:
        return json.loads(stdout)
    except json.JSONDecodeError:
        pass
    lines = stdout.splitlines()
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("[", "{")):
            try:
                return json.loads("\n".join(lines[index:]))
            except json.JSONDecodeError:
                continue
    raise CaptureError("the output is not JSON")
