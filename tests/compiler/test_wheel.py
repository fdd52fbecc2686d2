"""The wheel ships the compiler and the recipes, and works installed on its own.

Slow (a wheel build and a fresh virtualenv, about half a minute): `pytest -m "not slow"` leaves
it out. The build runs on a copy of the checkout, so build/ and *.egg-info in the checkout are
never touched; the wheel's dependencies come from pip's own configuration (here a local index),
pinned to the versions this environment already uses.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    ".cache",
    ".deploybook",
    "public",
)
COMPILE_ALL = """
import json
import deploybook.compiler as compiler
from deploybook.compiler import bundled_dir, compile_file, recipe_files

found = []
for path in recipe_files(bundled_dir()):
    result = compile_file(path)
    found.append({
        "name": path.name,
        "errors": [d.format() for d in result.diagnostics if d.is_error],
        "steps": len(result.recipe.steps) if result.recipe else 0,
        "partials": list(result.recipe.partials) if result.recipe else [],
    })
print(json.dumps({"compiler": compiler.__file__, "bundled": str(bundled_dir()), "recipes": found}))
"""

pytestmark = pytest.mark.slow


def run(*argv: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES, symlinks=True)
    run(sys.executable, "-m", "build", "--wheel", "--outdir", work / "dist", source, cwd=work)
    [built] = (work / "dist").glob("deploybook-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with only the wheel and what it declares it needs."""
    where = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", "--without-pip", where / "venv", cwd=where)
    python = where / "venv" / "bin" / "python"
    constraints = where / "constraints.txt"
    constraints.write_text("\n".join(_pins()) + "\n")
    # pip of this environment installs into the new one (--python), which then has no pip of its
    # own; the wheel's Requires-Dist decides what comes along.
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "-c", constraints, wheel, cwd=where)
    return where / "venv"


def isolated_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DJANGO_", "DEPLOYBOOK_"))}
    env.pop("VIRTUAL_ENV", None)
    return env


def bundled_recipes() -> list[str]:
    return sorted(p.name for p in (ROOT / "recipes").glob("*.md") if not p.name.startswith("_"))


def test_the_wheel_holds_the_compiler_and_the_recipes(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    compiler = {
        f"deploybook/compiler/{p.relative_to(ROOT / 'compiler').as_posix()}" for p in (ROOT / "compiler").rglob("*.py")
    }
    # Earlier versions kept for print (recipes/_versions/) are the site's only: deploy always
    # applies the current version, so the wheel need not carry them.
    recipes = {
        f"deploybook/recipes/{p.relative_to(ROOT / 'recipes').as_posix()}"
        for p in (ROOT / "recipes").rglob("*.md")
        if "_versions" not in p.relative_to(ROOT / "recipes").parts
    }
    assert "deploybook/compiler/passes/lex.py" in compiler
    assert compiler <= names, sorted(compiler - names)
    assert recipes <= names, sorted(recipes - names)
    assert any(name.startswith("deploybook/recipes/_partials/") for name in names)
    assert "deploybook/py.typed" in names


def test_the_wheel_holds_no_tests(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    leaked = [
        name
        for name in names
        if name.startswith("tests/")
        or "/tests/" in name
        or name.rsplit("/", 1)[-1].startswith("test_")
        or name.endswith("conftest.py")
        or "/corpus/" in name
    ]
    assert leaked == []


def test_installed_check_finds_the_bundled_recipes(venv: Path, tmp_path: Path) -> None:
    done = run(venv / "bin" / "deploybook", "check", cwd=tmp_path, env=isolated_env())
    count = len(bundled_recipes())
    assert f"{count} recipe{'s' * (count != 1)} checked: 0 errors" in done.stdout


def test_installed_package_compiles_every_bundled_recipe(venv: Path, tmp_path: Path) -> None:
    done = run(venv / "bin" / "python", "-c", COMPILE_ALL, cwd=tmp_path, env=isolated_env())
    report = json.loads(done.stdout)
    assert Path(report["compiler"]).is_relative_to(venv), "the compiler must come from the wheel"
    assert Path(report["bundled"]).is_relative_to(venv), "the recipes must come from the wheel"
    assert [r["name"] for r in report["recipes"]] == bundled_recipes()
    for recipe in report["recipes"]:
        assert recipe["errors"] == [], recipe["name"]
        assert recipe["steps"] > 0, recipe["name"]
        for partial in recipe["partials"]:
            assert Path(partial).is_relative_to(report["bundled"]) and Path(partial).is_file(), partial


def test_installed_show_resolves_a_recipe(venv: Path, tmp_path: Path) -> None:
    done = run(
        venv / "bin" / "deploybook", "show", "heroku", "--set", "app_name=blog", cwd=tmp_path, env=isolated_env()
    )
    assert "heroku create blog" in done.stdout


@pytest.fixture(scope="module")
def editable(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A plain `pip install -e .` (no options) of a copy of the checkout: (source, venv)."""
    work = tmp_path_factory.mktemp("editable")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES, symlinks=True)
    run(sys.executable, "-m", "venv", "--without-pip", work / "venv", cwd=work)
    python = work / "venv" / "bin" / "python"
    constraints = work / "constraints.txt"
    constraints.write_text("\n".join(_pins()) + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "-c", constraints, "-e", source, cwd=work)
    return source, work / "venv"


def _pins() -> list[str]:
    return sorted(
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in metadata.distributions()
        if dist.metadata["Name"] and dist.metadata["Name"].lower() != "deploybook"
    )


def test_a_plain_editable_install_runs_manage_py_deploy(editable: tuple[Path, Path], tmp_path: Path) -> None:
    source, venv = editable
    python = venv / "bin" / "python"
    run(python, "-m", "django", "startproject", "mysite", tmp_path, cwd=tmp_path, env=isolated_env())
    settings = tmp_path / "mysite" / "settings.py"
    text = settings.read_text()
    settings.write_text(text.replace("INSTALLED_APPS = [", 'INSTALLED_APPS = [\n    "deploybook",', 1))
    done = run(python, "manage.py", "deploy", "--list", cwd=tmp_path, env=isolated_env())
    assert "heroku" in done.stdout and "vps" in done.stdout
    compiled = run(python, "-c", "import deploybook.compiler as c; print(c.__file__)", cwd=tmp_path, env=isolated_env())
    assert Path(compiled.stdout.strip()).is_relative_to(source), "the editable install must use the checkout's files"


@pytest.mark.parametrize("name", ["deploybook.tests", "deploybook.site", "deploybook.benchmarks", "deploybook.dev"])
def test_only_the_real_subpackages_are_importable(editable: tuple[Path, Path], name: str) -> None:
    source, venv = editable
    # From the checkout's root too, where the folders tests/ and site/ sit beside deploybook/.
    for cwd in (source, source.parent):
        done = subprocess.run(
            [str(venv / "bin" / "python"), "-c", f"import {name}"], cwd=cwd, env=isolated_env(), capture_output=True
        )
        assert done.returncode != 0, f"{name} is importable from {cwd}"


def test_an_edited_compiler_is_never_served_from_the_recipe_cache(editable: tuple[Path, Path], tmp_path: Path) -> None:
    source, venv = editable
    env = isolated_env() | {"DEPLOYBOOK_CACHE_DIR": str(tmp_path / "cache")}
    title = "from deploybook.runtime.recipes import load_recipe; print(load_recipe('heroku').recipe.title)"
    first = run(venv / "bin" / "python", "-c", title, cwd=tmp_path, env=env)
    assert first.stdout.strip() == "Heroku"
    assert list((tmp_path / "cache").rglob("*.pickle")), "the first load stores the compiled recipe"
    pipeline = source / "compiler" / "pipeline.py"
    original = pipeline.read_text()
    try:
        pipeline.write_text(original.replace('title=data["title"],', 'title=data["title"] + " (edited)",'))
        again = run(venv / "bin" / "python", "-c", title, cwd=tmp_path, env=env)
    finally:
        pipeline.write_text(original)
    assert again.stdout.strip() == "Heroku (edited)"
