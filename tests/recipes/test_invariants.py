"""Every recipe, on every sample flavour and layout, keeps the invariants its page promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploybook.testing.file_checks import file_problems
from deploybook.testing.recipe_cases import ConfiguredProject
from deploybook.testing.recipe_checks import (
    automate_problems,
    check_deploy_problems,
    declared_files_problems,
    page_test_problems,
    rerun_problems,
)


def report(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def test_page_tests_pass(configured: ConfiguredProject) -> None:
    report(page_test_problems(configured))


def test_check_deploy_is_clean_without_deploybook(configured: ConfiguredProject) -> None:
    report(check_deploy_problems(configured))


def test_generated_files_parse(configured: ConfiguredProject) -> None:
    report(file_problems(configured))


def test_rerun_is_a_no_op(configured: ConfiguredProject) -> None:
    report(rerun_problems(configured))


def test_only_declared_files_change(configured: ConfiguredProject) -> None:
    report(declared_files_problems(configured))


def test_automate_all_issues_the_page_commands_in_order(configured: ConfiguredProject, tmp_path: Path) -> None:
    # Collected for flat layouts of recipes whose commands are all faked (see conftest.py).
    report(automate_problems(configured, tmp_path))
