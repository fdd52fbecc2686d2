"""`manage.py deploy` as a library call: prepare (read-only) -> validate -> apply or print.

Nothing is written before every check has passed; then the files change in one transaction.
The management command and `deploybook demo` are thin callers of `deploy()`.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from deploybook import __version__
from deploybook.compiler import Resolution, ResolvedMessage
from deploybook.errors import CommandFailed, DeploybookError, DeployError, Interrupted
from deploybook.records import record
from deploybook.runtime.actions import Action
from deploybook.runtime.context import ProjectContext, inspect_for_deploy
from deploybook.runtime.logs import DeployLog
from deploybook.runtime.modes import Mode
from deploybook.runtime.output import Console, Output
from deploybook.runtime.plan import Plan, make_plan, with_lock_refresh
from deploybook.runtime.recipes import LoadedRecipe, load_recipe
from deploybook.runtime.report import (
    overwrite_value,
    report_actions,
    report_commands,
    report_conflicts,
    report_diff,
    report_header,
    report_messages,
    report_notes,
    runnable_lines,
)
from deploybook.runtime.request import DeployRequest
from deploybook.runtime.signals import Stopped, stoppable
from deploybook.runtime.target import describe_target
from deploybook.runtime.validate import dirty_state, validate
from deploybook.runtime.values import DeployValues, prepare_values

if TYPE_CHECKING:
    from deploybook.runtime.apply import Checkpoint

__all__ = ["Confirm", "DeployResult", "Prepared", "deploy", "prepare"]

Confirm = Callable[[str], bool]
"""Asks the user a yes/no question; True to go ahead."""


@record
class Prepared:
    """Everything a deploy would do, worked out without touching the project."""

    request: DeployRequest
    loaded: LoadedRecipe
    context: ProjectContext
    values: DeployValues
    plan: Plan

    @property
    def mode(self) -> Mode:
        return self.request.mode

    @property
    def resolution(self) -> Resolution:
        return self.plan.resolution


@record
class DeployResult:
    """What a deploy did: the actions, and the commit, log and commands of a real run."""

    mode: Mode
    actions: tuple[Action, ...]
    commit: str | None = None
    log: Path | None = None
    commands_run: tuple[tuple[str, ...], ...] = ()
    cancelled: bool = False


def prepare(request: DeployRequest) -> Prepared:
    """Compile the recipe, inspect the project, resolve every value and plan every file; pure."""
    loaded = load_recipe(request.recipe, request.recipe_file)
    context = inspect_for_deploy(request.project, request.assignments)
    values, resolution = prepare_values(loaded.recipe, context, request.assignments, request.env, request.mode)
    plan = make_plan(resolution, context)
    if request.mode.writes or (request.mode.dry_run and request.mode.phase == "setup"):
        plan = with_lock_refresh(plan, wanted=request.relock, path=request.env.get("PATH"))
    return Prepared(request, loaded, context, values, plan)


def deploy(
    request: DeployRequest, output: Output, *, confirm: Confirm | None = None, checkpoint: Checkpoint | None = None
) -> DeployResult:
    console = Console(output)
    if not request.mode.dry_run:
        from deploybook.runtime.recover import recover  # as apply_plan below: a dry run needs neither

        # A deploy killed before it could finish or undo (SIGKILL, power loss) left its journal:
        # put the tree back first, so that this deploy plans from what the user really has.
        recovered = recover(request.project)
        if recovered.restored:
            console.line(recovered.describe(), "warning")
            console.line()
    prepared = prepare(request)
    plan, mode = prepared.plan, prepared.mode
    console.redact = plan.resolution.redact
    for warning in prepared.loaded.warnings:
        console.line(warning.format(), "warning")
    for note in prepared.values.unchecked:
        console.line(f"Warning: {note}", "warning")
    if mode.dry_run:
        return _dry_run(prepared, console)
    validate(plan, mode=mode, allow_dirty=request.allow_dirty, environ=request.env)
    log = DeployLog(plan.root, plan.resolution.recipe.id, mode.name)
    console.attach_log(log.write)
    _log_request(console, prepared)
    progress = _Progress()
    try:
        with stoppable():
            return _run(prepared, console, log, confirm, checkpoint, progress)
    except KeyboardInterrupt as stop:
        signum = stop.signum if isinstance(stop, Stopped) else signal.SIGINT
        what = "interrupted" if signum == signal.SIGINT else f"stopped by {signal.Signals(signum).name}"
        console.log_only(f"stopped: {what}; {progress.state}")
        raise Interrupted(f"{what}; {progress.state}", hint=f"the log is {log.relative}", signum=signum) from None
    except DeploybookError as error:
        console.log_only(f"error: {error}")
        raise error.with_hint(f"the log is {log.relative}") from error
    except BaseException as error:
        console.log_only(f"stopped: {type(error).__name__}: {error}")
        raise
    finally:
        log.close()


class _Progress:
    """How far a deploy got, in words that are true at every moment: an interruption or a
    crash reports exactly this."""

    def __init__(self) -> None:
        self.state = "nothing was changed"


def _run(
    prepared: Prepared,
    console: Console,
    log: DeployLog,
    confirm: Confirm | None,
    checkpoint: Checkpoint | None,
    progress: _Progress,
) -> DeployResult:
    request, plan, mode = prepared.request, prepared.plan, prepared.mode
    recipe = plan.resolution.recipe
    report_header(console, plan, mode)
    report_actions(console, plan.actions, files_only=not mode.writes)
    if mode.writes and plan.conflicts and not _replace_agreed(console, confirm, request, plan):
        console.line("Cancelled: nothing was changed.", "warning")
        return DeployResult(mode, plan.actions, log=log.path, cancelled=True)
    runs = plan.runs_in(mode.phase)
    if not mode.writes and any(a.writes for a in plan.actions):
        console.line(
            f"The project's configuration differs from what the recipe writes now: run "
            f"`manage.py deploy {recipe.id}`, review and commit, before deploying again.",
            "warning",
        )
    if mode.runs:
        report_commands(console, runs, prepared.values, title="Commands to run, in this order:")
        if (
            mode.asks
            and not request.assume_yes
            and not _confirmed(console, confirm, plan, mode, len(runs), request.env)
        ):
            console.line("Cancelled: nothing was changed.", "warning")
            return DeployResult(mode, plan.actions, log=log.path, cancelled=True)
    commit = _apply(prepared, console, checkpoint, progress) if mode.writes else None
    ran: tuple[tuple[str, ...], ...] = ()
    after: tuple[str, ...] = ()
    if mode.runs:
        ran, after = _run_commands(prepared, console, commit, progress)
    else:
        title = "Commands to run, in this order, from the repository root (--automate-all runs them for you):"
        report_commands(console, runs, prepared.values, title=title)
    report_notes(console, plan.notes)
    if not mode.runs:
        report_messages(console, plan.messages)
    elif after:
        report_messages(console, after)
    elif plan.runs_in("redeploy"):
        # The recipe's message is written for someone about to commit and deploy; that is done.
        console.line()
        console.line(f"After your next change, commit it and run `python manage.py deploy {recipe.id} --redeploy`.")
    console.line()
    console.line(f"Log: {log.relative}")
    return DeployResult(mode, plan.actions, commit, log.path, ran)


def _apply(prepared: Prepared, console: Console, checkpoint: Checkpoint | None, progress: _Progress) -> str | None:
    """Write the files; with --automate-all also re-lock and make the one commit."""
    from deploybook.runtime.apply import apply_plan  # the transaction and its journal: only runs that write

    request, plan, mode = prepared.request, prepared.plan, prepared.mode
    # When the page itself commits (`git commit` among its commands), its commit is the one.
    message = _commit_message(plan) if mode.commits and not plan.recipe_commits else None
    # Until apply_plan says otherwise, a stop is undone: the transaction restores every file.
    progress.state = "every file the deploy had changed was restored"

    def reached(state: str) -> None:
        progress.state = state

    commit = apply_plan(
        plan,
        console=console,
        commit_message=message,
        environ=request.env,
        checkpoint=checkpoint,
        progress=reached,
    )
    if commit:
        console.line()
        console.line(f"Committed the change as {commit}: {message_title(plan)}", "success")
    return commit


def _run_commands(
    prepared: Prepared, console: Console, commit: str | None, progress: _Progress
) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """The commands run, and the recipe's messages for after them, with the values the
    commands captured filled in (the console a command created, say)."""
    from deploybook.runtime.automate import CommandRunner  # only modes that run commands need it

    request, plan, mode = prepared.request, prepared.plan, prepared.mode
    runner = CommandRunner(prepared.values, plan.resolution, plan.root, request.env, console)
    kept = f"committed as {commit}" if commit else "written (see `git status` and `git log`)"
    stays = f"the configuration stays {kept}"
    try:
        runner.run_all(plan.runs_in(mode.phase), on_start=lambda text: _running(progress, stays, text))
    except CommandFailed as error:
        raise error.with_hint(f"{stays}; the platform keeps what the commands before this one made") from None
    except KeyboardInterrupt:
        left = "\n".join(
            f"    {line}"
            for run, command in runner.remaining
            for line in runnable_lines(run, command, plan.resolution.redact)
        )
        progress.state += "; run the remaining commands yourself, in this order:\n" + left
        raise
    console.line()
    count = len(runner.ran)
    console.line(f"Ran {count} command{'s' * (count != 1)} for {plan.resolution.recipe.title}.", "success")
    after = tuple(m.text for m in runner.resolution.of_kind(ResolvedMessage) if m.step.after == mode.phase)
    return tuple(runner.ran), after


def _replace_agreed(console: Console, confirm: Confirm | None, request: DeployRequest, plan: Plan) -> bool:
    """A write would drop lines of the project's own files: ask, or stop and say how to allow it."""
    report_conflicts(console, plan.conflicts)
    listed = overwrite_value(plan.conflicts)
    if not request.interactive or confirm is None or request.assume_yes:
        # --yes confirms the deploy, not the loss of files nobody has looked at.
        raise DeployError(
            f"the recipe would replace {listed}, which hold lines of your own; nothing was changed",
            hint=f"review them (--dry-run shows the diff), then run again with --set overwrite={listed}",
        )
    console.line()
    question = f"Replace {listed} with the recipe's version, dropping the lines above? [y/N] "
    answer = confirm(question)
    console.log_only(f"{question}{'yes' if answer else 'no'}")
    return answer


def _running(progress: _Progress, stays: str, command: str) -> None:
    progress.state = (
        f"{stays}; `{command}` was running, so the platform may hold part of what it does "
        "(the commands before it finished)"
    )


def _dry_run(prepared: Prepared, console: Console) -> DeployResult:
    request, plan, mode = prepared.request, prepared.plan, prepared.mode
    report_header(console, plan, mode)
    dirty = dirty_state(prepared.context)
    if dirty and not request.allow_dirty:
        console.line(
            f"Warning: {dirty[0].strip()}{' and more' if len(dirty) > 1 else ''}: a real run would stop "
            "until the tree is clean (or --allow-dirty is given).",
            "warning",
        )
    configures = mode.phase == "setup"
    report_actions(console, plan.actions, files_only=not configures)
    if configures:
        report_conflicts(console, plan.conflicts)
        report_diff(console, plan.actions)
    title = "Commands it would run" if mode.flag else "Commands to run"
    report_commands(console, plan.runs_in(mode.phase), prepared.values, title=f"{title}, in this order:")
    report_notes(console, plan.notes)
    console.line()
    console.line("Dry run: nothing was written, nothing was run.", "success")
    return DeployResult(mode, plan.actions)


def _confirmed(
    console: Console, confirm: Confirm | None, plan: Plan, mode: Mode, count: int, env: Mapping[str, str]
) -> bool:
    title = plan.resolution.recipe.title + describe_target(plan.resolution.recipe.target, env)
    plural = "s" * (count != 1)
    if mode.writes:
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
    console.log_only(f"mode: {request.mode.name}; project: {plan.root}")
    for name, value in sorted(plan.resolution.values.items()):
        console.log_only(f"value {name} = {value}")
