"""vpslab: boot real Debian servers (systemd-nspawn guests) for end-to-end tests.

Each guest behaves like a freshly created cloud VPS: systemd as PID 1, root SSH login with
a key and/or a password, its own address on a host-only bridge, and package registries
(Debian's mirror, PyPI) reachable through an allow-listed forwarder on the host, nothing else.

Start at ``Lab.open()`` (library use) or the pytest fixtures in ``tests.vpslab.fixtures``.
"""

from __future__ import annotations

from .errors import LabError, LabUnavailable
from .forwarder import Connection, Forwarder
from .guest import Guest, GuestCommandError
from .host import default_cache_dir, unavailable_reason
from .image import Image, ensure_image
from .lab import Lab
from .recipe import ImageRecipe, default_recipe

__all__ = [
    "Connection",
    "Forwarder",
    "Guest",
    "GuestCommandError",
    "Image",
    "ImageRecipe",
    "Lab",
    "LabError",
    "LabUnavailable",
    "default_cache_dir",
    "default_recipe",
    "ensure_image",
    "unavailable_reason",
]
