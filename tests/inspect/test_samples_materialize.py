"""The sample project: every flavour is a real, committed, working Django project."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import tomlkit

from deploybook.samples import FLAVOURS, SampleProject, materialize

MANIFESTS = {
    "requirements": {"requirements.txt"},
    "poetry": {"pyproject.toml", "poetry.lock"},
    "poetry-pep621": {"pyproject.toml", "poetry.lock"},
    "pipenv": {"Pipfile", "Pipfile.lock"},
    "uv": {"pyproject.toml", "uv.lock", ".python-version"},
    "pdm": {"pyproject.toml", "pdm.lock"},
}


def git(root: Path, *argv: str) -> str:
    return subprocess.run(["git", *argv], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_flavour_is_one_clean_commit_with_its_manifests(sample: Callable[..., SampleProject], flavour: str) -> None:
    project = sample(flavour=flavour)
    assert git(project.root, "status", "--porcelain") == ""
    assert git(project.root, "rev-list", "--count", "HEAD").strip() == "1"
    top_level = {path.name for path in project.root.iterdir()} - {".git"}
    assert (
        top_level
        == {"README.md", ".gitignore", "manage.py", "jotter", "notes", "static", "templates"} | MANIFESTS[flavour]
    )
    assert git(project.root, "config", "user.email").strip() == "sample@jotter.invalid"


def test_commit_is_reproducible(sample: Callable[..., SampleProject]) -> None:
    first, second = sample(flavour="uv"), sample(flavour="uv")
    assert git(first.root, "rev-parse", "HEAD") == git(second.root, "rev-parse", "HEAD")


def test_nested_layout_puts_manage_py_under_src(sample: Callable[..., SampleProject]) -> None:
    project = sample(flavour="poetry", layout="nested")
    assert project.project_dir == project.root / "src"
    assert not (project.root / "manage.py").exists()
    assert (project.root / "src" / "manage.py").is_file()
    assert (project.root / "pyproject.toml").is_file()
    assert (project.root / "src" / "manage.py").stat().st_mode & 0o111


def test_settings_package_points_everything_at_dev(sample: Callable[..., SampleProject]) -> None:
    project = sample(settings="package")
    settings = project.project_dir / "jotter" / "settings"
    assert sorted(path.name for path in settings.iterdir()) == ["__init__.py", "base.py", "dev.py"]
    assert not (project.project_dir / "jotter" / "settings.py").exists()
    for name in ("manage.py", "jotter/wsgi.py", "jotter/asgi.py"):
        assert "'jotter.settings.dev'" in (project.project_dir / name).read_text()
    assert project.settings_module == "jotter.settings.dev"


def test_lock_files_are_real_and_parse(sample: Callable[..., SampleProject]) -> None:
    uv = tomlkit.parse((sample(flavour="uv").root / "uv.lock").read_text()).unwrap()
    assert uv["version"] == 1
    assert {package["name"] for package in uv["package"]} >= {"django", "asgiref", "jotter"}
    for flavour in ("poetry", "poetry-pep621"):
        poetry = tomlkit.parse((sample(flavour=flavour).root / "poetry.lock").read_text()).unwrap()
        assert poetry["metadata"]["lock-version"] == "2.1"
        assert "django" in {package["name"] for package in poetry["package"]}
    pdm = tomlkit.parse((sample(flavour="pdm").root / "pdm.lock").read_text()).unwrap()
    assert "django" in {package["name"] for package in pdm["package"]}
    pipfile_lock = json.loads((sample(flavour="pipenv").root / "Pipfile.lock").read_text())
    assert pipfile_lock["default"]["django"]["version"] == "==5.2.19"


def test_sample_is_a_beginners_project(sample: Callable[..., SampleProject]) -> None:
    settings = (sample().project_dir / "jotter" / "settings.py").read_text()
    assert "DEBUG = True" in settings
    assert "SECRET_KEY = 'django-insecure-" in settings
    assert "django.db.backends.sqlite3" in settings
    assert "STATIC_ROOT" not in settings and "STORAGES" not in settings


@pytest.mark.parametrize(("layout", "settings"), [("flat", "module"), ("nested", "package")])
def test_sample_runs_its_own_tests(sample: Callable[..., SampleProject], layout: str, settings: str) -> None:
    project = sample(layout=layout, settings=settings)
    for argv in (
        ["check", "--fail-level", "WARNING"],
        ["makemigrations", "--check", "--dry-run"],
        ["test", "--verbosity", "0"],
    ):
        result = subprocess.run(
            [sys.executable, "manage.py", *argv],
            cwd=project.project_dir,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
    assert git(project.root, "status", "--porcelain") == ""


def test_unknown_choices_and_non_empty_destination(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown flavour 'conda'; choose one of requirements, "):
        materialize(tmp_path / "a", flavour="conda")
    with pytest.raises(ValueError, match="unknown layout 'deep'"):
        materialize(tmp_path / "a", layout="deep")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "keep.txt").write_text("x")
    with pytest.raises(FileExistsError, match="is not empty"):
        materialize(tmp_path / "b")
