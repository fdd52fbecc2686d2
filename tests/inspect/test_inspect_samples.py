"""Inspection of every sample flavour, layout and settings style, through inspect_project()."""

from __future__ import annotations

import itertools
import shutil
import sys
from collections.abc import Callable

import pytest

from deploybook.inspect import InspectError, inspect_project
from deploybook.samples import FLAVOURS, LAYOUTS, SETTINGS_STYLES, SampleProject

PKG = {"poetry-pep621": "poetry"}
LOCKS = {
    "requirements": None,
    "poetry": "poetry.lock",
    "poetry-pep621": "poetry.lock",
    "pipenv": "Pipfile.lock",
    "uv": "uv.lock",
    "pdm": "pdm.lock",
}
MANIFESTS = {"requirements": "requirements.txt", "pipenv": "Pipfile"}
PYTHON_SOURCES = {
    "requirements": "the running interpreter",
    "pipenv": "Pipfile",
    "uv": ".python-version",
}


@pytest.mark.parametrize(("flavour", "layout", "settings"), list(itertools.product(FLAVOURS, LAYOUTS, SETTINGS_STYLES)))
def test_every_sample_is_read_correctly(
    sample: Callable[..., SampleProject], flavour: str, layout: str, settings: str
) -> None:
    made = sample(flavour=flavour, layout=layout, settings=settings)
    project = inspect_project(made.project_dir)
    prefix = "src/" if layout == "nested" else ""
    settings_file = "jotter/settings/dev.py" if settings == "package" else "jotter/settings.py"
    expected_python = "3.11" if flavour != "requirements" else project.python_version
    assert project.facts() == {
        "project_name": "jotter",
        "project_slug": "jotter",
        "python_version": expected_python,
        "python_version_digits": expected_python.replace(".", ""),
        "settings_module": made.settings_module,
        "settings_path": prefix + settings_file,
        "project_package": "jotter",
        "project_package_dir": prefix + "jotter",
        "wsgi_module": "jotter.wsgi",
        "wsgi_application": "jotter.wsgi.application",
        "project_dir": "src" if layout == "nested" else ".",
        "settings_depth": "2" if settings == "package" else "1",
        "pkg": PKG.get(flavour, flavour),
    }
    assert project.root == made.root == project.git_root
    assert project.settings_is_package is (settings == "package")
    assert project.settings_origin == "manage.py:9"
    assert (project.has_static_url, project.has_static_root, project.has_storages) == (
        True,
        False,
        False,
    )
    assert project.relative(project.manifest) == MANIFESTS.get(flavour, "pyproject.toml")
    lock = LOCKS[flavour]
    assert (project.relative(project.lock_file) if project.lock_file else None) == lock
    assert project.python_version_source == PYTHON_SOURCES.get(flavour, "pyproject.toml")


def test_start_may_be_manage_py_itself(sample: Callable[..., SampleProject]) -> None:
    made = sample(layout="nested")
    assert inspect_project(made.project_dir / "manage.py").manage_dir == made.project_dir


def test_running_interpreter_is_the_last_resort(sample: Callable[..., SampleProject]) -> None:
    project = inspect_project(sample(flavour="requirements").project_dir)
    assert project.python_version == f"{sys.version_info.major}.{sys.version_info.minor}"


def test_project_outside_git_uses_manage_py_folder_as_root(
    sample: Callable[..., SampleProject],
) -> None:
    made = sample(layout="nested")
    # Moving the dependency file next to manage.py and dropping .git leaves a plain folder.
    (made.root / "requirements.txt").rename(made.project_dir / "requirements.txt")
    shutil.rmtree(made.root / ".git")
    project = inspect_project(made.project_dir)
    assert project.git_root is None
    assert project.root == made.project_dir
    assert project.facts()["project_dir"] == "."
    assert project.facts()["settings_path"] == "jotter/settings.py"


def test_entry_points_that_disagree_on_the_settings_are_asked_about(sample: Callable[..., SampleProject]) -> None:
    made = sample(settings="package")
    wsgi = made.project_dir / "jotter" / "wsgi.py"
    wsgi.write_text(wsgi.read_text().replace("jotter.settings.dev", "jotter.settings.base"))
    with pytest.raises(InspectError) as raised:
        inspect_project(made.project_dir)
    assert str(raised.value).startswith("manage.py:9 names jotter.settings.dev; ")
    assert "; jotter/wsgi.py:14 names jotter.settings.base: manage.py (which runs the migrations)" in str(raised.value)
    assert "--set settings_module=" in (raised.value.hint or "")
    chosen = inspect_project(made.project_dir, settings_module="jotter.settings.base")
    assert chosen.settings_path.name == "base.py"


@pytest.mark.parametrize("name", ["production", "prod", "deploy", "live"])
def test_a_production_module_beside_the_named_one_is_configured(
    sample: Callable[..., SampleProject], name: str
) -> None:
    made = sample(settings="package")
    (made.project_dir / "jotter" / "settings" / f"{name}.py").write_text("from .base import *\nDEBUG = False\n")
    project = inspect_project(made.project_dir)
    assert (project.settings_module, project.settings_origin) == (
        f"jotter.settings.{name}",
        f"jotter/settings/{name}.py",
    )
    assert project.settings_entry is not None
    assert (project.settings_entry.module, project.settings_entry.origin) == ("jotter.settings.dev", "manage.py:9")
    assert project.facts()["settings_depth"] == "2"
    kept = inspect_project(made.project_dir, settings_module="jotter.settings.dev")
    assert (kept.settings_path.name, kept.settings_entry) == ("dev.py", None)


def test_several_production_modules_are_asked_about(sample: Callable[..., SampleProject]) -> None:
    made = sample(settings="package")
    for name in ("production", "live"):
        (made.project_dir / "jotter" / "settings" / f"{name}.py").write_text("from .base import *\n")
    with pytest.raises(InspectError) as raised:
        inspect_project(made.project_dir)
    assert str(raised.value).splitlines()[0] == (
        "manage.py:9: names jotter.settings.dev, but jotter/settings/production.py, jotter/settings/live.py "
        "all look like the settings meant for production"
    )
    assert "--set settings_module=" in (raised.value.hint or "")
    chosen = inspect_project(made.project_dir, settings_module="jotter.settings.live")
    assert chosen.settings_path.name == "live.py"
    assert chosen.settings_entry is not None and chosen.settings_entry.module == "jotter.settings.dev"
