"""Long blocks on a page: collapsed under a one-line summary, with a download link.

A reader following a recipe by hand needs the steps first; a 280-line script in full view
buries them. A block longer than `COLLAPSE_AFTER` lines is rendered inside a collapsed
`<details>` (pymdownx.details) whose summary names it and its length, and, unless it is a
console block (its copy button is the way to take commands), a link to download its text as
a file sits above it. The file is the block as the page shows it, placeholders as `<name>`;
once the reader has filled in their values, the page script makes the link download the block
with their values instead (assets.py).
"""

from __future__ import annotations

import posixpath
import re

from ..ir import Step
from ..segments import Fence
from ..template import PLACEHOLDER

__all__ = ["COLLAPSE_AFTER", "Downloads", "collapse"]

COLLAPSE_AFTER = 40
"""Blocks with more lines than this are collapsed."""

DETAILS_INDENT = "    "
# The file name extension of a download that is not a whole file of the project.
_EXTENSIONS = {
    "python": ".py",
    "py": ".py",
    "sh": ".sh",
    "bash": ".sh",
    "shell": ".sh",
    "yaml": ".yaml",
    "yml": ".yaml",
    "toml": ".toml",
    "ini": ".ini",
    "json": ".json",
    "dockerfile": ".dockerfile",
    "caddyfile": ".caddyfile",
}


class Downloads:
    """The files a page offers for download: site path -> text, and the link to each from the page.

    `folder` is where they go in the site (recipes/heroku/files); `page_dir` the folder of the
    page's source (recipes), which mkdocs resolves links from.
    """

    def __init__(self, folder: str, page_dir: str) -> None:
        self.folder = folder
        self.page_dir = page_dir
        self.files: dict[str, str] = {}

    def add(self, fence: Fence) -> tuple[str, str]:
        """The link (from the page) and the file name for the block's text."""
        name = _file_name(fence)
        folder = f"{self.folder}/{fence.step.id if fence.step else 'block'}"
        uri, count = f"{folder}/{name}", 1
        while uri in self.files:  # variants of one step: one folder each
            count += 1
            uri = f"{folder}-{count}/{name}"
        body = fence.body
        if fence.step is None or fence.step.template:
            body = PLACEHOLDER.sub(lambda m: f"<{m.group(1)}>", body)
        self.files[uri] = body
        return posixpath.relpath(uri, self.page_dir), name


def collapse(fence: Fence, text: str, title: str, downloads: Downloads | None) -> str:
    """`text` (the rendered fence) collapsed when the block is long, else unchanged."""
    count = fence.body.count("\n")
    if count <= COLLAPSE_AFTER:
        return text
    indent = fence.indent
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.strip():
            lines.append(line)
        elif line.startswith(indent):
            lines.append(indent + DETAILS_INDENT + line[len(indent) :])
        else:
            lines.append(DETAILS_INDENT + line)
    summary = f"{title}: {count} lines" if title else f"{count} lines"
    out = f'{indent}??? abstract db-long "{summary.replace(chr(34), chr(39))}"\n\n{"".join(lines)}'
    if downloads is None or fence.info.split(" ", 1)[0] in ("console", "pycon"):
        return out
    link, name = downloads.add(fence)
    download = f'{indent}[Download {name}]({link}){{ download="{name}" }}\n{indent}{{: .db-download }}\n\n'
    return download + out


def _file_name(fence: Fence) -> str:
    step: Step | None = fence.step
    files = step.files() if step is not None and step.action == "write" else ()
    if files:
        name = posixpath.basename(files[0])
    else:
        lang = fence.info.split(" ", 1)[0].strip().lower()
        name = (step.id if step else "block") + _EXTENSIONS.get(lang, ".txt")
    # `{{ app_name }}.service` -> `app_name.service`; nothing a file system or a shell minds
    name = PLACEHOLDER.sub(lambda m: m.group(1), name)
    return re.sub(r"[^A-Za-z0-9._-]", "-", name) or "block.txt"
