"""Plain-text rendering of a resolved recipe, for `deploybook show`."""

from __future__ import annotations

import textwrap

from deploybook.compiler import Resolution, Resolved

__all__ = ["render_resolution"]


def render_resolution(resolution: Resolution) -> str:
    recipe = resolution.recipe
    choices = " ".join(f"{k}={v}" for k, v in resolution.choices.items()) or "no choices"
    lines = [f"{recipe.id}: {recipe.title}, version {recipe.version} ({choices})", ""]
    for resolved in resolution.steps:
        lines += _step(resolved)
    return resolution.redact("\n".join(lines) + "\n")


def _step(resolved: Resolved) -> list[str]:
    step = resolved.step
    head = f"[{step.id}] {resolved.headline()}    {step.span.path}:{step.span.line}"
    return [head, textwrap.indent("\n".join(resolved.body_lines()), "    "), ""]
