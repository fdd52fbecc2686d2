"""The deploy journal: what a deploy is about to change, written to disk before it changes it.

The journal lists every file the running deploy has touched so far, with its bytes and mode
from before (or that it did not exist), and the folders it created. It lives in git's own
folder (`.git/deploybook/journal.json`), so the working tree holds nothing of it, or in
`.deploybook/` for a project outside git. Each
entry is on disk, synced, before its file changes. A deploy that completes, or undoes its
change, removes the journal. One that was killed (SIGKILL, a crash, power loss) leaves it:
the next `manage.py deploy` restores those files before anything else, and
`manage.py deploy --recover` does only that.

The journal holds only what the project's files already held, readable by their owner only.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from deploybook.records import record
from deploybook.runtime.git import head, unstage
from deploybook.runtime.paths import OWN_DIR, own_folder, state_folder

__all__ = [
    "JOURNAL_NAME",
    "Journal",
    "JournalEntry",
    "Staged",
    "atomic_write",
    "state_folder",
    "sync_folder",
    "temporary_name",
]

JOURNAL_NAME = "journal.json"
_VERSION = 1


@record
class Staged:
    """Paths `git add` staged for the deploy's commit, and HEAD before that commit."""

    head: str | None
    paths: tuple[str, ...]


@record
class JournalEntry:
    """A file as it was before the deploy's first change to it."""

    path: str
    """Relative to the repository root, POSIX separators."""
    data: bytes | None
    """None: the file did not exist."""
    mode: int | None


def temporary_name(target: Path) -> Path:
    """Where a file's new bytes are written before the rename that replaces it."""
    return target.with_name(f".{target.name}.deploybook-tmp")


def atomic_write(target: Path, data: bytes, mode: int, *, sync: bool = True) -> None:
    """Replace `target` with `data` so that it is always either the old file or the new one.

    `sync=False` leaves the folder's entry to the caller's own `sync_folder`: a transaction
    syncs each folder it wrote in once, before it drops the journal that could undo them.
    """
    temporary = temporary_name(target)
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    if sync:
        sync_folder(target.parent)


def sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk too.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


class Journal:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = state_folder(root) / JOURNAL_NAME

    def exists(self) -> bool:
        return self.path.is_file()

    def discard_unfinished(self) -> None:
        """Remove what a killed deploy was writing in deploybook's own folder: a journal being
        written means no file had changed yet (every entry is on disk before its file changes)."""
        for unfinished in self.path.parent.glob(".*.deploybook-tmp"):
            unfinished.unlink(missing_ok=True)

    def write(self, entries: list[JournalEntry], created_dirs: list[str], staged: Staged | None = None) -> None:
        if self.path.parent.name == OWN_DIR:
            own_folder(self.root)
        else:
            self.path.parent.mkdir(exist_ok=True)
        record = {
            "version": _VERSION,
            "files": [
                {
                    "path": entry.path,
                    "data": None if entry.data is None else base64.b64encode(entry.data).decode("ascii"),
                    "mode": entry.mode,
                }
                for entry in entries
            ],
            "created_dirs": created_dirs,
            "staged": None if staged is None else {"head": staged.head, "paths": list(staged.paths)},
        }
        atomic_write(self.path, json.dumps(record, indent=1).encode("utf-8"), 0o600)

    def read(self) -> tuple[list[JournalEntry], list[str], Staged | None]:
        record = json.loads(self.path.read_text(encoding="utf-8"))
        staged = record.get("staged")
        entries = [
            JournalEntry(
                item["path"],
                None if item["data"] is None else base64.b64decode(item["data"]),
                item["mode"],
            )
            for item in record["files"]
        ]
        kept = Staged(staged["head"], tuple(staged["paths"])) if staged else None
        return entries, list(record["created_dirs"]), kept

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
        sync_folder(self.path.parent)

    def restore(self, entries: Iterable[JournalEntry], created_dirs: list[str]) -> list[tuple[str, str, str]]:
        """Put every entry back as it was; (path, reason, how to do it by hand) for each that
        could not be. Leftover temporary files are removed, then the folders the deploy made."""
        problems = []
        for entry in reversed(list(entries)):
            target = self.root / entry.path
            try:
                temporary_name(target).unlink(missing_ok=True)
                if entry.data is None:
                    target.unlink(missing_ok=True)
                elif not _is(target, entry.data, entry.mode):
                    atomic_write(target, entry.data, entry.mode or 0o644)
            except OSError as error:
                how = f"git checkout -- {entry.path}" if entry.data is not None else f"rm {entry.path}"
                problems.append((entry.path, error.strerror or str(error), how))
        for folder in reversed(created_dirs):
            try:
                (self.root / folder).rmdir()
            except FileNotFoundError:
                pass
            except OSError as error:
                problems.append((f"{folder}/", error.strerror or str(error), f"rm -r {folder}"))
        return problems

    def recover(self) -> list[str]:
        """Restore the tree a stopped deploy left; the paths restored. Raises OSError when it
        cannot read the journal, and leaves the journal when a file cannot be restored.

        A deploy stopped after its commit was made needs nothing restored: the files are the
        commit's. One stopped between `git add` and the commit gets its paths unstaged."""
        entries, created_dirs, staged = self.read()
        if staged is not None and head(self.root) != staged.head:
            self.remove()
            return []
        if staged is not None:
            unstage(self.root, staged.paths, os.environ)
        changed = [entry.path for entry in entries if not _is(self.root / entry.path, entry.data, entry.mode)]
        problems = self.restore(entries, created_dirs)
        if problems:
            path, reason, how = problems[0]
            raise OSError(f"{path}: {reason} (restore it with `{how}`)")
        self.remove()
        return changed


def _is(target: Path, data: bytes | None, mode: int | None) -> bool:
    """Whether `target` already is as the journal remembers it."""
    if data is None:
        return not target.exists() and not temporary_name(target).exists()
    try:
        same = target.read_bytes() == data and (mode is None or target.stat().st_mode & 0o7777 == mode)
    except OSError:
        return False
    return same and not temporary_name(target).exists()
