"""Slots: one per test process, so parallel runs get separate bridges, subnets and dirs.

A slot is owned by whoever holds its lock file. Bridges and subnets are machine-wide, so the
locks and the records of running guests live in the machine-wide ``runtime_dir()`` (not in a
checkout: two checkouts on one machine share the bridges). A lock dies with its process, so
a slot whose lock we obtain may still hold the remains of a crashed run: guests that outlived
it, their veths, the bridge, their disks. ``claim_slot`` clears those before handing the slot
out, which is why a crash never breaks the next run. Anything on the slot's bridge that no
lock accounts for (a guest started by hand, an older harness) is never destroyed: the slot is
skipped instead.
"""

from __future__ import annotations

import ipaddress
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import LabError
from .host import runtime_dir
from .locking import FileLock
from .network import SlotNetwork, delete_link, link_names, subnet_taken
from .processes import ProcessRecord, read_record, terminate

__all__ = ["SLOT_COUNT", "Slot", "claim_slot"]

SLOT_COUNT = 32  # 10.213.7.0/24 .. 10.213.38.0/24
_TCP_LISTEN = "0A"


@dataclass
class Slot:
    network: SlotNetwork
    directory: Path  # guest disks and console logs, in the project's cache
    pid_directory: Path  # records of this slot's running guests, machine-wide
    lock: FileLock

    def release(self) -> None:
        self.lock.release()


def claim_slot(cache_dir: Path) -> Slot:
    """The first free slot whose subnet nothing else uses, cleared of a dead run's leftovers."""
    runtime = runtime_dir()
    for index in range(SLOT_COUNT):
        lock = FileLock(runtime / "locks" / f"slot-{index}.lock")
        if not lock.acquire(blocking=False):
            continue  # a live run owns it
        network = SlotNetwork(index)
        pid_directory = runtime / f"slot-{index}"
        _end_guests_of_dead_runs(pid_directory)
        if _used_without_lock(network) or subnet_taken(network.network, ignore=network):
            lock.release()
            continue
        for name in link_names():
            if network.owns_link(name):
                delete_link(name)
        directory = cache_dir / "run" / f"slot-{index}"
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        pid_directory.mkdir(parents=True, exist_ok=True)
        return Slot(network, directory, pid_directory, lock)
    raise LabError(
        f"all {SLOT_COUNT} lab slots are busy or their subnets (10.213.7-38.0/24) are used by "
        "other interfaces; end other test runs or free those subnets"
    )


def _end_guests_of_dead_runs(pid_directory: Path) -> None:
    # We hold the slot's lock, so whoever recorded these guests is gone.
    for pid_file in pid_directory.glob("*.pid"):
        record = read_record(pid_file)
        # Only a process that is still that nspawn: the pid may belong to someone else now.
        if record is not None and record.is_alive() and _is_nspawn(record.command_line()):
            terminate(record)
        pid_file.unlink(missing_ok=True)


def _is_nspawn(argv: list[str]) -> bool:
    return bool(argv) and Path(argv[0]).name == "systemd-nspawn"


def _used_without_lock(network: SlotNetwork) -> bool:
    """A guest on the slot's bridge, or a listener on its host address, that we know nothing of."""
    bridge_option = f"--network-bridge={network.bridge}"
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            argv = ProcessRecord(int(entry.name), 0).command_line()
            if _is_nspawn(argv) and bridge_option in argv:
                return True
    return _listening_on(network.host_address)


def _listening_on(address: ipaddress.IPv4Address) -> bool:
    # /proc/net/tcp prints each address as the kernel's 32-bit word in native byte order.
    wanted = format(int.from_bytes(address.packed, sys.byteorder), "08X")
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return False
    for line in lines:
        fields = line.split()
        if fields[1].split(":")[0] == wanted and fields[3] == _TCP_LISTEN:
            return True
    return False
