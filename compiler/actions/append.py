"""`action="append"`: the body is a block the recipe owns inside `file=`, between markers."""

from __future__ import annotations

from typing import ClassVar

from deploybook.errors import DeployError
from deploybook.records import record
from deploybook.textfiles import Decoded, decode_python

from ..ir import Fill, Step
from ..markers import place_block
from .base import ActionSpec, ResolvedFile, StepReader
from .write import file_key

__all__ = ["ACTION", "AppendBlock", "ResolvedAppend"]

KEYS = frozenset({"file"})


@record
class AppendBlock(Step):
    """A block inside a file the project already has (or a new one); a re-run replaces the
    block in place, never duplicates it, and never touches the text around it."""

    file: str

    writes_repository: ClassVar[bool] = True

    def files(self) -> tuple[str, ...]:
        return (self.file,)

    def page_note(self) -> str:
        return "deploybook adds this to the end of the file"

    def page_changes(self) -> tuple[tuple[str, str], ...]:
        return (("append", self.file),)

    def resolve(self, fill: Fill) -> ResolvedAppend:
        file = fill(self.file)
        return ResolvedAppend(self, file, self.body_fill(fill).in_file(self.body, file))


@record
class ResolvedAppend(ResolvedFile):
    step: AppendBlock

    def edit(self, before: bytes | None, recipe_id: str) -> bytes:
        # A Python file is read and written back as Python reads it (a latin-1 settings.py with
        # its coding line stays latin-1; a byte-order mark stays); other files are UTF-8.
        data = before or b""
        try:
            decoded = (
                decode_python(data, self.file) if self.file.endswith(".py") else Decoded(data.decode("utf-8"), "utf-8")
            )
        except UnicodeDecodeError as error:
            raise DeployError(
                f"step '{self.step.id}': {self.file} is not UTF-8 text ({error.reason})",
                hint="save the file as UTF-8, then run deploy again",
                location=self.step.span,
            ) from error
        placed = place_block(
            decoded.text,
            path=self.file,
            recipe_id=recipe_id,
            step_id=self.step.id,
            body=self.text,
            location=self.step.span,
        )
        return decoded.encode(placed, self.file)

    def headline(self) -> str:
        return f"append to {self.file}"


def read(reader: StepReader) -> AppendBlock:
    return AppendBlock(reader.header, file_key(reader))


ACTION = ActionSpec("append", KEYS, read, rows=(("append", "Appends to"),))
