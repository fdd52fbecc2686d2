"""`action="processes"`: the platform's build, release and web commands, in its own shell."""

from __future__ import annotations

from deploybook.records import record

from ..ir import Fill, Step
from .base import ActionSpec, Redact, Resolved, StepReader

__all__ = ["ACTION", "PROCESS_NAMES", "Processes", "ResolvedProcesses"]

KEYS: frozenset[str] = frozenset()
PROCESS_NAMES = ("build", "release", "web")


@record
class Processes(Step):
    """What the platform runs for this app. Rehearsal runs the same commands locally."""

    commands: tuple[tuple[str, str], ...]

    def page_note(self) -> str:
        return "the platform runs these"

    def resolve(self, fill: Fill) -> ResolvedProcesses:
        body = self.body_fill(fill)
        return ResolvedProcesses(self, tuple((name, body(command)) for name, command in self.commands))


@record
class ResolvedProcesses(Resolved):
    step: Processes
    commands: tuple[tuple[str, str], ...]
    """(name, command): build, release and web, in the platform's shell."""

    def describe(self, redact: Redact) -> str:
        return "platform processes: " + ", ".join(name for name, _ in self.commands)

    @property
    def reason(self) -> str:
        return "the platform runs them"

    def headline(self) -> str:
        return "platform processes"

    def body_lines(self) -> tuple[str, ...]:
        return tuple(f"{name}: {command}" for name, command in self.commands)


def read(reader: StepReader) -> Processes:
    found: dict[str, str] = {}
    for offset, line in reader.lines():
        name, sep, command = line.partition(":")
        if not sep or name not in PROCESS_NAMES or not command.strip():
            reader.report_line(
                "DB409",
                offset,
                f"not a 'name: command' line: {line!r}",
                f"write one process a line; names: {', '.join(PROCESS_NAMES)}",
            )
        elif name in found:
            reader.report_line("DB409", offset, f"process '{name}' is given twice", "keep one line for it")
        else:
            found[name] = command.strip()
    if "web" not in found:
        reader.report(
            "DB409",
            "action",
            "the processes block has no 'web' process",
            "add web: COMMAND (the command that serves HTTP)",
        )
    return Processes(reader.header, tuple(found.items()))


ACTION = ActionSpec("processes", KEYS, read)
