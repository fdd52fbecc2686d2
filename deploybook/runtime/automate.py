"""Running a recipe's platform commands in page order, exactly as the page shows them.

Each step is resolved again before it runs, so a value an earlier command printed
(`capture=`) is filled in; generated secrets are pinned so they stay the same throughout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from deploybook.compiler import Resolution, ResolvedCommand, ResolvedRun
from deploybook.errors import CommandFailed
from deploybook.runtime.capture import CaptureError, capture_value
from deploybook.runtime.output import Console
from deploybook.runtime.process import run_streaming
from deploybook.runtime.report import command_text, input_lines, runnable_lines
from deploybook.runtime.ssh import SSH_VARIABLES, connection_values, ssh_argv
from deploybook.runtime.values import DeployValues, placeholder

__all__ = ["CommandRunner", "local_argv"]


def local_argv(run: ResolvedRun, command: ResolvedCommand, values: Mapping[str, str]) -> tuple[str, ...]:
    """The argv to execute on this machine for one command of a run step."""
    return ssh_argv(command, values) if run.step.where == "ssh" else command.argv


@dataclass
class CommandRunner:
    values: DeployValues
    resolution: Resolution
    root: Path
    environ: Mapping[str, str]
    console: Console
    captured: dict[str, str] = field(default_factory=dict)
    ran: list[tuple[str, ...]] = field(default_factory=list)
    remaining: list[tuple[ResolvedRun, ResolvedCommand]] = field(default_factory=list)
    """The commands not finished yet (the running one first), as the user would run them."""

    def __post_init__(self) -> None:
        # Generated secrets are made once; every later resolution must reuse them.
        self.pinned = {
            v.name: self.resolution.values[v.name]
            for v in self.values.recipe.variables
            if v.generate and v.name in self.resolution.values
        }

    def run_all(self, runs: tuple[ResolvedRun, ...], *, on_start: Callable[[str], None] | None = None) -> None:
        """Run every command of `runs`; `on_start` hears each one's text as it starts."""
        self.remaining = [(run, command) for run in runs for command in run.commands]
        for index, run in enumerate(runs):
            current = self._current(run)
            for number, command in enumerate(current.commands):
                self.remaining = self._left(current, number, runs[index + 1 :])
                if on_start is not None:
                    on_start(command_text(current, command.argv, self.resolution.redact))
                output = self._run_one(current, command)
                if current.step.capture is not None:
                    self._capture(current, command, output)
        self.remaining = []

    def _current(self, run: ResolvedRun) -> ResolvedRun:
        """The step as resolved now, with the values captured so far."""
        return next((s for s in self.resolution.of_kind(ResolvedRun) if s.step.id == run.step.id), run)

    def _left(
        self, run: ResolvedRun, number: int, later: tuple[ResolvedRun, ...]
    ) -> list[tuple[ResolvedRun, ResolvedCommand]]:
        upcoming = [self._current(r) for r in later]
        return [(run, c) for c in run.commands[number:]] + [(r, c) for r in upcoming for c in r.commands]

    def _run_one(self, run: ResolvedRun, command: ResolvedCommand) -> str:
        self._refuse_unknown(run, command)
        argv = local_argv(run, command, self._ssh_values() if run.step.where == "ssh" else {})
        self.console.line()
        shown = command_text(run, command.argv, self.resolution.redact)
        here = input_lines(command, self.resolution.redact)
        self.console.line(f"$ {shown}{' ' + here[0] if here else ''}    [{run.step.id}]", "command")
        for line in here[1:]:
            self.console.line(f"  {line}", "command")
        done = run_streaming(
            argv,
            cwd=self.root,
            env=self.environ,
            on_line=lambda line: self.console.line(f"    {line}", "output"),
            stdin=command.stdin,
        )
        self.ran.append(command.argv)
        if done.returncode != 0:
            raise CommandFailed(self._failure(run, command, done.returncode, done.output), hint="")
        return done.stdout

    def _refuse_unknown(self, run: ResolvedRun, command: ResolvedCommand) -> None:
        """A `<name>` stand-in must never reach a platform: stop if a value is still unknown."""
        for name in sorted(self.values.placeholders - set(self.captured)):
            if any(placeholder(name) in word for word in command.argv):
                source = self.values.captures.get(name)
                why = f"step '{source.id}' captures it during --automate-all" if source else "nothing gives it"
                raise CommandFailed(
                    f"step '{run.step.id}' needs {{{{ {name} }}}}, which is not known ({why})",
                    hint=f"give it with --set {name}=VALUE",
                    location=run.step.span,
                )

    def _capture(self, run: ResolvedRun, command: ResolvedCommand, stdout: str) -> None:
        capture = run.step.capture
        assert capture is not None
        try:
            value = capture_value(stdout, run.capture_path)
        except CaptureError as error:
            raise CommandFailed(
                f"cannot read {capture.variable} from the output of "
                f"`{command_text(run, command.argv, self.resolution.redact)}`: {error}",
                hint="the platform's CLI may have changed its output; report it to the recipe's authors, "
                f"and give the value with --set {capture.variable}=VALUE meanwhile",
                location=run.step.span,
            ) from None
        self.captured[capture.variable] = value
        self.resolution = self.values.resolve(self.captured, keep=self.pinned)
        self.console.line(f"    -> {capture.variable} = {value}", "success")

    def _ssh_values(self) -> dict[str, str]:
        recipe = self.values.recipe
        declared = {}
        for name in SSH_VARIABLES:
            variable = recipe.variable(name)
            if variable is not None:
                default = variable.default if variable.default and "{{" not in variable.default else None
                declared[name] = (variable.env, default)
        return connection_values(self.resolution.values, declared, self.environ, self.values.given)

    def _failure(self, run: ResolvedRun, command: ResolvedCommand, code: int, output: tuple[str, ...]) -> str:
        lines = [
            f"`{command_text(run, command.argv, self.resolution.redact)}` failed with exit status {code} "
            f"(step {run.step.id}, {command.command.span})."
        ]
        shown = output[-40:]
        if shown:
            lines.append("Its output" + (" (the end of it)" if len(output) > len(shown) else "") + ":")
            lines += [f"    {line}" for line in shown]
        else:
            lines.append("It printed nothing.")
        lines.append("")
        lines.append("Fix the problem it reports, then run the remaining commands yourself, in this order:")
        redact = self.resolution.redact
        lines += [f"    {line}" for r, command in self.remaining for line in runnable_lines(r, command, redact)]
        text = self.resolution.redact("\n".join(lines))
        if "********" in text:
            text += "\n(******** stands for a secret value, which deploybook never prints: use your own.)"
        return text
