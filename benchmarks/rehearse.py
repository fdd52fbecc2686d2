"""How long a rehearsal takes, per recipe and database, with a fresh and with a reused virtualenv.

    .venv/bin/python benchmarks/rehearse.py [RECIPE ...]

Prints one line per rehearsal (wall-clock seconds); nothing is asserted. The first rehearsal
of each requirement set builds its virtualenv; the second reuses it, as the tests do.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from deploybook.rehearse import rehearse
from deploybook.testing.postgres import postgres_server
from deploybook.testing.recipe_cases import RecipeCase, configure

RECIPES = Path(__file__).resolve().parents[1] / "recipes"


def main(recipes: list[str]) -> int:
    with tempfile.TemporaryDirectory() as scratch, postgres_server() as postgres:
        for number, (recipe, db) in enumerate((recipe, db) for recipe in recipes for db in ("postgres", "sqlite")):
            case = RecipeCase(RECIPES / f"{recipe}.md", recipe, "requirements", "flat", db)
            project = configure(case, Path(scratch) / f"project{number}")
            url = postgres.create_database(f"bench{number}") if db == "postgres" else None
            cache = Path(scratch) / f"venvs{number}"  # empty: the first run builds the virtualenv
            for run in ("fresh venv", "reused venv"):
                started = time.perf_counter()
                report = rehearse(
                    project.root,
                    project.resolution,
                    database_url=url,
                    project=project.prepared.context.project,
                    venv_cache=cache,
                )
                elapsed = time.perf_counter() - started
                print(f"{recipe:8} db={db:8} {run:11} {elapsed:6.1f} s  {'ok' if report.ok else 'FAILED'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["fly-io", "heroku", "upsun"]))
