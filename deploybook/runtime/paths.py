"""Step paths: relative to the repository root, normalised, and never outside it."""

from __future__ import annotations

import posixpath
from pathlib import Path

from deploybook.compiler import Step
from deploybook.errors import DeployError

__all__ = ["OWN_DIR", "own_folder", "repo_path", "state_folder"]

OWN_DIR = ".deploybook"
"""deploybook's own folder in the project: deploy logs and the journal of a running deploy."""


def own_folder(root: Path) -> Path:
    """`.deploybook/` in the repository root, made if need be. It ignores itself (a `.gitignore`
    holding `*`, as pytest's cache does), so what it holds never makes the tree dirty."""
    folder = root / OWN_DIR
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# deploybook's logs and journal: never committed\n*\n", encoding="utf-8")
    return folder


def state_folder(root: Path) -> Path:
    """Where deploybook keeps what it knows of this clone: in git's own folder, outside the tree
    (the journal, and the record of the files it wrote)."""
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git / "deploybook"
    if dot_git.is_file():  # a worktree or submodule: `gitdir: <path>`
        text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            folder = (root / text.removeprefix("gitdir:").strip()).resolve()
            if folder.is_dir():
                return folder / "deploybook"
    return root / OWN_DIR


def repo_path(root: Path, raw: str, step: Step) -> str:
    """`raw` as a clean relative POSIX path (`./Procfile` -> `Procfile`), or a DeployError at
    the step's path:line when it would leave the repository or touch git's own files."""
    where, at = f"step '{step.id}'", step.span
    text = raw.strip().replace("\\", "/")
    if not text or text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        raise DeployError(
            f"{where}: file {raw!r} is not a path inside the repository",
            hint='write paths relative to the repository root, e.g. file="Procfile"',
            location=at,
        )
    clean = posixpath.normpath(text)
    if clean == "." or clean == ".." or clean.startswith("../"):
        raise DeployError(
            f"{where}: file {raw!r} is outside the repository ({root})",
            hint="a recipe may only write inside the project's repository; remove the '..'",
            location=at,
        )
    if clean.split("/")[0] == ".git":
        raise DeployError(
            f"{where}: file {raw!r} is inside .git", hint="a recipe must not write git's own files", location=at
        )
    # A symlinked folder could still lead outside, so check where the path really goes.
    resolved = (root / clean).resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise DeployError(
            f"{where}: file {raw!r} leads outside the repository (to {resolved}) through a symbolic link",
            hint="write the file somewhere that is really inside the repository",
            location=at,
        )
    if (root / clean).is_dir():
        raise DeployError(
            f"{where}: {clean} is a folder, not a file", hint="rename the folder or fix file=", location=at
        )
    return clean
