"""The kubernetes recipe's rendered manifests, run for real: the migration Job migrates a real
PostgreSQL, then the Deployment's replicas run from the same image, with the manifest's
command, environment and security context (read-only root, /tmp as its emptyDir, non-root,
no privilege escalation), pass the manifest's readiness probe, and answer through one port
like the Service, with --rehearse's probes."""

from __future__ import annotations

import os
import time
from pathlib import Path

from deploybook.containers import Container, Engine, build_image
from deploybook.rehearse._probes import probe_all, request
from deploybook.rehearse._processes import free_port
from deploybook.testing.postgres import PostgresServer
from deploybook.testing.recipe_cases import RecipeCase, configure
from tests.containers.locks import refresh_lock
from tests.containers.pods import container_env, pod_container, service, start
from tests.kubernetes.manifests import OVERLAYS, by_kind, objects, render

RECIPE = Path(__file__).resolve().parents[2] / "recipes" / "kubernetes.md"


def _finish(container: Container, timeout: float = 300) -> tuple[int | None, str]:
    deadline = time.monotonic() + timeout
    while container.running() and time.monotonic() < deadline:
        time.sleep(0.3)
    try:
        return container.exit_code(), container.logs()
    finally:
        container.stop()


def _ready(port: int, probe: dict, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            # The kubelet asks the pod's own address, over plain HTTP.
            if request(port, probe["httpGet"]["path"], "10.1.2.3", https=False).status == 200:
                return True
        except OSError:
            pass
        time.sleep(probe.get("periodSeconds", 1) / 5)
    return False


def test_job_migrates_and_two_replicas_serve_through_the_service(
    tmp_path: Path, engine: Engine, base_image: str, postgres: PostgresServer
) -> None:
    project = configure(RecipeCase(RECIPE, "kubernetes", "requirements", "flat", "postgres"), tmp_path / "project")
    refresh_lock(project.root, "requirements")
    app, migrate = (objects(render(project.root, overlay)) for overlay in OVERLAYS)
    deployment, job = by_kind(app, "Deployment"), by_kind(migrate, "Job")
    web = pod_container(deployment["spec"]["template"]["spec"])
    # The registry's name for the image, as the cluster would pull it; built here, never pushed.
    image = web["image"].replace("registry.example.com/", "localhost/deploybook-test-")
    build_image(engine, project.root, image)
    app_name = project.resolution.values["app_name"]
    secret = {
        "DJANGO_SECRET_KEY": project.resolution.values["secret_key"],
        "DATABASE_URL": postgres.create_database(f"kube{os.getpid()}"),
    }
    secrets = {f"{app_name}-env": secret}

    job_spec = job["spec"]["template"]["spec"]
    job_env = container_env(pod_container(job_spec), secrets)
    code, log = _finish(start(engine, image, job_spec, job_env))
    assert code == 0, log[-3000:]
    assert "Applying" in log, log[-3000:]
    check = job_spec | {
        "containers": [pod_container(job_spec) | {"command": ["python", "manage.py", "migrate", "--check"]}]
    }
    code, log = _finish(start(engine, image, check, job_env))
    assert code == 0, f"migrations left after the Job: {log[-3000:]}"

    pod_spec = deployment["spec"]["template"]["spec"]
    replicas, ports = [], []
    try:
        for _ in range(deployment["spec"]["replicas"]):
            ports.append(free_port())
            env = container_env(web, secrets) | {"PORT": str(ports[-1])}
            replicas.append(start(engine, image, pod_spec, env))
        for container, port in zip(replicas, ports, strict=True):
            assert _ready(port, web["readinessProbe"]), container.logs()[-3000:]
        with service(ports) as front:
            checks = probe_all(front.server_address[1], env["DJANGO_ALLOWED_HOSTS"])
            failed = [check for check in checks if not check.ok]
            assert not failed, "\n".join(f"{c.name}: {c.detail}" for c in failed)
            assert sorted(front.served) == sorted(ports), f"every replica answers: {dict(front.served)}"
        for container in replicas:
            assert container.running(), container.logs()[-3000:]
            # The root file system is read-only, as readOnlyRootFilesystem says; /tmp is writable.
            assert container.exec("sh", "-c", "touch /app/x").returncode != 0
            assert container.exec("sh", "-c", "touch /tmp/x").returncode == 0
    finally:
        for container in replicas:
            container.stop()
