"""A recipe's page: the recipe's own text, rendered for mkdocs-material, under a generated top."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import DeploybookError
from ..ir import Recipe
from .body import render_body
from .document import read_document
from .glance import CHANGES_ID, render_glance, render_values
from .placeholders import Placeholders
from .tabs import tab_labels

__all__ = ["RecipePage", "render_page"]

_H1 = re.compile(r"^# \S")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


@dataclass(frozen=True)
class RecipePage:
    recipe: Recipe
    markdown: str
    placeholders: Placeholders

    def finish_html(self, page_html: str) -> str:
        """What the rendered HTML needs from this page: its placeholders as `<var>`."""
        return self.placeholders.show(page_html)


def render_page(path: Path, recipe: Recipe, *, getting_started: str | None = None) -> RecipePage:
    """`getting_started`: a link to the site's page on installing deploybook, if it has one."""
    if any(section.id == CHANGES_ID for section in recipe.sections):
        raise DeploybookError(
            f"the heading id {CHANGES_ID!r} is used by the page's own 'What this recipe changes' section",
            hint="give the heading another id",
            location=recipe.path,
        )
    placeholders = Placeholders(recipe)
    labels = tab_labels(recipe)
    body = render_body(read_document(path), recipe, placeholders)
    glance = render_glance(recipe, placeholders, labels, getting_started)
    lines = body.splitlines(keepends=True)
    heading = _first_h1(lines)
    if heading is None:
        top, rest = f"# {recipe.title}\n\n", lines
    else:
        top, rest = "".join(lines[: heading + 1]) + "\n", lines[heading + 1 :]
    text = top + glance + render_values(recipe, placeholders) + "".join(rest)
    meta = yaml.safe_dump({"title": recipe.title, "description": recipe.summary}, allow_unicode=True, width=1000)
    return RecipePage(recipe, f"---\n{meta}---\n\n{text}", placeholders)


def _first_h1(lines: list[str]) -> int | None:
    """The recipe's title heading, if it comes before any fence."""
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            return None
        if _H1.match(line):
            return index
    return None
