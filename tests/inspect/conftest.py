"""Fixtures for the inspection and requirement-writer tests: real throwaway projects."""

from __future__ import annotations

import itertools
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from deploybook.samples import SampleProject, materialize


@pytest.fixture
def sample(tmp_path: Path) -> Callable[..., SampleProject]:
    """materialize() into a fresh folder under tmp_path; keyword arguments pass through."""
    numbers = itertools.count()

    def make(**options: Any) -> SampleProject:
        return materialize(tmp_path / f"sample{next(numbers)}", **options)

    return make


@pytest.fixture
def tree(tmp_path: Path) -> Callable[..., Path]:
    """Write {relative path: text} under a new folder (dedented), optionally git-initialised."""
    numbers = itertools.count()

    def build(files: dict[str, str], *, git: bool = True) -> Path:
        root = tmp_path / f"tree{next(numbers)}"
        root.mkdir()
        if git:
            subprocess.run(["git", "init", "--quiet"], cwd=root, check=True)
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

    return build
