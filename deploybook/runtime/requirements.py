"""`requirements` steps, written by deploybook.dependencies in the project's own manager.

The writers read the manifest from disk and return its new bytes. A recipe may have several
requirements steps (one per variant, say), so each step is planned as the cumulative set of
requirements so far, from the untouched file: the result equals applying them one by one,
and the disk is never written during planning.
"""

from __future__ import annotations

from collections.abc import Callable

from deploybook.compiler import ResolvedRequirements
from deploybook.dependencies import RequirementsChange, RequirementsError, add_requirements
from deploybook.errors import DeployError
from deploybook.inspect import Project
from deploybook.runtime.actions import Relock

__all__ = ["RequirementsPlanner"]

Reader = Callable[[str], tuple[bytes | None, int | None]]


class RequirementsPlanner:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.wanted: list[str] = []
        self.last: RequirementsChange | None = None
        self.kept: dict[str, None] = {}

    @property
    def path(self) -> str:
        return self.project.relative(self.project.manifest)

    def add(self, resolved: ResolvedRequirements, read: Reader) -> tuple[str, bytes]:
        """The manifest's path and its bytes once this step's requirements are added."""
        step = resolved.step
        path = self.path
        disk = self.project.manifest.read_bytes() if self.project.manifest.is_file() else None
        expected = self.last.after if self.last is not None else disk
        if read(path)[0] != expected:
            raise DeployError(
                f"step '{step.id}' adds requirements to {path}, which an earlier step rewrites",
                hint="let the requirements steps own the manifest; write other content elsewhere",
                location=step.span,
            )
        self.wanted += resolved.requirements
        try:
            change = add_requirements(self.project, self.wanted)
        except RequirementsError as error:
            raise DeployError(f"step '{step.id}': {error.message}", hint=error.hint, location=step.span) from error
        self.last = change
        for message in change.kept:
            self.kept[message] = None
        return path, change.after

    def notes(self) -> tuple[str, ...]:
        notes = list(self.kept)
        if self.last is not None:
            notes += self.last.notes
        return tuple(notes)

    def relock(self) -> Relock | None:
        change, project = self.last, self.project
        if change is None or not change.relock or project.lock_file is None:
            return None
        return Relock(
            change.relock,
            project.relative(project.dependency_dir),
            project.relative(project.lock_file),
            change.lock_note or "",
        )
