"""Fixtures for the deploy runtime tests: throwaway git projects and ways to run deploy.

`deploy(...)` drives the management command in-process through call_command; `manage(...)`
runs a real `python manage.py deploy` in a subprocess. Both work on copies made by
deploybook.samples.materialize, committed, so the tree starts clean.
"""

from __future__ import annotations

import atexit
import io
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from deploybook.compiler import Resolution
from deploybook.management.commands.deploy import Command as DeployCommand
from deploybook.samples import SampleProject, materialize
from deploybook.testing import commit_all, install_app
from deploybook.testing.fake_apis import FakeApis, serve_fake_apis

# Compiled recipes are cached per user; the tests keep theirs out of the developer's home.
if "DEPLOYBOOK_CACHE_DIR" not in os.environ:
    os.environ["DEPLOYBOOK_CACHE_DIR"] = tempfile.mkdtemp(prefix="deploybook-test-cache-")
    atexit.register(shutil.rmtree, os.environ["DEPLOYBOOK_CACHE_DIR"], ignore_errors=True)

if not settings.configured:
    # The in-process command needs Django set up, with deploybook installed as an app.
    settings.configure(INSTALLED_APPS=["deploybook"], USE_TZ=True)
    django.setup()


@dataclass
class Ran:
    out: str
    err: str


@pytest.fixture
def sample(tmp_path: Path) -> Callable[..., SampleProject]:
    numbers = itertools.count()

    def make(**options: Any) -> SampleProject:
        return materialize(tmp_path / f"project{next(numbers)}", **options)

    return make


@pytest.fixture
def deploy() -> Callable[..., Ran]:
    """Run `manage.py deploy ARGS` in-process for the project at `project`; CommandError propagates."""

    def run(project: SampleProject | Path, *args: str, stdin: str | None = None) -> Ran:
        folder = project.project_dir if isinstance(project, SampleProject) else project
        out, err = io.StringIO(), io.StringIO()
        saved = sys.stdin
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        # By name, as Django finds it among INSTALLED_APPS; by instance if another suite set
        # Django up first without deploybook.
        command = "deploy" if apps.is_installed("deploybook") else DeployCommand()
        try:
            call_command(command, *args, "--project", str(folder), stdout=out, stderr=err)
        finally:
            sys.stdin = saved
        return Ran(out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def manage() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run a real `python manage.py ARGS` in the project's manage.py folder."""

    def run(
        project: SampleProject, *args: str, env: dict[str, str] | None = None, stdin: str = ""
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=project.project_dir,
            env=env if env is not None else dict(os.environ),
            input=stdin,
            capture_output=True,
            text=True,
        )

    return run


@pytest.fixture
def app_sample(sample: Callable[..., SampleProject]) -> Callable[..., SampleProject]:
    """A sample project with "deploybook" in INSTALLED_APPS (committed), for manage.py runs."""

    def make(**options: Any) -> SampleProject:
        project = sample(**options)
        install_app(project.project_dir)
        return project

    return make


@pytest.fixture
def recipe_file(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a small recipe (dedented) as tmp/recipes/<id>.md and return its path."""

    def write(recipe_id: str, text: str) -> Path:
        folder = tmp_path / "recipes"
        folder.mkdir(exist_ok=True)
        path = folder / f"{recipe_id}.md"
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def commit() -> Callable[[Path, str], None]:
    return commit_all


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No DEPLOYBOOK_* values leak in from the developer's shell."""
    for name in list(os.environ):
        if name.startswith("DEPLOYBOOK_"):
            monkeypatch.delenv(name)
    yield


@pytest.fixture
def fake_apis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Resolution], FakeApis]]:
    """Serve the platform API calls of a page (its curl commands) on loopback for the test,
    with curl pointed at them only: `apis = fake_apis(page_resolution(request))`."""
    with ExitStack() as stack:
        numbers = itertools.count()

        def serve(resolution: Resolution) -> FakeApis:
            apis = stack.enter_context(serve_fake_apis(resolution, tmp_path / f"api{next(numbers)}"))
            monkeypatch.setenv("CURL_HOME", str(apis.curl_home))
            return apis

        yield serve
