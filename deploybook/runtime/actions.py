"""What a plan does, one action per recipe step, each able to describe itself.

File actions carry the bytes before and after, so the same object drives the report
(create / identical / update), the dry-run diff and the transactional apply. Other actions
write nothing and are reported as `skip` with the reason.
"""

from __future__ import annotations

from deploybook.compiler import SourceSpan
from deploybook.compiler.merges import lost_lines
from deploybook.records import record

__all__ = ["DEFAULT_MODE", "Action", "FileChange", "Relock"]

DEFAULT_MODE = 0o644


@record
class FileChange:
    """One file's bytes and mode before and after the step; the report, diff and apply read it."""

    path: str
    """Relative to the repository root, POSIX separators."""
    before: bytes | None
    """None: the file does not exist yet."""
    after: bytes
    mode_before: int | None
    mode_after: int
    replaces: bool = False
    """The step writes the whole file (a `write`), so the file's own lines may be lost."""
    overwrite: bool = False
    """The user said the recipe may replace this file (`--set overwrite=PATH`)."""
    ours: bool = False
    """The file is still exactly what deploybook wrote there before (see written.py)."""

    @property
    def status(self) -> str:
        """create, identical, update; or, for a write that would drop lines the file has now,
        conflict (the user has not said it may) or replace (they have)."""
        if self.before is None:
            return "create"
        if self.before == self.after and self.mode_before == self.mode_after:
            return "identical"
        if self.replaces and not self.ours and self.lost_lines():
            return "replace" if self.overwrite else "conflict"
        return "update"

    def lost_lines(self) -> list[str]:
        """The lines the file has now that the change would drop (all, if it is not text)."""
        if self.before is None:
            return []
        try:
            return lost_lines(self.before.decode("utf-8"), self.after.decode("utf-8"))
        except UnicodeDecodeError:
            return ["(the file is not UTF-8 text)"]


@record
class Action:
    """What the plan does for one step: a file change, or a skip with its reason."""

    step_id: str
    """The recipe step, or `deploybook` for the runtime's own change (the .gitignore line)."""
    action: str
    """The step's action: write, append, requirements, env, processes, run, test, message, gitignore."""
    span: SourceSpan | None
    target: str
    """The file, or a short description of what the step is about."""
    change: FileChange | None = None
    reason: str = ""
    """Why a step is skipped, or what will change the file (a lock file's tool)."""
    planned: str = ""
    """The status of a change whose bytes are known only once it is made (the lock file)."""

    @property
    def status(self) -> str:
        if self.change is not None:
            return self.change.status
        return self.planned or "skip"

    @property
    def writes(self) -> bool:
        return self.change is not None and self.change.status != "identical"

    def describe(self) -> str:
        """One line: status, target, step; as the report and the log print it."""
        where = f"  ({self.reason})" if self.reason else ""
        return f"{self.status:>9}  {self.target}  [{self.step_id}]{where}"


@record
class Relock:
    """A lock file the added requirements made stale, and the command that refreshes it."""

    argv: tuple[str, ...]
    cwd: str
    """Where to run it, relative to the repository root."""
    lock_file: str
    note: str = ""
    """The note that the lock file is out of date, which a refreshed lock file makes moot."""

    @property
    def command(self) -> str:
        return " ".join(self.argv)
