"""What `ps` shows: every process's command line, sampled while something runs.

A command line is public: any user of the machine reads it in /proc/PID/cmdline (that is what
`ps` prints). `ProcessList` reads every process's command line over and over in a thread while
the block runs, and keeps each one it saw, so a test can check that no secret was ever in one:

    with ProcessList() as seen:
        ... run the deploy ...
    assert not seen.containing(secret)

A command that finishes between two samples is missed, so the stand-ins the tests run for
platform commands stay alive a little while (`LINGER`), several sampling rounds long, and a
test checks that the sampler did see each of them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

__all__ = ["LINGER", "LINGER_VARIABLE", "ProcessList"]

LINGER = 0.25
"""Seconds a stand-in stays alive when LINGER_VARIABLE asks it to: far longer than a round."""
LINGER_VARIABLE = "DEPLOYBOOK_FAKE_LINGER"
_PROC = Path("/proc")


class ProcessList:
    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.seen: set[tuple[str, ...]] = set()
        self.rounds = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ProcessList:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def containing(self, *values: str) -> list[tuple[str, ...]]:
        """The command lines seen that hold any of `values` anywhere in a word."""
        wanted = [value for value in values if value]
        return sorted(argv for argv in self.seen if any(value in word for word in argv for value in wanted))

    def saw(self, argv: Iterable[str]) -> bool:
        """Whether some process ran `argv`: its words, after the interpreter and script path of
        a script (a stand-in's command line is `python /path/to/fly secrets ...`)."""
        words = tuple(argv)
        for seen in self.seen:
            for start in range(len(seen)):
                head = seen[start]
                if (head == words[0] or head.endswith("/" + words[0])) and seen[start + 1 :] == words[1:]:
                    return True
        return False

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.seen.update(_command_lines())
            self.rounds += 1
            self._stop.wait(self.interval)
        self.seen.update(_command_lines())


def _command_lines() -> set[tuple[str, ...]]:
    found = set()
    for entry in os.scandir(_PROC):
        if not entry.name.isdigit():
            continue
        try:
            raw = (_PROC / entry.name / "cmdline").read_bytes()
        except OSError:  # it ended meanwhile, or is not ours to read
            continue
        if raw:
            found.add(tuple(raw.decode("utf-8", errors="replace").rstrip("\0").split("\0")))
    return found
