"""What the host offers: the tools, privileges and configuration the lab is built from.

Everything machine-specific is discovered here (apt's own idea of its source files, the TLS
library's idea of the CA bundle, the kernel's file systems), so no other module names a path
of this machine.
"""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

from .aptsources import AptSource, default_sources, guest_sources, read_source_files

__all__ = [
    "REQUIRED_TOOLS",
    "ca_bundle",
    "debian_sources_for",
    "default_cache_dir",
    "host_codename",
    "runtime_dir",
    "unavailable_reason",
]

# Each tool with the Debian package that provides it, so the skip reason says what to install.
REQUIRED_TOOLS: dict[str, str] = {
    "debootstrap": "debootstrap",
    "systemd-nspawn": "systemd-container",
    "zstd": "zstd",
    "ip": "iproute2",
    "ssh": "openssh-client",
    "ssh-keygen": "openssh-client",
    "openssl": "openssl",
    "tar": "tar",
    "unshare": "util-linux",
    "setpriv": "util-linux",
    "mount": "mount",
    "chroot": "coreutils",
}


def unavailable_reason() -> str | None:
    """Why this machine cannot run guests, or None when it can."""
    if not sys.platform.startswith("linux"):
        return "vpslab boots Linux containers and needs a Linux host"
    if os.geteuid() != 0:
        return "vpslab needs root (debootstrap, mounts, network bridges): run the e2e tests as root"
    missing = sorted({pkg for tool, pkg in REQUIRED_TOOLS.items() if shutil.which(tool) is None})
    if missing:
        return f"vpslab needs more tools: apt-get install {' '.join(missing)}"
    if "overlay" not in Path("/proc/filesystems").read_text():
        return "vpslab needs overlayfs in the kernel (each guest is an overlay on the image)"
    return None


def default_cache_dir() -> Path:
    """``<project>/.cache/vpslab``, or ``$VPSLAB_CACHE`` when set (e.g. a CI cache volume).

    The project root is found from this file's place (``tests/vpslab/`` inside it), so the
    cache follows the checkout and never lands in the working directory of a stray process.
    """
    override = os.environ.get("VPSLAB_CACHE")
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parents[2] / ".cache" / "vpslab"


def runtime_dir() -> Path:
    """Machine-wide lab state (slot locks, guest pid records): ``/run/vpslab``.

    Bridges and subnets belong to the whole machine, not to one checkout, so the locks that
    hand them out must too; /run is cleared at boot, exactly when bridges disappear.
    ``$VPSLAB_RUNTIME`` moves it (tests of the harness itself).
    """
    return Path(os.environ.get("VPSLAB_RUNTIME", "/run/vpslab"))


def ca_bundle() -> Path:
    """The PEM bundle the host's TLS clients trust (honours ``SSL_CERT_FILE`` like OpenSSL)."""
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and Path(candidate).is_file():
            return Path(candidate).resolve()
    raise FileNotFoundError("no CA bundle found: set SSL_CERT_FILE to the host's PEM bundle")


def host_codename() -> str | None:
    """The host's Debian release name (``bookworm``), or None on another distribution."""
    try:
        text = Path("/etc/os-release").read_text()
    except OSError:
        return None
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    if fields.get("ID", "").strip('"') != "debian":
        return None
    return fields.get("VERSION_CODENAME", "").strip('"') or None


def _apt_source_files() -> list[Path]:
    """Source files as apt itself locates them (so ``APT_CONFIG`` overrides are honoured)."""
    try:
        out = subprocess.run(
            [
                "apt-config",
                "shell",
                "LIST",
                "Dir::Etc::sourcelist/f",
                "PARTS",
                "Dir::Etc::sourceparts/d",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    found = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    files = [Path(found.get("LIST", "").strip("'"))]
    parts = Path(found.get("PARTS", "").strip("'"))
    if parts.is_dir():
        files += sorted(parts.iterdir())
    return [path for path in files if path.is_file()]


def debian_sources_for(guest_codename: str) -> list[AptSource]:
    """The guest's APT sources: the host's Debian mirror entries, else Debian's defaults.

    ``$VPSLAB_MIRROR`` overrides discovery (a local mirror, a non-Debian host).
    """
    override = os.environ.get("VPSLAB_MIRROR")
    if override:
        return default_sources(guest_codename, override)
    codename = host_codename()
    if codename is not None:
        sources = guest_sources(read_source_files(_apt_source_files()), codename, guest_codename)
        if any(guest_codename in source.suites for source in sources):
            return sources
    return default_sources(guest_codename)
