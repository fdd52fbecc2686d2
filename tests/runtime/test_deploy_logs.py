"""Logs live in the project's ignored .deploybook/logs/, and no secret reaches any file."""

from __future__ import annotations

import json
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from deploy_helpers import git, recipe, status

from deploybook.compiler import Resolution
from deploybook.runtime import DeployRequest
from deploybook.samples import SampleProject
from deploybook.testing import install_fake_clis, page_resolution
from deploybook.testing.fake_apis import FakeApis

DB_URL = "postgres://jotter:s3cr3t-pw-7f2a@db.internal:5432/jotter"
ATTACH = recipe(
    "dbplat",
    'requires: [dbplat]\nvariables:\n  database_url:\n    help: "The database URL"\n    secret: true\n'
    '    env: DATABASE_URL\n  app_name:\n    help: "The app"\n    default: "{{ project_slug }}"\n'
    '  project_slug: "found"\n',
    '## Name it {#name}\n\n```text {step="name" action="write" file="dbplat.txt"}\napp {{ app_name }}\n```\n\n'
    '## Attach {#attach}\n\n```console {step="attach" action="run"}\n'
    "$ dbplat config import --app {{ app_name }} <<'EOF'\nDATABASE_URL={{ database_url }}\nEOF\n"
    "Set DATABASE_URL={{ database_url }} on {{ app_name }}\n```\n",
)


def every_byte(root: Path) -> list[tuple[str, bytes]]:
    """Each file under root, git's compressed objects decompressed, and the history as patches."""
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if ".git/objects/" in path.as_posix() and path.parent.name != "pack":
                data = zlib.decompress(data)
            found.append((path.relative_to(root).as_posix(), data))
    history = subprocess.run(["git", "log", "--all", "-p"], cwd=root, capture_output=True, check=True).stdout
    found.append(("git log --all -p", history))
    return found


def test_the_generated_secret_key_reaches_heroku_and_nothing_else(
    sample: Callable[..., SampleProject],
    deploy: Callable[..., object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
    fake_apis: Callable[[Resolution], FakeApis],
) -> None:
    project = sample()
    remote = tmp_path / "heroku.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    git(project.root, "remote", "add", "heroku", str(remote))
    page = page_resolution(DeployRequest("heroku", project.project_dir))
    fakes = install_fake_clis(tmp_path / "bin", page, tmp_path / "calls")
    monkeypatch.setenv("PATH", fakes.environ()["PATH"])
    apis = fake_apis(page)

    out = deploy(project, "heroku", "--automate-all", "--yes").out  # type: ignore[attr-defined]

    (request,) = apis.received
    secret = json.loads(request.body)["DJANGO_SECRET_KEY"]
    assert len(secret) > 40
    assert not any(secret in word for call in fakes.calls() for word in call), "never in a command's argv"
    assert secret not in out and '{"DJANGO_SECRET_KEY": "********"}' in out
    logs = list((project.root / ".deploybook" / "logs").glob("*-heroku-automate.log"))
    assert len(logs) == 1
    log = logs[0].read_text()
    assert "$ heroku create jotter    [create-app]" in log
    assert "value secret_key = ********" in log
    assert '{"DJANGO_SECRET_KEY": "********"}' in log
    for name, data in every_byte(project.root):
        assert secret.encode() not in data, f"the secret is in {name}"
    assert "/.deploybook/" in (project.root / ".gitignore").read_text()
    assert status(project.root) == "", "the log folder is ignored"


def test_a_database_url_from_the_environment_is_redacted_everywhere(
    sample: Callable[..., SampleProject],
    deploy: Callable[..., object],
    recipe_file: Callable[[str, str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
) -> None:
    path = recipe_file("dbplat", ATTACH)
    project = sample()
    monkeypatch.setenv("DATABASE_URL", DB_URL)
    request = DeployRequest(None, project.project_dir, recipe_file=path)
    fakes = install_fake_clis(tmp_path / "bin", page_resolution(request), tmp_path / "calls")
    monkeypatch.setenv("PATH", fakes.environ()["PATH"])

    out = deploy(project, "--recipe-file", str(path), "--automate-all", "--yes").out  # type: ignore[attr-defined]

    assert fakes.calls() == [("dbplat", "config", "import", "--app", "jotter")]
    assert fakes.inputs() == [f"DATABASE_URL={DB_URL}\n"], "the URL reached the platform, on stdin"
    assert DB_URL not in out
    assert "$ dbplat config import --app jotter <<'EOF'    [attach]\n  DATABASE_URL=********\n  EOF\n" in out
    assert "    Set DATABASE_URL=******** on jotter" in out, "the command's own output is redacted too"
    for name, data in every_byte(project.root):
        assert DB_URL.encode() not in data, f"the database URL is in {name}"
    log = next((project.root / ".deploybook" / "logs").glob("*.log")).read_text()
    assert "value database_url = ********" in log
    assert "Set DATABASE_URL=******** on jotter" in log


def test_a_config_only_run_logs_what_it_did(
    sample: Callable[..., SampleProject], deploy: Callable[..., object]
) -> None:
    project = sample()
    deploy(project, "heroku")
    (log,) = (project.root / ".deploybook" / "logs").glob("*-heroku-config.log")
    text = log.read_text()
    assert "recipe: heroku version 1 from recipes/heroku.md" in text
    assert "create  Procfile  [procfile]" in text
    assert (project.root / ".deploybook" / ".gitignore").read_text().endswith("*\n")
    assert status(project.root) != "" and ".deploybook" not in status(project.root)
