"""Build an image from a project folder, and run it as the platform would: one container
listening on `$PORT` of the host's network, with the platform's environment."""

from __future__ import annotations

import os
import secrets
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from deploybook.containers._engine import Engine
from deploybook.errors import DeploybookError

__all__ = ["Container", "build_image", "run_container"]


def build_image(engine: Engine, context: Path, tag: str) -> str:
    """Build ``context``'s Dockerfile as ``tag``; the build's output, or an error that holds it."""
    argv = engine.argv("build", *engine.build_flags, "--tag", tag, str(context))
    done = subprocess.run(argv, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise DeploybookError(
            f"{engine.name} build failed for {context}:\n{_tail(output)}",
            hint="Fix the Dockerfile or the project, then build it yourself to see the whole output.",
        )
    return output


@dataclass(slots=True)
class Container:
    """A running container; ``stop()`` removes it."""

    engine: Engine
    name: str

    def exec(self, *argv: str, user: str | None = None) -> subprocess.CompletedProcess[str]:
        who = ("--user", user) if user else ()
        command = self.engine.argv("exec", *who, self.name, *argv)
        return subprocess.run(command, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)

    def logs(self) -> str:
        done = subprocess.run(
            self.engine.argv("logs", self.name), capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
        )
        return done.stdout + done.stderr

    def running(self) -> bool:
        argv = self.engine.argv("inspect", "--format", "{{.State.Running}}", self.name)
        done = subprocess.run(argv, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
        return done.stdout.strip() == "true"

    def exit_code(self) -> int | None:
        argv = self.engine.argv("inspect", "--format", "{{.State.ExitCode}}", self.name)
        done = subprocess.run(argv, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
        return int(done.stdout.strip()) if done.stdout.strip().lstrip("-").isdigit() else None

    def stop(self) -> None:
        argv = self.engine.argv("rm", "--force", "--time", "5", self.name)
        subprocess.run(argv, capture_output=True, check=False, stdin=subprocess.DEVNULL)


def run_container(
    engine: Engine,
    tag: str,
    environment: Mapping[str, str],
    command: list[str] | None = None,
    *,
    extra: tuple[str, ...] = (),
) -> Container:
    """Start ``tag`` on the host's network. The environment goes in a file only the engine
    reads (an ``--env-file`` named on the command line, never the values), because it holds
    the secret key."""
    name = f"deploybook-{secrets.token_hex(4)}"
    env_file = _env_file(environment)
    try:
        argv = engine.argv(
            "run", "--detach", "--name", name, "--network", "host", *engine.run_flags, *extra,
            "--env-file", str(env_file), tag, *(command or []),
        )  # fmt: skip
        done = subprocess.run(argv, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    finally:
        env_file.unlink(missing_ok=True)
    if done.returncode != 0:
        raise DeploybookError(
            f"{engine.name} could not start the image {tag}:\n{_tail(done.stdout + done.stderr)}",
            hint=f"Run `{engine.name} run {tag}` yourself to see why.",
        )
    return Container(engine, name)


def _env_file(environment: Mapping[str, str]) -> Path:
    descriptor, path = tempfile.mkstemp(prefix="deploybook-env-", suffix=".env")
    with os.fdopen(descriptor, "w") as handle:  # mkstemp makes it readable by its owner only
        for key, value in environment.items():
            handle.write(f"{key}={value}\n")
    return Path(path)


def _tail(output: str, lines: int = 30) -> str:
    return "\n".join(output.strip().splitlines()[-lines:])
