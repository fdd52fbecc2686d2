"""Requirement writers: add PEP 508 requirements to a project's own dependency manager.

`add_requirements()` returns the manifest's new bytes and what to tell the user; it writes
nothing, so the runtime can apply every change of a deploy in one transaction.
"""

from __future__ import annotations

from deploybook.dependencies._add import add_requirements
from deploybook.dependencies._change import RequirementsChange
from deploybook.errors import RequirementsError

__all__ = ["RequirementsChange", "RequirementsError", "add_requirements"]
