"""`{{ name }}` placeholders: finding them, and substituting values.

There is deliberately no template logic (no filters, no conditions): variants are expressed
with `when=` so every variant stays visible on the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping

from deploybook.records import record

__all__ = ["PLACEHOLDER", "Placeholder", "has_placeholders", "scan", "substitute"]

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
_OPEN = re.compile(r"\{\{")


@record
class Placeholder:
    """A `{{ name }}` found in a text, or a malformed `{{`, and where it is."""

    name: str | None  # None: a `{{` that does not start a well-formed placeholder
    line: int  # 0-based line within the scanned text
    col: int  # 0-based column within that line
    text: str


def scan(text: str) -> Iterator[Placeholder]:
    """Yield every placeholder, and every malformed `{{`, in order."""
    for lineno, line in enumerate(text.split("\n")):
        pos = 0
        while (opening := _OPEN.search(line, pos)) is not None:
            match = PLACEHOLDER.match(line, opening.start())
            if match:
                yield Placeholder(match.group(1), lineno, match.start(), match.group(0))
                pos = match.end()
            else:
                end = line.find("}}", opening.start())
                snippet = line[opening.start() : end + 2 if end >= 0 else len(line)]
                yield Placeholder(None, lineno, opening.start(), snippet)
                pos = opening.end()


def has_placeholders(text: str) -> bool:
    return PLACEHOLDER.search(text) is not None


def substitute(
    text: str,
    values: Mapping[str, str],
    *,
    missing: Callable[[str], str] | None = None,
    quote: Callable[[str], str] | None = None,
) -> str:
    """Replace each placeholder with its value.

    `missing(name)` supplies text for a name without a value (KeyError if not given);
    `quote(value)` is applied to each value, for shell text.
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            value = values[name]
            return quote(value) if quote else value
        if missing is None:
            raise KeyError(name)
        return missing(name)

    return PLACEHOLDER.sub(replace, text)
