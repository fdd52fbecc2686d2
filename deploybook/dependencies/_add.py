"""Add requirements to whichever manifest the project's dependency manager reads."""

from __future__ import annotations

from collections.abc import Sequence

from deploybook.dependencies._change import RequirementsChange
from deploybook.dependencies._plain import WantedLines
from deploybook.dependencies._requirements_txt import add_to_requirements_txt
from deploybook.errors import RequirementsError
from deploybook.inspect import Project
from deploybook.textfiles import Decoded, decode_requirements

__all__ = ["add_requirements"]

# Resolving versions needs the package index and the tool itself, so the user re-locks.
_RELOCK = {
    "poetry": ("poetry", "lock"),
    "pipenv": ("pipenv", "lock"),
    "uv": ("uv", "lock"),
    "pdm": ("pdm", "lock"),
}


def _utf8(data: bytes, label: str) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RequirementsError(
            f"{label}:{line}: byte 0x{data[error.start]:02x} is not UTF-8, which TOML requires",
            hint=f"save {label} as UTF-8, then run deploy again",
        ) from error


def add_requirements(project: Project, requirements: Sequence[str]) -> RequirementsChange:
    """The project's manifest with `requirements` (PEP 508 lines) added, as bytes; writes nothing.

    Entries the project already has are left as the user wrote them (see `kept`), so a
    second call with the same requirements changes nothing.
    """
    wanted = WantedLines(requirements)
    path = project.manifest
    before = path.read_bytes() if path.is_file() else b""
    label = project.relative(path)
    # requirements.txt as pip reads it (and written back in the same encoding); TOML is UTF-8.
    decoded = decode_requirements(before, label) if project.pkg == "requirements" else _utf8(before, label)
    text = decoded.text
    if project.pkg == "requirements":
        edit = add_to_requirements_txt(text, wanted, label, folder=path.parent, python_version=project.python_version)
    else:
        # Imported here: tomlkit and the TOML writers are a noticeable part of a deploy's
        # start-up, and a requirements.txt project never needs them.
        from deploybook.dependencies._toml_manifests import edit_toml

        edit = edit_toml(project.pkg, text, wanted.parsed(), label)
    after = decoded.encode(edit.text, label)
    relock: tuple[str, ...] = ()
    notes = list(edit.notes)
    lock_note = None
    if after != before and project.lock_file is not None:
        relock = _RELOCK[project.pkg]
        where = "" if project.dependency_dir == project.root else f" in {project.relative(project.dependency_dir)}"
        lock_note = (
            f"{project.relative(project.lock_file)} is now out of date: run `{' '.join(relock)}`"
            f"{where} and commit the result (deploybook does not resolve versions itself)"
        )
        notes.append(lock_note)
    return RequirementsChange(path, before, after, edit.added, edit.kept, relock, tuple(notes), lock_note)
