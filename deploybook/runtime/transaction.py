"""All-or-nothing file changes: snapshot every file before its first change, restore them all
byte for byte (and mode for mode) if anything fails, and remove what was created.

Writes go through a temporary file and a rename, so a crash mid-write never leaves a
half-written file: each file is either as it was or as the plan says.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Snapshot", "Transaction", "transaction"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A file as it was before the transaction's first change to it."""

    path: str
    data: bytes | None
    """None: the file did not exist."""
    mode: int | None


class Transaction:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.snapshots: dict[str, Snapshot] = {}
        self.created_dirs: list[Path] = []

    def protect(self, path: str) -> None:
        """Remember `path` as it is now, unless it already is remembered."""
        if path in self.snapshots:
            return
        target = self.root / path
        if target.is_file():
            self.snapshots[path] = Snapshot(path, target.read_bytes(), target.stat().st_mode & 0o7777)
        else:
            self.snapshots[path] = Snapshot(path, None, None)

    def write(self, path: str, data: bytes, mode: int) -> None:
        self.protect(path)
        target = self.root / path
        self._make_parents(target.parent)
        _atomic_write(target, data, mode)

    def rollback(self) -> list[str]:
        """Restore every remembered file; returns the problems (empty when all went back)."""
        problems = []
        for snapshot in reversed(list(self.snapshots.values())):
            target = self.root / snapshot.path
            try:
                if snapshot.data is None:
                    target.unlink(missing_ok=True)
                else:
                    _atomic_write(target, snapshot.data, snapshot.mode or 0o644)
            except OSError as error:
                problems.append(f"{snapshot.path}: {error.strerror or error}")
        for folder in reversed(self.created_dirs):
            try:
                folder.rmdir()
            except OSError as error:
                problems.append(f"{folder.relative_to(self.root)}/: {error.strerror or error}")
        self.snapshots.clear()
        self.created_dirs.clear()
        return problems

    def _make_parents(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for created in reversed(missing):
            created.mkdir()
            self.created_dirs.append(created)


@contextmanager
def transaction(root: Path) -> Iterator[Transaction]:
    """Roll back on any exception (KeyboardInterrupt included), then let it propagate.

    Problems met while restoring are attached to the exception as `rollback_problems`.
    """
    tx = Transaction(root)
    try:
        yield tx
    except BaseException as error:
        problems = tx.rollback()
        error.rollback_problems = problems  # type: ignore[attr-defined]
        raise


def _atomic_write(target: Path, data: bytes, mode: int) -> None:
    temporary = target.with_name(f".{target.name}.deploybook-tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
