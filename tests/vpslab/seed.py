"""Per-guest files: what a cloud provider writes into a new server before its first boot.

They go straight into the guest's overlay upper layer while the guest is down: its name,
machine id, SSH host key, address, root's authorized key and optionally a root password.
Directories created in the upper layer copy owner and mode from the image, because the
overlay shows the upper directory's metadata (``/root`` must stay 0700 for sshd).
"""

from __future__ import annotations

import ipaddress
import os
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from .errors import LabError

__all__ = ["GuestSeed", "seed_guest"]


@dataclass(frozen=True, slots=True)
class GuestSeed:
    name: str
    interface: ipaddress.IPv4Interface  # the guest's address with the bridge's prefix
    registry_address: ipaddress.IPv4Address  # where the forwarder listens
    registry_hosts: tuple[str, ...]
    authorized_key: str | None  # an OpenSSH public key line for root
    root_password: str | None


def seed_guest(lower: Path, upper: Path, seed: GuestSeed) -> str:
    """Write the guest's files into ``upper``; returns its SSH host public key line."""
    layer = _Layer(lower, upper)
    layer.write("etc/hostname", f"{seed.name}\n")
    layer.write("etc/machine-id", f"{uuid.uuid4().hex}\n", mode=0o444)
    layer.write("etc/hosts", _hosts_file(seed))
    layer.write("etc/systemd/network/10-vpslab.network", _network_file(seed.interface))
    if seed.authorized_key is not None:
        layer.makedirs("root/.ssh", mode=0o700)
        layer.write("root/.ssh/authorized_keys", seed.authorized_key.strip() + "\n", mode=0o600)
    if seed.root_password is not None:
        layer.write("etc/shadow", _shadow_with_root_password(lower, seed.root_password), mode=None)
        # Debian's default is "prohibit-password"; providers that hand out a root
        # password switch password logins for root on, so the lab does too.
        layer.write(
            "etc/ssh/sshd_config.d/50-vpslab-root-password.conf",
            "PermitRootLogin yes\nPasswordAuthentication yes\n",
        )
    return _generate_host_key(layer, seed.name)


def _hosts_file(seed: GuestSeed) -> str:
    return (
        "127.0.0.1\tlocalhost\n"
        f"127.0.1.1\t{seed.name}\n"
        "::1\tlocalhost ip6-localhost ip6-loopback\n"
        "# vpslab: package registries, reached through the host's allow-listed forwarder\n"
        f"{seed.registry_address}\t{' '.join(seed.registry_hosts)}\n"
    )


def _network_file(interface: ipaddress.IPv4Interface) -> str:
    # host0 is the guest end of nspawn's veth. No gateway: the guest has no route out.
    return (
        "[Match]\nName=host0\n\n"
        f"[Network]\nAddress={interface.with_prefixlen}\n"
        "LinkLocalAddressing=no\nIPv6AcceptRA=no\n"
    )


def _shadow_with_root_password(lower: Path, password: str) -> str:
    hashed = subprocess.run(
        ["openssl", "passwd", "-6", "-stdin"],
        input=password,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    lines = (lower / "etc/shadow").read_text().splitlines()
    for index, line in enumerate(lines):
        fields = line.split(":")
        if fields[0] == "root":
            fields[1] = hashed
            lines[index] = ":".join(fields)
            return "\n".join(lines) + "\n"
    raise LabError(f"{lower}/etc/shadow has no root entry; rebuild the image")


def _generate_host_key(layer: _Layer, name: str) -> str:
    # One ed25519 key per guest: generating it takes milliseconds, unlike RSA. The image's
    # sshd config lists only this key type (see customize), so sshd logs no missing keys.
    layer.makedirs("etc/ssh")
    key = layer.upper / "etc/ssh/ssh_host_ed25519_key"
    result = subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"root@{name}", "-f", str(key)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise LabError(f"ssh-keygen for {name}'s host key failed: {result.stderr.strip()}")
    return key.with_suffix(".pub").read_text().strip()


class _Layer:
    """Writes into an overlay upper layer, with parents shaped like the lower layer's."""

    def __init__(self, lower: Path, upper: Path) -> None:
        self.lower = lower
        self.upper = upper

    def makedirs(self, relative: str, mode: int = 0o755) -> None:
        path = Path(relative)
        for depth in range(1, len(path.parts) + 1):
            part = Path(*path.parts[:depth])
            target = self.upper / part
            if target.is_dir():
                continue
            target.mkdir()
            source = self.lower / part
            if source.is_dir():
                info = source.stat()
                os.chown(target, info.st_uid, info.st_gid)
                os.chmod(target, info.st_mode & 0o7777)
            else:
                os.chmod(target, mode)

    def write(self, relative: str, text: str, mode: int | None = 0o644) -> None:
        """Write a file; ``mode=None`` copies owner and mode from the image's file."""
        self.makedirs(str(Path(relative).parent))
        target = self.upper / relative
        target.write_text(text)
        source = self.lower / relative
        if mode is None:
            info = source.stat()
            os.chown(target, info.st_uid, info.st_gid)
            os.chmod(target, info.st_mode & 0o7777)
        else:
            os.chmod(target, mode)
