"""What goes into the guest image, and the cache key derived from it.

The key covers everything that changes the image: release, packages, APT sources, the host's
CA certificates (they are baked in) and the code that customises the image. A change to any
of them builds a new image instead of silently reusing a stale one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from . import customize
from .aptsources import AptSource
from .host import ca_bundle, debian_sources_for

__all__ = ["DEFAULT_PACKAGES", "PYPI_HOSTS", "ImageRecipe", "default_recipe"]

# A fresh cloud VPS: systemd as init, SSH, sudo, Python, TLS roots, ip, D-Bus and logind.
DEFAULT_PACKAGES = (
    "systemd",
    "systemd-sysv",
    "openssh-server",
    "sudo",
    "python3",
    "ca-certificates",
    "iproute2",
    "dbus",
    "libpam-systemd",
)
PYPI_HOSTS = ("pypi.org", "files.pythonhosted.org")


@dataclass(frozen=True, slots=True)
class ImageRecipe:
    """Inputs of one image build (debootstrap --variant=minbase plus customisation)."""

    codename: str
    sources: tuple[AptSource, ...]
    ca_bundle: Path
    packages: tuple[str, ...] = DEFAULT_PACKAGES
    variant: str = "minbase"
    extra_registry_hosts: tuple[str, ...] = field(default=PYPI_HOSTS)

    @property
    def mirror(self) -> str:
        """The source debootstrap fetches from: the one carrying the release itself."""
        for source in self.sources:
            if self.codename in source.suites:
                return source.uri
        return self.sources[0].uri

    @property
    def registry_hosts(self) -> tuple[str, ...]:
        """Names the guest may reach through the forwarder: its APT mirrors and PyPI."""
        hosts = [source.host for source in self.sources] + list(self.extra_registry_hosts)
        return tuple(dict.fromkeys(h for h in hosts if h))

    def key(self) -> str:
        described = {
            "codename": self.codename,
            "variant": self.variant,
            "packages": sorted(self.packages),
            "sources": [[s.uri, list(s.suites), list(s.components)] for s in self.sources],
            "ca": hashlib.sha256(self.ca_bundle.read_bytes()).hexdigest(),
            "customize": hashlib.sha256(Path(customize.__file__).read_bytes()).hexdigest(),
        }
        digest = hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()
        return f"{self.codename}-{digest[:16]}"

    def describe(self) -> dict[str, object]:
        """A readable record stored next to the cached image."""
        return {
            "codename": self.codename,
            "variant": self.variant,
            "mirror": self.mirror,
            "packages": list(self.packages),
            "sources": [s.uri + " " + " ".join(s.suites) for s in self.sources],
            "ca_bundle": str(self.ca_bundle),
            "key": self.key(),
        }


def default_recipe(codename: str = "bookworm") -> ImageRecipe:
    """The standard lab image for ``codename``, with sources and CAs discovered on the host."""
    return ImageRecipe(
        codename=codename,
        sources=tuple(debian_sources_for(codename)),
        ca_bundle=ca_bundle(),
    )
