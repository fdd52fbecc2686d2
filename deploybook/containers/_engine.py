"""Which container tool to use, and the flags this machine needs for it.

podman is preferred (it needs no daemon), then docker. Some machines need extra flags: a host
with hybrid cgroups and a capped process limit runs podman only as
`podman --runtime runc --cgroup-manager=cgroupfs` with explicit ulimits. Those go in
`DEPLOYBOOK_CONTAINER_GLOBAL_FLAGS`, `DEPLOYBOOK_CONTAINER_BUILD_FLAGS` and
`DEPLOYBOOK_CONTAINER_RUN_FLAGS` (split like a shell would), and `DEPLOYBOOK_CONTAINER_ENGINE`
names the tool when both are installed, or is `none` to rehearse without containers.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping

from deploybook.records import record

__all__ = ["Engine", "find_engine"]

ENGINES = ("podman", "docker")


@record
class Engine:
    """A container tool: its program and the flags every call, build and run gets."""

    program: str
    global_flags: tuple[str, ...] = ()
    build_flags: tuple[str, ...] = ()
    run_flags: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return os.path.basename(self.program)

    def argv(self, *args: str) -> list[str]:
        return [self.program, *self.global_flags, *args]


def find_engine(environ: Mapping[str, str] | None = None) -> Engine | None:
    """podman or docker from PATH (or the one the environment names), or None."""
    env = os.environ if environ is None else environ
    wanted = env.get("DEPLOYBOOK_CONTAINER_ENGINE")
    if wanted == "none":
        return None
    for name in (wanted,) if wanted else ENGINES:
        program = shutil.which(name)
        if program is not None:
            return Engine(
                program,
                tuple(shlex.split(env.get("DEPLOYBOOK_CONTAINER_GLOBAL_FLAGS", ""))),
                tuple(shlex.split(env.get("DEPLOYBOOK_CONTAINER_BUILD_FLAGS", ""))),
                tuple(shlex.split(env.get("DEPLOYBOOK_CONTAINER_RUN_FLAGS", ""))),
            )
    return None
