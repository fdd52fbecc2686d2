"""Every variable's value for one deploy, by the compiler's precedence (see compiler/resolve.py):
--set, the environment, captured output, project facts, defaults, generated secrets.

Two kinds of value are not known while the configuration is planned, and stand as `<name>`:
values a later command prints (`capture=`), and, when nothing will run, generated secrets
(a secret made only to be printed would be useless, and printing it would leak it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from deploybook.compiler import (
    AddRequirements,
    AppendBlock,
    DeploybookError,
    Recipe,
    Resolution,
    RunCommands,
    WriteFile,
)

# From the module itself: the package's `resolve` attribute is that module once it is imported.
from deploybook.compiler.resolve import resolve, split_settings
from deploybook.compiler.template import scan
from deploybook.runtime.context import INSPECTION_NAMES, ProjectContext
from deploybook.runtime.errors import DeployError, UsageError

__all__ = ["DeployValues", "placeholder", "prepare_values"]


def placeholder(name: str) -> str:
    return f"<{name}>"


@dataclass(frozen=True, slots=True)
class DeployValues:
    """Everything `resolve` needs, kept so later steps can be resolved again with captures."""

    recipe: Recipe
    choices: Mapping[str, str]
    given: Mapping[str, str]
    environ: Mapping[str, str]
    facts: Mapping[str, str]
    captures: Mapping[str, RunCommands]
    """variable -> the step whose output gives it."""
    placeholders: frozenset[str] = field(default_factory=frozenset)

    def resolve(self, captured: Mapping[str, str] | None = None, keep: Mapping[str, str] | None = None) -> Resolution:
        """Resolve again; `keep` pins values (generated secrets) so they stay the same."""
        given = dict(keep or {}) | dict(self.given)
        try:
            resolution = resolve(
                self.recipe,
                choices=self.choices,
                given=given,
                environ=self.environ,
                captured=captured or {},
                facts=self.facts,
            )
        except DeploybookError as error:
            raise DeployError(error.message, hint=error.hint) from error
        # A `<secret_key>` stand-in is not the secret: showing it is the point.
        stand_ins = {value for name, value in self.facts.items() if value == placeholder(name)}
        return dataclasses.replace(resolution, secret_values=resolution.secret_values - stand_ins)


def prepare_values(
    recipe: Recipe, context: ProjectContext, assignments: Mapping[str, str], environ: Mapping[str, str], *, runs: bool
) -> tuple[DeployValues, Resolution]:
    """Resolve the recipe for this project; `runs`: commands will run, so secrets are made now."""
    rest = {k: v for k, v in assignments.items() if k not in INSPECTION_NAMES or recipe.variable(k)}
    rest.pop("pkg", None)
    try:
        choices, given = split_settings(recipe, rest)
    except DeploybookError as error:
        raise UsageError(error.message, hint=error.hint) from error
    _choose_pkg(recipe, context, choices)
    captures = {
        step.capture.variable: step
        for step in recipe.steps_for(choices)
        if isinstance(step, RunCommands) and step.capture is not None and step.phase == "setup"
    }
    later = set(captures)
    if not runs:
        later |= {v.name for v in recipe.variables if v.generate == "secret"}
    facts = dict(context.facts) | {name: placeholder(name) for name in later}
    values = DeployValues(recipe, choices, given, environ, facts, captures)
    resolution = values.resolve()
    shown = frozenset(name for name in later if resolution.values.get(name) == placeholder(name))
    values = DeployValues(recipe, choices, given, environ, facts, captures, shown)
    _check_file_steps(resolution, values)
    return values, resolution


def _choose_pkg(recipe: Recipe, context: ProjectContext, choices: dict[str, str]) -> None:
    # The `pkg` axis is the project's dependency manager, never a free choice.
    axis = recipe.axis("pkg")
    if axis is None:
        return
    pkg = context.project.pkg
    if pkg not in axis.values:
        raise DeployError(
            f"recipe '{recipe.id}' does not support {pkg} projects (it supports {', '.join(axis.values)})",
            hint=f"the project uses {pkg} ({context.project.relative(context.project.manifest)}); choose another "
            "manager with --set pkg=NAME if the project has more than one",
        )
    choices["pkg"] = pkg


def _check_file_steps(resolution: Resolution, values: DeployValues) -> None:
    """Refuse to write a secret, or a value not known yet, into the user's files."""
    recipe = resolution.recipe
    for resolved in resolution.steps:
        step = resolved.step
        if not isinstance(step, WriteFile | AppendBlock | AddRequirements):
            continue
        texts = [getattr(step, "file", "")] + ([step.body] if step.template else [])
        for name in {ph.name for text in texts for ph in scan(text) if ph.name}:
            variable = recipe.variable(name)
            if variable is not None and variable.secret:
                raise DeployError(
                    f"{step.span}: step '{step.id}' would write the secret {{{{ {name} }}}} into a file",
                    hint="secrets belong in the platform's environment (an env step and a run step "
                    "that sets it), never in the repository",
                )
            if name in values.placeholders and name in values.captures:
                source = values.captures[name]
                raise DeployError(
                    f"{step.span}: step '{step.id}' uses {{{{ {name} }}}}, which is only known once "
                    f"step '{source.id}' ({source.span}) has run",
                    hint=f"give it with --set {name}=VALUE, or read it at run time from the environment",
                )
