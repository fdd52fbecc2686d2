"""Rehearsal: serve a configured project locally the way its platform would, then probe it.

    report = rehearse(project_root, resolution)   # RehearsalReport; report.ok, report.format()
    report = rehearse_prepared(prepared)          # after deploybook.runtime.prepare(request)

It copies the project, installs its dependencies from its own dependency files into a fresh
virtualenv, runs the recipe's `processes` (build, release, web) with the platform's environment
against a real database, and sends the requests the platform and browsers would send.
"""

from __future__ import annotations

from deploybook.errors import RehearsalError
from deploybook.rehearse._rehearse import rehearse, rehearse_prepared
from deploybook.rehearse._report import Check, RehearsalReport
from deploybook.rehearse._values import rehearsal_resolution

__all__ = ["Check", "RehearsalError", "RehearsalReport", "rehearsal_resolution", "rehearse", "rehearse_prepared"]
