"""`deploybook requirements`: requirements.txt for a project that has no dependency file."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import django

from deploybook.cli import main
from deploybook.inspect import imported_requirements, inspect_project
from deploybook.samples import SampleProject
from deploybook.testing.projects import install_app


def test_a_project_without_requirements_gets_the_distributions_it_imports(
    sample: Callable[..., SampleProject],
) -> None:
    made = sample()
    (made.root / "requirements.txt").unlink()
    install_app(made.project_dir)  # deploybook in INSTALLED_APPS, installed here from a local folder
    (made.project_dir / "notes" / "markup.py").write_text("from markdown_it import MarkdownIt\nimport json\n")

    out = io.StringIO()
    assert main(["requirements", str(made.project_dir)], stdout=out) == 0

    lines = out.getvalue().splitlines()
    assert lines[0] == f"Django=={django.__version__}"
    assert [line.split("==")[0] for line in lines] == ["Django", "markdown-it-py"]
    assert not any("deploybook" in line.lower() or "file:" in line for line in lines)
    (made.project_dir / "requirements.txt").write_text(out.getvalue())
    assert inspect_project(made.project_dir).pkg == "requirements", "the file it makes is the one deploy reads"


def test_settings_strings_count_as_imports(tree: Callable[..., Path]) -> None:
    root = tree({"mysite/settings/base.py": "INSTALLED_APPS = ['django.contrib.admin', 'markdown_it']\n"})
    assert [line.split("==")[0] for line in imported_requirements(root)] == ["Django", "markdown-it-py"]


def test_a_folder_that_is_not_there_is_a_usage_error() -> None:
    err = io.StringIO()
    assert main(["requirements", "/nonexistent-project"], stderr=err) == 2
    assert err.getvalue() == (
        "error: no such folder: /nonexistent-project\n  hint: give the folder that holds manage.py\n"
    )
