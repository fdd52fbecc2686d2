"""What adding requirements changes: the new bytes of one manifest, and what to tell the user."""

from __future__ import annotations

from pathlib import Path

from deploybook.records import record

__all__ = ["RequirementsChange", "TextEdit"]


@record
class RequirementsChange:
    """The edit to the project's manifest. Nothing is written: the runtime does that."""

    path: Path
    """The manifest: requirements.txt, Pipfile or pyproject.toml (absolute)."""
    before: bytes
    after: bytes
    added: tuple[str, ...]
    """The requirements written, as written."""
    kept: tuple[str, ...]
    """One message per requirement the project already names differently; left as it is."""
    relock: tuple[str, ...]
    """The command (argv) that refreshes the now stale lock file, () when none is needed."""
    notes: tuple[str, ...]
    """Other things the user should know, such as the lock file being out of date."""
    lock_note: str | None = None
    """The note (one of `notes`) that the lock file is out of date; moot once it is refreshed."""

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def files(self) -> dict[Path, tuple[bytes, bytes]]:
        """{path: (before, after)}, the shape the runtime's transactional writer takes."""
        return {self.path: (self.before, self.after)}


@record
class TextEdit:
    """One format writer's result, before it is turned into bytes."""

    text: str
    added: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
