"""`run="ssh"` steps: how a command for the server becomes a local `ssh` argv.

This is the one place that decides it, so the VPS recipe can extend it (a port, a jump host)
without touching the runner. Variables it reads when the recipe declares them:
`host` (required), `ssh_user`, `ssh_key` and `ssh_port`.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping

from deploybook.compiler import ResolvedCommand
from deploybook.errors import DeployError

__all__ = ["ssh_argv"]


def ssh_argv(command: ResolvedCommand, values: Mapping[str, str]) -> tuple[str, ...]:
    """The local argv that runs `command` on the server.

    The remote side always goes through the login shell (that is how ssh works), so the argv
    is joined with shlex.join: each word arrives as exactly the one argument it was.
    """
    host = values.get("host")
    if not host:
        raise DeployError(
            "a run=\"ssh\" command needs the variable 'host'",
            hint="declare `host` in the recipe and give it with --set host=ADDRESS",
            location=command.command.span,
        )
    argv = ["ssh", "-o", "BatchMode=yes"]
    if values.get("ssh_key"):
        argv += ["-i", values["ssh_key"], "-o", "IdentitiesOnly=yes"]
    if values.get("ssh_port"):
        argv += ["-p", values["ssh_port"]]
    target = f"{values['ssh_user']}@{host}" if values.get("ssh_user") else host
    return (*argv, target, "--", shlex.join(command.argv))


SSH_VARIABLES = ("host", "ssh_user", "ssh_key", "ssh_port")


def connection_values(
    resolved: Mapping[str, str],
    declared: Mapping[str, tuple[str | None, str | None]],
    environ: Mapping[str, str],
    given: Mapping[str, str],
) -> dict[str, str]:
    """The ssh variables' values, also when no step text uses them (then `resolve` skips them).

    `declared` maps each declared ssh variable to its (env name, default without placeholders).
    """
    values = {name: resolved[name] for name in SSH_VARIABLES if name in resolved}
    for name, (env_name, default) in declared.items():
        if name in values:
            continue
        for found in (given.get(name), environ.get(env_name or f"DEPLOYBOOK_{name.upper()}"), default):
            if found:
                values[name] = found
                break
    return values
