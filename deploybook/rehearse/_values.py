"""Concrete values for a rehearsal, where a configuration-only deploy has placeholders.

A deploy that runs no command leaves two kinds of value open: secrets (made only when they
are set on the platform) and values a platform command prints (`capture=`, such as Heroku's
host name). A rehearsal needs real ones: a fresh secret, and the value the page's own
transcript shows, which is exactly the example the page describes.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from deploybook.compiler import Resolution, ResolvedRun
from deploybook.runtime.capture import CaptureError, capture_value

if TYPE_CHECKING:
    from deploybook.runtime.deploy import Prepared

__all__ = ["rehearsal_resolution", "transcript_captures"]


def rehearsal_resolution(prepared: Prepared) -> Resolution:
    """The prepared deploy's resolution with every secret and captured value filled in."""
    values = prepared.values
    keep = {
        variable.name: secrets.token_urlsafe(50)
        for variable in values.recipe.variables
        if variable.generate == "secret" and variable.name in values.placeholders
    }
    resolution = values.resolve(keep=keep)
    captured = transcript_captures(resolution)
    return values.resolve(captured=captured, keep=keep) if captured else resolution


def transcript_captures(resolution: Resolution) -> dict[str, str]:
    """Each `capture=` variable as the page's transcript of its command shows it."""
    captured: dict[str, str] = {}
    for resolved in resolution.of_kind(ResolvedRun):
        step = resolved.step
        if step.capture is None or not resolved.commands:
            continue
        text = "\n".join(line for line in resolved.commands[0].expected if line.strip() != "...")
        try:
            value = capture_value(text, resolved.capture_path)
        except CaptureError:
            continue  # the page shows no JSON for it; the caller must give the value
        if "<" not in value and "{{" not in value:
            captured[step.capture.variable] = value
    return captured
