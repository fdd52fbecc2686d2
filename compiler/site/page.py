"""A recipe's page: the recipe's own text, rendered for mkdocs-material, under a generated top."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field

import yaml

from deploybook.errors import DeploybookError
from deploybook.records import record

from ..ir import Recipe
from ..segments import Fence, Heading, Segment
from .body import render_body
from .glance import CHANGES_ID, render_glance
from .long_blocks import Downloads
from .placeholders import Placeholders
from .retired import RETIRED_ID, render_retired
from .tabs import tab_labels
from .values_form import VALUES_ID, render_values
from .versions import VERSIONS_ID, render_banner, render_versions

__all__ = ["RecipePage", "render_page"]


@record(slots=False)
class RecipePage:
    recipe: Recipe
    markdown: str
    placeholders: Placeholders
    downloads: dict[str, str] = field(default_factory=dict)
    """Files the page links to (long blocks' text): site path -> content."""

    def finish_html(self, page_html: str) -> str:
        """What the rendered HTML needs from this page: its placeholders as `<var>`."""
        return self.placeholders.show(page_html)


def render_page(
    recipe: Recipe,
    segments: Sequence[Segment],
    *,
    getting_started: str | None = None,
    current: Recipe | None = None,
) -> RecipePage:
    """The page for a compiled recipe and its segments (both from one CompileResult).
    `getting_started`: a link to the site's page on installing deploybook, if it has one.
    `current`: for an earlier version's snapshot (versions.py), the recipe as it is now; the
    page then says which version it is instead of how to apply it."""
    for own_id, title in (
        (CHANGES_ID, "What this recipe changes"),
        (RETIRED_ID, "Removed steps"),
        (VALUES_ID, "Your values"),
        (VERSIONS_ID, "Versions"),
    ):
        clash = next((s for s in recipe.sections if s.id == own_id), None)
        if clash is not None:
            raise DeploybookError(
                f"the heading id {own_id!r} is used by the page's own '{title}' section",
                hint="give the heading another id",
                location=clash.span,
            )
    placeholders = Placeholders(recipe)
    page_dir = f"recipes/{recipe.id}" if current else "recipes"
    folder = f"recipes/{recipe.id}/v{recipe.version}" if current else f"recipes/{recipe.id}"
    downloads = Downloads(f"{folder}/files", page_dir)
    labels = tab_labels(recipe)
    split = _after_title(segments)
    top = "".join(render_body(segments[:split], recipe, placeholders, downloads)) if split else f"# {recipe.title}\n"
    rest = "".join(render_body(segments[split:], recipe, placeholders, downloads))
    if current is None:
        glance = render_glance(recipe, placeholders, labels, getting_started)
        end = render_retired(recipe) + render_versions(recipe)
        meta: dict[str, object] = {"title": recipe.title, "description": recipe.summary}
    else:
        glance, end = render_banner(current, recipe.version), render_retired(recipe)
        # Found by its printed address, not by search: search leads to the current version.
        meta = {"title": f"{recipe.title} (version {recipe.version})", "search": {"exclude": True}}
    text = top + "\n" + glance + render_values(recipe, placeholders) + rest + end
    front = yaml.safe_dump(meta, allow_unicode=True, width=1000)
    return RecipePage(recipe, f"---\n{front}---\n\n{text}", placeholders, downloads.files)


def _after_title(segments: Sequence[Segment]) -> int:
    """How many segments come up to the recipe's title heading, if it comes before any fence
    (0 when there is none: the page gets one from the recipe's title)."""
    for index, segment in enumerate(segments):
        if isinstance(segment, Fence):
            return 0
        if isinstance(segment, Heading) and segment.level == 1:
            return index + 1
    return 0
