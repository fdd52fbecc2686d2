"""`append` steps: a block of text a recipe owns inside a file, between two marker comments.

The markers name the recipe and the step, so a re-run finds its own block and replaces it in
place; text before and after the block is never touched, and a block is never duplicated.
"""

from __future__ import annotations

import posixpath

from deploybook.errors import DeployError
from deploybook.records import record

from .source import SourceSpan

__all__ = ["CommentStyle", "comment_style", "place_block"]


@record
class CommentStyle:
    """How a line comment is written in a kind of file: `# text`, or `/* text */` with an end."""

    start: str
    end: str = ""

    def comment(self, text: str) -> str:
        return f"{self.start} {text} {self.end}".rstrip() if self.end else f"{self.start} {text}"


_HASH = CommentStyle("#")
_SLASHES = CommentStyle("//")
_SQL = CommentStyle("--")
_C = CommentStyle("/*", "*/")
_HTML = CommentStyle("<!--", "-->")

_BY_NAME = {
    name: _HASH
    for name in (
        "Procfile",
        "Dockerfile",
        "Containerfile",
        "Caddyfile",
        "Makefile",
        "Pipfile",
        "Gemfile",
        "Vagrantfile",
        ".env",
        ".gitignore",
        ".dockerignore",
        ".gitattributes",
        ".flake8",
        ".editorconfig",
        "requirements.txt",
    )
}
_BY_SUFFIX = {
    **dict.fromkeys(
        (
            ".py",
            ".pyi",
            ".toml",
            ".yaml",
            ".yml",
            ".cfg",
            ".ini",
            ".conf",
            ".sh",
            ".bash",
            ".env",
            ".service",
            ".socket",
            ".timer",
            ".tf",
            ".hcl",
            ".rb",
            ".pl",
            ".r",
            ".nginx",
            ".properties",
            ".in",
        ),
        _HASH,
    ),
    **dict.fromkeys(
        (".js", ".mjs", ".cjs", ".ts", ".go", ".rs", ".java", ".kt", ".swift", ".c", ".h", ".scss"), _SLASHES
    ),
    **dict.fromkeys((".sql", ".lua"), _SQL),
    ".css": _C,
    **dict.fromkeys((".html", ".htm", ".xml", ".svg", ".md"), _HTML),
}


def comment_style(path: str) -> CommentStyle | None:
    """How a comment is written in the file at `path`, judged by its name; None if unknown."""
    name = posixpath.basename(path)
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name.startswith(("Dockerfile.", ".env.", "requirements")) or name.endswith(".Dockerfile"):
        return _HASH
    return _BY_SUFFIX.get(posixpath.splitext(name)[1].lower())


def place_block(text: str, *, path: str, recipe_id: str, step_id: str, body: str, location: SourceSpan | None) -> str:
    """`text` with the step's block in it: replaced where its markers are, else appended.
    `location` is the step's, for errors."""
    style = comment_style(path)
    if style is None:
        raise DeployError(
            f"cannot mark an appended block in {path}: deploybook does not know how "
            "comments are written in this kind of file",
            hint='use action="write" for this file, or ask for its comment syntax to be added',
            location=location,
        )
    owner = f"deploybook {recipe_id}/{step_id}"
    begin, end = style.comment(f">>> {owner} >>>"), style.comment(f"<<< {owner} <<<")
    newline = "\r\n" if "\r\n" in text else "\n"
    note = style.comment(
        f"Written by `manage.py deploy {recipe_id}`; a re-run replaces this block, so edit outside it."
    )
    block_lines = [begin, note, *body.rstrip("\n").split("\n"), end]
    block = newline.join(block_lines) + newline

    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.strip() == begin]
    ends = [i for i, line in enumerate(lines) if line.strip() == end]
    if not starts and not ends:
        if not text:
            return block
        separator = "" if text.endswith(newline * 2) else newline if text.endswith(("\n", "\r")) else newline * 2
        return text + separator + block
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        lines_found = ", ".join(str(i + 1) for i in sorted(starts + ends))
        raise DeployError(
            f"{path}: the markers of the block `{owner}` are damaged (marker lines: {lines_found})",
            hint=f"leave exactly one `{begin}` line followed by one `{end}` line, or delete the block "
            f"and its markers; then run deploy again (the step is at {location})",
        )
    first, last = starts[0], ends[0]
    return "".join(lines[:first]) + block + "".join(lines[last + 1 :])
