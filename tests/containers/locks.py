"""Refresh a configured sample project's lock file with its own tool, as the recipe's lock step
says the user does: the Dockerfile installs from the lock file and refuses a stale one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["refresh_lock"]

_COMMANDS = {
    "poetry": ("poetry", "poetry>=2.1,<3", ["lock"]),
    "poetry-pep621": ("poetry", "poetry>=2.1,<3", ["lock"]),
    "pipenv": ("pipenv", "pipenv>=2024.1", ["lock"]),
    "uv": ("uv", "uv>=0.9,<1", ["lock"]),
    # hishel 2 (a PDM dependency) drops an API that PDM 2.29 uses.
    "pdm": ("pdm", "pdm>=2.20,<3 hishel<2", ["lock"]),
}
_TOOLS = Path(__file__).resolve().parents[2] / ".cache" / "containers" / "tools"


def refresh_lock(root: Path, flavour: str) -> None:
    if flavour not in _COMMANDS:
        return
    name, requirement, args = _COMMANDS[flavour]
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env |= {"UV_PYTHON_DOWNLOADS": "never", "PIPENV_VENV_IN_PROJECT": "0", "PIPENV_YES": "1"}
    had_venv = (root / ".venv").exists()
    done = subprocess.run([str(_tool(name, requirement)), *args], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{name} lock failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
    if not had_venv:
        # PDM makes the project a .venv to lock with; a user's would be theirs, this one is the
        # tool's (and its bin/python links to this machine's interpreter: never write there).
        shutil.rmtree(root / ".venv", ignore_errors=True)


def _tool(name: str, requirement: str) -> Path:
    beside = Path(sys.executable).with_name(name)
    if beside.is_file():
        return beside
    venv = _TOOLS / name
    if not (venv / "bin" / name).is_file():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *requirement.split(" ")], check=True)
    return venv / "bin" / name
