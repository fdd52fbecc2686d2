"""The few git operations a deploy needs, run as argv lists in the repository root."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from deploybook.errors import DeployError

__all__ = ["commit_paths", "has_identity", "head", "ignored", "uncommitted", "unstage"]

# deploybook's own folder (logs) is never the user's uncommitted work.
_OWN = ".deploybook/"


def _git(root: Path, *args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, env=dict(env) if env is not None else None
        )
    except FileNotFoundError as error:
        raise DeployError("git is not installed", hint="install git; deploybook works on a git repository") from error


def uncommitted(root: Path) -> list[str]:
    """`git status --porcelain` lines for changes and untracked files, deploybook's own excepted."""
    done = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=normal")
    if done.returncode != 0:
        raise DeployError(f"git status failed in {root}: {done.stderr.strip()}", hint="check the repository")
    entries = done.stdout.split("\0")
    lines = []
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if not entry:
            continue
        if entry[0] in "RC":  # a rename or copy: the original path follows as its own entry
            index += 1
        if not entry[3:].startswith(_OWN):
            lines.append(entry)
    return lines


def ignored(root: Path, paths: Sequence[str]) -> dict[str, str]:
    """Of untracked `paths`, those the ignore rules leave out, with the rule (`.gitignore:3: .python-version`)."""
    if not paths:
        return {}
    done = subprocess.run(
        ["git", "check-ignore", "--verbose", "-z", "--stdin"],
        cwd=root,
        input="".join(f"{path}\0" for path in paths),
        capture_output=True,
        text=True,
    )
    fields = done.stdout.split("\0")
    found: dict[str, str] = {}
    # -z --verbose: source, line number, pattern, path; four fields per ignored path.
    for index in range(0, len(fields) - 3, 4):
        source, line, pattern, path = fields[index : index + 4]
        found[path] = f"{source}:{line}: {pattern}"
    return found


def has_identity(root: Path, env: Mapping[str, str]) -> bool:
    """Whether git knows who commits (user.name and user.email, or the GIT_* variables)."""
    return _git(root, "var", "GIT_COMMITTER_IDENT", env=env).returncode == 0


def head(root: Path) -> str | None:
    """The full id of HEAD, None before the first commit."""
    done = _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    return done.stdout.strip() if done.returncode == 0 else None


def commit_paths(root: Path, paths: Sequence[str], message: str, env: Mapping[str, str]) -> str:
    """Commit exactly `paths` as one commit and return its id. If it fails, or is stopped before
    the commit is made, the index is put back as it was; a stop after it made the commit
    propagates with the commit in place (the caller checks `head`)."""
    before = head(root)
    try:
        # --force: these are the recipe's files, and one the project's .gitignore leaves out
        # (a .python-version) is one the platform must still get; the plan's notes say so.
        added = _git(root, "add", "--force", "--", *paths, env=env)
        if added.returncode != 0:
            raise DeployError(
                f"git add failed: {added.stderr.strip()}", hint="check the repository, then run deploy again"
            )
        done = _git(root, "commit", "--quiet", "--message", message, "--", *paths, env=env)
    except BaseException:
        # Stopped while git ran: git was killed, and may have left its index lock behind.
        _drop_stale_lock(root)
        if head(root) == before:
            unstage(root, paths, env)
        raise
    if done.returncode != 0:
        unstage(root, paths, env)
        output = (done.stdout + done.stderr).strip()
        raise DeployError(
            f"git commit failed, so the changes were undone:\n{output}",
            hint="fix what git reports (a commit hook, your git identity), then run deploy again",
        )
    made = _git(root, "rev-parse", "--short", "HEAD", env=env)
    return made.stdout.strip()


def _drop_stale_lock(root: Path) -> None:
    done = _git(root, "rev-parse", "--git-path", "index.lock")
    if done.returncode == 0 and done.stdout.strip():
        (root / done.stdout.strip()).unlink(missing_ok=True)


def unstage(root: Path, paths: Sequence[str], env: Mapping[str, str]) -> None:
    """Put `paths` in the index back as HEAD has them (or out of it, before the first commit)."""
    # With a first commit still to be made there is no HEAD to reset the index to.
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD", env=env).returncode == 0:
        _git(root, "reset", "--quiet", "--", *paths, env=env)
    else:
        _git(root, "rm", "--cached", "--quiet", "--ignore-unmatch", "-r", "--", *paths, env=env)
