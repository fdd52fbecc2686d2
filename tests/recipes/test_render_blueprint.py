"""The render.yaml the Render recipe writes is a Blueprint Render would accept, checked by its
structure: the Render CLI (`render blueprints validate`) is not installable from the registries
this project uses, and Render's JSON Schema is not shipped in any package. The fields and rules
checked here are the ones Render's Blueprint reference documents (checked 2026-12-03), and the
Blueprint must agree with what the page says Render runs (the `processes` step), which the
rehearsal serves and probes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml

from deploybook.testing.recipe_cases import RecipeCase, configure

RECIPES = Path(__file__).resolve().parents[2] / "recipes"
# The env var sources Render's reference lists; an entry has exactly one of them.
SOURCES = {"value", "generateValue", "fromDatabase", "fromService", "fromGroup", "sync"}


@pytest.mark.parametrize("flavour", ["requirements", "uv"])
@pytest.mark.parametrize("db", ["postgres", "sqlite"])
def test_the_blueprint_matches_what_the_page_says_render_runs(db: str, flavour: str, tmp_path: Path) -> None:
    project = configure(RecipeCase(RECIPES / "render.md", "render", flavour, "nested", db), tmp_path / "p")
    blueprint = yaml.safe_load((project.root / "render.yaml").read_text(encoding="utf-8"))
    assert set(blueprint) <= {"services", "databases"}
    [service] = blueprint["services"]
    assert service["type"] == "web" and service["runtime"] == "python"
    # The free instance type has no pre-deploy command: a Blueprint with one would not apply.
    assert service["plan"] == "free" and "preDeployCommand" not in service
    assert service["startCommand"] == project.resolution.processes()["web"]
    assert service["healthCheckPath"] == "/healthz"

    build = project.root / service["buildCommand"].removeprefix("./")
    assert build.is_file() and os.stat(build).st_mode & stat.S_IXUSR, "the build command is an executable script"
    assert project.resolution.processes()["build"] in build.read_text(encoding="utf-8")

    env = {entry["key"]: entry for entry in service["envVars"]}
    for key, entry in env.items():
        assert len(set(entry) & SOURCES) == 1, f"{key} needs exactly one source"
    assert env["DJANGO_SECRET_KEY"] == {"key": "DJANGO_SECRET_KEY", "generateValue": True}
    page_env = project.resolution.platform_env()
    assert env["DJANGO_ALLOWED_HOSTS"]["value"] == page_env["DJANGO_ALLOWED_HOSTS"]
    assert env["DJANGO_ENV"]["value"] == page_env["DJANGO_ENV"] == "production"

    if db == "postgres":
        [database] = blueprint["databases"]
        assert database["plan"] == "free"
        assert env["DATABASE_URL"]["fromDatabase"] == {"name": database["name"], "property": "connectionString"}
    else:
        assert "databases" not in blueprint
        assert env["DATABASE_URL"]["value"] == page_env["DATABASE_URL"]
