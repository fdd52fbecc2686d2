"""The recipe IR: small immutable objects, each carrying the SourceSpan it came from.

Text fields that may contain `{{ name }}` placeholders are kept as written; substitution
happens later, in `resolve`, once the user's choices and values are known.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, ClassVar, Protocol

from deploybook.records import record

from .source import SourceSpan
from .template import scan

if TYPE_CHECKING:
    from .actions.base import Resolved


class Fill(Protocol):
    """Fills the placeholders of a step's texts with the resolution's values."""

    def __call__(self, text: str) -> str:
        """`text` with every value as it is (a command's word, a file's name)."""
        ...

    def in_file(self, text: str, path: str) -> str:
        """`text`, the content of the file at `path`, with every value escaped for the file's
        format where it goes (see escape.py)."""
        ...


class _AsWritten:
    """The Fill of a step with template="off": its texts stay exactly as written."""

    def __call__(self, text: str) -> str:
        return text

    def in_file(self, text: str, path: str) -> str:
        return text


_AS_WRITTEN = _AsWritten()


__all__ = [
    "Axis",
    "Command",
    "Condition",
    "Fill",
    "Recipe",
    "Section",
    "Step",
    "StepHeader",
    "Variable",
    "secret_sources",
]


@record
class Axis:
    """A choice the reader or user makes, such as `db`; the first value is the default."""

    name: str
    values: tuple[str, ...]
    span: SourceSpan
    labels: tuple[str, ...] = ()
    """The words a reader sees for each value (its tab, its table column), same order as values."""

    @property
    def default(self) -> str:
        return self.values[0]

    def label(self, value: str) -> str:
        """The value in words; a value without a declared label is shown as it is written."""
        if value in self.values and self.labels:
            return self.labels[self.values.index(value)]
        return value


@record
class ReaderInfo:
    """Front-matter facts only the page uses: what to have first, what it costs, what you get,
    and when someone last followed the recipe end to end on the real platform."""

    prerequisites: tuple[str, ...] = ()
    cost: str | None = None
    outcome: str | None = None
    verified: str | None = None  # an ISO date, YYYY-MM-DD
    changelog: tuple[tuple[int, str], ...] = ()
    """(version, what changed from the version before it and why), oldest first."""


@record
class Variable:
    """A `{{ name }}` a block may use, and where its value may come from."""

    name: str
    help: str
    span: SourceSpan
    default: str | None = None
    secret: bool = False
    generate: str | None = None  # "secret": a fresh random token, made at deploy time
    env: str | None = None  # an environment variable that may supply the value
    type: str = "line"  # what the value may be: a key of value_types.TYPES
    pattern: str | None = None  # or a regular expression the whole value must match
    error: str | None = None  # what to tell the user when a value does not fit


def secret_sources(variables: Iterable[Variable]) -> dict[str, str]:
    """Every variable whose value is or holds a secret, with the secret variable it holds.

    A variable marked `secret` (or `generate: secret`) holds itself. One whose `default` uses
    such a variable holds it too, however many defaults lie between: a database URL made from
    a password leaks the password wherever the URL goes.
    """
    declared = {variable.name: variable for variable in variables}
    found = {name: name for name, variable in declared.items() if variable.secret}
    grew = True
    while grew:
        grew = False
        for name, variable in declared.items():
            if name in found:
                continue
            uses = (ph.name for ph in scan(variable.default or ""))
            held = next((found[used] for used in uses if used is not None and used in found), None)
            if held is not None:
                found[name] = held
                grew = True
    return found


@record
class Condition:
    """One `axis=value|value` term of a `when=`; a step applies when all its terms hold."""

    axis: str
    values: frozenset[str]

    def holds(self, choices: Mapping[str, str]) -> bool:
        return choices.get(self.axis) in self.values

    def __str__(self) -> str:
        return f"{self.axis}={'|'.join(sorted(self.values))}"


@record
class Section:
    """A heading. `id` is the stable anchor ({#id}) or, without one, a slug of the title."""

    id: str
    title: str
    level: int
    span: SourceSpan
    explicit_id: bool


@record
class Command:
    """One `$ ` line of a console block: its argv (placeholders unresolved) and the output
    the page shows for it, which tests replay as the platform's answer."""

    argv: tuple[str, ...]
    expected: tuple[str, ...]
    span: SourceSpan
    text: str  # the command as written on the page, without the prompt
    stdin: str | None = None  # its standard input, from a here-document (<<'EOF' ... EOF)
    lines: int = 1  # the page lines the command takes, from `span` (continued with `\`)


@record
class StepHeader:
    """What every step has, whatever its action: read from the fence by the build pass.

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


@record
class Step:
    """A fence with `step=`: one thing a deploy does. Each action's module (compiler/actions/)
    defines a subclass with the action's own fields, and overrides what differs below."""

    header: StepHeader

    writes_repository: ClassVar[bool] = False
    """Whether the step changes a file in the user's repository (so must never hold a secret)."""

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def action(self) -> str:
        return self.header.action

    @property
    def span(self) -> SourceSpan:
        return self.header.span

    @property
    def section(self) -> str:
        return self.header.section

    @property
    def when(self) -> tuple[Condition, ...]:
        return self.header.when

    @property
    def lang(self) -> str:
        return self.header.lang

    @property
    def title(self) -> str | None:
        return self.header.title

    @property
    def label(self) -> str | None:
        return self.header.label

    @property
    def body(self) -> str:
        return self.header.body

    @property
    def template(self) -> bool:
        return self.header.template

    @property
    def anchor(self) -> str:
        return f"step-{self.id}"

    @property
    def phase(self) -> str | None:
        """When platform commands run ("setup", "redeploy" or "rollback"); None for a step that
        configures."""
        return None

    def applies(self, choices: Mapping[str, str]) -> bool:
        return all(cond.holds(choices) for cond in self.when)

    def files(self) -> tuple[str, ...]:
        """The repository files the step names (placeholders unresolved)."""
        return ()

    def templated_texts(self) -> tuple[str, ...]:
        """Every text of the step whose `{{ name }}` placeholders are filled in."""
        return (*self.files(), *((self.body,) if self.template else ()))

    def page_note(self) -> str:
        """What `manage.py deploy` does with the block, said to the reader beside it."""
        raise NotImplementedError

    def page_changes(self) -> tuple[tuple[str, str], ...]:
        """Rows for the page's "What this recipe changes" table: (kind, text as written)."""
        return ()

    def body_fill(self, fill: Fill) -> Fill:
        """`fill` for the step's body: with template="off" the body stays as written."""
        return fill if self.template else _AS_WRITTEN

    def resolve(self, fill: Fill) -> Resolved:
        """The step with its placeholders filled in by `fill`, ready to act on."""
        raise NotImplementedError


@record
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
    retired: Mapping[str, str] = field(default_factory=dict)
    """Removed step ids -> the note their links now lead to (what replaced the step)."""
    target: tuple[str, ...] = ()
    """A command whose output names where the recipe's commands go (a kubectl context)."""
    reader: ReaderInfo = field(default_factory=lambda: ReaderInfo())
    """What the page tells a reader before they start (all optional)."""

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
