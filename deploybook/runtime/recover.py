"""Putting back what a stopped deploy left: `manage.py deploy --recover`, and the start of
every deploy.

A deploy that was killed outright (SIGKILL, a crash, power loss) could not undo its change;
its journal (journal.py) says what every file it touched was. Recovering restores those
files, removes its temporary files and the folders it made, unstages what it staged for a
commit it did not make, and removes the journal.
"""

from __future__ import annotations

from pathlib import Path

from deploybook.errors import DeployError
from deploybook.inspect import locate_manage_py
from deploybook.inspect._tree import find_git_root
from deploybook.records import record
from deploybook.runtime.journal import Journal

__all__ = ["Recovered", "recover"]


@record
class Recovered:
    found: bool
    """Whether a stopped deploy had left its journal."""
    restored: tuple[str, ...]
    """The files put back as they were (those it had changed)."""

    def describe(self) -> str:
        if not self.found:
            return "No stopped deploy to recover from: the project is as the last deploy left it."
        if not self.restored:
            return "A stopped deploy had left its journal, but had changed nothing that needed restoring."
        files = ", ".join(self.restored)
        return f"A deploy that was stopped before it finished had changed {files}: restored as they were."


def recover(project: Path) -> Recovered:
    """Restore the tree of the project holding `project` (a manage.py folder) if a stopped
    deploy left it changed; a DeployError names the file it cannot restore, and how."""
    manage_dir = locate_manage_py(project)
    root = find_git_root(manage_dir) or manage_dir
    journal = Journal(root)
    journal.discard_unfinished()
    if not journal.exists():
        return Recovered(False, ())
    try:
        restored = journal.recover()
    except (OSError, ValueError, KeyError) as error:
        raise DeployError(
            f"a stopped deploy left its journal ({journal.path.relative_to(root)}), and it could not be "
            f"fully restored: {error}",
            hint="do what it says, then run `python manage.py deploy --recover` again; `git status` shows "
            "what differs from your last commit",
        ) from error
    return Recovered(True, tuple(restored))
