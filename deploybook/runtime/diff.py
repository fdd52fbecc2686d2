"""Unified diffs of a plan's files, as `git diff` would show them after the deploy."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from deploybook.runtime.actions import Action, FileChange

__all__ = ["file_changes", "unified_diff"]


def file_changes(actions: tuple[Action, ...]) -> list[FileChange]:
    """One change per file: several steps may edit one file, the diff shows their sum."""
    merged: dict[str, FileChange] = {}
    for action in actions:
        change = action.change
        if change is None:
            continue
        first = merged.get(change.path)
        if first is None:
            merged[change.path] = change
        else:
            merged[change.path] = FileChange(
                change.path, first.before, change.after, first.mode_before, change.mode_after
            )
    return [change for change in merged.values() if change.status != "identical"]


def unified_diff(change: FileChange) -> Iterator[str]:
    """The lines of a git-style diff for one file (without newlines)."""
    path = change.path
    yield f"diff --git a/{path} b/{path}"
    if change.before is None:
        yield f"new file mode 100{change.mode_after:o}"
    elif change.mode_before != change.mode_after:
        yield f"old mode 100{change.mode_before or 0:o}"
        yield f"new mode 100{change.mode_after:o}"
    if change.before == change.after:
        return
    before = _lines(change.before)
    after = _lines(change.after)
    if before is None or after is None:
        yield "Binary files differ"
        return
    old = "/dev/null" if change.before is None else f"a/{path}"
    yield from difflib.unified_diff(before, after, old, f"b/{path}", lineterm="")


def _lines(data: bytes | None) -> list[str] | None:
    if data is None:
        return []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = text.splitlines()
    if text and not text.endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file"
    return lines
