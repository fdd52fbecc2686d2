"""Variants as content tabs: a run of `when=` blocks becomes one tab per axis value.

Every value of the axis gets a tab, even one with nothing to do, so a reader who chose
SQLite on one page (tabs are linked by label across the site) sees "nothing to do" instead
of a PostgreSQL command. Blocks that depend on two axes get tabs within tabs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ..ir import Axis, Recipe, Step
from ..segments import Fence

__all__ = ["render_tabs", "tab_labels"]

TAB_INDENT = "    "


def tab_labels(recipe: Recipe) -> dict[tuple[str, str], str]:
    """Each axis value in words, used for that value's tab everywhere on the page: the label
    the front matter declares for it, else the first `label=` of a single-value variant.

    One label per value keeps the page's tabs identical, which linking by label needs.
    """
    labels: dict[tuple[str, str], str] = {
        (axis.name, value): axis.label(value) for axis in recipe.axes for value in axis.values if axis.labels
    }
    for step in recipe.steps:
        if step.label and len(step.when) == 1 and len(step.when[0].values) == 1:
            (value,) = step.when[0].values
            labels.setdefault((step.when[0].axis, value), step.label)
    return labels


def render_tabs(
    blocks: Sequence[Fence],
    axes: Sequence[Axis],
    labels: Mapping[tuple[str, str], str],
    render: Callable[[Fence], str],
) -> str:
    axis = _next_axis(blocks, axes)
    if axis is None:
        return "\n".join(render(block) for block in blocks)
    rest = [a for a in axes if a.name != axis.name]
    out = []
    for value in axis.values:
        label = labels.get((axis.name, value), value)
        members = [b for b in blocks if _allows(b.step, axis.name, value)]
        if members:
            content = render_tabs(members, rest, labels, render)
        else:
            content = f"Nothing to do here with {label}.\n{{: .db-nothing }}\n"
        out.append(f'=== "{label}"\n\n{_indent(content)}')
    return "\n".join(out)


def _next_axis(blocks: Sequence[Fence], axes: Sequence[Axis]) -> Axis | None:
    named = {cond.axis for block in blocks if block.step for cond in block.step.when}
    return next((axis for axis in axes if axis.name in named), None)


def _allows(step: Step | None, axis: str, value: str) -> bool:
    if step is None:
        return True
    return all(value in cond.values for cond in step.when if cond.axis == axis)


def _indent(text: str) -> str:
    return "".join(TAB_INDENT + line if line.strip() else line for line in text.splitlines(keepends=True))
