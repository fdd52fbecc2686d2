"""Console blocks whose copy button copies only the commands.

Pygments marks a console block's prompts (`.gp`) and output (`.go`); the stylesheet hides
both while mkdocs-material copies (it copies the code's innerText under `data-md-copying`)
and makes them unselectable. Output spans end before their line break, so hiding them
would leave blank lines: the break is moved inside the span first.
"""

from __future__ import annotations

import re

__all__ = ["commands_only_copy"]

_OUTPUT_LINE = re.compile(r'(<span class="go">(?:(?!</span>).)*)</span>\n')


def commands_only_copy(page_html: str) -> str:
    return _OUTPUT_LINE.sub(lambda m: m.group(1) + "\n</span>", page_html)
