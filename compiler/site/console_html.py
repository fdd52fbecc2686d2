"""Console blocks whose copy button copies only the commands (and their input).

Pygments marks a console block's prompts (`.gp`) and output (`.go`); the stylesheet hides
both while mkdocs-material copies (it copies the code's innerText under `data-md-copying`)
and makes them unselectable. Output spans end before their line break, so hiding them
would leave blank lines: the break is moved inside the span first.

A here-document (`$ cmd <<'EOF'`, its lines, `EOF`) is input the reader must paste with the
command, but Pygments marks its lines as output: they are given the class `db-input` instead,
which is copied and selectable like the command itself. The `<<'EOF'` may end a command that
goes on over several lines (each but the last ending in a backslash).
"""

from __future__ import annotations

import html
import re

__all__ = ["commands_only_copy"]

_OUTPUT_LINE = re.compile(r'(<span class="go">(?:(?!</span>).)*)</span>\n')
_HEREDOC_START = re.compile(r"&lt;&lt;<span class=\"s1\">(?:'|&#39;)([A-Za-z_][A-Za-z0-9_]*)(?:'|&#39;)</span>$")
_OUTPUT = re.compile(r'^<span class="go">((?:(?!</span>).)*)</span>$')
_TAG = re.compile(r"<[^>]*>")
_CONTINUED = re.compile(r'<span class="se">\\</span>$')  # a command line ending in `\` goes on


def commands_only_copy(page_html: str) -> str:
    return _OUTPUT_LINE.sub(lambda m: m.group(1) + "\n</span>", _mark_input(page_html))


def _mark_input(page_html: str) -> str:
    if "&lt;&lt;" not in page_html:
        return page_html
    lines = page_html.split("\n")
    word: str | None = None
    continued = False  # the line before was a command line ending in a backslash
    for index, line in enumerate(lines):
        if word is None:
            command = continued or 'class="gp"' in line
            continued = command and _CONTINUED.search(line) is not None
            start = _HEREDOC_START.search(line) if command else None
            word = start.group(1) if start else None
            continue
        # Every line up to the word is input, even one Pygments took for a prompt (a line
        # starting with `$`, as in `${{NAME}}`): only its text is kept.
        output = _OUTPUT.match(line)
        text = output.group(1) if output else html.escape(html.unescape(_TAG.sub("", line)), quote=False)
        lines[index] = f'<span class="db-input">{text}</span>'
        if html.unescape(text) == word:
            word = None
    return "\n".join(lines)
