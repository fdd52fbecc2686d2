"""Pass 5: give blocks meaning. Headings become sections, step fences become typed steps.

Every per-block rule is checked here, where the block's own location is at hand; rules that
compare blocks with each other live in the check pass.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ..actions import ACTION_NAMES, ACTIONS, action_named
from ..actions.base import StepReader
from ..fence_info import parse_info
from ..ir import Condition, Section, Step, StepHeader
from ..names import SLUG
from ..segments import Fence, Heading
from ..source import SourceSpan
from ..unit import Unit

# Keys the renderer understands on any fence, the keys every step has, and the actions' own.
DISPLAY_KEYS = frozenset({"title", "hl_lines", "linenums"})
STEP_KEYS = frozenset({"step", "action", "when", "label", "template"})
ALL_KEYS = DISPLAY_KEYS | STEP_KEYS | frozenset().union(*(spec.keys for spec in ACTIONS))


def build(unit: Unit) -> bool:
    section: Section | None = None
    for index, segment in enumerate(unit.segments):
        if isinstance(segment, Heading):
            section = Section(
                segment.id or slug(segment.title),
                segment.title,
                segment.level,
                segment.span,
                segment.id is not None,
            )
            unit.sections.append(section)
            if segment.id is None and segment.level in (2, 3):
                unit.diagnostics.add(
                    "DB113",
                    segment.span,
                    f"heading {segment.title!r} has no stable id",
                    f"add one, e.g. {'#' * segment.level} {segment.title} {{#{slug(segment.title)}}}, "
                    "so links to it survive a new title",
                )
        elif isinstance(segment, Fence):
            step = _fence(unit, segment, section)
            if step is not None:
                unit.steps.append(step)
                # The page renders this very fence; it carries its step from here on.
                unit.segments[index] = dataclasses.replace(segment, step=step)
    return True


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"


def _fence(unit: Unit, block: Fence, section: Section | None) -> Step | None:
    info = parse_info(block.info)

    def at(key: str | None) -> SourceSpan:
        return block.span.at(block.span.line, block.info_col + info.offsets.get(key or "", 0) + 1)

    for problem in info.problems:
        unit.diagnostics.add(
            problem.code,
            block.span.at(block.span.line, block.info_col + problem.offset + 1),
            problem.message,
            problem.hint,
        )
    for key in info.attrs:
        if key not in ALL_KEYS:
            unit.diagnostics.add(
                "DB101",
                at(key),
                f"unknown fence key '{key}'",
                f"known keys: {', '.join(sorted(ALL_KEYS))} (mkdocs-material would drop it silently)",
            )
    attrs = {k: v for k, v in info.attrs.items() if k in ALL_KEYS}
    if "step" not in attrs:
        extra = sorted(set(attrs) - DISPLAY_KEYS)
        if extra:
            unit.diagnostics.add(
                "DB110" if "action" in attrs else "DB112",
                at(extra[0]),
                f"'{extra[0]}' on a fence without step=",
                'give the block a stable id, e.g. step="settings", or remove the key to keep it as prose',
            )
        return None
    step_id, action = attrs["step"], attrs.get("action")
    errors_before = unit.diagnostics.error_count
    if not SLUG.match(step_id):
        unit.diagnostics.add(
            "DB106",
            at("step"),
            f"step id {step_id!r} is not a slug",
            "use lowercase letters, digits and '-', e.g. step=\"procfile\"",
        )
    if action is None:
        unit.diagnostics.add(
            "DB111",
            at("step"),
            f"step '{step_id}' has no action",
            f'add action="..." (one of {", ".join(ACTION_NAMES)})',
        )
        return None
    spec = action_named(action)
    if spec is None:
        unit.diagnostics.add(
            "DB103", at("action"), f"unknown action {action!r}", f"use one of {', '.join(ACTION_NAMES)}"
        )
        return None
    if section is None:
        unit.diagnostics.add(
            "DB117",
            at("step"),
            f"step '{step_id}' comes before the first heading",
            "put every step under a heading that explains it",
        )
    for key in attrs:
        if key not in DISPLAY_KEYS | STEP_KEYS | spec.keys:
            unit.diagnostics.add("DB112", at(key), f"'{key}' does not apply to action=\"{action}\"", f"remove {key}=")
    reader = StepReader(unit.diagnostics, _header(unit, block, info.lang, attrs, at, section), attrs, at)
    step = spec.read(reader)
    # A step with any error is left out, so later passes only see well-formed steps.
    return step if unit.diagnostics.error_count == errors_before else None


def _header(
    unit: Unit,
    block: Fence,
    lang: str,
    attrs: dict[str, str],
    at: Callable[[str | None], SourceSpan],
    section: Section | None,
) -> StepHeader:
    template = attrs.get("template", "on")
    if template not in ("on", "off"):
        unit.diagnostics.add(
            "DB116",
            at("template"),
            f'template must be "on" or "off", not {template!r}',
            'write template="off" to keep {{ }} as it is',
        )
    return StepHeader(
        id=attrs["step"],
        action=attrs["action"],
        span=block.span,
        section=section.id if section else "",
        when=_when(unit, attrs.get("when"), at),
        lang=lang,
        title=attrs.get("title"),
        label=attrs.get("label"),
        body=block.body,
        template=template != "off",
    )


def _when(unit: Unit, text: str | None, at: Callable[[str | None], SourceSpan]) -> tuple[Condition, ...]:
    if text is None:
        return ()
    axes = {a.name: a for a in unit.header.axes}

    def report(code: str, message: str, hint: str) -> tuple[Condition, ...]:
        unit.diagnostics.add(code, at("when"), message, hint)
        return ()

    conditions = []
    # An empty when="" is a mistake, not "always": it reads as a missing term.
    for term in text.split() or [""]:
        name, sep, values = term.partition("=")
        choices = values.split("|")
        if not sep or not name or not all(choices):
            return report(
                "DB204",
                f"cannot read when={text!r}",
                'write when="axis=value"; several terms with spaces, alternatives with |',
            )
        if name not in axes:
            known = ", ".join(axes) or "none declared"
            return report(
                "DB202",
                f"unknown axis {name!r} in when=",
                f"declare it under axes: in the front matter (known: {known})",
            )
        wrong = [v for v in choices if v not in axes[name].values]
        if wrong:
            return report(
                "DB203", f"axis '{name}' has no value {wrong[0]!r}", f"its values are: {', '.join(axes[name].values)}"
            )
        conditions.append(Condition(name, frozenset(choices)))
    return tuple(conditions)
