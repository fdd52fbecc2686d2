"""Helpers for tests that deploy into throwaway projects (see deploybook.samples)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

__all__ = ["commit_all", "install_app", "tree_bytes"]

_APPS = re.compile(r"(INSTALLED_APPS\s*=\s*\[)")


def install_app(project_dir: Path, *, commit: bool = True) -> Path:
    """Add "deploybook" to INSTALLED_APPS, as a user does to get `manage.py deploy`.

    Edits the settings file that defines INSTALLED_APPS (settings.py, or base.py for a
    settings package) and commits, so the tree is clean again. Returns the edited file.
    """
    candidates = sorted(project_dir.rglob("settings.py")) + sorted(project_dir.rglob("settings/base.py"))
    for path in candidates:
        text = path.read_text(encoding="utf-8")
        if _APPS.search(text):
            path.write_text(_APPS.sub(r"\1\n    'deploybook',", text, count=1), encoding="utf-8")
            if commit:
                commit_all(_git_root(project_dir), "Add deploybook to INSTALLED_APPS")
            return path
    raise FileNotFoundError(f"no settings file with INSTALLED_APPS under {project_dir}")


def commit_all(root: Path, message: str) -> None:
    """Commit everything in the repository at `root` (its identity is the sample's)."""
    subprocess.run(["git", "add", "--all"], cwd=root, check=True, capture_output=True)
    subprocess.run(
        ["git", "commit", "--quiet", "--no-verify", "-m", message], cwd=root, check=True, capture_output=True
    )


def tree_bytes(root: Path, *, skip: tuple[str, ...] = (".git", ".deploybook")) -> dict[str, tuple[bytes, int]]:
    """Every file under `root` as {relative path: (bytes, mode)}, for before/after comparisons.

    Folders appear as `path/` with empty bytes, so a folder left behind is noticed too.
    """
    found: dict[str, tuple[bytes, int]] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in skip:
            continue
        mode = path.lstat().st_mode & 0o7777
        if path.is_dir():
            found[relative.as_posix() + "/"] = (b"", mode)
        else:
            found[relative.as_posix()] = (path.read_bytes(), mode)
    return found


def _git_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    raise FileNotFoundError(f"{start} is not in a git repository")
