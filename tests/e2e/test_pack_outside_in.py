"""A recipe pack made from nothing by `deploybook new-pack`, proven from outside the repository.

Slow: one wheel build (the pack's) and one fresh virtualenv holding deploybook, installed from
a copy of the checkout, and the pack's wheel. The pack's own tests run there, then its recipe
deploys config-only to a sample project; a second pack offering the same id is refused.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deploybook.samples import materialize
from deploybook.testing.projects import install_app
from tests.compiler.test_wheel import NOT_SOURCES, ROOT, _pins, isolated_env

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pack-outside-in")]


def run(*argv: str | Path, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=isolated_env(), capture_output=True, text=True, timeout=900
    )
    if check:
        assert done.returncode == 0, f"{argv} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done


def test_a_generated_pack_is_built_installed_tested_and_deployed(tmp_path: Path) -> None:
    # deploybook new-pack, from this checkout's command line
    run(sys.executable, "-m", "deploybook", "new-pack", "acme-recipes", "--dir", tmp_path, cwd=tmp_path)
    pack = tmp_path / "acme-recipes"
    run(sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path / "dist", pack, cwd=tmp_path)
    [wheel] = (tmp_path / "dist").glob("acme_recipes-*.whl")

    source = tmp_path / "deploybook-source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES, symlinks=True)
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(_pins()) + "\n")
    run(python, "-m", "pip", "install", "-q", "-c", constraints, source, f"{wheel}[test]", cwd=tmp_path)

    # The pack's own tests, from its folder, with the installed deploybook's checks.
    tested = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=pack)
    summary = tested.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary

    # Deploy the pack's recipe config-only to a sample project.
    sample = materialize(tmp_path / "project", flavour="requirements", layout="flat")
    install_app(sample.project_dir)
    listed = run(python, "manage.py", "deploy", "--list", cwd=sample.project_dir)
    [line] = [line for line in listed.stdout.splitlines() if line.split()[:1] == ["acme"]]
    assert "acme-recipes" in line, listed.stdout
    deployed = run(python, "manage.py", "deploy", "acme", "--set", "db=sqlite", cwd=sample.project_dir)
    assert ".python-version" in deployed.stdout
    assert (sample.root / ".python-version").is_file()

    # A second pack with the same recipe id: an error naming both packs.
    run(
        sys.executable,
        "-m",
        "deploybook",
        "new-pack",
        "rival-recipes",
        "--recipe",
        "acme",
        "--dir",
        tmp_path,
        cwd=tmp_path,
    )
    run(python, "-m", "pip", "install", "-q", "--no-deps", tmp_path / "rival-recipes", cwd=tmp_path)
    refused = run(venv / "bin" / "deploybook", "show", "acme", cwd=tmp_path, check=False)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "two recipe packs offer the recipe 'acme': " in refused.stderr
    assert "acme-recipes" in refused.stderr and "rival-recipes" in refused.stderr
    assert "Traceback" not in refused.stderr
