"""What every action module provides, and what the modules share.

An action module (write.py, run.py, ...) holds everything about one `action="..."`: the fence
keys it adds (`KEYS`), the typed step it reads the fence into (a subclass of `Step`, with its
page note and its rows in the page's table of changes), the resolved form of that step (a
subclass of `Resolved`, which describes itself for reports), and the `read` function that
parses the fence body. It registers itself with one `ActionSpec` in `compiler/actions/__init__.py`.

The runtime acts on resolved steps by what they can do, not by action name: a `ResolvedFile`
changes one repository file, `ResolvedCommands` are console commands, and the few other
capabilities are the classes their modules define (requirements, messages). So a new action
that writes a file, or runs commands, needs nothing outside its own module.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from deploybook.records import record

from ..ir import Command, Step, StepHeader
from ..source import SourceSpan

if TYPE_CHECKING:
    from ..diagnostics import Diagnostics

__all__ = [
    "ActionSpec",
    "Redact",
    "Resolved",
    "ResolvedCommand",
    "ResolvedCommands",
    "ResolvedFile",
    "StepReader",
]

Redact = Callable[[str], str]
"""Hides secret values in a text that is about to be shown or logged."""

_SHORT = 72  # a report line shows this much of a command; the full one is listed elsewhere


class StepReader:
    """What an action's `read` gets: the step's header, its own fence keys, and a way to report
    each problem at the key or body line it is about."""

    def __init__(
        self,
        diagnostics: Diagnostics,
        header: StepHeader,
        attrs: Mapping[str, str],
        at: Callable[[str | None], SourceSpan],
    ) -> None:
        self.diagnostics = diagnostics
        self.header = header
        self.attrs = attrs
        self._at = at

    @property
    def body(self) -> str:
        return self.header.body

    def span_of(self, key: str | None) -> SourceSpan:
        """Where fence key `key` is on the opening line (None: where the fence's info starts)."""
        return self._at(key)

    def report(self, code: str, key: str | None, message: str, hint: str) -> None:
        """A problem with fence key `key` (None: the fence itself), reported at the key."""
        self.diagnostics.add(code, self._at(key), message, hint)

    def line_span(self, offset: int, col: int = 1) -> SourceSpan:
        """Where line `offset` (0-based) of the body is in the file."""
        return self.header.span.at(self.header.span.line + 1 + offset, col)

    def report_line(self, code: str, offset: int, message: str, hint: str, col: int = 1) -> None:
        self.diagnostics.add(code, self.line_span(offset, col), message, hint)

    def lines(self) -> Iterator[tuple[int, str]]:
        """The body's lines that say something, stripped, with their 0-based offsets: blank
        lines and `#` comments are left out."""
        for offset, raw in enumerate(self.body.split("\n")):
            line = raw.strip()
            if line and not line.startswith("#"):
                yield offset, line

    def commands(self) -> tuple[Command, ...]:
        """The body as a console block: commands (argv) with the output the page shows."""
        # Imported here: only compiling reads console blocks, and a deploy of a cached recipe
        # should not build the parser's types (see the compiler package's _LAZY).
        from ..console import parse_console

        parsed, problems = parse_console(self.body)
        for problem in problems:
            self.report_line(problem.code, problem.line, problem.message, problem.hint, problem.col + 1)
        return tuple(Command(p.argv, p.expected, self.line_span(p.line), p.text, p.stdin, p.lines) for p in parsed)

    def error_count(self) -> int:
        return self.diagnostics.error_count


@record
class ActionSpec:
    """One entry of the action registry."""

    name: str
    """The `action="..."` value."""
    keys: frozenset[str]
    """The fence keys this action takes besides the ones every step has."""
    read: Callable[[StepReader], Step]
    """Reads the fence into the action's step; problems go to the reader, at their place."""
    rows: tuple[tuple[str, str], ...] = ()
    """(kind, heading) of the rows its steps add to the page's "What this recipe changes"."""


@record
class ResolvedCommand:
    """A console command with its placeholders filled in; `command` is the one on the page."""

    argv: tuple[str, ...]
    expected: tuple[str, ...]
    command: Command
    stdin: str | None = None
    """What the command reads on standard input (a here-document on the page), filled in."""

    def display(self) -> str:
        return shlex.join(self.argv)

    def here_document(self, redact: Redact = str) -> tuple[str, ...]:
        """Its standard input as the page writes it, a quoted here-document; () for none."""
        if self.stdin is None:
            return ()
        return ("<<'EOF'", *redact(self.stdin).rstrip("\n").split("\n"), "EOF")


@record
class Resolved:
    """A step of the chosen variant with every placeholder filled in, ready to act on."""

    step: Step

    def describe(self, redact: Redact) -> str:
        """What the step is about, for the deploy report's line of it (a file, or a summary)."""
        raise NotImplementedError

    @property
    def reason(self) -> str:
        """Why the deploy itself does not act on it (shown beside a `skip`); "" when it does."""
        return ""

    def headline(self) -> str:
        """`deploybook show`'s head line for it, such as "write Procfile" or "run (ssh)"."""
        raise NotImplementedError

    def body_lines(self) -> tuple[str, ...]:
        """What `deploybook show` prints under the head line."""
        raise NotImplementedError


@record
class ResolvedFile(Resolved):
    """A step that changes one file of the repository: `edit` gives the file's new bytes."""

    file: str
    """The path as the recipe wrote it, placeholders filled in (the runtime normalises it)."""
    text: str
    """The body, placeholders filled in."""

    @property
    def mode(self) -> int | None:
        """The file mode to set, None to keep the file's own (0644 for a new file)."""
        return None

    @property
    def replaces(self) -> bool:
        """Whether the step writes the whole file, so that an existing file's own lines may be
        lost (an `append` only replaces its own block)."""
        return False

    def edit(self, before: bytes | None, recipe_id: str) -> bytes:
        """The file's new bytes, given its bytes now (None: it does not exist yet)."""
        raise NotImplementedError

    def describe(self, redact: Redact) -> str:
        return self.file

    def body_lines(self) -> tuple[str, ...]:
        return tuple(self.text.rstrip("\n").split("\n"))


@record
class ResolvedCommands(Resolved):
    """A step whose body is console commands, placeholders filled in word by word."""

    commands: tuple[ResolvedCommand, ...]

    def describe(self, redact: Redact) -> str:
        # Redacted word by word before quoting, so quoting cannot split a secret.
        first = shlex.join(redact(word) for word in self.commands[0].argv) if self.commands else ""
        if len(first) > _SHORT:  # the full command is in the list of commands (or on the page)
            first = first[: _SHORT - 3] + "..."
        more = len(self.commands) - 1
        return f"{self.step.action}: {first}" + (f" (+{more} more)" if more > 0 else "")

    def body_lines(self) -> tuple[str, ...]:
        lines: list[str] = []
        for command in self.commands:
            here = command.here_document()
            lines.append("$ " + display_argv(command.argv) + (" " + here[0] if here else ""))
            lines += here[1:]
        return tuple(lines)


def display_argv(argv: tuple[str, ...]) -> str:
    """A command as a person would type it; unresolved placeholders are left readable."""
    return " ".join(word if word.startswith("{{") and word.endswith("}}") else shlex.quote(word) for word in argv)


def fill_commands(commands: tuple[Command, ...], fill: Callable[[str], str]) -> tuple[ResolvedCommand, ...]:
    """Each argv word filled on its own, so a value is always exactly one argument: the
    equivalent of shell-quoting it, with no shell involved."""
    return tuple(
        ResolvedCommand(
            tuple(fill(word) for word in c.argv),
            tuple(fill(line) for line in c.expected),
            c,
            fill(c.stdin) if c.stdin is not None else None,
        )
        for c in commands
    )
