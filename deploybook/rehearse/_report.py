"""What a rehearsal found: one Check per thing it tried, and a short text report."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from deploybook.records import record

__all__ = ["Check", "RehearsalReport"]


@record
class Check:
    name: str
    """What was tried, e.g. "release: python manage.py migrate --noinput"."""
    ok: bool
    detail: str = ""
    """Why it failed, or a short note on what was seen."""
    path: str | None = None
    """The page a failed probe asked for, to ask again of the project in development."""
    status: int | None = None
    """The status that page answered with."""
    warning: bool = False
    """Failed, but the project fails the same way in development: a problem it already has."""


@record
class RehearsalReport:
    recipe: str
    choices: dict[str, str]
    checks: tuple[Check, ...]
    workdir: Path | None = None
    """Where the rehearsal ran (kept only when asked, for looking into a failure)."""
    logs: dict[str, str] = field(default_factory=dict)
    """The output of each phase, by phase name: build, release, web."""

    @property
    def ok(self) -> bool:
        return bool(self.checks) and not self.failures

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.ok and not check.warning)

    @property
    def warnings(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.warning)

    def format(self) -> str:
        """The report as printed: one line per check, then the verdict."""
        choices = " ".join(f"{k}={v}" for k, v in self.choices.items())
        lines = [f"Rehearsal of {self.recipe} ({choices}):"]
        for check in self.checks:
            mark = "ok  " if check.ok else "warn" if check.warning else "FAIL"
            lines.append(f"  {mark} {check.name}" + (f": {check.detail}" if check.detail else ""))
        failed = len(self.failures)
        warned = len(self.warnings)
        if self.ok and warned:
            lines.append(
                f"{len(self.checks) - warned} of {len(self.checks)} checks passed and {warned} warned of a "
                "problem the project has in development too: the platform should serve this project."
            )
        elif self.ok:
            lines.append(f"All {len(self.checks)} checks passed: the platform should serve this project.")
        else:
            lines.append(f"{failed} of {len(self.checks)} checks failed.")
        return "\n".join(lines) + "\n"
