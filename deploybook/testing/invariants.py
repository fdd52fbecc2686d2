"""The checks every recipe passes, as pytest test functions (with deploybook.testing.plugin).

A test module collects them all with `from deploybook.testing.invariants import *`; deploybook's
own recipe tests and a recipe pack's tests are that one line. Each failure names the recipe's
`path:line` and step.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deploybook.compiler import compile_file, recipe_files
from deploybook.testing.file_checks import file_problems
from deploybook.testing.postgres import PostgresServer
from deploybook.testing.recipe_cases import ConfiguredProject
from deploybook.testing.recipe_checks import (
    automate_problems,
    check_deploy_problems,
    declared_files_problems,
    page_test_problems,
    rerun_problems,
    settings_module_problems,
)
from deploybook.testing.rehearsal_check import rehearsal_problems

__all__ = [
    "test_automate_all_issues_the_page_commands_in_order",
    "test_check_deploy_is_clean_without_deploybook",
    "test_generated_files_parse",
    "test_only_declared_files_change",
    "test_page_tests_pass",
    "test_recipes_compile_cleanly",
    "test_rehearsal_serves_the_platform_probes",
    "test_rerun_is_a_no_op",
    "test_the_platform_loads_the_configured_settings",
]


def _report(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def test_recipes_compile_cleanly(deploybook_recipe_folders: list[Path]) -> None:
    files = [path for folder in deploybook_recipe_folders for path in recipe_files(folder)]
    if not files:
        pytest.fail(f"no recipes in {', '.join(map(str, deploybook_recipe_folders))}", pytrace=False)
    _report([d.format() for path in files for d in compile_file(path).diagnostics])


def test_page_tests_pass(configured_recipe: ConfiguredProject) -> None:
    _report(page_test_problems(configured_recipe))


def test_check_deploy_is_clean_without_deploybook(configured_recipe: ConfiguredProject) -> None:
    _report(check_deploy_problems(configured_recipe))


def test_generated_files_parse(configured_recipe: ConfiguredProject) -> None:
    _report(file_problems(configured_recipe))


def test_rerun_is_a_no_op(configured_recipe: ConfiguredProject) -> None:
    _report(rerun_problems(configured_recipe))


def test_the_platform_loads_the_configured_settings(configured_recipe: ConfiguredProject) -> None:
    _report(settings_module_problems(configured_recipe))


def test_only_declared_files_change(configured_recipe: ConfiguredProject) -> None:
    _report(declared_files_problems(configured_recipe))


def test_automate_all_issues_the_page_commands_in_order(configured_recipe: ConfiguredProject, tmp_path: Path) -> None:
    # Collected for flat layouts of recipes whose commands are all faked (see the plugin).
    _report(automate_problems(configured_recipe, tmp_path))


def test_rehearsal_serves_the_platform_probes(
    configured_recipe: ConfiguredProject, deploybook_venv_cache: Path, request: pytest.FixtureRequest
) -> None:
    # Collected once per recipe and db value, marked slow (see the plugin). PostgreSQL is
    # started only when a db=postgres case asks for it.
    postgres: PostgresServer | None = None
    if configured_recipe.case.db == "postgres":
        postgres = request.getfixturevalue("deploybook_postgres")
    _report(rehearsal_problems(configured_recipe, postgres, deploybook_venv_cache))
