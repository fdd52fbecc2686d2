"""`python -m deploybook demo`, as README's `./dev demo` runs it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def test_demo_configures_a_temporary_sample_and_shows_the_change() -> None:
    done = subprocess.run([sys.executable, "-m", "deploybook", "demo"], capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    out = done.stdout
    folder = re.search(r"a fresh git repository in (\S+)", out)
    assert folder is not None
    assert "==> python manage.py deploy fly-io\nRecipe fly-io (Fly.io, version 1) for jotter" in out, (
        "the default recipe is one that takes new projects"
    )
    assert "==> git diff --stat\n" in out
    assert re.search(r" fly\.toml +\| +\d+ \+", out)
    assert re.search(r"\d+ files changed, \d+ insertions\(\+\)", out)
    assert "==> git diff\ndiff --git a/.dockerignore b/.dockerignore" in out
    assert "+    'deploybook'," not in out, (
        "adding deploybook to INSTALLED_APPS is committed before the deploy, not part of its change"
    )
    assert "==> python manage.py deploy fly-io --rehearse\nContainers are off" in out, "the demo runs offline"
    assert "\nRehearsing Fly.io in a copy of" in out
    assert "Rehearsal of fly-io (db=sqlite pkg=requirements):" in out, "the demo needs no database server"
    assert "checks passed: the platform should serve this project." in out
    assert "nothing is left running" in out, "the demo says plainly that it does not keep serving"
    assert not Path(folder.group(1)).exists(), "the temporary copy is removed"
    assert out.rstrip().endswith("./dev demo fly-io --keep"), "the only command after the end works anywhere"


def test_demo_takes_a_recipe_and_choices_and_can_keep_the_copy() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "deploybook", "demo", "heroku", "--set", "db=sqlite", "--keep"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    kept = re.search(r"The configured project is kept in (\S+) ", done.stdout)
    assert kept is not None
    root = Path(kept.group(1))
    try:
        assert "gunicorn" in (root / "Procfile").read_text()
        assert "psycopg" not in (root / "requirements.txt").read_text(), "db=sqlite needs no PostgreSQL driver"
        commands = [line.strip() for line in done.stdout.split("such as", 1)[1].splitlines() if line.startswith("    ")]
        assert commands[0] == f"cd {root}"
        assert commands[2] == f"{shlex.quote(sys.executable)} manage.py deploy heroku --set db=sqlite --rehearse"
        for command in commands[1:4]:
            pasted = subprocess.run(command, shell=True, cwd=root, capture_output=True, text=True)
            assert pasted.returncode == 0, f"{command}\n{pasted.stdout}\n{pasted.stderr}"
            if "--rehearse" in command:
                assert "checks passed" in pasted.stdout
        assert commands[3] == f"{shlex.quote(sys.executable)} manage.py migrate"
        assert commands[4].endswith("manage.py runserver 127.0.0.1:8000")
        _serves(commands[4], root)
    finally:
        shutil.rmtree(root.parent)


def _serves(command: str, root: Path) -> None:
    """The printed runserver command serves the home page (on a free port: the machine is shared)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = [*shlex.split(command.replace(":8000", f":{port}")), "--noreload"]
    server = subprocess.Popen(argv, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    assert page.status == 200
                    return
            except urllib.error.HTTPError as error:
                raise AssertionError(f"runserver answered {error.code}") from error
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"runserver did not answer on port {port}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_demo_of_an_unknown_recipe_is_a_usage_error_with_the_reason() -> None:
    done = subprocess.run([sys.executable, "-m", "deploybook", "demo", "nope"], capture_output=True, text=True)
    assert done.returncode == 2, "as for `deploybook show nope`: the command line names no recipe"
    assert "error: unknown recipe 'nope'" in done.stderr
    assert "Traceback" not in done.stderr
