"""`manage.py deploy RECIPE --rehearse`: serve the configured project locally and probe it.

These runs are real: a fresh virtualenv, collectstatic, migrate and gunicorn on loopback.
SQLite keeps them independent of a PostgreSQL server (tests/rehearse covers PostgreSQL).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest
from deploy_helpers import HEROKU_SQLITE
from django.core.management import CommandError

from deploybook.samples import SampleProject


def test_rehearse_refuses_a_project_that_is_not_configured_yet(
    deploy: Callable[..., object], sample: Callable[..., SampleProject]
) -> None:
    project = sample()
    with pytest.raises(CommandError) as error:
        deploy(project, "heroku", *HEROKU_SQLITE, "--rehearse")
    message = str(error.value)
    assert "this project is not configured for Heroku yet" in message
    assert "run `python manage.py deploy heroku --set db=sqlite` first" in message


def test_rehearse_and_dry_run_do_not_combine(
    deploy: Callable[..., object], sample: Callable[..., SampleProject]
) -> None:
    with pytest.raises(CommandError) as error:
        deploy(sample(), "heroku", "--rehearse", "--dry-run")
    assert "leave out --dry-run" in str(error.value)


def test_rehearse_serves_the_configured_project_and_leaves_the_tree_alone(
    manage: Callable[..., subprocess.CompletedProcess[str]], app_sample: Callable[..., SampleProject]
) -> None:
    project = app_sample()
    configured = manage(project, "deploy", "heroku", *HEROKU_SQLITE)
    assert configured.returncode == 0, configured.stderr
    before = subprocess.run(["git", "status", "--porcelain"], cwd=project.root, capture_output=True, text=True).stdout

    rehearsed = manage(project, "deploy", "heroku", *HEROKU_SQLITE, "--rehearse")

    assert rehearsed.returncode == 0, rehearsed.stdout + rehearsed.stderr
    assert "Rehearsal of heroku (db=sqlite" in rehearsed.stdout
    assert "checks passed: the platform should serve this project." in rehearsed.stdout
    assert "FAIL" not in rehearsed.stdout
    after = subprocess.run(["git", "status", "--porcelain"], cwd=project.root, capture_output=True, text=True).stdout
    assert after == before


def test_rehearse_names_the_variant_a_project_is_configured_for(
    deploy: Callable[..., object], sample: Callable[..., SampleProject]
) -> None:
    project = sample()
    deploy(project, "heroku")  # db=postgres, the default
    subprocess.run(["git", "add", "-A"], cwd=project.root, check=True)
    subprocess.run(["git", "commit", "-qm", "Configure for Heroku"], cwd=project.root, check=True)

    with pytest.raises(CommandError) as error:
        deploy(project, "heroku", *HEROKU_SQLITE, "--rehearse")

    message = str(error.value)
    assert "this project is configured for Heroku with db=postgres, not db=sqlite" in message
    assert "not configured" not in message
    assert "`python manage.py deploy heroku --set db=postgres --rehearse`" in message
    assert "`python manage.py deploy heroku --set db=sqlite` first" in message
