"""`action="message"`: what to tell the user when the configuration is written."""

from __future__ import annotations

from dataclasses import dataclass

from ..ir import Fill, Step
from .base import ActionSpec, Redact, Resolved, StepReader

__all__ = ["ACTION", "Message", "ResolvedMessage"]

KEYS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Message(Step):
    """The body is the text to print."""

    def page_note(self) -> str:
        return "deploybook prints this when it is done"

    def resolve(self, fill: Fill) -> ResolvedMessage:
        return ResolvedMessage(self, self.body_fill(fill)(self.body).rstrip("\n"))


@dataclass(frozen=True, slots=True)
class ResolvedMessage(Resolved):
    step: Message
    text: str

    def describe(self, redact: Redact) -> str:
        return "message"

    def headline(self) -> str:
        return "message"

    def body_lines(self) -> tuple[str, ...]:
        return tuple(self.text.split("\n"))


def read(reader: StepReader) -> Message:
    if not reader.body.strip():
        reader.report("DB408", "action", "the message is empty", "write what the user should do next")
    return Message(reader.header)


ACTION = ActionSpec("message", KEYS, read)
