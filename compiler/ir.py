"""The recipe IR: small immutable objects, each carrying the SourceSpan it came from.

Text fields that may contain `{{ name }}` placeholders are kept as written; substitution
happens later, in `resolve`, once the user's choices and values are known.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .source import SourceSpan

__all__ = [
    "ACTIONS",
    "PROCESS_NAMES",
    "AddRequirements",
    "AppendBlock",
    "Axis",
    "Capture",
    "Command",
    "Condition",
    "EnvVars",
    "Message",
    "Processes",
    "Recipe",
    "RunCommands",
    "Section",
    "Step",
    "TestCommands",
    "Variable",
    "WriteFile",
]

ACTIONS = ("write", "append", "requirements", "env", "processes", "run", "test", "message")
PROCESS_NAMES = ("build", "release", "web")
PHASES = ("setup", "redeploy")


@dataclass(frozen=True, slots=True)
class Axis:
    """A choice the reader or user makes, such as `db`; the first value is the default."""

    name: str
    values: tuple[str, ...]
    span: SourceSpan

    @property
    def default(self) -> str:
        return self.values[0]


@dataclass(frozen=True, slots=True)
class Variable:
    """A `{{ name }}` a block may use, and where its value may come from."""

    name: str
    help: str
    span: SourceSpan
    default: str | None = None
    secret: bool = False
    generate: str | None = None  # "secret": a fresh random token, made at deploy time
    env: str | None = None  # an environment variable that may supply the value


@dataclass(frozen=True, slots=True)
class Condition:
    """One `axis=value|value` term of a `when=`; a step applies when all its terms hold."""

    axis: str
    values: frozenset[str]

    def holds(self, choices: Mapping[str, str]) -> bool:
        return choices.get(self.axis) in self.values

    def __str__(self) -> str:
        return f"{self.axis}={'|'.join(sorted(self.values))}"


@dataclass(frozen=True, slots=True)
class Section:
    """A heading. `id` is the stable anchor ({#id}) or, without one, a slug of the title."""

    id: str
    title: str
    level: int
    span: SourceSpan
    explicit_id: bool


@dataclass(frozen=True, slots=True)
class Command:
    """One `$ ` line of a console block: its argv (placeholders unresolved) and the output
    the page shows for it, which tests replay as the platform's answer."""

    argv: tuple[str, ...]
    expected: tuple[str, ...]
    span: SourceSpan
    text: str  # the command as written on the page, without the prompt


@dataclass(frozen=True, slots=True)
class Capture:
    """`capture="name=path"`: read `name` from the JSON a command prints, at a dotted path."""

    variable: str
    path: tuple[str, ...]
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class Step:
    """A fence with `step=`: one thing a deploy does. The subclass says which action.

    `section` is the id of the heading above it, `when` the conditions it applies under,
    `lang`, `title` and `label` the fence's display attributes, `body` its text as written,
    and `template` whether `{{ }}` placeholders in the body are substituted.
    """

    id: str
    action: str
    span: SourceSpan
    section: str
    when: tuple[Condition, ...]
    lang: str
    title: str | None
    label: str | None
    body: str
    template: bool

    def applies(self, choices: Mapping[str, str]) -> bool:
        return all(cond.holds(choices) for cond in self.when)

    @property
    def anchor(self) -> str:
        return f"step-{self.id}"


@dataclass(frozen=True, slots=True)
class WriteFile(Step):
    """`action="write"`: the body becomes the whole `file`; `mode` is from `mode="755"`, if given."""

    file: str
    mode: int | None


@dataclass(frozen=True, slots=True)
class AppendBlock(Step):
    """`action="append"`: the body is a block the recipe owns inside `file`, between markers."""

    file: str


@dataclass(frozen=True, slots=True)
class AddRequirements(Step):
    """`action="requirements"`: PEP 508 lines for the project's own dependency manager."""

    requirements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EnvVars(Step):
    """`action="env"`: (name, value) pairs for the platform's environment."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Processes(Step):
    """What the platform runs for this app: `build`, `release` and `web` commands, in the
    platform's own shell. Rehearsal runs them locally the same way."""

    commands: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class RunCommands(Step):
    """`action="run"`: platform commands, run by --automate-all or --redeploy."""

    where: str  # "local" or "ssh"
    phase: str  # "setup": run by --automate-all; "redeploy": run by --redeploy, after a change
    commands: tuple[Command, ...]
    capture: Capture | None


@dataclass(frozen=True, slots=True)
class TestCommands(Step):
    """`action="test"`: commands that check the deployed project; tests run them."""

    commands: tuple[Command, ...]


@dataclass(frozen=True, slots=True)
class Message(Step):
    """`action="message"`: what to tell the user at the end; the body is the text."""


@dataclass(frozen=True, slots=True)
class Recipe:
    """One compiled recipe page: its front matter, headings and steps, in page order."""

    path: str
    id: str
    title: str
    version: int
    summary: str
    requires: tuple[str, ...]
    axes: tuple[Axis, ...]
    variables: tuple[Variable, ...]
    aliases: Mapping[str, str]
    sections: tuple[Section, ...]
    steps: tuple[Step, ...]
    partials: tuple[str, ...] = field(default=())

    def axis(self, name: str) -> Axis | None:
        return next((a for a in self.axes if a.name == name), None)

    def variable(self, name: str) -> Variable | None:
        return next((v for v in self.variables if v.name == name), None)

    def default_choices(self) -> dict[str, str]:
        return {a.name: a.default for a in self.axes}

    def variants(self) -> Iterator[dict[str, str]]:
        """Every combination of axis values, defaults first."""
        names = [a.name for a in self.axes]
        for combo in itertools.product(*(a.values for a in self.axes)):
            yield dict(zip(names, combo, strict=True))

    def steps_for(self, choices: Mapping[str, str]) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.applies(choices))

    def step_ids(self) -> tuple[str, ...]:
        """Each step id once, in page order (variants of a step share one id)."""
        return tuple(dict.fromkeys(step.id for step in self.steps))
