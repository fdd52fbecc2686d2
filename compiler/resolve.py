"""Resolving a recipe for one set of choices: pick the variant's steps, find every variable's
value, and substitute.

Where a value comes from, first match wins:
  1. given explicitly (`--set name=value`);
  2. the environment: the variable's own `env:` name, else DEPLOYBOOK_<NAME>;
  3. a value captured from an earlier command's output (`capture=`);
  4. a project fact the caller supplies (project_name, python_version, ...);
  5. the variable's `default:` (which may use other variables);
  6. `generate: secret`: a fresh random token.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from typing import TypeVar

from deploybook.errors import DeployError, UsageError
from deploybook.records import record

from .actions.base import Resolved
from .actions.env import ResolvedEnv
from .actions.processes import ResolvedProcesses
from .escape import format_of, plain_problem
from .ir import Recipe, Step, Variable, secret_sources
from .template import PLACEHOLDER, scan, substitute
from .value_types import value_problem

_R = TypeVar("_R", bound=Resolved)

__all__ = [
    "Invalid",
    "Resolution",
    "env_name",
    "missing_text",
    "parse_assignments",
    "resolve",
    "split_settings",
]


@record
class Resolution:
    """A recipe resolved for one set of choices: the values used and the steps that apply.

    `missing` names the variables no source gave a value; their placeholders stay in the
    steps as `{{ name }}`. A caller that acts on the steps calls `require_complete()` first.
    """

    recipe: Recipe
    choices: Mapping[str, str]
    values: Mapping[str, str]
    steps: tuple[Resolved, ...]
    secret_values: frozenset[str] = field(default_factory=frozenset)
    missing: tuple[Variable, ...] = ()
    invalid: tuple[Invalid, ...] = ()
    """Values that are not what their variable may be, or cannot be written where they go."""

    def redact(self, text: str) -> str:
        """Hide every secret value; use on anything that is printed or logged."""
        for value in sorted(self.secret_values, key=len, reverse=True):
            if value:  # an empty secret (--set secret_key=) would otherwise star every gap
                text = text.replace(value, "********")
        return text

    def require_complete(self) -> Resolution:
        """This resolution, or one error naming every missing or unfit value and how to fix it."""
        if self.invalid:
            unfit = [f"  {item.describe(self.redact)}" for item in self.invalid]
            raise UsageError(
                f"recipe '{self.recipe.id}' cannot use {'these values' if len(unfit) > 1 else 'this value'}; "
                "nothing was changed:\n" + "\n".join(unfit),
                hint=f"give another with --set {self.invalid[0].variable.name}=VALUE",
            )
        if not self.missing:
            return self
        lines = [f"  {v.name}: {v.help} ({v.span})" for v in self.missing]
        first = self.missing[0]
        raise DeployError(
            f"recipe '{self.recipe.id}' needs a value for {', '.join(v.name for v in self.missing)}:\n"
            + "\n".join(lines),
            hint=f"pass --set {first.name}=VALUE, or set {env_name(first)} in the environment",
        )

    def of_kind(self, kind: type[_R]) -> tuple[_R, ...]:
        """The resolved steps of one kind (ResolvedFile, ResolvedRun, ...), in page order."""
        return tuple(step for step in self.steps if isinstance(step, kind))

    def platform_env(self) -> dict[str, str]:
        """Every variable the recipe's env steps set, in page order (a later one wins)."""
        variables: dict[str, str] = {}
        for step in self.of_kind(ResolvedEnv):
            variables.update(dict(step.pairs))
        return variables

    def processes(self) -> dict[str, str]:
        """The platform's build, release and web commands; empty without a processes step."""
        found = self.of_kind(ResolvedProcesses)
        return dict(found[0].commands) if found else {}


def parse_assignments(pairs: Sequence[str]) -> dict[str, str]:
    """`--set` values, NAME=VALUE each, as both command lines take them; a later one wins."""
    given: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set expects NAME=VALUE, got {pair!r}", hint="for example --set db=sqlite")
        given[name.strip()] = value
    return given


def split_settings(recipe: Recipe, given: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Sort `--set name=value` pairs into axis choices and variable values."""
    choices, values = recipe.default_choices(), {}
    for name, value in given.items():
        axis = recipe.axis(name)
        if axis is not None:
            if value not in axis.values:
                raise UsageError(
                    f"recipe '{recipe.id}' has no {name}={value}",
                    hint=f"choose one of: {', '.join(f'{name}={v}' for v in axis.values)}",
                )
            choices[name] = value
        elif recipe.variable(name) is not None:
            values[name] = value
        else:
            known = [a.name for a in recipe.axes] + [v.name for v in recipe.variables]
            raise UsageError(
                f"recipe '{recipe.id}' has no axis or variable named '{name}'",
                hint=f"known names: {', '.join(known) or 'none'}",
            )
    return choices, values


@record
class Invalid:
    """A value its variable may not have, or one that cannot go where a step writes it."""

    variable: Variable
    value: str
    reason: str
    where: str = ""
    """The step's place (path:line), for a value refused by the file it goes into."""

    def describe(self, redact: Callable[[str], str]) -> str:
        place = f" ({self.where})" if self.where else f" ({self.variable.span})"
        return f"{self.variable.name} = {redact(repr(self.value))}: {self.reason}{place}"


def missing_text(name: str) -> str:
    return "{{ " + name + " }}"


def env_name(variable: Variable) -> str:
    """The environment variable that may give `variable` its value."""
    return variable.env or f"DEPLOYBOOK_{variable.name.upper()}"


def resolve(
    recipe: Recipe,
    *,
    choices: Mapping[str, str] | None = None,
    given: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    captured: Mapping[str, str] | None = None,
    facts: Mapping[str, str] | None = None,
    select: Callable[[Step], bool] | None = None,
    generate_secrets: bool = True,
    unchecked: frozenset[str] | set[str] = frozenset(),
) -> Resolution:
    """Resolve the variant `choices` selects; `select` keeps only some of its steps (a deploy
    mode's), so that values only the others use are never asked for. Values no source gives
    are listed in `missing`, and values that do not fit their variable's type, or the file
    they go into, in `invalid`: never raised, the caller knows whether it needs them.
    `generate_secrets=False` makes no secret (for display); `unchecked` names values that are
    stand-ins for display (`<app_host>`), not values to check."""
    chosen = recipe.default_choices() | dict(choices or {})
    steps = tuple(step for step in recipe.steps_for(chosen) if select is None or select(step))
    needed = _needed(steps)
    sources = _Sources(dict(given or {}), environ or {}, captured or {}, facts or {})
    values, secret_values, missing = _values(recipe, needed, sources, generate_secrets)
    invalid = [
        Invalid(variable, values[variable.name], problem)
        for variable in recipe.variables
        if variable.name in values
        and variable.name not in unchecked
        and (problem := value_problem(variable, values[variable.name])) is not None
    ]
    filler = _Filler(recipe, values, frozenset(unchecked))
    resolved = []
    for step in steps:
        filler.step = step
        resolved.append(step.resolve(filler))
    # A value refused for its type is not refused again for each place it would go.
    unfit = {item.variable.name for item in invalid}
    placed = {(item.variable.name, item.where): item for item in filler.invalid if item.variable.name not in unfit}
    invalid += placed.values()
    return Resolution(recipe, chosen, values, tuple(resolved), frozenset(secret_values), missing, tuple(invalid))


class _Filler:
    """The Fill steps resolve with: values as they are, or escaped for the file they go into."""

    def __init__(self, recipe: Recipe, values: Mapping[str, str], unchecked: frozenset[str]) -> None:
        self.recipe, self.values, self.unchecked = recipe, values, unchecked
        self.invalid: list[Invalid] = []
        self.step: Step | None = None

    def __call__(self, text: str) -> str:
        return substitute(text, self.values, missing=missing_text)

    def in_file(self, text: str, path: str) -> str:
        kind = format_of(path, text)
        pieces, last = [], 0
        for match in PLACEHOLDER.finditer(text):
            name = match.group(1)
            pieces.append(text[last : match.start()])
            last = match.end()
            if name not in self.values:
                pieces.append(missing_text(name))
                continue
            value = self.values[name]
            before = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
            placed = kind.place(value, before) if kind is not None else value
            problem = None if kind is not None else plain_problem(value)
            if (placed is None or problem is not None) and name not in self.unchecked:
                variable = self.recipe.variable(name)
                assert variable is not None and self.step is not None
                reason = problem or (
                    f"it cannot be written unquoted in {path} ({kind.name if kind else 'text'}): "
                    "letters, digits and . , : / @ % + = - _ only there"
                )
                self.invalid.append(Invalid(variable, value, reason, str(self.step.span)))
            pieces.append(placed if placed is not None else value)
        pieces.append(text[last:])
        return "".join(pieces)


def _needed(steps: tuple[Step, ...]) -> list[str]:
    names: dict[str, None] = {}
    for step in steps:
        for text in step.templated_texts():
            for ph in scan(text):
                if ph.name:
                    names[ph.name] = None
    # The variables a default uses are not listed: they are looked up only when that default
    # is, so `--set app_name=x` no longer needs what app_name's default is made of.
    return list(names)


@record
class _Sources:
    """Where variable values may come from, besides defaults and generated secrets."""

    given: Mapping[str, str]
    environ: Mapping[str, str]
    captured: Mapping[str, str]
    facts: Mapping[str, str]


def _values(
    recipe: Recipe, needed: list[str], sources: _Sources, generate_secrets: bool
) -> tuple[dict[str, str], set[str], tuple[Variable, ...]]:
    values: dict[str, str] = {}
    secret_values: set[str] = set()
    # A value made from a secret (a URL holding a password) is hidden as a whole, like the secret.
    secret_names = secret_sources(recipe.variables)
    # In the order found: a default's missing input comes before the variable it leaves without
    # a value, so the error (and its hint) start with what the user can actually give.
    missing: dict[str, Variable] = {}

    def value_of(variable: Variable, seen: tuple[str, ...]) -> str | None:
        name = variable.name
        if name in values:
            return values[name]
        if name in sources.given:
            found: str | None = sources.given[name]
        elif env_name(variable) in sources.environ:
            found = sources.environ[env_name(variable)]
        elif name in sources.captured:
            found = sources.captured[name]
        elif name in sources.facts:
            found = sources.facts[name]
        elif variable.default is not None:
            found = _default(variable, seen)
        elif variable.generate == "secret" and generate_secrets:
            found = secrets.token_urlsafe(50)
        else:
            found = None
        if found is not None:
            values[name] = found
            if name in secret_names:
                secret_values.add(found)
        else:
            missing.setdefault(name, variable)
        return found

    def _default(variable: Variable, seen: tuple[str, ...]) -> str | None:
        parts: dict[str, str] = {}
        for ph in scan(variable.default or ""):
            other = recipe.variable(ph.name or "")
            if other is None or other.name in seen:
                return None
            got = value_of(other, (*seen, other.name))
            if got is None:
                return None
            parts[other.name] = got
        return substitute(variable.default or "", parts)

    for name in needed:
        variable = recipe.variable(name)
        if variable is not None:
            value_of(variable, (name,))
    return values, secret_values, tuple(missing.values())
