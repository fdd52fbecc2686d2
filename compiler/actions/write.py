"""`action="write"`: the body becomes the whole file that `file=` names."""

from __future__ import annotations

import re
from typing import ClassVar

from deploybook.records import record

from ..ir import Fill, Step
from ..merges import merge_written
from .base import ActionSpec, ResolvedFile, StepReader

__all__ = ["ACTION", "ResolvedWrite", "WriteFile"]

KEYS = frozenset({"file", "mode"})


@record
class WriteFile(Step):
    """The body is the file's whole content; `mode` is from `mode="755"`, if given."""

    file: str
    mode: int | None

    writes_repository: ClassVar[bool] = True

    def files(self) -> tuple[str, ...]:
        return (self.file,)

    def page_note(self) -> str:
        return "deploybook writes this file"

    def page_changes(self) -> tuple[tuple[str, str], ...]:
        return (("write", self.file),)

    def resolve(self, fill: Fill) -> ResolvedWrite:
        file = fill(self.file)
        return ResolvedWrite(self, file, self.body_fill(fill).in_file(self.body, file))


@record
class ResolvedWrite(ResolvedFile):
    step: WriteFile

    @property
    def mode(self) -> int | None:
        return self.step.mode

    @property
    def replaces(self) -> bool:
        return True

    def edit(self, before: bytes | None, recipe_id: str) -> bytes:
        # A file of the user's that is not UTF-8 keeps nothing of its own: it is replaced,
        # which the runtime reports as a conflict.
        text = before.decode("utf-8", errors="strict") if before is not None and _utf8(before) else None
        return merge_written(self.file, text, self.text).encode("utf-8")

    def headline(self) -> str:
        return f"write {self.file}"


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read(reader: StepReader) -> WriteFile:
    return WriteFile(reader.header, file_key(reader), _mode(reader))


def file_key(reader: StepReader) -> str:
    """The `file=` every file action needs, reported where it is missing."""
    file = reader.attrs.get("file", "")
    if not file:
        reader.report(
            "DB104",
            "action",
            f'action="{reader.header.action}" needs file=',
            'name the file from the project root, e.g. file="Procfile"',
        )
    return file


def _mode(reader: StepReader) -> int | None:
    text = reader.attrs.get("mode")
    if text is None:
        return None
    if not re.fullmatch(r"0?[0-7]{3}", text):
        reader.report("DB116", "mode", f"mode {text!r} is not an octal file mode", 'write mode="755"')
        return None
    return int(text, 8)


ACTION = ActionSpec("write", KEYS, read, rows=(("write", "Writes"),))
