"""Every way a deploy refuses to start: a message that says what to do, and nothing written."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import tomlkit
from deploy_helpers import recipe, status
from django.core.management import CommandError

from deploybook.samples import SampleProject
from deploybook.testing import tree_bytes

Deploy = Callable[..., object]


def refused(deploy: Deploy, project: SampleProject, *args: str) -> CommandError:
    before = tree_bytes(project.root)
    with pytest.raises(CommandError) as error:
        deploy(project, *args)
    assert tree_bytes(project.root) == before
    assert not (project.root / ".deploybook").exists()
    return error.value


def test_a_dirty_tree_is_refused_unless_allowed(sample: Callable[..., SampleProject], deploy: Deploy) -> None:
    project = sample()
    (project.root / "notes.txt").write_text("mine\n")
    with (project.root / "jotter" / "urls.py").open("a") as handle:
        handle.write("# edited\n")

    error = refused(deploy, project, "heroku")

    message = str(error)
    assert "the git working tree has uncommitted changes: M jotter/urls.py, ?? notes.txt" in message
    assert "commit or stash them first" in message and "--allow-dirty" in message
    assert error.returncode == 1
    out = deploy(project, "heroku", "--allow-dirty").out  # type: ignore[attr-defined]
    assert "create  Procfile" in out
    assert (project.root / "notes.txt").read_text() == "mine\n"


def test_an_unknown_recipe_names_the_available_ones(sample: Callable[..., SampleProject], deploy: Deploy) -> None:
    error = refused(deploy, sample(), "herokku")
    assert "unknown recipe 'herokku'" in str(error)
    assert "available: " in str(error) and "heroku" in str(error)
    assert error.returncode == 2


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("colour=blue", "recipe 'heroku' has no axis or variable named 'colour'"),
        ("db=oracle", "choose one of: db=postgres, db=sqlite"),
        ("db", "--set expects NAME=VALUE, got 'db'"),
        ("=sqlite", "--set expects NAME=VALUE"),
    ],
)
def test_a_bad_set_is_a_usage_error(
    sample: Callable[..., SampleProject], deploy: Deploy, assignment: str, expected: str
) -> None:
    error = refused(deploy, sample(), "heroku", "--set", assignment)
    assert expected in str(error)
    assert error.returncode == 2


def test_a_missing_input_is_named_with_how_to_give_it(
    sample: Callable[..., SampleProject],
    deploy: Deploy,
    recipe_file: Callable[[str, str], Path],
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
) -> None:
    path = recipe_file(
        "needs-host",
        recipe(
            "needs-host",
            'variables:\n  host:\n    help: "The server\'s address"\n',
            '## Hosts {#hosts}\n\n```text {step="hosts" action="write" file="hosts.txt"}\n{{ host }}\n```\n',
        ),
    )
    project = sample()

    error = refused(deploy, project, "--recipe-file", str(path))

    assert "recipe 'needs-host' needs a value for host:" in str(error)
    assert f"host: The server's address ({path}:7:" in str(error)
    assert "pass --set host=VALUE, or set DEPLOYBOOK_HOST in the environment" in str(error)
    monkeypatch.setenv("DEPLOYBOOK_HOST", "203.0.113.7")
    deploy(project, "--recipe-file", str(path))
    assert (project.root / "hosts.txt").read_text() == "203.0.113.7\n"
    deploy(project, "--recipe-file", str(path), "--set", "host=198.51.100.1", "--allow-dirty")
    assert (project.root / "hosts.txt").read_text() == "198.51.100.1\n", "--set wins over the environment"


def test_a_recipe_with_compile_errors_lists_them_as_path_line_col(
    sample: Callable[..., SampleProject], deploy: Deploy, recipe_file: Callable[[str, str], Path]
) -> None:
    path = recipe_file(
        "broken",
        recipe(
            "broken",
            "",
            '## One {#one}\n\n```text {step="a" action="explode"}\nhi\n```\n\n'
            '## Two {#two}\n\n```text {step="b" action="write" file="x.txt"}\n{{ nope }}\n```\n',
        ),
    )
    error = refused(deploy, sample(), "--recipe-file", str(path))
    message = str(error)
    assert f"{path} has 2 errors; nothing was changed:" in message
    assert f"{path}:10:" in message and "DB103 unknown action 'explode'" in message
    assert f"{path}:17:1: DB201 undeclared variable 'nope'" in message
    assert f"deploybook check {path}" in message


def test_ambiguous_dependency_managers_ask_for_pkg(
    sample: Callable[..., SampleProject], deploy: Deploy, commit: Callable[[Path, str], None]
) -> None:
    project = sample()
    (project.root / "Pipfile").write_text('[packages]\ndjango = "*"\n')
    commit(project.root, "Add a Pipfile too")

    error = refused(deploy, project, "heroku")

    assert "more than one dependency manager" in str(error)
    assert "keep pipenv (--set pkg=pipenv) and remove requirements.txt; or keep requirements" in str(error)
    out = deploy(project, "heroku", "--set", "pkg=requirements").out  # type: ignore[attr-defined]
    assert "update  requirements.txt  [production-packages]" in out
    assert "pkg=requirements" in out


def test_a_path_escaping_the_repository_is_refused_at_the_step(
    sample: Callable[..., SampleProject], deploy: Deploy, recipe_file: Callable[[str, str], Path]
) -> None:
    path = recipe_file(
        "escape",
        recipe(
            "escape",
            "",
            '## Fine {#fine}\n\n```text {step="fine" action="write" file="./docs/fine.txt"}\nfine\n```\n\n'
            '## Out {#out}\n\n```text {step="out" action="write" file="docs/../../outside.txt"}\nno\n```\n',
        ),
    )
    project = sample()
    error = refused(deploy, project, "--recipe-file", str(path))
    assert f"{path}:16:1: step 'out': file 'docs/../../outside.txt' is outside the repository" in str(error)
    assert not (project.root.parent / "outside.txt").exists()


def test_dot_slash_paths_are_normalised(
    sample: Callable[..., SampleProject], deploy: Deploy, recipe_file: Callable[[str, str], Path]
) -> None:
    path = recipe_file(
        "dotted",
        recipe(
            "dotted", "", '## Fine {#fine}\n\n```text {step="fine" action="write" file="./docs/./fine.txt"}\nok\n```\n'
        ),
    )
    project = sample()
    out = deploy(project, "--recipe-file", str(path)).out  # type: ignore[attr-defined]
    assert "create  docs/fine.txt  [fine]" in out
    assert (project.root / "docs" / "fine.txt").read_text() == "ok\n"


def test_a_symlink_leading_outside_is_refused(
    sample: Callable[..., SampleProject],
    deploy: Deploy,
    recipe_file: Callable[[str, str], Path],
    commit: Callable[[Path, str], None],
    tmp_path: Path,
) -> None:
    project = sample()
    (tmp_path / "elsewhere").mkdir()
    (project.root / "link").symlink_to(tmp_path / "elsewhere")
    commit(project.root, "A link")
    path = recipe_file(
        "linked", recipe("linked", "", '## In {#in}\n\n```text {step="in" action="write" file="link/x.txt"}\nx\n```\n')
    )
    error = refused(deploy, project, "--recipe-file", str(path))
    assert "leads outside the repository" in str(error)
    assert not (tmp_path / "elsewhere" / "x.txt").exists()


def test_a_secret_is_never_written_into_a_file(
    sample: Callable[..., SampleProject], deploy: Deploy, recipe_file: Callable[[str, str], Path]
) -> None:
    path = recipe_file(
        "leaky",
        recipe(
            "leaky",
            'variables:\n  secret_key:\n    help: "A secret"\n    generate: secret\n',
            '## Leak {#leak}\n\n```text {step="leak" action="write" file=".env"}\nSECRET={{ secret_key }}\n```\n',
        ),
    )
    error = refused(deploy, sample(), "--recipe-file", str(path))
    assert f"{path}:14:1: step 'leak' would write the secret {{{{ secret_key }}}} into a file" in str(error)


def test_a_value_made_from_a_secret_is_never_written_into_a_file(
    sample: Callable[..., SampleProject], deploy: Deploy, recipe_file: Callable[[str, str], Path]
) -> None:
    path = recipe_file(
        "leaky",
        recipe(
            "leaky",
            'variables:\n  password:\n    help: "A password"\n    secret: true\n'
            '  url:\n    help: "A URL"\n    default: "postgres://app:{{ password }}@db/app"\n',
            '## Leak {#leak}\n\n```text {step="leak" action="write" file=".env"}\nURL={{ url }}\n```\n',
        ),
    )
    error = refused(deploy, sample(), "--recipe-file", str(path), "--set", "password=hunter2")
    assert "step 'leak' would write {{ url }}, which holds the secret {{ password }}, into a file" in str(error)
    assert "hunter2" not in str(error)


def test_a_value_captured_later_cannot_go_into_a_file(
    sample: Callable[..., SampleProject], deploy: Deploy, recipe_file: Callable[[str, str], Path]
) -> None:
    path = recipe_file(
        "early",
        recipe(
            "early",
            'requires: [plat]\nvariables:\n  app_host: "The host"\n',
            '## Hosts {#hosts}\n\n```text {step="hosts" action="write" file="hosts.txt"}\n{{ app_host }}\n```\n\n'
            '## Read {#read}\n\n```console {step="read" action="run" capture="app_host=host"}\n$ plat info --json\n'
            '{"host": "x"}\n```\n',
        ),
    )
    error = refused(deploy, sample(), "--recipe-file", str(path))
    assert "step 'hosts' uses {{ app_host }}, which is only known once step 'read'" in str(error)
    assert "--set app_host=VALUE" in str(error)


def test_damaged_markers_are_refused(
    sample: Callable[..., SampleProject], deploy: Deploy, commit: Callable[[Path, str], None]
) -> None:
    project = sample()
    settings = project.root / "jotter" / "settings.py"
    settings.write_text(settings.read_text() + "\n# >>> deploybook heroku/production-settings >>>\nDEBUG = False\n")
    commit(project.root, "A half block")
    error = refused(deploy, project, "heroku")
    assert "jotter/settings.py: the markers of the block `deploybook heroku/production-settings` are damaged" in str(
        error
    )


def test_outside_git_needs_allow_dirty(tmp_path: Path, sample: Callable[..., SampleProject], deploy: Deploy) -> None:
    project = sample()
    subprocess.run(["rm", "-rf", str(project.root / ".git")], check=True)
    with pytest.raises(CommandError) as error:
        deploy(project, "heroku")
    assert "is not in a git repository" in str(error.value)
    assert "run `git init` and commit your project" in str(error.value)
    out = deploy(project, "heroku", "--allow-dirty").out  # type: ignore[attr-defined]
    assert "create  Procfile" in out
    assert ".gitignore" not in out


def test_no_manage_py_says_where_to_run(tmp_path: Path, deploy: Deploy) -> None:
    with pytest.raises(CommandError) as error:
        deploy(tmp_path, "heroku")
    assert f"no manage.py in {tmp_path}" in str(error.value)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--automate-all", "--no-input"), "--automate-all asks for confirmation"),
        (("--redeploy", "--no-input"), "--redeploy asks for confirmation"),
        (("--recipe-file", "x.md"), "both a recipe (heroku) and --recipe-file (x.md) were given"),
    ],
)
def test_contradictory_options_are_usage_errors(
    sample: Callable[..., SampleProject], deploy: Deploy, args: tuple[str, ...], expected: str
) -> None:
    error = refused(deploy, sample(), "heroku", *args)
    assert expected in str(error)
    assert error.returncode == 2


def test_no_recipe_at_all(sample: Callable[..., SampleProject], deploy: Deploy) -> None:
    error = refused(deploy, sample())
    assert "which recipe?" in str(error) and "manage.py deploy --list" in str(error)


def test_nothing_is_written_when_only_the_last_check_fails(
    sample: Callable[..., SampleProject], deploy: Deploy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # heroku is not on this PATH; git and curl are, so every other check passes.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("git", "curl"):
        (bin_dir / tool).symlink_to(subprocess.run(["which", tool], capture_output=True, text=True).stdout.strip())
    monkeypatch.setenv("PATH", str(bin_dir))
    project = sample()
    error = refused(deploy, project, "heroku", "--automate-all", "--yes")
    assert "this command is not installed (or not on PATH): heroku" in str(error)
    assert "leave out --automate-all and follow the page by hand" in str(error)
    assert status(project.root) == ""


def test_redeploy_needs_only_the_values_its_own_commands_use(
    sample: Callable[..., SampleProject],
    deploy: Deploy,
    recipe_file: Callable[[str, str], Path],
    clean_env: None,
) -> None:
    path = recipe_file(
        "server",
        recipe(
            "server",
            'variables:\n  host:\n    help: "The server\'s address"\n',
            '## Server {#server}\n\n```text {step="conf" action="write" file="server.conf"}\n{{ host }}\n```\n\n'
            "## Deploy again {#again}\n\n"
            '```console {step="push" action="run" phase="redeploy"}\n$ git push server HEAD:main\n```\n',
        ),
    )
    project = sample()

    error = refused(deploy, project, "--recipe-file", str(path))
    assert "recipe 'server' needs a value for host:" in str(error), "configuring still needs it"

    ran = deploy(project, "--recipe-file", str(path), "--redeploy", "--dry-run")
    assert "git push server HEAD:main" in ran.out
    assert "server.conf" not in ran.out, "a redeploy writes no file"


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("host=", "host = '': it is empty"),
        ("host=203.0.113.7; reboot", "host = '203.0.113.7; reboot': it must be an IP address or a host name"),
        ("app_name=blog;rm -rf /", "app_name = 'blog;rm -rf /': it must be lowercase letters, digits and '-'"),
        ("app_name=blog\nExecStartPre=/bin/sh", "app_name = 'blog\\nExecStartPre=/bin/sh': it must be lowercase"),
    ],
)
def test_a_value_that_could_change_a_file_or_a_command_is_refused_before_anything_is_written(
    sample: Callable[..., SampleProject], deploy: Deploy, assignment: str, expected: str
) -> None:
    given = ["--set", "host=203.0.113.7"] if not assignment.startswith("host=") else []
    error = refused(deploy, sample(), "vps", *given, "--set", assignment)
    assert expected in str(error)
    assert "recipe 'vps' cannot use this value; nothing was changed" in str(error)
    assert error.returncode == 2


def test_a_value_in_a_quoted_toml_string_is_escaped(
    sample: Callable[..., SampleProject], deploy: Deploy, recipe_file: Callable[[str, str], Path]
) -> None:
    path = recipe_file(
        "quoted",
        recipe(
            "quoted",
            'variables:\n  motto:\n    help: "A motto"\n',
            '## Conf {#conf}\n\n```toml {step="conf" action="write" file="app.toml"}\nmotto = "{{ motto }}"\n```\n',
        ),
    )
    project = sample()
    deploy(project, "--recipe-file", str(path), "--set", 'motto=say "hi"\\ [evil]')
    assert tomlkit.parse((project.root / "app.toml").read_text()) == {"motto": 'say "hi"\\ [evil]'}


def test_rollback_needs_a_recipe_that_keeps_releases(sample: Callable[..., SampleProject], deploy: Deploy) -> None:
    project = sample()

    error = refused(deploy, project, "heroku", "--rollback", "--yes")

    assert "the heroku recipe has no --rollback commands for this project" in str(error)
    assert 'no run step with phase="rollback"' in str(error)


def test_a_dry_rollback_lists_the_commands_and_runs_none(sample: Callable[..., SampleProject], deploy: Deploy) -> None:
    project = sample()
    before = tree_bytes(project.root)

    ran = deploy(project, "vps", "--rollback", "--dry-run", "--set", "host=203.0.113.7")

    assert tree_bytes(project.root) == before
    assert "--rollback: run the commands that go back to the release before" in ran.out  # type: ignore[attr-defined]
    assert "admin@203.0.113.7 sudo -n /usr/local/lib/jotter/release rollback" in ran.out  # type: ignore[attr-defined]


def test_kubernetes_rolls_back_with_rollout_undo(sample: Callable[..., SampleProject], deploy: Deploy) -> None:
    project = sample()
    before = tree_bytes(project.root)

    ran = deploy(project, "kubernetes", "--rollback", "--dry-run").out  # type: ignore[attr-defined]

    assert tree_bytes(project.root) == before
    commands = ran.split("Commands it would run, in this order:\n", 1)[1].split("\n\n", 1)[0].split("\n")
    assert [line.strip() for line in commands] == [
        "kubectl rollout undo deployment/jotter",
        "kubectl rollout status deployment/jotter --timeout=600s",
    ], ran
