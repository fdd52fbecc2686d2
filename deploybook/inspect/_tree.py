"""Where the project sits: the manage.py directory, the git root, and the folders between."""

from __future__ import annotations

from pathlib import Path

from deploybook.errors import InspectError

__all__ = ["find_git_root", "folders_up_to", "locate_manage_py", "relative_posix"]


def locate_manage_py(start: Path) -> Path:
    """Return the directory holding manage.py, given that directory or manage.py itself."""
    start = start.resolve()
    manage_dir = start.parent if start.name == "manage.py" else start
    if not (manage_dir / "manage.py").is_file():
        raise InspectError(
            f"no manage.py in {manage_dir}",
            hint="run deploybook from the folder that holds your project's manage.py "
            "(the one you run `python manage.py runserver` from)",
        )
    return manage_dir


def find_git_root(start: Path) -> Path | None:
    # Looking for `.git` ourselves avoids a subprocess and works without git installed; a
    # `.git` file (worktrees, submodules) marks a root just as a directory does.
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def folders_up_to(start: Path, root: Path) -> tuple[Path, ...]:
    """`start` and each parent up to and including `root`, nearest first."""
    folders = [start]
    while folders[-1] != root and folders[-1] != folders[-1].parent:
        folders.append(folders[-1].parent)
    return tuple(folders)


def relative_posix(path: Path, root: Path) -> str:
    """`path` relative to `root` with forward slashes, "." for the root itself."""
    return path.relative_to(root).as_posix() or "."
