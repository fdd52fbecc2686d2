"""How --automate-all runs a page's commands: its own commit, ssh steps, captures, interrupts."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from deploy_helpers import commits, git, recipe, status
from django.core.management import CommandError

from deploybook.errors import Interrupted
from deploybook.runtime import Action, DeployRequest, PlainOutput, deploy
from deploybook.samples import SampleProject
from deploybook.testing import install_fake_clis, page_resolution, tree_bytes

Deploy = Callable[..., object]

SELF_COMMIT = recipe(
    "selfcommit",
    "requires: [plat, git]\n",
    '## Configure {#configure}\n\n```text {step="conf" action="write" file="plat.toml"}\nname = "x"\n```\n\n'
    '## Commit {#commit}\n\n```console {step="commit" action="run"}\n$ git add --all\n'
    '$ git commit --message "Configure for Plat"\n...\n```\n\n'
    '## Create {#create}\n\n```console {step="create" action="run"}\n$ plat create\nCreated\n```\n',
)

OVER_SSH = recipe(
    "overssh",
    'variables:\n  host:\n    help: "The server"\n  ssh_user:\n    help: "Who logs in"\n    default: "deploy"\n'
    '  project_slug: "found"\n',
    '## Name {#name}\n\n```text {step="name" action="write" file="server.txt"}\n{{ host }}\n```\n\n'
    '## Restart {#restart}\n\n```console {step="restart" action="run" run="ssh"}\n'
    "$ systemctl restart {{ project_slug }} web\n```\n",
)

BAD_CAPTURE = recipe(
    "badcapture",
    'requires: [plat]\nvariables:\n  app_url: "The URL"\n',
    '## Conf {#conf}\n\n```text {step="conf" action="write" file="plat.toml"}\nx = 1\n```\n\n'
    '## Read {#read}\n\n```console {step="read" action="run" capture="app_url=web.url"}\n$ plat info --json\n'
    '{"web": {}}\n```\n\n## Use {#use}\n\n```console {step="use" action="run"}\n$ plat open {{ app_url }}\n```\n',
)


def fakes_for(project: SampleProject, path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    request = DeployRequest(None, project.project_dir, recipe_file=path)
    fakes = install_fake_clis(tmp_path / "bin", page_resolution(request), tmp_path / "calls", programs=["plat"])
    monkeypatch.setenv("PATH", fakes.environ()["PATH"])
    return fakes


def test_a_page_that_commits_itself_makes_the_one_commit(
    sample: Callable[..., SampleProject],
    deploy: Deploy,
    recipe_file: Callable[[str, str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = recipe_file("selfcommit", SELF_COMMIT)
    project = sample()
    fakes_for(project, path, tmp_path, monkeypatch)

    out = deploy(project, "--recipe-file", str(path), "--automate-all", "--yes").out  # type: ignore[attr-defined]

    assert commits(project.root) == ["Configure for Plat", "Initial commit"]
    assert "Committed the change" not in out
    assert "$ git commit --message 'Configure for Plat'    [commit]" in out
    assert status(project.root) == ""


def test_ssh_steps_run_through_ssh_with_the_recipes_connection_values(
    sample: Callable[..., SampleProject],
    deploy: Deploy,
    recipe_file: Callable[[str, str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = recipe_file("overssh", OVER_SSH)
    project = sample()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "ssh.json"
    ssh = bin_dir / "ssh"
    ssh.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(record)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\nprint('restarted')\n"
    )
    ssh.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    out = deploy(  # type: ignore[attr-defined]
        project, "--recipe-file", str(path), "--automate-all", "--yes", "--set", "host=203.0.113.7"
    ).out

    calls = [json.loads(line) for line in record.read_text().splitlines()]
    assert calls == [["-o", "BatchMode=yes", "deploy@203.0.113.7", "--", "systemctl restart jotter web"]]
    assert "$ systemctl restart jotter web    (on the server, over ssh)    [restart]" in out
    assert "    restarted" in out


def test_a_capture_that_finds_nothing_stops_with_the_place_and_a_way_out(
    sample: Callable[..., SampleProject],
    deploy: Deploy,
    recipe_file: Callable[[str, str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = recipe_file("badcapture", BAD_CAPTURE)
    project = sample()
    fakes_for(project, path, tmp_path, monkeypatch)

    with pytest.raises(CommandError) as error:
        deploy(project, "--recipe-file", str(path), "--automate-all", "--yes")

    message = str(error.value)
    assert "cannot read app_url from the output of `plat info --json`: web.url: no key 'url' (keys: none)" in message
    assert message.startswith(f"{path}:19:1: cannot read app_url")
    assert "--set app_url=VALUE" in message


def test_an_interrupt_during_the_writes_restores_everything(sample: Callable[..., SampleProject]) -> None:
    project = sample()
    before = tree_bytes(project.root)

    def interrupt(index: int, action: Action | None) -> None:
        if index == 3:
            raise KeyboardInterrupt

    with pytest.raises(Interrupted) as stopped:
        deploy(DeployRequest("heroku", project.project_dir), PlainOutput(io.StringIO()), checkpoint=interrupt)

    assert tree_bytes(project.root) == before
    assert stopped.value.message == "interrupted; every file the deploy had changed was restored"
    (log,) = (project.root / ".deploybook" / "logs").glob("*.log")
    assert "stopped: interrupted; every file the deploy had changed was restored" in log.read_text()
    assert status(project.root) == ""


LATE = recipe(
    "late",
    'requires: [plat]\nvariables:\n  app_url: "The URL"\n',
    '## Conf {#conf}\n\n```text {step="conf" action="write" file="plat.toml"}\nx = 1\n```\n\n'
    '## Read {#read}\n\n```console {step="read" action="run" capture="app_url=url"}\n$ plat info --json\n'
    '{"url": "https://x.example"}\n```\n\n'
    '## Again {#again}\n\n```console {step="again" action="run" phase="redeploy"}\n$ plat open {{ app_url }}\n```\n',
)


def test_a_value_only_a_setup_step_captures_is_never_sent_as_a_stand_in(
    sample: Callable[..., SampleProject],
    deploy: Deploy,
    recipe_file: Callable[[str, str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = recipe_file("late", LATE)
    project = sample()
    fakes = fakes_for(project, path, tmp_path, monkeypatch)
    deploy(project, "--recipe-file", str(path))
    git(project.root, "add", "--all")
    git(project.root, "commit", "--quiet", "-m", "configured")

    with pytest.raises(CommandError) as error:
        deploy(project, "--recipe-file", str(path), "--redeploy", "--yes")

    unknown = "step 'again' needs {{ app_url }}, which is not known (step 'read' captures it during --automate-all)"
    assert unknown in str(error.value)
    assert "--set app_url=VALUE" in str(error.value)
    assert fakes.calls() == []  # type: ignore[attr-defined]
    out = deploy(  # type: ignore[attr-defined]
        project, "--recipe-file", str(path), "--redeploy", "--yes", "--set", "app_url=https://y.example"
    ).out
    assert "$ plat open https://y.example    [again]" in out


SECRET_INPUT = recipe(
    "secretinput",
    'requires: [plat]\nvariables:\n  secret_key:\n    help: "A secret"\n    generate: secret\n',
    '## Conf {#conf}\n\n```text {step="conf" action="write" file="plat.toml"}\nx = 1\n```\n\n'
    '## Secrets {#secrets}\n\n```console {step="secrets" action="run"}\n'
    "$ plat secrets import <<'EOF'\nKEY={{ secret_key }}\nOTHER=plain\nEOF\nStaged\n```\n",
)


def test_a_here_document_reaches_the_command_on_stdin_and_never_its_argv(
    sample: Callable[..., SampleProject],
    deploy: Deploy,
    recipe_file: Callable[[str, str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = recipe_file("secretinput", SECRET_INPUT)
    project = sample()
    fakes = fakes_for(project, path, tmp_path, monkeypatch)

    out = deploy(project, "--recipe-file", str(path), "--automate-all", "--yes").out  # type: ignore[attr-defined]

    assert fakes.calls() == [("plat", "secrets", "import")]  # type: ignore[attr-defined]
    [given] = fakes.inputs()  # type: ignore[attr-defined]
    key, other = given.splitlines()
    assert key.startswith("KEY=") and len(key) > 50 and other == "OTHER=plain"
    assert "$ plat secrets import <<'EOF'    [secrets]\n  KEY=********\n  OTHER=plain\n  EOF\n    Staged" in out
    assert key[4:] not in out
    (log,) = (project.root / ".deploybook" / "logs").glob("*.log")
    assert key[4:] not in log.read_text()


def test_the_configuration_only_run_lists_a_commands_input(
    sample: Callable[..., SampleProject], deploy: Deploy, recipe_file: Callable[[str, str], Path]
) -> None:
    path = recipe_file("secretinput", SECRET_INPUT)
    out = deploy(sample(), "--recipe-file", str(path)).out  # type: ignore[attr-defined]
    assert "    plat secrets import <<'EOF'\n    KEY=<secret_key>\n    OTHER=plain\n    EOF\n" in out


def script_recipe(mode: str) -> str:
    return recipe(
        "script",
        "",
        f'## Script {{#script}}\n\n```sh {{step="script" action="write" file="bin/greet"{mode}}}\n'
        '#!/bin/sh\necho "hello $1" > greeted.txt\n```\n\n'
        '## Run it {#run-it}\n\n```console {step="greet" action="run"}\n$ bin/greet world\n```\n',
    )


def test_a_command_may_run_a_script_the_recipe_writes(
    sample: Callable[..., SampleProject], deploy: Deploy, recipe_file: Callable[[str, str], Path]
) -> None:
    path = recipe_file("script", script_recipe(' mode="755"'))
    project = sample()

    out = deploy(project, "--recipe-file", str(path), "--automate-all", "--yes").out  # type: ignore[attr-defined]

    assert "$ bin/greet world    [greet]" in out
    assert (project.root / "greeted.txt").read_text() == "hello world\n"


def test_a_script_the_recipe_writes_must_be_executable(
    sample: Callable[..., SampleProject], deploy: Deploy, recipe_file: Callable[[str, str], Path]
) -> None:
    path = recipe_file("script", script_recipe(""))
    project = sample()
    before = tree_bytes(project.root)
    with pytest.raises(CommandError) as error:
        deploy(project, "--recipe-file", str(path), "--automate-all", "--yes")
    assert "the recipe runs bin/greet, which step 'script' (" in str(error.value)
    assert 'writes without execute permission\n  hint: add mode="755" to that step' in str(error.value)
    assert tree_bytes(project.root) == before


def test_a_command_may_not_run_a_file_the_recipe_does_not_write(
    sample: Callable[..., SampleProject], deploy: Deploy, recipe_file: Callable[[str, str], Path]
) -> None:
    text = recipe(
        "runs",
        "",
        '## Conf {#conf}\n\n```text {step="conf" action="write" file="x.txt"}\nx\n```\n\n'
        '## Run {#run}\n\n```console {step="run" action="run"}\n$ ./manage.py migrate\n```\n',
    )
    path = recipe_file("runs", text)
    with pytest.raises(CommandError) as error:
        deploy(sample(), "--recipe-file", str(path), "--automate-all", "--yes")
    assert "the recipe runs ./manage.py, which is not a file it writes" in str(error.value)
