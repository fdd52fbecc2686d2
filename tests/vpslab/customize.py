"""Turn a fresh debootstrap tree into the lab's "freshly created VPS" image.

Everything that must differ between servers (machine id, host name, SSH host keys, address)
is removed here and written per guest by ``seed``. Everything that makes the locked-down
network usable (APT sources, the host's CA certificates, pip/uv trusting them) is baked in.
The image cache key hashes this file, so editing it rebuilds the image.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from .aptsources import AptSource, render_deb822
from .errors import LabError

__all__ = ["customize", "pem_certificates"]

_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.DOTALL)
_CHROOT_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C.UTF-8"}

# The guest trusts the host's CAs system-wide; these point the Python installers at that store.
# pip vendors its own CA list unless told otherwise. uv reads /etc/uv/uv.toml: `system-certs`
# is the current name (uv 0.13 calls the older `native-tls` deprecated and warns on every run;
# a uv too old to know `system-certs` needs `native-tls = true` instead).
PIP_CONF = "[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n"
UV_TOML = "# vpslab: use the system trust store, which holds the host's CAs\nsystem-certs = true\n"


def customize(rootfs: Path, sources: Iterable[AptSource], ca_bundle: Path) -> None:
    _write_apt_sources(rootfs, sources)
    _forget_identity(rootfs)
    _write_resolver_files(rootfs)
    _trust_host_certificates(rootfs, ca_bundle)
    _write(rootfs / "etc/pip.conf", PIP_CONF)
    _write(rootfs / "etc/uv/uv.toml", UV_TOML)
    # Addresses come from a .network file written per guest; networkd applies it at boot.
    _chroot(rootfs, "systemctl", "enable", "systemd-networkd.service")
    _chroot(rootfs, "apt-get", "clean")


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)


def _chroot(rootfs: Path, *argv: str) -> None:
    result = subprocess.run(["chroot", str(rootfs), *argv], capture_output=True, text=True, env=_CHROOT_ENV)
    if result.returncode != 0:
        raise LabError(f"image build: `{' '.join(argv)}` failed in the chroot: {result.stderr}")


def _write_apt_sources(rootfs: Path, sources: Iterable[AptSource]) -> None:
    # debootstrap writes a one-line sources.list for the release only; a real server also
    # has updates and security, in Debian 12's deb822 format.
    (rootfs / "etc/apt/sources.list").unlink(missing_ok=True)
    _write(rootfs / "etc/apt/sources.list.d/debian.sources", render_deb822(sources))


def _forget_identity(rootfs: Path) -> None:
    # debootstrap copied the host's name and generated one machine id and one set of SSH
    # host keys; cloned servers must not share them.
    (rootfs / "etc/machine-id").write_text("")
    (rootfs / "etc/hostname").unlink(missing_ok=True)
    for key in (rootfs / "etc/ssh").glob("ssh_host_*"):
        key.unlink()
    # Each guest gets one ed25519 host key (seed.py); naming it stops sshd looking for more.
    _write(
        rootfs / "etc/ssh/sshd_config.d/10-vpslab-host-key.conf",
        "HostKey /etc/ssh/ssh_host_ed25519_key\n",
    )


def _write_resolver_files(rootfs: Path) -> None:
    # The guest has no DNS server to reach: the names it may use are in /etc/hosts
    # (written per guest). No nameserver line makes other lookups fail at once.
    _write(rootfs / "etc/resolv.conf", "# vpslab: no DNS; registry names are in /etc/hosts\n")
    _write(rootfs / "etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")


def pem_certificates(data: bytes) -> list[bytes]:
    """The certificates of a PEM bundle as base64 bodies without whitespace (comparable)."""
    return [b"".join(body.split()) for body in _PEM.findall(data)]


def _trust_host_certificates(rootfs: Path, ca_bundle: Path) -> None:
    """Add every host CA the guest lacks (the TLS gateway's, a corporate root) the Debian way.

    Going through /usr/local/share/ca-certificates keeps them trusted when the guest later
    runs update-ca-certificates itself (installing a package can trigger it).
    """
    guest_bundle = rootfs / "etc/ssl/certs/ca-certificates.crt"
    known = set(pem_certificates(guest_bundle.read_bytes()))
    extra = [cert for cert in pem_certificates(ca_bundle.read_bytes()) if cert not in known]
    target = rootfs / "usr/local/share/ca-certificates/vpslab-host"
    target.mkdir(parents=True, exist_ok=True)
    os.chmod(target, 0o755)
    for number, cert in enumerate(extra):
        (target / f"host-ca-{number:03d}.crt").write_bytes(_pem_file(cert))
    if extra:
        _chroot(rootfs, "update-ca-certificates")


def _pem_file(body: bytes) -> bytes:
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return b"\n".join([b"-----BEGIN CERTIFICATE-----", *lines, b"-----END CERTIFICATE-----\n"])
