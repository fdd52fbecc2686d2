"""From a resolved recipe to a Plan: every action in page order, with the bytes each file
action would write, computed in memory. Nothing here touches the project."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from deploybook.compiler import (
    Resolution,
    ResolvedFile,
    ResolvedMessage,
    ResolvedRequirements,
    ResolvedRun,
)
from deploybook.records import record
from deploybook.runtime.actions import DEFAULT_MODE, Action, FileChange, Relock
from deploybook.runtime.assumptions import scheme_notes
from deploybook.runtime.context import ProjectContext
from deploybook.runtime.git import ignored
from deploybook.runtime.paths import OWN_DIR, repo_path
from deploybook.runtime.requirements import RequirementsPlanner

__all__ = ["Plan", "make_plan", "with_lock_refresh"]


@record
class Plan:
    """Every action of a deploy in page order, the platform commands, and what to tell the user."""

    resolution: Resolution
    context: ProjectContext
    actions: tuple[Action, ...]
    runs: tuple[ResolvedRun, ...]
    messages: tuple[str, ...]
    notes: tuple[str, ...]
    relock: Relock | None
    refresh_lock: bool = False
    """The deploy refreshes the stale lock file itself (see with_lock_refresh)."""

    @property
    def root(self) -> Path:
        return self.context.root

    @property
    def file_actions(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.change is not None)

    @property
    def conflicts(self) -> tuple[Action, ...]:
        """Writes that would drop lines of the project's own files, not allowed yet."""
        return tuple(a for a in self.file_actions if a.status == "conflict")

    @property
    def changed_paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.change.path for a in self.file_actions if a.writes and a.change))

    def runs_in(self, phase: str) -> tuple[ResolvedRun, ...]:
        return tuple(run for run in self.runs if run.step.phase == phase)

    def local_commands(self, phase: str) -> list[tuple[str, ...]]:
        return [command.argv for run in self.runs_in(phase) if run.step.where == "local" for command in run.commands]

    @property
    def recipe_commits(self) -> bool:
        """Whether the page itself commits (`git commit` among its setup commands); then
        --automate-all leaves the one commit to it instead of making a second."""
        return any(argv[:2] == ("git", "commit") for argv in self.local_commands("setup"))

    @property
    def own_relock(self) -> Relock | None:
        """The re-lock --automate-all must run itself: none when the page runs that command."""
        if self.relock is None or self.relock.argv in self.local_commands("setup"):
            return None
        return self.relock


class _Overlay:
    """The project's files as the plan has changed them so far (a later step sees earlier ones)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, tuple[bytes | None, int | None]] = {}

    def get(self, path: str) -> tuple[bytes | None, int | None]:
        if path not in self.files:
            disk = self.root / path
            self.files[path] = (disk.read_bytes(), disk.stat().st_mode & 0o7777) if disk.is_file() else (None, None)
        return self.files[path]

    def change(
        self,
        path: str,
        after: bytes,
        mode: int | None,
        *,
        replaces: bool = False,
        overwrite: bool = False,
        ours: bool = False,
    ) -> FileChange:
        before, mode_before = self.get(path)
        mode_after = mode if mode is not None else mode_before if mode_before is not None else DEFAULT_MODE
        self.files[path] = (after, mode_after)
        return FileChange(path, before, after, mode_before, mode_after, replaces, overwrite, ours)


def make_plan(resolution: Resolution, context: ProjectContext) -> Plan:
    """Every resolved step as an action, in page order; file steps with their new bytes.
    A write that would drop lines of a file the project has is a `conflict`, unless the
    user named the file in `--set overwrite=`."""
    root = context.root
    overlay = _Overlay(root)
    requirements = RequirementsPlanner(context.project)
    actions: list[Action] = []
    runs: list[ResolvedRun] = []
    messages: list[str] = []
    recipe_id = resolution.recipe.id
    for resolved in resolution.steps:
        step = resolved.step
        if isinstance(resolved, ResolvedFile):
            path = repo_path(root, resolved.file, step)
            before = overlay.get(path)[0]
            after = resolved.edit(before, recipe_id)
            change = overlay.change(
                path,
                after,
                resolved.mode,
                replaces=resolved.replaces,
                overwrite=context.may_overwrite(path),
                ours=context.wrote(path, before),
            )
            actions.append(Action(step.id, step.action, step.span, path, change))
            continue
        if isinstance(resolved, ResolvedRequirements):
            path, after = requirements.add(resolved, overlay.get)
            actions.append(Action(step.id, step.action, step.span, path, overlay.change(path, after, None)))
            continue
        if isinstance(resolved, ResolvedRun):
            runs.append(resolved)
        if isinstance(resolved, ResolvedMessage):
            if resolved.step.after is None:  # the others follow the commands (deploy._run_commands)
                messages.append(resolved.text)
            continue  # printed at the end, not listed
        actions.append(
            Action(step.id, step.action, step.span, resolved.describe(resolution.redact), reason=resolved.reason)
        )
    if context.in_git:
        actions.append(_gitignore_action(overlay))
    return Plan(
        resolution,
        context,
        tuple(actions),
        tuple(runs),
        tuple(messages),
        (
            *requirements.notes(),
            *_ignored_notes(context, actions),
            *_scheme_notes(resolution, context),
            *_settings_notes(resolution, context),
        ),
        requirements.relock(),
    )


def _scheme_notes(resolution: Resolution, context: ProjectContext) -> list[str]:
    settings = context.project.settings_path
    # A settings package: the production module imports the others, so every module counts.
    files = tuple(sorted(settings.parent.glob("*.py"))) if settings.parent.name == "settings" else (settings,)
    return scheme_notes(context.root, files, resolution.platform_env())


def _settings_notes(resolution: Resolution, context: ProjectContext) -> list[str]:
    """Production loads another module than manage.py and wsgi.py name: only the platform's
    DJANGO_SETTINGS_MODULE makes the server and the migrations load the configured one."""
    project = context.project
    entry = project.settings_entry
    if entry is None:
        return []
    configured = (
        f"{project.relative(project.settings_path)} ({project.settings_module}, from {project.settings_origin})"
    )
    if resolution.platform_env().get("DJANGO_SETTINGS_MODULE") == project.settings_module:
        return [
            f"configured {configured}, not {entry.module} that {entry.origin} names: the platform's "
            f"environment sets DJANGO_SETTINGS_MODULE={project.settings_module}, so the server and the "
            f"migrations load it (keep {entry.module} with --set settings_module={entry.module})"
        ]
    return [
        f"configured {configured}, but {entry.origin} names {entry.module} and this recipe does not set "
        f"DJANGO_SETTINGS_MODULE: set DJANGO_SETTINGS_MODULE={project.settings_module} in the platform's "
        "environment yourself, or production loads the other module"
    ]


def _ignored_notes(context: ProjectContext, actions: list[Action]) -> list[str]:
    """A file the recipe writes but the project's ignore rules leave out never reaches the platform."""
    if not context.in_git:
        return []
    targets = [action.target for action in actions if action.change is not None]
    return [
        f"{path} is ignored by your {rule.split(': ', 1)[0]} (`{rule.split(': ', 1)[1]}`), so `git add -A` "
        f"leaves it out and the platform would not get it: commit it with `git add -f {path}` "
        "(--automate-all adds it so)"
        for path, rule in ignored(context.root, targets).items()
    ]


def _gitignore_action(overlay: _Overlay) -> Action:
    """Keep deploybook's log folder out of the user's commits, as part of the same change."""
    before, _ = overlay.get(".gitignore")
    text = (before or b"").decode("utf-8", errors="surrogateescape")
    ignored = {line.strip() for line in text.splitlines()}
    after = text
    if not ignored & {OWN_DIR, f"{OWN_DIR}/", f"/{OWN_DIR}", f"/{OWN_DIR}/"}:
        newline = "\r\n" if "\r\n" in text else "\n"
        if after and not after.endswith(("\n", "\r")):
            after += newline
        after += f"# deploybook's deploy logs{newline}/{OWN_DIR}/{newline}"
    change = overlay.change(".gitignore", after.encode("utf-8", errors="surrogateescape"), None)
    return Action("deploybook", "gitignore", None, ".gitignore", change, reason=f"ignore {OWN_DIR}/, the deploy logs")


def with_lock_refresh(plan: Plan, *, wanted: bool, path: str | None) -> Plan:
    """The plan, deciding who refreshes a lock file the new requirements made stale.

    The tool is the project's own and contacts no platform, so a deploy that writes runs it
    itself when it is installed (`wanted`: not `--no-lock`): the refreshed lock file is one more
    `update` in the same change, and the "out of date" note goes. Otherwise the note says
    exactly what to run, and why it was not run.
    """
    relock = plan.own_relock
    if relock is None:
        return plan
    notes = [note for note in plan.notes if note != relock.note]
    tool = relock.argv[0]
    where = f" in {relock.cwd}" if relock.cwd != "." else ""
    if wanted and shutil.which(tool, path=path) is not None:
        action = Action(
            "deploybook",
            "relock",
            None,
            relock.lock_file,
            reason=f"refreshed with `{relock.command}`{where}, after the files are written",
            planned="update",
        )
        return dataclasses.replace(plan, actions=(*plan.actions, action), notes=tuple(notes), refresh_lock=True)
    why = "--no-lock" if not wanted else f"{tool} is not installed here"
    notes.append(
        f"{relock.lock_file} is now out of date: run `{relock.command}`{where} and commit the result before "
        f"you deploy (deploy did not run it: {why}; the platform refuses a stale lock file)"
    )
    return dataclasses.replace(plan, notes=tuple(notes))
