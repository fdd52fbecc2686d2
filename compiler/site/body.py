"""The recipe's own text as page Markdown: steps captioned and anchored, variants in tabs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..errors import DeploybookError
from ..fence_info import parse_info
from ..ir import Recipe, Step
from .blocks import Anchors, Block, render_block
from .document import Prose, Segment
from .placeholders import Placeholders
from .tabs import render_tabs, tab_labels

__all__ = ["render_body"]


def render_body(segments: Sequence[Segment], recipe: Recipe, placeholders: Placeholders) -> str:
    items = list(_pair(segments, recipe))
    anchors = Anchors(recipe.aliases)
    labels = tab_labels(recipe)

    def block(item: Block) -> str:
        return render_block(item, anchors, placeholders)

    out: list[str] = []
    index = 0
    while index < len(items):
        item = items[index]
        if isinstance(item, Prose):
            out.append(placeholders.hide(item.text))
            index += 1
        elif _is_variant(item):
            run, index = _variant_run(items, index)
            out.append(render_tabs(run, recipe.axes, labels, block) + "\n")
        else:
            out.append(block(item))
            index += 1
    return "".join(out)


def _pair(segments: Sequence[Segment], recipe: Recipe) -> Iterator[Prose | Block]:
    """Match step fences with the compiled steps, which come in the same order."""
    steps = iter(recipe.steps)
    for segment in segments:
        if isinstance(segment, Prose):
            yield segment
            continue
        step: Step | None = None
        if "step" in parse_info(segment.info).attrs:
            step = next(steps, None)
            wanted = parse_info(segment.info).attrs["step"]
            if step is None or step.id != wanted:
                raise DeploybookError(
                    f"the page and the compiled recipe disagree at step {wanted!r}",
                    hint="this is a bug in deploybook's site renderer; please report it",
                    location=f"{segment.path}:{segment.line}",
                )
        yield Block(segment, step)


def _is_variant(item: Prose | Block) -> bool:
    # Only fences at the left margin are put in tabs: tab content is indented, and an
    # indented fence belongs to the list around it.
    return isinstance(item, Block) and item.step is not None and bool(item.step.when) and not item.fence.indent


def _variant_run(items: Sequence[Prose | Block], start: int) -> tuple[list[Block], int]:
    """Consecutive variant blocks, with only blank lines between them."""
    run: list[Block] = []
    index = start
    end = start
    while index < len(items):
        item = items[index]
        if isinstance(item, Prose) and not item.text.strip():
            index += 1
            continue
        if not (isinstance(item, Block) and _is_variant(item)):
            break
        run.append(item)
        index += 1
        end = index
    return run, end
