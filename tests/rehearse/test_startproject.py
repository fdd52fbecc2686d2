"""A project fresh from `django-admin startproject`, not a sample, rehearses cleanly for every recipe.

Two shapes real beginners have: the bare project (no page at /), and one with a home page whose
only stylesheet is a few bytes, which WhiteNoise rightly serves uncompressed.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from deploybook.rehearse import RehearsalReport, rehearse
from deploybook.samples import SampleProject
from deploybook.testing import commit_all, install_app
from deploybook.testing.postgres import PostgresServer
from deploybook.testing.recipe_cases import RecipeCase, configure_project

RECIPES = Path(__file__).resolve().parents[2] / "recipes"
pytestmark = pytest.mark.xdist_group("rehearse")

TINY_CSS = "body { color: #123456 }\n"
HOME = """{% load static %}<!doctype html>
<html><head><title>Site</title><link rel="stylesheet" href="{% static 'site.css' %}"></head>
<body><h1>Hello</h1></body></html>
"""


def startproject(dest: Path, *, home_page: bool, requirements: str = "") -> SampleProject:
    dest.mkdir()
    subprocess.run([sys.executable, "-m", "django", "startproject", "mysite", "."], cwd=dest, check=True)
    (dest / "requirements.txt").write_text("Django>=5.2,<6\n" + requirements)
    if home_page:
        (dest / "static").mkdir()
        (dest / "static" / "site.css").write_text(TINY_CSS)
        (dest / "templates").mkdir()
        (dest / "templates" / "home.html").write_text(HOME)
        settings = dest / "mysite" / "settings.py"
        text = settings.read_text().replace("'DIRS': [],", "'DIRS': [BASE_DIR / 'templates'],")
        settings.write_text(text + "\nSTATICFILES_DIRS = [BASE_DIR / 'static']\n")
        urls = dest / "mysite" / "urls.py"
        urls.write_text(
            urls.read_text()
            .replace(
                "from django.urls import path",
                "from django.urls import path\nfrom django.views.generic import TemplateView",
            )
            .replace(
                "path('admin/', admin.site.urls),",
                "path('admin/', admin.site.urls),\n    path('', TemplateView.as_view(template_name='home.html')),",
            )
        )
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=dest, check=True)
    (dest / ".gitignore").write_text("db.sqlite3\n__pycache__/\n")
    commit_all(dest, "django-admin startproject mysite")
    install_app(dest)
    return SampleProject(dest, dest, "requirements", "flat", "module")


def run(
    project: SampleProject, recipe: str, venv_cache: Path, *, db: str = "sqlite", database_url: str | None = None
) -> RehearsalReport:
    case = RecipeCase(RECIPES / f"{recipe}.md", recipe, "requirements", "flat", db)
    configured = configure_project(case, project)
    out = io.StringIO()
    return rehearse(
        configured.root,
        configured.resolution,
        database_url=database_url,
        out=out,
        project=configured.prepared.context.project,
        venv_cache=venv_cache,
    )


@pytest.mark.parametrize("recipe", ["fly-io", "heroku", "upsun"])
def test_a_tiny_stylesheet_is_rightly_served_uncompressed(
    recipe: str, tmp_path: Path, postgres: PostgresServer, venv_cache: Path
) -> None:
    report = run(startproject(tmp_path / "site", home_page=True), recipe, venv_cache)
    assert report.ok, report.format() + "\n".join(f"--- {k}\n{v}" for k, v in report.logs.items())
    home = next(check for check in report.checks if check.name.startswith("home page's stylesheet"))
    assert "uncompressed, rightly: gzip saves only" in home.detail, home.detail
    admin = next(check for check in report.checks if check.name.startswith("admin's stylesheet"))
    assert ": gzip," in admin.detail or ": br," in admin.detail, "a stylesheet worth compressing still must be"


def test_a_bare_project_is_probed_on_the_pages_it_has(tmp_path: Path, venv_cache: Path) -> None:
    report = run(startproject(tmp_path / "site", home_page=False), "heroku", venv_cache)
    assert report.ok, report.format() + "\n".join(f"--- {k}\n{v}" for k, v in report.logs.items())
    home = next(check for check in report.checks if check.name == "home page over HTTPS")
    assert home.detail.startswith("skipped: the project has no page at / (404)")
    assert any(check.name == "admin login page" and check.ok for check in report.checks)


def test_the_oldest_pins_the_requirements_allow_and_the_projects_own_driver_work(
    tmp_path: Path, postgres: PostgresServer, venv_cache: Path
) -> None:
    pins = "dj-database-url==2.1.0\npsycopg2-binary==2.9.10\n"
    project = startproject(tmp_path / "site", home_page=True, requirements=pins)
    url = postgres.create_database("startproject_floor")
    report = run(project, "heroku", venv_cache, db="postgres", database_url=url)
    assert report.ok, report.format() + "\n".join(f"--- {k}\n{v}" for k, v in report.logs.items())
    requirements = (project.root / "requirements.txt").read_text()
    assert "psycopg" not in requirements.replace("psycopg2-binary==2.9.10", ""), "the project's own driver is kept"
    assert "dj-database-url==2.1.0" in requirements and "dj-database-url>=" not in requirements
