"""Every variable's value for one deploy, by the compiler's precedence (see compiler/resolve.py):
--set, the environment, captured output, project facts, defaults, generated secrets.

Two kinds of value are not known while the configuration is planned, and stand as `<name>`:
values a later command prints (`capture=`), and, when nothing will run, generated secrets
(a secret made only to be printed would be useless, and printing it would leak it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import field

from deploybook.compiler import Recipe, Resolution, RunCommands, Step, resolve, secret_sources, split_settings
from deploybook.compiler.template import scan
from deploybook.errors import DeployError
from deploybook.records import record
from deploybook.runtime.context import RUNTIME_NAMES, ProjectContext
from deploybook.runtime.modes import Mode

__all__ = ["DeployValues", "placeholder", "prepare_values"]


def placeholder(name: str) -> str:
    return f"<{name}>"


@record
class DeployValues:
    """Everything `resolve` needs, kept so later steps can be resolved again with captures."""

    recipe: Recipe
    choices: Mapping[str, str]
    given: Mapping[str, str]
    environ: Mapping[str, str]
    facts: Mapping[str, str]
    captures: Mapping[str, RunCommands]
    """variable -> the step whose output gives it."""
    select: Callable[[Step], bool]
    """The steps this deploy needs (its mode's, less any it cannot check)."""
    placeholders: frozenset[str] = field(default_factory=frozenset)
    unchecked: tuple[str, ...] = ()
    """What a redeploy could not compare with the recipe, and why (printed as warnings)."""

    def resolve(self, captured: Mapping[str, str] | None = None, keep: Mapping[str, str] | None = None) -> Resolution:
        """Resolve again; `keep` pins values (generated secrets) so they stay the same."""
        return self._resolve(captured, keep).require_complete()

    def _resolve(self, captured: Mapping[str, str] | None = None, keep: Mapping[str, str] | None = None) -> Resolution:
        # A `<app_host>` stand-in is shown, never written or run: it is not checked as a value,
        # and `<secret_key>` is not the secret.
        stand_ins = {name: value for name, value in self.facts.items() if value == placeholder(name)}
        resolution = resolve(
            self.recipe,
            choices=self.choices,
            given=dict(keep or {}) | dict(self.given),
            environ=self.environ,
            captured=captured or {},
            facts=self.facts,
            select=self.select,
            unchecked=set(stand_ins) - set(captured or {}),
        )
        return dataclasses.replace(resolution, secret_values=resolution.secret_values - set(stand_ins.values()))


def prepare_values(
    recipe: Recipe, context: ProjectContext, assignments: Mapping[str, str], environ: Mapping[str, str], mode: Mode
) -> tuple[DeployValues, Resolution]:
    """Resolve the recipe for this project and mode; secrets are made now when commands will run."""
    rest = {k: v for k, v in assignments.items() if k not in RUNTIME_NAMES or recipe.variable(k)}
    rest.pop("pkg", None)
    choices, given = split_settings(recipe, rest)
    _choose_pkg(recipe, context, choices)
    captures = {
        step.capture.variable: step
        for step in recipe.steps_for(choices)
        if isinstance(step, RunCommands) and step.capture is not None and step.phase == "setup"
    }
    later = set(captures)
    if not mode.runs:
        later |= {v.name for v in recipe.variables if v.generate == "secret"}
    facts = dict(context.facts) | {name: placeholder(name) for name in later}
    values = DeployValues(recipe, choices, given, environ, facts, captures, mode.selects)
    resolution = values._resolve()
    if resolution.missing and mode.phase != "setup":
        values, resolution = _without_unresolvable_checks(values, resolution)
    resolution.require_complete()
    shown = frozenset(name for name in later if resolution.values.get(name) == placeholder(name))
    values = dataclasses.replace(values, placeholders=shown)
    _check_file_steps(resolution, values)
    return values, resolution


def _without_unresolvable_checks(values: DeployValues, resolution: Resolution) -> tuple[DeployValues, Resolution]:
    """A redeploy (or rollback) compares the configuration steps with the project only to warn of drift; a
    step it cannot resolve (its values were given only to the first deploy, say) is left out
    of that comparison, and the warning says so. Its own commands still need every value."""
    missing = {variable.name for variable in resolution.missing}
    blocked = {
        step: sorted(_uses(step) & missing)
        for step in values.recipe.steps_for(values.choices)
        if step.phase is None and _uses(step) & missing
    }
    if not blocked:
        return values, resolution
    notes = tuple(
        f"could not compare step '{step.id}' ({step.span}) with the project: it needs {', '.join(names)}, "
        f"which only the configuring deploy was given (pass --set {names[0]}=... to check it too)"
        for step, names in blocked.items()
    )
    select = values.select
    narrowed = dataclasses.replace(values, select=lambda step: select(step) and step not in blocked, unchecked=notes)
    return narrowed, narrowed._resolve()


def _uses(step: Step) -> set[str]:
    return {ph.name for text in step.templated_texts() for ph in scan(text) if ph.name}


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
    held = secret_sources(resolution.recipe.variables)
    for resolved in resolution.steps:
        step = resolved.step
        if not step.writes_repository:
            continue
        for name in _uses(step):
            if name in held:
                what = f"the secret {{{{ {name} }}}}"
                if held[name] != name:
                    what = f"{{{{ {name} }}}}, which holds the secret {{{{ {held[name]} }}}},"
                raise DeployError(
                    f"step '{step.id}' would write {what} into a file",
                    hint="secrets belong in the platform's environment (an env step, and a run step "
                    "that gives it to the platform on standard input), never in the repository",
                    location=step.span,
                )
            if name in values.placeholders and name in values.captures:
                source = values.captures[name]
                raise DeployError(
                    f"step '{step.id}' uses {{{{ {name} }}}}, which is only known once "
                    f"step '{source.id}' ({source.span}) has run",
                    hint=f"give it with --set {name}=VALUE, or read it at run time from the environment",
                    location=step.span,
                )
