"""Running one command as an argv list, streaming its output lines while it runs."""

from __future__ import annotations

import os
import selectors
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from deploybook.records import record

__all__ = ["Finished", "run_streaming"]


@record
class Finished:
    returncode: int
    stdout: str
    output: tuple[str, ...]
    """stdout and stderr lines, interleaved as they arrived."""


def run_streaming(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    on_line: Callable[[str], None],
    stdin: str | None = None,
) -> Finished:
    """Run `argv` (never through a shell), calling `on_line` for each line as it arrives.

    `stdin` is written to the command's standard input through a pipe (so a secret given this
    way is never in a process list), which is then closed; without it stdin is closed from the
    start: a deploy step that waits for an answer would hang forever otherwise. A program that
    cannot be started gives returncode 127, as a shell would.
    """
    try:
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as error:
        message = f"cannot run {argv[0]}: {error.strerror or error}"
        on_line(message)
        return Finished(127, "", (message,))
    try:
        return _collect(process, stdin, on_line)
    except BaseException:
        # Stopped (a signal, an error in `on_line`): the command must not run on unwatched.
        _stop(process)
        raise


def _collect(process: subprocess.Popen[bytes], stdin: str | None, on_line: Callable[[str], None]) -> Finished:
    assert process.stdout is not None and process.stderr is not None
    if stdin is not None:
        _feed(process, stdin.encode("utf-8"))
    stdout: list[bytes] = []
    lines: list[str] = []
    pending = {process.stdout.fileno(): b"", process.stderr.fileno(): b""}
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    selector.register(process.stderr, selectors.EVENT_READ)
    open_streams = 2
    while open_streams:
        for key, _ in selector.select():
            fd = key.fd
            chunk = os.read(fd, 65536)
            if fd == process.stdout.fileno():
                stdout.append(chunk)
            if not chunk:
                selector.unregister(key.fileobj)
                open_streams -= 1
                if pending[fd]:
                    _emit(pending[fd], lines, on_line)
                continue
            *complete, pending[fd] = (pending[fd] + chunk).split(b"\n")
            for raw in complete:
                _emit(raw, lines, on_line)
    selector.close()
    returncode = process.wait()
    process.stdout.close()
    process.stderr.close()
    return Finished(returncode, b"".join(stdout).decode("utf-8", errors="replace"), tuple(lines))


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _feed(process: subprocess.Popen[bytes], data: bytes) -> None:
    # Written before reading the output: here-documents are small (a few variables), far below
    # the pipe's buffer, so the command cannot block on its own output meanwhile.
    assert process.stdin is not None
    try:
        process.stdin.write(data)
        process.stdin.close()
    except BrokenPipeError:
        pass  # the command did not read it all; its exit status tells what happened


def _emit(raw: bytes, lines: list[str], on_line: Callable[[str], None]) -> None:
    line = raw.decode("utf-8", errors="replace").rstrip("\r")
    lines.append(line)
    on_line(line)
