"""Configuration-only deploys of the Heroku recipe into every shape of project."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from deploy_helpers import status

from deploybook.samples import FLAVOURS, LAYOUTS, SETTINGS_STYLES, SampleProject

RELOCK = {"poetry": "poetry lock", "poetry-pep621": "poetry lock", "pipenv": "pipenv lock", "uv": "uv lock"}
MANIFEST = {
    "requirements": "requirements.txt",
    "poetry": "pyproject.toml",
    "poetry-pep621": "pyproject.toml",
    "pipenv": "Pipfile",
    "uv": "pyproject.toml",
}


@pytest.mark.parametrize("settings", SETTINGS_STYLES)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("flavour", [f for f in FLAVOURS if f != "pdm"])
def test_heroku_configures_every_shape_and_a_rerun_changes_nothing(
    sample: Callable[..., SampleProject], deploy: Callable[..., object], flavour: str, layout: str, settings: str
) -> None:
    project = sample(flavour=flavour, layout=layout, settings=settings)
    root = project.root
    prefix = "src/" if layout == "nested" else ""
    settings_file = f"{prefix}jotter/settings/dev.py" if settings == "package" else f"{prefix}jotter/settings.py"

    out = deploy(project, "heroku").out  # type: ignore[attr-defined]

    assert "Recipe heroku (Heroku, version 1) for jotter: db=postgres" in out
    assert "configuration only: nothing on the platform is contacted or created" in out
    assert "create  Procfile  [procfile]" in out
    # The uv sample already pins its Python in .python-version, as uv does.
    pinned = "identical" if flavour == "uv" else "create"
    assert f"{pinned}  .python-version  [python-version]" in out
    assert f"create  {prefix}jotter/health.py  [health-check]" in out
    assert f"update  {settings_file}  [production-settings]" in out
    assert f"update  {MANIFEST[flavour]}  [production-packages]" in out
    assert "update  .gitignore  [deploybook]" in out
    assert "Commands to run, in this order, from the repository root" in out
    assert "    heroku create jotter\n" in out
    assert "'DJANGO_ALLOWED_HOSTS=<app_host>'" in out
    assert "Your project is configured for Heroku." in out  # the recipe's message ends the run
    if flavour in RELOCK:
        assert f"run `{RELOCK[flavour]}`" in out

    procfile = (root / "Procfile").read_text()
    project_dir = "src" if layout == "nested" else "."
    assert f"gunicorn --chdir {project_dir} jotter.wsgi" in procfile
    assert (root / prefix / "jotter" / "health.py").is_file()
    settings_text = (root / settings_file).read_text()
    assert settings_text.count(">>> deploybook heroku/production-settings >>>") == 1
    assert '"jotter.health.HealthCheckMiddleware"' in settings_text
    assert "gunicorn" in (root / MANIFEST[flavour]).read_text()
    assert "/.deploybook/" in (root / ".gitignore").read_text()
    before = status(root)

    again = deploy(project, "--allow-dirty", "heroku").out  # type: ignore[attr-defined]

    assert not re.search(r"^ +(create|update) ", again, re.MULTILINE)
    assert "identical  Procfile  [procfile]" in again
    assert f"identical  {settings_file}  [production-settings]" in again
    assert "Every file is already as the recipe writes it: nothing to change." in again
    assert status(root) == before


def test_a_project_the_recipe_does_not_support_is_refused_by_name(
    sample: Callable[..., SampleProject], deploy: Callable[..., object]
) -> None:
    from django.core.management import CommandError

    project = sample(flavour="pdm")
    with pytest.raises(CommandError) as error:
        deploy(project, "heroku")
    assert "recipe 'heroku' does not support pdm projects (it supports requirements, poetry, pipenv, uv)" in str(
        error.value
    )
    assert status(project.root) == ""
