"""The OpenSSH client side: the session key, password logins, and the ssh command line.

The lab uses the real ``ssh`` binary, as a user and the deploy tool would, with options that
make it deterministic on any machine: no user config, no agent, no known_hosts, no prompts.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Literal

from .errors import LabError

__all__ = ["Auth", "base_options", "create_askpass", "create_session_key", "password_env"]

Auth = Literal["key", "password"]
_PASSWORD_VARIABLE = "VPSLAB_SSH_PASSWORD"


def create_session_key(directory: Path) -> Path:
    """A new passphrase-less ed25519 key pair in ``directory``; returns the private key path."""
    key = directory / "id_ed25519"
    result = subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vpslab-session", "-f", str(key)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise LabError(f"ssh-keygen failed: {result.stderr.strip()}")
    return key


def create_askpass(directory: Path) -> Path:
    """A helper that answers ssh's password prompt from the environment.

    OpenSSH reads passwords only from a terminal or an askpass program; this avoids sshpass
    (one more package) and keeps the password off the command line.
    """
    script = directory / "askpass"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "${_PASSWORD_VARIABLE}"\n')
    script.chmod(0o700)
    return script


def password_env(askpass: Path, password: str) -> dict[str, str]:
    return {
        "SSH_ASKPASS": str(askpass),
        "SSH_ASKPASS_REQUIRE": "force",
        _PASSWORD_VARIABLE: password,
    }


# Every server is new (no host key to check or remember), nothing may prompt, no user
# config or agent may change the outcome on a developer's machine.
_COMMON = {
    "StrictHostKeyChecking": "no",
    "UserKnownHostsFile": "/dev/null",
    "LogLevel": "ERROR",
    "ConnectTimeout": "10",
    "IdentityAgent": "none",
}
_KEY = {"BatchMode": "yes", "IdentitiesOnly": "yes"}
# BatchMode would forbid the askpass helper too; one prompt, so a wrong password fails fast.
_PASSWORD = {
    "BatchMode": "no",
    "PubkeyAuthentication": "no",
    "PreferredAuthentications": "password,keyboard-interactive",
    "NumberOfPasswordPrompts": "1",
}


def base_options(auth: Auth, key: Path | None) -> list[str]:
    """Options for ssh/scp/git (``GIT_SSH_COMMAND``) for a lab guest."""
    options = ["-F", "/dev/null", *_as_options(_COMMON)]
    if auth == "password":
        return [*options, *_as_options(_PASSWORD)]
    if key is None:
        raise LabError("this guest was created without an SSH key: use auth='password'")
    return [*options, *_as_options(_KEY), "-i", str(key)]


def _as_options(settings: dict[str, str]) -> list[str]:
    return [word for name, value in settings.items() for word in ("-o", f"{name}={value}")]
