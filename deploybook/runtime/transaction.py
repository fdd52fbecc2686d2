"""All-or-nothing file changes: snapshot every file before its first change, restore them all
byte for byte (and mode for mode) if anything fails, and remove what was created.

Writes go through a temporary file and a rename, so a crash mid-write never leaves a
half-written file: each file is either as it was or as the plan says.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from deploybook.errors import DeploybookError, DeployError

__all__ = ["RestoreProblem", "Snapshot", "Transaction", "transaction"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A file as it was before the transaction's first change to it."""

    path: str
    data: bytes | None
    """None: the file did not exist."""
    mode: int | None


@dataclass(frozen=True, slots=True)
class RestoreProblem:
    """A file or folder a rollback could not put back, and how the user can."""

    path: str
    reason: str
    how: str
    """A command that restores it by hand, from the repository root."""


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
        try:
            self._make_parents(target.parent)
            _atomic_write(target, data, mode)
        except OSError as error:
            # An OSError from a write names no file (ENOSPC, EIO): say which one it was.
            hint = "free some disk space" if error.errno == errno.ENOSPC else "check the file and its folder"
            raise DeployError(
                f"could not write {path}: {error.strerror or error}", hint=f"{hint}, then run deploy again"
            ) from error

    def rollback(self) -> list[RestoreProblem]:
        """Restore every remembered file; returns what could not be (empty when all went back)."""
        problems = []
        for snapshot in reversed(list(self.snapshots.values())):
            target = self.root / snapshot.path
            try:
                if snapshot.data is None:
                    target.unlink(missing_ok=True)
                else:
                    _atomic_write(target, snapshot.data, snapshot.mode or 0o644)
            except OSError as error:
                how = f"git checkout -- {snapshot.path}" if snapshot.data is not None else f"rm {snapshot.path}"
                problems.append(RestoreProblem(snapshot.path, error.strerror or str(error), how))
        for folder in reversed(self.created_dirs):
            relative = folder.relative_to(self.root).as_posix()
            try:
                folder.rmdir()
            except OSError as error:
                problems.append(RestoreProblem(f"{relative}/", error.strerror or str(error), f"rm -r {relative}"))
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

    When a file cannot be put back, a DeployError says so instead, naming each such file and
    the command that restores it by hand; the original exception is its cause.
    """
    tx = Transaction(root)
    try:
        yield tx
    except BaseException as error:
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
        hint="run those commands from the repository root (git holds the committed version of each file)",
    )


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
