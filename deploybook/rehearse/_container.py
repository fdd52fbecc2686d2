"""Rehearse a container recipe with its real image: build the project's Dockerfile, run the
release and web commands in containers from that image, and probe it like any rehearsal.

The containers share the host's network (no port mapping to get wrong), get the platform's
environment from a file the engine reads, and, with SQLite, a folder of this rehearsal mounted
at /data, where a platform's volume would be.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from deploybook.compiler import Resolution, ResolvedFile
from deploybook.containers import Container, Engine, build_image, run_container
from deploybook.errors import DeploybookError
from deploybook.rehearse._database import rehearsal_database
from deploybook.rehearse._probes import HEALTH_PATH, probe_all, request
from deploybook.rehearse._processes import free_port
from deploybook.rehearse._report import Check, RehearsalReport

__all__ = ["APP_UID", "rehearse_image", "runs_a_container"]

APP_UID = 10001  # the image's user (recipes/_partials/container-image.md)
_VOLUME = "/data"
_START_TIMEOUT = 60.0


def runs_a_container(resolution: Resolution) -> bool:
    """Whether the platform runs the project as an image: the recipe writes a Dockerfile."""
    return any(Path(step.file).name == "Dockerfile" for step in resolution.of_kind(ResolvedFile) if step.file)


def rehearse_image(
    root: Path,
    resolution: Resolution,
    engine: Engine,
    *,
    say: Callable[[str], None],
    database_url: str | None = None,
    tag: str | None = None,
    inspect: Callable[[Container], list[Check]] | None = None,
) -> RehearsalReport:
    """Build `root`'s Dockerfile and serve it; `inspect` adds checks on the running container."""
    recipe = resolution.recipe
    processes = resolution.processes()
    tag = tag or f"localhost/deploybook-rehearsal/{recipe.id}:latest"  # reused: its layers cache
    checks: list[Check] = []
    logs: dict[str, str] = {}

    def report() -> RehearsalReport:
        done = RehearsalReport(recipe.id, dict(resolution.choices), tuple(checks), None, logs)
        say(done.format())
        return done

    say(f"Rehearsing {recipe.title} with its container image, built by {engine.name}")
    try:
        logs["image build"] = build_image(engine, root, tag)
    except DeploybookError as error:
        checks.append(Check(f"{engine.name} build", False, error.message))
        return report()
    checks.append(Check(f"{engine.name} build", True, tag))
    host = resolution.platform_env().get("DJANGO_ALLOWED_HOSTS", "").split(",")[0].strip()
    db = resolution.choices.get("db", "postgres")
    with tempfile.TemporaryDirectory(prefix="deploybook-volume-") as volume:
        os.chown(volume, APP_UID, APP_UID) if os.geteuid() == 0 else os.chmod(volume, 0o777)
        mounts = ("--volume", f"{volume}:{_VOLUME}") if db == "sqlite" else ()
        with rehearsal_database(db, Path(volume), database_url if db != "sqlite" else None) as url:
            env = resolution.platform_env()
            env["DATABASE_URL"] = f"sqlite:///{_VOLUME}/db.sqlite3" if db == "sqlite" else url
            if "release" in processes:
                say(f"  release: {processes['release']}")
                ok, output = _run_once(engine, tag, env, processes["release"], mounts)
                logs["release"] = resolution.redact(output)
                checks.append(Check(f"release: {processes['release']}", ok, "" if ok else output[-2000:]))
                if not ok:
                    return report()
            port = free_port()
            env["PORT"] = str(port)
            say(f"  web: {processes['web']} (PORT={port})")
            container = run_container(engine, tag, env, ["sh", "-c", processes["web"]], extra=mounts)
            try:
                if not _wait_until_serving(container, port):
                    logs["web"] = resolution.redact(container.logs())
                    checks.append(Check(f"web: {processes['web']}", False, logs["web"][-2000:]))
                    return report()
                checks.append(Check(f"web: {processes['web']}", True, f"listening on port {port}"))
                checks += probe_all(port, host)
                checks += inspect(container) if inspect else []
            finally:
                logs["web"] = resolution.redact(container.logs())
                container.stop()
    return report()


def _run_once(engine: Engine, tag: str, env: dict[str, str], command: str, mounts: tuple[str, ...]) -> tuple[bool, str]:
    container = run_container(engine, tag, env, ["sh", "-c", command], extra=mounts)
    try:
        deadline = time.monotonic() + 600
        while container.running() and time.monotonic() < deadline:
            time.sleep(0.3)
        return container.exit_code() == 0, container.logs()
    finally:
        container.stop()


def _wait_until_serving(container: Container, port: int) -> bool:
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        if not container.running():
            return False
        try:
            request(port, HEALTH_PATH, "app.internal", https=False)
            return True
        except OSError:
            time.sleep(0.3)
    return False
