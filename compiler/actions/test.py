"""`action="test"`: commands that check the configured project; the test suite runs them."""

from __future__ import annotations

from deploybook.records import record

from ..ir import Command, Fill, Step
from .base import ActionSpec, ResolvedCommands, StepReader, fill_commands
from .run import console_commands

__all__ = ["ACTION", "ResolvedTest", "TestCommands"]

KEYS: frozenset[str] = frozenset()


@record
class TestCommands(Step):
    """Commands and the output they must print, run against the configured project."""

    __test__ = False  # a recipe step, not a pytest test class

    commands: tuple[Command, ...]

    def page_note(self) -> str:
        return "a check you can run; the test suite runs it on every change"

    def resolve(self, fill: Fill) -> ResolvedTest:
        return ResolvedTest(self, fill_commands(self.commands, self.body_fill(fill)))


@record
class ResolvedTest(ResolvedCommands):
    step: TestCommands

    @property
    def reason(self) -> str:
        return "a check for you and the tests"

    def headline(self) -> str:
        return "test"


def read(reader: StepReader) -> TestCommands:
    commands, _ = console_commands(reader)
    return TestCommands(reader.header, commands)


ACTION = ActionSpec("test", KEYS, read)
