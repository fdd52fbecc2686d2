"""--dry-run: the diff of every file and every command, and a byte-identical tree."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest
from deploy_helpers import status
from django.core.management.base import CommandError

from deploybook.samples import SampleProject
from deploybook.testing import install_fake_clis, page_resolution, tree_bytes

Deploy = Callable[..., object]


@pytest.mark.parametrize("layout", ["flat", "nested"])
def test_dry_run_prints_the_diff_and_the_commands_and_writes_nothing(
    sample: Callable[..., SampleProject], deploy: Deploy, layout: str
) -> None:
    project = sample(flavour="poetry", layout=layout)
    prefix = "src/" if layout == "nested" else ""
    before = tree_bytes(project.root, skip=(".git",))

    out = deploy(project, "heroku", "--dry-run").out  # type: ignore[attr-defined]

    assert tree_bytes(project.root, skip=(".git",)) == before
    assert status(project.root) == ""
    assert "Dry run, configuration only" in out
    assert "create  Procfile  [procfile]" in out
    assert "diff --git a/Procfile b/Procfile\nnew file mode 100644\n--- /dev/null\n+++ b/Procfile\n" in out
    assert f"+web: gunicorn --chdir {'src' if prefix else '.'} jotter.wsgi\n" in out
    assert f"diff --git a/{prefix}jotter/settings.py b/{prefix}jotter/settings.py\n" in out
    assert "+# >>> deploybook heroku/production-settings >>>\n" in out
    assert "diff --git a/pyproject.toml b/pyproject.toml" in out
    assert "\n+gunicorn = " in out
    assert "Commands to run, in this order:\n    heroku create jotter\n" in out
    assert "poetry.lock is now out of date: run `poetry lock`" in out
    assert out.rstrip().endswith("Dry run: nothing was written, nothing was run.")


def test_the_command_leaves_the_garbage_collector_as_it_found_it(
    sample: Callable[..., SampleProject], deploy: Deploy
) -> None:
    # The command freezes what was alive before it ran (for speed); it must unfreeze it after,
    # failing or not, so that a process calling it many times still collects that garbage.
    assert gc.get_freeze_count() == 0
    deploy(sample(), "heroku", "--dry-run")
    assert gc.get_freeze_count() == 0
    with pytest.raises(CommandError):
        deploy(sample(), "no-such-recipe", "--dry-run")
    assert gc.get_freeze_count() == 0


def test_dry_run_of_a_dirty_tree_warns_instead_of_stopping(
    sample: Callable[..., SampleProject], deploy: Deploy
) -> None:
    project = sample()
    (project.root / "scratch.txt").write_text("wip\n")
    out = deploy(project, "heroku", "--dry-run").out  # type: ignore[attr-defined]
    assert "Warning: ?? scratch.txt: a real run would stop until the tree is clean" in out
    assert status(project.root) == "?? scratch.txt\n"


def test_dry_run_with_automate_all_runs_nothing(
    sample: Callable[..., SampleProject], deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deploybook.runtime import DeployRequest

    project = sample()
    fakes = install_fake_clis(
        tmp_path / "bin", page_resolution(DeployRequest("heroku", project.project_dir)), tmp_path / "calls"
    )
    monkeypatch.setenv("PATH", fakes.environ()["PATH"])
    before = tree_bytes(project.root, skip=(".git",))

    out = deploy(project, "heroku", "--dry-run", "--automate-all", "--no-input").out  # type: ignore[attr-defined]

    assert "Dry run, --automate-all: configure, commit, then run the platform commands." in out
    assert "Commands it would run, in this order:" in out
    assert '{"DJANGO_SECRET_KEY": "<secret_key>"}' in out, "the secret is shown as what to give on stdin"
    assert fakes.calls() == []
    assert tree_bytes(project.root, skip=(".git",)) == before
