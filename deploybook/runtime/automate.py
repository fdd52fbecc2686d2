"""Running a recipe's platform commands in page order, exactly as the page shows them.

Each step is resolved again before it runs, so a value an earlier command printed
(`capture=`) is filled in; generated secrets are pinned so they stay the same throughout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from deploybook.compiler import Resolution, ResolvedCommand
from deploybook.runtime.actions import RunAction
from deploybook.runtime.capture import CaptureError, capture_value
from deploybook.runtime.errors import CommandFailed
from deploybook.runtime.output import Console
from deploybook.runtime.process import run_streaming
from deploybook.runtime.report import command_text
from deploybook.runtime.ssh import SSH_VARIABLES, connection_values, ssh_argv
from deploybook.runtime.values import DeployValues, placeholder

__all__ = ["CommandRunner", "local_argv"]


def local_argv(run: RunAction, command: ResolvedCommand, values: Mapping[str, str]) -> tuple[str, ...]:
    """The argv to execute on this machine for one command of a run step."""
    return ssh_argv(command, values) if run.where == "ssh" else command.argv


@dataclass
class CommandRunner:
    values: DeployValues
    resolution: Resolution
    root: Path
    environ: Mapping[str, str]
    console: Console
    captured: dict[str, str] = field(default_factory=dict)
    ran: list[tuple[str, ...]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Generated secrets are made once; every later resolution must reuse them.
        self.pinned = {
            v.name: self.resolution.values[v.name]
            for v in self.values.recipe.variables
            if v.generate and v.name in self.resolution.values
        }

    def run_all(self, runs: tuple[RunAction, ...]) -> None:
        for index, run in enumerate(runs):
            current = self._current(run)
            for number, command in enumerate(current.commands):
                output = self._run_one(current, command, runs[index:], number)
                if current.capture is not None:
                    self._capture(current, command, output)

    def _current(self, run: RunAction) -> RunAction:
        for resolved in self.resolution.steps:
            if resolved.step.id == run.step_id:
                return RunAction(run.step_id, run.span, run.where, run.phase, resolved.commands, run.capture)
        return run

    def _run_one(self, run: RunAction, command: ResolvedCommand, remaining: tuple[RunAction, ...], number: int) -> str:
        self._refuse_unknown(run, command)
        argv = local_argv(run, command, self._ssh_values() if run.where == "ssh" else {})
        self.console.line()
        self.console.line(f"$ {command_text(run, command.argv, self.resolution.redact)}    [{run.step_id}]", "command")
        done = run_streaming(
            argv, cwd=self.root, env=self.environ, on_line=lambda line: self.console.line(f"    {line}", "output")
        )
        self.ran.append(command.argv)
        if done.returncode != 0:
            raise CommandFailed(self._failure(run, command, done.returncode, done.output, remaining, number), hint="")
        return done.stdout

    def _refuse_unknown(self, run: RunAction, command: ResolvedCommand) -> None:
        """A `<name>` stand-in must never reach a platform: stop if a value is still unknown."""
        for name in sorted(self.values.placeholders - set(self.captured)):
            if any(placeholder(name) in word for word in command.argv):
                source = self.values.captures.get(name)
                why = f"step '{source.id}' captures it during --automate-all" if source else "nothing gives it"
                raise CommandFailed(
                    f"{run.span}: step '{run.step_id}' needs {{{{ {name} }}}}, which is not known ({why})",
                    hint=f"give it with --set {name}=VALUE",
                )

    def _capture(self, run: RunAction, command: ResolvedCommand, stdout: str) -> None:
        assert run.capture is not None
        step = self.values.captures[run.capture]
        try:
            value = capture_value(stdout, step.capture.path if step.capture else ())
        except CaptureError as error:
            raise CommandFailed(
                f"{run.span}: cannot read {run.capture} from the output of "
                f"`{command_text(run, command.argv, self.resolution.redact)}`: {error}",
                hint="the platform's CLI may have changed its output; report it to the recipe's authors, "
                f"and give the value with --set {run.capture}=VALUE meanwhile",
            ) from None
        self.captured[run.capture] = value
        self.resolution = self.values.resolve(self.captured, keep=self.pinned)
        self.console.line(f"    -> {run.capture} = {value}", "success")

    def _ssh_values(self) -> dict[str, str]:
        recipe = self.values.recipe
        declared = {}
        for name in SSH_VARIABLES:
            variable = recipe.variable(name)
            if variable is not None:
                default = variable.default if variable.default and "{{" not in variable.default else None
                declared[name] = (variable.env, default)
        return connection_values(self.resolution.values, declared, self.environ, self.values.given)

    def _failure(
        self,
        run: RunAction,
        command: ResolvedCommand,
        code: int,
        output: tuple[str, ...],
        remaining: tuple[RunAction, ...],
        number: int,
    ) -> str:
        lines = [
            f"`{command_text(run, command.argv, self.resolution.redact)}` failed with exit status {code} "
            f"(step {run.step_id}, {command.command.span})."
        ]
        shown = output[-40:]
        if shown:
            lines.append("Its output" + (" (the end of it)" if len(output) > len(shown) else "") + ":")
            lines += [f"    {line}" for line in shown]
        else:
            lines.append("It printed nothing.")
        later = [self._current(r) for r in remaining[1:]]
        left = [(run, c) for c in run.commands[number:]] + [(r, c) for r in later for c in r.commands]
        lines.append("")
        lines.append("Fix the problem it reports, then run the remaining commands yourself, in this order:")
        lines += [f"    {command_text(r, c.argv, self.resolution.redact)}" for r, c in left]
        text = self.resolution.redact("\n".join(lines))
        if "********" in text:
            text += "\n(******** stands for a secret value, which deploybook never prints: use your own.)"
        return text
