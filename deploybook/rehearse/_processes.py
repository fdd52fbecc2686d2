"""Running the platform's commands: build and release to completion, web in the background.

Commands run in the platform's shell (`sh -c`), as the recipe's processes block says, in a
process group of their own: stopping the web server stops gunicorn's workers too, and nothing
outlives the rehearsal.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from deploybook.records import record

__all__ = ["PhaseResult", "WebServer", "free_port", "run_phase", "web_server"]

PHASE_TIMEOUT = 300.0  # seconds: a build or migration that takes longer is stuck
READY_TIMEOUT = 60.0  # seconds for the web server to accept connections
STOP_TIMEOUT = 10.0  # seconds between SIGTERM and SIGKILL


@record
class PhaseResult:
    returncode: int
    output: str


def run_phase(command: str, *, cwd: Path, env: Mapping[str, str]) -> PhaseResult:
    process = subprocess.Popen(
        ["sh", "-c", command],
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=PHASE_TIMEOUT)
    except subprocess.TimeoutExpired:
        _stop_group(process)
        output, _ = process.communicate()
        return PhaseResult(-1, f"{output}\n(stopped after {PHASE_TIMEOUT:.0f} s)")
    return PhaseResult(process.returncode, output)


@dataclass
class WebServer:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def running(self) -> bool:
        return self.process.poll() is None


@contextmanager
def web_server(command: str, *, cwd: Path, env: Mapping[str, str], port: int, log: Path) -> Iterator[WebServer]:
    """Start the web command; yields once it accepts connections or has exited (check `running`)."""
    with log.open("wb") as sink:
        process = subprocess.Popen(
            ["sh", "-c", command],
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = WebServer(process, port, log)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        _stop_group(process)


def _wait_until_ready(server: WebServer) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline and server.running():
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)


def _stop_group(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    if process.poll() is not None:
        _kill_leftovers(process.pid)
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass
    _kill_leftovers(process.pid)


def _kill_leftovers(group: int) -> None:
    # A worker may outlive its master by a moment; the group id still names it.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
