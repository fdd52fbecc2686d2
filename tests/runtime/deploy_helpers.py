"""Small helpers the runtime tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

HEROKU_SQLITE = ("--set", "db=sqlite")

TINY_RECIPE = """
---
id: {id}
title: Tiny
version: 1
summary: A tiny recipe for tests.
variables:
  greeting:
    help: "What to say"
    default: "hello"
  project_slug: "found by deploybook"
---

# Tiny

## Say it {{#say}}

```text {{title="hello.txt" step="say" action="write" file="hello.txt"}}
{{{{ greeting }}}} from {{{{ project_slug }}}}
```
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def status(root: Path) -> str:
    """`git status --porcelain` with untracked files: empty means clean."""
    return git(root, "status", "--porcelain", "--untracked-files=all")


def commits(root: Path) -> list[str]:
    return git(root, "log", "--format=%s").splitlines()


def recipe(recipe_id: str, front: str, body: str) -> str:
    """A recipe's text from its extra front matter lines and its body (both dedented already)."""
    return f"---\nid: {recipe_id}\ntitle: {recipe_id.title()}\nversion: 1\nsummary: For tests.\n{front}---\n\n{body}"
