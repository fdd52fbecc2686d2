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
_STEP_IN_FENCE = re.compile(r"^\s*(`{3,}|~{3,}).*\bstep=")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


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
            _hidden_fences(unit, token, line)
        elif token.type == "paragraph_open" and tokens[index + 1].content:
            match = INCLUDE.match(tokens[index + 1].content.strip())
            if match:
                unit.blocks.append(IncludeBlock(unit.span(line), match.group(1)))
            elif tokens[index + 1].content.lstrip().startswith("--8<--"):
                unit.diagnostics.add(
                    "DB303",
                    unit.span(line),
                    'an include line must be exactly --8<-- "path"',
                    'write it on its own line, e.g. --8<-- "_partials/production-settings.md"',
                )
    return True


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
    closing = lines[last].strip() if last > token.map[0] and last < len(lines) else ""
    closed = closing.startswith(token.markup) and set(closing) == {token.markup[0]}
    if not closed:
        unit.diagnostics.add(
            "DB107",
            unit.span(line),
            "this fence is never closed, so it runs to the end of the file",
            f"close it with a line of {token.markup}",
        )
    unit.blocks.append(FenceBlock(unit.span(line), token.info, info_col, token.content))


def _hidden_fences(unit: Unit, token: Token, line: int) -> None:
    # markdown-it sees fences inside indented content (such as hand-written "=== Tab" blocks)
    # as plain code, so a step written there would silently never run.
    for offset, text in enumerate(token.content.split("\n")):
        if _STEP_IN_FENCE.match(text):
            unit.diagnostics.add(
                "DB109",
                unit.span(line + offset),
                "a step fence is indented (inside a content tab or code block) and would be ignored",
                'move it out to the left margin; write variants with when="axis=value" and the site makes the tabs',
            )
