"""The user's project as a deploy sees it: deploybook.inspect's findings, plus the facts the
runtime derives itself (the settings' top-level package and its folder)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from deploybook.inspect import Project, inspect_project
from deploybook.records import record
from deploybook.runtime.written import WrittenFiles

__all__ = ["RUNTIME_NAMES", "ProjectContext", "inspect_for_deploy"]

# `--set` names that steer deploybook itself rather than name a recipe variable: the
# dependency manager and settings module to use, and the files a write may replace.
RUNTIME_NAMES = ("pkg", "settings_module", "overwrite")


@record(slots=False)
class ProjectContext:
    """The inspected project and the facts (template variables) a deploy resolves with."""

    project: Project
    facts: Mapping[str, str]
    overwrite: frozenset[str] = frozenset()
    """Files (from the repository root) the user said the recipe may replace."""

    def may_overwrite(self, path: str) -> bool:
        return path in self.overwrite

    def wrote(self, path: str, current: bytes | None) -> bool:
        """Whether `current` is exactly what deploybook last wrote to `path` (see written.py)."""
        return self.written.wrote(path, current)

    @functools.cached_property
    def written(self) -> WrittenFiles:
        return WrittenFiles(self.root)

    @property
    def root(self) -> Path:
        """The git root (or the manage.py folder outside git): every step path is relative to it."""
        return self.project.root

    @property
    def in_git(self) -> bool:
        return self.project.git_root is not None


def inspect_for_deploy(start: Path, assignments: Mapping[str, str]) -> ProjectContext:
    project = inspect_project(
        start,
        pkg=assignments.get("pkg") or None,
        settings_module=assignments.get("settings_module") or None,
    )
    facts = dict(project.facts())
    overwrite = frozenset(p.strip().strip("/") for p in assignments.get("overwrite", "").split(",") if p.strip())
    return ProjectContext(project, facts, overwrite)
