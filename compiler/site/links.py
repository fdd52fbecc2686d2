"""The links the site publishes for a recipe: its page, each step's anchor and short link.

Paths are from the site's root with directory URLs, as readers see them. Aliases keep the
links of a renamed step: its old anchor stays on the page and its short link leads to the
step that does its job. Retired ids keep the links of a removed step: they lead to a note
that says it was removed and what replaced it. Each earlier version of a recipe keeps its page
(`/recipes/heroku/v1/`, see versions.py), the text a book printed against it.
"""

from __future__ import annotations

from ..ir import Recipe

__all__ = [
    "anchor_link",
    "page_link",
    "published_links",
    "recipe_of",
    "retired_links",
    "short_link",
    "step_of",
    "version_link",
]


def page_link(recipe_id: str) -> str:
    return f"/recipes/{recipe_id}/"


def anchor_link(recipe_id: str, step_id: str) -> str:
    return f"/recipes/{recipe_id}/#step-{step_id}"


def version_link(recipe_id: str, version: int) -> str:
    return f"/recipes/{recipe_id}/v{version}/"


def short_link(recipe_id: str, step_id: str | None = None) -> str:
    return f"/go/{recipe_id}/{step_id}/" if step_id else f"/go/{recipe_id}/"


def published_links(recipe: Recipe) -> set[str]:
    links = {page_link(recipe.id), short_link(recipe.id)}
    links |= {version_link(recipe.id, old) for old in range(1, recipe.version)}
    for step_id in (*recipe.step_ids(), *recipe.aliases):
        links |= {anchor_link(recipe.id, step_id), short_link(recipe.id, step_id)}
    return links


def retired_links(recipe: Recipe) -> set[str]:
    """The links of removed steps: tombstones that lead to a note on what replaced the step."""
    links: set[str] = set()
    for step_id in recipe.retired:
        links |= {anchor_link(recipe.id, step_id), short_link(recipe.id, step_id)}
    return links


def recipe_of(link: str) -> str:
    """The recipe id in a published link."""
    return link.strip("/").split("/")[1].split("#")[0]


def step_of(link: str) -> str | None:
    """The step id in a published link, None for a recipe's page."""
    if "#step-" in link:
        return link.split("#step-", 1)[1]
    parts = link.strip("/").split("/")
    return parts[2] if parts[0] == "go" and len(parts) > 2 else None
