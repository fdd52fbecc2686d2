"""All-or-nothing file changes: snapshot every file before its first change, restore them all
byte for byte (and mode for mode) if anything fails, and remove what was created.

Writes go through a temporary file and a rename, so a crash mid-write never leaves a
half-written file: each file is either as it was or as the plan says. Every snapshot is in the
journal on disk before its file changes (see journal.py), so even a process that is killed
outright leaves enough behind for the next run to restore the tree. A rollback finishes
whatever signal arrives meanwhile.

A symbolic link is written through: its target changes, the link stays a link.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploybook.errors import DeploybookError, DeployError
from deploybook.records import record
from deploybook.runtime.git import head
from deploybook.runtime.journal import Journal, JournalEntry, Staged, atomic_write, sync_folder
from deploybook.runtime.signals import shielded

__all__ = ["RestoreProblem", "Transaction", "transaction"]


@record
class RestoreProblem:
    """A file or folder a rollback could not put back, and how the user can."""

    path: str
    reason: str
    how: str
    """A command that restores it by hand, from the repository root."""


class Transaction:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.journal = Journal(root)
        self.snapshots: dict[str, JournalEntry] = {}
        self.created_dirs: list[str] = []
        self.staged: Staged | None = None
        self.done = False
        self.unsynced: set[Path] = set()

    def real_path(self, path: str) -> str:
        """The file a write to `path` changes: the target of a symbolic link, else `path`."""
        target = self.root / path
        if target.is_symlink():
            return target.resolve().relative_to(self.root.resolve()).as_posix()
        return path

    def protect(self, *paths: str) -> None:
        """Remember each path as it is now (in memory and, in one write, in the journal),
        unless it already is."""
        added = False
        for given in paths:
            path = self.real_path(given)
            if path in self.snapshots:
                continue
            target = self.root / path
            if target.is_file():
                self.snapshots[path] = JournalEntry(path, target.read_bytes(), target.stat().st_mode & 0o7777)
            else:
                self.snapshots[path] = JournalEntry(path, None, None)
            added = True
        if added:
            self._record()

    def write(self, path: str, data: bytes, mode: int) -> None:
        self.protect(path)
        real = self.real_path(path)
        target = self.root / real
        try:
            self._make_parents(target.parent)
            atomic_write(target, data, mode, sync=False)
            self.unsynced.add(target.parent)
        except OSError as error:
            # An OSError from a write names no file (ENOSPC, EIO): say which one it was.
            hint = "free some disk space" if error.errno == errno.ENOSPC else "check the file and its folder"
            raise DeployError(
                f"could not write {path}: {error.strerror or error}", hint=f"{hint}, then run deploy again"
            ) from error

    def staging(self, paths: list[str]) -> None:
        """`paths` are about to be staged for the commit: the journal notes HEAD first, so a
        recovery knows whether the commit was made (then the files are the commit's)."""
        self.staged = Staged(head(self.root), tuple(paths))
        self._record()

    def finish(self) -> None:
        """The change is complete: nothing to undo any more."""
        # Every rename must be on disk before the journal that could undo it is gone. Until
        # then a power loss is undone from the journal, so one sync per folder here keeps the
        # tree whole with fewer waits than one per file.
        for folder in sorted(self.unsynced):
            sync_folder(folder)
        self.done = True
        self.journal.remove()

    def rollback(self) -> list[RestoreProblem]:
        """Restore every remembered file; returns what could not be (empty when all went back).

        The journal stays when something could not be restored, for `deploy --recover`."""
        problems = self.journal.restore(self.snapshots.values(), self.created_dirs)
        if not problems:
            self.journal.remove()
        self.snapshots.clear()
        self.created_dirs.clear()
        return [RestoreProblem(path, reason, how) for path, reason, how in problems]

    def _record(self) -> None:
        try:
            self.journal.write(list(self.snapshots.values()), self.created_dirs, self.staged)
        except OSError as error:
            where = self.journal.path.relative_to(self.root) if self.journal.path.is_relative_to(self.root) else ""
            raise DeployError(
                f"could not write the deploy's journal {where}: {error.strerror or error}",
                hint="deploybook notes every file's old bytes there before it changes the file; "
                "check the disk and that folder, then run deploy again",
            ) from error

    def _make_parents(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for created in reversed(missing):
            # Journalled first: a crash right after the mkdir still knows the folder is ours.
            self.created_dirs.append(created.relative_to(self.root).as_posix())
            self._record()
            created.mkdir()


@contextmanager
def transaction(root: Path) -> Iterator[Transaction]:
    """Roll back on any exception (a stop signal included), unless `finish()` was called, then
    let it propagate. The rollback itself is shielded from signals.

    When a file cannot be put back, a DeployError says so instead, naming each such file and
    the command that restores it by hand; the original exception is its cause.
    """
    tx = Transaction(root)
    try:
        yield tx
        if not tx.done:
            tx.finish()
    except BaseException as error:
        if tx.done:
            raise
        with shielded(raise_after=False):
            problems = tx.rollback()
        if problems:
            raise _not_restored(error, problems) from error
        raise


def _not_restored(error: BaseException, problems: list[RestoreProblem]) -> DeployError:
    if isinstance(error, DeploybookError):
        what = error.message
    elif isinstance(error, KeyboardInterrupt):
        what = "interrupted"
    else:
        what = f"{type(error).__name__}: {error}"
    listed = "\n".join(f"  - {p.path}: {p.reason}; restore it with `{p.how}`" for p in problems)
    noun = "file was" if len(problems) == 1 else "files were"
    return DeployError(
        f"{what}; the deploy undid its changes, but {len(problems)} {noun} not restored:\n{listed}",
        hint="run those commands from the repository root (git holds the committed version of each "
        "file), or `python manage.py deploy --recover` once the cause is fixed",
    )


def leftover(root: Path) -> bool:
    """Whether an earlier deploy in `root` was stopped before it could finish or undo."""
    return Journal(root).exists()
