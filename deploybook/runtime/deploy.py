"""`manage.py deploy` as a library call: prepare (read-only) -> validate -> apply or print.

Nothing is written before every check has passed; then the files change in one transaction.
The management command and `deploybook demo` are thin callers of `deploy()`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deploybook import __version__
from deploybook.compiler import DeploybookError, Recipe, Resolution, RunCommands
from deploybook.runtime.actions import Action
from deploybook.runtime.apply import Checkpoint, apply_plan
from deploybook.runtime.context import ProjectContext, inspect_for_deploy
from deploybook.runtime.errors import CommandFailed, DeployError, UsageError
from deploybook.runtime.logs import DeployLog
from deploybook.runtime.output import Console, Output
from deploybook.runtime.plan import Plan, make_plan
from deploybook.runtime.recipes import LoadedRecipe, load_recipe
from deploybook.runtime.report import (
    report_actions,
    report_commands,
    report_diff,
    report_header,
    report_messages,
    report_notes,
)
from deploybook.runtime.request import DeployRequest
from deploybook.runtime.validate import dirty_state, validate
from deploybook.runtime.values import DeployValues, prepare_values

__all__ = ["Confirm", "DeployResult", "Prepared", "deploy", "prepare"]

Confirm = Callable[[str], bool]
"""Asks the user a yes/no question; True to go ahead."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything a deploy would do, worked out without touching the project."""

    request: DeployRequest
    loaded: LoadedRecipe
    context: ProjectContext
    values: DeployValues
    plan: Plan

    @property
    def resolution(self) -> Resolution:
        return self.plan.resolution


@dataclass(frozen=True, slots=True)
class DeployResult:
    """What a deploy did: the actions, and the commit, log and commands of a real run."""

    mode: str
    dry_run: bool
    actions: tuple[Action, ...]
    commit: str | None = None
    log: Path | None = None
    commands_run: tuple[tuple[str, ...], ...] = ()
    cancelled: bool = False


def prepare(request: DeployRequest) -> Prepared:
    """Compile the recipe, inspect the project, resolve every value and plan every file; pure."""
    loaded = load_recipe(request.recipe, request.recipe_file)
    context = inspect_for_deploy(request.project, request.assignments)
    runs = request.mode != "config" and not request.dry_run
    try:
        values, resolution = prepare_values(loaded.recipe, context, request.assignments, request.env, runs=runs)
    except UsageError:
        raise
    except DeployError:
        if request.mode != "redeploy":
            raise
        # Redeploying runs only the redeploy commands. A value only the configuration uses (the
        # server's address in a provisioning file, say) need not be given again for them; the
        # check that the configuration still matches the recipe is then left out.
        recipe = _redeploy_steps_only(loaded.recipe)
        values, resolution = prepare_values(recipe, context, request.assignments, request.env, runs=runs)
    return Prepared(request, loaded, context, values, make_plan(resolution, context))


def _redeploy_steps_only(recipe: Recipe) -> Recipe:
    steps = tuple(s for s in recipe.steps if isinstance(s, RunCommands) and s.phase == "redeploy")
    return dataclasses.replace(recipe, steps=steps)


def deploy(
    request: DeployRequest, output: Output, *, confirm: Confirm | None = None, checkpoint: Checkpoint | None = None
) -> DeployResult:
    console = Console(output)
    prepared = prepare(request)
    plan = prepared.plan
    console.redact = plan.resolution.redact
    for warning in prepared.loaded.warnings:
        console.line(warning.format(), "warning")
    if request.dry_run:
        return _dry_run(prepared, console)
    validate(plan, mode=request.mode, allow_dirty=request.allow_dirty, environ=request.env)
    log = DeployLog(plan.root, plan.resolution.recipe.id, request.mode)
    console.attach_log(log.write)
    _log_request(console, prepared)
    try:
        return _run(prepared, console, log, confirm, checkpoint)
    except DeploybookError as error:
        console.log_only(f"error: {error}")
        hint = f"{error.hint}; the log is {log.relative}" if error.hint else f"the log is {log.relative}"
        raise type(error)(error.message, hint=hint, location=error.location) from error
    except BaseException as error:
        console.log_only(f"stopped: {type(error).__name__}: {error}")
        raise
    finally:
        log.close()


def _run(
    prepared: Prepared, console: Console, log: DeployLog, confirm: Confirm | None, checkpoint: Checkpoint | None
) -> DeployResult:
    request, plan = prepared.request, prepared.plan
    mode = request.mode
    recipe = plan.resolution.recipe
    report_header(console, plan, mode, dry_run=False)
    report_actions(console, plan.actions, files_only=mode == "redeploy")
    runs = plan.runs_in("redeploy" if mode == "redeploy" else "setup")
    if mode == "redeploy" and any(a.writes for a in plan.actions):
        console.line(
            f"The project's configuration differs from what the recipe writes now: run "
            f"`manage.py deploy {recipe.id}`, review and commit, before deploying again.",
            "warning",
        )
    if mode != "config":
        report_commands(console, runs, prepared.values, title="Commands to run, in this order:")
        if not request.assume_yes and not _confirmed(console, confirm, plan, mode, len(runs)):
            console.line("Cancelled: nothing was changed.", "warning")
            return DeployResult(mode, False, plan.actions, log=log.path, cancelled=True)
    commit = _apply(prepared, console, checkpoint) if mode != "redeploy" else None
    ran: tuple[tuple[str, ...], ...] = ()
    if mode == "config":
        title = "Commands to run, in this order, from the repository root (--automate-all runs them for you):"
        report_commands(console, runs, prepared.values, title=title)
    else:
        ran = _run_commands(prepared, console, commit)
    report_notes(console, plan.notes)
    if mode == "config":
        report_messages(console, plan.messages)
    elif plan.runs_in("redeploy"):
        # The recipe's message is written for someone about to commit and deploy; that is done.
        console.line()
        console.line(f"After your next change, commit it and run `python manage.py deploy {recipe.id} --redeploy`.")
    console.line()
    console.line(f"Log: {log.relative}")
    return DeployResult(mode, False, plan.actions, commit, log.path, ran)


def _apply(prepared: Prepared, console: Console, checkpoint: Checkpoint | None) -> str | None:
    """Write the files; with --automate-all also re-lock and make the one commit."""
    request, plan = prepared.request, prepared.plan
    automate = request.mode == "automate"
    # When the page itself commits (`git commit` among its commands), its commit is the one.
    message = _commit_message(plan) if automate and not plan.recipe_commits else None
    commit = apply_plan(
        plan, console=console, commit_message=message, relock=automate, environ=request.env, checkpoint=checkpoint
    )
    if commit:
        console.line()
        console.line(f"Committed the change as {commit}: {message_title(plan)}", "success")
    return commit


def _run_commands(prepared: Prepared, console: Console, commit: str | None) -> tuple[tuple[str, ...], ...]:
    from deploybook.runtime.automate import CommandRunner  # only modes that run commands need it

    request, plan = prepared.request, prepared.plan
    runner = CommandRunner(prepared.values, plan.resolution, plan.root, request.env, console)
    try:
        runner.run_all(plan.runs_in("redeploy" if request.mode == "redeploy" else "setup"))
    except CommandFailed as error:
        kept = f"committed as {commit}" if commit else "written (see `git status` and `git log`)"
        stays = f"the configuration stays {kept}; the platform keeps what the commands before this one made"
        raise CommandFailed(error.message, hint=f"{error.hint}; {stays}" if error.hint else stays) from None
    console.line()
    count = len(runner.ran)
    console.line(f"Ran {count} command{'s' * (count != 1)} for {plan.resolution.recipe.title}.", "success")
    return tuple(runner.ran)


def _dry_run(prepared: Prepared, console: Console) -> DeployResult:
    request, plan = prepared.request, prepared.plan
    report_header(console, plan, request.mode, dry_run=True)
    dirty = dirty_state(prepared.context)
    if dirty and not request.allow_dirty:
        console.line(
            f"Warning: {dirty[0].strip()}{' and more' if len(dirty) > 1 else ''}: a real run would stop "
            "until the tree is clean (or --allow-dirty is given).",
            "warning",
        )
    report_actions(console, plan.actions, files_only=request.mode == "redeploy")
    if request.mode != "redeploy":
        report_diff(console, plan.actions)
    phase = "redeploy" if request.mode == "redeploy" else "setup"
    title = "Commands to run" if request.mode == "config" else "Commands it would run"
    report_commands(console, plan.runs_in(phase), prepared.values, title=f"{title}, in this order:")
    report_notes(console, plan.notes)
    console.line()
    console.line("Dry run: nothing was written, nothing was run.", "success")
    return DeployResult(request.mode, True, plan.actions)


def _confirmed(console: Console, confirm: Confirm | None, plan: Plan, mode: str, count: int) -> bool:
    title = plan.resolution.recipe.title
    plural = "s" * (count != 1)
    if mode == "automate":
        question = f"Write these changes, commit them, and run {count} command{plural} against {title}? [y/N] "
    else:
        question = f"Run {count} command{plural} to deploy the committed project to {title}? [y/N] "
    console.line()
    answer = confirm(question) if confirm is not None else False
    console.log_only(f"{question}{'yes' if answer else 'no'}")
    return answer


def message_title(plan: Plan) -> str:
    return f"Configure for {plan.resolution.recipe.title}"


def _commit_message(plan: Plan) -> str:
    recipe = plan.resolution.recipe
    return (
        f"{message_title(plan)}\n\nWritten by `python manage.py deploy {recipe.id} --automate-all` "
        f"(deploybook {__version__}, recipe {recipe.id} version {recipe.version})."
    )


def _log_request(console: Console, prepared: Prepared) -> None:
    request, plan = prepared.request, prepared.plan
    recipe = plan.resolution.recipe
    console.log_only(f"recipe: {recipe.id} version {recipe.version} from {prepared.loaded.source.display}")
    console.log_only(f"mode: {request.mode}; project: {plan.root}")
    for name, value in sorted(plan.resolution.values.items()):
        console.log_only(f"value {name} = {value}")
