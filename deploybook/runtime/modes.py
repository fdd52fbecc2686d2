"""What a deploy does, chosen once: configure, automate, redeploy or roll back, and whether it is
a dry run.

A Mode is a value; the runtime asks it questions (does it write? commit? run commands? ask
first?) instead of comparing mode names, and it selects the recipe steps the deploy needs
before anything is resolved, so a value only other modes use is never asked for.
"""

from __future__ import annotations

import dataclasses

from deploybook.compiler import Step
from deploybook.records import record

__all__ = ["AUTOMATE", "CONFIG", "MODES", "REDEPLOY", "ROLLBACK", "Mode"]


@record
class Mode:
    name: str
    """config, automate, redeploy or rollback: the name the deploy log and its file name use."""
    flag: str
    """The command-line option that chooses it ("" for the default)."""
    phase: str
    """The run steps it runs or lists: "setup", "redeploy" or "rollback"."""
    writes: bool
    """Writes the configuration into the project."""
    commits: bool
    """Makes the one commit of the change."""
    runs: bool
    """Runs the recipe's platform commands."""
    asks: bool
    """Asks for confirmation before it changes anything."""
    dry_run: bool = False
    """Prints what it would do and changes nothing."""

    def selects(self, step: Step) -> bool:
        """Whether a deploy in this mode needs `step`. Configuration steps are planned in every
        mode: a redeploy compares them with the project, to say when it has drifted."""
        return step.phase is None or step.phase == self.phase

    def dry(self) -> Mode:
        """The same mode as a dry run: it writes, commits, runs and asks nothing."""
        return dataclasses.replace(self, writes=False, commits=False, runs=False, asks=False, dry_run=True)


CONFIG = Mode("config", "", "setup", writes=True, commits=False, runs=False, asks=False)
AUTOMATE = Mode("automate", "--automate-all", "setup", writes=True, commits=True, runs=True, asks=True)
REDEPLOY = Mode("redeploy", "--redeploy", "redeploy", writes=False, commits=False, runs=True, asks=True)
ROLLBACK = Mode("rollback", "--rollback", "rollback", writes=False, commits=False, runs=True, asks=True)
MODES = (CONFIG, AUTOMATE, REDEPLOY, ROLLBACK)
