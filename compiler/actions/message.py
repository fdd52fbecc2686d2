"""`action="message"`: what to tell the user when the configuration is written, or, with
`phase=`, after `--automate-all` or `--redeploy` ran the platform commands."""

from __future__ import annotations

from deploybook.records import record

from ..ir import Fill, Step
from .base import ActionSpec, Redact, Resolved, StepReader
from .run import PHASES

__all__ = ["ACTION", "Message", "ResolvedMessage"]

KEYS = frozenset({"phase"})


@record
class Message(Step):
    """The body is the text to print."""

    after: str | None = None
    """None: printed when the configuration is written; "setup" or "redeploy": printed once
    --automate-all or --redeploy ran that phase's commands (what to do next differs then)."""

    def page_note(self) -> str:
        if self.after == "setup":
            return "deploybook prints this once `--automate-all` has run the commands"
        if self.after == "redeploy":
            return "deploybook prints this once `--redeploy` has run the commands"
        return "deploybook prints this when it is done"

    def resolve(self, fill: Fill) -> ResolvedMessage:
        return ResolvedMessage(self, self.body_fill(fill)(self.body).rstrip("\n"))


@record
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
    after = reader.attrs.get("phase")
    if after is not None and after not in PHASES:
        reader.report(
            "DB116",
            "phase",
            "phase must be " + " or ".join(f'"{name}"' for name in PHASES) + f", not {after!r}",
            'write phase="setup"',
        )
    return Message(reader.header, after)


ACTION = ActionSpec("message", KEYS, read)
