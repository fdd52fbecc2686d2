"""Plain-text rendering of a resolved recipe, for `deploybook show`."""

from __future__ import annotations

import shlex
import textwrap

from deploybook.compiler import Resolution, ResolvedStep

__all__ = ["display_argv", "render_resolution"]

_ACTION_VERB = {
    "write": "write",
    "append": "append to",
    "requirements": "add requirements",
    "env": "platform environment",
    "processes": "platform processes",
    "run": "run",
    "test": "test",
    "message": "message",
}


def display_argv(argv: tuple[str, ...]) -> str:
    """A command as a person would type it; unresolved placeholders are left readable."""
    return " ".join(word if word.startswith("{{") and word.endswith("}}") else shlex.quote(word) for word in argv)


def render_resolution(resolution: Resolution) -> str:
    recipe = resolution.recipe
    choices = " ".join(f"{k}={v}" for k, v in resolution.choices.items()) or "no choices"
    lines = [f"{recipe.id}: {recipe.title}, version {recipe.version} ({choices})", ""]
    for resolved in resolution.steps:
        lines += _step(resolved)
    return resolution.redact("\n".join(lines) + "\n")


def _step(resolved: ResolvedStep) -> list[str]:
    step = resolved.step
    target = f" {resolved.file}" if resolved.file else ""
    where = f" ({getattr(step, 'where', 'local')})" if step.action == "run" else ""
    head = f"[{step.id}] {_ACTION_VERB[step.action]}{target}{where}    {step.span.path}:{step.span.line}"
    if resolved.commands:
        body = "\n".join("$ " + display_argv(c.argv) for c in resolved.commands)
    elif resolved.requirements:
        body = "\n".join(resolved.requirements)
    elif resolved.env:
        body = "\n".join(f"{k}={v}" for k, v in resolved.env)
    elif resolved.processes:
        body = "\n".join(f"{k}: {v}" for k, v in resolved.processes)
    else:
        body = resolved.text.rstrip("\n")
    return [head, textwrap.indent(body, "    "), ""]
