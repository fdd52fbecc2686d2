"""The recipe's own text as page Markdown: steps captioned and anchored, variants in tabs.

It renders the compiler's segments, so the page shows exactly the fences the tool reads,
each with the step it became.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..ir import Recipe
from ..segments import Fence, Heading, Prose, Segment
from .blocks import Anchors, render_block
from .long_blocks import Downloads
from .placeholders import Placeholders
from .tabs import render_tabs, tab_labels

__all__ = ["render_body"]


def render_body(
    segments: Sequence[Segment], recipe: Recipe, placeholders: Placeholders, downloads: Downloads | None = None
) -> list[str]:
    """The page's Markdown, one piece per segment (a run of variant fences is one piece);
    long blocks are collapsed, their text added to `downloads`."""
    anchors = Anchors(recipe.aliases)
    labels = tab_labels(recipe)

    def block(fence: Fence) -> str:
        return render_block(fence, anchors, placeholders, downloads)

    out: list[str] = []
    index = 0
    while index < len(segments):
        segment = segments[index]
        if isinstance(segment, Prose | Heading):
            out.append(placeholders.hide(segment.text))
            index += 1
        elif isinstance(segment, Fence) and _is_variant(segment):
            run, index = _variant_run(segments, index)
            out.append(render_tabs(run, recipe.axes, labels, block) + "\n")
        elif isinstance(segment, Fence):
            out.append(block(segment))
            index += 1
        else:  # an include line: the compiler has already spliced the partial in its place
            index += 1
    return out


def _is_variant(segment: Segment) -> bool:
    # Only fences at the left margin are put in tabs: tab content is indented, and an
    # indented fence belongs to the list around it.
    return isinstance(segment, Fence) and segment.step is not None and bool(segment.step.when) and not segment.indent


def _variant_run(segments: Sequence[Segment], start: int) -> tuple[list[Fence], int]:
    """Consecutive variant fences, with only blank lines between them."""
    run: list[Fence] = []
    index = end = start
    while index < len(segments):
        segment = segments[index]
        if isinstance(segment, Prose) and not segment.text.strip():
            index += 1
            continue
        if not (isinstance(segment, Fence) and _is_variant(segment)):
            break
        run.append(segment)
        index += 1
        end = index
    return run, end
