"""The invariants every recipe keeps, checked on a configured sample project.

Each function returns a list of problems, each `recipes/<id>.md:LINE: step 'ID': what`, so a
failing test points at the line of the page to fix; [] means the invariant holds.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from deploybook.compiler import (
    Recipe,
    Resolution,
    ResolvedAppend,
    ResolvedFile,
    ResolvedRequirements,
    ResolvedRun,
    ResolvedTest,
    RunCommands,
    output_matches,
)
from deploybook.records import record
from deploybook.runtime import AUTOMATE, REDEPLOY, PlainOutput, deploy
from deploybook.runtime.modes import Mode
from deploybook.testing.fake_apis import FakeApis, calls_an_api, serve_fake_apis
from deploybook.testing.fake_clis import REAL_PROGRAMS, FakeClis, install_fake_clis, page_resolution
from deploybook.testing.recipe_cases import ConfiguredProject, fresh_sample, located

__all__ = [
    "StandInDeployFailed",
    "StandInRun",
    "automate_problems",
    "automate_runs_only_fakes",
    "automate_skip_reason",
    "check_deploy_problems",
    "declared_files_problems",
    "deploy_with_stand_ins",
    "fresh_with_remotes",
    "page_test_problems",
    "platform_environment",
    "rerun_problems",
    "settings_module_problems",
]

# A DATABASE_URL for checks that never connect: the platform provides the real one.
_UNUSED_DATABASE = {"postgres": "postgresql://app:secret@db.internal:5432/app", "": "sqlite:////tmp/unused.sqlite3"}
_RELOCK_TOOLS = ("poetry", "pipenv", "uv", "pdm")
_TIMEOUT = 300


def platform_environment(project: ConfiguredProject, python: str = sys.executable) -> dict[str, str]:
    """The recipe's env blocks, as the app would see them, plus what the platform adds."""
    env = {name: os.environ[name] for name in ("HOME", "LANG", "LC_ALL", "TMPDIR") if name in os.environ}
    env["PATH"] = os.pathsep.join([str(Path(python).parent), os.environ.get("PATH", os.defpath)])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(project.resolution.platform_env())
    env.setdefault("DATABASE_URL", _UNUSED_DATABASE.get(project.case.db, _UNUSED_DATABASE[""]))
    return env


def settings_module_problems(project: ConfiguredProject) -> list[str]:
    """The platform's environment names the settings module the recipe configured: when
    production loads another module than manage.py names (a settings/production.py beside
    settings/dev.py), only DJANGO_SETTINGS_MODULE makes the server and migrate load it."""
    wanted = project.prepared.context.facts["settings_module"]
    given = project.resolution.platform_env().get("DJANGO_SETTINGS_MODULE")
    if given == wanted:
        return []
    steps = project.recipe.steps
    step = next((step for step in steps if step.action == "env"), steps[0] if steps else None)
    return [
        located(
            step.span if step else None,
            step.id if step else "env",
            f"the platform's environment (the recipe's `env` blocks) sets DJANGO_SETTINGS_MODULE to {given!r}, "
            f"not to the configured module {wanted!r}: add DJANGO_SETTINGS_MODULE={{{{ settings_module }}}} "
            "to an env block, and to every command and file that sets the platform's environment",
        )
    ]


def page_test_problems(project: ConfiguredProject) -> list[str]:
    """The recipe's own `test` steps pass, run from the repository root with its environment."""
    env = platform_environment(project)
    problems = []
    for resolved in project.resolution.of_kind(ResolvedTest):
        for command in resolved.commands:
            done = subprocess.run(
                list(command.argv), cwd=project.root, env=env, capture_output=True, text=True, timeout=_TIMEOUT
            )
            if done.returncode != 0 or not output_matches(command.expected, done.stdout.splitlines()):
                shown = "\n".join(done.stdout.splitlines()[-20:] + done.stderr.splitlines()[-20:])
                problems.append(
                    located(
                        command.command.span,
                        resolved.step.id,
                        f"`{command.display()}` exited {done.returncode}; expected output:\n"
                        + "\n".join(command.expected)
                        + f"\ngot:\n{shown}",
                    )
                )
    return problems


_NO_DEPLOYBOOK = """
import runpy, sys
class NoDeploybook:
    def find_spec(self, name, path=None, target=None):
        if name == "deploybook" or name.startswith("deploybook."):
            raise ModuleNotFoundError(f"No module named {name!r}: deploybook is not installed in production")
sys.meta_path.insert(0, NoDeploybook())
sys.argv = ["manage.py", *sys.argv[1:]]
runpy.run_path("manage.py", run_name="__main__")
"""


def check_deploy_problems(project: ConfiguredProject) -> list[str]:
    """`check --deploy --fail-level WARNING` is clean with the platform's environment, and
    production never imports deploybook (it is a development tool, not installed there)."""
    argv = [sys.executable, "-c", _NO_DEPLOYBOOK, "check", "--deploy", "--fail-level", "WARNING"]
    env = platform_environment(project)
    done = subprocess.run(
        argv, cwd=project.sample.project_dir, env=env, capture_output=True, text=True, timeout=_TIMEOUT
    )
    if done.returncode == 0:
        return []
    settings = next(iter(project.resolution.of_kind(ResolvedAppend)), None)
    span = settings.step.span if settings else None
    step_id = settings.step.id if settings else "production-settings"
    return [located(span, step_id, f"check --deploy failed with the platform's environment:\n{done.stderr[-3000:]}")]


def rerun_problems(project: ConfiguredProject) -> list[str]:
    """Deploying again changes nothing: every file action reports `identical`."""
    again = deploy(project.request(), PlainOutput(io.StringIO()))
    return [
        located(action.span, action.step_id, f"a second deploy would {action.status} {action.target}")
        for action in again.actions
        if action.writes
    ]


def declared_files_problems(project: ConfiguredProject) -> list[str]:
    """Deploy changed only the files the recipe's steps name (and deploybook's .gitignore line)."""
    declared = {".gitignore"}
    manifest = project.prepared.context.project.relative(project.prepared.context.project.manifest)
    for resolved in project.resolution.steps:
        if isinstance(resolved, ResolvedFile) and resolved.file:
            declared.add(Path(resolved.file).as_posix())
        elif isinstance(resolved, ResolvedRequirements):
            declared.add(manifest)
    changed = _git_changed(project.root)
    return [
        f"{project.recipe.path}: deploy changed {path}, which no step of the recipe names"
        for path in sorted(changed - declared)
    ]


def automate_problems(project: ConfiguredProject, workdir: Path) -> list[str]:
    """`--automate-all`, then `--redeploy`, with fake platform CLIs each issue exactly the page's
    commands of their phase, in the page's order, and send the platform APIs the page calls
    (with curl) exactly the page's requests.

    Runs on a fresh copy of the case's sample (automate commits). git is real: each remote the
    page pushes to is a local bare repository. The lock-refreshing tools are stand-ins that
    succeed without changing anything: they are the user's tools, not the page's commands.
    """
    assert automate_skip_reason(project) is None, "call automate_skip_reason first"
    fresh = fresh_with_remotes(project, workdir)
    problems: list[str] = []
    for mode in (AUTOMATE, REDEPLOY):
        try:
            run = deploy_with_stand_ins(project, fresh, mode, workdir / mode.name)
        except StandInDeployFailed as failed:  # the deploy's own message says which step failed
            return [*problems, f"{project.recipe.path}: {mode.flag} failed: {failed}"]
        problems += [f"{project.recipe.path}: {mode.flag}: {problem}" for problem in run.fakes.differences(mode.phase)]
        problems += [f"{project.recipe.path}: {mode.flag}: {problem}" for problem in run.apis.differences(mode.phase)]
    return problems


def fresh_with_remotes(project: ConfiguredProject, workdir: Path) -> Path:
    """A fresh copy of the case's sample project (its manage.py folder), with a local bare
    repository as each git remote the page pushes to."""
    fresh = fresh_sample(project.case, workdir / "project").project_dir
    _add_push_remotes(project, fresh, workdir)
    return fresh


class StandInDeployFailed(Exception):
    """A deploy with stand-ins failed: its error, then the end of what it printed."""


@record
class StandInRun:
    """What the platform's stand-ins received during one deploy, and what the deploy printed."""

    fakes: FakeClis
    apis: FakeApis
    output: str


def deploy_with_stand_ins(
    project: ConfiguredProject,
    fresh: Path,
    mode: Mode,
    folder: Path,
    *,
    assignments: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    delay: float = 0.0,
) -> StandInRun:
    """Deploy the fresh copy `fresh` of the case's project in `mode`, every platform command
    answered by a stand-in from the page: its CLI faked, its API served on loopback for curl.

    `assignments` replace the case's values, `environ` is added to the deploy's environment,
    and `delay` keeps each API request open that long (for a process-list sampler)."""
    given = dict(project.assignments if assignments is None else assignments)
    page = page_resolution(project.request(project=fresh, assignments=given))
    fakes = _fakes(page, folder)
    with serve_fake_apis(page, folder / "api", delay=delay) as apis:
        env = apis.environ(fakes.environ()) | dict(environ or {})
        out = io.StringIO()
        request = project.request(
            project=fresh, mode=mode, assume_yes=True, environ=env, allow_dirty=False, assignments=given
        )
        try:
            deploy(request, PlainOutput(out))
        except Exception as error:
            raise StandInDeployFailed(f"{error}\n{out.getvalue()[-3000:]}") from error
    return StandInRun(fakes, apis, out.getvalue())


def _fakes(resolution: Resolution, folder: Path) -> FakeClis:
    fakes = install_fake_clis(folder / "bin", resolution, folder / "calls.jsonl")
    for tool in _RELOCK_TOOLS:
        if tool not in fakes.programs:
            (fakes.bin_dir / tool).write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
            (fakes.bin_dir / tool).chmod(0o755)
    return fakes


def automate_runs_only_fakes(recipe: Recipe) -> bool:
    """Whether every setup command of every variant is a faked platform CLI, a curl call to a
    platform API (served by the API stand-in) or a `git push`.

    Decided from the compiled recipe alone, so a test matrix can leave the other recipes (the
    VPS recipe runs ssh and scripts; its own end-to-end tests cover them) out at collection.
    """
    faked = set(recipe.requires) - REAL_PROGRAMS
    return all(
        step.where == "local"
        and (command.argv[0] in faked or command.argv[:2] == ("git", "push") or calls_an_api(command.argv))
        for step in recipe.steps
        if isinstance(step, RunCommands)
        for command in step.commands
    )


def automate_skip_reason(project: ConfiguredProject) -> str | None:
    """Why `automate_problems` must not run for this recipe, or None when it may.

    Tests never reach a real server: only the fake CLIs, curl to the API stand-in and `git push`
    to a local bare remote may run, so a recipe whose setup runs anything else (ssh, a script)
    is left to its own end-to-end tests.
    """
    unsafe = _unfaked_commands(project)
    return f"{unsafe[0]} would run for real (the recipe's own end-to-end tests cover it)" if unsafe else None


def _unfaked_commands(project: ConfiguredProject) -> list[str]:
    """Setup commands that would run a real program other than `git push` to a local remote or
    curl to the API stand-in."""
    faked = set(project.recipe.requires) - REAL_PROGRAMS
    found = []
    for resolved in project.resolution.of_kind(ResolvedRun):
        step = resolved.step
        for command in resolved.commands:
            argv = command.argv
            is_push = argv[:2] == ("git", "push")
            if step.where != "local" or not (argv[0] in faked or is_push or calls_an_api(argv)):
                found.append(f"{located(command.command.span, step.id, '`' + command.display() + '`')}")
    return found


def _add_push_remotes(project: ConfiguredProject, manage_dir: Path, workdir: Path) -> None:
    root = _git_root(manage_dir)
    for resolved in project.resolution.of_kind(ResolvedRun):
        for command in resolved.commands:
            argv = command.argv
            if len(argv) > 2 and argv[0] == "git" and argv[1] == "push":
                remote = argv[2]
                bare = workdir / f"remote-{remote}.git"
                if not bare.exists():
                    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
                    subprocess.run(["git", "remote", "add", remote, str(bare)], cwd=root, check=True)


def _git_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    raise FileNotFoundError(f"{start} is not in a git repository")


def _git_changed(root: Path) -> set[str]:
    done = subprocess.run(
        ["git", "status", "--porcelain", "-z", "--untracked-files=all"], cwd=root, capture_output=True, check=True
    )
    entries = [e for e in done.stdout.decode("utf-8", "surrogateescape").split("\0") if e]
    return {entry[3:] for entry in entries if len(entry) > 3}
