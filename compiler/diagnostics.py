"""Diagnostics: every problem found in a recipe, with a stable id, a level and a location.

Passes collect diagnostics instead of raising, so an author sees every problem in a file at
once. The ids are part of the public contract (tests, docs and editors refer to them); an id
is never reused for a different problem.
"""

from __future__ import annotations

from enum import Enum

from deploybook.records import record

from .source import SourceSpan

__all__ = ["CODES", "Diagnostic", "Diagnostics", "Level"]


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


# id -> (level, short name). Grouped by hundreds: 0 file, 1 fences and headings,
# 2 variables and axes, 3 includes, 4 block bodies, 5 links.
CODES: dict[str, tuple[Level, str]] = {
    "DB001": (Level.ERROR, "not-utf8"),
    "DB002": (Level.ERROR, "empty-file"),
    "DB003": (Level.ERROR, "no-front-matter"),
    "DB004": (Level.ERROR, "front-matter-yaml"),
    "DB005": (Level.ERROR, "front-matter-not-mapping"),
    "DB006": (Level.ERROR, "front-matter-missing-key"),
    "DB007": (Level.ERROR, "front-matter-unknown-key"),
    "DB008": (Level.ERROR, "front-matter-bad-value"),
    "DB009": (Level.ERROR, "id-not-file-name"),
    "DB010": (Level.WARNING, "id-of-a-bundled-recipe"),
    "DB101": (Level.ERROR, "unknown-fence-key"),
    "DB102": (Level.ERROR, "fence-attribute-syntax"),
    "DB103": (Level.ERROR, "unknown-action"),
    "DB104": (Level.ERROR, "missing-file"),
    "DB105": (Level.ERROR, "duplicate-step"),
    "DB106": (Level.ERROR, "bad-step-id"),
    "DB107": (Level.ERROR, "unclosed-fence"),
    "DB108": (Level.ERROR, "metadata-outside-braces"),
    "DB109": (Level.ERROR, "hidden-fence"),
    "DB110": (Level.ERROR, "action-without-step"),
    "DB111": (Level.ERROR, "step-without-action"),
    "DB112": (Level.ERROR, "key-not-for-action"),
    "DB113": (Level.WARNING, "heading-without-id"),
    "DB114": (Level.ERROR, "duplicate-heading-id"),
    "DB115": (Level.ERROR, "conflicting-writes"),
    "DB116": (Level.ERROR, "bad-key-value"),
    "DB117": (Level.ERROR, "step-outside-section"),
    "DB201": (Level.ERROR, "undeclared-variable"),
    "DB202": (Level.ERROR, "unknown-axis"),
    "DB203": (Level.ERROR, "unknown-axis-value"),
    "DB204": (Level.ERROR, "when-syntax"),
    "DB205": (Level.WARNING, "unused-variable"),
    "DB206": (Level.ERROR, "placeholder-syntax"),
    "DB301": (Level.ERROR, "missing-partial"),
    "DB302": (Level.ERROR, "include-cycle"),
    "DB303": (Level.ERROR, "include-syntax"),
    "DB304": (Level.ERROR, "include-outside"),
    "DB401": (Level.ERROR, "no-command"),
    "DB402": (Level.ERROR, "shell-syntax"),
    "DB403": (Level.ERROR, "command-quoting"),
    "DB404": (Level.ERROR, "bad-requirement"),
    "DB405": (Level.ERROR, "bad-env-line"),
    "DB406": (Level.ERROR, "bad-capture"),
    "DB407": (Level.ERROR, "wrong-language"),
    "DB408": (Level.ERROR, "empty-body"),
    "DB409": (Level.ERROR, "bad-process-line"),
    "DB410": (Level.ERROR, "secret-on-command-line"),
    "DB501": (Level.ERROR, "alias-target-unknown"),
    "DB502": (Level.ERROR, "alias-shadows-step"),
    "DB503": (Level.ERROR, "retired-id-reused"),
}


@record
class Diagnostic:
    """One problem found in a recipe: its registered id, where it is, what and how to fix it."""

    id: str
    span: SourceSpan
    message: str
    hint: str = ""

    @property
    def level(self) -> Level:
        return CODES[self.id][0]

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def format(self) -> str:
        """`path:line:col: ID message`, then the hint on its own line."""
        text = f"{self.span}: {self.id} {self.message}"
        if self.level is Level.WARNING:
            text = f"{self.span}: {self.id} warning: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


class Diagnostics:
    """An append-only collection that passes report into."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def add(self, code: str, span: SourceSpan, message: str, hint: str = "") -> None:
        if code not in CODES:
            raise KeyError(f"unregistered diagnostic id {code}")
        self._items.append(Diagnostic(code, span, message, hint))

    def extend(self, items: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        self._items.extend(items)

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    @property
    def error_count(self) -> int:
        return sum(1 for d in self._items if d.is_error)

    def sorted(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(self._items, key=lambda d: (d.span.path, d.span.line, d.span.col)))
