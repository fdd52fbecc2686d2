"""A real `python manage.py deploy` in throwaway projects: exit statuses and messages."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from subprocess import CompletedProcess

import pytest
from deploy_helpers import status

from deploybook.samples import SampleProject

Manage = Callable[..., CompletedProcess[str]]


@pytest.mark.parametrize(
    ("flavour", "layout", "settings"),
    [("requirements", "flat", "module"), ("uv", "nested", "package"), ("poetry-pep621", "nested", "module")],
)
def test_manage_py_deploy_configures_and_the_project_still_works(
    app_sample: Callable[..., SampleProject], manage: Manage, flavour: str, layout: str, settings: str
) -> None:
    project = app_sample(flavour=flavour, layout=layout, settings=settings)

    done = manage(project, "deploy", "heroku")

    assert done.returncode == 0, done.stderr
    assert "create  Procfile  [procfile]" in done.stdout
    assert "Your project is configured for Heroku." in done.stdout
    assert done.stderr == ""
    assert "Procfile" in status(project.root)
    checked = manage(project, "check")
    assert checked.returncode == 0, checked.stderr
    again = manage(project, "deploy", "heroku", "--allow-dirty")
    assert "Every file is already as the recipe writes it: nothing to change." in again.stdout


def test_help_explains_every_option(app_sample: Callable[..., SampleProject], manage: Manage) -> None:
    done = manage(app_sample(), "deploy", "--help")
    assert done.returncode == 0
    for option in (
        "--list",
        "--recipe-file PATH",
        "--set NAME=VALUE",
        "--automate-all",
        "--redeploy",
        "--dry-run",
        "--yes",
        "--no-input",
        "--allow-dirty",
        "--project DIR",
    ):
        assert option in done.stdout, option
    assert "write the configuration only" in done.stdout
    assert "DEPLOYBOOK_<NAME>" in done.stdout


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (("deploy", "nope"), 2, "CommandError: unknown recipe 'nope'"),
        (("deploy", "heroku", "--set", "db=oracle"), 2, "CommandError: recipe 'heroku' has no db=oracle"),
        (("deploy", "heroku", "--automate-all", "--no-input"), 2, "--automate-all asks for confirmation"),
        (("deploy", "--recipe-file", "missing.md"), 2, "--recipe-file missing.md: no such file"),
    ],
)
def test_bad_input_is_a_message_and_an_exit_status_never_a_traceback(
    app_sample: Callable[..., SampleProject], manage: Manage, args: tuple[str, ...], code: int, expected: str
) -> None:
    project = app_sample()
    done = manage(project, *args)
    assert done.returncode == code
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert status(project.root) == ""


def test_a_broken_recipe_prints_its_diagnostics(app_sample: Callable[..., SampleProject], manage: Manage) -> None:
    project = app_sample()
    broken = project.project_dir / "broken.md"
    broken.write_text(
        "---\nid: broken\ntitle: B\nversion: 1\nsummary: x\n---\n\n## S {#s}\n\n```text {step=x}\nhi\n```\n"
    )
    done = manage(project, "deploy", "--recipe-file", "broken.md", "--allow-dirty")
    assert done.returncode == 1
    assert "broken.md has " in done.stderr and "broken.md:10:" in done.stderr and "DB102" in done.stderr
    assert "Traceback" not in done.stderr


def test_manage_py_from_another_folder_finds_its_project(app_sample: Callable[..., SampleProject]) -> None:
    project = app_sample(layout="nested")
    done = subprocess.run(
        [sys.executable, "src/manage.py", "deploy", "heroku", "--dry-run"],
        cwd=project.root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "+web: gunicorn --chdir src jotter.wsgi" in done.stdout
