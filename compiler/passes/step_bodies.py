"""Reading one step fence into its typed IR object: the action's keys and its body."""

from __future__ import annotations

import re
from collections.abc import Callable

from packaging.requirements import InvalidRequirement, Requirement

from ..console import parse_console
from ..ir import (
    PHASES,
    PROCESS_NAMES,
    AddRequirements,
    AppendBlock,
    Capture,
    Command,
    Condition,
    EnvVars,
    Message,
    Processes,
    RunCommands,
    Step,
    TestCommands,
    WriteFile,
)
from ..source import SourceSpan
from ..template import has_placeholders
from ..unit import FenceBlock, Unit
from .front_matter import ENV_NAME, NAME

CONSOLE_LANGS = {"console", "shell-session"}


class StepReader:
    def __init__(
        self,
        unit: Unit,
        block: FenceBlock,
        lang: str,
        attrs: dict[str, str],
        at: Callable[[str | None], SourceSpan],
    ) -> None:
        self.unit, self.block, self.lang, self.attrs, self.at = unit, block, lang, attrs, at
        self.body_line = block.span.line + 1  # the line of the body's first line

    def report(self, code: str, key: str | None, message: str, hint: str) -> None:
        self.unit.diagnostics.add(code, self.at(key), message, hint)

    def read(self, section: str) -> Step | None:
        attrs, action = self.attrs, self.attrs["action"]
        if action in ("write", "append") and not attrs.get("file"):
            self.report(
                "DB104",
                "action",
                f'action="{action}" needs file=',
                'name the file from the project root, e.g. file="Procfile"',
            )
        template = attrs.get("template", "on")
        if template not in ("on", "off"):
            self.report(
                "DB116",
                "template",
                f'template must be "on" or "off", not {template!r}',
                'write template="off" to keep {{ }} as it is',
            )
        common = {
            "id": attrs["step"],
            "action": action,
            "span": self.block.span,
            "section": section,
            "when": self.when(attrs.get("when")),
            "lang": self.lang,
            "title": attrs.get("title"),
            "label": attrs.get("label"),
            "body": self.block.body,
            "template": template != "off",
        }
        body = self.block.body
        if action == "write":
            return WriteFile(**common, file=attrs.get("file", ""), mode=self.mode(attrs.get("mode")))  # type: ignore[arg-type]
        if action == "append":
            return AppendBlock(**common, file=attrs.get("file", ""))  # type: ignore[arg-type]
        if action == "requirements":
            return AddRequirements(**common, requirements=self.requirements(body))  # type: ignore[arg-type]
        if action == "env":
            return EnvVars(**common, pairs=self.env(body))  # type: ignore[arg-type]
        if action == "processes":
            return Processes(**common, commands=self.processes(body))  # type: ignore[arg-type]
        if action == "message":
            if not body.strip():
                self.report("DB408", "action", "the message is empty", "write what the user should do next")
            return Message(**common)  # type: ignore[arg-type]
        if self.lang not in CONSOLE_LANGS:
            shown = repr(self.lang) if self.lang else "one without a language"
            self.report(
                "DB407",
                None,
                f'action="{action}" needs a console block, not {shown}',
                "write ```console and start each command with '$ '",
            )
        errors_before = self.unit.diagnostics.error_count
        commands = self.commands(body)
        # A refused command is not in `commands`; counting them then would add a wrong DB406.
        written = None if self.unit.diagnostics.error_count > errors_before else len(commands)
        if action == "test":
            return TestCommands(**common, commands=commands)  # type: ignore[arg-type]
        where = attrs.get("run", "local")
        if where not in ("local", "ssh"):
            self.report(
                "DB116",
                "run",
                f'run must be "local" or "ssh", not {where!r}',
                'write run="local" or run="ssh"',
            )
        phase = attrs.get("phase", "setup")
        if phase not in PHASES:
            self.report(
                "DB116", "phase", f'phase must be "setup" or "redeploy", not {phase!r}', 'write phase="redeploy"'
            )
        capture = self.capture(attrs.get("capture"), written)
        return RunCommands(**common, where=where, phase=phase, commands=commands, capture=capture)  # type: ignore[arg-type]

    def when(self, text: str | None) -> tuple[Condition, ...]:
        if text is None:
            return ()
        axes = {a.name: a for a in self.unit.header.axes}
        conditions = []
        # An empty when="" is a mistake, not "always": it reads as a missing term.
        for term in text.split() or [""]:
            name, sep, values = term.partition("=")
            choices = values.split("|")
            if not sep or not name or not all(choices):
                self.report(
                    "DB204",
                    "when",
                    f"cannot read when={text!r}",
                    'write when="axis=value"; several terms with spaces, alternatives with |',
                )
                return ()
            if name not in axes:
                known = ", ".join(axes) or "none declared"
                self.report(
                    "DB202",
                    "when",
                    f"unknown axis {name!r} in when=",
                    f"declare it under axes: in the front matter (known: {known})",
                )
                return ()
            wrong = [v for v in choices if v not in axes[name].values]
            if wrong:
                self.report(
                    "DB203",
                    "when",
                    f"axis '{name}' has no value {wrong[0]!r}",
                    f"its values are: {', '.join(axes[name].values)}",
                )
                return ()
            conditions.append(Condition(name, frozenset(choices)))
        return tuple(conditions)

    def mode(self, text: str | None) -> int | None:
        if text is None:
            return None
        if not re.fullmatch(r"0?[0-7]{3}", text):
            self.report("DB116", "mode", f"mode {text!r} is not an octal file mode", 'write mode="755"')
            return None
        return int(text, 8)

    def requirements(self, body: str) -> tuple[str, ...]:
        found = []
        for offset, raw in enumerate(body.split("\n")):
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            if not has_placeholders(line):
                try:
                    Requirement(line)
                except InvalidRequirement as error:
                    self.unit.diagnostics.add(
                        "DB404",
                        self.unit.span(self.body_line + offset),
                        f"not a PEP 508 requirement: {error}",
                        "write one requirement a line, e.g. gunicorn>=22",
                    )
                    continue
            found.append(line)
        if not found:
            self.report(
                "DB408",
                "action",
                "the requirements block lists no requirement",
                "write one PEP 508 requirement a line",
            )
        return tuple(found)

    def env(self, body: str) -> tuple[tuple[str, str], ...]:
        pairs = []
        for offset, raw in enumerate(body.split("\n")):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, value = line.partition("=")
            if not sep or not ENV_NAME.match(name):
                self.unit.diagnostics.add(
                    "DB405",
                    self.unit.span(self.body_line + offset),
                    f"not a NAME=value line: {line!r}",
                    "write one variable a line, e.g. DJANGO_DEBUG=false",
                )
                continue
            pairs.append((name, value))
        if not pairs:
            self.report("DB408", "action", "the env block sets no variable", "write NAME=value lines")
        return tuple(pairs)

    def processes(self, body: str) -> tuple[tuple[str, str], ...]:
        found: dict[str, str] = {}
        for offset, raw in enumerate(body.split("\n")):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, command = line.partition(":")
            span = self.unit.span(self.body_line + offset)
            if not sep or name not in PROCESS_NAMES or not command.strip():
                self.unit.diagnostics.add(
                    "DB409",
                    span,
                    f"not a 'name: command' line: {line!r}",
                    f"write one process a line; names: {', '.join(PROCESS_NAMES)}",
                )
            elif name in found:
                self.unit.diagnostics.add("DB409", span, f"process '{name}' is given twice", "keep one line for it")
            else:
                found[name] = command.strip()
        if "web" not in found:
            self.report(
                "DB409",
                "action",
                "the processes block has no 'web' process",
                "add web: COMMAND (the command that serves HTTP)",
            )
        return tuple(found.items())

    def commands(self, body: str) -> tuple[Command, ...]:
        parsed, problems = parse_console(body)
        for problem in problems:
            span = self.unit.span(self.body_line + problem.line, problem.col + 1)
            self.unit.diagnostics.add(problem.code, span, problem.message, problem.hint)
        return tuple(Command(p.argv, p.expected, self.unit.span(self.body_line + p.line), p.text) for p in parsed)

    def capture(self, text: str | None, count: int | None) -> Capture | None:
        if text is None:
            return None
        name, sep, path = text.partition("=")
        if not sep or not NAME.match(name) or not all(path.split(".")):
            self.report(
                "DB406",
                "capture",
                f"cannot read capture={text!r}",
                'write capture="variable=json.path", e.g. capture="app_url=web_url"',
            )
            return None
        if count is not None and count != 1:
            self.report(
                "DB406",
                "capture",
                "capture= needs a block with exactly one command",
                "move the command whose output you capture into its own block",
            )
            return None
        return Capture(name, tuple(path.split(".")), self.at("capture"))
