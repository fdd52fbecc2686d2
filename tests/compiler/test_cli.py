"""The `deploybook` command line, through its public entry point."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from deploybook.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_check_bundled_recipes_is_clean() -> None:
    code, out, _ = run("check")
    assert code == 0
    assert out.endswith("checked: 0 errors, 0 warnings\n")


def test_check_reports_path_line_col_and_exits_1(tmp_path: Path) -> None:
    recipe = tmp_path / "broken.md"
    recipe.write_text(
        "---\nid: broken\ntitle: Broken\nversion: 1\nsummary: x\n---\n\n## Step {#s}\n\n"
        '```text {step="a" action="explode"}\nhi\n```\n'
    )
    code, out, _ = run("check", str(recipe))
    assert code == 1
    assert f"{recipe}:10:" in out
    assert "DB103 unknown action 'explode'" in out


def test_check_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "nope.md"))
    assert code == 2
    assert "no such file or folder" in err


def test_show_resolves_a_variant_without_touching_anything() -> None:
    code, out, _ = run("show", "heroku", "--set", "db=sqlite", "--set", "app_name=blog")
    assert code == 0
    assert "$ heroku create blog" in out
    assert "heroku-postgresql" not in out
    assert "DATABASE_URL=sqlite:////app/db.sqlite3" in out


def test_show_rejects_unknown_names_with_the_known_ones() -> None:
    code, _, err = run("show", "heroku", "--set", "colour=blue")
    assert code == 2
    assert "has no axis or variable named 'colour'" in err
    assert "db" in err


def test_show_rejects_an_unknown_axis_value() -> None:
    code, _, err = run("show", "heroku", "--set", "db=oracle")
    assert code == 2
    assert "db=postgres, db=sqlite" in err


def test_python_dash_m_entry_point() -> None:
    done = subprocess.run([sys.executable, "-m", "deploybook", "check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "0 errors" in done.stdout


def test_usage_error_exits_2() -> None:
    done = subprocess.run([sys.executable, "-m", "deploybook", "frobnicate"], capture_output=True, text=True)
    assert done.returncode == 2
