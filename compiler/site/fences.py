"""Fence info strings as pymdownx.superfences renders them.

Recipes carry step metadata in the fence's braces. The page keeps only what the renderer
shows (`title`, `hl_lines`, `linenums`) and always writes the brace form: the option form
with an unknown key makes superfences abandon the fence and swallow the next section, and
`mkdocs build --strict` does not notice.
"""

from __future__ import annotations

from collections.abc import Callable

from ..fence_info import parse_info

__all__ = ["DISPLAY_KEYS", "display_info"]

DISPLAY_KEYS = ("title", "hl_lines", "linenums")


def display_info(info: str, *, hide: Callable[[str], str] | None = None) -> str:
    """`lang {title="..."}` with the display keys only; `hide` maps each value for the page."""
    parsed = parse_info(info)
    lang = parsed.lang or ("text" if parsed.attrs else "")
    shown = []
    for key in DISPLAY_KEYS:
        if key in parsed.attrs:
            value = parsed.attrs[key]
            if hide is not None:
                value = hide(value)
            # Superfences reads values up to the next double quote; recipes cannot write one.
            shown.append(f'{key}="{value.replace(chr(34), chr(39))}"')
    return f"{lang} {{{' '.join(shown)}}}" if shown else lang
