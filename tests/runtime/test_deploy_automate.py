"""--automate-all and --redeploy against fake platform CLIs and a real local git remote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from deploy_helpers import commits, git, recipe, status
from django.core.management import CommandError

from deploybook.compiler import Resolution
from deploybook.runtime import DeployRequest
from deploybook.samples import SampleProject
from deploybook.testing import FakeClis, install_fake_clis, page_resolution, tree_bytes
from deploybook.testing.fake_apis import FakeApis

Deploy = Callable[..., object]


@dataclass
class Platform:
    project: SampleProject
    fakes: FakeClis
    remote: Path
    apis: FakeApis


@pytest.fixture
def heroku(
    sample: Callable[..., SampleProject],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
    fake_apis: Callable[[Resolution], FakeApis],
) -> Callable[..., Platform]:
    """A sample project whose `heroku` remote is a local bare repository, with a fake heroku CLI
    and a stand-in for the Heroku API the page calls with curl."""

    def make(*assignments: str, fail_steps: tuple[str, ...] = (), **options: str) -> Platform:
        project = sample(**options)
        remote = tmp_path / f"{project.root.name}-heroku.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
        git(project.root, "remote", "add", "heroku", str(remote))
        given = dict(a.split("=", 1) for a in assignments)
        resolution = page_resolution(DeployRequest("heroku", project.project_dir, assignments=given))
        fakes = install_fake_clis(
            tmp_path / f"{project.root.name}-bin",
            resolution,
            tmp_path / f"{project.root.name}-calls.jsonl",
            fail_steps=fail_steps,
        )
        monkeypatch.setenv("PATH", fakes.environ()["PATH"])
        return Platform(project, fakes, remote, fake_apis(resolution))

    return make


@pytest.mark.parametrize("db", ["postgres", "sqlite"])
def test_automate_all_commits_once_and_issues_the_pages_commands_in_order(
    heroku: Callable[..., Platform], deploy: Deploy, db: str
) -> None:
    platform = heroku(f"db={db}")
    root = platform.project.root

    out = deploy(platform.project, "heroku", "--automate-all", "--yes", "--set", f"db={db}").out  # type: ignore[attr-defined]

    assert platform.fakes.differences("setup") == []
    calls = platform.fakes.calls()
    assert calls[0] == ("heroku", "create", "jotter")
    assert ("heroku", "addons:create", "heroku-postgresql:essential-0", "--app", "jotter") in calls or db == "sqlite"
    config = next(call for call in calls if call[1] == "config:set" and "DJANGO_ENV=production" in call)
    assert "DJANGO_ALLOWED_HOSTS=jotter-1a2b3c4d5e6f.herokuapp.com" in config, "the captured host is used"
    assert "-> app_host = jotter-1a2b3c4d5e6f.herokuapp.com" in out
    assert commits(root) == ["Configure for Heroku", "Initial commit"]
    changed = set(git(root, "show", "--name-only", "--format=", "HEAD").split())
    assert {"Procfile", ".python-version", ".gitignore", "jotter/settings.py", "jotter/health.py"} <= changed
    assert status(root) == ""
    assert git(platform.remote, "rev-parse", "main") == git(root, "rev-parse", "HEAD"), "git push really pushed"
    assert "$ git push heroku HEAD:main    [push]" in out
    assert platform.apis.differences("setup") == []
    (config_vars,) = [json.loads(request.body) for request in platform.apis.received]
    assert list(config_vars) == ["DJANGO_SECRET_KEY"] and len(config_vars["DJANGO_SECRET_KEY"]) > 40
    assert config_vars["DJANGO_SECRET_KEY"] not in out
    # The fakes' calls, the real curl to the API stand-in, and the real git push.
    assert f"Ran {len(calls) + 2} commands for Heroku." in out


def test_confirmation_is_asked_once_and_no_means_nothing_changes(
    heroku: Callable[..., Platform], deploy: Deploy
) -> None:
    platform = heroku()
    before = tree_bytes(platform.project.root)

    out = deploy(platform.project, "heroku", "--automate-all", stdin="n\n").out  # type: ignore[attr-defined]

    assert out.count("[y/N]") == 1
    assert "Write these changes, commit them, and run " in out and " commands against Heroku? [y/N]" in out
    assert "Cancelled: nothing was changed." in out
    assert tree_bytes(platform.project.root) == before
    assert platform.fakes.calls() == []

    out = deploy(platform.project, "heroku", "--automate-all", stdin="y\n").out  # type: ignore[attr-defined]
    assert "Ran " in out and platform.fakes.differences("setup") == []


def test_a_failed_command_stops_with_its_output_and_what_is_left(
    heroku: Callable[..., Platform], deploy: Deploy
) -> None:
    platform = heroku(fail_steps=("add-postgres",))

    with pytest.raises(CommandError) as error:
        deploy(platform.project, "heroku", "--automate-all", "--yes")

    message = str(error.value)
    failed = "`heroku addons:create heroku-postgresql:essential-0 --app jotter` failed with exit status 1"
    assert message.startswith(f"{failed} (step add-postgres, ")
    assert "Its output:\n    fake failure of step add-postgres\n" in message
    assert "run the remaining commands yourself, in this order:\n" in message
    assert "    heroku addons:create heroku-postgresql:essential-0 --app jotter\n" in message
    assert "    heroku domains --app jotter --json\n" in message
    assert "DJANGO_ALLOWED_HOSTS=<app_host>" in message, "not captured yet"
    assert "--data-binary @- --output /dev/null --write-out 'HTTP %{http_code}\\n' <<'EOF'\n" in message
    assert '    {"DJANGO_SECRET_KEY": "********"}\n    EOF\n' in message, "the generated secret is never shown"
    assert "the configuration stays committed as " in message
    assert "the log is .deploybook/logs/" in message
    assert platform.fakes.calls() == [("heroku", "create", "jotter"), tuple(message.split("`")[1].split())]
    assert commits(platform.project.root)[0] == "Configure for Heroku"


PLAT = recipe(
    "plat",
    'requires: [plat]\nvariables:\n  app_name:\n    help: "The app"\n    default: "{{ project_slug }}"\n'
    '  project_slug: "found"\n',
    '## Configure {#configure}\n\n```text {step="conf" action="write" file="plat.toml"}\n'
    'app = "{{ app_name }}"\n```\n\n'
    '## Create {#create}\n\n```console {step="create" action="run"}\n$ plat create {{ app_name }}\nCreated\n```\n\n'
    '## Deploy again {#again}\n\n```console {step="again" action="run" phase="redeploy"}\n'
    "$ plat deploy {{ app_name }} --wait\n...\nDeployed\n```\n",
)


def test_redeploy_runs_only_the_redeploy_commands(
    sample: Callable[..., SampleProject],
    deploy: Deploy,
    recipe_file: Callable[[str, str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = recipe_file("plat", PLAT)
    project = sample()
    request = DeployRequest(None, project.project_dir, recipe_file=path)
    fakes = install_fake_clis(tmp_path / "bin", page_resolution(request), tmp_path / "calls")
    monkeypatch.setenv("PATH", fakes.environ()["PATH"])
    deploy(project, "--recipe-file", str(path), "--automate-all", "--yes")
    assert fakes.calls() == [("plat", "create", "jotter")]
    assert fakes.differences("setup") == []
    (project.root / "about.txt").write_text("news\n")
    git(project.root, "add", "--all")
    git(project.root, "commit", "--quiet", "-m", "A change")

    out = deploy(project, "--recipe-file", str(path), "--redeploy", "--yes").out  # type: ignore[attr-defined]

    assert "--redeploy: run the commands that deploy the committed project again." in out
    assert "$ plat deploy jotter --wait    [again]\n    Deployed\n" in out
    assert fakes.calls()[1:] == [("plat", "deploy", "jotter", "--wait")]
    assert "configuration differs" not in out
    assert "Run 1 command to deploy the committed project" not in out, "--yes asks nothing"


def test_redeploy_warns_when_the_configuration_is_not_applied(
    sample: Callable[..., SampleProject],
    deploy: Deploy,
    recipe_file: Callable[[str, str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = recipe_file("plat", PLAT)
    project = sample()
    request = DeployRequest(None, project.project_dir, recipe_file=path)
    fakes = install_fake_clis(tmp_path / "bin", page_resolution(request), tmp_path / "calls")
    monkeypatch.setenv("PATH", fakes.environ()["PATH"])
    out = deploy(project, "--recipe-file", str(path), "--redeploy", "--yes").out  # type: ignore[attr-defined]
    assert "The project's configuration differs from what the recipe writes now" in out
    assert not (project.root / "plat.toml").exists()


def test_a_rerun_of_automate_all_commits_nothing(heroku: Callable[..., Platform], deploy: Deploy) -> None:
    platform = heroku()
    deploy(platform.project, "heroku", "--automate-all", "--yes")
    out = deploy(platform.project, "heroku", "--automate-all", "--yes").out  # type: ignore[attr-defined]
    assert "Every file is already as the recipe writes it: nothing to change." in out
    assert "Committed" not in out
    assert commits(platform.project.root) == ["Configure for Heroku", "Initial commit"]


def test_automate_all_relocks_with_the_projects_own_tool(
    heroku: Callable[..., Platform], deploy: Deploy, tmp_path: Path
) -> None:
    platform = heroku(flavour="uv")
    root = platform.project.root
    fake_uv = platform.fakes.bin_dir / "uv"
    fake_uv.write_text(f"#!/bin/sh\necho \"uv $*\" >> {tmp_path / 'uv-calls'}\necho '# relocked' >> uv.lock\n")
    fake_uv.chmod(0o755)

    out = deploy(platform.project, "heroku", "--automate-all", "--yes").out  # type: ignore[attr-defined]

    assert (tmp_path / "uv-calls").read_text() == "uv lock\n"
    assert "$ uv lock" in out
    assert "uv.lock" in git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert commits(root) == ["Configure for Heroku", "Initial commit"]


def test_automate_all_without_the_relock_tool_stops_before_writing(
    heroku: Callable[..., Platform], deploy: Deploy
) -> None:
    platform = heroku(flavour="pipenv")
    before = tree_bytes(platform.project.root)
    with pytest.raises(CommandError) as error:
        deploy(platform.project, "heroku", "--automate-all", "--yes")
    # deploybook re-locks itself, unless the page has its own `pipenv lock` step, which
    # makes pipenv one of the commands the recipe runs; either way it is checked first.
    refresh = "Pipfile.lock must be refreshed with `pipenv lock` after the new requirements, and pipenv is not"
    runs = "this command is not installed (or not on PATH): pipenv"
    assert refresh in str(error.value) or runs in str(error.value)
    assert tree_bytes(platform.project.root) == before


def test_configuration_only_refreshes_a_uv_lock_so_the_project_is_deployable(
    sample: Callable[..., SampleProject], deploy: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    uv = Path(sys.executable).with_name("uv")
    monkeypatch.setenv("PATH", f"{uv.parent}{os.pathsep}{os.environ['PATH']}")
    project = sample(flavour="uv")
    lock = project.root / "uv.lock"
    before = lock.read_bytes()

    out = deploy(project, "heroku").out  # type: ignore[attr-defined]

    assert "   update  uv.lock  [deploybook]  (refreshed with `uv lock`, after the files are written)" in out
    assert "$ uv lock" in out
    assert lock.read_bytes() != before
    assert "uv.lock is now out of date" not in out, "the lock file was refreshed: no stale note"
    check = subprocess.run([str(uv), "lock", "--locked"], cwd=project.root, capture_output=True, text=True)
    assert check.returncode == 0, f"the lock file matches pyproject.toml: {check.stderr}"


def test_no_lock_leaves_the_lock_file_and_says_what_to_run(
    sample: Callable[..., SampleProject], deploy: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    uv = Path(sys.executable).with_name("uv")
    monkeypatch.setenv("PATH", f"{uv.parent}{os.pathsep}{os.environ['PATH']}")
    project = sample(flavour="uv")
    before = (project.root / "uv.lock").read_bytes()

    out = deploy(project, "heroku", "--no-lock").out  # type: ignore[attr-defined]

    assert (project.root / "uv.lock").read_bytes() == before
    assert "uv.lock is now out of date: run `uv lock` and commit the result before you deploy" in out
    assert "(deploy did not run it: --no-lock;" in out


def test_without_the_lock_tool_the_note_says_it_is_not_installed(
    sample: Callable[..., SampleProject], deploy: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    project = sample(flavour="poetry")
    out = deploy(project, "heroku").out  # type: ignore[attr-defined]
    assert "poetry.lock is now out of date: run `poetry lock`" in out
    assert "(deploy did not run it: poetry is not installed here;" in out


def _ignore_python_version(root: Path) -> None:
    """A pyenv user's habit: the local version file is ignored, the rest of .gitignore as usual."""
    gitignore = root / ".gitignore"
    gitignore.write_text(gitignore.read_text() + "\n# pyenv\n.python-version\n")
    git(root, "commit", "--quiet", "-am", "Ignore pyenv's version file")


def test_an_ignored_output_is_named_with_its_rule_and_how_to_commit_it(
    sample: Callable[..., SampleProject], deploy: Deploy
) -> None:
    project = sample()
    _ignore_python_version(project.root)
    line = (project.root / ".gitignore").read_text().splitlines().index(".python-version") + 1

    out = deploy(project, "heroku", "--set", "db=sqlite").out  # type: ignore[attr-defined]

    assert (
        f".python-version is ignored by your .gitignore:{line} (`.python-version`), so `git add -A` leaves it "
        "out and the platform would not get it: commit it with `git add -f .python-version` "
        "(--automate-all adds it so)"
    ) in out
    assert "Procfile is ignored" not in out


def test_automate_all_force_adds_an_ignored_output(heroku: Callable[..., Platform], deploy: Deploy) -> None:
    platform = heroku("db=sqlite")
    root = platform.project.root
    _ignore_python_version(root)

    out = deploy(platform.project, "heroku", "--automate-all", "--yes", "--set", "db=sqlite").out  # type: ignore[attr-defined]

    assert ".python-version is ignored by your .gitignore" in out
    changed = set(git(root, "show", "--name-only", "--format=", "HEAD").split())
    assert ".python-version" in changed, "the platform reads the Python version from the commit"
    assert status(root) == ""
