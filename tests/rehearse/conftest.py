"""One throwaway PostgreSQL cluster and one virtualenv cache for every rehearsal test.

Rehearsals are the slowest tests (a virtualenv, collectstatic, migrations, gunicorn), so they
share a worker (xdist group "rehearse"), the cluster and the virtualenvs made from identical
requirements.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from deploybook.testing.postgres import PostgresServer, postgres_server


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def venv_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rehearsal-venvs")


@pytest.fixture(scope="session")
def tool(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """The path of a dependency manager's command (`uv`, `poetry`, ...), installed if need be.

    Locking resolves versions against the package index, as the user's own `uv lock` does.
    """
    tools = tmp_path_factory.mktemp("tools")

    def get(name: str, requirement: str) -> Path:
        beside = Path(sys.executable).with_name(name)
        if beside.is_file():
            return beside
        venv = tools / name
        if not (venv / "bin" / name).is_file():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            done = subprocess.run(
                [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", requirement],
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                # A developer offline may skip; CI must not pass without the check.
                (pytest.fail if os.environ.get("CI") else pytest.skip)(
                    f"cannot install {requirement}: {done.stderr[-500:]}"
                )
        return venv / "bin" / name

    return get
