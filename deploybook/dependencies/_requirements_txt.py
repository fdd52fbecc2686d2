"""Add requirements to a requirements.txt as plain lines at the end, touching nothing else."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from deploybook.dependencies._change import TextEdit
from deploybook.dependencies._plain import WantedLines
from deploybook.textfiles import decode_requirements

if TYPE_CHECKING:
    from deploybook.dependencies._wanted import Requirement

__all__ = ["add_to_requirements_txt"]

# pip's own rule: a comment starts at a # that begins the line or follows whitespace, so the
# `#egg=` of a URL is not a comment.
_COMMENT = re.compile(r"(^|\s)#.*$")
_EGG = re.compile(r"#egg=([A-Za-z0-9._-]+)")
_INCLUDE = re.compile(r"(?:-r|--requirement)(?:\s+|=)(\S+)$")


def add_to_requirements_txt(
    text: str, wanted: WantedLines, label: str, *, folder: Path | None = None, python_version: str = ""
) -> TextEdit:
    """`text` with each wanted requirement the project does not have appended.

    What the project has is read as pip would install it on the platform: `-r` includes are
    followed (relative to `folder`, the file's own), and an entry whose marker is false on Linux
    with the project's Python (`; sys_platform == "win32"`) is not there at all.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    kept: list[str] = []
    added = wanted.plainly_absent(text)
    if added is None:
        added, kept = _compare(text, wanted.parsed(), label, folder, python_version)
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


def _compare(
    text: str, wanted: list[Requirement], label: str, folder: Path | None, python_version: str
) -> tuple[list[str], list[str]]:
    """The wanted lines to add, and notes on the project's own entries that were kept."""
    # Imported here: only a project that may already have a wanted requirement needs packaging.
    from deploybook.dependencies._wanted import present, satisfies

    environment = _platform_environment(python_version)
    existing: dict[str, tuple[str, Requirement | None]] = {}
    for name, entry in _entries_with_includes(text, label, folder, environment, set()):
        existing.setdefault(name, entry)
    added: list[str] = []
    kept: list[str] = []
    for requirement in wanted:
        hit = present(existing, requirement, lambda found: found[1])
        if hit is None:
            added.append(str(requirement))
            continue
        found, option = hit
        if found[1] is None or not satisfies(found[1], option):
            kept.append(f"{found[0]}: kept the project's {option.name} entry; the recipe asks for {option}")
    return added, kept


def _platform_environment(python_version: str) -> dict[str, str]:
    # Every platform here builds on Linux; markers are judged there, not on this machine.
    version = python_version or "3.12"
    full = version if version.count(".") >= 2 else f"{version}.0"
    return {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "x86_64",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "python_version": ".".join(version.split(".")[:2]),
        "python_full_version": full,
    }


def _entries_with_includes(
    text: str, label: str, folder: Path | None, environment: dict[str, str], seen: set[Path]
) -> Iterator[tuple[str, tuple[str, Requirement | None]]]:
    for _line_number, line in _logical_lines(text):
        include = _INCLUDE.match(_COMMENT.sub("", line).strip())
        if include is None or folder is None:
            continue
        path = (folder / include[1]).resolve()
        if path in seen or not path.is_file():
            continue  # pip reports a missing file itself, with its own message
        seen.add(path)
        included = decode_requirements(path.read_bytes(), include[1]).text
        inner_label = posixpath.normpath(posixpath.join(posixpath.dirname(label), include[1]))
        yield from _entries_with_includes(included, inner_label, path.parent, environment, seen)
    for name, (line_number, requirement) in _entries(text):
        if requirement is not None and requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue  # not installed on the platform: as good as absent
        yield name, (f"{label}:{line_number}", requirement)


def _entries(text: str) -> Iterator[tuple[str, tuple[int, Requirement | None]]]:
    """(canonical name, (line, requirement)) for each entry; None for editable installs."""
    from deploybook.dependencies._wanted import Requirement, canonical  # see _compare

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
