"""The "What this recipe changes" table: files, requirements and platform commands, from the IR.

It is computed from the compiled steps, never written by hand, so the table cannot drift
from what `manage.py deploy` does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from deploybook.records import record

from ..actions import ACTIONS, run
from ..ir import Condition, Recipe

__all__ = ["KINDS", "Change", "changes", "changes_table"]

# Row order and headings of the table: each action's rows, in the registry's order.
KINDS = {kind: heading for spec in ACTIONS for kind, heading in spec.rows}
# Rows of commands the reader runs (or --automate-all does): the table then says so.
COMMAND_KINDS = tuple(kind for kind, _ in run.ACTION.rows)


@record
class Change:
    kind: str  # a key of KINDS
    text: str  # file, requirement or command as written, placeholders unresolved
    step: str
    when: tuple[Condition, ...]


def changes(recipe: Recipe) -> list[Change]:
    return [Change(kind, text, step.id, step.when) for step in recipe.steps for kind, text in step.page_changes()]


def changes_table(
    recipe: Recipe,
    hide: Callable[[str], str],
    labels: Mapping[tuple[str, str], str],
) -> str:
    # The same file or command may come from several variants of a step: one item, whose
    # note says in which variants it applies (none when it applies in all of them).
    merged: dict[tuple[str, str], list[Change]] = {}
    for change in changes(recipe):
        merged.setdefault((change.kind, change.text), []).append(change)
    rows: dict[str, list[str]] = {}
    for (kind, text), found in merged.items():
        item = f"[{_code(hide(text))}](#step-{found[0].step})"
        note = _when(recipe, [change.when for change in found], labels)
        if note:
            item += f' <span class="db-when">{note}</span>'
        rows.setdefault(kind, []).append(item)
    if not rows:
        return "This recipe changes nothing in your project.\n"
    lines = ["| Change | What |", "|---|---|"]
    lines += [f"| {heading} | {'<br>'.join(rows[kind])} |" for kind, heading in KINDS.items() if kind in rows]
    table = "\n".join(lines) + "\n"
    if any(kind in rows for kind in COMMAND_KINDS):
        table += (
            "\nFiles change in your project only; nothing is created on the platform until you run the "
            "commands yourself or add `--automate-all`.\n"
        )
    return table


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    return f"{fence}{text.replace('|', chr(92) + '|')}{fence}"


def _when(
    recipe: Recipe,
    whens: Sequence[tuple[Condition, ...]],
    labels: Mapping[tuple[str, str], str],
) -> str:
    """A note such as `only with sqlite`, or "" when the item applies in every variant."""
    variants = list(recipe.variants())
    applies = [v for v in variants if any(all(c.holds(v) for c in when) for when in whens)]
    if len(applies) == len(variants):
        return ""
    # Name, per axis, the values in which it applies; axes it does not depend on are left out.
    terms = []
    for axis in recipe.axes:
        values = [value for value in axis.values if any(v[axis.name] == value for v in applies)]
        if len(values) < len(axis.values):
            terms.append(" or ".join(labels.get((axis.name, value), value) for value in values))
    return "only with " + ", ".join(terms)
