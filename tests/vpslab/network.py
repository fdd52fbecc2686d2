"""Host-only bridges: the guests' whole network, reachable from the host and nowhere else.

Each lab slot (one per test process) owns one bridge and one /24. The host end gets ``.1``,
guests ``.2`` upwards. Nothing is routed or NATed: forwarding is switched off on the bridge
itself, so even a guest that adds a default route via the host cannot leave the bridge.
"""

from __future__ import annotations

import ipaddress
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import LabError

__all__ = ["SlotNetwork", "create_bridge", "delete_link", "link_names", "subnet_taken"]

_FIRST_SUBNET = ipaddress.IPv4Network("10.213.7.0/24")


@dataclass(frozen=True, slots=True)
class SlotNetwork:
    """Names and addresses of one slot: bridge ``vlabN``, guests ``vlabN-gM``, subnet N+7."""

    index: int

    @property
    def bridge(self) -> str:
        return f"vlab{self.index}"

    @property
    def network(self) -> ipaddress.IPv4Network:
        base = int(_FIRST_SUBNET.network_address) + self.index * 256
        return ipaddress.IPv4Network((base, 24))

    @property
    def host_address(self) -> ipaddress.IPv4Address:
        return self.network.network_address + 1

    def guest_address(self, number: int) -> ipaddress.IPv4Address:
        if not 1 <= number <= 253:
            raise LabError(f"guest number {number} is outside 1..253 (one /24 per slot)")
        return self.network.network_address + 1 + number

    def machine_name(self, number: int) -> str:
        # Short on purpose: nspawn names the host end of the veth "vb-<machine>", and
        # interface names have at most 15 characters.
        return f"{self.bridge}-g{number}"

    def owns_link(self, name: str) -> bool:
        return name == self.bridge or name.startswith(f"vb-{self.bridge}-")


def _ip(*args: str) -> str:
    result = subprocess.run(["ip", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise LabError(f"`ip {' '.join(args)}` failed: {result.stderr.strip()}")
    return result.stdout


def link_names() -> list[str]:
    return [str(link["ifname"]) for link in json.loads(_ip("-j", "link", "show") or "[]")]


def subnet_taken(network: ipaddress.IPv4Network, *, ignore: SlotNetwork) -> bool:
    """Whether a route of some other interface overlaps ``network`` (a VPN, a docker net)."""
    for route in json.loads(_ip("-j", "-4", "route", "show", "table", "all") or "[]"):
        destination, device = str(route.get("dst", "")), str(route.get("dev", ""))
        if destination in ("", "default") or ignore.owns_link(device):
            continue
        try:
            if ipaddress.IPv4Network(destination, strict=False).overlaps(network):
                return True
        except ValueError:
            continue
    return False


def delete_link(name: str) -> None:
    if name in link_names():
        _ip("link", "delete", name)


def create_bridge(slot: SlotNetwork) -> None:
    """A fresh bridge with the host address; an old one of the same name is replaced."""
    delete_link(slot.bridge)
    _ip("link", "add", slot.bridge, "type", "bridge")
    _set_sysctl(f"net/ipv4/conf/{slot.bridge}/forwarding", "0")
    _set_sysctl(f"net/ipv6/conf/{slot.bridge}/disable_ipv6", "1")
    _ip("address", "add", f"{slot.host_address}/{slot.network.prefixlen}", "dev", slot.bridge)
    _ip("link", "set", slot.bridge, "up")


def _set_sysctl(key: str, value: str) -> None:
    path = Path("/proc/sys") / key
    if path.exists():  # IPv6 may be off entirely, then there is nothing to disable
        path.write_text(value)
