"""The Procfile the Scalingo recipe writes says what the page says Scalingo runs (the
`processes` step, which the rehearsal serves and probes). Scalingo ignores a `release` entry
and runs `postdeploy` once per deployment before traffic moves (its docs, checked 2026-12-03),
so the Procfile check reads `postdeploy` as the release process and catches a drift in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploybook.testing.file_checks import file_problems
from deploybook.testing.recipe_cases import RecipeCase, configure

RECIPES = Path(__file__).resolve().parents[2] / "recipes"


def _procfile(root: Path) -> dict[str, str]:
    lines = (root / "Procfile").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


@pytest.mark.parametrize("db", ["postgres", "sqlite"])
def test_the_procfile_runs_what_the_page_says_scalingo_runs(db: str, tmp_path: Path) -> None:
    project = configure(RecipeCase(RECIPES / "scalingo.md", "scalingo", "requirements", "nested", db), tmp_path / "p")
    processes = project.resolution.processes()
    procfile = _procfile(project.root)
    assert "release" not in procfile  # Scalingo would silently skip it
    assert procfile["web"] == processes["web"]
    if db == "postgres":
        assert procfile["postdeploy"] == processes["release"]
        assert "migrate --noinput" in procfile["postdeploy"]
    else:
        # The postdeploy container has its own file system: a SQLite migration there reaches nothing.
        assert "postdeploy" not in procfile and "release" not in processes
        assert "migrate --noinput" in procfile["web"]
    assert file_problems(project) == []


def test_the_procfile_check_catches_a_postdeploy_that_drifted(tmp_path: Path) -> None:
    project = configure(
        RecipeCase(RECIPES / "scalingo.md", "scalingo", "requirements", "flat", "postgres"), tmp_path / "p"
    )
    procfile = project.root / "Procfile"
    text = procfile.read_text(encoding="utf-8")
    procfile.write_text(text.replace("migrate --noinput", "migrate"), encoding="utf-8")
    problems = file_problems(project)
    assert any("Procfile's 'postdeploy'" in p and "processes block's 'release'" in p for p in problems), problems

    procfile.write_text(text + "release: python manage.py migrate --noinput\n", encoding="utf-8")
    assert any("both 'release' and 'postdeploy'" in p for p in file_problems(project))
