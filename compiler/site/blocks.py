"""One fence on the page: its caption (the step's permanent anchor) and the fence itself."""

from __future__ import annotations

import html
from collections.abc import Mapping

from ..fence_info import parse_info
from ..ir import Step
from ..segments import Fence
from .fences import display_info
from .long_blocks import Downloads, collapse
from .placeholders import Placeholders

__all__ = ["Anchors", "render_block"]


class Anchors:
    """Which step ids already have their anchor on the page: variants of one step share it."""

    def __init__(self, aliases: Mapping[str, str]) -> None:
        self._placed: set[str] = set()
        self._aliases_of: dict[str, list[str]] = {}
        for old, new in sorted(aliases.items()):
            self._aliases_of.setdefault(new, []).append(old)

    def claim(self, step_id: str) -> tuple[str, ...] | None:
        """The ids to place (the step's, then its aliases'), or None when already placed."""
        if step_id in self._placed:
            return None
        self._placed.add(step_id)
        return (step_id, *self._aliases_of.get(step_id, ()))


def render_block(fence: Fence, anchors: Anchors, placeholders: Placeholders, downloads: Downloads | None = None) -> str:
    """The fence for the page; a long one collapsed, its text offered in `downloads`."""
    step = fence.step
    templated = step is None or step.template
    hide = placeholders.hide if templated else None
    info = display_info(fence.info, hide=hide)
    body = placeholders.hide(fence.lines) if templated else fence.lines
    text = f"{fence.indent}{fence.markup}{info}\n{body}{fence.closing}\n"
    title = parse_info(fence.info).attrs.get("title", "")
    text = collapse(fence, text, hide(title) if hide else title, downloads)
    if step is None:
        return text
    return _caption(step, anchors, fence.indent) + "\n" + text


def _caption(step: Step, anchors: Anchors, indent: str) -> str:
    # What `manage.py deploy` does with the step, said beside the block, so the page shows
    # which blocks are the tool and which are explanation.
    note = step.page_note()
    ids = anchors.claim(step.id)
    # The first block of a step carries its anchor (attr_list id, which mkdocs' anchor
    # validation sees); aliases are extra empty elements beside it. Later variants carry
    # only data-step, which the page script uses to land on whichever variant is visible.
    extra = "".join(f'<span id="step-{html.escape(old)}" class="db-step__alias"></span>' for old in (ids or ())[1:])
    attrs = f'#step-{step.id} .db-step data-step="{step.id}"' if ids else f'.db-step data-step="{step.id}"'
    link = f'[{step.id}](#step-{step.id} "Permanent link to this step"){{ .db-step__link }}'
    return f'{indent}<span class="db-step__note">{note}</span> {link}{extra}\n{indent}{{: {attrs} }}\n'
