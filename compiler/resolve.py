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
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import DeploybookError
from .ir import (
    AddRequirements,
    Command,
    EnvVars,
    Processes,
    Recipe,
    RunCommands,
    Step,
    TestCommands,
    Variable,
)
from .template import scan, substitute

__all__ = [
    "Resolution",
    "ResolvedCommand",
    "ResolvedStep",
    "missing_text",
    "resolve",
    "split_settings",
]


@dataclass(frozen=True, slots=True)
class ResolvedCommand:
    """A console command with its placeholders filled in; `command` is the one on the page."""

    argv: tuple[str, ...]
    expected: tuple[str, ...]
    command: Command

    def display(self) -> str:
        return shlex.join(self.argv)


@dataclass(frozen=True, slots=True)
class ResolvedStep:
    """A step of the chosen variant with every placeholder filled in, ready to act on."""

    step: Step
    file: str | None
    text: str
    commands: tuple[ResolvedCommand, ...] = ()
    requirements: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()  # NAME, value
    processes: tuple[tuple[str, str], ...] = ()  # build/release/web, command


@dataclass(frozen=True, slots=True)
class Resolution:
    """A recipe resolved for one set of choices: the values used and the steps that apply."""

    recipe: Recipe
    choices: Mapping[str, str]
    values: Mapping[str, str]
    steps: tuple[ResolvedStep, ...]
    secret_values: frozenset[str] = field(default_factory=frozenset)

    def redact(self, text: str) -> str:
        """Hide every secret value; use on anything that is printed or logged."""
        for value in sorted(self.secret_values, key=len, reverse=True):
            if value:  # an empty secret (--set secret_key=) would otherwise star every gap
                text = text.replace(value, "********")
        return text


def split_settings(recipe: Recipe, given: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Sort `--set name=value` pairs into axis choices and variable values."""
    choices, values = recipe.default_choices(), {}
    for name, value in given.items():
        axis = recipe.axis(name)
        if axis is not None:
            if value not in axis.values:
                raise DeploybookError(
                    f"recipe '{recipe.id}' has no {name}={value}",
                    hint=f"choose one of: {', '.join(f'{name}={v}' for v in axis.values)}",
                )
            choices[name] = value
        elif recipe.variable(name) is not None:
            values[name] = value
        else:
            known = [a.name for a in recipe.axes] + [v.name for v in recipe.variables]
            raise DeploybookError(
                f"recipe '{recipe.id}' has no axis or variable named '{name}'",
                hint=f"known names: {', '.join(known) or 'none'}",
            )
    return choices, values


def missing_text(name: str) -> str:
    return "{{ " + name + " }}"


def resolve(
    recipe: Recipe,
    *,
    choices: Mapping[str, str] | None = None,
    given: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    captured: Mapping[str, str] | None = None,
    facts: Mapping[str, str] | None = None,
    keep_missing: bool = False,
) -> Resolution:
    """Resolve the variant `choices` selects. Missing values raise one error naming them all,
    unless `keep_missing`, which leaves their placeholders in place (for display)."""
    chosen = recipe.default_choices() | dict(choices or {})
    steps = recipe.steps_for(chosen)
    needed = _needed(recipe, steps)
    sources = _Sources(dict(given or {}), environ or {}, captured or {}, facts or {})
    values, secret_values = _values(recipe, needed, sources, keep_missing)
    fill = missing_text if keep_missing else None
    resolved = tuple(_resolve_step(step, values, fill) for step in steps)
    return Resolution(recipe, chosen, values, resolved, frozenset(secret_values))


def _needed(recipe: Recipe, steps: tuple[Step, ...]) -> list[str]:
    names: dict[str, None] = {}
    for step in steps:
        texts = [getattr(step, "file", "") or ""] + ([step.body] if step.template else [])
        for text in texts:
            for ph in scan(text):
                if ph.name:
                    names[ph.name] = None
    # The variables a default uses are not listed: they are looked up only when that default
    # is, so `--set app_name=x` no longer needs what app_name's default is made of.
    return list(names)


@dataclass(frozen=True, slots=True)
class _Sources:
    """Where variable values may come from, besides defaults and generated secrets."""

    given: Mapping[str, str]
    environ: Mapping[str, str]
    captured: Mapping[str, str]
    facts: Mapping[str, str]


def _values(
    recipe: Recipe, needed: list[str], sources: _Sources, keep_missing: bool
) -> tuple[dict[str, str], set[str]]:
    values: dict[str, str] = {}
    secret_values: set[str] = set()
    # In the order found: a default's missing input comes before the variable it leaves without
    # a value, so the error (and its hint) start with what the user can actually give.
    missing: dict[str, Variable] = {}

    def value_of(variable: Variable, seen: tuple[str, ...]) -> str | None:
        name = variable.name
        if name in values:
            return values[name]
        env_name = variable.env or f"DEPLOYBOOK_{name.upper()}"
        if name in sources.given:
            found: str | None = sources.given[name]
        elif env_name in sources.environ:
            found = sources.environ[env_name]
        elif name in sources.captured:
            found = sources.captured[name]
        elif name in sources.facts:
            found = sources.facts[name]
        elif variable.default is not None:
            found = _default(variable, seen)
        elif variable.generate == "secret" and not keep_missing:
            found = secrets.token_urlsafe(50)
        else:
            found = None
        if found is not None:
            values[name] = found
            if variable.secret:
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
    if missing and not keep_missing:
        lines = [f"  {v.name}: {v.help} ({v.span})" for v in missing.values()]
        first = next(iter(missing.values()))
        env_name = first.env or f"DEPLOYBOOK_{first.name.upper()}"
        raise DeploybookError(
            f"recipe '{recipe.id}' needs a value for {', '.join(missing)}:\n" + "\n".join(lines),
            hint=f"pass --set {first.name}=VALUE, or set {env_name} in the environment",
        )
    return values, secret_values


def _resolve_step(step: Step, values: Mapping[str, str], fill: object) -> ResolvedStep:
    def sub(text: str) -> str:
        return substitute(text, values, missing=fill)  # type: ignore[arg-type]

    file = getattr(step, "file", None)
    text = sub(step.body) if step.template else step.body
    commands: tuple[ResolvedCommand, ...] = ()
    if isinstance(step, RunCommands | TestCommands):
        # Each argv word is substituted on its own, so a value is always exactly one argument:
        # the equivalent of shell-quoting it, with no shell involved.
        commands = tuple(
            ResolvedCommand(
                tuple(sub(word) if step.template else word for word in cmd.argv),
                tuple(sub(line) if step.template else line for line in cmd.expected),
                cmd,
            )
            for cmd in step.commands
        )
    requirements = (
        tuple(sub(r) if step.template else r for r in step.requirements) if isinstance(step, AddRequirements) else ()
    )

    def pairs(items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        return tuple((k, sub(v) if step.template else v) for k, v in items)

    env = pairs(step.pairs) if isinstance(step, EnvVars) else ()
    processes = pairs(step.commands) if isinstance(step, Processes) else ()
    return ResolvedStep(step, sub(file) if file else None, text, commands, requirements, env, processes)
