"""From a resolved recipe to a Plan: every action in page order, with the bytes each file
action would write, computed in memory. Nothing here touches the project."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deploybook.compiler import (
    AddRequirements,
    AppendBlock,
    EnvVars,
    Message,
    Processes,
    Resolution,
    ResolvedStep,
    RunCommands,
    TestCommands,
    WriteFile,
)
from deploybook.runtime.actions import DEFAULT_MODE, Action, FileChange, Relock, RunAction
from deploybook.runtime.context import ProjectContext
from deploybook.runtime.errors import DeployError
from deploybook.runtime.markers import place_block
from deploybook.runtime.paths import repo_path
from deploybook.runtime.requirements import RequirementsPlanner

__all__ = ["LOG_DIR", "Plan", "make_plan"]

LOG_DIR = ".deploybook"
_SHORT = 72


@dataclass(frozen=True, slots=True)
class Plan:
    """Every action of a deploy in page order, the platform commands, and what to tell the user."""

    resolution: Resolution
    context: ProjectContext
    actions: tuple[Action, ...]
    runs: tuple[RunAction, ...]
    messages: tuple[str, ...]
    notes: tuple[str, ...]
    relock: Relock | None

    @property
    def root(self) -> Path:
        return self.context.root

    @property
    def file_actions(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.change is not None)

    @property
    def changed_paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.change.path for a in self.file_actions if a.writes and a.change))

    def runs_in(self, phase: str) -> tuple[RunAction, ...]:
        return tuple(run for run in self.runs if run.phase == phase)

    def local_commands(self, phase: str) -> list[tuple[str, ...]]:
        return [command.argv for run in self.runs_in(phase) if run.where == "local" for command in run.commands]

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

    def change(self, path: str, after: bytes, mode: int | None) -> FileChange:
        before, mode_before = self.get(path)
        mode_after = mode if mode is not None else mode_before if mode_before is not None else DEFAULT_MODE
        self.files[path] = (after, mode_after)
        return FileChange(path, before, after, mode_before, mode_after)


def make_plan(resolution: Resolution, context: ProjectContext) -> Plan:
    root = context.root
    overlay = _Overlay(root)
    requirements = RequirementsPlanner(context.project)
    actions: list[Action] = []
    runs: list[RunAction] = []
    messages: list[str] = []
    recipe = resolution.recipe
    for resolved in resolution.steps:
        step = resolved.step
        if isinstance(step, WriteFile):
            path = repo_path(root, resolved.file or "", step)
            change = overlay.change(path, resolved.text.encode("utf-8"), step.mode)
            actions.append(Action(step.id, step.action, step.span, path, change))
        elif isinstance(step, AppendBlock):
            path = repo_path(root, resolved.file or "", step)
            before = overlay.get(path)[0]
            text = _decode(before, path, resolved)
            placed = place_block(
                text, path=path, recipe_id=recipe.id, step_id=step.id, body=resolved.text, location=str(step.span)
            )
            actions.append(Action(step.id, step.action, step.span, path, overlay.change(path, placed.encode(), None)))
        elif isinstance(step, AddRequirements):
            path, after = requirements.add(resolved, overlay.get)
            actions.append(Action(step.id, step.action, step.span, path, overlay.change(path, after, None)))
        elif isinstance(step, RunCommands):
            capture = step.capture.variable if step.capture else None
            runs.append(RunAction(step.id, step.span, step.where, step.phase, resolved.commands, capture))
            actions.append(
                Action(
                    step.id,
                    step.action,
                    step.span,
                    _commands_target(resolved, resolution.redact),
                    reason=_run_reason(step),
                )
            )
        elif isinstance(step, EnvVars):
            names = ", ".join(name for name, _ in resolved.env)
            actions.append(
                Action(step.id, step.action, step.span, f"platform environment: {names}", reason="set on the platform")
            )
        elif isinstance(step, Processes):
            names = ", ".join(name for name, _ in resolved.processes)
            actions.append(
                Action(step.id, step.action, step.span, f"platform processes: {names}", reason="the platform runs them")
            )
        elif isinstance(step, TestCommands):
            actions.append(
                Action(
                    step.id,
                    step.action,
                    step.span,
                    _commands_target(resolved, resolution.redact),
                    reason="a check for you and the tests",
                )
            )
        elif isinstance(step, Message):
            messages.append(resolved.text.rstrip("\n"))
    if context.in_git:
        actions.append(_gitignore_action(overlay))
    return Plan(
        resolution,
        context,
        tuple(actions),
        tuple(runs),
        tuple(messages),
        requirements.notes(),
        requirements.relock(),
    )


def _decode(data: bytes | None, path: str, resolved: ResolvedStep) -> str:
    try:
        return (data or b"").decode("utf-8")
    except UnicodeDecodeError as error:
        raise DeployError(
            f"{resolved.step.span}: step '{resolved.step.id}': {path} is not UTF-8 text ({error.reason})",
            hint="save the file as UTF-8, then run deploy again",
        ) from error


def _commands_target(resolved: ResolvedStep, redact: Callable[[str], str]) -> str:
    # Redacted word by word before quoting, so quoting cannot split a secret (see report.py).
    first = shlex.join(redact(word) for word in resolved.commands[0].argv) if resolved.commands else ""
    if len(first) > _SHORT:  # the full command is in the list of commands (or on the page)
        first = first[: _SHORT - 3] + "..."
    more = len(resolved.commands) - 1
    return f"{resolved.step.action}: {first}" + (f" (+{more} more)" if more > 0 else "")


def _run_reason(step: RunCommands) -> str:
    if step.phase == "redeploy":
        return "run by --redeploy"
    return "over ssh, run by --automate-all" if step.where == "ssh" else "run by --automate-all"


def _gitignore_action(overlay: _Overlay) -> Action:
    """Keep deploybook's log folder out of the user's commits, as part of the same change."""
    before, _ = overlay.get(".gitignore")
    text = (before or b"").decode("utf-8", errors="surrogateescape")
    ignored = {line.strip() for line in text.splitlines()}
    after = text
    if not ignored & {LOG_DIR, f"{LOG_DIR}/", f"/{LOG_DIR}", f"/{LOG_DIR}/"}:
        newline = "\r\n" if "\r\n" in text else "\n"
        if after and not after.endswith(("\n", "\r")):
            after += newline
        after += f"# deploybook's deploy logs{newline}/{LOG_DIR}/{newline}"
    change = overlay.change(".gitignore", after.encode("utf-8", errors="surrogateescape"), None)
    return Action("deploybook", "gitignore", None, ".gitignore", change, reason=f"ignore {LOG_DIR}/, the deploy logs")
