"""The project's own tests of variables the platform sets: a scheme spelled one way only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from deploybook.samples import SampleProject

Deploy = Callable[..., object]

# As a project that switches its PostgreSQL extras on from the URL writes it.
SWITCH_ON_SCHEME = """
import os

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3")
if DATABASE_URL.startswith("postgres://"):
    INSTALLED_APPS += ["django.contrib.postgres"]
"""


def _add_to_settings(path: Path, text: str) -> int:
    """Append `text`; the line number of its `startswith` test."""
    before = path.read_text()
    path.write_text(before + text)
    lines = (before + text).splitlines()
    return next(number for number, line in enumerate(lines, 1) if "startswith" in line)


def test_a_scheme_tested_in_one_spelling_is_noted_with_its_line(
    sample: Callable[..., SampleProject], deploy: Deploy, commit: Callable[[Path, str], None]
) -> None:
    project = sample()
    line = _add_to_settings(project.project_dir / "jotter" / "settings.py", SWITCH_ON_SCHEME)
    commit(project.root, "Use the PostgreSQL extras on PostgreSQL")

    out = deploy(project, "fly-io").out  # type: ignore[attr-defined]

    assert (
        f"jotter/settings.py:{line} tests whether DATABASE_URL starts with `postgres://`, but the same database "
        "is also spelled `postgresql://` or `pgsql://` (platforms differ): test "
        '`.startswith(("postgres://", "postgresql://"))` so the branch does not depend on the spelling'
    ) in out
    assert "jotter/settings.py" in out.split("Notes:", 1)[1], "it is one of the plan's notes"


def test_the_value_the_recipe_sets_is_named(
    sample: Callable[..., SampleProject], deploy: Deploy, commit: Callable[[Path, str], None]
) -> None:
    project = sample()
    _add_to_settings(
        project.project_dir / "jotter" / "settings.py",
        SWITCH_ON_SCHEME.replace('"postgres://"', '"postgresql://"'),
    )
    commit(project.root, "Use the PostgreSQL extras on PostgreSQL")
    out = deploy(project, "vps", "--set", "host=203.0.113.10").out  # type: ignore[attr-defined]
    assert (
        "starts with `postgresql://`, but the same database is also spelled `postgres://` or `pgsql://` "
        "(this recipe sets `postgres://`)"
    ) in out, "the VPS recipe's own URL is postgres://: this project would lose its PostgreSQL extras there"


def test_a_settings_package_testing_both_spellings_gets_no_note(
    sample: Callable[..., SampleProject], deploy: Deploy, commit: Callable[[Path, str], None]
) -> None:
    project = sample(settings="package")
    base = project.project_dir / "jotter" / "settings" / "base.py"
    both = SWITCH_ON_SCHEME.replace('"postgres://"', '("postgres://", "postgresql://")')
    read = 'os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3")'
    _add_to_settings(base, both.replace(read, 'os.getenv("DATABASE_URL")'))
    commit(project.root, "Use the PostgreSQL extras on PostgreSQL")
    out = deploy(project, "fly-io").out  # type: ignore[attr-defined]
    assert "tests whether DATABASE_URL" not in out
