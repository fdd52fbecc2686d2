"""A copy of the project to rehearse in, so the user's working tree is never touched.

The copy holds what the platform would get: the files git tracks plus new files it does not
ignore (deploybook's own changes before they are committed), as `git push` or `fly deploy`
would send them. collectstatic's output, the SQLite file and bytecode all land in the copy.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

__all__ = ["copy_project"]

_NEVER = {".git", ".venv", "venv", "__pycache__", "node_modules", ".deploybook", "staticfiles"}


def copy_project(root: Path, dest: Path) -> Path:
    """Copy the project at `root` into `dest` (created); returns `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for relative in _files(root):
        source = root / relative
        if not source.is_file() or _NEVER.intersection(Path(relative).parts):
            continue
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return dest


def _files(root: Path) -> list[str]:
    if (root / ".git").exists():
        done = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=False,
        )
        if done.returncode == 0:
            return [name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name]
    return [str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()]
