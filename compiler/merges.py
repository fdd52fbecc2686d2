"""Writing a file the project already has without dropping what is the project's own.

A `write` step owns the whole file, but some files are shared by nature: a Procfile declares
the recipe's processes (web, release) and may declare the project's own (a `worker:` running
Celery). Writing one keeps every process the recipe does not declare, after the recipe's.
Any other content of the user's that a write would drop makes it a conflict (the runtime
asks before replacing it); see `lost_lines`.
"""

from __future__ import annotations

import posixpath
import re

__all__ = ["lost_lines", "merge_written"]

_PROCESS = re.compile(r"^([A-Za-z0-9_-]+):")


def merge_written(path: str, before: str | None, written: str) -> str:
    """The text a write of `written` to `path` leaves, given the file's text now."""
    if before is None or posixpath.basename(path) != "Procfile":
        return written
    declared = {match.group(1) for line in written.splitlines() if (match := _PROCESS.match(line))}
    kept = [
        line
        for line in before.splitlines()
        if (match := _PROCESS.match(line)) is not None and match.group(1) not in declared
    ]
    if not kept:
        return written
    newline = "\r\n" if "\r\n" in before else "\n"
    body = written if written.endswith(("\n", "\r")) or not written else written + newline
    return body + newline.join(kept) + newline


def lost_lines(before: str, after: str) -> list[str]:
    """The lines of `before` (blank ones aside) that `after` no longer has, in order."""
    remaining = {line.rstrip() for line in after.splitlines()}
    return [line for line in before.splitlines() if line.strip() and line.rstrip() not in remaining]
