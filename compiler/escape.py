"""Values written into files, escaped for the file's format at the place they go.

A `{{ name }}` inside a quoted TOML or YAML string, or a quoted shell word, gets that quoting's
escapes (a `"` in an app's description cannot end the string and start a new table). Outside
quotes, or in a format deploybook does not know, a value may not hold what would change the
file's structure there: a line break always, and in TOML, YAML and shell files any character
that is not plainly part of a word. Such a value is refused with a message, never written raw.

The quote state is read from the template's own line up to the placeholder, so the escaping
follows what the recipe author wrote.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable

from deploybook.records import record

__all__ = ["Format", "format_of", "plain_problem"]

_BARE_WORD = re.compile(r"[A-Za-z0-9_.,:/@%+=-]*")
_SHEBANG = re.compile(r"#!\s*(/usr/bin/env\s+)?(/bin/|/usr/bin/)?(sh|bash|dash)\b")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@record
class Format:
    """How values are placed in one kind of file."""

    name: str
    quotes: str
    """The characters that open a quoted string, in this format."""
    escape: Callable[[str, str], str | None]
    """(value, quote or "") -> the text to write, or None when the value cannot go there."""

    def place(self, value: str, before: str) -> str | None:
        """`value` escaped for the place after `before` (the line's text up to the placeholder)."""
        return self.escape(value, _open_quote(before, self.quotes))


def format_of(path: str, text: str) -> Format | None:
    """The format of the file at `path` with the (template) `text`, judged by its name or, for a
    script, its `#!` line; None for a format without rules of its own."""
    name = posixpath.basename(path)
    suffix = posixpath.splitext(name)[1].lower()
    if suffix == ".toml":
        return _TOML
    if suffix in (".yaml", ".yml"):
        return _YAML
    if suffix in (".sh", ".bash") or name == ".environment" or _SHEBANG.match(text):
        return _SHELL
    if suffix == ".py":
        return _PYTHON
    return None


def plain_problem(value: str) -> str | None:
    """Why `value` cannot be written into a file of no known format, or None."""
    if "\n" in value or "\r" in value:
        return "it holds a line break"
    if _CONTROL.search(value):
        return "it holds a control character"
    return None


def _open_quote(before: str, quotes: str) -> str:
    """The quote open at the end of `before` ("" when none), skipping escaped characters."""
    current = ""
    escaped = False
    for char in before:
        if escaped:
            escaped = False
        elif char == "\\" and current != "'":
            escaped = True
        elif current:
            if char == current:
                current = ""
        elif char in quotes:
            current = char
    return current


def _toml(value: str, quote: str) -> str | None:
    if quote == '"':
        return json.dumps(value, ensure_ascii=False)[1:-1]  # TOML basic strings take JSON's escapes
    if quote == "'":
        return None if "'" in value or plain_problem(value) else value
    return value if _BARE_WORD.fullmatch(value) else None


def _yaml(value: str, quote: str) -> str | None:
    if quote == '"':
        return json.dumps(value, ensure_ascii=False)[1:-1]
    if quote == "'":
        return None if plain_problem(value) else value.replace("'", "''")
    return value if _BARE_WORD.fullmatch(value) and not value.startswith(("-", ":", "@", "%")) else None


def _shell(value: str, quote: str) -> str | None:
    if quote == '"':
        return None if plain_problem(value) else re.sub(r'(["\\$`])', r"\\\1", value)
    if quote == "'":
        return None if plain_problem(value) else value.replace("'", "'\\''")
    return value if _BARE_WORD.fullmatch(value) else None


def _python(value: str, quote: str) -> str | None:
    if quote:
        escaped = json.dumps(value, ensure_ascii=False)[1:-1]  # valid Python escapes too
        return escaped.replace("'", "\\'") if quote == "'" else escaped
    return value if re.fullmatch(r"[A-Za-z0-9_.]*", value) else None


_PYTHON = Format("Python", "\"'", _python)
_TOML = Format("TOML", "\"'", _toml)
_YAML = Format("YAML", "\"'", _yaml)
_SHELL = Format("shell", "\"'", _shell)
