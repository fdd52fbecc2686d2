"""Every bundled recipe, on every sample flavour and layout, keeps the invariants its page
promises: the same public checks a recipe pack's tests run (deploybook.testing.invariants)."""

from __future__ import annotations

from deploybook.testing.invariants import *  # noqa: F403
