"""The pytest plugin that tests recipes: deploybook's own and a recipe pack's, the same way.

Enable it with `-p deploybook.testing.plugin` and name the recipe folders in the ini option
`deploybook_recipes` (paths from the rootdir). A test that asks for `recipe_case` runs once per
recipe, sample flavour, layout, db value; `configured_recipe` is that case's sample project,
configured once per session and shared by every check on it (with pytest-xdist, run
`--dist loadgroup` to keep a case on one worker). The checks themselves are the test functions of
deploybook.testing.invariants. The rehearsal check is marked `slow` (`-m "not slow"` leaves it out)
and needs PostgreSQL's server programs (Debian's postgresql package) for db=postgres.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from deploybook.compiler import compile_file
from deploybook.testing.postgres import PostgresServer, postgres_server
from deploybook.testing.recipe_cases import ConfiguredProject, RecipeCase, configure, recipe_cases
from deploybook.testing.recipe_checks import automate_runs_only_fakes
from deploybook.testing.rehearsal_check import rehearsed_case

__all__ = ["recipe_folders"]

_AUTOMATE_TEST = "test_automate_all_issues_the_page_commands_in_order"
_REHEARSAL_TEST = "test_rehearsal_serves_the_platform_probes"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("deploybook_recipes", "folders of recipes the deploybook checks test", type="paths")


def pytest_configure(config: pytest.Config) -> None:
    # Registered here so a pack's tests run with --strict-markers without declaring them.
    config.addinivalue_line("markers", "slow: packaging work, rehearsals: virtualenvs, servers, probes")


def recipe_folders(config: pytest.Config) -> list[Path]:
    folders = config.getini("deploybook_recipes")
    if not folders:
        raise pytest.UsageError("deploybook.testing.plugin: set the ini option deploybook_recipes to a recipes folder")
    return [Path(folder) for folder in folders]


def _cases(config: pytest.Config) -> list[RecipeCase]:
    cached: list[RecipeCase] | None = getattr(config, "_deploybook_cases", None)
    if cached is None:
        cached = [case for folder in recipe_folders(config) for case in recipe_cases(folder)]
        config._deploybook_cases = cached  # type: ignore[attr-defined]
    return cached


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "recipe_case" in metafunc.fixturenames:
        metafunc.parametrize(
            "recipe_case",
            [
                pytest.param(case, id=case.id, marks=pytest.mark.xdist_group(case.id))
                for case in _cases(metafunc.config)
            ],
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the automate and rehearsal checks where they cannot or need not run.

    The automate check's commands do not depend on the layout, so the flat case checks them; and
    a recipe whose setup runs real programs (ssh, scripts) must never run them from a test: such a
    recipe needs end-to-end tests of its own against a real server. The rehearsal runs once per
    recipe with a processes step and db value (see rehearsal_check.rehearsed_case).
    """
    rehearsed: dict[RecipeCase, bool] = {}
    fakes_only: dict[Path, bool] = {}
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        case = callspec.params.get("recipe_case") if callspec else None
        if isinstance(case, RecipeCase) and item.name.startswith(_AUTOMATE_TEST):
            if case.recipe_file not in fakes_only:
                recipe = compile_file(case.recipe_file).recipe
                fakes_only[case.recipe_file] = recipe is not None and automate_runs_only_fakes(recipe)
            (keep if case.layout == "flat" and fakes_only[case.recipe_file] else drop).append(item)
        elif isinstance(case, RecipeCase) and item.name.startswith(_REHEARSAL_TEST):
            if case not in rehearsed:
                rehearsed[case] = rehearsed_case(case)
            if rehearsed[case]:
                item.add_marker(pytest.mark.slow)
            (keep if rehearsed[case] else drop).append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def configured_projects(tmp_path_factory: pytest.TempPathFactory) -> Callable[[RecipeCase], ConfiguredProject]:
    cache: dict[str, ConfiguredProject] = {}

    def get(case: RecipeCase) -> ConfiguredProject:
        if case.id not in cache:
            cache[case.id] = configure(case, tmp_path_factory.mktemp("configured") / "project")
        return cache[case.id]

    return get


@pytest.fixture
def configured_recipe(
    recipe_case: RecipeCase, configured_projects: Callable[[RecipeCase], ConfiguredProject]
) -> ConfiguredProject:
    return configured_projects(recipe_case)


@pytest.fixture
def deploybook_recipe_folders(request: pytest.FixtureRequest) -> list[Path]:
    return recipe_folders(request.config)


@pytest.fixture(scope="session")
def deploybook_postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL cluster for every rehearsal of a session (on one xdist worker)."""
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def deploybook_venv_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Rehearsals of identical requirements share one virtualenv."""
    return tmp_path_factory.mktemp("rehearsal-venvs")
