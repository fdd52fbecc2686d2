"""Showing `{{ name }}` placeholders on the page as `<name>`, marked up as `<var>`.

Markdown and Pygments would mangle `<name>` (it is an HTML tag to one, an operator to the
other) and `{{ name }}` (braces end superfences' metadata; lexers split them), so each
placeholder travels through rendering as a plain word that every lexer keeps in one token,
and becomes `<var>` in the finished HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from ..ir import Recipe
from ..template import PLACEHOLDER

__all__ = ["Placeholders", "leftover_sentinels"]

# Letters and digits only: underscores could start emphasis in prose, and some lexers
# split words at punctuation.
_SENTINEL = re.compile(r"XDBVAR(\d+)X")
_TAG = re.compile(r"(<[^>]*>)")


class Placeholders:
    """The placeholders of one page: source text in, sentinels through Markdown, `<var>` out."""

    def __init__(self, recipe: Recipe) -> None:
        self._names = [v.name for v in recipe.variables]
        self._help = {v.name: v.help for v in recipe.variables}
        self.used: dict[str, None] = {}  # names seen on the page, in order of first use

    def hide(self, text: str) -> str:
        """Replace declared placeholders by sentinels; undeclared `{{ }}` stays as written."""

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self._help:
                return match.group(0)
            self.used.setdefault(name)
            return f"XDBVAR{self._names.index(name)}X"

        return PLACEHOLDER.sub(replace, text)

    def used_in_order(self) -> list[str]:
        """The names used on the page, in the order the recipe declares them."""
        return [name for name in self._names if name in self.used]

    def help(self, name: str) -> str:
        return self._help[name]

    def show(self, page_html: str) -> str:
        """Turn sentinels in rendered HTML into `<var>`; inside tags (attributes), plain text."""
        parts = _TAG.split(page_html)
        for index, part in enumerate(parts):
            if index % 2:
                parts[index] = self.show_plain(part)
            else:
                parts[index] = _SENTINEL.sub(self._var, part)
        return "".join(parts)

    def show_plain(self, text: str) -> str:
        """Sentinels as `&lt;name&gt;`, for HTML where markup is not wanted (the table of contents)."""
        return _SENTINEL.sub(lambda m: html.escape(f"<{self._name(m)}>"), text)

    def _name(self, match: re.Match[str]) -> str:
        index = int(match.group(1))
        return self._names[index] if index < len(self._names) else match.group(0)

    def _var(self, match: re.Match[str]) -> str:
        name = self._name(match)
        help_text = html.escape(self._help.get(name, ""), quote=True)
        # data-var: the page script shows the reader's own value here (values_form.py).
        return (
            f'<var class="db-var" data-var="{html.escape(name)}" title="{help_text}">&lt;{html.escape(name)}&gt;</var>'
        )


def leftover_sentinels(page_html: str) -> Iterable[str]:
    """Fragments of sentinels a lexer split apart, which `show` could not replace."""
    return re.findall(r"XDBVAR\w*", page_html)
