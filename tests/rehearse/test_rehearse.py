"""Rehearse each recipe's configured sample project against real PostgreSQL and SQLite."""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from deploybook.rehearse import RehearsalReport, rehearse
from deploybook.testing.postgres import PostgresServer
from deploybook.testing.recipe_cases import ConfiguredProject, RecipeCase, configure

RECIPES = Path(__file__).resolve().parents[2] / "recipes"
_numbers = itertools.count()
pytestmark = pytest.mark.xdist_group("rehearse")


def configured(
    tmp_path: Path, recipe: str, *, db: str, flavour: str = "requirements", layout: str = "flat"
) -> ConfiguredProject:
    case = RecipeCase(RECIPES / f"{recipe}.md", recipe, flavour, layout, db)
    return configure(case, tmp_path / "project")


def run(project: ConfiguredProject, postgres: PostgresServer, venv_cache: Path) -> RehearsalReport:
    url = None
    if project.case.db == "postgres":
        url = postgres.create_database(f"rehearsal{next(_numbers)}")
    out = io.StringIO()
    report = rehearse(
        project.root,
        project.resolution,
        database_url=url,
        out=out,
        project=project.prepared.context.project,
        venv_cache=venv_cache,
    )
    assert out.getvalue().endswith(report.format())
    return report


# Every recipe and db value is rehearsed by the public invariants (tests/recipes); this one shows
# what a rehearsal probes.
@pytest.mark.parametrize("db", ["sqlite"])
@pytest.mark.parametrize("recipe", ["heroku"])
def test_recipe_serves_its_platform_probes(
    recipe: str, db: str, tmp_path: Path, postgres: PostgresServer, venv_cache: Path
) -> None:
    report = run(configured(tmp_path, recipe, db=db), postgres, venv_cache)
    assert report.ok, report.format() + "\n".join(f"--- {k}\n{v}" for k, v in report.logs.items())
    names = [check.name for check in report.checks]
    assert "health probe: plain HTTP, internal Host" in names
    assert any(name.startswith("web: ") for name in names)


def test_nested_layout(tmp_path: Path, postgres: PostgresServer, venv_cache: Path) -> None:
    report = run(configured(tmp_path, "fly-io", db="postgres", layout="nested"), postgres, venv_cache)
    assert report.ok, report.format()


def test_a_stale_lock_file_fails_with_the_command_that_fixes_it(
    tmp_path: Path, postgres: PostgresServer, venv_cache: Path
) -> None:
    # The recipe added gunicorn & co. to pyproject.toml; uv.lock was not refreshed.
    report = run(configured(tmp_path, "upsun", db="sqlite", flavour="uv"), postgres, venv_cache)
    assert not report.ok
    failed = report.failures[0]
    assert failed.name == "uv.lock matches pyproject.toml"
    assert "gunicorn" in failed.detail and "`uv lock`" in failed.detail


def test_a_refreshed_lock_file_rehearses_cleanly(
    tmp_path: Path, postgres: PostgresServer, venv_cache: Path, tool: Callable[[str, str], Path]
) -> None:
    # What --automate-all (or the user, by hand) does after the recipe: `uv lock`, then deploy.
    project = configured(tmp_path, "fly-io", db="postgres", flavour="uv")
    uv = tool("uv", "uv>=0.9,<1")
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"} | {"UV_PYTHON_DOWNLOADS": "never"}
    done = subprocess.run([str(uv), "lock"], cwd=project.root, env=env, capture_output=True, text=True)
    if done.returncode != 0 and "network" in done.stderr.lower():
        # A developer offline may skip; CI must not pass without the check.
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            f"the package index cannot be reached: {done.stderr[-300:]}"
        )
    assert done.returncode == 0, done.stderr
    report = run(project, postgres, venv_cache)
    assert report.ok, report.format()
    assert report.checks[1].name == "uv.lock matches pyproject.toml"


def test_a_health_check_behind_host_validation_is_caught(
    tmp_path: Path, postgres: PostgresServer, venv_cache: Path
) -> None:
    project = configured(tmp_path, "heroku", db="sqlite")
    health = project.root / "jotter" / "health.py"
    health.write_text(health.read_text().replace('HEALTH_PATH = "/healthz"', 'HEALTH_PATH = "/elsewhere"'))
    report = run(project, postgres, venv_cache)
    failed = {check.name: check.detail for check in report.failures}
    assert list(failed) == ["health probe: plain HTTP, internal Host"]
    assert "expected 200, got 400" in failed["health probe: plain HTTP, internal Host"]


def test_nothing_is_left_running_or_written(
    tmp_path: Path, postgres: PostgresServer, venv_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = configured(tmp_path, "fly-io", db="sqlite")
    # This rehearsal's own working folder, apart from any other rehearsal on the machine.
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    before = sorted(p.relative_to(project.root) for p in project.root.rglob("*") if ".git" not in p.parts)
    report = run(project, postgres, venv_cache)
    assert report.ok, report.format()
    after = sorted(p.relative_to(project.root) for p in project.root.rglob("*") if ".git" not in p.parts)
    assert after == before  # no staticfiles/, no database, no bytecode in the user's project
    assert not _processes_mentioning(str(scratch))
    assert list(scratch.iterdir()) == [], "the working folder is removed"


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if text in command or text in cwd:
            found.append(f"{entry.name}: {command}")
    return found


def test_a_page_styled_only_from_a_cdn_is_fine(tmp_path: Path, postgres: PostgresServer, venv_cache: Path) -> None:
    project = configured(tmp_path, "fly-io", db="sqlite")
    base = project.root / "templates" / "base.html"
    cdn = "https://cdn.jsdelivr.net/npm/water.css@2/out/water.min.css"
    base.write_text(base.read_text().replace("{% static 'css/site.css' %}", cdn))
    report = run(project, postgres, venv_cache)
    assert report.ok, report.format()
    home = next(check for check in report.checks if check.name.startswith("home page's stylesheet"))
    assert home.detail == f"the page links no stylesheet of its own (only from elsewhere: {cdn})"
    admin = next(check for check in report.checks if check.name.startswith("admin's stylesheet"))
    assert "compressed, cached for a year" in admin.name, "what the project does serve is still checked"


def test_a_link_broken_in_development_too_is_a_warning(
    tmp_path: Path, postgres: PostgresServer, venv_cache: Path
) -> None:
    project = configured(tmp_path, "fly-io", db="sqlite")
    base = project.root / "templates" / "base.html"
    old = '<link rel="stylesheet" href="/static/css/old-theme.css">\n  '
    base.write_text(base.read_text().replace('<link rel="stylesheet"', old + '<link rel="stylesheet"', 1))
    report = run(project, postgres, venv_cache)
    assert report.ok, report.format()
    assert [check.name for check in report.warnings] == ["home page's stylesheet: compressed, cached for a year"]
    assert report.warnings[0].detail.startswith("/static/css/old-theme.css: status 404")
    assert report.warnings[0].detail.endswith("(in development too: a problem the project already has)")
    assert "  warn home page's stylesheet" in report.format()
    assert "10 of 11 checks passed and 1 warned of a problem the project has in development too" in report.format()


def test_a_page_that_fails_only_in_production_still_fails(
    tmp_path: Path, postgres: PostgresServer, venv_cache: Path
) -> None:
    # Works under runserver; in production the hashed-name manifest has no such file: 500.
    project = configured(tmp_path, "fly-io", db="sqlite")
    base = project.root / "templates" / "base.html"
    base.write_text(base.read_text().replace("css/site.css", "css/not-collected.css"))
    report = run(project, postgres, venv_cache)
    assert [check.name for check in report.failures] == ["home page over HTTPS"]
    assert not report.warnings
    assert "development" in report.logs, "development was asked, and answered 200"
