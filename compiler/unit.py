"""The state a recipe file carries through the compiler passes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics
from .ir import Axis, ReaderInfo, Section, Step, Variable
from .segments import Segment
from .source import SourceSpan

__all__ = ["Header", "Unit"]


@dataclass(slots=True)
class Header:
    """The validated front matter."""

    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # top-level key -> line
    axes: tuple[Axis, ...] = ()
    variables: tuple[Variable, ...] = ()
    aliases: dict[str, tuple[str, SourceSpan]] = field(default_factory=dict)
    retired: dict[str, tuple[str, SourceSpan]] = field(default_factory=dict)  # step id -> note
    reader: ReaderInfo = field(default_factory=ReaderInfo)


@dataclass(slots=True)
class Unit:
    """One file being compiled. Passes fill it in; diagnostics are shared with included files."""

    path: Path
    display: str
    is_partial: bool
    diagnostics: Diagnostics
    raw: bytes = b""
    text: str = ""
    header: Header = field(default_factory=Header)
    body_start: int = 0  # 0-based index of the first line after the front matter
    segments: list[Segment] = field(default_factory=list)
    """The page in order; after the include pass, the partials' segments too."""
    included: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    include_stack: tuple[Path, ...] = ()

    def span(self, line: int, col: int = 1) -> SourceSpan:
        return SourceSpan(self.display, line, col)
