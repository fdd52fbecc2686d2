"""Stopping a deploy: SIGINT, SIGTERM and SIGHUP all mean "stop now, and undo what you can".

While a deploy changes the project, all three raise `Stopped` (a KeyboardInterrupt, so every
cleanup path that handles Ctrl-C handles them too). Inside `shielded()` — a rollback, the step
between a commit and marking it done — a signal is only recorded: the work finishes, so what
the user is told afterwards is true. SIGKILL cannot be caught; the journal covers it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["STOP_SIGNALS", "Stopped", "shielded", "stoppable"]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """A stop signal arrived; `signum` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _State:
    shield_depth = 0
    pending: int | None = None


_state = _State()


def _handler(signum: int, frame: FrameType | None) -> None:
    if _state.shield_depth:
        _state.pending = _state.pending or signum
        return
    raise Stopped(signum)


@contextmanager
def stoppable() -> Iterator[None]:
    """Within this block the stop signals raise Stopped (outside the main thread: as before)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _handler) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def shielded(*, raise_after: bool = True) -> Iterator[None]:
    """Finish this block whatever signal arrives. A signal that came meanwhile is raised once
    the block is done, if `raise_after`; a cleanup that runs because of a stop (a rollback)
    passes False, since the deploy is stopping already."""
    _state.shield_depth += 1
    try:
        yield
    finally:
        _state.shield_depth -= 1
        pending = _state.pending if _state.shield_depth == 0 else None
        if pending is not None:
            _state.pending = None
    if pending is not None and raise_after:
        raise Stopped(pending)
