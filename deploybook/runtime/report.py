"""What a deploy tells the user: the per-step report, the commands, the diff, the messages."""

from __future__ import annotations

import shlex
from collections.abc import Callable

from deploybook.compiler import ResolvedCommand, ResolvedRun
from deploybook.runtime.actions import Action
from deploybook.runtime.modes import Mode
from deploybook.runtime.output import Console
from deploybook.runtime.plan import Plan
from deploybook.runtime.ssh import SSH_VARIABLES
from deploybook.runtime.values import DeployValues, placeholder

__all__ = [
    "command_text",
    "input_lines",
    "report_actions",
    "report_commands",
    "report_diff",
    "report_header",
    "report_notes",
    "runnable_lines",
]

_STATUS_ROLE = {
    "create": "create",
    "update": "update",
    "replace": "update",
    "conflict": "error",
    "identical": "identical",
    "skip": "skip",
}
_MODE_TEXT = {
    "config": "configuration only: nothing on the platform is contacted or created",
    "automate": "--automate-all: configure, commit, then run the platform commands",
    "redeploy": "--redeploy: run the commands that deploy the committed project again",
    "rollback": "--rollback: run the commands that go back to the release before",
}


def command_text(run: ResolvedRun, argv: tuple[str, ...], redact: Callable[[str], str] = str) -> str:
    """The command as the user would type it. Secrets are hidden word by word, before quoting,
    so that quoting a secret (say, one with a quote in it) cannot split it past the redaction."""
    text = shlex.join(redact(word) for word in argv)
    return f"{text}    (on the server, over ssh)" if run.step.where == "ssh" else text


def input_lines(command: ResolvedCommand, redact: Callable[[str], str] = str) -> list[str]:
    """A command's standard input as the page writes it: a quoted here-document, or nothing."""
    return list(command.here_document(redact))


def runnable_lines(run: ResolvedRun, command: ResolvedCommand, redact: Callable[[str], str] = str) -> list[str]:
    """The command as the user would paste it into a shell: with its here-document, if any."""
    here = input_lines(command, redact)
    return [command_text(run, command.argv, redact) + (" " + here[0] if here else ""), *here[1:]]


def report_header(console: Console, plan: Plan, mode: Mode) -> None:
    resolution = plan.resolution
    recipe = resolution.recipe
    project = plan.context.project
    choices = ", ".join(f"{k}={v}" for k, v in resolution.choices.items())
    console.line(
        f"Recipe {recipe.id} ({recipe.title}, version {recipe.version}) for {project.project_name}"
        + (f": {choices}" if choices else ""),
        "heading",
    )
    console.line(("Dry run, " if mode.dry_run else "") + _MODE_TEXT[mode.name] + ".")
    console.line()


def report_actions(console: Console, actions: tuple[Action, ...], *, files_only: bool = False) -> None:
    for action in actions:
        if files_only and action.change is None:
            continue
        console.line("  " + action.describe(), _STATUS_ROLE[action.status])
    written = [a for a in actions if a.writes]
    if not written and not files_only:
        console.line()
        console.line("Every file is already as the recipe writes it: nothing to change.", "success")


def report_commands(console: Console, runs: tuple[ResolvedRun, ...], values: DeployValues, *, title: str) -> None:
    commands = [(run, command) for run in runs for command in run.commands]
    if not commands:
        return
    console.line()
    console.line(title, "heading")
    for run, command in commands:
        here = input_lines(command, console.redact)
        console.line(
            "    " + command_text(run, command.argv, console.redact) + (" " + here[0] if here else ""), "command"
        )
        for line in here[1:]:
            console.line("    " + line, "command")
    used = {word for _, command in commands for word in (*command.argv, command.stdin or "")}
    explained = []
    for name in sorted(values.placeholders):
        shown = placeholder(name)
        if not any(shown in word for word in used):
            continue
        variable = values.recipe.variable(name)
        if name in values.captures:
            step = values.captures[name]
            source = next(
                (shlex.join(r.commands[0].argv) for r in runs if r.step.id == step.id and r.commands), step.id
            )
            explained.append(f"  {shown}: printed by `{source}` (step {step.id}); --automate-all reads it for you")
        elif variable is not None and variable.generate == "secret":
            explained.append(
                f'  {shown}: a new secret; make one with `python -c "import secrets; print(secrets.token_urlsafe(50))"`'
            )
    for line in explained:
        console.line(line)
    if any(run.step.where == "ssh" for run, _ in commands):
        declared = [name for name in SSH_VARIABLES if values.recipe.variable(name)]
        console.line(f"  ssh commands connect with: {', '.join(declared) or 'host'}")


def report_diff(console: Console, actions: tuple[Action, ...]) -> None:
    from deploybook.runtime.diff import file_changes, unified_diff  # dry runs only

    changes = file_changes(actions)
    if not changes:
        return
    console.line()
    console.line("The change, as `git diff` will show it:", "heading")
    for change in changes:
        for line in unified_diff(change):
            role = ""
            if line.startswith("@@"):
                role = "diff-hunk"
            elif line.startswith("+") and not line.startswith("+++"):
                role = "diff-add"
            elif line.startswith("-") and not line.startswith("---"):
                role = "diff-remove"
            console.line(line, role)


def report_conflicts(console: Console, conflicts: tuple[Action, ...]) -> None:
    """What a conflict would drop, and how to let the recipe replace the file."""
    if not conflicts:
        return
    console.line()
    console.line("Conflicts: the recipe writes these files whole, and they hold lines of your own:", "heading")
    for action in conflicts:
        assert action.change is not None
        lost = action.change.lost_lines()
        console.line(f"  {action.target} ({action.span}), which would lose:", "warning")
        for line in lost[:5]:
            console.line(f"      {line}")
        if len(lost) > 5:
            console.line(f"      ... and {len(lost) - 5} more line(s)")
    allow = f"--set overwrite={overwrite_value(conflicts)}"
    console.line(f"  Keep a copy of what you need, then let the recipe replace them with {allow}")


def overwrite_value(conflicts: tuple[Action, ...]) -> str:
    return ",".join(action.target for action in conflicts)


def report_notes(console: Console, notes: tuple[str, ...]) -> None:
    if not notes:
        return
    console.line()
    console.line("Notes:", "heading")
    for note in notes:
        console.line(f"  - {note}", "warning")


def report_messages(console: Console, messages: tuple[str, ...]) -> None:
    for message in messages:
        console.line()
        console.line(message)
