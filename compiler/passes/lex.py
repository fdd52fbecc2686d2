"""Pass 3: find the blocks that matter (headings, fences, include lines) with markdown-it-py.

Finding blocks is kept apart from giving them meaning (the build pass). The front matter is
blanked rather than cut, so markdown-it's line numbers stay the file's own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..unit import FenceBlock, HeadingBlock, IncludeBlock, Unit

INCLUDE = re.compile(r'^--8<--\s+"([^"]*)"\s*$')
_HEADING_ID = re.compile(r"\s*\{#([A-Za-z0-9_-]+)\}\s*$")
_STEP_IN_FENCE = re.compile(r"^[\s>]*(`{3,}|~{3,}).*\bstep=")  # '>': in a blockquote


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Only block structure is needed (a heading's or paragraph's raw text is on its inline
    # token already); skipping inline parsing halves the time markdown-it takes.
    return MarkdownIt("commonmark").disable(["inline", "text_join"])


def lex(unit: Unit) -> bool:
    lines = unit.text.split("\n")
    source = "\n" * unit.body_start + "\n".join(lines[unit.body_start :])
    tokens = _parser().parse(source)
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        line = token.map[0] + 1
        if token.type == "heading_open":
            unit.blocks.append(_heading(unit, token, tokens[index + 1], line))
        elif token.type == "fence":
            _fence(unit, token, lines, line)
        elif token.type == "code_block":
            _hidden_fences(unit, token, lines)
        elif token.type == "paragraph_open":
            _includes(unit, tokens[index + 1].content, line)
    return True


def _includes(unit: Unit, content: str, line: int) -> None:
    # An include is a paragraph of its own, as the site's renderer reads it. An include line run
    # together with other lines (another include, or text) would be skipped there, so every
    # such line is reported, not only a paragraph's first.
    match = INCLUDE.match(content.strip())
    if match:
        unit.blocks.append(IncludeBlock(unit.span(line), match.group(1)))
        return
    for offset, text in enumerate(content.split("\n")):
        if text.lstrip().startswith("--8<--"):
            unit.diagnostics.add(
                "DB303",
                unit.span(line + offset),
                'an include line must be exactly --8<-- "path", alone in its paragraph',
                'put blank lines around it, e.g. --8<-- "_partials/production-settings.md"',
            )


def _heading(unit: Unit, token: Token, inline: Token, line: int) -> HeadingBlock:
    text = inline.content
    match = _HEADING_ID.search(text)
    if match:
        return HeadingBlock(unit.span(line), int(token.tag[1]), text[: match.start()].strip(), match.group(1))
    return HeadingBlock(unit.span(line), int(token.tag[1]), text.strip(), None)


def _fence(unit: Unit, token: Token, lines: list[str], line: int) -> None:
    assert token.map is not None
    opening = lines[token.map[0]]
    info_col = opening.find(token.markup) + len(token.markup)
    last = token.map[1] - 1
    closing = lines[last] if last > token.map[0] and last < len(lines) else ""
    # Inside a blockquote the closing line carries the same '>' markers as the opening one.
    for _ in range(opening[: info_col - len(token.markup)].count(">")):
        closing = closing.lstrip(" \t").removeprefix(">")
    closing = closing.strip()
    closed = closing.startswith(token.markup) and set(closing) == {token.markup[0]}
    if not closed:
        unit.diagnostics.add(
            "DB107",
            unit.span(line),
            "this fence is never closed, so it runs to the end of the file",
            f"close it with a line of {token.markup}",
        )
    unit.blocks.append(FenceBlock(unit.span(line), token.info, info_col, token.content))


def _hidden_fences(unit: Unit, token: Token, lines: list[str]) -> None:
    # markdown-it sees fences inside indented content (such as hand-written "=== Tab" blocks)
    # as plain code, so a step written there would silently never run. The file's own lines
    # are read, so the column is that of the fence's backticks.
    assert token.map is not None
    for number in range(token.map[0], min(token.map[1], len(lines))):
        match = _STEP_IN_FENCE.match(lines[number])
        if match:
            unit.diagnostics.add(
                "DB109",
                unit.span(number + 1, match.start(1) + 1),
                "a step fence is indented (inside a content tab or code block) and would be ignored",
                'move it out to the left margin; write variants with when="axis=value" and the site makes the tabs',
            )
