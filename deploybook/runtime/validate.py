"""The checks that must all pass before a deploy writes anything.

Problems are collected rather than raised one at a time, so the user fixes them in one go.
"""

from __future__ import annotations

import posixpath
import shutil
from collections.abc import Mapping

from deploybook.errors import DeployError
from deploybook.runtime.context import ProjectContext
from deploybook.runtime.git import has_identity, uncommitted
from deploybook.runtime.modes import Mode
from deploybook.runtime.plan import Plan

__all__ = ["dirty_state", "validate"]

_SHOWN = 8


def dirty_state(context: ProjectContext) -> list[str]:
    """What stands between this repository and one reviewable change; empty when clean."""
    if not context.in_git:
        return [f"{context.root} is not in a git repository"]
    return uncommitted(context.root)


def _is_relative_path(program: str) -> bool:
    return "/" in program and not program.startswith("/")


def _scripts(plan: Plan, programs: list[str]) -> list[tuple[str, str]]:
    """A command may run a script the recipe itself writes (`deploy/vps/bootstrap`), and only
    such a script: a file of this plan's, inside the repository, written executable."""
    problems = []
    written = {action.target: action for action in plan.file_actions if action.action == "write"}
    for program in dict.fromkeys(programs):
        clean = posixpath.normpath(program)
        action = written.get(clean)
        if action is None or clean.startswith("../"):
            problems.append(
                (
                    f"the recipe runs {program}, which is not a file it writes",
                    "a recipe may run a script only if one of its own write steps writes it "
                    '(with mode="755"); name an installed program otherwise',
                )
            )
        elif action.change is not None and not action.change.mode_after & 0o100:
            problems.append(
                (
                    f"the recipe runs {program}, which step '{action.step_id}' ({action.span}) writes without "
                    "execute permission",
                    'add mode="755" to that step',
                )
            )
    return problems


def validate(plan: Plan, *, mode: Mode, allow_dirty: bool, environ: Mapping[str, str]) -> None:
    """Raise one DeployError listing every problem, or return when the deploy may go ahead."""
    context = plan.context
    recipe = plan.resolution.recipe
    problems: list[tuple[str, str]] = []
    runs = mode.runs
    if mode.phase != "setup" and not plan.runs_in(mode.phase):
        raise DeployError(
            f"the {recipe.id} recipe has no {mode.flag} commands for this project",
            hint=f'its page has no run step with phase="{mode.phase}"; see the page for what to do by hand',
        )
    if not context.in_git and (runs or not allow_dirty):
        problems.append(
            (
                f"{context.root} is not in a git repository",
                "deploybook makes one change you review with git; run `git init` and commit your project"
                + (" (--allow-dirty skips this check for the configuration only)" if not runs else ""),
            )
        )
    elif context.in_git and not allow_dirty:
        dirty = uncommitted(context.root)
        if dirty:
            listed = ", ".join(line.strip() for line in dirty[:_SHOWN]) + (
                f" and {len(dirty) - _SHOWN} more" if len(dirty) > _SHOWN else ""
            )
            problems.append(
                (
                    f"the git working tree has uncommitted changes: {listed}",
                    "commit or stash them first, so that the deploy is one change you can review "
                    "with `git diff`; or pass --allow-dirty",
                )
            )
    for action in plan.file_actions if mode.writes else ():
        target = context.root / action.target
        if action.writes and target.exists() and not target.stat().st_mode & 0o200:
            mode_text = f"{target.stat().st_mode & 0o777:04o}"
            problems.append(
                (
                    f"{action.target} is read-only (mode {mode_text}), and step '{action.step_id}' would change it",
                    f"if deploybook may change it, make it writable (`chmod u+w {action.target}`); "
                    "a file kept read-only on purpose is respected",
                )
            )
    path = environ.get("PATH")
    if runs:
        programs = [argv[0] for argv in plan.local_commands(mode.phase)]
        problems += _scripts(plan, [program for program in programs if _is_relative_path(program)])
        needed = [*recipe.requires, *(program for program in programs if not _is_relative_path(program))]
        if any(run.step.where == "ssh" for run in plan.runs_in(mode.phase)):
            needed.append("ssh")
        missing = [tool for tool in dict.fromkeys(needed) if shutil.which(tool, path=path) is None]
        if missing:
            problems.append(
                (
                    f"{'these commands are' if len(missing) > 1 else 'this command is'} not installed "
                    f"(or not on PATH): {', '.join(missing)}",
                    f"the recipe {recipe.id} runs them; install them, or leave out "
                    f"{mode.flag} and follow the page by hand",
                )
            )
    relock = plan.own_relock
    if mode.commits and relock is not None and not plan.refresh_lock:
        command = " ".join(relock.argv)
        problems.append(
            (
                f"{relock.lock_file} must be refreshed with `{command}` after the new requirements, "
                f"and {relock.argv[0]} is not installed",
                f"install {relock.argv[0]}, or leave out {mode.flag} and run `{command}` yourself",
            )
        )
    if mode.commits and context.in_git and plan.changed_paths and not has_identity(context.root, environ):
        problems.append(
            (
                "git does not know who you are, so it cannot commit the change",
                'run `git config user.name "Your Name"` and `git config user.email you@example.com`',
            )
        )
    if problems:
        if len(problems) == 1:
            raise DeployError(problems[0][0], hint=problems[0][1])
        listing = "\n".join(f"  - {message}\n    {hint}" for message, hint in problems)
        raise DeployError(
            f"cannot deploy yet; nothing was changed:\n{listing}", hint="fix these, then run deploy again"
        )
