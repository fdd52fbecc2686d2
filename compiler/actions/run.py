"""`action="run"`: platform commands, run by --automate-all (phase="setup") or --redeploy."""

from __future__ import annotations

from deploybook.records import record

from ..ir import Command, Fill, Step
from ..names import NAME
from ..source import SourceSpan
from .base import ActionSpec, ResolvedCommands, StepReader, fill_commands

__all__ = ["ACTION", "PHASES", "Capture", "ResolvedRun", "RunCommands"]

KEYS = frozenset({"run", "capture", "phase"})
PHASES = ("setup", "redeploy", "rollback")
WHERE = ("local", "ssh")
CONSOLE_LANGS = {"console", "shell-session"}


@record
class Capture:
    """`capture="name=path"`: read `name` from the JSON a command prints, at a dotted path.

    A part is a key, a list index, or `[key=value]`: the first item of a list whose `key` is
    `value` (placeholders allowed), so that a list of clusters yields the one the recipe made.
    """

    variable: str
    path: tuple[str, ...]
    span: SourceSpan


def split_capture_path(text: str) -> tuple[str, ...] | None:
    """The parts of a capture path, dots inside `[...]` kept; None when it is malformed."""
    parts: list[str] = []
    current = ""
    depth = 0
    for char in text:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth < 0:
                return None
        if char == "." and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    if depth != 0 or not all(parts):
        return None
    for part in parts:
        if part.startswith("[") and not (part.endswith("]") and "=" in part and part.index("=") > 1):
            return None
    return tuple(parts)


@record
class RunCommands(Step):
    """Commands for the platform, shown for the reader to run and run by the deploy modes."""

    where: str
    """"local", or "ssh": on the server, over SSH."""
    run_phase: str
    """"setup": run by --automate-all; "redeploy": run by --redeploy, after a change;
    "rollback": run by --rollback, to go back to the release before."""
    commands: tuple[Command, ...]
    capture: Capture | None

    @property
    def phase(self) -> str:
        return self.run_phase

    def page_note(self) -> str:
        if self.where == "ssh":
            return "run these on the server, or let `--automate-all` run them over SSH"
        return "run these yourself, or let `--automate-all` run them"

    def page_changes(self) -> tuple[tuple[str, str], ...]:
        return tuple((self.where, command.text) for command in self.commands)

    def templated_texts(self) -> tuple[str, ...]:
        filters = self.capture.path if self.capture is not None and self.template else ()
        # (Step.templated_texts by name: zero-argument super() fails in a slots dataclass.)
        return (*Step.templated_texts(self), *filters)

    def resolve(self, fill: Fill) -> ResolvedRun:
        body = self.body_fill(fill)
        path = tuple(body(part) for part in self.capture.path) if self.capture is not None else ()
        return ResolvedRun(self, fill_commands(self.commands, body), path)


@record
class ResolvedRun(ResolvedCommands):
    step: RunCommands
    capture_path: tuple[str, ...] = ()
    """The capture's path with its placeholders filled in."""

    @property
    def reason(self) -> str:
        if self.step.phase == "redeploy":
            return "run by --redeploy"
        return "over ssh, run by --automate-all" if self.step.where == "ssh" else "run by --automate-all"

    def headline(self) -> str:
        return f"run ({self.step.where})"


def read(reader: StepReader) -> RunCommands:
    commands, complete = console_commands(reader)
    where = reader.attrs.get("run", "local")
    if where not in WHERE:
        reader.report("DB116", "run", f'run must be "local" or "ssh", not {where!r}', 'write run="local" or run="ssh"')
    phase = reader.attrs.get("phase", "setup")
    if phase not in PHASES:
        reader.report(
            "DB116",
            "phase",
            "phase must be " + " or ".join(f'"{name}"' for name in PHASES) + f", not {phase!r}",
            'write phase="redeploy"',
        )
    return RunCommands(reader.header, where, phase, commands, _capture(reader, len(commands) if complete else None))


def console_commands(reader: StepReader) -> tuple[tuple[Command, ...], bool]:
    """The body's commands, and whether every one was read (a refused one is left out)."""
    lang = reader.header.lang
    if lang not in CONSOLE_LANGS:
        shown = repr(lang) if lang else "one without a language"
        reader.report(
            "DB407",
            None,
            f'action="{reader.header.action}" needs a console block, not {shown}',
            "write ```console and start each command with '$ '",
        )
    errors_before = reader.error_count()
    commands = reader.commands()
    return commands, reader.error_count() == errors_before


def _capture(reader: StepReader, count: int | None) -> Capture | None:
    text = reader.attrs.get("capture")
    if text is None:
        return None
    name, sep, path = text.partition("=")
    parts = split_capture_path(path) if sep else None
    if not sep or not NAME.match(name) or parts is None:
        reader.report(
            "DB406",
            "capture",
            f"cannot read capture={text!r}",
            'write capture="variable=json.path", e.g. capture="app_url=web_url" or '
            'capture="db_id=[name={{ app_name }}-db].id"',
        )
        return None
    # A refused command is not counted; counting then would add a wrong DB406.
    if count is not None and count != 1:
        reader.report(
            "DB406",
            "capture",
            "capture= needs a block with exactly one command",
            "move the command whose output you capture into its own block",
        )
        return None
    return Capture(name, parts, reader.span_of("capture"))


ACTION = ActionSpec("run", KEYS, read, rows=(("local", "Platform commands"), ("ssh", "Commands on the server (SSH)")))
