"""Pass 3: cut the file into segments (prose, headings, fences, include lines) with markdown-it-py.

Finding blocks is kept apart from giving them meaning (the build pass). This is the only
place that finds fences: the site renders the segments made here. The front matter is
blanked rather than cut, so markdown-it's line numbers stay the file's own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..segments import Fence, Heading, Include, Prose, Segment
from ..unit import Unit

INCLUDE = re.compile(r'^--8<--\s+"([^"]*)"\s*$')
_HEADING_ID = re.compile(r"\s*\{#([A-Za-z0-9_-]+)\}\s*$")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Only block structure is needed (a heading's or paragraph's raw text is on its inline
    # token already); skipping inline parsing halves the time markdown-it takes.
    return MarkdownIt("commonmark").disable(["inline", "text_join"])


def lex(unit: Unit) -> bool:
    lines = unit.text.split("\n")
    source = "\n" * unit.body_start + "\n".join(lines[unit.body_start :])
    tokens = _parser().parse(source)
    cut: dict[int, Segment] = {}  # first line (0-based) -> the segment that starts there
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        if token.type == "heading_open":
            cut[token.map[0]] = _heading(unit, token, tokens[index + 1], lines)
        elif token.type == "fence":
            cut[token.map[0]] = _fence(unit, token, lines)
        elif token.type == "code_block":
            _hidden_fences(unit, token, lines)
        elif token.type == "paragraph_open":
            include = _include(unit, token, tokens[index + 1].content)
            if include is not None:
                cut[token.map[0]] = include
    unit.segments = _stream(unit, lines, cut)
    return True


def _stream(unit: Unit, lines: list[str], cut: dict[int, Segment]) -> list[Segment]:
    """Every line after the front matter, in order: the cut segments, and prose between them."""
    segments: list[Segment] = []
    prose: list[str] = []
    prose_start = unit.body_start

    def flush(before: int) -> None:
        if prose:
            segments.append(Prose(unit.span(prose_start + 1), before, "".join(prose)))
            prose.clear()

    number = unit.body_start
    while number < len(lines):
        segment = cut.get(number)
        if segment is not None:
            flush(number)
            segments.append(segment)
            number = segment.end
            prose_start = number
            continue
        if number < len(lines) - 1 or lines[number]:  # not the empty "line" after the last newline
            prose.append(lines[number] + "\n")
        number += 1
    flush(number)
    return segments


def _include(unit: Unit, token: Token, content: str) -> Include | None:
    # An include is a paragraph of its own, as the site's renderer reads it. An include line run
    # together with other lines (another include, or text) would be skipped there, so every
    # such line is reported, not only a paragraph's first.
    assert token.map is not None
    line = token.map[0] + 1
    match = INCLUDE.match(content.strip())
    if match:
        return Include(unit.span(line), token.map[1], match.group(1))
    for offset, text in enumerate(content.split("\n")):
        if text.lstrip().startswith("--8<--"):
            unit.diagnostics.add(
                "DB303",
                unit.span(line + offset),
                'an include line must be exactly --8<-- "path", alone in its paragraph',
                'put blank lines around it, e.g. --8<-- "_partials/production-settings.md"',
            )
    return None


def _heading(unit: Unit, token: Token, inline: Token, lines: list[str]) -> Heading:
    assert token.map is not None
    start, end = token.map
    raw = "".join(line + "\n" for line in lines[start:end])
    text = inline.content
    level = int(token.tag[1])
    match = _HEADING_ID.search(text)
    if match:
        return Heading(unit.span(start + 1), end, raw, level, text[: match.start()].strip(), match.group(1))
    return Heading(unit.span(start + 1), end, raw, level, text.strip(), None)


def _fence(unit: Unit, token: Token, lines: list[str]) -> Fence:
    assert token.map is not None
    start, end = token.map
    opening = lines[start]
    info_col = opening.find(token.markup) + len(token.markup)
    last = end - 1
    closing = lines[last] if start < last < len(lines) else ""
    # Inside a blockquote the closing line carries the same '>' markers as the opening one.
    bare = closing
    for _ in range(opening[: info_col - len(token.markup)].count(">")):
        bare = bare.lstrip(" \t").removeprefix(">")
    bare = bare.strip()
    closed = bare.startswith(token.markup) and set(bare) == {token.markup[0]}
    if not closed:
        unit.diagnostics.add(
            "DB107",
            unit.span(start + 1),
            "this fence is never closed, so it runs to the end of the file",
            f"close it with a line of {token.markup}",
        )
    body_end = last if closed else end
    return Fence(
        span=unit.span(start + 1),
        end=end,
        indent=opening[: opening.find(token.markup)],
        markup=token.markup,
        info=token.info,
        info_col=info_col,
        body=token.content,
        lines="".join(line + "\n" for line in lines[start + 1 : body_end]),
        closing=closing if closed else "",
    )


def _hidden_fences(unit: Unit, token: Token, lines: list[str]) -> None:
    # markdown-it sees fences inside indented content (such as hand-written "=== Tab" blocks)
    # as plain code, so a step written there would silently never run. The indented code is
    # read again with the same parser, which finds the fences inside it.
    assert token.map is not None
    for inner in _parser().parse(token.content):
        if inner.type == "fence" and inner.map is not None and "step=" in inner.info:
            number = token.map[0] + inner.map[0]
            col = lines[number].find(inner.markup) + 1
            unit.diagnostics.add(
                "DB109",
                unit.span(number + 1, col),
                "a step fence is indented (inside a content tab or code block) and would be ignored",
                'move it out to the left margin; write variants with when="axis=value" and the site makes the tabs',
            )
