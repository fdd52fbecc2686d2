"""The recipe test matrix: every recipe, dependency manager, layout and db value.

One sample project is configured per case and shared by every invariant checked on it (a
session-level cache; with pytest-xdist, `--dist loadgroup` keeps a case's items on one worker).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from deploybook.testing.recipe_cases import ConfiguredProject, RecipeCase, configure, recipe_cases

RECIPES = Path(__file__).resolve().parents[2] / "recipes"
CASES = list(recipe_cases(RECIPES))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        metafunc.parametrize(
            "case",
            [pytest.param(case, id=case.id, marks=pytest.mark.xdist_group(case.id)) for case in CASES],
        )


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
