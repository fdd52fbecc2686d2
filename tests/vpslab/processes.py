"""Finding and ending processes by pid, safely against pid reuse.

Used for leftovers of a crashed run: a pid file alone could name an unrelated process that
got the same number later, so each record also keeps the process's start time.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

__all__ = ["ProcessRecord", "read_record", "terminate", "write_record"]


class ProcessRecord:
    """A pid plus its kernel start time: together they name one process for good."""

    def __init__(self, pid: int, start_time: int) -> None:
        self.pid = pid
        self.start_time = start_time

    @classmethod
    def of(cls, pid: int) -> ProcessRecord | None:
        start = _start_time(pid)
        return None if start is None else cls(pid, start)

    def is_alive(self) -> bool:
        return _start_time(self.pid) == self.start_time

    def command_line(self) -> list[str]:
        try:
            raw = Path(f"/proc/{self.pid}/cmdline").read_bytes()
        except OSError:
            return []
        return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _start_time(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Fields after the command name (field 2, which may contain spaces): state is field 3,
    # starttime field 22. A zombie has finished for our purposes.
    fields = stat.rpartition(")")[2].split()
    return None if fields[0] == "Z" else int(fields[19])


def write_record(path: Path, pid: int) -> None:
    record = ProcessRecord.of(pid)
    if record is not None:
        path.write_text(f"{record.pid} {record.start_time}\n")


def read_record(path: Path) -> ProcessRecord | None:
    try:
        pid, start = path.read_text().split()
        return ProcessRecord(int(pid), int(start))
    except (OSError, ValueError):
        return None


def terminate(record: ProcessRecord, *, grace: float = 20.0) -> None:
    """SIGTERM (nspawn then powers the guest off in order), SIGKILL after ``grace`` seconds."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        if not record.is_alive():
            return
        try:
            os.kill(record.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and record.is_alive():
            time.sleep(0.1)
