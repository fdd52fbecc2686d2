"""The environment each phase runs with: the platform's, as the recipe's env blocks give it.

The build gets no secrets and no database, as on Fly.io and Upsun (and as Heroku advises), so
settings that need either to import fail here as they would there. The release and web phases
get everything, plus the rehearsal's own DATABASE_URL and PORT. Nothing from the user's shell
leaks in but PATH, HOME and the locale: a DJANGO_SETTINGS_MODULE or VIRTUAL_ENV of theirs would
make the rehearsal pass where the platform fails.
"""

from __future__ import annotations

import os
from pathlib import Path

from deploybook.compiler import Resolution

__all__ = ["phase_environment", "platform_host"]

_KEPT = ("HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")


def platform_host(resolution: Resolution) -> str | None:
    """The app's own host name: the first of DJANGO_ALLOWED_HOSTS."""
    hosts = resolution.platform_env().get("DJANGO_ALLOWED_HOSTS", "")
    return next((host.strip() for host in hosts.split(",") if host.strip()), None)


def phase_environment(
    phase: str, resolution: Resolution, *, venv_bin: Path, database_url: str, port: int | None = None
) -> dict[str, str]:
    env = {name: os.environ[name] for name in _KEPT if name in os.environ}
    env["PATH"] = f"{venv_bin}{os.pathsep}{os.environ.get('PATH', os.defpath)}"
    env["VIRTUAL_ENV"] = str(venv_bin.parent)
    # The copy is thrown away; bytecode would only slow the first import down a little.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    platform = resolution.platform_env()
    if phase == "build":
        secrets = set(resolution.secret_values)
        env |= {k: v for k, v in platform.items() if v not in secrets and k not in ("DATABASE_URL", "PORT")}
        return env
    env |= platform
    env["DATABASE_URL"] = database_url
    if port is not None:
        env["PORT"] = str(port)
    return env
