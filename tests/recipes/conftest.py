"""The recipe test matrix: every recipe, dependency manager, layout and db value.

One sample project is configured per case and shared by every invariant checked on it (a
session-level cache; with pytest-xdist, `--dist loadgroup` keeps a case's items on one worker).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from deploybook.compiler import compile_file
from deploybook.testing.recipe_cases import ConfiguredProject, RecipeCase, configure, recipe_cases
from deploybook.testing.recipe_checks import automate_runs_only_fakes

RECIPES = Path(__file__).resolve().parents[2] / "recipes"
CASES = list(recipe_cases(RECIPES))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        metafunc.parametrize(
            "case",
            [pytest.param(case, id=case.id, marks=pytest.mark.xdist_group(case.id)) for case in CASES],
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the automate check where it cannot or need not run.

    Its commands do not depend on the layout, so the flat case checks them; and a recipe whose
    setup runs real programs (ssh, scripts) must never run them from here: the VPS recipe's
    own end-to-end tests deploy it to a booted server instead.
    """
    fakes_only = {
        path: automate_runs_only_fakes(recipe)
        for path in {case.recipe_file for case in CASES}
        if (recipe := compile_file(path).recipe) is not None
    }
    keep, drop = [], []
    for item in items:
        case = getattr(item, "callspec", None) and item.callspec.params.get("case")
        automate = item.name.startswith("test_automate_all_issues_the_page_commands_in_order")
        if automate and isinstance(case, RecipeCase):
            runnable = case.layout == "flat" and fakes_only.get(case.recipe_file, False)
            (keep if runnable else drop).append(item)
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
def configured(case: RecipeCase, configured_projects: Callable[[RecipeCase], ConfiguredProject]) -> ConfiguredProject:
    return configured_projects(case)
