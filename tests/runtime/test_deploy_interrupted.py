"""`--automate-all` stopped by Ctrl-C: what it says is exactly the state it left.

A real `python manage.py deploy heroku --automate-all` runs with a fake heroku CLI; the SIGINT
comes from inside the run (a commit hook, or the fake CLI), as it would from the terminal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from deploy_helpers import commits, git, status

from deploybook.runtime import DeployRequest
from deploybook.samples import SampleProject
from deploybook.testing import install_fake_clis, page_resolution, tree_bytes

# Sent to the deploy (the hook's grandparent: deploy -> git -> hook), then the hook waits to be stopped.
STOP_THE_DEPLOY = "#!/bin/sh\nkill -INT $(ps -o ppid= -p $PPID)\nsleep 5\n"


def automate(project: SampleProject, bin_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEPLOYBOOK_")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        [sys.executable, "manage.py", "deploy", "heroku", "--automate-all", "--yes"],
        cwd=project.project_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def fakes_for(project: SampleProject, tmp_path: Path) -> Path:
    remote = tmp_path / "heroku.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    git(project.root, "remote", "add", "heroku", str(remote))
    resolution = page_resolution(DeployRequest("heroku", project.project_dir))
    return install_fake_clis(tmp_path / "bin", resolution, tmp_path / "calls.jsonl").bin_dir


def test_ctrl_c_during_the_commit_restores_the_files_and_the_index(
    app_sample: Callable[..., SampleProject], tmp_path: Path
) -> None:
    project = app_sample()
    bin_dir = fakes_for(project, tmp_path)
    hook = project.root / ".git" / "hooks" / "pre-commit"
    hook.write_text(STOP_THE_DEPLOY)
    hook.chmod(0o755)
    before = tree_bytes(project.root)

    done = automate(project, bin_dir)

    assert done.returncode == 130, done.stdout + done.stderr
    assert "interrupted; every file the deploy had changed was restored" in done.stderr
    assert tree_bytes(project.root) == before
    assert status(project.root) == ""
    assert git(project.root, "diff", "--cached", "--name-only") == "", "nothing stays staged"
    assert commits(project.root) == ["Add deploybook to INSTALLED_APPS", "Initial commit"]


def test_ctrl_c_during_a_platform_command_says_what_stays_and_what_is_left(
    app_sample: Callable[..., SampleProject], tmp_path: Path
) -> None:
    project = app_sample()
    bin_dir = fakes_for(project, tmp_path)
    # The platform's CLI is stopped while it creates the database (the terminal's Ctrl-C
    # reaches the deploy too).
    real = (bin_dir / "heroku").read_text()
    (bin_dir / "heroku").write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "addons:create" ]; then kill -INT $PPID; sleep 5; fi\n'
        f"exec {sys.executable} - \"$@\" <<'PY'\n{real.split(chr(10), 1)[1]}PY\n"
    )

    done = automate(project, bin_dir)

    assert done.returncode == 130, done.stdout + done.stderr
    message = done.stderr
    head = git(project.root, "rev-parse", "--short", "HEAD").strip()
    assert f"the configuration stays committed as {head}" in message
    assert "`heroku addons:create heroku-postgresql:essential-0 --app jotter` was running" in message
    assert "run the remaining commands yourself, in this order:" in message
    left = message.split("in this order:", 1)[1]
    assert left.index("heroku addons:create") < left.index("heroku pg:wait") < left.index("git push heroku HEAD:main")
    assert "heroku create jotter" not in left, "the command that finished is not left"
    assert commits(project.root)[0] == "Configure for Heroku"
    assert status(project.root) == ""
