"""Which files in this clone deploybook wrote whole, as it wrote them.

A `write` step that would drop lines of an existing file is a conflict when the file is the
user's: but a file deploybook itself wrote on an earlier run, untouched since, is not. This
record (a content hash per path, in git's folder beside the journal, so one per clone) tells
the two apart: a file whose bytes are still those deploybook wrote is replaced as an update;
one the user has edited since, or never came from deploybook, is a conflict.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from deploybook.runtime.actions import FileChange
from deploybook.runtime.paths import state_folder

__all__ = ["WrittenFiles"]

_NAME = "written.json"


class WrittenFiles:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = state_folder(root) / _NAME
        self.hashes: dict[str, str] = {}
        with contextlib.suppress(OSError, ValueError, TypeError):
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            self.hashes = {str(k): str(v) for k, v in dict(loaded).items()}

    def wrote(self, path: str, data: bytes | None) -> bool:
        """Whether `data` is exactly what deploybook last wrote to `path` in this clone."""
        return data is not None and self.hashes.get(path) == _digest(data)

    def remember(self, changes: Iterable[FileChange]) -> None:
        """Note the files these changes wrote whole (best effort: the record only saves a question)."""
        changed = {change.path: _digest(change.after) for change in changes if change.replaces}
        if not changed:
            return
        self.hashes |= changed
        from deploybook.runtime.journal import atomic_write  # a dry run reads the record only

        with contextlib.suppress(OSError):
            self.path.parent.mkdir(exist_ok=True)
            atomic_write(self.path, json.dumps(self.hashes, indent=1, sort_keys=True).encode(), 0o600)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
