"""A recipe page as one stream of segments: prose, headings and fences, in page order.

The lex pass cuts each file into segments once, with the file's own line numbers; the include
pass splices a partial's segments in place of its `--8<--` line; the build pass attaches to
each step fence the step it became. The tool reads the steps, and the site renders the very
same stream, so what a reader sees and what the tool runs are one parse of the text.
"""

from __future__ import annotations

from deploybook.records import record

from .ir import Step
from .source import SourceSpan

__all__ = ["Fence", "Heading", "Include", "Prose", "Segment"]


@record
class Prose:
    """Lines between the other segments, as written (each ends in a newline)."""

    span: SourceSpan
    """Where the first line is."""
    end: int
    """The last line, 1-based."""
    text: str


@record
class Heading:
    """A heading: its level, its title without the `{#id}`, and the stable id if it has one."""

    span: SourceSpan
    end: int
    text: str
    """The heading's line(s) as written."""
    level: int
    title: str
    id: str | None


@record
class Fence:
    """A fenced block. `body` is its content as the step reads it (indentation inside a list
    taken off); `lines` are the same lines as written, for the page."""

    span: SourceSpan
    """The opening line; its column is 1."""
    end: int
    """The closing line (the last line of the file when the fence is never closed)."""
    indent: str
    """What precedes the fence markup on the opening line."""
    markup: str
    """The opening run of backticks or tildes."""
    info: str
    info_col: int
    """0-based column where the info string starts on the opening line."""
    body: str
    lines: str
    closing: str
    """The closing line as written, without its newline ("" when never closed)."""
    step: Step | None = None
    """The step this fence is, once the build pass has read it; None for prose fences."""


@record
class Include:
    """A `--8<-- "path"` paragraph; the include pass replaces it with the partial's segments."""

    span: SourceSpan
    end: int
    target: str


Segment = Prose | Heading | Fence | Include
