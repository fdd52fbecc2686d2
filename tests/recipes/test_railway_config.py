"""The railway.json the Railway recipe writes says what the page says Railway runs (the
`processes` step, which the rehearsal serves and probes), in the fields Railway's config-file
reference documents (checked 2026-12-03). The Railway CLI is not installable from the registries
this project uses, so the file is checked by its structure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deploybook.testing.recipe_cases import RecipeCase, configure

RECIPES = Path(__file__).resolve().parents[2] / "recipes"


@pytest.mark.parametrize("db", ["postgres", "sqlite"])
def test_railway_json_matches_what_the_page_says_railway_runs(db: str, tmp_path: Path) -> None:
    project = configure(RecipeCase(RECIPES / "railway.md", "railway", "requirements", "nested", db), tmp_path / "p")
    config = json.loads((project.root / "railway.json").read_text(encoding="utf-8"))
    processes = project.resolution.processes()
    assert set(config) == {"$schema", "build", "deploy"}
    assert config["build"] == {"builder": "RAILPACK", "buildCommand": processes["build"]}
    assert config["deploy"]["startCommand"] == processes["web"]
    assert config["deploy"]["healthcheckPath"] == "/healthz"
    if db == "postgres":
        assert config["deploy"]["preDeployCommand"] == [processes["release"]]
    else:
        # The pre-deploy container has no volumes: a SQLite migration there would reach nothing.
        assert "preDeployCommand" not in config["deploy"] and "release" not in processes
