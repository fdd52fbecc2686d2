"""The small parts with their own contract: capture paths, the ssh hook, the fake CLIs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from deploybook.compiler import Command, ResolvedCommand, SourceSpan, compile_file, resolve
from deploybook.runtime import CaptureError, capture_value, ssh_argv
from deploybook.testing import install_fake_clis

HOSTS = '[\n  {"hostname": "a.example", "kind": "heroku", "port": 443, "tls": true}\n]'


@pytest.mark.parametrize(
    ("stdout", "path", "value"),
    [
        (HOSTS, "0.hostname", "a.example"),
        (HOSTS, "-1.port", "443"),
        (HOSTS, "0.tls", "true"),
        ('{"app": {"urls": ["https://x.example"]}}', "app.urls.0", "https://x.example"),
        ("Warning: a newer CLI exists\n" + HOSTS, "0.kind", "heroku"),
    ],
)
def test_capture_follows_the_dotted_path(stdout: str, path: str, value: str) -> None:
    assert capture_value(stdout, path.split(".")) == value


CLUSTERS = (
    '[{"id": "aaa", "name": "other-db"}, {"id": "bbb", "name": "blog.v2-db"}, {"id": "ccc", "name": "blog.v2-db"}]'
)


def test_a_capture_filter_picks_the_first_item_with_the_value() -> None:
    assert capture_value(CLUSTERS, ["[name=blog.v2-db]", "id"]) == "bbb"
    with pytest.raises(CaptureError) as error:
        capture_value(CLUSTERS, ["[name=shop-db]", "id"])
    assert str(error.value) == (
        "[name=shop-db]: no item whose name is 'shop-db' (its items have name: 'other-db', 'blog.v2-db', 'blog.v2-db')"
    )


@pytest.mark.parametrize(
    ("stdout", "path", "message"),
    [
        ("not json", "0", "the output is not JSON"),
        (HOSTS, "1.hostname", "1: the list has 1 item(s)"),
        (HOSTS, "0.name", "0.name: no key 'name' (keys: hostname, kind, port, tls)"),
        (HOSTS, "first", "first: expected a list index, got 'first'"),
        (HOSTS, "0", "0 is dict, not a single value"),
    ],
)
def test_capture_says_why_a_value_is_missing(stdout: str, path: str, message: str) -> None:
    with pytest.raises(CaptureError) as error:
        capture_value(stdout, path.split("."))
    assert str(error.value) == message


def command(*argv: str) -> ResolvedCommand:
    return ResolvedCommand(argv, (), Command(argv, (), SourceSpan("recipes/vps.md", 40), " ".join(argv)))


def test_ssh_argv_runs_the_command_as_one_quoted_remote_line() -> None:
    argv = ssh_argv(
        command("systemctl", "restart", "jotter web"),
        {"host": "203.0.113.7", "ssh_user": "deploy", "ssh_key": "/home/me/.ssh/id_ed25519", "ssh_port": "2222"},
    )
    assert argv == (
        "ssh", "-o", "BatchMode=yes", "-i", "/home/me/.ssh/id_ed25519", "-o", "IdentitiesOnly=yes",
        "-p", "2222", "deploy@203.0.113.7", "--", "systemctl restart 'jotter web'",
    )  # fmt: skip
    assert ssh_argv(command("true"), {"host": "h"}) == ("ssh", "-o", "BatchMode=yes", "h", "--", "true")


def test_ssh_argv_needs_a_host() -> None:
    from deploybook.runtime import DeployError

    with pytest.raises(DeployError) as error:
        ssh_argv(command("true"), {})
    assert "recipes/vps.md:40:1: a run=\"ssh\" command needs the variable 'host'" in str(error.value)


def fake_recipe(tmp_path: Path) -> Path:
    path = tmp_path / "fakeplat.md"
    path.write_text(
        "---\nid: fakeplat\ntitle: F\nversion: 1\nsummary: x\nrequires: [fakeplat, git]\nvariables:\n"
        '  token:\n    help: "t"\n    generate: secret\n---\n\n## Go {#go}\n\n'
        '```console {step="go" action="run"}\n'
        "$ fakeplat login --with-token <<'EOF'\n{{ token }}\nEOF\nLogged in\n...\n"
        "$ fakeplat apps\n[]\n```\n"
    )
    return path


def test_a_fake_cli_answers_from_the_transcript_and_records_every_call(tmp_path: Path) -> None:
    recipe = compile_file(fake_recipe(tmp_path)).recipe
    assert recipe is not None
    resolution = resolve(recipe, generate_secrets=False)  # the token stays {{ token }}: it matches anything
    fakes = install_fake_clis(tmp_path / "bin", resolution, tmp_path / "calls.jsonl")
    assert fakes.programs == ("fakeplat",), "git is real"
    env = fakes.environ()

    def run(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, env=env, input=stdin, capture_output=True, text=True)

    login = run("fakeplat", "login", "--with-token", stdin="abc\n")
    apps = run("fakeplat", "apps")
    wrong = run("fakeplat", "destroy", "--all")
    empty = run("fakeplat", "login", "--with-token")

    assert (login.returncode, login.stdout) == (0, "Logged in\n"), "the ... line is dropped"
    assert (apps.returncode, apps.stdout) == (0, "[]\n")
    assert wrong.returncode == 1
    assert "fake fakeplat (deploybook.testing): unexpected command: fakeplat destroy --all" in wrong.stderr
    assert "fakeplat login --with-token" in wrong.stderr
    assert empty.returncode == 1, "the page gives this command input; without it, it is not the page's command"
    assert fakes.calls() == [
        ("fakeplat", "login", "--with-token"),
        ("fakeplat", "apps"),
        ("fakeplat", "destroy", "--all"),
        ("fakeplat", "login", "--with-token"),
    ]
    assert fakes.inputs() == ["abc\n", "", "", ""], "what each call read on stdin"
    assert fakes.differences() == [
        "call 3: expected (nothing more), got fakeplat destroy --all",
        "call 4: expected (nothing more), got fakeplat login --with-token",
    ]
    replay = json.loads(fakes.replay_file.read_text())
    assert [entry["argv"][1] for entry in replay["commands"]] == ["login", "apps"]


def test_compiled_recipes_are_cached_and_a_change_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from deploybook.runtime import load_recipe

    monkeypatch.setenv("DEPLOYBOOK_CACHE_DIR", str(tmp_path / "cache"))
    path = fake_recipe(tmp_path)
    first = load_recipe(None, path)
    entries = list((tmp_path / "cache" / "recipes").glob("*.pickle"))
    assert len(entries) == 1
    assert load_recipe(None, path).recipe == first.recipe
    path.write_text(path.read_text().replace("title: F", "title: G"))
    assert load_recipe(None, path).recipe.title == "G", "the edit is seen at once"
    entries[0].write_bytes(b"not a pickle")
    assert load_recipe(None, path).recipe.title == "G", "a damaged entry is a miss"
