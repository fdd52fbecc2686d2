"""Ask the project in development for the pages production failed to serve.

A page that fails the same way under `manage.py runserver` with the project's own development
settings (a link to a stylesheet that was never there, a template naming a URL that does not
exist) is a problem the project already has, not one the deploy made: the rehearsal reports it
as a warning. A page that works in development and fails in production stays a failure.

The development server runs in the rehearsal's copy, from its virtualenv, with none of the
platform's environment but DATABASE_URL (the rehearsal's migrated database, for settings that
read it). Development settings often name deploybook in INSTALLED_APPS, which production
leaves out, so this deploybook is put on the server's path. A development answer that is a
database error says nothing about the page, so it never turns a failure into a warning; nor
does a development server that cannot start (its output is in the report's logs).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import deploybook
from deploybook.rehearse._probes import request
from deploybook.rehearse._processes import free_port, web_server
from deploybook.rehearse._report import Check

__all__ = ["judge_against_development"]

_KEPT = ("HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")
_DATABASE_ERRORS = ("OperationalError", "ProgrammingError")


def judge_against_development(
    checks: list[Check], *, manage_dir: Path, venv_bin: Path, database_url: str, log: Path
) -> tuple[list[Check], str]:
    """`checks` with the failures development shares turned into warnings; and the server's output."""
    asked = [check for check in checks if not check.ok and check.path]
    if not asked:
        return checks, ""
    env = {name: os.environ[name] for name in _KEPT if name in os.environ}
    env |= {
        "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
        "VIRTUAL_ENV": str(venv_bin.parent),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(_deploybook_only(log.parent / "development-path")),
    }
    port = free_port()
    command = f"python manage.py runserver --noreload 127.0.0.1:{port}"
    judged = list(checks)
    with web_server(command, cwd=manage_dir, env=env, port=port, log=log) as server:
        if not server.running():
            return checks, server.output()
        for check in asked:
            answer = request(port, check.path or "/", "localhost", https=False)
            if answer.status != check.status or any(error in answer.text for error in _DATABASE_ERRORS):
                continue
            detail = f"{check.detail} (in development too: a problem the project already has)"
            judged[judged.index(check)] = dataclasses.replace(check, detail=detail, warning=True)
    return judged, server.output()


def _deploybook_only(folder: Path) -> Path:
    """A folder holding only a link to this deploybook package, for PYTHONPATH."""
    folder.mkdir(exist_ok=True)
    link = folder / "deploybook"
    if not link.exists():
        link.symlink_to(Path(deploybook.__file__).resolve().parent, target_is_directory=True)
    return folder
