"""Add requirements to a requirements.txt as plain lines at the end, touching nothing else."""

from __future__ import annotations

import re
from collections.abc import Iterator

from deploybook.dependencies._change import TextEdit
from deploybook.dependencies._wanted import Requirement, canonical, satisfies

__all__ = ["add_to_requirements_txt"]

# pip's own rule: a comment starts at a # that begins the line or follows whitespace, so the
# `#egg=` of a URL is not a comment.
_COMMENT = re.compile(r"(^|\s)#.*$")
_EGG = re.compile(r"#egg=([A-Za-z0-9._-]+)")


def add_to_requirements_txt(text: str, wanted: list[Requirement], label: str) -> TextEdit:
    newline = "\r\n" if "\r\n" in text else "\n"
    existing = dict(_entries(text))
    added: list[str] = []
    kept: list[str] = []
    for requirement in wanted:
        found = existing.get(canonical(requirement.name))
        if found is None:
            added.append(str(requirement))
        elif found[1] is None or not satisfies(found[1], requirement):
            kept.append(
                f"{label}:{found[0]}: kept the project's {requirement.name} entry; the recipe asks for {requirement}"
            )
    notes: list[str] = []
    if added:
        if text and not text.endswith(("\n", "\r")):
            text += newline
        text += newline.join(added) + newline
        if "--hash" in text:
            notes.append(
                f"{label} pins hashes, and the added lines have none: pip refuses such a mix; "
                "regenerate the file with the tool that wrote it (pip-compile --generate-hashes)"
            )
    return TextEdit(text, tuple(added), tuple(kept), tuple(notes))


def _entries(text: str) -> Iterator[tuple[str, tuple[int, Requirement | None]]]:
    """(canonical name, (line, requirement)) for each entry; None for editable installs."""
    for line_number, line in _logical_lines(text):
        egg = _EGG.search(line)
        line = _COMMENT.sub("", line).strip()
        if line.startswith(("-e ", "--editable")):
            if egg:
                yield canonical(egg[1]), (line_number, None)
            continue
        if not line or line.startswith("-"):
            continue
        # Per-line options (--hash=...) follow the requirement itself.
        line = line.split(" --", 1)[0].strip()
        try:
            requirement = Requirement(line)
        except ValueError:
            continue  # a path or URL pip understands and deploybook need not
        yield canonical(requirement.name), (line_number, requirement)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    pending, start = "", 0
    for number, line in enumerate(text.splitlines(), 1):
        start = start or number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        yield start, pending + line
        pending, start = "", 0
    if pending:
        yield start, pending
