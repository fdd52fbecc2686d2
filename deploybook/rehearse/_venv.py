"""A fresh virtualenv holding only what the project's own dependency files say, as on a platform.

requirements.txt is installed as pip would on the platform. For Poetry, Pipenv, uv and PDM the
lock file's pins are installed with `--no-deps`, so the virtualenv holds exactly what the lock
holds: nothing the platform would not install is pulled in behind the lock's back. The tools
themselves are not needed (see _locks). The project's direct requirements are then checked
against what was installed, which catches a lock file that was not updated.

A virtualenv depends only on what was installed into it, so one made from the same requirement
lines can be reused: pass `cache` to keep them by a hash of those lines.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from deploybook.inspect import Project
from deploybook.records import record
from deploybook.rehearse._locks import direct_requirements, locked_pins
from deploybook.rehearse._report import Check

__all__ = ["Environment", "build_venv"]

_RELOCK = {"poetry": "poetry lock", "pipenv": "pipenv lock", "uv": "uv lock", "pdm": "pdm lock"}


@record
class Environment:
    venv: Path
    checks: tuple[Check, ...]

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def build_venv(project: Project, dest: Path, *, python: str = sys.executable, cache: Path | None = None) -> Environment:
    """Make the virtualenv at `dest` (or reuse one from `cache`) and check it against the manifest."""
    install, label = _install_args(project)
    key = hashlib.sha256(json.dumps([python, install]).encode()).hexdigest()[:16]
    venv = cache / key if cache is not None else dest
    name = f"install the dependencies ({label})"
    if not (venv / ".deploybook-complete").is_file():
        failure = _create(venv, python, install)
        if failure:
            return Environment(venv, (Check(name, False, failure),))
    checks = [Check(name, True, f"into a fresh virtualenv ({len(install)} pins)" if project.lock_file else "")]
    if project.pkg != "requirements":
        checks.append(_lock_matches(project, venv))
    return Environment(venv, tuple(checks))


def _install_args(project: Project) -> tuple[list[str], str]:
    label = project.relative(project.lock_file or project.manifest)
    if project.pkg == "requirements":
        return ["--requirement", str(project.manifest)], label
    if project.lock_file is None:
        return [], f"{label}, which has no lock file"
    return [*locked_pins(project.pkg, project.lock_file)], label


def _create(venv: Path, python: str, install: list[str]) -> str:
    """Make the virtualenv; an error text on failure ("" when it worked)."""
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    done = _run([python, "-m", "venv", str(venv)])
    if done.returncode != 0:
        return f"could not create a virtualenv with {python}: {done.stdout.strip()[-500:]}"
    if install:
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        if install[0] != "--requirement":
            pip.append("--no-deps")
        done = _run([*pip, *install])
        if done.returncode != 0:
            return f"pip install failed:\n{done.stdout.strip()[-2000:]}"
    (venv / ".deploybook-complete").write_text("ok\n")
    return ""


def _lock_matches(project: Project, venv: Path) -> Check:
    lock = project.relative(project.lock_file) if project.lock_file else "the lock file"
    name = f"{lock} matches {project.relative(project.manifest)}"
    installed = _installed(venv)
    missing = [str(r) for r in direct_requirements(project.pkg, project.manifest) if not _satisfied(r, installed)]
    if project.lock_file is None:
        return Check(name, False, f"there is no lock file; run `{_RELOCK[project.pkg]}` and commit it")
    if missing:
        return Check(
            name,
            False,
            f"it does not provide {', '.join(missing)}; the platform's install would refuse it or "
            f"miss them: run `{_RELOCK[project.pkg]}` and commit the result",
        )
    return Check(name, True)


def _installed(venv: Path) -> dict[str, str]:
    done = _run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"])
    if done.returncode != 0:
        return {}
    return {str(canonicalize_name(item["name"])): item["version"] for item in json.loads(done.stdout)}


def _satisfied(requirement: Requirement, installed: dict[str, str]) -> bool:
    if requirement.marker is not None and not requirement.marker.evaluate():
        return True
    version = installed.get(str(canonicalize_name(requirement.name)))
    return version is not None and requirement.specifier.contains(version, prereleases=True)


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    # The user's own virtualenv or PYTHONPATH must not leak into the rehearsal's.
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, check=False)
