"""`action="requirements"`: PEP 508 lines for the project's own dependency manager."""

from __future__ import annotations

from typing import ClassVar

from deploybook.records import record

from ..ir import Fill, Step
from ..template import has_placeholders
from .base import ActionSpec, Redact, Resolved, StepReader

__all__ = ["ACTION", "AddRequirements", "ResolvedRequirements"]

KEYS: frozenset[str] = frozenset()


@record
class AddRequirements(Step):
    """Requirements the runtime writes in the manifest of whichever manager the project uses."""

    requirements: tuple[str, ...]

    writes_repository: ClassVar[bool] = True

    def page_note(self) -> str:
        return "deploybook adds these with your dependency manager"

    def page_changes(self) -> tuple[tuple[str, str], ...]:
        return tuple(("requirements", line) for line in self.requirements)

    def resolve(self, fill: Fill) -> ResolvedRequirements:
        body = self.body_fill(fill)
        return ResolvedRequirements(self, tuple(body(line) for line in self.requirements))


@record
class ResolvedRequirements(Resolved):
    step: AddRequirements
    requirements: tuple[str, ...]

    def describe(self, redact: Redact) -> str:
        # The runtime names the manifest itself: only it knows the project's manager.
        return "requirements: " + ", ".join(self.requirements)

    def headline(self) -> str:
        return "add requirements"

    def body_lines(self) -> tuple[str, ...]:
        return self.requirements


def read(reader: StepReader) -> AddRequirements:
    from packaging.requirements import InvalidRequirement, Requirement  # only compiling needs it

    found = []
    for offset, raw in enumerate(reader.body.split("\n")):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if not has_placeholders(line):
            try:
                for alternative in line.split(" | "):  # `a | b`: a, unless the project has b
                    Requirement(alternative.strip())
            except InvalidRequirement as error:
                reader.report_line(
                    "DB404",
                    offset,
                    f"not a PEP 508 requirement: {error}",
                    "write one requirement a line, e.g. gunicorn>=22",
                )
                continue
        found.append(line)
    if not found:
        reader.report(
            "DB408", "action", "the requirements block lists no requirement", "write one PEP 508 requirement a line"
        )
    return AddRequirements(reader.header, tuple(found))


ACTION = ActionSpec("requirements", KEYS, read, rows=(("requirements", "Adds requirements"),))
