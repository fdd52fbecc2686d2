"""`action="env"`: NAME=value lines for the platform's environment."""

from __future__ import annotations

from deploybook.records import record

from ..ir import Fill, Step
from ..names import ENV_NAME
from .base import ActionSpec, Redact, Resolved, StepReader

__all__ = ["ACTION", "EnvVars", "ResolvedEnv"]

KEYS: frozenset[str] = frozenset()


@record
class EnvVars(Step):
    """Variables the platform sets for the app. The deploy writes none of them anywhere:
    the page's commands (or the platform itself) set them, and rehearsal and tests use them."""

    pairs: tuple[tuple[str, str], ...]

    def page_note(self) -> str:
        return "the platform sets these"

    def resolve(self, fill: Fill) -> ResolvedEnv:
        body = self.body_fill(fill)
        return ResolvedEnv(self, tuple((name, body(value)) for name, value in self.pairs))


@record
class ResolvedEnv(Resolved):
    step: EnvVars
    pairs: tuple[tuple[str, str], ...]

    def describe(self, redact: Redact) -> str:
        return "platform environment: " + ", ".join(name for name, _ in self.pairs)

    @property
    def reason(self) -> str:
        return "set on the platform"

    def headline(self) -> str:
        return "platform environment"

    def body_lines(self) -> tuple[str, ...]:
        return tuple(f"{name}={value}" for name, value in self.pairs)


def read(reader: StepReader) -> EnvVars:
    pairs = []
    for offset, line in reader.lines():
        name, sep, value = line.partition("=")
        if not sep or not ENV_NAME.match(name):
            reader.report_line(
                "DB405",
                offset,
                f"not a NAME=value line: {line!r}",
                "write one variable a line, e.g. DJANGO_DEBUG=false",
            )
            continue
        pairs.append((name, value))
    if not pairs:
        reader.report("DB408", "action", "the env block sets no variable", "write NAME=value lines")
    return EnvVars(reader.header, tuple(pairs))


ACTION = ActionSpec("env", KEYS, read)
