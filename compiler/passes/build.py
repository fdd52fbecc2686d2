"""Pass 5: give blocks meaning. Headings become sections, step fences become typed steps.

Every per-block rule is checked here, where the block's own location is at hand; rules that
compare blocks with each other live in the check pass.
"""

from __future__ import annotations

import re

from ..fence_info import parse_info
from ..ir import ACTIONS, Section, Step
from ..source import SourceSpan
from ..unit import FenceBlock, HeadingBlock, Unit
from .front_matter import SLUG
from .step_bodies import StepReader

# Keys the renderer understands on any fence, and the keys each action adds.
DISPLAY_KEYS = {"title", "hl_lines", "linenums"}
STEP_KEYS = {"step", "action", "when", "label", "template"}
ACTION_KEYS: dict[str, set[str]] = {
    "write": {"file", "mode"},
    "append": {"file"},
    "requirements": set(),
    "env": set(),
    "processes": set(),
    "run": {"run", "capture", "phase"},
    "test": set(),
    "message": set(),
}
ALL_KEYS = DISPLAY_KEYS | STEP_KEYS | set().union(*ACTION_KEYS.values())


def build(unit: Unit) -> bool:
    section: Section | None = None
    for block in unit.blocks:
        if isinstance(block, HeadingBlock):
            section = Section(
                block.id or slug(block.title),
                block.title,
                block.level,
                block.span,
                block.id is not None,
            )
            unit.sections.append(section)
            if block.id is None and block.level in (2, 3):
                unit.diagnostics.add(
                    "DB113",
                    block.span,
                    f"heading {block.title!r} has no stable id",
                    f"add one, e.g. {'#' * block.level} {block.title} {{#{slug(block.title)}}}, "
                    "so links to it survive a new title",
                )
        elif isinstance(block, FenceBlock):
            step = _fence(unit, block, section)
            if step is not None:
                unit.steps.append(step)
    return True


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"


def _fence(unit: Unit, block: FenceBlock, section: Section | None) -> Step | None:
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
            f'add action="..." (one of {", ".join(ACTIONS)})',
        )
        return None
    if action not in ACTIONS:
        unit.diagnostics.add("DB103", at("action"), f"unknown action {action!r}", f"use one of {', '.join(ACTIONS)}")
        return None
    if section is None:
        unit.diagnostics.add(
            "DB117",
            at("step"),
            f"step '{step_id}' comes before the first heading",
            "put every step under a heading that explains it",
        )
    for key in attrs:
        if key not in DISPLAY_KEYS | STEP_KEYS | ACTION_KEYS[action]:
            unit.diagnostics.add("DB112", at(key), f"'{key}' does not apply to action=\"{action}\"", f"remove {key}=")
    step = StepReader(unit, block, info.lang, attrs, at).read(section.id if section else "")
    # A step with any error is left out, so later passes only see well-formed steps.
    return step if unit.diagnostics.error_count == errors_before else None
