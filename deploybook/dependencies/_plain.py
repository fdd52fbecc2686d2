"""The recipe's requirement lines, parsed with `packaging` only when something needs comparing.

Parsing requirements with `packaging` is a sizeable part of a deploy's start-up (its
tokenizer, specifiers and markers load together). On a project that has none of what the
recipe asks for (a fresh project, a first deploy), nothing needs comparing: every wanted line
is appended as written. `WantedLines.plainly_absent` proves that case with a text scan and
gives up (None) whenever the answer could depend on parsing; the caller then parses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.requirements import Requirement

__all__ = ["WantedLines"]

# A line `packaging` prints back unchanged (str(Requirement(line)) == line): a name, at most
# one extra, at most one specifier, no spaces, markers or URLs. Anything richer (two
# specifiers are printed sorted, extras too) goes through `packaging`.
_PLAIN = re.compile(
    r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)"
    r"(?:\[[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\])?"
    r"(?:(?:===?|!=|<=|>=|<|>)[0-9]+(?:\.[0-9]+)*|~=[0-9]+(?:\.[0-9]+)+)?"
)
_SEPARATORS = re.compile(r"[-_.]+")
# What an included (or constraints) file says is only known by reading it as pip does.
_INCLUDE = re.compile(r"(?:^|\s)(?:-r|--requirement|-c|--constraint)")


class WantedLines:
    """PEP 508 lines a recipe asks for (`a | b` for alternatives), parsed on first need."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = [line.strip() for line in lines]
        self._parsed: list[Requirement] | None = None
        # Canonical names of each line's alternatives, and the first alternative as written;
        # None when a line is not plain, which is then parsed (and refused if bad) right away,
        # before any manifest is read, as it always was.
        self._plain: list[tuple[list[str], str]] | None = []
        for line in self.lines:
            alternatives = [part.strip() for part in line.split(" | ")]
            matches = [_PLAIN.fullmatch(alternative) for alternative in alternatives]
            if not all(matches):
                self._plain = None
                self.parsed()
                break
            self._plain.append(([_canonical(m["name"]) for m in matches if m], alternatives[0]))

    def parsed(self) -> list[Requirement]:
        """The lines parsed by `packaging`, repeats of a name dropped (the first wins)."""
        if self._parsed is None:
            from deploybook.dependencies._wanted import parse_requirements

            self._parsed = parse_requirements(self.lines)
        return self._parsed

    def plainly_absent(self, text: str) -> list[str] | None:
        """The lines to append to a requirements.txt that plainly names none of the wanted
        requirements nor their alternatives; None when that needs `packaging` to decide.

        Each name is looked for in the whole text, comments and URLs included, normalised as a
        canonical name is (lower case, runs of `-_.` as one `-`), with backslash continuations
        joined as pip joins them: an entry's name always shows up there, so a name not found is
        not installed. Found anywhere, or an include present, and the caller parses instead.
        """
        if self._plain is None or _INCLUDE.search(text):
            return None
        haystack = _canonical(text.replace("\\\r\n", "").replace("\\\n", ""))
        lines: dict[str, str] = {}
        for names, first in self._plain:
            if any(re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", haystack) for name in names):
                return None
            lines.setdefault(names[0], first)
        return list(lines.values())


def _canonical(text: str) -> str:
    return _SEPARATORS.sub("-", text).lower()
