"""The VPS lab harness itself: real guests, real SSH, real registries through the forwarder.

The first group needs no root (parsing and the forwarder on loopback); the ``vps`` group boots
Debian guests with systemd-nspawn and needs root (see tests/vpslab/fixtures.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import ssl
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.vpslab import Forwarder, Guest, Image, ImageRecipe, Lab, LabError, default_recipe, ensure_image, fixtures
from tests.vpslab.aptsources import AptSource, guest_sources, parse_deb822, parse_one_line
from tests.vpslab.network import link_names
from tests.vpslab.sniff import NeedMoreData, requested_host

GuestFactory = Callable[..., Guest]
PROJECT = Path(__file__).resolve().parents[2]


# -- without root: what the guest asks for, and who may pass ---------------------------


def client_hello(server_name: str) -> bytes:
    """The first bytes a real TLS client (Python's ssl) sends for ``server_name``."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    connection = ssl.create_default_context().wrap_bio(incoming, outgoing, server_hostname=server_name)
    with pytest.raises(ssl.SSLWantReadError):
        connection.do_handshake()
    return outgoing.read()


def test_tls_server_name_is_read_from_a_real_client_hello() -> None:
    hello = client_hello("files.pythonhosted.org")
    assert requested_host(hello) == "files.pythonhosted.org"
    with pytest.raises(NeedMoreData):
        requested_host(hello[:40])


def test_http_host_header_is_read_without_its_port() -> None:
    request = b"GET /debian/dists/bookworm/InRelease HTTP/1.1\r\nHost: Deb.Debian.Org:80\r\n\r\n"
    assert requested_host(request) == "deb.debian.org"
    with pytest.raises(NeedMoreData):
        requested_host(request[:30])
    assert requested_host(b"GET / HTTP/1.1\r\nUser-Agent: x\r\n\r\n") is None
    assert requested_host(b"SSH-2.0-OpenSSH_9.2\r\n\r\n") is None


@pytest.fixture
def upstream() -> Iterator[int]:
    """A loopback server standing in for a registry: answers every line with its upper case."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                while data := conn.recv(65536):
                    conn.sendall(data.upper())

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1]
    server.close()


def test_forwarder_passes_allowed_names_and_refuses_others(upstream: int) -> None:
    forwarder = Forwarder("127.0.0.1", [0], ["pypi.org"], resolve=lambda name, port: [("127.0.0.1", upstream)])
    forwarder.start()
    try:
        port = forwarder.bound_ports[0]
        with socket.create_connection(("127.0.0.1", port), timeout=5) as allowed:
            allowed.sendall(b"GET / HTTP/1.1\r\nHost: pypi.org\r\n\r\n")
            assert allowed.recv(100).startswith(b"GET / HTTP/1.1\r\nHOST: PYPI.ORG")
        with socket.create_connection(("127.0.0.1", port), timeout=5) as refused:
            refused.sendall(client_hello("example.org"))
            assert refused.recv(100) == b""  # closed without a byte from any upstream
    finally:
        forwarder.stop()
    assert [(c.host, c.allowed) for c in forwarder.connections] == [("pypi.org", True), ("example.org", False)]


def test_guest_apt_sources_follow_the_host_mirror() -> None:
    one_line = parse_one_line(
        "deb [signed-by=/k.gpg] http://mirror.example/debian bookworm main contrib\n"
        "# deb http://old.example/debian bookworm main\ndeb-src http://mirror.example/debian bookworm main\n"
    )
    deb822 = parse_deb822(
        "Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n"
        "Components: main\n\nTypes: deb\nURIs: https://third.party/apt\nSuites: nodistro\nComponents: main\n"
        "\nEnabled: no\nTypes: deb\nURIs: http://off.example/debian\nSuites: bookworm\nComponents: main\n"
    )
    assert guest_sources(one_line + deb822, "bookworm", "trixie") == [
        AptSource("http://mirror.example/debian", ("trixie",), ("main", "contrib")),
        AptSource("http://mirror.example/debian-security", ("trixie-security",), ("main",)),
    ]


def test_image_key_follows_the_recipe(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("one CA\n")
    sources = (AptSource("http://mirror.example/debian", ("bookworm",), ("main",)),)
    recipe = ImageRecipe("bookworm", sources, bundle)
    assert recipe.key() == ImageRecipe("bookworm", sources, bundle).key()
    assert recipe.key() != ImageRecipe("bookworm", sources, bundle, packages=("systemd",)).key()
    before = recipe.key()
    bundle.write_text("another CA\n")  # the host's CAs are baked into the image
    assert recipe.key() != before
    assert recipe.registry_hosts == ("mirror.example", "pypi.org", "files.pythonhosted.org")


@pytest.mark.parametrize("ci", ["", "true"])
def test_a_machine_that_cannot_run_guests_skips_but_fails_in_ci(monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    monkeypatch.setattr(fixtures, "unavailable_reason", lambda: "vpslab needs root")
    monkeypatch.setenv("CI", ci)
    outcome = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(outcome, match="vpslab needs root"):
        fixtures.require_lab()


# -- with root: real guests ----------------------------------------------------------------

vps = pytest.mark.vps


@vps
def test_guest_boots_to_running_and_answers_root_ssh(vps_guest: Guest) -> None:
    # "running", not "degraded": the image leaves no unit to fail in a container.
    state = vps_guest.ssh("systemctl is-system-running --wait")
    assert state.stdout.strip() == "running", vps_guest.ssh("systemctl --failed").stdout
    assert vps_guest.ssh("id -un; hostname", check=True).stdout.split() == ["root", vps_guest.name]
    routes = vps_guest.ssh("ip -4 route", check=True).stdout
    assert "default" not in routes and vps_guest.address in routes


@vps
def test_guest_installs_from_debian_and_pypi_through_the_forwarder(vps_guest: Guest, vps_lab: Lab) -> None:
    apt = "DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0"
    vps_guest.ssh(f"{apt} update && {apt} install --no-install-recommends python3-pip hello", check=True)
    assert vps_guest.ssh("hello", check=True).stdout.strip() == "Hello, world!"
    # pip (Debian's) over https to pypi.org and files.pythonhosted.org, trusting the host's CA.
    vps_guest.ssh("pip download --no-deps --dest /tmp/wheels six", check=True)
    assert vps_guest.ssh("ls /tmp/wheels", check=True).stdout.startswith("six-")
    # uv from PyPI, as the VPS recipe installs it; /etc/uv/uv.toml makes it trust the system CAs.
    vps_guest.ssh("pip install --break-system-packages --quiet uv", check=True)
    vps_guest.ssh("uv venv --quiet /tmp/venv && uv pip install --quiet --python /tmp/venv six", check=True)
    allowed = {c.host for c in vps_lab.forwarder.connections if c.allowed and c.error is None}
    assert {"deb.debian.org", "pypi.org", "files.pythonhosted.org"} <= allowed


@vps
def test_guest_reaches_nothing_but_the_registries(vps_guest: Guest, vps_lab: Lab) -> None:
    probe = textwrap.dedent(f"""
        import socket, ssl
        def tls(name):
            try:
                with socket.create_connection(("{vps_lab.host_address}", 443), timeout=10) as s:
                    ssl.create_default_context().wrap_socket(s, server_hostname=name)
                return "connected"
            except (OSError, ssl.SSLError) as exc:
                return type(exc).__name__
        def direct(address):
            try:
                socket.create_connection((address, 80), timeout=5).close()
                return "connected"
            except OSError as exc:
                return exc.strerror
        print(tls("example.org"), tls("pypi.org"), direct("192.0.2.1"), sep="|")
    """)
    refused, allowed, outside = vps_guest.ssh(["python3", "-c", probe], check=True).stdout.strip().split("|")
    assert refused != "connected" and allowed == "connected"
    assert outside == "Network is unreachable"  # no route: the packet never leaves the guest
    assert any(c.host == "example.org" and not c.allowed for c in vps_lab.forwarder.connections)


@vps
def test_each_guest_is_its_own_server(vps_guest_factory: GuestFactory) -> None:
    first, second = vps_guest_factory(), vps_guest_factory()
    assert first.address != second.address and first.name != second.name
    assert first.host_public_key != second.host_public_key
    ids = [g.ssh("cat /etc/machine-id", check=True).stdout for g in (first, second)]
    assert ids[0] != ids[1]
    # Guests share the bridge, as servers of one provider share a private network.
    reach = f"import socket; socket.create_connection(('{second.address}', 22), 5)"
    assert first.ssh(["python3", "-c", reach]).returncode == 0


@vps
def test_root_password_login_like_a_provider_that_mails_one(vps_guest_factory: GuestFactory) -> None:
    guest = vps_guest_factory(root_password="correct horse battery", authorized_key=False)
    assert guest.ssh_key is None and guest.root_password == "correct horse battery"
    assert guest.ssh("id -un", auth="password", check=True).stdout.strip() == "root"
    assert "permitrootlogin yes" in guest.ssh("sshd -T", auth="password", check=True).stdout
    with pytest.raises(LabError, match="without an SSH key"):
        guest.ssh("true")


@vps
def test_key_and_password_together(vps_guest_factory: GuestFactory) -> None:
    guest = vps_guest_factory(root_password="s3cret-Pw")
    assert guest.ssh("true").returncode == 0
    assert guest.ssh("true", auth="password").returncode == 0


@vps
def test_restart_keeps_the_disk_and_survives_a_reboot_inside(vps_guest: Guest) -> None:
    vps_guest.ssh("echo kept > /root/state && useradd -m deploy", check=True)
    boot_ids = [vps_guest.ssh("cat /proc/sys/kernel/random/boot_id", check=True).stdout]
    vps_guest.restart()
    boot_ids.append(vps_guest.ssh("cat /proc/sys/kernel/random/boot_id", check=True).stdout)
    vps_guest.ssh("systemctl reboot")  # ends the container; the harness must boot it again
    vps_guest.wait_stopped()
    vps_guest.restart()
    boot_ids.append(vps_guest.ssh("cat /proc/sys/kernel/random/boot_id", check=True).stdout)
    assert len(set(boot_ids)) == 3
    assert vps_guest.ssh("cat /root/state; id -un deploy", check=True).stdout.split() == ["kept", "deploy"]


def nspawn_processes(name: str) -> list[int]:
    """Processes whose command line names the machine ``name`` (nspawn is started with -M name)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if name.encode() in argv and any(arg.endswith(b"systemd-nspawn") for arg in argv):
                found.append(int(entry.name))
    return found


@vps
def test_teardown_leaves_no_process_link_or_disk(vps_lab: Lab) -> None:
    guest = vps_lab.create()
    guest.start()
    guest.wait_ssh()
    assert nspawn_processes(guest.name) and f"vb-{guest.name}" in link_names()
    assert mounts_of(guest.directory)  # the overlay exists, in nspawn's private namespace only
    assert str(guest.directory) not in Path("/proc/self/mountinfo").read_text()
    started = time.monotonic()
    guest.close()
    assert time.monotonic() - started < 15  # an orderly poweroff, not the SIGKILL fallback
    assert nspawn_processes(guest.name) == []
    assert f"vb-{guest.name}" not in link_names()
    assert not guest.directory.exists()
    assert mounts_of(guest.directory) == []  # in no mount namespace of any process


def mounts_of(directory: Path) -> list[str]:
    """Mount table lines, of every process's mount namespace, that name ``directory``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found += [line for line in (entry / "mountinfo").read_text().splitlines() if str(directory) in line]
            except OSError:
                continue
    return found


CRASHING_RUN = """
import sys
from tests.vpslab import Lab
lab = Lab.open()
guest = lab.boot()
print(lab.bridge, guest.name, flush=True)
sys.stdin.read()  # killed here, with no chance to clean up
"""


@vps
def test_a_killed_run_leaves_nothing_that_breaks_the_next(vps_image: Image) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CRASHING_RUN],
        cwd=PROJECT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        text=True,
    )
    assert child.stdout is not None
    bridge, name = child.stdout.readline().split()
    child.send_signal(signal.SIGKILL)
    child.wait()
    # The guest powers itself off (parent-death signal), its bridge is left behind...
    deadline = time.monotonic() + 30
    while nspawn_processes(name) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert nspawn_processes(name) == []
    assert bridge in link_names()
    # ...and the next run that gets the slot clears it and boots normally. Slots go lowest
    # first, so hold lower ones (other runs on this machine may have freed some meanwhile).
    with contextlib.ExitStack() as labs:
        lab = labs.enter_context(Lab.open(image=vps_image))
        while lab.bridge != bridge:
            lab = labs.enter_context(Lab.open(image=vps_image))
        assert lab.boot().ssh("true").returncode == 0
    assert bridge not in link_names()


@vps
def test_image_is_reused_from_the_cache(vps_image: Image) -> None:
    assert vps_image.archive.is_file() and vps_image.archive.name == f"{vps_image.key}.tar.zst"
    started = time.monotonic()
    again = ensure_image(default_recipe(), vps_image.archive.parent.parent)
    try:
        assert again.key == vps_image.key and again.build_seconds is None
        assert time.monotonic() - started < 10
    finally:
        again.close()
