"""Applying a plan's files in one transaction; with --automate-all also re-locking and the
one git commit, inside the same transaction so a failure there undoes every file too."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from deploybook.errors import DeployError
from deploybook.runtime.actions import Action, FileChange
from deploybook.runtime.git import commit_paths, head
from deploybook.runtime.output import Console
from deploybook.runtime.plan import Plan
from deploybook.runtime.signals import shielded
from deploybook.runtime.transaction import Transaction, transaction
from deploybook.runtime.written import WrittenFiles

__all__ = ["Checkpoint", "apply_plan"]

Checkpoint = Callable[[int, Action | None], None]
"""Called at every action boundary: before each file action (index, action) and once after the
last (len, None). Tests raise from it to prove that a failure anywhere restores everything."""


def apply_plan(
    plan: Plan,
    *,
    console: Console | None = None,
    commit_message: str | None = None,
    environ: Mapping[str, str] | None = None,
    checkpoint: Checkpoint | None = None,
    progress: Callable[[str], None] | None = None,
) -> str | None:
    """Write every file action; return the commit id when `commit_message` is given.

    A lock file the new requirements made stale is refreshed when the plan says so
    (`plan.refresh_lock`), inside the transaction so that a failure restores it too.

    On any failure (a checkpoint's exception, a stop signal) every file is restored byte for
    byte, created files and folders are removed, and the exception propagates. `progress`
    hears, in words, each point after which a stop no longer undoes the change.
    """
    env = dict(environ or {})
    actions = plan.file_actions
    with transaction(plan.root) as tx:
        # Every file the plan writes, journalled in one go before the first of them changes.
        tx.protect(*(a.change.path for a in actions if a.change is not None and a.writes))
        for index, action in enumerate(actions):
            if checkpoint is not None:
                checkpoint(index, action)
            _write(tx, action)
        if checkpoint is not None:
            checkpoint(len(actions), None)
        paths = list(plan.changed_paths)
        if plan.refresh_lock and plan.own_relock is not None and paths:
            tx.protect(plan.own_relock.lock_file)
            _relock(plan, console, env)
            paths.append(plan.own_relock.lock_file)
        if commit_message is not None and paths:
            return _commit(tx, plan, paths, commit_message, env, progress)
        # Before finishing, so that a stop while it is written still undoes the whole change.
        WrittenFiles(plan.root).remember(_written(plan))
        with shielded():
            tx.finish()
            if progress is not None and paths:
                progress("the configuration was written (review it with `git diff`)")
    return None


def _written(plan: Plan) -> list[FileChange]:
    return [a.change for a in plan.file_actions if a.change is not None and a.writes]


def _commit(
    tx: Transaction,
    plan: Plan,
    paths: list[str],
    message: str,
    env: dict[str, str],
    progress: Callable[[str], None] | None,
) -> str:
    root = plan.root
    before = head(root)
    WrittenFiles(root).remember(_written(plan))
    tx.staging(paths)
    try:
        commit = commit_paths(root, paths, message, env)
    except BaseException:
        made = head(root)
        if made != before and made is not None:
            # Stopped once the commit was made: the files are the commit's, keep them.
            with shielded(raise_after=False):
                tx.finish()
                if progress is not None:
                    progress(_committed(made[:7]))
        raise
    with shielded():
        tx.finish()
        if progress is not None:
            progress(_committed(commit))
    return commit


def _committed(commit: str) -> str:
    return f"the configuration was committed as {commit}; `git show {commit}` shows it"


def _write(tx: Transaction, action: Action) -> None:
    change = action.change
    if change is None or change.status == "identical":
        return
    target = tx.root / change.path
    current = target.read_bytes() if target.is_file() else None
    if current != change.before:
        # Someone (an editor, a formatter) changed the file between planning and now.
        raise DeployError(
            f"{change.path} changed while deploy was running, so nothing was changed",
            hint="run deploy again",
        )
    tx.write(change.path, change.after, change.mode_after)


def _relock(plan: Plan, console: Console | None, env: dict[str, str]) -> None:
    from deploybook.runtime.process import run_streaming

    relock = plan.own_relock
    assert relock is not None
    command = " ".join(relock.argv)
    if console is not None:
        console.line()
        console.line(f"$ {command}    (in {relock.cwd}: the lock file must match the new requirements)", "command")
    say = console.line if console is not None else (lambda text, role="": None)
    done = run_streaming(relock.argv, cwd=plan.root / relock.cwd, env=env, on_line=lambda line: say("    " + line))
    if done.returncode != 0:
        raise DeployError(
            f"`{command}` failed with exit status {done.returncode}, so every change was undone",
            hint=f"run `{command}` in {relock.cwd} yourself to see the problem, fix it, then run deploy again",
        )
