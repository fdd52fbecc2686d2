"""A recipe's page source: its Markdown with includes spliced in and front matter dropped,
cut into prose and fences.

The compiler's passes keep only what the tool needs (headings, fences, steps); the page needs
the prose too, so the file is cut again here, with the same parser and the same include
rule, which keeps what the reader sees and what the tool runs the same blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt

from ..errors import DeploybookError
from ..passes.lex import INCLUDE

__all__ = ["Fence", "Prose", "Segment", "read_document"]


@dataclass(frozen=True, slots=True)
class Prose:
    text: str  # whole lines, each ending in "\n"


@dataclass(frozen=True, slots=True)
class Fence:
    indent: str  # what precedes the fence markup on the opening line
    markup: str  # the opening run of backticks or tildes
    info: str
    body: str  # the lines between the opening and closing lines, each ending in "\n"
    closing: str  # the closing line as written, without its "\n"
    path: str
    line: int  # 1-based line of the opening line in `path`


Segment = Prose | Fence


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def read_document(path: Path) -> list[Segment]:
    return _read(path.resolve(), ())


def _body_start(lines: list[str]) -> int:
    if not lines or lines[0].strip() != "---":
        return 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    return 0 if end is None else end + 1


def _read(path: Path, stack: tuple[Path, ...]) -> list[Segment]:
    if path in stack:
        raise DeploybookError(f"include cycle through {path.name}", hint="run `deploybook check` on the recipe")
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    start = _body_start(lines)
    # Blank the front matter rather than cut it, so token lines are the file's own (as in lex).
    tokens = _parser().parse("\n" * start + "\n".join(lines[start:]))
    fences: dict[int, tuple[int, str, str]] = {}
    includes: dict[int, tuple[int, str]] = {}
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        if token.type == "fence":
            fences[token.map[0]] = (token.map[1], token.markup, token.info)
        elif token.type == "paragraph_open":
            match = INCLUDE.match(tokens[index + 1].content.strip())
            if match:
                includes[token.map[0]] = (token.map[1], match.group(1))
    segments: list[Segment] = []
    prose: list[str] = []

    def flush() -> None:
        if prose:
            segments.append(Prose("".join(prose)))
            prose.clear()

    number = start
    while number < len(lines):
        if number in fences:
            end, markup, info = fences[number]
            flush()
            opening = lines[number]
            closing = lines[end - 1] if end - 1 > number and end - 1 < len(lines) else ""
            body = "".join(line + "\n" for line in lines[number + 1 : end - 1])
            indent = opening[: opening.find(markup)]
            segments.append(Fence(indent, markup, info, body, closing, str(path), number + 1))
            number = end
        elif number in includes:
            end, target = includes[number]
            flush()
            segments.extend(_read((path.parent / target).resolve(), (*stack, path)))
            number = end
        else:
            if number < len(lines) - 1 or lines[number]:
                prose.append(lines[number] + "\n")
            number += 1
    flush()
    return segments
