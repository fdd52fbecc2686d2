"""Source locations carried by every compiled object."""

from __future__ import annotations

from deploybook.records import record

__all__ = ["SourceSpan"]


@record
class SourceSpan:
    """A place in a recipe file: 1-based line and column, as editors count them."""

    path: str
    line: int
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def at(self, line: int, col: int = 1) -> SourceSpan:
        return SourceSpan(self.path, line, col)
