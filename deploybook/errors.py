"""The exception root, shared with the compiler (one root for the whole distribution)."""

from __future__ import annotations

from deploybook.compiler.errors import DeploybookError

__all__ = ["DeploybookError"]
