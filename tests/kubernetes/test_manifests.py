"""The kubernetes recipe's config-only output, on sample flavours and layouts: both overlays
render with a real kubectl, every object validates strictly against a current release's
schemas, and the objects say what the page says."""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from deploybook.compiler import ResolvedRun
from deploybook.testing.recipe_cases import RecipeCase, configure
from tests.kubernetes.manifests import OVERLAYS, by_kind, objects, render, tool

RECIPE = Path(__file__).resolve().parents[2] / "recipes" / "kubernetes.md"
# The schemas' release: kubernetes-validate's newest at the time of writing.
KUBERNETES_VERSION = "1.37.0"


@pytest.mark.parametrize(("flavour", "layout"), [("requirements", "flat"), ("uv", "nested"), ("poetry", "flat")])
def test_overlays_render_and_validate_strictly(flavour: str, layout: str, tmp_path: Path) -> None:
    project = configure(RecipeCase(RECIPE, "kubernetes", flavour, layout, "postgres"), tmp_path / "project")
    for overlay in OVERLAYS:
        rendered = tmp_path / (Path(overlay).name + ".yaml")
        rendered.write_text(render(project.root, overlay))
        done = subprocess.run(
            [tool("kubernetes-validate"), "--strict", "-k", KUBERNETES_VERSION, str(rendered)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"{overlay}:\n{done.stdout}{done.stderr}"
        assert "INFO" in done.stdout and "ERROR" not in done.stdout, done.stdout


def test_objects_say_what_the_page_says(tmp_path: Path) -> None:
    project = configure(RecipeCase(RECIPE, "kubernetes", "requirements", "flat", "postgres"), tmp_path / "project")
    app = objects(render(project.root, OVERLAYS[0]))
    assert sorted(doc["kind"] for doc in app) == [
        "Deployment",
        "HorizontalPodAutoscaler",
        "Ingress",
        "PodDisruptionBudget",
        "Service",
    ]
    deployment = by_kind(app, "Deployment")
    assert deployment["spec"]["replicas"] == 2
    pod = deployment["spec"]["template"]["spec"]
    (web,) = pod["containers"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert web["securityContext"]["readOnlyRootFilesystem"] is True
    assert web["securityContext"]["allowPrivilegeEscalation"] is False
    assert {m["mountPath"] for m in web["volumeMounts"]} == {"/tmp"}
    assert web["readinessProbe"]["httpGet"]["path"] == web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["resources"]["requests"] and web["resources"]["limits"]
    app_name = project.resolution.values["app_name"]
    assert web["image"] == f"registry.example.com/{app_name}:1"
    # No secret in the repository: the pods read them from a Secret the page creates.
    assert [source["secretRef"]["name"] for source in web["envFrom"]] == [f"{app_name}-env"]
    ingress = by_kind(app, "Ingress")
    assert ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == "letsencrypt"
    service = by_kind(app, "Service")
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    job = by_kind(objects(render(project.root, OVERLAYS[1])), "Job")
    assert job["spec"]["template"]["spec"]["containers"][0]["image"] == web["image"]


def test_replicas_and_domain_follow_set(tmp_path: Path) -> None:
    case = RecipeCase(RECIPE, "kubernetes", "requirements", "flat", "postgres")
    project = configure(case, tmp_path / "project", extra={"replicas": "3", "domain": "shop.example.org"})
    app = objects(render(project.root, OVERLAYS[0]))
    assert by_kind(app, "Deployment")["spec"]["replicas"] == 3
    assert by_kind(app, "HorizontalPodAutoscaler")["spec"]["minReplicas"] == 3
    assert by_kind(app, "Ingress")["spec"]["rules"][0]["host"] == "shop.example.org"


def test_the_page_creates_the_secret_from_standard_input(tmp_path: Path) -> None:
    """The page's `kubectl create secret` with the real kubectl, as a client-side dry run (no
    cluster): the Secret holds exactly the here-document's lines, and no value is an argument."""
    project = configure(RecipeCase(RECIPE, "kubernetes", "requirements", "flat", "postgres"), tmp_path / "project")
    (step,) = [run for run in project.resolution.of_kind(ResolvedRun) if run.step.id == "create-secret"]
    (command,) = step.commands
    assert command.stdin is not None and command.argv[0] == "kubectl"
    done = subprocess.run(
        [tool("kubectl"), *command.argv[1:], "--dry-run=client", "--output=yaml"],
        input=command.stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={"KUBECONFIG": os.devnull, "PATH": os.environ["PATH"]},
    )
    assert done.returncode == 0, done.stderr
    secret = yaml.safe_load(done.stdout)
    values = {key: base64.b64decode(value).decode() for key, value in secret["data"].items()}
    assert values == {
        "DJANGO_SECRET_KEY": project.resolution.values["secret_key"],
        "DATABASE_URL": project.resolution.values["database_url"],
    }
    assert not any(value in word for value in values.values() for word in command.argv)
