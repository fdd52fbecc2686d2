"""The Fly.io recipe's real Dockerfile, built with podman for every dependency manager and
db variant of the sample project, run, and probed with --rehearse's own probes."""

from __future__ import annotations

import io
import itertools
import os
import re
import subprocess
from pathlib import Path

import pytest

from deploybook.containers import Container, Engine, build_image
from deploybook.errors import DeploybookError
from deploybook.rehearse._container import APP_UID, rehearse_image
from deploybook.rehearse._report import Check
from deploybook.testing.postgres import PostgresServer
from deploybook.testing.recipe_cases import RecipeCase, configure
from tests.containers.locks import refresh_lock

RECIPES = Path(__file__).resolve().parents[2] / "recipes"
# What .dockerignore keeps out, planted in the project before the build.
PLANTED = (".env", ".env.production", "db.sqlite3", "notes/local.sqlite3", ".venv/bin/python", ".deploybook/journal")
_numbers = itertools.count()


def _inside(container: Container) -> list[Check]:
    uid = container.exec("id", "-u").stdout.strip()
    writable = container.exec("sh", "-c", "test -w manage.py || test -w . && echo writable").stdout.strip()
    found = container.exec("sh", "-c", "cd /app && ls -d .git " + " ".join(PLANTED) + " 2>/dev/null").stdout.split()
    return [
        Check("runs as the app's user", uid == str(APP_UID), f"uid {uid}"),
        Check("the app's user cannot change the code", writable == "", writable),
        Check("ignored files are not in the image", not found, ", ".join(found)),
    ]


_FLAVOURS = ["requirements", "poetry", "poetry-pep621", "pipenv", "uv", "pdm"]
# Every flavour and db value with manage.py at the top; two with it in a subfolder (the image's
# paths then come from project_dir, and the lock file stays at the top).
_CASES = [(f, db, "flat") for f in _FLAVOURS for db in ("postgres", "sqlite")]
_CASES += [("requirements", "postgres", "nested"), ("uv", "sqlite", "nested")]


@pytest.mark.parametrize(("flavour", "db", "layout"), _CASES, ids=["-".join(case) for case in _CASES])
def test_fly_image_serves_the_probes(
    flavour: str, db: str, layout: str, tmp_path: Path, engine: Engine, base_image: str, postgres: PostgresServer
) -> None:
    project = configure(RecipeCase(RECIPES / "fly-io.md", "fly-io", flavour, layout, db), tmp_path / "project")
    refresh_lock(project.root, flavour)
    for planted in PLANTED:
        path = project.root / planted
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("must not ship\n")
    url = postgres.create_database(f"image{next(_numbers)}{os.getpid()}") if db == "postgres" else None
    out = io.StringIO()
    report = rehearse_image(
        project.root,
        project.resolution,
        engine,
        say=out.write,
        database_url=url,
        tag=f"localhost/deploybook-test-fly-io:{flavour}-{db}-{layout}",
        inspect=_inside,
    )
    assert report.ok, report.format() + "\n".join(f"--- {k}\n{v[-3000:]}" for k, v in report.logs.items())
    names = [check.name for check in report.checks]
    assert "health probe: plain HTTP, internal Host" in names and "ignored files are not in the image" in names
    subprocess.run(engine.argv("image", "exists", base_image), check=True)


# What each tool says when its lock file is out of date with the project's dependencies.
_STALE = {
    "poetry": "pyproject.toml changed significantly since poetry.lock was last generated",
    "pipenv": "Pipfile.lock is out-of-date",
    "uv": "needs to be updated",
    "pdm": "Lockfile doesn't satisfy the project requirements",
}


@pytest.mark.parametrize("flavour", sorted(_STALE))
def test_a_stale_lock_file_stops_the_build(flavour: str, tmp_path: Path, engine: Engine, base_image: str) -> None:
    """The recipe adds the production packages to the project's dependencies; until the user
    refreshes the lock file, the image must not build from the old one."""
    project = configure(RecipeCase(RECIPES / "fly-io.md", "fly-io", flavour, "flat", "sqlite"), tmp_path / "project")
    with pytest.raises(DeploybookError) as failed:
        build_image(engine, project.root, f"localhost/deploybook-test-stale:{flavour}")
    assert _STALE[flavour] in str(failed.value), str(failed.value)


def test_a_file_whose_hash_differs_from_the_lock_stops_the_build(
    tmp_path: Path, engine: Engine, base_image: str
) -> None:
    project = configure(RecipeCase(RECIPES / "fly-io.md", "fly-io", "uv", "flat", "sqlite"), tmp_path / "project")
    refresh_lock(project.root, "uv")
    lock = project.root / "uv.lock"
    text = lock.read_text()
    start = text.index('name = "sqlparse"')  # one package's entry: its wheel's and sdist's hashes
    end = text.index("[[package]]", start)
    tampered = re.sub(r'hash = "sha256:[0-9a-f]{64}"', 'hash = "sha256:' + "0" * 64 + '"', text[start:end])
    lock.write_text(text[:start] + tampered + text[end:])
    with pytest.raises(DeploybookError) as failed:
        build_image(engine, project.root, "localhost/deploybook-test-tampered:uv")
    assert "DO NOT MATCH THE HASHES" in str(failed.value), str(failed.value)
