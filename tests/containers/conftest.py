"""Session fixtures: this machine's podman, and the local stand-in for the python base image.

The base is imported once (and kept across runs, by its content key, see base.py); each
flavour's image is built under a fixed tag, so podman's layer cache makes a rerun cheap. All
container tests run on one xdist worker (group "containers"): builds are CPU-heavy and share
the cache.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from deploybook.containers import Engine
from deploybook.testing.postgres import PostgresServer, postgres_server
from tests.containers.base import ensure_base, lab_engine


@pytest.hookimpl(tryfirst=True)  # before xdist turns xdist_group marks into node ids
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/containers/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.container)
            item.add_marker(pytest.mark.xdist_group("containers"))


@pytest.fixture(scope="session")
def engine() -> Engine:
    return lab_engine()  # raises, never skips: CI must build the images


@pytest.fixture(scope="session")
def base_image(engine: Engine) -> str:
    return ensure_base(engine)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server
