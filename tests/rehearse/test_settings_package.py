"""A settings package whose manage.py and wsgi.py name `settings.dev` while a
`settings/production.py` sits beside it: production must load production.py, on the server
and in `migrate`, and the report must say so."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from deploybook.rehearse import rehearse
from deploybook.samples import materialize
from deploybook.testing import commit_all, install_app
from deploybook.testing.recipe_cases import RecipeCase, configure_project

RECIPES = Path(__file__).resolve().parents[2] / "recipes"
pytestmark = pytest.mark.xdist_group("rehearse")

# What such projects put in production.py: their own production values, which only take
# effect if production really loads this module.
PRODUCTION = """from .base import *  # noqa: F403

DEBUG = False
SERVER_MARK = "production.py"
"""


def test_the_production_module_is_configured_and_loaded(tmp_path: Path, venv_cache: Path) -> None:
    sample = materialize(tmp_path / "site", settings="package")
    settings = sample.project_dir / "jotter" / "settings"
    (settings / "production.py").write_text(PRODUCTION)
    dev_before = (settings / "dev.py").read_bytes()
    commit_all(sample.root, "a production settings module")
    install_app(sample.project_dir)

    configured = configure_project(
        RecipeCase(RECIPES / "heroku.md", "heroku", "requirements", "flat", "sqlite"), sample
    )

    assert "deploybook heroku/production-settings" in (settings / "production.py").read_text()
    assert (settings / "dev.py").read_bytes() == dev_before, "the development module is left alone"
    assert configured.resolution.platform_env()["DJANGO_SETTINGS_MODULE"] == "jotter.settings.production"
    note = " ".join(configured.output.split())
    assert (
        "configured jotter/settings/production.py (jotter.settings.production, from jotter/settings/production.py), "
        "not jotter.settings.dev that manage.py:9 names: the platform's environment sets "
        "DJANGO_SETTINGS_MODULE=jotter.settings.production"
    ) in note, configured.output

    report = rehearse(
        configured.root,
        configured.resolution,
        database_url=None,
        out=io.StringIO(),
        project=configured.prepared.context.project,
        venv_cache=venv_cache,
    )
    assert report.ok, report.format() + "\n".join(f"--- {k}\n{v}" for k, v in report.logs.items())
