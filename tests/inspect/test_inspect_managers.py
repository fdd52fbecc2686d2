"""Which dependency manager a project uses, and the errors when that is unclear."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from deploybook.inspect import InspectError, inspect_project
from deploybook.samples import SampleProject


def test_two_managers_is_an_error_listing_the_files(sample: Callable[..., SampleProject]) -> None:
    made = sample(flavour="poetry")
    (made.root / "requirements.txt").write_text("Django==5.2.19\n")
    with pytest.raises(InspectError) as error:
        inspect_project(made.project_dir)
    assert str(error.value) == (
        f"{made.root}: more than one dependency manager: "
        "pyproject.toml [tool.poetry], poetry.lock (poetry); requirements.txt (requirements)\n"
        "  hint: a platform installs from one manager, and Heroku's build refuses to start when it finds more "
        "than one of requirements.txt, Pipfile.lock, poetry.lock and uv.lock; keep the one that installs your "
        "dependencies in production: keep poetry (--set pkg=poetry) and remove requirements.txt; or keep "
        "requirements (--set pkg=requirements) and remove the [tool.poetry] table of pyproject.toml, poetry.lock"
    )


def test_three_managers_name_the_exact_files_to_remove(sample: Callable[..., SampleProject]) -> None:
    made = sample(flavour="poetry")
    (made.root / "requirements.txt").write_text("Django==5.2.19\n")
    (made.root / "Pipfile").write_text('[packages]\ndjango = "==5.2.19"\n')
    (made.root / "Pipfile.lock").write_text("{}\n")
    with pytest.raises(InspectError) as error:
        inspect_project(made.project_dir)
    hint = error.value.hint
    assert "Heroku's build refuses to start when it finds more than one" in hint
    assert (
        "keep pipenv (--set pkg=pipenv) and remove the [tool.poetry] table of pyproject.toml, poetry.lock, "
        "requirements.txt; or keep poetry (--set pkg=poetry) and remove Pipfile, Pipfile.lock, requirements.txt; "
        "or keep requirements (--set pkg=requirements) and remove Pipfile, Pipfile.lock, the [tool.poetry] "
        "table of pyproject.toml, poetry.lock"
    ) in hint


def test_choosing_resolves_the_ambiguity(sample: Callable[..., SampleProject]) -> None:
    made = sample(flavour="uv", layout="nested")
    (made.root / "Pipfile").write_text("[packages]\ndjango = '*'\n")
    with pytest.raises(InspectError, match=r"Pipfile \(pipenv\); uv.lock \(uv\)"):
        inspect_project(made.project_dir)
    assert inspect_project(made.project_dir, pkg="uv").pkg == "uv"
    chosen = inspect_project(made.project_dir, pkg="pipenv")
    assert (chosen.pkg, chosen.manifest, chosen.lock_file) == ("pipenv", made.root / "Pipfile", None)


def test_choosing_a_manager_without_its_file(sample: Callable[..., SampleProject]) -> None:
    made = sample(layout="nested")
    with pytest.raises(InspectError) as error:
        inspect_project(made.project_dir, pkg="pipenv")
    assert str(error.value).splitlines()[0] == (
        f"--set pkg=pipenv but there is no Pipfile in {made.project_dir}, {made.root}"
    )
    with pytest.raises(InspectError, match=r"^unknown dependency manager 'conda'\n  hint: choose with "):
        inspect_project(made.project_dir, pkg="conda")


def test_nearest_folder_wins(sample: Callable[..., SampleProject]) -> None:
    made = sample(flavour="poetry", layout="nested")
    (made.project_dir / "requirements.txt").write_text("Django\n")
    found = inspect_project(made.project_dir)
    assert (found.pkg, found.manifest) == ("requirements", made.project_dir / "requirements.txt")


def test_tool_settings_in_pyproject_are_not_a_manager(tree: Callable[..., Path]) -> None:
    root = tree(
        {
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
            "mysite/settings.py": "WSGI_APPLICATION = 'mysite.wsgi.application'\n",
            "mysite/wsgi.py": "application = None\n",
            "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
            "requirements.txt": "Django\n",
        }
    )
    assert inspect_project(root).pkg == "requirements"


def test_pep621_without_a_lock_asks_which_tool(sample: Callable[..., SampleProject]) -> None:
    made = sample(flavour="uv")
    (made.root / "uv.lock").unlink()
    with pytest.raises(InspectError) as error:
        inspect_project(made.project_dir)
    assert str(error.value) == (
        f"{made.root}/pyproject.toml has a [project] table but no lock file, so the tool that manages it is "
        "unknown\n  hint: lock it with the tool you use (`uv lock`, `pdm lock` or `poetry lock`), or choose "
        "with --set pkg=requirements|poetry|pipenv|uv|pdm"
    )


def test_no_manager_at_all(sample: Callable[..., SampleProject]) -> None:
    made = sample(layout="nested")
    (made.root / "requirements.txt").unlink()
    with pytest.raises(InspectError) as error:
        inspect_project(made.project_dir)
    assert str(error.value).splitlines()[0] == (f"no dependency manager found in {made.project_dir}, {made.root}")
    assert "`python -m deploybook requirements > requirements.txt`" in error.value.hint
    assert "pip freeze" not in error.value.hint, "pip freeze lists deploybook as a local file:// line"
    with pytest.raises(InspectError) as chosen:
        inspect_project(made.project_dir, pkg="requirements")
    assert "`python -m deploybook requirements > requirements.txt`" in chosen.value.hint, (
        "the hint for --set pkg=requirements leads somewhere, not back to --set pkg="
    )
    assert "--set pkg" not in chosen.value.hint


def test_broken_toml_is_reported_with_its_line(sample: Callable[..., SampleProject]) -> None:
    made = sample(flavour="pdm")
    (made.root / "pyproject.toml").write_text('[project]\nname = "jotter"\ndependencies = [\n')
    with pytest.raises(InspectError, match=rf"^{made.root}/pyproject.toml:\d+: not valid TOML: "):
        inspect_project(made.project_dir)
