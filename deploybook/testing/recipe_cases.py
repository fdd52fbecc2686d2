"""The recipe test matrix, and one configured sample project per cell of it.

A case is one recipe, sample flavour (its dependency manager), layout and db value (and, for
one flavour, the split-settings style). `configure(case, dest)` materialises the sample,
adds "deploybook" to INSTALLED_APPS as a user would, and runs the deployer on it in config
mode, with the values the recipe's own page shows (a captured host name is read from the
page's transcript, so the environment is exactly the one the page describes).
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator, Mapping
from pathlib import Path

from deploybook.compiler import Recipe, Resolution, SourceSpan, compile_file, recipe_files
from deploybook.records import record
from deploybook.rehearse._values import transcript_captures
from deploybook.runtime import AUTOMATE, DeployRequest, DeployResult, PlainOutput, deploy, prepare
from deploybook.runtime.deploy import Prepared
from deploybook.samples import SampleProject, materialize
from deploybook.testing.projects import install_app

__all__ = [
    "FLAVOUR_PKG",
    "ConfiguredProject",
    "RecipeCase",
    "configure",
    "configure_project",
    "fresh_sample",
    "located",
    "recipe_cases",
]

# Sample flavour -> the dependency manager inspection finds in it.
FLAVOUR_PKG = {"requirements": "requirements", "poetry": "poetry", "pipenv": "pipenv", "uv": "uv", "pdm": "pdm"}
DEFAULT_FLAVOURS = ("requirements", "poetry", "pipenv", "uv", "pdm")
_REPO = Path(__file__).resolve().parents[2]
# Values no project or page can supply, for the variables recipes name that way.
# Addresses reserved for documentation (RFC 5737, RFC 2606).
_EXAMPLES = {"host": "203.0.113.10", "database_url": "postgres://app:example@db.example.com:5432/app"}
# An account's user name and API token, and the repository the platform clones (PythonAnywhere).
_EXAMPLES |= {"username": "reader", "api_token": "example-api-token", "repo_url": "https://git.example.com/app.git"}


@record
class RecipeCase:
    recipe_file: Path
    recipe_id: str
    flavour: str
    layout: str
    db: str
    settings: str = "module"

    @property
    def id(self) -> str:
        parts = [self.recipe_id, self.flavour, self.layout, f"db={self.db}"]
        if self.settings != "module":
            parts.append(f"settings-{self.settings}")
        return "-".join(parts)


@record
class ConfiguredProject:
    case: RecipeCase
    sample: SampleProject
    assignments: Mapping[str, str]
    prepared: Prepared
    result: DeployResult
    output: str

    @property
    def root(self) -> Path:
        return self.sample.root

    @property
    def resolution(self) -> Resolution:
        return self.prepared.resolution

    @property
    def recipe(self) -> Recipe:
        return self.prepared.resolution.recipe

    def request(self, **changes: object) -> DeployRequest:
        """The deploy request this project was configured with, with `changes`."""
        fields: dict[str, object] = {
            "recipe": None,
            "project": self.sample.project_dir,
            "recipe_file": self.case.recipe_file,
            "assignments": dict(self.assignments),
            "allow_dirty": True,
        }
        return DeployRequest(**(fields | changes))  # type: ignore[arg-type]


def recipe_cases(folder: Path, *, flavours: tuple[str, ...] = DEFAULT_FLAVOURS) -> Iterator[RecipeCase]:
    """Every case for the recipes in `folder`: each dependency manager the recipe supports
    (its `pkg` axis; all of `flavours` without one), flat and nested, each db value."""
    for path in recipe_files(folder):
        recipe = compile_file(path).recipe
        if recipe is None:
            continue  # `deploybook check` reports it; there is nothing to run
        pkg_axis = recipe.axis("pkg")
        db_axis = recipe.axis("db")
        for flavour in flavours:
            if pkg_axis is not None and FLAVOUR_PKG[flavour] not in pkg_axis.values:
                continue
            for layout in ("flat", "nested"):
                for db in db_axis.values if db_axis else ("",):
                    yield RecipeCase(path, recipe.id, flavour, layout, db)
        # Split settings (settings/dev.py importing base.py) with the simplest manager.
        for db in db_axis.values if db_axis else ("",):
            yield RecipeCase(path, recipe.id, "requirements", "flat", db, settings="package")


def configure(case: RecipeCase, dest: Path, extra: Mapping[str, str] | None = None) -> ConfiguredProject:
    """Materialise the case's sample project in `dest` and deploy the recipe to it (config mode),
    with `extra` as `--set` values."""
    return configure_project(case, fresh_sample(case, dest), extra)


def configure_project(
    case: RecipeCase, sample: SampleProject, extra: Mapping[str, str] | None = None
) -> ConfiguredProject:
    """Deploy the case's recipe (config mode) to a committed project: a sample, or one of the
    test's own making described as a SampleProject."""
    recipe = compile_file(case.recipe_file).recipe
    assert recipe is not None, f"{case.recipe_file} does not compile"
    assignments = _example_values(recipe)
    if case.db:
        assignments["db"] = case.db
    assignments |= extra or {}
    assignments |= _page_captures(case, sample, assignments)
    request = DeployRequest(None, sample.project_dir, recipe_file=case.recipe_file, assignments=assignments)
    out = io.StringIO()
    result = deploy(request, PlainOutput(out))
    prepared = prepare(DeployRequest(None, sample.project_dir, recipe_file=case.recipe_file, assignments=assignments))
    return ConfiguredProject(case, sample, assignments, prepared, result, out.getvalue())


def _example_values(recipe: Recipe) -> dict[str, str]:
    """A fresh secret for each generated one, and a documentation example for what only the
    user can say (a server's address): the values the deployer would otherwise ask for."""
    values = {}
    for variable in recipe.variables:
        if variable.generate == "secret":
            values[variable.name] = secrets.token_urlsafe(50)
        elif variable.name in _EXAMPLES and variable.default is None:
            values[variable.name] = _EXAMPLES[variable.name]
    return values


def fresh_sample(case: RecipeCase, dest: Path) -> SampleProject:
    """The case's sample project, committed, with "deploybook" in INSTALLED_APPS."""
    sample = materialize(dest, flavour=case.flavour, layout=case.layout, settings=case.settings)
    install_app(sample.project_dir)
    return sample


def _page_captures(case: RecipeCase, sample: SampleProject, given: dict[str, str]) -> dict[str, str]:
    """Values the page's commands print (`capture=`), read from the page's own transcripts."""
    captured: dict[str, str] = {}
    for _ in range(3):  # a captured value may appear in a later capturing command
        request = DeployRequest(
            None, sample.project_dir, recipe_file=case.recipe_file, assignments=given | captured, mode=AUTOMATE
        )
        found = transcript_captures(prepare(request).resolution)
        if found == captured:
            break
        captured = found
    return captured


def located(span: SourceSpan | None, step_id: str, message: str) -> str:
    """`recipes/fly-io.md:42: step 'dockerfile': message`, the form every failure takes."""
    if span is None:
        return f"step '{step_id}': {message}"
    path = Path(span.path)
    if path.is_absolute() and path.is_relative_to(_REPO):
        path = path.relative_to(_REPO)
    return f"{path.as_posix()}:{span.line}: step '{step_id}': {message}"
