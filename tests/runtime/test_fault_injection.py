"""Faults injected at every file rename of a real `manage.py deploy heroku`, with strace.

strace's syscall fault injection stops the deploy at exactly the n-th rename of the deploy's
own process (not of the git it runs: strace does not follow children here), every time: a
signal (SIGINT, SIGTERM, SIGHUP, or SIGKILL followed by `deploy --recover`), or an I/O error
from that rename on. In every trial the tree must end byte for byte as committed, or, where
the disk itself refuses, deploy must name each file it could not restore and how to.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from deploy_helpers import status

from deploybook.samples import SampleProject
from deploybook.testing import tree_bytes

pytestmark = pytest.mark.skipif(shutil.which("strace") is None and not os.environ.get("CI"), reason="needs strace")

RENAMES = "rename,renameat,renameat2"


def deploy_argv(*inject: str) -> list[str]:
    options = [f"--inject={RENAMES}:{rule}" for rule in inject]
    return ["strace", "-qq", "-o", os.devnull, f"--trace={RENAMES}", *options, sys.executable, "manage.py"]


def environ(project: SampleProject) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEPLOYBOOK_")}
    env["DEPLOYBOOK_CACHE_DIR"] = str(project.root.parent / "cache")
    return env


def run(project: SampleProject, *argv: str, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(prefix or [sys.executable, "manage.py"]), *argv],
        cwd=project.project_dir,
        env=environ(project),
        capture_output=True,
        text=True,
        timeout=300,
    )


def count_renames(project: SampleProject) -> int:
    """How many renames a whole config-only deploy makes (then the tree is put back). A dry
    run first stores the compiled recipe in the cache, so that every trial renames the same."""
    assert run(project, "deploy", "heroku", "--dry-run").returncode == 0
    trace = project.root.parent / "renames.trace"
    done = run(
        project,
        "deploy",
        "heroku",
        prefix=["strace", "-qq", "-o", str(trace), f"--trace={RENAMES}", sys.executable, "manage.py"],
    )
    assert done.returncode == 0, done.stderr
    renames = [line for line in trace.read_text().splitlines() if re.search(r"\brename(at2?)?\(", line)]
    subprocess.run(["git", "checkout", "--quiet", "--", "."], cwd=project.root, check=True)
    subprocess.run(["git", "clean", "--quiet", "-fdx", "--exclude=.deploybook"], cwd=project.root, check=True)
    return len(renames)


@pytest.fixture
def project(app_sample: Callable[..., SampleProject]) -> SampleProject:
    return app_sample()


def committed(project: SampleProject) -> dict[str, tuple[bytes, int]]:
    return tree_bytes(project.root)


def assert_as_committed(project: SampleProject, before: dict[str, tuple[bytes, int]], trial: str) -> None:
    assert tree_bytes(project.root) == before, f"{trial}: the tree differs from the commit"
    assert status(project.root) == "", f"{trial}: git sees changes"
    leftovers = [p for p in project.root.rglob("*.deploybook-tmp")]
    assert leftovers == [], f"{trial}: temporary files left: {leftovers}"


@pytest.mark.parametrize("signal", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_signal_at_every_rename_leaves_the_tree_as_committed(project: SampleProject, signal: str) -> None:
    before = committed(project)
    renames = count_renames(project)
    assert renames >= 7, "every file change is a rename, and the journal's too"
    codes = {"SIGINT": 130, "SIGTERM": 143, "SIGHUP": 129}
    for number in range(1, renames + 1):
        done = run(project, "deploy", "heroku", prefix=deploy_argv(f"signal={signal}:when={number}"))
        trial = f"{signal} at rename {number} of {renames}"
        assert done.returncode == codes[signal], f"{trial}: {done.returncode}\n{done.stdout}\n{done.stderr}"
        told = ("nothing was changed", "every file the deploy had changed was restored")
        assert any(text in done.stderr for text in told), f"{trial}: {done.stderr}"
        assert "Traceback" not in done.stderr, trial
        assert_as_committed(project, before, trial)


def test_a_kill_at_every_rename_is_recovered_by_the_next_run(project: SampleProject) -> None:
    before = committed(project)
    renames = count_renames(project)
    for number in range(1, renames + 1):
        trial = f"SIGKILL at rename {number} of {renames}"
        killed = run(project, "deploy", "heroku", prefix=deploy_argv(f"signal=SIGKILL:when={number}"))
        assert killed.returncode != 0, trial
        recovered = run(project, "deploy", "--recover")
        assert recovered.returncode == 0, f"{trial}: {recovered.stderr}"
        assert "stopped" in recovered.stdout or "No stopped deploy" in recovered.stdout, recovered.stdout
        assert_as_committed(project, before, trial)
    # The next deploy itself recovers too, and says so.
    run(project, "deploy", "heroku", prefix=deploy_argv(f"signal=SIGKILL:when={renames // 2}"))
    again = run(project, "deploy", "heroku")
    assert again.returncode == 0, again.stderr
    assert "A deploy that was stopped before it finished had changed" in again.stdout


def test_an_io_error_from_a_rename_on_names_every_file_not_restored(project: SampleProject) -> None:
    before = committed(project)
    renames = count_renames(project)
    # The last rename is the record of the files deploybook wrote (see written.py), which only
    # saves a question on the next run: its failure does not fail the deploy.
    for number in range(1, renames):
        trial = f"EIO from rename {number} of {renames} on"
        done = run(project, "deploy", "heroku", prefix=deploy_argv(f"error=EIO:when={number}+"))
        assert done.returncode == 1, f"{trial}: {done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, f"{trial}: {done.stderr}"
        assert "Input/output error" in done.stderr, f"{trial}: {done.stderr}"
        listed = re.findall(r"restore it with `([^`]+)`", done.stderr)
        changed = [line[3:] for line in status(project.root).splitlines()]
        for path in changed:
            assert any(path in command for command in listed), f"{trial}: {path} is changed and not named"
        # The disk works again: what deploy said to run, or --recover, puts everything back.
        recovered = run(project, "deploy", "--recover")
        assert recovered.returncode == 0, f"{trial}: {recovered.stderr}"
        assert_as_committed(project, before, trial)


@pytest.mark.parametrize("first", [1, 3, 5])
def test_a_full_disk_names_the_file(project: SampleProject, first: int) -> None:
    # A full disk shows when the bytes are synced (delayed allocation), so fsync is where it is
    # injected; the deploy's output keeps working, as a terminal's would.
    before = committed(project)
    prefix = ["strace", "-qq", "-o", os.devnull, "--trace=fsync", f"--inject=fsync:error=ENOSPC:when={first}+"]
    done = run(project, "deploy", "heroku", prefix=[*prefix, sys.executable, "manage.py"])
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"could not write (the deploy's journal )?\S+: No space left on device", done.stderr), done.stderr
    assert "Traceback" not in done.stderr
    run(project, "deploy", "--recover")
    assert_as_committed(project, before, f"ENOSPC from fsync {first} on")


def test_temporary_files_of_a_killed_write_are_removed(tmp_path: Path, project: SampleProject) -> None:
    # SIGKILL at the rename of a file's new bytes leaves `.NAME.deploybook-tmp` beside it.
    before = committed(project)
    renames = count_renames(project)
    run(project, "deploy", "heroku", prefix=deploy_argv(f"signal=SIGKILL:when={renames}"))
    run(project, "deploy", "--recover")
    assert_as_committed(project, before, "SIGKILL at the last rename")
