"""Python version, project name and slug, from the files that declare them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from deploybook.inspect import inspect_project, lowest_python

BASE = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
    "mysite/settings.py": "WSGI_APPLICATION = 'mysite.wsgi.application'\n",
    "mysite/wsgi.py": "application = None\n",
}


@pytest.mark.parametrize(
    ("constraint", "lowest"),
    [
        (">=3.11", "3.11"),
        ("^3.10", "3.10"),
        ("~3.12", "3.12"),
        ("==3.11.*", "3.11"),
        (">=3.9,<3.13", "3.9"),
        (">= 3.10, < 3.13", "3.10"),
        (">=3.10 <3.13", "3.10"),
        (">3.11", "3.11"),
        ("^3.12 || ^3.10", "3.10"),
        ("3.13", "3.13"),
        ("*", None),
        ("not a constraint", None),
    ],
)
def test_lowest_python(constraint: str, lowest: str | None) -> None:
    assert lowest_python(constraint) == lowest


@pytest.mark.parametrize(
    ("files", "version", "source"),
    [
        ({".python-version": "3.12.4\n", "requirements.txt": ""}, "3.12", ".python-version"),
        ({".python-version": "# pyenv\npypy3.10\n", "requirements.txt": ""}, "3.10", ".python-version"),
        ({"runtime.txt": "python-3.13.1\n", "requirements.txt": ""}, "3.13", "runtime.txt"),
        ({"Pipfile": '[requires]\npython_full_version = "3.10.4"\n'}, "3.10", "Pipfile"),
        (
            {"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.12"\n', "poetry.lock": ""},
            "3.12",
            "pyproject.toml",
        ),
        (
            {
                "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.10"\n',
                "uv.lock": "version = 1\n",
                ".python-version": "3.13\n",
            },
            "3.13",
            ".python-version",
        ),
    ],
)
def test_python_version_sources(tree: Callable[..., Path], files: dict[str, str], version: str, source: str) -> None:
    found = inspect_project(tree({**BASE, **files}))
    assert (found.python_version, found.python_version_source) == (version, source)


CONFIG = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local')\n",
    "config/settings/local.py": "WSGI_APPLICATION = 'config.wsgi.application'\n",
    "config/wsgi.py": "application = None\n",
}


def test_project_name_is_the_settings_package(tree: Callable[..., Path]) -> None:
    found = inspect_project(tree({**BASE, "pyproject.toml": '[project]\nname = "other"\n', "uv.lock": ""}))
    assert (found.project_name, found.project_slug) == ("mysite", "mysite")
    assert (found.facts()["project_package"], found.facts()["project_package_dir"]) == ("mysite", "mysite")


@pytest.mark.parametrize(
    ("files", "name", "slug"),
    [
        (
            {"pyproject.toml": '[project]\nname = "My Cool_Project!!"\n', "uv.lock": ""},
            "My Cool_Project!!",
            "my-cool-project",
        ),
        ({"pyproject.toml": '[tool.poetry]\nname = "2048-game"\n', "poetry.lock": ""}, "2048-game", "app-2048-game"),
        (
            {"pyproject.toml": '[project]\nname = "an-exceedingly-long-project-name-for-a-blog"\n', "pdm.lock": ""},
            "an-exceedingly-long-project-name-for-a-blog",
            "an-exceedingly-long-project-na",
        ),
    ],
)
def test_generic_settings_package_takes_the_pyproject_name(
    tree: Callable[..., Path], files: dict[str, str], name: str, slug: str
) -> None:
    found = inspect_project(tree({**CONFIG, **files}))
    assert (found.project_name, found.project_slug) == (name, slug)
    assert found.facts()["project_package"] == "config"


def test_generic_settings_package_without_pyproject_takes_the_folder_name(tree: Callable[..., Path]) -> None:
    root = tree({**CONFIG, "requirements.txt": ""})
    found = inspect_project(root)
    assert found.project_name == root.name
    assert found.settings_is_package
    assert found.facts()["settings_path"] == "config/settings/local.py"
