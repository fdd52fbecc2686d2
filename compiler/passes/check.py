"""Pass 6: rules that compare blocks with each other and with the front matter."""

from __future__ import annotations

from collections.abc import Iterable

from ..actions.run import RunCommands
from ..actions.write import WriteFile
from ..fence_info import parse_info
from ..ir import Condition, Step
from ..segments import Fence
from ..source import SourceSpan
from ..template import scan
from ..unit import Unit


def check(unit: Unit) -> bool:
    _placeholders(unit)
    _duplicate_steps(unit)
    _conflicting_writes(unit)
    _heading_ids(unit)
    _aliases(unit)
    _retired(unit)
    return True


def overlap(a: Iterable[Condition], b: Iterable[Condition]) -> bool:
    """Whether some choice of axis values selects both condition sets."""
    allowed: dict[str, frozenset[str]] = {}
    for cond in (*a, *b):
        allowed[cond.axis] = allowed.get(cond.axis, cond.values) & cond.values
    return all(allowed.values())


def _placeholders(unit: Unit) -> None:
    declared = {v.name for v in unit.header.variables}
    known = ", ".join(sorted(declared)) or "none"
    used: set[str] = set()

    def visit(text: str, start: SourceSpan, *, exact: bool = True) -> None:
        # exact: `start` is where `text` begins; otherwise only a nearby place (report there).
        for ph in scan(text):
            span = start.at(start.line + ph.line, (start.col if ph.line == 0 else 1) + ph.col) if exact else start
            if ph.name is None:
                unit.diagnostics.add(
                    "DB206",
                    span,
                    f"malformed placeholder {ph.text!r}",
                    'write {{ name }} with a lowercase name, or template="off" to keep braces as they are',
                )
            elif ph.name not in declared:
                unit.diagnostics.add(
                    "DB201",
                    span,
                    f"undeclared variable '{ph.name}'",
                    f"declare it under variables: in the front matter (declared: {known})",
                )
            else:
                used.add(ph.name)

    fences = {segment.span: segment for segment in unit.segments if isinstance(segment, Fence)}
    for step in unit.steps:
        for file in step.files():
            if "{{" in file:
                start = _file_start(fences.get(step.span))
                visit(file, start or step.span, exact=start is not None)
        if step.template:
            visit(step.body, step.span.at(step.span.line + 1, 1))
        capture = step.capture if isinstance(step, RunCommands) else None
        if capture is not None:
            for part in capture.path:
                visit(part, capture.span, exact=False)
            if capture.variable in declared:
                used.add(capture.variable)
            else:
                unit.diagnostics.add(
                    "DB201",
                    capture.span,
                    f"capture= names undeclared variable '{capture.variable}'",
                    "declare it under variables: in the front matter",
                )
    for variable in unit.header.variables:
        # The default may sit on a later line than the name; the name's line is close enough.
        visit(variable.default or "", variable.span, exact=False)
    if unit.diagnostics.has_errors:
        # Steps with errors were left out, so the variables they use would look unused too;
        # this warning waits until the file is otherwise clean.
        return
    for variable in unit.header.variables:
        if variable.name not in used and variable.span.path == unit.display:
            unit.diagnostics.add(
                "DB205",
                variable.span,
                f"variable '{variable.name}' is declared but never used",
                "remove it, or use it as {{ " + variable.name + " }}",
            )


def _file_start(fence: Fence | None) -> SourceSpan | None:
    """Where a fence's file="..." value starts (a step keeps only its fence's span)."""
    offset = parse_info(fence.info).offsets.get("file") if fence else None
    if fence is None or offset is None:
        return None
    return fence.span.at(fence.span.line, fence.info_col + offset + len('file="') + 1)


def _duplicate_steps(unit: Unit) -> None:
    seen: dict[str, list[Step]] = {}
    for step in unit.steps:
        for other in seen.get(step.id, []):
            if other.action != step.action:
                unit.diagnostics.add(
                    "DB105",
                    step.span,
                    f"step '{step.id}' is also defined at {other.span} with another action",
                    "give one of them a new step id",
                )
                break
            if overlap(other.when, step.when):
                unit.diagnostics.add(
                    "DB105",
                    step.span,
                    f"step '{step.id}' is also defined at {other.span} for the same variant",
                    "give it a new step id, or make the two when= conditions exclusive",
                )
                break
        seen.setdefault(step.id, []).append(step)


def _conflicting_writes(unit: Unit) -> None:
    writes: list[WriteFile] = [s for s in unit.steps if isinstance(s, WriteFile)]
    for index, step in enumerate(writes):
        for other in writes[:index]:
            if other.file == step.file and other.id != step.id and overlap(other.when, step.when):
                unit.diagnostics.add(
                    "DB115",
                    step.span,
                    f"steps '{other.id}' ({other.span}) and '{step.id}' both write {step.file!r}",
                    'write each file from one step; use action="append" to add to a file',
                )
                break


def _heading_ids(unit: Unit) -> None:
    seen: dict[str, str] = {}
    for section in unit.sections:
        if not section.explicit_id:
            continue
        if section.id in seen:
            unit.diagnostics.add(
                "DB114",
                section.span,
                f"heading id '{section.id}' is already used at {seen[section.id]}",
                "give each heading its own id",
            )
        else:
            seen[section.id] = str(section.span)


def _aliases(unit: Unit) -> None:
    step_ids = {s.id for s in unit.steps}
    for old, (new, span) in unit.header.aliases.items():
        if old in step_ids:
            unit.diagnostics.add(
                "DB502",
                span,
                f"alias '{old}' is also a current step id",
                "remove the alias; the step itself keeps the link",
            )
        elif new not in step_ids:
            unit.diagnostics.add(
                "DB501",
                span,
                f"alias '{old}' points to unknown step '{new}'",
                "point it at a current step id",
            )


def _retired(unit: Unit) -> None:
    step_ids = {s.id for s in unit.steps}
    for old, (_, span) in unit.header.retired.items():
        if old in step_ids or old in unit.header.aliases:
            unit.diagnostics.add(
                "DB503",
                span,
                f"retired step id '{old}' is used again by a current step or alias",
                "a retired id is never reused: give the new step another id",
            )
