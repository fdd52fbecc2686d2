"""`--rehearse` for a recipe whose platform runs a container: the image is built and probed
when podman or docker is installed; without either, the rehearsal says so and runs the
image's commands in a virtualenv as for any other platform."""

from __future__ import annotations

import io
import os
import shlex
from pathlib import Path

from deploybook.containers import Engine
from deploybook.rehearse import rehearse_prepared
from deploybook.runtime import prepare
from deploybook.runtime.request import DeployRequest
from deploybook.testing.recipe_cases import ConfiguredProject, RecipeCase, configure

RECIPES = Path(__file__).resolve().parents[2] / "recipes"


def _configured(tmp_path: Path) -> ConfiguredProject:
    return configure(RecipeCase(RECIPES / "fly-io.md", "fly-io", "requirements", "flat", "sqlite"), tmp_path / "p")


def _rehearse(project: ConfiguredProject, environ: dict[str, str]) -> tuple[str, bool]:
    request = DeployRequest(
        None,
        project.sample.project_dir,
        recipe_file=project.case.recipe_file,
        assignments=project.assignments,
        environ=environ,
    )
    out = io.StringIO()
    report = rehearse_prepared(prepare(request), out=out)
    return out.getvalue(), report.ok


def _engine_environment(engine: Engine) -> dict[str, str]:
    return dict(os.environ) | {
        "DEPLOYBOOK_CONTAINER_ENGINE": engine.program,
        "DEPLOYBOOK_CONTAINER_GLOBAL_FLAGS": shlex.join(engine.global_flags),
        "DEPLOYBOOK_CONTAINER_BUILD_FLAGS": shlex.join(engine.build_flags),
        "DEPLOYBOOK_CONTAINER_RUN_FLAGS": shlex.join(engine.run_flags),
    }


def test_rehearse_builds_runs_and_probes_the_image(tmp_path: Path, engine: Engine, base_image: str) -> None:
    output, ok = _rehearse(_configured(tmp_path), _engine_environment(engine))
    assert ok, output
    assert "Rehearsing Fly.io with its container image, built by podman" in output
    assert "podman build" in output and "health probe: plain HTTP, internal Host" in output


def test_rehearse_without_podman_or_docker_says_so_and_rehearses_the_commands(tmp_path: Path) -> None:
    environ = dict(os.environ) | {"DEPLOYBOOK_CONTAINER_ENGINE": "no-such-container-tool"}
    output, ok = _rehearse(_configured(tmp_path), environ)
    assert ok, output
    assert "No podman or docker on this machine" in output
    assert "Rehearsing Fly.io in a copy of" in output


def test_rehearse_kubernetes_builds_migrates_and_probes_the_image(
    tmp_path: Path, engine: Engine, base_image: str
) -> None:
    case = RecipeCase(RECIPES / "kubernetes.md", "kubernetes", "requirements", "flat", "postgres")
    output, ok = _rehearse(configure(case, tmp_path / "p"), _engine_environment(engine))
    assert ok, output
    assert "Rehearsing Kubernetes with its container image, built by podman" in output
    assert "release: python ./manage.py migrate --noinput" in output
