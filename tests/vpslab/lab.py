"""The lab of one test process: image, bridge, registry forwarder, SSH key, and its guests.

    with Lab.open() as lab:
        guest = lab.boot()
        guest.ssh("systemctl is-system-running --wait", check=True)

Opening is the expensive part (image build on the first run, ~1.5 min; then under a second),
so the pytest plugin keeps one lab per session and boots a fresh guest per test.
"""

from __future__ import annotations

import ipaddress
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from .errors import LabError, LabUnavailable
from .forwarder import Forwarder
from .guest import Guest
from .host import default_cache_dir, unavailable_reason
from .image import Image, ensure_image
from .network import create_bridge, delete_link
from .recipe import ImageRecipe, default_recipe
from .seed import GuestSeed, seed_guest
from .slots import Slot, claim_slot
from .sshclient import create_askpass, create_session_key

__all__ = ["REGISTRY_PORTS", "Lab"]

REGISTRY_PORTS = (80, 443)  # APT over http, PyPI over https (either works for both)


class Lab:
    """Use ``Lab.open()``; the constructor only assembles already-started parts."""

    def __init__(
        self,
        image: Image,
        recipe: ImageRecipe,
        slot: Slot,
        forwarder: Forwarder,
        keys: Path,
        *,
        owns_image: bool = False,
    ) -> None:
        self.image = image
        self.recipe = recipe
        self.slot = slot
        self.forwarder = forwarder
        self.ssh_key = keys / "id_ed25519"
        self._keys = keys
        self._askpass = create_askpass(keys)
        self._guests: list[Guest] = []
        self._numbers = 0
        self._owns_image = owns_image

    @classmethod
    def open(
        cls,
        recipe: ImageRecipe | None = None,
        cache_dir: Path | None = None,
        image: Image | None = None,
    ) -> Lab:
        """Check the machine, get the image (build or reuse), claim a slot, start the network.

        Pass ``image`` to share one already obtained; the lab then leaves it open on close.
        Raises LabUnavailable when this machine cannot run guests at all.
        """
        reason = unavailable_reason()
        if reason is not None:
            raise LabUnavailable(reason)
        cache_dir = cache_dir or default_cache_dir()
        recipe = recipe or default_recipe()
        owns_image = image is None
        image = image or ensure_image(recipe, cache_dir)
        slot = None
        keys = Path(tempfile.mkdtemp(prefix="vpslab-keys-"))
        try:
            create_session_key(keys)
            slot = claim_slot(cache_dir)
            create_bridge(slot.network)
            forwarder = Forwarder(str(slot.network.host_address), REGISTRY_PORTS, recipe.registry_hosts)
            forwarder.start()
        except BaseException:
            if slot is not None:
                delete_link(slot.network.bridge)
                slot.release()
            if owns_image:
                image.close()
            shutil.rmtree(keys, ignore_errors=True)
            raise
        return cls(image, recipe, slot, forwarder, keys, owns_image=owns_image)

    @property
    def host_address(self) -> str:
        """The host's end of the bridge; guests reach the registries through it."""
        return str(self.slot.network.host_address)

    @property
    def bridge(self) -> str:
        return self.slot.network.bridge

    @property
    def guests(self) -> list[Guest]:
        return list(self._guests)

    def create(self, *, root_password: str | None = None, authorized_key: bool = True) -> Guest:
        """A new guest, not yet started: like a VPS ordered but not powered on.

        ``authorized_key`` puts the lab's session key into root's authorized_keys;
        ``root_password`` sets root's password and allows password logins for root.
        At least one of them is needed, or nobody could log in.
        """
        if not authorized_key and root_password is None:
            raise LabError("a guest needs authorized_key=True or a root_password to be reachable")
        self._numbers += 1
        network = self.slot.network
        name = network.machine_name(self._numbers)
        address = network.guest_address(self._numbers)
        directory = self.slot.directory / name
        (directory / "upper").mkdir(parents=True)
        seed = GuestSeed(
            name=name,
            interface=ipaddress.IPv4Interface(f"{address}/{network.network.prefixlen}"),
            registry_address=network.host_address,
            registry_hosts=self.recipe.registry_hosts,
            authorized_key=self.ssh_key.with_suffix(".pub").read_text() if authorized_key else None,
            root_password=root_password,
        )
        host_key = seed_guest(self.image.rootfs, directory / "upper", seed)
        guest = Guest(
            name=name,
            address=str(address),
            bridge=network.bridge,
            image_root=self.image.rootfs,
            directory=directory,
            pid_file=self.slot.pid_directory / f"{name}.pid",
            ssh_key=self.ssh_key if authorized_key else None,
            root_password=root_password,
            askpass=self._askpass,
            host_public_key=host_key,
        )
        self._guests.append(guest)
        return guest

    def boot(self, *, root_password: str | None = None, authorized_key: bool = True, timeout: float = 90.0) -> Guest:
        """A new guest, booted and answering SSH."""
        guest = self.create(root_password=root_password, authorized_key=authorized_key)
        guest.start()
        try:
            guest.wait_ssh(timeout)
        except BaseException:
            guest.close()
            raise
        return guest

    def close(self) -> None:
        """Stop every guest, the forwarder and the bridge; delete disks and keys."""
        try:
            for guest in self._guests:
                guest.close()
            self._guests.clear()
            self.forwarder.stop()
            delete_link(self.bridge)
            shutil.rmtree(self.slot.directory, ignore_errors=True)
            shutil.rmtree(self._keys, ignore_errors=True)
        finally:
            self.slot.release()
            if self._owns_image:
                self.image.close()

    def __enter__(self) -> Lab:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
