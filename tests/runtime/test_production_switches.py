"""The production block refuses or normalises the environment it is given, at start-up.

Each case runs the configured project's own manage.py in a fresh process with the variables a
platform (or a user's typo) would set, and reads the settings Django ends up with.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from deploybook.samples import SampleProject
from deploybook.testing import commit_all

Deploy = Callable[..., object]

_SHOW = (
    "from django.conf import settings; "
    "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS, settings.STATIC_ROOT)"
)


def _production(project_dir: Path, command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    environment.update({"DJANGO_SECRET_KEY": "x" * 50, "DATABASE_URL": "sqlite:///prod.sqlite3", **env})
    environment = {key: value for key, value in environment.items() if value != "<unset>"}
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=project_dir,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def configured(app_sample: Callable[..., SampleProject], deploy: Deploy) -> Path:
    project = app_sample()
    deploy(project, "heroku", "--set", "db=sqlite")
    return project.project_dir


def test_django_env_in_another_case_still_means_production(configured: Path) -> None:
    shown = _production(
        configured, ["shell", "-v", "0", "-c", _SHOW], DJANGO_ENV=" Production", DJANGO_ALLOWED_HOSTS="a.com"
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("False ['a.com']"), shown.stdout


def test_host_lists_are_trimmed_and_subdomain_entries_trusted_for_csrf(configured: Path) -> None:
    shown = _production(
        configured,
        ["shell", "-v", "0", "-c", _SHOW],
        DJANGO_ENV="production",
        DJANGO_ALLOWED_HOSTS="a.com, b.com ,.example.org,",
    )
    assert shown.returncode == 0, shown.stderr
    assert "['a.com', 'b.com', '.example.org']" in shown.stdout
    assert "['https://a.com', 'https://b.com', 'https://*.example.org']" in shown.stdout


def test_a_wildcard_host_is_refused_at_start_up(configured: Path) -> None:
    checked = _production(configured, ["check"], DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="*")
    assert checked.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is '*'" in checked.stderr


def test_a_missing_database_url_is_refused_at_start_up_but_not_by_the_build(configured: Path) -> None:
    checked = _production(
        configured, ["check"], DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="a.com", DATABASE_URL="<unset>"
    )
    assert checked.returncode != 0
    assert "DATABASE_URL is not set" in checked.stderr
    built = _production(
        configured,
        ["collectstatic", "--noinput", "-v", "0"],
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="<unset>",
        DATABASE_URL="<unset>",
    )
    assert built.returncode == 0, built.stderr


@pytest.mark.parametrize("base_dir", ["none", "string"])
def test_settings_without_a_path_base_dir_still_start(
    app_sample: Callable[..., SampleProject], deploy: Deploy, base_dir: str
) -> None:
    project = app_sample()
    settings = project.project_dir / "jotter" / "settings.py"
    text = settings.read_text()
    assert "BASE_DIR = Path(__file__).resolve().parent.parent" in text
    if base_dir == "none":
        # Replace every use too: a project that never had the name.
        text = text.replace("BASE_DIR = Path(__file__).resolve().parent.parent\n", "")
        text = re.sub(r"BASE_DIR / ('[^']+'|\"[^\"]+\")", r"Path(__file__).resolve().parent.parent / \1", text)
    else:
        text = text.replace(
            "BASE_DIR = Path(__file__).resolve().parent.parent",
            "BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))",
        )
        text = "import os\n" + re.sub(r"BASE_DIR / ('[^']+'|\"[^\"]+\")", r"os.path.join(BASE_DIR, \1)", text)
    settings.write_text(text)
    commit_all(project.root, f"BASE_DIR: {base_dir}")

    deploy(project, "heroku", "--set", "db=sqlite")

    shown = _production(
        project.project_dir, ["shell", "-v", "0", "-c", _SHOW], DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="a.com"
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().endswith(str(project.project_dir.resolve() / "staticfiles")), shown.stdout
