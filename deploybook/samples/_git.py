"""Turn a directory into a git repository with one commit, reproducibly."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

__all__ = ["commit_all"]

_NAME = "Jotter Sample"
_EMAIL = "sample@jotter.invalid"
# A fixed date makes the commit id the same on every run, which keeps test output stable.
_DATE = "2024-01-01T00:00:00+00:00"


def commit_all(root: Path, message: str) -> None:
    """`git init` `root`, set a local identity, and commit everything in it."""
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": _DATE,
        "GIT_COMMITTER_DATE": _DATE,
        # The user's own git config (signing, hooks, templates) must not leak into the sample.
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for argv in (
        ["git", "init", "--quiet", "--initial-branch=main"],
        ["git", "config", "user.name", _NAME],
        ["git", "config", "user.email", _EMAIL],
        ["git", "add", "--all"],
        ["git", "commit", "--quiet", "--no-verify", "--message", message],
    ):
        subprocess.run(argv, cwd=root, env=env, check=True, capture_output=True)
