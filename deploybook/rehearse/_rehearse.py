"""Rehearse a configured project the platform's way, on this machine, and probe the result."""

from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from deploybook.compiler import Resolution
from deploybook.containers import find_engine
from deploybook.errors import RehearsalError
from deploybook.inspect import Project, inspect_project
from deploybook.rehearse._container import rehearse_image, runs_a_container
from deploybook.rehearse._database import rehearsal_database
from deploybook.rehearse._development import judge_against_development
from deploybook.rehearse._environment import phase_environment, platform_host
from deploybook.rehearse._probes import probe_all
from deploybook.rehearse._processes import free_port, run_phase, web_server
from deploybook.rehearse._report import Check, RehearsalReport
from deploybook.rehearse._values import rehearsal_resolution
from deploybook.rehearse._venv import build_venv
from deploybook.rehearse._workspace import copy_project

if TYPE_CHECKING:
    from deploybook.runtime.deploy import Prepared

__all__ = ["DATABASE_URL_VARIABLE", "rehearse", "rehearse_prepared"]

DATABASE_URL_VARIABLE = "DEPLOYBOOK_REHEARSE_DATABASE_URL"


def rehearse(
    project_root: Path,
    resolution: Resolution,
    *,
    database_url: str | None = None,
    out: TextIO | None = None,
    project: Project | None = None,
    python: str = sys.executable,
    venv_cache: Path | None = None,
    keep: bool = False,
) -> RehearsalReport:
    """Build, release and serve the project at `project_root` as `resolution`'s platform would.

    `database_url`: the database to migrate and serve from; by default a fresh SQLite file
    (db=sqlite) or a throwaway PostgreSQL cluster. `project`: the inspection result, when the
    caller has it. `venv_cache`: reuse virtualenvs made from identical requirements. `keep`:
    leave the working folder for inspection (its path is in the report).
    """
    project = project or _inspect(project_root, resolution)
    workdir = Path(tempfile.mkdtemp(prefix="deploybook-rehearse-"))
    say = _printer(out)
    try:
        return _rehearse(project, resolution, workdir, database_url, say, python, venv_cache, keep)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def _rehearse(
    project: Project,
    resolution: Resolution,
    workdir: Path,
    database_url: str | None,
    say: _Say,
    python: str,
    venv_cache: Path | None,
    keep: bool,
) -> RehearsalReport:
    recipe = resolution.recipe
    processes = resolution.processes()
    if "web" not in processes:
        raise RehearsalError(
            f"recipe '{recipe.id}' has no processes step, so there is nothing to rehearse",
            hint='add a ```text {step="processes" action="processes"} block with build:, release: and web: lines',
        )
    host = platform_host(resolution)
    checks: list[Check] = []
    logs: dict[str, str] = {}

    def report() -> RehearsalReport:
        done = RehearsalReport(recipe.id, dict(resolution.choices), tuple(checks), workdir if keep else None, logs)
        say(done.format())
        return done

    say(f"Rehearsing {recipe.title} in a copy of {project.root}")
    app = copy_project(project.root, workdir / "app")
    copied = _copied_project(project, app)
    say("  installing the dependencies into a fresh virtualenv")
    environment = build_venv(copied, workdir / "venv", python=python, cache=venv_cache)
    checks += environment.checks
    if not environment.ok:
        return report()
    with rehearsal_database(resolution.choices.get("db", "postgres"), workdir, database_url) as url:
        for phase in ("build", "release"):
            if phase not in processes:
                continue
            say(f"  {phase}: {processes[phase]}")
            env = phase_environment(phase, resolution, venv_bin=environment.bin, database_url=url)
            result = run_phase(processes[phase], cwd=app, env=env)
            logs[phase] = resolution.redact(result.output)
            checks.append(_phase_check(phase, processes[phase], result.returncode, logs[phase]))
            if result.returncode != 0:
                return report()
        if host is None:
            checks.append(Check("the app's host name", False, "no env step sets DJANGO_ALLOWED_HOSTS"))
            return report()
        port = free_port()
        say(f"  web: {processes['web']} (PORT={port})")
        env = phase_environment("web", resolution, venv_bin=environment.bin, database_url=url, port=port)
        with web_server(processes["web"], cwd=app, env=env, port=port, log=workdir / "web.log") as server:
            if not server.running():
                logs["web"] = resolution.redact(server.output())
                checks.append(_phase_check("web", processes["web"], server.process.returncode or 1, logs["web"]))
                return report()
            checks.append(Check(f"web: {processes['web']}", True, f"listening on port {port}"))
            checks += probe_all(port, host)
        logs["web"] = resolution.redact(server.output())
        if any(not check.ok and check.path for check in checks):
            say("  asking the project in development for the pages that failed")
        judged, output = judge_against_development(
            checks, manage_dir=copied.manage_dir, venv_bin=environment.bin, database_url=url, log=workdir / "dev.log"
        )
        checks[:] = judged
        if output:
            logs["development"] = resolution.redact(output)
    return report()


def _phase_check(phase: str, command: str, returncode: int, output: str) -> Check:
    if returncode == 0:
        return Check(f"{phase}: {command}", True)
    tail = "\n".join(output.strip().splitlines()[-15:])
    return Check(f"{phase}: {command}", False, f"exit status {returncode}\n{tail}")


def _inspect(root: Path, resolution: Resolution) -> Project:
    start = root / resolution.values.get("project_dir", ".")
    return inspect_project(start, pkg=resolution.choices.get("pkg"))


def _copied_project(project: Project, app: Path) -> Project:
    """The same project facts, pointing into the copy."""

    def moved(path: Path) -> Path:
        return app / path.relative_to(project.root)

    return dataclasses.replace(
        project,
        root=app,
        git_root=app if project.git_root else None,
        manage_dir=moved(project.manage_dir),
        settings_path=moved(project.settings_path),
        dependency_dir=moved(project.dependency_dir),
        manifest=moved(project.manifest),
        lock_file=moved(project.lock_file) if project.lock_file else None,
    )


class _Say:
    def __init__(self, out: TextIO | None) -> None:
        self.out = out

    def __call__(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text if text.endswith("\n") else text + "\n")
            self.out.flush()


def _printer(out: TextIO | None) -> _Say:
    return _Say(out)


def rehearse_prepared(
    prepared: Prepared,
    *,
    database_url: str | None = None,
    out: TextIO | None = None,
    venv_cache: Path | None = None,
    keep: bool = False,
) -> RehearsalReport:
    """Rehearse a deploy the runtime has prepared (`deploybook.runtime.prepare(request)`).

    A recipe whose platform runs a container (it writes a Dockerfile) is rehearsed with that
    image, built and run by podman or docker when either is installed (`find_engine`).

    This is what `manage.py deploy RECIPE --rehearse` and `./dev demo` call, after the
    configuration is written: secrets and captured values are filled in for the rehearsal.
    Without `database_url`, DEPLOYBOOK_REHEARSE_DATABASE_URL from the request's environment
    is used if set (for a PostgreSQL recipe on a machine without PostgreSQL's server).
    """
    resolution = rehearsal_resolution(prepared)
    database_url = database_url or prepared.request.env.get(DATABASE_URL_VARIABLE) or None
    if runs_a_container(resolution):
        engine = find_engine(prepared.request.env)
        if engine is not None:
            return rehearse_image(
                prepared.context.root, resolution, engine, say=_printer(out), database_url=database_url
            )
        if prepared.request.env.get("DEPLOYBOOK_CONTAINER_ENGINE") == "none":
            _printer(out)(
                "Containers are off (DEPLOYBOOK_CONTAINER_ENGINE=none): rehearsing the image's commands "
                "in a virtualenv instead of building the image."
            )
        else:
            _printer(out)(
                "No podman or docker on this machine: rehearsing the image's commands in a virtualenv "
                "instead of building the image (install podman to rehearse the image itself)."
            )
    return rehearse(
        prepared.context.root,
        resolution,
        database_url=database_url,
        out=out,
        project=prepared.context.project,
        venv_cache=venv_cache,
        keep=keep,
    )
