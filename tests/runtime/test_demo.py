"""`python -m deploybook demo`, as README's `./dev demo` runs it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path


def test_demo_configures_a_temporary_sample_and_shows_the_change() -> None:
    done = subprocess.run([sys.executable, "-m", "deploybook", "demo"], capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    out = done.stdout
    folder = re.search(r"a fresh git repository in (\S+)", out)
    assert folder is not None
    assert "==> python manage.py deploy heroku\nRecipe heroku (Heroku, version 1) for jotter" in out
    assert "==> git diff --stat\n" in out
    assert re.search(r" Procfile +\| +\d+ \+", out)
    assert re.search(r"\d+ files changed, \d+ insertions\(\+\)", out)
    assert "==> git diff\ndiff --git a/.gitignore b/.gitignore" in out
    assert re.search(r"^\+web: .*gunicorn --chdir \. jotter\.wsgi", out, re.M)
    assert "==> python manage.py deploy heroku --rehearse\nRehearsing Heroku in a copy of" in out
    assert "Rehearsal of heroku (db=sqlite pkg=requirements):" in out, "the demo needs no database server"
    assert "checks passed: the platform should serve this project." in out
    assert not Path(folder.group(1)).exists(), "the temporary copy is removed"


def test_demo_takes_a_recipe_and_choices_and_can_keep_the_copy() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "deploybook", "demo", "heroku", "--set", "db=sqlite", "--keep"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    kept = re.search(r"The configured project is kept in (\S+)", done.stdout)
    assert kept is not None
    root = Path(kept.group(1))
    try:
        assert "gunicorn" in (root / "Procfile").read_text()
        assert "psycopg" not in (root / "requirements.txt").read_text(), "db=sqlite needs no PostgreSQL driver"
    finally:
        shutil.rmtree(root.parent)


def test_demo_of_an_unknown_recipe_is_a_usage_error_with_the_reason() -> None:
    done = subprocess.run([sys.executable, "-m", "deploybook", "demo", "nope"], capture_output=True, text=True)
    assert done.returncode == 2, "as for `deploybook show nope`: the command line names no recipe"
    assert "error: unknown recipe 'nope'" in done.stderr
    assert "Traceback" not in done.stderr
