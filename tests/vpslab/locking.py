"""Advisory file locks (flock) shared by parallel test processes on one machine.

flock locks belong to an open file and vanish when the process dies, so a crashed test run
never leaves a lock behind: a later run that gets the lock knows the earlier owner is gone.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

__all__ = ["FileLock"]


class FileLock:
    """An exclusive or shared lock on ``path`` (created if missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._locked = False

    def acquire(self, *, shared: bool = False, blocking: bool = True) -> bool:
        """Take the lock; returns False only when ``blocking`` is off and someone holds it.

        Taking it again while held converts it (exclusive <-> shared), as flock does.
        """
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        flags = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        if not blocking:
            flags |= fcntl.LOCK_NB
        try:
            fcntl.flock(self._fd, flags)
        except BlockingIOError:
            # A failed conversion keeps the lock we had; a first attempt leaves nothing open.
            if not self._locked:
                self.release()
            return False
        self._locked = True
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None
        self._locked = False

    def fileno(self) -> int:
        """The locked descriptor: a child that inherits it keeps the lock alive until it exits."""
        if self._fd is None:
            raise ValueError(f"{self.path} is not locked")
        return self._fd

    @property
    def held(self) -> bool:
        return self._locked

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
