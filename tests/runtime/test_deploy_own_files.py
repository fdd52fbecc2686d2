"""Files of the user's that deploy meets: links, read-only files, a Procfile or a Dockerfile of
their own. None is clobbered silently."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from deploy_helpers import git, status
from django.core.management import CommandError

from deploybook.samples import SampleProject
from deploybook.testing import commit_all, tree_bytes

Deploy = Callable[..., object]


def test_a_symlinked_settings_file_is_written_through_and_stays_a_link(
    sample: Callable[..., SampleProject], deploy: Deploy
) -> None:
    project = sample()
    settings = project.project_dir / "jotter" / "settings.py"
    real = project.project_dir / "config" / "settings_real.py"
    real.parent.mkdir()
    settings.rename(real)
    settings.symlink_to(os.path.relpath(real, settings.parent))
    commit_all(project.root, "Settings live in config/")

    deploy(project, "heroku")

    assert settings.is_symlink(), "the link stays a link"
    assert "deploybook heroku/production-settings" in real.read_text()
    changed = {line[3:] for line in status(project.root).splitlines()}
    assert "config/settings_real.py" in changed and "jotter/settings.py" not in changed


def test_a_symlinked_settings_file_is_still_a_link_after_a_rollback(
    sample: Callable[..., SampleProject], deploy: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = sample()
    settings = project.project_dir / "jotter" / "settings.py"
    real = project.project_dir / "settings_real.py"
    settings.rename(real)
    settings.symlink_to("../settings_real.py")
    commit_all(project.root, "Linked settings")
    before = tree_bytes(project.root)
    # The commit fails (a hook refuses it), so every file is put back.
    hook = project.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    (project.root / "bin").mkdir()
    heroku = project.root / "bin" / "heroku"
    heroku.write_text("#!/bin/sh\nexit 0\n")
    heroku.chmod(0o755)
    monkeypatch.setenv("PATH", f"{project.root / 'bin'}{os.pathsep}{os.environ['PATH']}")

    with pytest.raises(CommandError, match="git commit failed"):
        deploy(project, "heroku", "--automate-all", "--yes", "--allow-dirty")

    assert settings.is_symlink()
    (project.root / "bin" / "heroku").unlink()
    (project.root / "bin").rmdir()
    assert tree_bytes(project.root) == before


def test_a_read_only_file_is_respected_with_a_clear_error(sample: Callable[..., SampleProject], deploy: Deploy) -> None:
    project = sample()
    settings = project.project_dir / "jotter" / "settings.py"
    settings.chmod(0o444)  # git keeps no such mode: the tree stays clean
    before = tree_bytes(project.root)

    with pytest.raises(CommandError) as error:
        deploy(project, "heroku")

    assert "jotter/settings.py is read-only (mode 0444), and step 'production-settings' would change it" in str(
        error.value
    )
    assert "chmod u+w jotter/settings.py" in str(error.value)
    assert tree_bytes(project.root) == before


def test_a_procfile_keeps_the_projects_own_processes(sample: Callable[..., SampleProject], deploy: Deploy) -> None:
    project = sample()
    (project.root / "Procfile").write_text("web: python manage.py runserver\nworker: celery -A jotter worker\n")
    commit_all(project.root, "A worker")

    with pytest.raises(CommandError) as error:  # its web line differs from the recipe's
        deploy(project, "heroku", "--no-input")
    assert "the recipe would replace Procfile, which hold lines of your own" in str(error.value)

    out = deploy(project, "heroku", "--set", "overwrite=Procfile").out  # type: ignore[attr-defined]

    assert "replace  Procfile  [procfile]" in out
    procfile = (project.root / "Procfile").read_text()
    assert procfile.startswith("release: python ./manage.py migrate --noinput\nweb: gunicorn")
    assert procfile.endswith("\nworker: celery -A jotter worker\n"), "the worker stays"
    assert "runserver" not in procfile


def test_a_procfile_with_only_extra_processes_is_merged_without_asking(
    sample: Callable[..., SampleProject], deploy: Deploy
) -> None:
    project = sample()
    (project.root / "Procfile").write_text("worker: celery -A jotter worker\n")
    commit_all(project.root, "A worker")

    out = deploy(project, "heroku").out  # type: ignore[attr-defined]

    assert "   update  Procfile  [procfile]" in out
    assert (project.root / "Procfile").read_text().endswith("worker: celery -A jotter worker\n")


def test_a_hand_written_dockerfile_is_a_conflict_until_the_user_allows_it(
    sample: Callable[..., SampleProject], deploy: Deploy
) -> None:
    project = sample()
    dockerfile = project.root / "Dockerfile"
    dockerfile.write_text("FROM python:3.11\nRUN pip install -r requirements.txt\nCMD ./serve\n")
    commit_all(project.root, "My Dockerfile")
    before = tree_bytes(project.root)

    dry = deploy(project, "fly-io", "--dry-run").out  # type: ignore[attr-defined]
    assert " conflict  Dockerfile  [dockerfile]" in dry
    assert "Dockerfile (recipes/_partials/container-image.md:" in dry and "      CMD ./serve" in dry
    assert "--set overwrite=Dockerfile" in dry
    with pytest.raises(CommandError) as error:
        deploy(project, "fly-io", "--no-input")
    assert "the recipe would replace Dockerfile" in str(error.value)
    assert tree_bytes(project.root) == before, "nothing was written"
    answered_no = deploy(project, "fly-io", stdin="n\n").out  # type: ignore[attr-defined]
    assert "Replace Dockerfile with the recipe's version, dropping the lines above? [y/N]" in answered_no
    assert "Cancelled: nothing was changed." in answered_no
    assert tree_bytes(project.root) == before

    deploy(project, "fly-io", stdin="y\n")

    assert "USER 10001" in dockerfile.read_text()


def test_a_file_deploybook_wrote_itself_is_updated_without_asking(
    sample: Callable[..., SampleProject], deploy: Deploy
) -> None:
    project = sample()
    deploy(project, "fly-io")
    git(project.root, "add", "--all")
    git(project.root, "commit", "--quiet", "-m", "Configure for Fly.io")

    out = deploy(project, "fly-io", "--set", "region=ord").out  # type: ignore[attr-defined]

    assert "   update  fly.toml  [fly-toml]" in out
    assert 'primary_region = "ord"' in (project.root / "fly.toml").read_text()


def test_an_edited_file_deploybook_wrote_is_a_conflict(
    sample: Callable[..., SampleProject], deploy: Deploy, tmp_path: Path
) -> None:
    project = sample()
    deploy(project, "fly-io")
    toml = project.root / "fly.toml"
    toml.write_text(toml.read_text() + "\n[[vm]]\n  memory = '1gb'\n")
    git(project.root, "add", "--all")
    git(project.root, "commit", "--quiet", "-m", "Configure for Fly.io, with more memory")

    with pytest.raises(CommandError, match=r"the recipe would replace fly\.toml"):
        deploy(project, "fly-io", "--set", "region=ord", "--no-input")
