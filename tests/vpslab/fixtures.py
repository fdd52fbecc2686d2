"""pytest plugin: real Debian guests as fixtures.

Register it once (``pytest_plugins = ["tests.vpslab.fixtures"]`` in the root conftest.py, or
``-p tests.vpslab.fixtures``). Fixtures:

- ``vps_image`` (session): the cached guest image, built on first use (~1.5 min).
- ``vps_lab`` (session): this process's bridge, registry forwarder and SSH key.
- ``vps_guest_factory`` (function): ``make(root_password=None, authorized_key=True)`` boots
  another guest; every guest it made is destroyed after the test.
- ``vps_guest`` (function): one fresh guest, SSH-ready, root login with the lab's key.

A test using them is marked ``vps`` automatically (select or deselect with ``-m``) and put in
the xdist group ``vpslab``, so under ``--dist loadgroup`` one worker runs all guests: one
image wait, one bridge, and the other worker stays free for the rest of the suite.

On a machine that cannot run guests (not root, tools missing) the fixtures skip, except when
the ``CI`` environment variable is set: then they fail, because CI must never skip silently.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterator

import pytest

from .guest import Guest
from .host import default_cache_dir, unavailable_reason
from .image import Image, ensure_image
from .lab import Lab
from .recipe import default_recipe

__all__ = ["require_lab", "vps_guest", "vps_guest_factory", "vps_image", "vps_lab"]

_FIXTURES = frozenset({"vps_image", "vps_lab", "vps_guest_factory", "vps_guest"})
_GUESTS = pytest.StashKey[list[Guest]]()
GuestFactory = Callable[..., Guest]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "vps: boots real Debian guests with systemd-nspawn (needs root; see tests/vpslab)"
    )


@pytest.hookimpl(tryfirst=True)  # before xdist turns xdist_group marks into node ids
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _FIXTURES.intersection(getattr(item, "fixturenames", ())) and not item.get_closest_marker("vps"):
            item.add_marker(pytest.mark.vps)
        if item.get_closest_marker("vps") and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group("vpslab"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed:  # the guests' consoles usually say why a boot or a service failed
        for guest in item.stash.get(_GUESTS, []):
            report.sections.append((f"vpslab console of {guest.name}", _tail(guest)))
    return report


def _tail(guest: Guest, lines: int = 40) -> str:
    try:
        return "\n".join(guest.console_log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no console log)"


def require_lab() -> None:
    """Skip the calling test when this machine cannot run guests; fail instead under CI."""
    reason = unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"vpslab cannot run here, and CI must not skip: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def vps_image() -> Iterator[Image]:
    require_lab()
    image = ensure_image(default_recipe(), default_cache_dir())
    yield image
    image.close()


@pytest.fixture(scope="session")
def vps_lab(vps_image: Image) -> Iterator[Lab]:
    lab = Lab.open(image=vps_image)
    yield lab
    lab.close()


@pytest.fixture
def vps_guest_factory(vps_lab: Lab, request: pytest.FixtureRequest) -> Iterator[GuestFactory]:
    guests = request.node.stash.setdefault(_GUESTS, [])

    def make(*, root_password: str | None = None, authorized_key: bool = True) -> Guest:
        guest = vps_lab.create(root_password=root_password, authorized_key=authorized_key)
        guests.append(guest)
        guest.start()
        guest.wait_ssh()
        return guest

    yield make
    for guest in guests:
        guest.close()


@pytest.fixture
def vps_guest(vps_guest_factory: GuestFactory) -> Guest:
    return vps_guest_factory()
