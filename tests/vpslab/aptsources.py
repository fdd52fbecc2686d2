"""Read the host's APT sources and derive the guest's from them.

The guest must fetch from the same Debian mirror as the host: on a locked-down machine that
mirror is the only one reachable, and a hard-coded one would be wrong on the next machine.
Both source formats are understood: one-line ``.list`` files and deb822 ``.sources`` files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "AptSource",
    "default_sources",
    "guest_sources",
    "parse_deb822",
    "parse_one_line",
    "read_source_files",
    "render_deb822",
]

# Suites of one release that a stock Debian server lists: the release, its updates, security.
_SUITE_SUFFIXES = ("", "-updates", "-security")


@dataclass(frozen=True, slots=True)
class AptSource:
    """One enabled binary-package source: where, which suites, which components."""

    uri: str
    suites: tuple[str, ...]
    components: tuple[str, ...]

    @property
    def host(self) -> str:
        return urlsplit(self.uri).hostname or ""


def parse_one_line(text: str) -> list[AptSource]:
    """Entries of a ``sources.list`` file; ``deb-src`` and commented lines are skipped."""
    sources = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        # "[arch=amd64 signed-by=...]" options carry nothing the guest needs.
        line = re.sub(r"\[[^\]]*\]", " ", line)
        fields = line.split()
        if len(fields) >= 3 and fields[0] == "deb":
            sources.append(AptSource(fields[1], (fields[2],), tuple(fields[3:])))
    return sources


def parse_deb822(text: str) -> list[AptSource]:
    """Entries of a deb822 ``.sources`` file, without disabled or source-only stanzas."""
    sources = []
    for stanza in re.split(r"\n\s*\n", text):
        fields = _deb822_fields(stanza)
        if fields.get("enabled", "yes").lower() == "no":
            continue
        if "deb" not in fields.get("types", "").split():
            continue
        suites = tuple(fields.get("suites", "").split())
        for uri in fields.get("uris", "").split():
            sources.append(AptSource(uri, suites, tuple(fields.get("components", "").split())))
    return sources


def _deb822_fields(stanza: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    key = None
    for line in stanza.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line[0].isspace() and key is not None:  # continuation of a multi-line value
            fields[key] += " " + line.strip()
            continue
        key, _, value = line.partition(":")
        key = key.strip().lower()
        fields[key] = value.strip()
    return fields


def read_source_files(paths: Iterable[Path]) -> list[AptSource]:
    """All enabled sources in the given files, in order; unknown file types are ignored."""
    sources: list[AptSource] = []
    for path in paths:
        if path.suffix == ".list":
            sources += parse_one_line(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix == ".sources":
            sources += parse_deb822(path.read_text(encoding="utf-8", errors="replace"))
    return sources


def guest_sources(host_sources: Iterable[AptSource], host_codename: str, guest_codename: str) -> list[AptSource]:
    """The host's Debian entries (release, updates, security), retargeted to the guest's release.

    Third-party repositories (their suites are not the host's release) are left out: the guest
    is a fresh Debian server, and the forwarder would refuse their hosts anyway.
    """
    wanted = {host_codename + suffix: guest_codename + suffix for suffix in _SUITE_SUFFIXES}
    result = []
    for source in host_sources:
        suites = tuple(wanted[s] for s in source.suites if s in wanted)
        if suites:
            result.append(AptSource(source.uri, suites, source.components))
    return result


def default_sources(codename: str, mirror: str = "http://deb.debian.org/debian") -> list[AptSource]:
    """Debian's documented defaults, for hosts whose own sources say nothing usable."""
    security = mirror.rstrip("/") + "-security"
    return [
        AptSource(mirror, (codename, codename + "-updates"), ("main",)),
        AptSource(security, (codename + "-security",), ("main",)),
    ]


def render_deb822(sources: Iterable[AptSource]) -> str:
    """The guest's ``/etc/apt/sources.list.d/debian.sources`` (Debian's own format since 12)."""
    stanzas = []
    for source in sources:
        stanzas.append(
            "Types: deb\n"
            f"URIs: {source.uri}\n"
            f"Suites: {' '.join(source.suites)}\n"
            f"Components: {' '.join(source.components)}\n"
            "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
        )
    return "\n".join(stanzas)
